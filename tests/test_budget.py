"""Error budgets, with the numbers worked out by hand: budget, spent, left and burn per
incident, over a rolling window and calendar months."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from conftest import SiteFolder, flare
from generator.derive.budget import error_budget
from generator.derive.state import StateInterval
from generator.model.components import Component, ComponentState, ObjectiveWindow

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")
MAJOR, PARTIAL, DEGRADED, UP = (
    ComponentState.MAJOR_OUTAGE,
    ComponentState.PARTIAL_OUTAGE,
    ComponentState.DEGRADED_PERFORMANCE,
    ComponentState.OPERATIONAL,
)


def minutes(count: float) -> timedelta:
    return timedelta(minutes=count)


def history() -> list[StateInterval]:
    """Consecutive intervals from 1 September: three stretches of trouble in November (20 min of
    major outage by incident a; 100 min of partial outage held by b and c together; an hour of
    degraded performance by d) and 50 min of major outage by e in October."""
    marks = [
        (datetime(2026, 9, 1, tzinfo=UTC), UP, ()),
        (datetime(2026, 10, 10, 8, 0, tzinfo=UTC), MAJOR, (("e", MAJOR),)),
        (datetime(2026, 10, 10, 8, 50, tzinfo=UTC), UP, ()),
        (datetime(2026, 11, 13, 9, 0, tzinfo=UTC), MAJOR, (("a", MAJOR), ("f", DEGRADED))),
        (datetime(2026, 11, 13, 9, 20, tzinfo=UTC), UP, ()),
        (datetime(2026, 11, 20, 14, 0, tzinfo=UTC), PARTIAL, (("b", PARTIAL), ("c", PARTIAL))),
        (datetime(2026, 11, 20, 15, 40, tzinfo=UTC), DEGRADED, (("d", DEGRADED),)),
        (datetime(2026, 11, 20, 16, 40, tzinfo=UTC), UP, ()),
    ]
    ends = [start for start, _, _ in marks[1:]] + [NOW]
    return [
        StateInterval(start, end, state, causes)
        for (start, state, causes), end in zip(marks, ends, strict=True)
    ]


def api(slo: float | None, window: str = "30d") -> Component:
    return Component(id="api", name="Public API", slo=slo, slo_window=window)


def test_a_rolling_window_budget_is_the_objectives_share_of_it_and_incidents_spend_it():
    budget = error_budget(api(99.9), history(), NOW, UTC_ZONE, [])
    assert budget is not None
    current = budget.current

    # 30 days × 0.1 % = 43.2 minutes. Spent: 20 of major outage, 100 × 0.3 = 30 of partial
    # outage (degraded performance costs nothing); October's outage is before the window.
    assert current.start == NOW - timedelta(days=30)
    assert current.budget == minutes(43.2)
    assert current.spent == minutes(50)
    assert current.left == minutes(-6.8)
    assert not current.met
    assert current.spent_share == pytest.approx(50 / 43.2)
    # The partial outage's 30 minutes are split between the two incidents that held it; f only
    # slowed the component while a took it down, so a pays for those minutes alone.
    assert [(burn.record_id, burn.downtime) for burn in current.burns] == [
        ("a", minutes(20)),
        ("b", minutes(15)),
        ("c", minutes(15)),
    ]


def test_a_monthly_objective_counts_the_whole_month_and_each_month_has_its_own_budget():
    budget = error_budget(
        api(99.9, "month"),
        history(),
        NOW,
        UTC_ZONE,
        [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)],
    )
    assert budget is not None and budget.window is ObjectiveWindow.MONTH

    # November: 30 days × 0.1 % = 43.2 minutes, though only 22.5 days have passed.
    assert budget.current.start == datetime(2026, 11, 1, tzinfo=UTC)
    assert budget.current.budget == minutes(43.2)
    assert budget.current.partial and budget.current.counted_until == NOW
    months = dict(budget.months)
    assert months[date(2026, 9, 1)].spent == timedelta(0)
    # October: 31 days × 0.1 % = 44.64 minutes; e took 50.
    assert months[date(2026, 10, 1)].budget == minutes(44.64)
    assert months[date(2026, 10, 1)].spent == minutes(50)
    assert not months[date(2026, 10, 1)].met and not months[date(2026, 10, 1)].partial
    assert budget.months_missed == 2  # October, and November so far


def test_a_28_day_window_and_no_objective():
    budget = error_budget(api(99.5, "28d"), history(), NOW, UTC_ZONE, [])
    assert budget is not None
    assert budget.current.budget == minutes(28 * 24 * 60 * 0.005)  # 201.6 minutes
    assert budget.current.left == minutes(201.6 - 50)
    assert error_budget(api(None), history(), NOW, UTC_ZONE, []) is None


@pytest.mark.parametrize("slo", [0, 100, 120, -1])
def test_an_objective_is_a_percentage_above_0_and_below_100(slo: float):
    with pytest.raises(ValidationError, match="slo"):
        api(slo)
    with pytest.raises(ValidationError, match="slo_window"):
        api(99.9, "week")


def test_a_wrong_objective_in_mkdocs_yml_is_refused_at_its_line_with_what_is_allowed(
    site_folder: SiteFolder,
):
    config = site_folder.config.read_text(encoding="utf-8")
    site_folder.config.write_text(
        config.replace(
            "          name: Public API\n",
            "          name: Public API\n          slo: 100\n          slo_window: week\n",
        ),
        encoding="utf-8",
    )
    result = flare("validate", str(site_folder.root))

    assert result.returncode == 1
    said = result.stdout + result.stderr
    assert (
        "mkdocs.yml:11:16: error: plugins[0].flare.components[0].slo: found 100; an availability "
        "objective is a percentage above 0 and below 100, e.g. 99.9"
    ) in said
    assert (
        "mkdocs.yml:12:23: error: plugins[0].flare.components[0].slo_window: found 'week'; "
        "allowed: 28d, 30d, month"
    ) in said
