"""The state rules: what each component's state is at an instant, given the records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from generator.derive.state import component_state_at, component_states_at, incident_states_at
from generator.model.components import ComponentState
from generator.model.records import Incident, Maintenance

OPERATIONAL = ComponentState.OPERATIONAL
MAINTENANCE = ComponentState.UNDER_MAINTENANCE
DEGRADED = ComponentState.DEGRADED_PERFORMANCE
PARTIAL = ComponentState.PARTIAL_OUTAGE
MAJOR = ComponentState.MAJOR_OUTAGE


def at(hour: int, minute: int = 0, day: int = 3) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def incident(impact: str, components: list[str], *updates: dict, id: str = "inc") -> Incident:
    return Incident.model_validate(
        {
            "id": id,
            "title": "Something broke",
            "impact": impact,
            "components": components,
            "updates": [{"body": "Update.", **update} for update in updates],
        }
    )


def maintenance(start: datetime, end: datetime, *updates: dict, components=("api",)) -> Maintenance:
    return Maintenance.model_validate(
        {
            "kind": "maintenance",
            "id": "maint",
            "title": "Upgrade",
            "components": list(components),
            "scheduled": {"start": start, "end": end},
            "updates": [{"body": "Update.", **update} for update in updates],
        }
    )


API_MAJOR = incident(
    "major",
    ["api", "web"],
    {"at": at(14), "status": "investigating"},
    {"at": at(14, 30), "status": "identified", "components": {"api": "major_outage"}},
    {"at": at(15, 10), "status": "monitoring", "components": {"api": "degraded_performance"}},
    {"at": at(16), "status": "resolved"},
)


@pytest.mark.parametrize(
    ("instant", "api", "web"),
    [
        (at(13, 59), OPERATIONAL, OPERATIONAL),  # before the first update
        (at(14), PARTIAL, PARTIAL),  # exactly at the first update: impact major implies partial
        (at(14, 29), PARTIAL, PARTIAL),
        (at(14, 30), MAJOR, PARTIAL),  # an update names api; web keeps the implied state
        (at(15, 10), DEGRADED, PARTIAL),
        (at(15, 59), DEGRADED, PARTIAL),
        (at(16), OPERATIONAL, OPERATIONAL),  # exactly at the resolution
        (at(23), OPERATIONAL, OPERATIONAL),
    ],
)
def test_an_incident_sets_states_from_each_update_at_and_after_its_instant(instant, api, web):
    states = component_states_at([API_MAJOR], ["api", "web", "email"], instant)
    assert states == {"api": api, "web": web, "email": OPERATIONAL}


@pytest.mark.parametrize(
    ("impact", "state"),
    [("none", OPERATIONAL), ("minor", DEGRADED), ("major", PARTIAL), ("critical", MAJOR)],
)
def test_impact_implies_the_state_of_components_no_update_names(impact, state):
    record = incident(impact, ["api"], {"at": at(10), "status": "investigating"})
    assert component_state_at([record], "api", at(11)) is state


def test_a_component_added_under_way_joins_at_the_first_update_naming_it():
    """The first update names api, so web (listed, first named later) was not in the incident
    before then: it joins in the state that update gives, never in the impact's."""
    record = incident(
        "major",
        ["api", "web"],
        {"at": at(9), "status": "investigating", "components": {"api": "major_outage"}},
        {"at": at(11), "status": "identified", "components": {"web": "degraded_performance"}},
    )
    assert incident_states_at(record, at(10)) == {"api": MAJOR}
    assert incident_states_at(record, at(11)) == {"api": MAJOR, "web": DEGRADED}
    assert component_state_at([record], "web", at(10, 59)) is OPERATIONAL


def test_a_component_the_first_update_leaves_unnamed_and_no_update_names_takes_the_impact():
    record = incident(
        "critical",
        ["api", "web"],
        {"at": at(9), "status": "investigating", "components": {"api": "degraded_performance"}},
    )
    assert incident_states_at(record, at(10)) == {"api": DEGRADED, "web": MAJOR}


def test_updates_written_out_of_order_apply_in_time_order():
    record = incident(
        "minor",
        ["api"],
        {"at": at(12), "status": "resolved"},
        {"at": at(10), "status": "investigating", "components": {"api": "major_outage"}},
        {"at": at(11), "status": "monitoring", "components": {"api": "degraded_performance"}},
    )
    assert [u.at.hour for u in record.timeline] == [10, 11, 12]
    assert component_state_at([record], "api", at(10, 30)) is MAJOR
    assert component_state_at([record], "api", at(11, 30)) is DEGRADED
    assert component_state_at([record], "api", at(12)) is OPERATIONAL


def test_offsets_are_compared_as_instants():
    record = incident(
        "critical",
        ["api"],
        {"at": "2026-11-03T10:00:00Z", "status": "investigating"},
        {"at": "2026-11-03T11:30:00+01:00", "status": "resolved"},  # 10:30 UTC
    )
    assert component_state_at([record], "api", at(10, 29)) is MAJOR
    assert component_state_at([record], "api", at(10, 30)) is OPERATIONAL
    assert record.resolved_at == at(10, 30)


def test_overlapping_incidents_give_the_worst_state():
    minor = incident(
        "minor",
        ["api"],
        {"at": at(9), "status": "investigating"},
        {"at": at(13), "status": "resolved"},
        id="minor",
    )
    critical = incident(
        "critical",
        ["api"],
        {"at": at(10), "status": "investigating"},
        {"at": at(11), "status": "resolved"},
        id="critical",
    )
    records = [minor, critical]
    assert component_state_at(records, "api", at(9, 30)) is DEGRADED
    assert component_state_at(records, "api", at(10, 30)) is MAJOR
    assert component_state_at(records, "api", at(11)) is DEGRADED  # the critical one resolved
    assert component_state_at(records, "api", at(13)) is OPERATIONAL


def test_an_update_after_the_resolution_reopens_the_incident():
    record = incident(
        "major",
        ["api"],
        {"at": at(9), "status": "investigating"},
        {"at": at(10), "status": "resolved"},
        {"at": at(11), "status": "investigating"},
    )
    assert component_state_at([record], "api", at(10, 30)) is OPERATIONAL
    assert component_state_at([record], "api", at(11)) is PARTIAL
    assert record.resolved_at is None


def test_an_update_may_set_a_component_back_to_operational_while_the_incident_stays_open():
    record = incident(
        "major",
        ["api"],
        {"at": at(9), "status": "investigating"},
        {"at": at(10), "status": "monitoring", "components": {"api": "operational"}},
    )
    assert record.is_open_at(at(11))
    assert incident_states_at(record, at(11)) == {"api": OPERATIONAL}


def test_a_maintenance_window_starts_inclusive_and_ends_exclusive():
    window = maintenance(at(2), at(4))
    assert component_state_at([window], "api", at(1, 59)) is OPERATIONAL
    assert component_state_at([window], "api", at(2)) is MAINTENANCE
    assert component_state_at([window], "api", at(3, 59)) is MAINTENANCE
    assert component_state_at([window], "api", at(4)) is OPERATIONAL  # has just ended
    assert component_state_at([window], "web", at(3)) is OPERATIONAL  # not in the window


def test_any_incident_state_is_worse_than_maintenance_and_operational_is_not():
    window = maintenance(at(2), at(4))
    slow = incident(
        "minor",
        ["api"],
        {"at": at(3), "status": "investigating"},
        {"at": at(5), "status": "resolved"},
    )
    harmless = incident("none", ["api"], {"at": at(2), "status": "investigating"})
    assert component_state_at([window, slow], "api", at(2, 30)) is MAINTENANCE
    assert component_state_at([window, slow], "api", at(3)) is DEGRADED
    assert component_state_at([window, harmless], "api", at(2, 30)) is MAINTENANCE


def test_a_completed_update_ends_the_window_early_and_in_progress_starts_it_early():
    window = maintenance(
        at(2),
        at(4),
        {"at": at(1, 50), "status": "in_progress"},
        {"at": at(3), "status": "completed"},
    )
    assert window.started_at == at(1, 50)
    assert window.ended_at == at(3)
    assert component_state_at([window], "api", at(1, 50)) is MAINTENANCE
    assert component_state_at([window], "api", at(3)) is OPERATIONAL


@pytest.mark.parametrize(
    ("instant", "status"),
    [(at(1), "scheduled"), (at(2), "in_progress"), (at(3, 30), "verifying"), (at(4), "completed")],
)
def test_a_maintenance_status_follows_the_clock_and_its_updates(instant, status):
    window = maintenance(
        at(2),
        at(4),
        {"at": at(0), "status": "scheduled"},
        {"at": at(3, 20), "status": "verifying"},
    )
    assert window.status_at(instant) == status


def test_states_come_in_the_order_the_components_are_given():
    states = component_states_at([], ["web", "api"], at(12))
    assert list(states) == ["web", "api"]


def test_a_record_naming_an_undeclared_component_does_not_invent_one():
    record = incident("major", ["ghost"], {"at": at(9), "status": "investigating"})
    assert component_states_at([record], ["api"], at(10)) == {"api": OPERATIONAL}


def test_the_example_site_at_its_reference_instant(example_site, example_now):
    states = component_states_at(
        example_site.records, example_site.settings.component_ids, example_now
    )
    assert states.pop("webhooks") is DEGRADED  # the one open incident
    assert set(states.values()) == {OPERATIONAL}
    during_upgrade = datetime(2026, 12, 8, 3, tzinfo=UTC)
    assert component_state_at(example_site.records, "api", during_upgrade) is MAINTENANCE
    assert (
        component_state_at(example_site.records, "api", during_upgrade + timedelta(hours=1))
        is OPERATIONAL
    )
