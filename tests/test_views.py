"""What each page shows, derived in the core from (site, now)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from jinja2 import Environment, FileSystemLoader

from generator.derive.snapshot import derive_snapshot
from generator.load.settings import SiteSettings
from generator.model.components import ComponentState
from generator.model.postmortem import Postmortem
from generator.model.records import Incident, Maintenance, Record
from generator.render.format import format_duration
from generator.render.pages import CompiledTemplates, Renderer
from generator.render.views import COMPONENT_PAGE_RECORDS, RecordPage, SiteViews
from generator.validate.site import Site

SETTINGS = SiteSettings.model_validate(
    {
        "components": [
            {"id": "api", "name": "Public API", "group": "Platform"},
            {"id": "web", "name": "Dashboard", "group": "Platform"},
            {"id": "email", "name": "Email"},
        ],
    }
)
NOW = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


def incident(id: str, impact: str, components: list[str], *updates: tuple[str, str]) -> Incident:
    return Incident.model_validate(
        {
            "id": id,
            "title": f"Title of {id}",
            "impact": impact,
            "components": components,
            "updates": [{"at": at, "status": status, "body": "Text."} for at, status in updates],
        }
    )


def maintenance(id: str, start: str, end: str) -> Maintenance:
    return Maintenance.model_validate(
        {
            "kind": "maintenance",
            "id": id,
            "title": f"Title of {id}",
            "components": ["web"],
            "scheduled": {"start": start, "end": end},
        }
    )


def site(*records) -> Site:
    return Site(SETTINGS, tuple(records))


def views(*records: Record, now: datetime = NOW) -> SiteViews:
    """The views of one build: the snapshot of a site holding ``records`` at ``now``."""
    return SiteViews(derive_snapshot(site(*records), now))


def record_page(record: Record, now: datetime = NOW) -> RecordPage:
    """The page of ``record``, on a site holding only it."""
    built = views(record, now=now)
    return built.record_page(built.snapshot.record(record.id))


def test_a_quiet_site_is_all_operational_with_full_uptime():
    view = views().status_page()
    assert view.overall is ComponentState.OPERATIONAL
    assert view.overall_label == "All systems operational"
    assert view.active_incidents == ()
    assert [group.name for group in view.groups] == ["Platform", None]
    api = view.groups[0].components[0]
    assert (api.component.id, api.state, api.uptime, len(api.cells)) == (
        "api",
        ComponentState.OPERATIONAL,
        1.0,
        90,
    )
    assert api.eventful_days == ()
    assert api.cells[-1].label == ""  # a quiet day: nothing to tell


def test_the_banner_shows_the_worst_state_and_active_incidents_worst_first():
    minor = incident("slow", "minor", ["web"], ("2026-11-10T09:00:00Z", "investigating"))
    critical = incident("down", "critical", ["api"], ("2026-11-10T10:00:00Z", "identified"))
    over = incident(
        "over",
        "major",
        ["api"],
        ("2026-11-09T10:00:00Z", "investigating"),
        ("2026-11-09T11:00:00Z", "resolved"),
    )
    view = views(minor, critical, over).status_page()
    assert view.overall_label == "Major outage"
    assert [i.id for i in view.active_incidents] == ["down", "slow"]


def test_maintenance_is_in_progress_inside_its_window_and_upcoming_before_it():
    now_window = maintenance("now", "2026-11-10T11:00:00Z", "2026-11-10T13:00:00Z")
    later = maintenance("later", "2026-12-01T02:00:00Z", "2026-12-01T04:00:00Z")
    soon = maintenance("soon", "2026-11-20T02:00:00Z", "2026-11-20T04:00:00Z")
    view = views(now_window, later, soon).status_page()
    assert view.overall_label == "Maintenance in progress"
    assert [m.id for m in view.maintenance_in_progress] == ["now"]
    assert [m.id for m in view.upcoming_maintenance] == ["soon", "later"]


def test_a_day_cell_says_when_how_long_how_bad_and_why():
    record = incident(
        "errors",
        "major",
        ["api"],
        ("2026-11-03T14:00:00Z", "investigating"),
        ("2026-11-03T14:47:00Z", "resolved"),
    )
    api = views(record).status_page().groups[0].components[0]
    cell = next(cell for cell in api.cells if cell.day.day == date(2026, 11, 3))
    assert cell.label == "3 Nov 2026: 47 min partial outage: Title of errors"
    assert cell.state is ComponentState.PARTIAL_OUTAGE


def test_the_past_days_list_each_record_once_on_its_latest_day_newest_first():
    across_midnight = incident(
        "late",
        "minor",
        ["api"],
        ("2026-11-08T23:00:00Z", "investigating"),
        ("2026-11-09T01:00:00Z", "resolved"),
    )
    days = derive_snapshot(site(across_midnight), NOW).recent_days
    assert len(days) == 7
    assert [d.day for d in days][:3] == [date(2026, 11, 10), date(2026, 11, 9), date(2026, 11, 8)]
    assert {d.day: [r.id for r in d.records] for d in days if d.records} == {
        date(2026, 11, 9): ["late"],  # it began on 8 November: listed once, where it ended
    }


def test_an_incident_page_has_its_span_worst_states_and_updates_newest_first():
    record = Incident.model_validate(
        {
            "id": "errors",
            "title": "Errors",
            "impact": "major",
            "components": ["api", "web"],
            "updates": [
                {
                    "at": "2026-11-03T14:00:00Z",
                    "status": "investigating",
                    "body": "One.",
                    "components": {"api": "major_outage"},
                },
                {"at": "2026-11-03T15:05:00Z", "status": "resolved", "body": "Two."},
            ],
        }
    )
    view = record_page(record)
    assert view.duration == timedelta(hours=1, minutes=5)
    assert [(a.component.id, a.worst_state, a.current_state) for a in view.affected] == [
        ("api", ComponentState.MAJOR_OUTAGE, ComponentState.OPERATIONAL),
        ("web", ComponentState.PARTIAL_OUTAGE, ComponentState.OPERATIONAL),
    ]
    assert [u.body for u in view.updates] == ["Two.", "One."]


def test_an_open_incident_has_no_end_yet():
    record = incident("open", "minor", ["api"], ("2026-11-10T09:00:00Z", "investigating"))
    view = record_page(record)
    assert (view.ended_at, view.duration) == (None, None)


@pytest.mark.parametrize(
    ("now", "progress"),
    [
        (datetime(2026, 11, 10, 10, tzinfo=UTC), 0.0),
        (datetime(2026, 11, 10, 12, tzinfo=UTC), 0.5),
        (datetime(2026, 11, 10, 15, tzinfo=UTC), 1.0),
    ],
)
def test_a_maintenance_page_shows_how_far_through_its_window_it_is(now, progress):
    record = maintenance("work", "2026-11-10T11:00:00Z", "2026-11-10T13:00:00Z")
    assert record_page(record, now).window_progress == progress


def test_a_maintenance_completed_before_its_window_has_a_full_progress_bar():
    # Found by tests/test_properties.py: the window it took has no length (it ended as it began).
    record = Maintenance.model_validate(
        {
            "kind": "maintenance",
            "id": "done-early",
            "title": "Done early",
            "components": ["web"],
            "scheduled": {"start": "2026-11-10T11:00:00Z", "end": "2026-11-10T13:00:00Z"},
            "updates": [{"at": "2026-11-09T09:00:00Z", "status": "completed", "body": "Done."}],
        }
    )
    view = record_page(record)
    assert (view.started_at, view.window_progress) == (record.ended_at, 1.0)


def test_history_is_newest_first_by_month_in_pages_and_leaves_out_what_has_not_started():
    records = [
        incident(f"r{n}", "minor", ["api"], (f"2026-{month:02d}-0{day}T10:00:00Z", "resolved"))
        for n, (month, day) in enumerate([(9, 1), (9, 2), (10, 1), (10, 2), (11, 1)])
    ]
    upcoming = maintenance("next", "2026-12-01T02:00:00Z", "2026-12-01T04:00:00Z")
    pages = views(*records, upcoming).history_pages(page_size=2)
    assert [(p.number, p.count) for p in pages] == [(1, 3), (2, 3), (3, 3)]
    assert [(m.month, [r.id for r in m.records]) for m in pages[0].months] == [
        (date(2026, 11, 1), ["r4"]),
        (date(2026, 10, 1), ["r3"]),
    ]
    assert [r.id for m in pages[2].months for r in m.records] == ["r0"]


def test_history_of_an_empty_site_is_one_empty_page():
    assert [(p.number, p.months) for p in views().history_pages()] == [(1, ())]


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0 min"),
        (47, "47 min"),
        (60, "1 h"),
        (125, "2 h 5 min"),
        (24 * 60, "1 d"),
        (3 * 24 * 60 + 4 * 60 + 59, "3 d 4 h"),
    ],
)
def test_durations_read_short_and_plain(minutes, text):
    assert format_duration(timedelta(minutes=minutes)) == text


def test_a_component_page_lists_its_latest_records_and_counts_them_all():
    """A component's page stays small however many records touched it: the history has all."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    records = [
        incident(
            f"i{number:03}",
            "minor",
            ["api"],
            ((start + timedelta(days=number)).isoformat(), "investigating"),
            ((start + timedelta(days=number, hours=1)).isoformat(), "resolved"),
        )
        for number in range(COMPONENT_PAGE_RECORDS + 10)
    ]

    page = views(*records).component_page(SETTINGS.components[0])

    assert page.total == COMPONENT_PAGE_RECORDS + 10
    assert [record.id for record in page.records] == [
        f"i{number:03}" for number in reversed(range(10, COMPONENT_PAGE_RECORDS + 10))
    ]  # the latest, newest first
    assert set(page.durations) == {record.id for record in page.records}
    html = Renderer(SETTINGS).component(page, url=lambda path: path)
    assert f"Showing the latest {COMPONENT_PAGE_RECORDS} of {COMPONENT_PAGE_RECORDS + 10}." in html
    assert (
        '<a href="history/index.md">Every incident and maintenance is in the history.</a>' in html
    )


def test_compiled_templates_are_kept_between_processes_and_never_stale(tmp_path):
    """A build compiles each template once, kept on disk for the next process; a template
    that changed since is compiled again."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("first {{ value }}", encoding="utf-8")
    (tmp_path / "code").mkdir()

    def render() -> str:  # as a new process would: a fresh environment and a fresh cache
        cache = CompiledTemplates(str(tmp_path / "code"))
        env = Environment(loader=FileSystemLoader(templates), bytecode_cache=cache)
        return env.get_template("page.html").render(value=1)

    assert render() == "first 1"
    assert len(list((tmp_path / "code").iterdir())) == 1  # the compiled code, on disk
    assert render() == "first 1"  # read back from disk
    (templates / "page.html").write_text("second {{ value }}", encoding="utf-8")
    assert render() == "second 1"


def test_a_post_mortem_names_its_components_still_affected_and_what_holds_them():
    resolved = incident(
        "resolved", "major", ["api", "web"],
        ("2026-11-09T10:00:00Z", "investigating"), ("2026-11-09T11:00:00Z", "resolved"),
    ).model_copy(
        update={"postmortem": Postmortem.model_validate(
            {"stage": "immediate", "published": {"immediate": "2026-11-09T12:00:00Z"}}
        )}
    )  # fmt: skip
    still_open = incident("open", "major", ["api"], ("2026-11-10T09:00:00Z", "identified"))
    built = views(resolved, still_open)

    page = built.postmortem_page(built.snapshot.record("resolved"))

    # The dashboard is operational again; the API is still down, held by the open incident.
    assert [(entry.component.id, entry.state, [r.id for r in entry.records])
            for entry in page.still_affected] == [
        ("api", ComponentState.PARTIAL_OUTAGE, ["open"])
    ]  # fmt: skip
    alone = views(resolved)
    assert alone.postmortem_page(alone.snapshot.record("resolved")).still_affected == ()
