"""The maintenance calendar, read back the way a calendar program reads it (vobject)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
import vobject
import yaml

from conftest import EXAMPLE_NOW
from generator.derive.snapshot import derive_snapshot
from generator.outputs import calendar as calendar_output
from generator.render.links import SiteLinks
from generator.validate.site import load_site

LINKS = SiteLinks("https://status.example.com/")
NAME = "Example Cloud Status"


def build(site, now=EXAMPLE_NOW, name=None) -> bytes:
    """The calendar of ``site`` at ``now``, named ``name`` (the site's own name if None)."""
    if name is not None:
        site = dataclasses.replace(site, name=name)
    files = calendar_output.files(derive_snapshot(site, now), LINKS)
    assert list(files) == ["maintenance.ics"]
    return files["maintenance.ics"]


def read(data: bytes):
    """What a calendar program gets: the text parsed and checked by vobject."""
    calendar = vobject.readOne(data.decode("utf-8"))
    calendar.validate(raiseException=True)
    return calendar


def events(calendar) -> list:
    return list(calendar.contents.get("vevent", []))


def event_titled(site, title: str):
    (event,) = [e for e in events(read(build(site))) if e.summary.value == title]
    return event


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


# -- the example site --------------------------------------------------------------------------
def test_the_example_calendar_is_valid_icalendar(example_site):
    calendar = read(build(example_site))

    assert calendar.version.value == "2.0"
    assert calendar.prodid.value == "-//Flare//Status maintenance//EN"
    assert calendar.method.value == "PUBLISH"
    assert calendar.calscale.value == "GREGORIAN"
    assert NAME in calendar.x_wr_calname.value


def test_every_maintenance_is_an_event_in_start_order(example_site):
    """Past, current and upcoming maintenance alike, earliest first."""
    found = events(read(build(example_site)))

    assert [event.summary.value for event in found] == [
        "Search cluster upgrade",
        "File storage platform upgrade",
        "Database upgrade",
    ]
    starts = [event.dtstart.value for event in found]
    assert starts == sorted(starts)
    for event in found:
        assert event.dtend.value > event.dtstart.value
        assert event.status.value == "CONFIRMED"


def test_the_upcoming_database_upgrade_has_its_window_in_utc(example_site):
    event = event_titled(example_site, "Database upgrade")

    assert event.uid.value == "2026-12-08-database-upgrade@status.example.com"
    assert event.dtstart.value == datetime(2026, 12, 8, 2, 0, tzinfo=UTC)
    assert event.dtend.value == datetime(2026, 12, 8, 4, 0, tzinfo=UTC)
    assert event.url.value == "https://status.example.com/incidents/2026-12-08-database-upgrade/"
    # Stamped when its only update was posted, not when the calendar was built.
    assert event.dtstamp.value == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert event.last_modified.value == event.dtstamp.value
    assert event.sequence.value == "1"
    # Planned work on a service does not make the subscriber busy.
    assert event.transp.value == "TRANSPARENT"


def test_the_description_is_the_latest_update_as_plain_text(example_site):
    event = event_titled(example_site, "Database upgrade")
    description = event.description.value

    # The Markdown's soft line breaks are joined, its emphasis and code marks dropped.
    assert description.startswith(
        "We will upgrade our main database between 02:00 and 04:00 UTC on 8 December."
    )
    assert "- for up to 10 minutes, changes cannot be saved" in description
    assert "return 503 errors" in description
    assert "**" not in description and "`" not in description
    assert "Affected: Public API, Dashboard" in description
    assert description.endswith("https://status.example.com/incidents/2026-12-08-database-upgrade/")


def test_a_finished_maintenance_tells_its_last_update(example_site):
    event = event_titled(example_site, "File storage platform upgrade")

    assert event.description.value.startswith("The upgrade is complete")
    assert event.sequence.value == "4"
    assert event.dtstamp.value == datetime(2026, 10, 14, 3, 50, tzinfo=UTC)


# -- the text on the wire ----------------------------------------------------------------------
def test_every_line_ends_in_crlf(example_site):
    data = build(example_site)

    assert data.count(b"\n") == data.count(b"\r\n") > 0
    assert data.count(b"\r") == data.count(b"\r\n")


def test_no_line_is_longer_than_75_octets(example_site):
    lines = physical_lines(build(example_site))

    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long ones were folded


def test_builds_an_hour_apart_give_the_same_calendar(example_site):
    """Events are matched on their UID, and nothing in them follows the build's clock."""
    first = build(example_site, EXAMPLE_NOW)
    later = build(example_site, EXAMPLE_NOW + timedelta(hours=1))

    assert [e.uid.value for e in events(read(first))] == [e.uid.value for e in events(read(later))]
    assert first == later
    assert build(example_site) == build(example_site)


# -- awkward text ------------------------------------------------------------------------------
AWKWARD_TITLE = "Réseau; pare-feu, routeurs \\ et câbles — 東京"
LONG_BODY = """\
We will replace the core routers in the Paris data centre; expect, in turn:

- short pauses (under 30 s) for API requests, retried by the SDKs;
- emails delayed by up to 15 minutes.

Questions? Écrivez-nous à support@example.com. Merci de votre patience — l'équipe réseau.
Ünïcödé everywhere: ñ, ß, 東京, 😀, and a backslash \\ too.
"""


@pytest.fixture
def awkward_site(site_folder):
    record = {
        "kind": "maintenance",
        "title": AWKWARD_TITLE,
        "components": ["api", "email"],
        "scheduled": {"start": "2026-12-01T23:30:00-05:00", "end": "2026-12-02T01:30:00-05:00"},
        "updates": [{"at": "2026-11-20T09:00:00+01:00", "status": "scheduled", "body": LONG_BODY}],
    }
    site_folder.raw_record(
        "2026/router-swap.yaml", yaml.safe_dump(record, allow_unicode=True).encode("utf-8")
    )
    return load_site(site_folder.config, EXAMPLE_NOW)


def test_a_title_with_separators_and_accents_comes_back_exactly(awkward_site):
    assert awkward_site.maintenances[0].title == AWKWARD_TITLE  # what the author wrote
    (event,) = events(read(build(awkward_site)))

    assert event.summary.value == AWKWARD_TITLE


def test_text_is_escaped_as_rfc_5545_says(awkward_site):
    """vobject forgives a bare ``;`` or ``\\``; stricter readers do not: check the wire."""
    unfolded = build(awkward_site).decode("utf-8").replace("\r\n ", "").split("\r\n")

    assert "SUMMARY:Réseau\\; pare-feu\\, routeurs \\\\ et câbles — 東京" in unfolded


def test_a_long_description_comes_back_exactly(awkward_site):
    (event,) = events(read(build(awkward_site)))

    assert event.description.value == (
        "We will replace the core routers in the Paris data centre; expect, in turn:\n"
        "\n"
        "- short pauses (under 30 s) for API requests, retried by the SDKs;\n"
        "- emails delayed by up to 15 minutes.\n"
        "\n"
        "Questions? Écrivez-nous à support@example.com. Merci de votre patience — l'équipe"
        " réseau. Ünïcödé everywhere: ñ, ß, 東京, 😀, and a backslash \\ too.\n"
        "\n"
        "Affected: Public API, Email\n"
        "\n"
        "Details and updates: https://status.example.com/incidents/router-swap/"
    )


def test_folding_never_splits_a_character(awkward_site):
    """Each physical line is whole UTF-8 by itself: the folds fall between characters."""
    lines = physical_lines(build(awkward_site))

    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # raises on half a character
    assert any(len(line) > len(line.decode("utf-8")) for line in lines if line.startswith(b" "))


def test_times_with_an_offset_are_written_in_utc(awkward_site):
    data = build(awkward_site)
    (event,) = events(read(data))

    assert b"DTSTART:20261202T043000Z\r\n" in data
    assert b"DTEND:20261202T063000Z\r\n" in data
    assert event.dtstart.value == datetime(2026, 12, 2, 4, 30, tzinfo=UTC)
    assert event.dtstamp.value == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def test_a_maintenance_without_updates_is_stamped_with_its_start(site_folder):
    site_folder.record(
        "quiet.yaml",
        """\
        kind: maintenance
        title: Quiet work
        components: [web]
        scheduled:
          start: 2026-12-10T08:00:00Z
          end: 2026-12-10T09:00:00Z
        """,
    )
    (event,) = events(read(build(load_site(site_folder.config, EXAMPLE_NOW))))

    assert event.dtstamp.value == datetime(2026, 12, 10, 8, 0, tzinfo=UTC)
    assert event.sequence.value == "0"
    assert event.description.value == (
        "Affected: Dashboard\n\nDetails and updates: https://status.example.com/incidents/quiet/"
    )


def test_a_site_without_maintenance_has_an_empty_calendar(site_folder):
    data = build(load_site(site_folder.config, EXAMPLE_NOW), name="Test Status")
    calendar = read(data)

    assert events(calendar) == []
    assert calendar.x_wr_calname.value == "Test Status maintenance"
