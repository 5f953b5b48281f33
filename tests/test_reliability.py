"""The reliability report: figures over the last 12 months, from records with known answers.

The sites here are small and built from models, so each figure can be worked out by hand: an
outage of 3 hours in June (30 days, 720 hours) costs 3/720 of that month's uptime; three
incidents resolved in 10, 20 and 60 minutes have a median of 20 and a 90th percentile (nearest
rank) of 60.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import lxml.html
import pytest
from pydantic import ValidationError

from conftest import flare
from generator.derive.metrics import Metric
from generator.derive.reliability import (
    ReliabilityReport,
    ReliabilityReports,
    median,
    nearest_rank,
)
from generator.derive.snapshot import derive_snapshot
from generator.derive.uptime import uptime_ratio
from generator.errors import InvalidSite
from generator.load.settings import SiteSettings
from generator.model.components import Component
from generator.model.postmortem import ResponderRole
from generator.model.records import Impact, Incident, Maintenance
from generator.render.format import (
    format_hours,
    format_money,
    format_month,
    format_rate,
    metric_source,
)
from generator.render.links import reliability_page_path
from generator.render.pages import Renderer
from generator.validate.site import Site, load_site

COMPONENTS = [
    {"id": "api", "name": "Public API"},
    {"id": "web", "name": "Dashboard"},
    {"id": "email", "name": "Email"},
]
SETTINGS = SiteSettings.model_validate({"components": COMPONENTS})
NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
WINDOW_START = datetime(2025, 12, 1, tzinfo=UTC)


def minutes(count: float) -> timedelta:
    return timedelta(minutes=count)


def incident(
    id: str,
    impact: str,
    components: list[str],
    start: str,
    end: str | None = None,
    *,
    states: dict[str, str] | None = None,
    postmortem: dict[str, Any] | None = None,
) -> Incident:
    """An incident from ``start`` to ``end`` (open when None); ``states`` set at the start."""
    updates = [
        {"at": start, "status": "investigating", "components": states or {}, "body": "Looking."}
    ]
    if end is not None:
        updates.append({"at": end, "status": "resolved", "body": "Fixed."})
    data = {"id": id, "title": f"Title of {id}", "impact": impact, "components": components}
    return Incident.model_validate({**data, "updates": updates, "postmortem": postmortem})


def postmortem(
    published: str = "2026-10-01T12:00:00Z", stage: str = "24h", **fields: Any
) -> dict[str, Any]:
    """A post-mortem whose stages up to ``stage`` were all published at ``published``."""
    stages = ["immediate", "24h", "analysis"]
    reached = stages[: stages.index(stage) + 1]
    return {"stage": stage, "published": dict.fromkeys(reached, published), **fields}


def milestones(**marks: str) -> list[dict[str, str]]:
    return [{"at": at, "text": name, "milestone": name} for name, at in marks.items()]


def action(title: str, **fields: Any) -> dict[str, Any]:
    item = {"title": title, "type": "prevent", "priority": "P1", "owner": "Priya N."}
    return {**item, "ticket": f"https://tracker.example.com/{title.replace(' ', '-')}", **fields}


def site(*records: Incident | Maintenance, **settings: Any) -> Site:
    return Site(SiteSettings.model_validate({"components": COMPONENTS, **settings}), records)


def reliability_report(
    site: Site, now: datetime, component: Component | None = None
) -> ReliabilityReport:
    """The report as a build makes it: from the snapshot of ``site`` at ``now``."""
    return derive_snapshot(site, now).reliability.report(component)


def month(report: ReliabilityReport, first: date):
    (found,) = [figures for figures in report.months if figures.month == first]
    return found


# -- the window ---------------------------------------------------------------------------------
def test_the_window_is_twelve_calendar_months_ending_with_the_current_month_so_far():
    report = reliability_report(site(), NOW)

    assert [format_month(figures.month) for figures in report.months] == [
        "Dec 2025", "Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026", "May 2026",
        "Jun 2026", "Jul 2026", "Aug 2026", "Sep 2026", "Oct 2026", "Nov 2026",
    ]  # fmt: skip
    assert report.window_start == WINDOW_START
    assert [figures.partial for figures in report.months] == [False] * 11 + [True]
    assert report.months[-1].end == NOW
    assert report.months[0].end == datetime(2026, 1, 1, tzinfo=UTC)


def test_months_run_midnight_to_midnight_in_the_sites_timezone():
    report = reliability_report(site(timezone="Europe/Paris"), NOW)

    assert report.window_start == datetime(2025, 11, 30, 23, 0, tzinfo=UTC)
    # Summer time: April starts at 22:00 UTC the day before.
    assert month(report, date(2026, 4, 1)).start == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)


def test_a_quiet_year_is_all_up_with_no_incidents_and_no_figures():
    report = reliability_report(site(), NOW)

    assert report.uptime == 1.0
    assert [figures.uptime for figures in report.months] == [1.0] * 12
    assert report.incidents == ()
    assert all(row.overall.n == 0 and row.overall.median is None for row in report.durations)
    assert [row.mtbf for row in report.reliability] == [None, None, None]
    assert report.open_action_items == ()
    assert report.cost is None


# -- uptime ---------------------------------------------------------------------------------------
def test_a_month_with_a_known_outage_loses_exactly_its_share_of_uptime():
    # 3 hours of major outage on the API in June: 30 days, 720 hours.
    outage = incident("june", "critical", ["api"], "2026-06-10T10:00:00Z", "2026-06-10T13:00:00Z")
    report = reliability_report(site(outage), NOW)

    june = month(report, date(2026, 6, 1))
    assert june.component_uptime == {
        "api": pytest.approx(1 - 3 / 720),
        "web": 1.0,
        "email": 1.0,
    }
    assert june.uptime == pytest.approx(1 - 1 / 720)  # the mean of the three components
    assert month(report, date(2026, 5, 1)).uptime == 1.0
    window_hours = (NOW - WINDOW_START) / timedelta(hours=1)
    assert report.reliability[0].uptime == pytest.approx(1 - 3 / window_hours)
    assert report.uptime == pytest.approx(1 - 1 / window_hours)


def test_monthly_uptime_follows_the_status_pages_rule_partial_outage_and_degradation():
    partial = incident("partial", "major", ["web"], "2026-07-01T00:00:00Z", "2026-07-01T10:00:00Z")
    slow = incident("slow", "minor", ["web"], "2026-07-02T00:00:00Z", "2026-07-02T10:00:00Z")
    snapshot = derive_snapshot(site(partial, slow), NOW)
    report = snapshot.reliability.report()

    july = month(report, date(2026, 7, 1))
    # 10 hours of partial outage count 0.3 each; degraded performance counts as up. 744 hours.
    assert july.component_uptime["web"] == pytest.approx(1 - 3 / 744)
    # The same figure as the days of the status page's uptime bars, summed over July.
    days = snapshot.days["web"]
    in_july = [day for day in days if (day.day.year, day.day.month) == (2026, 7)]
    assert july.component_uptime["web"] == pytest.approx(uptime_ratio(in_july))


def test_an_outage_across_the_end_of_a_month_is_split_between_the_two():
    outage = incident("night", "critical", ["api"], "2026-09-30T23:00:00Z", "2026-10-01T01:00:00Z")
    report = reliability_report(site(outage), NOW)

    assert month(report, date(2026, 9, 1)).component_uptime["api"] == pytest.approx(1 - 1 / 720)
    assert month(report, date(2026, 10, 1)).component_uptime["api"] == pytest.approx(1 - 1 / 744)


def test_the_current_month_counts_only_up_to_now():
    # 14.5 days of November have passed; an hour's outage is 1/348 of it.
    outage = incident("today", "critical", ["api"], "2026-11-15T10:00:00Z", "2026-11-15T11:00:00Z")
    report = reliability_report(site(outage), NOW)

    assert report.months[-1].component_uptime["api"] == pytest.approx(1 - 1 / 348)


# -- incidents per month --------------------------------------------------------------------------
def test_incidents_count_in_the_month_of_their_first_update_by_impact():
    records = [
        incident("feb-minor", "minor", ["api"], "2026-02-03T10:00:00Z", "2026-02-03T11:00:00Z"),
        incident("feb-major", "major", ["web"], "2026-02-20T10:00:00Z", "2026-02-20T11:00:00Z"),
        incident("feb-none", "none", [], "2026-02-25T10:00:00Z", "2026-02-25T11:00:00Z"),
        # Begins in March, resolved in April: a March incident.
        incident("mar-crit", "critical", ["api"], "2026-03-31T23:00:00Z", "2026-04-01T01:00:00Z"),
        incident("nov-open", "major", ["email"], "2026-11-14T09:00:00Z"),
        # Before the window, and maintenance: neither counts.
        incident("old", "major", ["api"], "2025-11-20T10:00:00Z", "2025-11-20T11:00:00Z"),
        Maintenance.model_validate(
            {
                "kind": "maintenance",
                "id": "upgrade",
                "title": "Upgrade",
                "components": ["api"],
                "scheduled": {"start": "2026-05-01T02:00:00Z", "end": "2026-05-01T04:00:00Z"},
            }
        ),
    ]
    report = reliability_report(site(*records), NOW)

    counts = {format_month(figures.month): figures.incident_count for figures in report.months}
    assert counts["Feb 2026"] == 3 and counts["Mar 2026"] == 1 and counts["Apr 2026"] == 0
    assert counts["Nov 2026"] == 1 and counts["May 2026"] == 0
    assert month(report, date(2026, 2, 1)).incidents == {
        Impact.NONE: 1,
        Impact.MINOR: 1,
        Impact.MAJOR: 1,
        Impact.CRITICAL: 0,
    }
    assert report.incidents_by_impact == {
        Impact.NONE: 1,
        Impact.MINOR: 1,
        Impact.MAJOR: 2,
        Impact.CRITICAL: 1,
    }
    assert [i.id for i in report.open_incidents] == ["nov-open"]


def test_an_incident_counts_in_its_month_in_the_sites_timezone():
    # 23:30 UTC on 31 March is 01:30 on 1 April in Paris.
    late = incident("late", "minor", ["api"], "2026-03-31T23:30:00Z", "2026-04-01T00:30:00Z")

    in_utc = reliability_report(site(late), NOW)
    in_paris = reliability_report(site(late, timezone="Europe/Paris"), NOW)

    assert month(in_utc, date(2026, 3, 1)).incident_count == 1
    assert month(in_paris, date(2026, 3, 1)).incident_count == 0
    assert month(in_paris, date(2026, 4, 1)).incident_count == 1


# -- durations ------------------------------------------------------------------------------------
def test_median_and_nearest_rank_90th_percentile():
    values = [minutes(n) for n in (60, 10, 20)]
    assert (median(values), nearest_rank(values, 90)) == (minutes(20), minutes(60))
    # Rank ⌈0.9 × 10⌉ = 9 of ten values, ⌈0.9 × 11⌉ = 10 of eleven, ⌈0.9 × 20⌉ = 18 of twenty.
    assert nearest_rank([minutes(n) for n in range(1, 11)], 90) == minutes(9)
    assert nearest_rank([minutes(n) for n in range(1, 12)], 90) == minutes(10)
    assert nearest_rank([minutes(n) for n in range(1, 21)], 90) == minutes(18)
    # An even count: the mean of the two middle values.
    assert median([minutes(n) for n in (10, 20, 30, 40)]) == minutes(25)
    assert median([]) is None and nearest_rank([], 90) is None


def test_time_to_resolve_by_impact_from_the_updates_median_and_90th_percentile():
    def resolved_in(id: str, impact: str, duration: int) -> Incident:
        end = datetime(2026, 3, 2, 10, tzinfo=UTC) + minutes(duration)
        return incident(id, impact, ["api"], "2026-03-02T10:00:00Z", end.isoformat())

    records = [
        resolved_in("a", "minor", 10),
        resolved_in("b", "minor", 20),
        resolved_in("c", "minor", 60),
        resolved_in("d", "major", 30),
        resolved_in("e", "major", 50),
    ]
    report = reliability_report(site(*records), NOW)

    minor = report.time_to_resolve.by_impact[Impact.MINOR]
    assert (minor.median, minor.p90, minor.n) == (minutes(20), minutes(60), 3)
    major = report.time_to_resolve.by_impact[Impact.MAJOR]
    assert (major.median, major.p90, major.n) == (minutes(40), minutes(50), 2)
    assert report.time_to_resolve.by_impact[Impact.CRITICAL].n == 0
    overall = report.time_to_resolve.overall
    assert (overall.median, overall.p90, overall.n) == (minutes(30), minutes(60), 5)
    assert overall.from_updates == 5


def test_milestones_give_every_metric_and_time_to_resolve_falls_back_to_the_updates():
    # The updates run 10:05 to 10:40, but the impact began at 09:50 and was resolved at 11:00.
    timeline = milestones(
        impact_started="2026-03-02T09:50:00Z",
        detected="2026-03-02T10:00:00Z",
        mitigated="2026-03-02T10:30:00Z",
        resolved="2026-03-02T11:00:00Z",
    )
    with_postmortem = incident(
        "marked",
        "major",
        ["api"],
        "2026-03-02T10:05:00Z",
        "2026-03-02T10:40:00Z",
        postmortem=postmortem(timeline=timeline),
    )
    # Milestones are marked, but the post-mortem is not published yet: none of it counts.
    draft = incident(
        "draft",
        "major",
        ["api"],
        "2026-04-02T10:00:00Z",
        "2026-04-02T10:20:00Z",
        postmortem=postmortem(published="2026-12-01T00:00:00Z", timeline=timeline),
    )
    plain = incident("plain", "major", ["api"], "2026-05-02T10:00:00Z", "2026-05-02T10:45:00Z")
    report = reliability_report(site(with_postmortem, draft, plain), NOW)

    rows = {row.metric: row.by_impact[Impact.MAJOR] for row in report.durations}
    assert list(rows) == [Metric.TIME_TO_DETECT, Metric.TIME_TO_MITIGATE, Metric.TIME_TO_RESOLVE]
    assert (rows[Metric.TIME_TO_DETECT].values, rows[Metric.TIME_TO_DETECT].from_updates) == (
        (minutes(10),),
        0,
    )
    assert rows[Metric.TIME_TO_MITIGATE].values == (minutes(40),)
    resolve = rows[Metric.TIME_TO_RESOLVE]
    assert resolve.values == (minutes(20), minutes(45), minutes(70))
    assert resolve.from_updates == 2
    assert "for 1 incident;" in metric_source(report.time_to_resolve)
    assert "for 2 incidents without those milestones" in metric_source(report.time_to_resolve)


def test_an_open_incident_has_no_time_to_resolve():
    still_open = incident("open", "critical", ["api"], "2026-11-15T09:00:00Z")
    report = reliability_report(site(still_open), NOW)

    assert report.time_to_resolve.overall.n == 0
    assert report.open_incidents == (still_open,)


# -- mean time between failures ----------------------------------------------------------------
def test_mtbf_is_time_up_over_the_outages_and_degradation_is_not_a_failure():
    records = [
        # Major outage for 2 hours: 2 hours down.
        incident("down", "critical", ["api"], "2026-02-01T10:00:00Z", "2026-02-01T12:00:00Z"),
        # Partial outage for 10 hours: 3 hours down.
        incident("partly", "major", ["api"], "2026-06-01T00:00:00Z", "2026-06-01T10:00:00Z"),
        # Only slow: not a failure, and no downtime.
        incident("slow", "minor", ["api"], "2026-08-01T00:00:00Z", "2026-08-01T10:00:00Z"),
        # A minor incident whose update reports a partial outage of the API: a failure.
        incident(
            "worse",
            "minor",
            ["api", "web"],
            "2026-09-01T00:00:00Z",
            "2026-09-01T01:00:00Z",
            states={"api": "partial_outage"},
        ),
    ]
    report = reliability_report(site(*records), NOW)

    api, web, email = report.reliability
    window = NOW - WINDOW_START
    downtime = timedelta(hours=2) + timedelta(hours=3) + timedelta(minutes=18)
    assert api.downtime == downtime
    assert api.failures == ("down", "partly", "worse")
    assert api.mtbf == (window - downtime) / 3
    # The dashboard was only degraded by "worse": up all along, and no failure.
    assert (web.downtime, web.failures, web.mtbf) == (timedelta(0), (), None)
    assert email.time_up == window


def test_an_outage_that_began_before_the_window_costs_uptime_but_is_not_counted_a_failure():
    earlier = incident(
        "earlier", "critical", ["api"], "2025-11-30T22:00:00Z", "2025-12-01T02:00:00Z"
    )
    report = reliability_report(site(earlier), NOW)

    api = report.reliability[0]
    assert api.downtime == timedelta(hours=2)
    assert (api.failures, api.mtbf) == ((), None)


# -- open action items ---------------------------------------------------------------------------
def test_open_action_items_overdue_first_then_by_due_date_with_their_incident():
    # Today is 15 Nov 2026.
    storage = incident(
        "storage",
        "critical",
        ["api"],
        "2026-08-04T10:00:00Z",
        "2026-08-04T12:00:00Z",
        postmortem=postmortem(
            action_items=[
                action("later", due="2027-01-29"),
                action("done", due="2026-09-01", status="done"),
                action("overdue-oct", due="2026-10-30", status="in_progress"),
                action("no-date", priority="P3"),
                action("secret", due="2026-09-01", internal=True),
            ]
        ),
    )
    email = incident(
        "email",
        "major",
        ["email"],
        "2026-10-27T10:00:00Z",
        "2026-10-27T12:00:00Z",
        postmortem=postmortem(
            published="2026-10-28T12:00:00Z",
            action_items=[
                action("soon", due="2026-12-04"),
                action("overdue-sep", due="2026-09-15", owner=None),
                action("due-today", due="2026-11-15"),
                action("dropped", status="wont_fix", ticket=None, reason="Superseded."),
            ],
        ),
    )
    report = reliability_report(site(storage, email), NOW)

    listed = [
        (entry.item.title, entry.incident.id, entry.overdue) for entry in report.open_action_items
    ]
    assert listed == [
        ("overdue-sep", "email", True),
        ("overdue-oct", "storage", True),
        ("due-today", "email", False),  # due today is not overdue yet
        ("soon", "email", False),
        ("later", "storage", False),
        ("no-date", "storage", False),
    ]
    assert report.overdue_count == 2


def test_action_items_of_a_post_mortem_not_yet_out_at_the_summary_stage_are_not_listed():
    # The first account (immediate) does not publish action items; the summary (24h) does.
    first_account = incident(
        "early",
        "major",
        ["api"],
        "2026-11-14T10:00:00Z",
        "2026-11-14T11:00:00Z",
        postmortem=postmortem(
            published="2026-11-14T12:00:00Z",
            stage="immediate",
            action_items=[action("not-yet", due="2026-11-01")],
        ),
    )
    assert reliability_report(site(first_account), NOW).open_action_items == ()


# -- cost ------------------------------------------------------------------------------------------
def test_cost_is_the_post_mortems_person_hours_times_the_hourly_rate():
    effort = [
        {"phase": "diagnose", "minutes": 90, "people": 2},  # 3 person-hours
        {"phase": "communicate", "minutes": 30},  # 0.5
    ]
    june = incident(
        "june",
        "major",
        ["api"],
        "2026-06-10T10:00:00Z",
        "2026-06-10T11:00:00Z",
        postmortem=postmortem(effort=effort),
    )
    july = incident(
        "july",
        "minor",
        ["web"],
        "2026-07-10T10:00:00Z",
        "2026-07-10T11:00:00Z",
        postmortem=postmortem(effort=[{"phase": "implement_fix", "minutes": 60, "people": 3}]),
    )
    no_effort = incident("quiet", "minor", ["web"], "2026-07-20T10:00:00Z", "2026-07-20T11:00:00Z")
    records = (june, july, no_effort)

    report = reliability_report(site(*records, hourly_rate=120, currency="EUR"), NOW)

    assert month(report, date(2026, 6, 1)).person_hours == pytest.approx(3.5)
    assert month(report, date(2026, 6, 1)).cost == pytest.approx(420)
    assert month(report, date(2026, 7, 1)).cost == pytest.approx(360)
    assert month(report, date(2026, 8, 1)).cost == 0
    cost = report.cost
    assert cost is not None
    assert (cost.person_hours, cost.cost) == (pytest.approx(6.5), pytest.approx(780))
    assert (cost.incidents_with_effort, cost.incidents) == (2, 3)
    assert (
        format_money(cost.cost, cost.currency),
        format_rate(cost.hourly_rate, cost.currency),
        format_hours(cost.person_hours),
    ) == (
        "780 EUR",
        "120 EUR",
        "6.5",
    )
    # Without a rate there is no cost, though the effort is still known.
    unpriced = reliability_report(site(*records), NOW)
    assert unpriced.cost is None
    assert month(unpriced, date(2026, 6, 1)).cost is None
    assert month(unpriced, date(2026, 6, 1)).person_hours == pytest.approx(3.5)


def test_the_hourly_rate_is_a_non_negative_number():
    assert (SETTINGS.hourly_rate, SETTINGS.currency) == (0, "USD")
    for wrong in (-1, True, "120", float("inf")):
        with pytest.raises(ValidationError):
            SiteSettings.model_validate({"components": COMPONENTS, "hourly_rate": wrong})


def test_a_negative_hourly_rate_in_mkdocs_yml_points_at_its_line(site_folder):
    text = site_folder.config.read_text()
    site_folder.config.write_text(
        text.replace("  - flare:\n", "  - flare:\n      hourly_rate: -5\n")
    )

    with pytest.raises(InvalidSite) as caught:
        load_site(site_folder.config, NOW)

    (error,) = caught.value.errors
    assert error.field == "plugins[0].flare.hourly_rate"
    assert error.position is not None and error.position.line == 8


def test_the_plugin_accepts_the_cost_settings(site_folder):
    text = site_folder.config.read_text()
    site_folder.config.write_text(
        text.replace("  - flare:\n", "  - flare:\n      hourly_rate: 95.5\n      currency: EUR\n")
    )

    result = flare("build", str(site_folder.root), "-d", str(site_folder.root / "out"))

    assert result.returncode == 0, result.stderr
    assert load_site(site_folder.config, NOW).settings.hourly_rate == 95.5


# -- a component's report ------------------------------------------------------------------------
def test_a_components_report_counts_only_the_records_that_list_it():
    records = [
        incident("api-down", "critical", ["api"], "2026-02-01T10:00:00Z", "2026-02-01T12:00:00Z"),
        incident(
            "both",
            "major",
            ["api", "web"],
            "2026-03-01T10:00:00Z",
            "2026-03-01T11:00:00Z",
            postmortem=postmortem(
                effort=[{"phase": "implement_fix", "minutes": 120}],
                action_items=[action("shared", due="2026-12-01")],
            ),
        ),
        incident(
            "api-only",
            "minor",
            ["api"],
            "2026-04-01T10:00:00Z",
            "2026-04-01T10:30:00Z",
            postmortem=postmortem(action_items=[action("api-item", due="2026-12-02")]),
        ),
    ]
    test_site = site(*records, hourly_rate=100)
    reports = ReliabilityReports(derive_snapshot(test_site, NOW))
    web = reports.report(test_site.settings.component("web"))

    assert [i.id for i in web.incidents] == ["both"]
    assert [row.component.id for row in web.reliability] == ["web"]
    assert web.reliability[0].failures == ("both",)
    assert [m.component_uptime.keys() for m in web.months][0] == {"web"}
    assert month(web, date(2026, 2, 1)).uptime == 1.0  # the API's outage is not the dashboard's
    assert month(web, date(2026, 3, 1)).uptime == pytest.approx(1 - 0.3 / 744)
    assert [entry.item.title for entry in web.open_action_items] == ["shared"]
    assert web.cost is not None and web.cost.cost == pytest.approx(200)

    whole = reports.report()
    assert [i.id for i in whole.incidents] == ["api-down", "both", "api-only"]
    assert [entry.item.title for entry in whole.open_action_items] == ["shared", "api-item"]


# -- the page ------------------------------------------------------------------------------------
def render(report: ReliabilityReport, settings: SiteSettings = SETTINGS) -> lxml.html.HtmlElement:
    html = Renderer(settings).reliability(report, url=lambda path: path)
    return lxml.html.fragment_fromstring(html, create_parent="div")


def text(element) -> str:
    return " ".join(element.text_content().split())


OPS_414 = "https://tracker.example.com/browse/OPS-414"


def example_site(**settings: Any) -> Site:
    timeline = milestones(
        impact_started="2026-08-04T09:50:00Z",
        detected="2026-08-04T10:00:00Z",
        mitigated="2026-08-04T10:40:00Z",
        resolved="2026-08-04T12:00:00Z",
    )
    storage = incident(
        "storage",
        "critical",
        ["api"],
        "2026-08-04T10:00:00Z",
        "2026-08-04T12:00:00Z",
        postmortem=postmortem(
            timeline=timeline,
            action_items=[
                action("Rehearse the runbook", due="2026-10-30", ticket=OPS_414),
                action("Back off", due="2026-12-15", owner=None),
            ],
            effort=[{"phase": "diagnose", "minutes": 120, "people": 3}],
        ),
    )
    slow = incident("slow", "minor", ["web"], "2026-09-08T10:00:00Z", "2026-09-08T10:30:00Z")
    return site(storage, slow, **settings)


def test_the_page_has_its_sections_in_the_order_a_reader_needs_them():
    page = render(reliability_report(example_site(hourly_rate=150), NOW))

    assert [text(h) for h in page.xpath(".//h2")] == [
        "Uptime per month",
        "Incidents per month, by impact",
        "Time to detect, mitigate and resolve",
        "Mean time between failures",
        "Open action items",
        "Recurring incidents",
        "Cost of incidents",
    ]
    facts = {text(div.find("dt")): text(div.find("dd")) for div in page.xpath(".//dl/div")}
    assert facts["Incidents"] == "2"
    assert facts["Median time to resolve"] == "1 h 20 min (2 incidents)"
    assert "MTTR" not in text(page)


def test_the_page_shows_every_figure_with_its_full_name_and_count():
    page = render(reliability_report(example_site(), NOW))

    (table,) = page.xpath(".//table[caption[contains(., 'durations by impact')]]")
    headers = [text(th) for th in table.xpath("./thead/tr/th")]
    assert headers == [
        "Metric",
        "All incidents",
        "Critical impact",
        "Major impact",
        "Minor impact",
        "No impact",
    ]
    rows = {
        text(row.find("th")): [text(td) for td in row.findall("td")]
        for row in table.xpath("./tbody/tr")
    }
    assert list(rows) == ["Time to detect", "Time to mitigate", "Time to resolve"]
    assert rows["Time to detect"][1] == "Median 10 min 90th percentile 10 min 1 incident"
    assert rows["Time to resolve"][1] == "Median 2 h 10 min 90th percentile 2 h 10 min 1 incident"
    assert rows["Time to resolve"][3] == (
        "Median 30 min 90th percentile 30 min 1 incident, 1 from updates"
    )
    assert rows["Time to mitigate"][2] == "No incidents"
    notes = text(page.xpath(".//ul[@class='flare-notes']")[0])
    assert "nearest rank" in notes and "from the updates" in notes


def test_the_page_flags_overdue_action_items_in_words_and_links_their_incidents():
    page = render(reliability_report(example_site(), NOW))

    (table,) = page.xpath(".//table[caption[contains(., 'open action items')]]")
    rows = table.xpath("./tbody/tr")
    assert [text(row.findall("td")[0]) for row in rows] == [
        "Overdue: was due 30 Oct 2026",
        "15 Dec 2026",
    ]
    assert [text(row.findall("td")[3]) for row in rows] == ["Priya N.", "No owner"]
    links = rows[0].findall("td")[2].xpath(".//a/@href")
    assert links == ["incidents/storage.md", "incidents/storage/postmortem.md"]
    (ticket,) = rows[0].findall("td")[4].xpath(".//a")
    assert (ticket.get("href"), text(ticket)) == (OPS_414, "OPS-414")


def test_the_cost_section_appears_only_with_an_hourly_rate():
    without = render(reliability_report(example_site(), NOW))
    assert "Cost of incidents" not in text(without)

    priced = render(reliability_report(example_site(hourly_rate=150), NOW))
    (table,) = priced.xpath(".//table[caption[contains(., 'cost of incidents per month')]]")
    august = table.xpath("./tbody/tr[th[starts-with(., 'Aug 2026')]]/td")
    assert [text(td) for td in august] == ["6.0", "0.0", "900 USD"]
    assert [text(td) for td in table.xpath("./tfoot/tr/td")] == ["6.0", "0.0", "900 USD"]
    (costliest,) = priced.xpath(".//table[caption[contains(., 'costliest incidents')]]")
    rows = [[text(cell) for cell in row] for row in costliest.xpath("./tbody/tr")]
    assert rows == [
        ["Title of storage", "6.0", "0.0", "0.0", "900 USD"]
    ]  # the slow one cost nothing


def test_phases_a_post_mortem_records_nothing_for_cost_the_sites_defaults_marked_as_such():
    defaults = {"respond": 10, "wrap_up": 15, "diagnose": 45, "refocus": 20}
    recorded = incident(
        "recorded",
        "major",
        ["api"],
        "2026-06-10T10:00:00Z",
        "2026-06-10T11:00:00Z",
        postmortem=postmortem(
            effort=[
                {"phase": "diagnose", "minutes": 30, "people": 3},  # 90 person-minutes
                {"phase": "diagnose", "minutes": 15},  # and 15 more: 105 in all
                {"phase": "communicate", "minutes": 20, "people": 2},  # 40, no default
            ]
        ),
    )
    unrecorded = incident("bare", "minor", ["web"], "2026-06-20T10:00:00Z", "2026-06-20T10:30:00Z")
    test_site = site(recorded, unrecorded, hourly_rate=120, effort_defaults=defaults)
    report = reliability_report(test_site, NOW)

    # recorded: defaults for respond 10, wrap_up 15, refocus 20 (45); recorded diagnose 105 and
    # communicate 40 (145): 190 person-minutes. bare: every default, 10 + 15 + 45 + 20 = 90.
    june = month(report, date(2026, 6, 1))
    assert june.person_hours == pytest.approx(280 / 60)
    assert june.estimated_hours == pytest.approx(135 / 60)
    assert june.cost == pytest.approx(280 / 60 * 120)  # 560
    cost = report.cost
    assert cost is not None
    assert [c.incident.id for c in cost.costliest] == ["recorded", "bare"]
    first = cost.costliest[0]
    assert [(p.phase.value, p.person_minutes, p.recorded) for p in first.phases] == [
        ("respond", 10, False),
        ("wrap_up", 15, False),
        ("diagnose", 105, True),
        ("communicate", 40, True),
        ("refocus", 20, False),
    ]
    assert first.interrupt_hours == pytest.approx(35 / 60)  # wrapping up and refocusing
    assert cost.interrupt_hours == pytest.approx(70 / 60)
    assert (cost.incidents_with_effort, cost.incidents) == (1, 2)


def test_an_effort_phase_is_one_of_the_known_phases_and_the_error_lists_them(site_folder):
    site_folder.record(
        "2026/2026-06-10-outage.yaml",
        """\
        title: Outage
        impact: major
        components: [api]
        updates:
          - at: 2026-06-10T10:00:00Z
            status: investigating
            body: Looking.
          - at: 2026-06-10T11:00:00Z
            status: resolved
            body: Fixed.
        postmortem:
          stage: immediate
          effort:
            - phase: firefighting
              minutes: 30
        """,
    )
    result = flare("validate", str(site_folder.root))

    assert result.returncode == 1
    assert (
        "2026-06-10-outage.yaml:14:14: error: postmortem.effort[0].phase: found 'firefighting'; "
        "allowed: respond, wrap_up, classify, gather"
    ) in result.stdout + result.stderr


def test_the_site_report_and_the_component_reports_link_to_each_other():
    test_site = example_site()
    reports = ReliabilityReports(derive_snapshot(test_site, NOW))

    whole = render(reports.report())
    assert whole.xpath(".//nav//a/@href") == [
        "reliability/api.md",
        "reliability/web.md",
        "reliability/email.md",
    ]
    api = render(reports.report(test_site.settings.component("api")))
    assert text(api.find(".//h1")) == "Public API: reliability"
    assert reliability_page_path() in api.xpath(".//a/@href")
    assert "components/api.md" in api.xpath(".//a/@href")
    assert reliability_page_path("api") == "reliability/api.md"


def test_who_carried_the_load_counts_each_known_role_and_the_teams_own_together():
    def responders(*pairs: tuple[str, str]) -> list[dict[str, str]]:
        return [{"name": name, "role": role} for name, role in pairs]

    first = incident(
        "first", "major", ["api"], "2026-06-10T10:00:00Z", "2026-06-10T11:00:00Z",
        postmortem=postmortem(responders=responders(
            ("Ana", "incident command"), ("Lee", "operations (storage)"),
            ("Jo", "vendor liaison"),
        )),
    )  # fmt: skip
    second = incident(
        "second", "minor", ["web"], "2026-07-10T10:00:00Z", "2026-07-10T11:00:00Z",
        postmortem=postmortem(responders=responders(
            ("Lee", "Incident command"), ("Sam", "operations"), ("Kim", "communications"),
            ("Max", "customer success"),
        )),
    )  # fmt: skip
    report = reliability_report(site(first, second), NOW)

    # incident command: Ana and Lee; operations: Lee and Sam; communication: Kim; the team's
    # own (vendor liaison, customer success): Jo and Max.
    assert [(load.role, load.responses, load.people) for load in report.role_load] == [
        (ResponderRole.INCIDENT_COMMAND, 2, 2),
        (ResponderRole.COMMUNICATION, 1, 1),
        (ResponderRole.OPERATIONS, 2, 2),
        (None, 2, 2),
    ]


def test_a_default_for_an_unknown_phase_is_refused_at_its_key_with_the_phases(site_folder):
    config = site_folder.config.read_text(encoding="utf-8")
    site_folder.config.write_text(
        config.replace(
            "  - flare:\n", "  - flare:\n      effort_defaults:\n        firefight: 30\n"
        ),
        encoding="utf-8",
    )
    result = flare("validate", str(site_folder.root))

    assert result.returncode == 1
    assert (
        "mkdocs.yml:9:9: error: plugins[0].flare.effort_defaults.firefight: found 'firefight'; "
        "allowed: respond, wrap_up, classify,"
    ) in result.stdout + result.stderr
