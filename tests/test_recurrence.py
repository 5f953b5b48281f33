"""Incidents that come back and the kinds of cause that recur, counted by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from generator.derive.recurrence import recurrences, recurring_categories
from generator.derive.snapshot import derive_snapshot
from generator.load.settings import SiteSettings
from generator.model.postmortem import FactorCategory, Postmortem
from generator.model.records import Incident
from generator.validate.site import Site

NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
COMPONENTS = [{"id": "search", "name": "Search"}, {"id": "api", "name": "Public API"}]


def incident(id: str, start: str, component: str = "search") -> Incident:
    updates = [
        {"at": start, "status": "investigating", "body": "Looking."},
        {"at": start.replace("T10:", "T11:"), "status": "resolved", "body": "Fixed."},
    ]
    return Incident.model_validate(
        {"id": id, "title": f"Title of {id}", "impact": "minor", "components": [component],
         "updates": updates}
    )  # fmt: skip


def postmortem(**fields: Any) -> Postmortem:
    published = dict.fromkeys(["immediate", "24h", "analysis"], "2026-11-14T12:00:00Z")
    return Postmortem.model_validate({"stage": "analysis", "published": published, **fields})


def factors(*categories: str) -> list[dict[str, str]]:
    return [
        {"text": f"A {category} circumstance.", "category": category} for category in categories
    ]


def item(title: str, type: str, status: str = "open") -> dict[str, str]:
    ticket = f"https://tracker.example.com/{title}"
    return {"title": title, "type": type, "priority": "P1", "status": status, "ticket": ticket}


QUEUE_1 = incident("queue-1", "2026-03-01T10:00:00Z")
QUEUE_2 = incident("queue-2", "2026-07-01T10:00:00Z")
QUEUE_3 = incident("queue-3", "2026-11-01T10:00:00Z")
OTHER = incident("other", "2026-09-01T10:00:00Z", "api")
SOLO = incident("solo", "2026-10-01T10:00:00Z", "api")
POSTMORTEMS = {
    "queue-1": postmortem(
        action_items=[item("own-queue", "prevent"), item("pause-job", "mitigate", "done")]
    ),
    # queue-2 repeats queue-1, queue-3 repeats queue-2: one incident that came back twice.
    "queue-2": postmortem(
        recurrence_of="queue-1",
        contributing_factors=factors("capacity"),
        action_items=[item("alert-sooner", "detect"), item("throttle", "mitigate", "in_progress")],
    ),
    "queue-3": postmortem(recurrence_of="queue-2"),
    "other": postmortem(contributing_factors=factors("capacity", "process", "capacity")),
    "solo": postmortem(contributing_factors=factors("process", "hardware")),
}
ALL = [QUEUE_1, QUEUE_2, QUEUE_3, OTHER, SOLO]


def test_links_are_followed_back_to_the_first_occurrence():
    (found,) = recurrences(ALL, POSTMORTEMS, NOW)

    assert found.first is QUEUE_1
    assert found.repeats == (QUEUE_2, QUEUE_3)
    assert found.last is QUEUE_3
    assert found.since_last == timedelta(days=14, hours=2)  # 1 Nov 10:00 to 15 Nov 12:00
    # The open prevent and mitigate items of every occurrence; detect items do not prevent, and
    # done ones are done.
    assert [(incident.id, action.title) for incident, action in found.open_items] == [
        ("queue-1", "own-queue"),
        ("queue-2", "throttle"),
    ]


def test_a_category_recurs_when_two_incidents_name_it_and_once_per_incident():
    found = recurring_categories(ALL, POSTMORTEMS)

    # capacity: queue-2 and other (which names it twice, counted once); process: other and
    # solo; hardware only solo.
    assert [(c.category, [i.id for i in c.incidents]) for c in found] == [
        (FactorCategory.CAPACITY, ["other", "queue-2"]),
        (FactorCategory.PROCESS, ["solo", "other"]),
    ]
    assert found[1].last is SOLO


def test_without_links_nothing_recurs():
    assert recurrences(ALL, {"queue-1": POSTMORTEMS["queue-1"]}, NOW) == []


def test_the_report_shows_what_the_public_post_mortems_say():
    """The report reads the post-mortems as published by now: queue-3's link is public, and a
    component's report keeps the incidents that touch it."""
    records = [record.model_copy(update={"postmortem": POSTMORTEMS[record.id]}) for record in ALL]
    settings = SiteSettings.model_validate({"components": COMPONENTS})
    reports = derive_snapshot(Site(settings, tuple(records)), NOW).reliability

    (found,) = reports.report().recurrences
    assert [i.id for i in found.occurrences] == ["queue-1", "queue-2", "queue-3"]
    assert [c.category for c in reports.report().recurring_categories] == [
        FactorCategory.CAPACITY,
        FactorCategory.PROCESS,
    ]
    api = reports.report(settings.component("api"))
    assert api.recurrences == ()
    assert [c.category for c in api.recurring_categories] == [FactorCategory.PROCESS]
