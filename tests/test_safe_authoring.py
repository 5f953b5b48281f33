"""Safe at 3 a.m.: what a tired author does by mistake never reaches the public page unsaid.

Each test drives the ``flare`` command as an author would, on real files, for one of the ways a
change could publish something wrong without a word.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import EXAMPLE_NOW, SiteFolder, flare

OPEN_INCIDENT = """\
title: Elevated API errors
impact: major
components: [api]
updates:
  - at: 2026-11-23T10:00:00Z
    status: investigating
    body: Some requests fail.
"""


# -- the site is found from any folder inside it, and files keep their layout ----------------------
def test_commands_find_the_site_from_a_folder_inside_it(site_folder: SiteFolder):
    path = site_folder.record("2026/errors.yaml", OPEN_INCIDENT)
    inside = path.parent

    validated = flare("validate", cwd=inside)
    assert validated.returncode == 0, validated.stderr
    assert validated.stdout.strip() == "1 record, 3 components: no errors"

    updated = flare("update", "errors", "--status", "identified", "-m", "A bad deploy.", cwd=inside)
    assert updated.returncode == 0, updated.stderr
    assert "A bad deploy." in path.read_text(encoding="utf-8")


def test_an_edit_keeps_crlf_line_ends_and_a_byte_order_mark(site_folder: SiteFolder):
    original = b"\xef\xbb\xbf" + OPEN_INCIDENT.replace("\n", "\r\n").encode("utf-8")
    path = site_folder.raw_record("errors.yaml", original)

    result = flare(
        "update", "errors", "--status", "identified", "-m", "A bad deploy.",
        "-C", str(site_folder.root),
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n") > OPEN_INCIDENT.count("\n")
    assert data.startswith(original[: original.index(b"updates:")])
    assert b"A bad deploy." in data


def test_an_lf_file_without_a_byte_order_mark_stays_so(site_folder: SiteFolder):
    path = site_folder.record("errors.yaml", OPEN_INCIDENT)
    result = flare(
        "update", "errors", "--status", "identified", "-m", "A bad deploy.",
        "-C", str(site_folder.root),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = path.read_bytes()
    assert b"\r" not in data
    assert not data.startswith(b"\xef\xbb\xbf")


def test_a_folder_outside_any_site_is_wrong_usage(tmp_path: Path):
    result = flare("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "nor any folder above it holds mkdocs.yml" in result.stderr


# -- no accidental reopening -----------------------------------------------------------------------
RESOLVED_WITH_A_POSTMORTEM_TITLE = """\
title: API outage after a certificate expired
impact: major
components: [api]
updates:
  - at: 2026-11-10T10:00:00Z
    status: investigating
    body: The API is down.
  - at: 2026-11-10T11:00:00Z
    status: resolved
    body: A new certificate is in place.
"""


def test_an_update_to_a_resolved_incident_is_refused_and_names_it(site_folder: SiteFolder):
    path = site_folder.record("outage.yaml", RESOLVED_WITH_A_POSTMORTEM_TITLE)
    before = path.read_bytes()

    result = flare("update", "api", "--status", "identified", "-m", "x", cwd=site_folder.root)

    assert result.returncode == 1
    assert "outage ('API outage after a certificate expired') was resolved at " in result.stderr
    assert "2026-11-10T11:00:00Z; this update would reopen it" in result.stderr
    assert "--reopen" in result.stderr
    assert path.read_bytes() == before


def test_reopen_reopens_on_purpose_and_says_so(site_folder: SiteFolder):
    path = site_folder.record("outage.yaml", RESOLVED_WITH_A_POSTMORTEM_TITLE)

    result = flare(
        "update", "outage", "--status", "investigating", "-m", "It is down again.", "--reopen",
        "--at", "2026-11-23T11:00:00Z", cwd=site_folder.root,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "reopened outage"
    assert "    reopened: true\n" in path.read_text(encoding="utf-8")
    validated = flare("validate", cwd=site_folder.root)
    assert validated.returncode == 0 and validated.stderr == ""


def test_reopen_is_refused_for_an_incident_still_open(site_folder: SiteFolder):
    site_folder.record("errors.yaml", OPEN_INCIDENT)
    result = flare(
        "update", "errors", "--status", "identified", "-m", "x", "--reopen", cwd=site_folder.root
    )
    assert result.returncode == 1
    assert "errors is not resolved" in result.stderr


def test_validate_warns_of_an_update_after_the_resolution_not_marked_reopened(
    site_folder: SiteFolder,
):
    site_folder.record(
        "outage.yaml",
        RESOLVED_WITH_A_POSTMORTEM_TITLE
        + "  - at: 2026-11-10T12:00:00Z\n    status: monitoring\n    body: Watching.\n",
    )
    result = flare("validate", cwd=site_folder.root)
    assert result.returncode == 0
    assert (
        "incidents/outage.yaml:12:13: warning: updates[2].status: this update reopens the "
        "incident resolved at 2026-11-10T11:00:00+00:00; if that is meant, add reopened: true"
    ) in result.stderr


@pytest.mark.parametrize(
    ("extra", "where", "message"),
    [
        (
            "  - at: 2026-11-10T12:00:00Z\n    status: resolved\n    body: Fixed, really.\n",
            "incidents/outage.yaml:12:13: error: updates[2].status",
            "the incident is already resolved (at 2026-11-10T11:00:00+00:00); one resolution "
            "is enough: correct that update instead",
        ),
        (
            "  - at: 2026-11-10T11:00:00.500Z\n    status: monitoring\n    body: Copy.\n",
            "incidents/outage.yaml:11:9: error: updates[2].at",
            "posted in the same second as updates[1]",
        ),
        (
            "  - at: 2026-11-10T09:00:00Z\n    status: investigating\n    reopened: true\n"
            "    body: Early.\n",
            "incidents/outage.yaml:13:15: error: updates[2].reopened",
            "reopened: true, but the update before it is not a resolution; remove it",
        ),
    ],
    ids=["two resolutions", "two updates in one second", "reopened with nothing to reopen"],
)
def test_validate_refuses_updates_that_cannot_all_be_true(
    site_folder: SiteFolder, extra: str, where: str, message: str
):
    site_folder.record("outage.yaml", RESOLVED_WITH_A_POSTMORTEM_TITLE + extra)
    result = flare("validate", cwd=site_folder.root)
    assert result.returncode == 1
    (line,) = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert line.startswith(where) and message in line


# -- no accidental duplicates ----------------------------------------------------------------------
def test_a_new_incident_with_the_title_of_an_open_one_is_refused_and_names_it(
    site_folder: SiteFolder,
):
    site_folder.record("errors.yaml", OPEN_INCIDENT)
    before = sorted(site_folder.incidents.rglob("*.yaml"))

    result = flare(
        "new", "incident", "elevated  API errors", "--impact", "major", "--component", "api",
        cwd=site_folder.root,
    )  # fmt: skip

    assert result.returncode == 1
    assert "the open incident errors already has the title 'Elevated API errors'" in result.stderr
    assert "flare update errors" in result.stderr and "--force" in result.stderr
    assert sorted(site_folder.incidents.rglob("*.yaml")) == before


def test_force_writes_a_second_incident_of_that_title(site_folder: SiteFolder):
    site_folder.record("errors.yaml", OPEN_INCIDENT)
    result = flare(
        "new", "incident", "Elevated API errors", "--impact", "major", "--component", "api",
        "--force", cwd=site_folder.root,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(list(site_folder.incidents.rglob("*.yaml"))) == 2


def test_a_resolved_incident_of_that_title_does_not_stop_a_new_one(site_folder: SiteFolder):
    site_folder.record(
        "errors.yaml",
        OPEN_INCIDENT + "  - at: 2026-11-23T11:00:00Z\n    status: resolved\n    body: Fixed.\n",
    )
    result = flare(
        "new", "incident", "Elevated API errors", "--impact", "major", "--component", "api",
        cwd=site_folder.root,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


# -- publishing a post-mortem is a decision -------------------------------------------------------
RESOLVED = OPEN_INCIDENT + "  - at: 2026-11-23T11:00:00Z\n    status: resolved\n    body: Fixed.\n"


def test_a_drafted_postmortem_reaches_no_output(site_folder: SiteFolder, tmp_path: Path):
    site_folder.record("errors.yaml", RESOLVED)
    drafted = flare("postmortem", "errors", cwd=site_folder.root)
    assert drafted.returncode == 0, drafted.stderr

    built = flare("build", str(site_folder.root), "-d", str(tmp_path / "site"))

    assert built.returncode == 0, built.stderr
    assert not (tmp_path / "site" / "incidents" / "errors" / "postmortem").exists()
    flares_own = [
        path
        for path in (tmp_path / "site").rglob("*")
        if path.is_file()
        and "assets" not in path.relative_to(tmp_path / "site").parts[:1]  # the theme's code
    ]
    assert len(flares_own) > 20
    assert [path.name for path in flares_own if b"TODO" in path.read_bytes()] == []


def test_publishing_a_stage_that_holds_a_placeholder_is_refused_with_its_lines(
    site_folder: SiteFolder,
):
    path = site_folder.record("errors.yaml", RESOLVED)
    assert flare("postmortem", "errors", cwd=site_folder.root).returncode == 0
    draft = path.read_bytes()

    result = flare("postmortem", "errors", "--publish", cwd=site_folder.root)

    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors and all("still the placeholder" in line for line in errors)
    assert any(
        line.startswith("incidents/errors.yaml:") and ": error: postmortem.owner: " in line
        for line in errors
    )
    assert path.read_bytes() == draft


def test_a_published_placeholder_written_by_hand_is_an_error(site_folder: SiteFolder):
    site_folder.record(
        "errors.yaml",
        RESOLVED
        + """\
postmortem:
  stage: immediate
  owner: Sam K.
  impact: {description: "TODO: what customers experienced"}
  responders: [{name: Sam K., role: incident command}]
  timeline: [{at: 2026-11-23T10:00:00Z, text: Errors start., milestone: impact_started}]
  resolution: A rollback.
  published: {immediate: 2026-11-23T12:00:00Z}
""",
    )
    result = flare("validate", cwd=site_folder.root)
    assert result.returncode == 1
    assert (
        "incidents/errors.yaml:14:25: error: postmortem.impact.description: still the "
        "placeholder 'TODO: what customers experienced'; write it before publishing"
    ) in result.stderr


def test_no_number_is_invented_for_the_summary(site_folder: SiteFolder):
    path = site_folder.record("errors.yaml", RESOLVED)
    text = RESOLVED + (
        "postmortem:\n  stage: immediate\n  owner: Sam K.\n"
        "  impact:\n    description: Errors for an hour.\n"
        "  responders: [{name: Sam K., role: incident command}]\n"
        "  timeline: [{at: 2026-11-23T10:00:00Z, text: Errors start., milestone: impact_started}]\n"
        "  resolution: A rollback.\n  published: {immediate: 2026-11-23T11:30:00Z}\n"
    )
    path.write_text(text, encoding="utf-8")

    result = flare("postmortem", "errors", cwd=site_folder.root)

    assert result.returncode == 0, result.stderr
    lines = path.read_text(encoding="utf-8").splitlines()
    (reported,) = [line for line in lines if "users_reported" in line]
    assert reported.split("#")[0].strip() == "users_reported:"
    assert "# TODO: how many customers told us" in reported


def test_a_postmortem_of_an_open_incident_is_refused(site_folder: SiteFolder):
    path = site_folder.record("errors.yaml", OPEN_INCIDENT)
    result = flare("postmortem", "errors", cwd=site_folder.root)
    assert result.returncode == 1
    assert "errors is still open; its post-mortem follows the resolution" in result.stderr
    assert path.read_text(encoding="utf-8") == OPEN_INCIDENT


# -- maintenance can be called off and moved ------------------------------------------------------
UPGRADE = """\
kind: maintenance
title: Database upgrade
components: [api]
scheduled:
  start: 2026-12-08T02:00:00Z
  end: 2026-12-08T04:00:00Z
updates:
  - at: 2026-11-20T10:00:00Z
    status: scheduled
    body: We will upgrade the database.
"""


def built_outputs(site: SiteFolder, tmp_path: Path, now: datetime = EXAMPLE_NOW) -> Path:
    result = flare("build", str(site.root), "-d", str(tmp_path / "site"), now=now)
    assert result.returncode == 0, result.stderr
    return tmp_path / "site"


def calendar_event(site_dir: Path) -> dict[str, str]:
    text = (site_dir / "maintenance.ics").read_text(encoding="utf-8").replace("\n ", "")
    event = text.split("BEGIN:VEVENT\n", 1)[1].split("END:VEVENT", 1)[0]
    return dict(line.split(":", 1) for line in event.splitlines())


def test_a_cancelled_maintenance_says_so_everywhere_and_changes_no_state(
    site_folder: SiteFolder, tmp_path: Path
):
    site_folder.record("upgrade.yaml", UPGRADE)
    before = calendar_event(built_outputs(site_folder, tmp_path / "before"))
    cancelled = flare(
        "update", "upgrade", "--status", "cancelled", "-m", "We no longer need this work.",
        cwd=site_folder.root,
    )  # fmt: skip
    assert cancelled.returncode == 0, cancelled.stderr

    during_old_window = datetime(2026, 12, 8, 3, 0, tzinfo=UTC)
    site_dir = built_outputs(site_folder, tmp_path / "after", now=during_old_window)

    event = calendar_event(site_dir)
    assert event["STATUS"] == "CANCELLED" and before["STATUS"] == "CONFIRMED"
    assert event["UID"] == before["UID"]
    assert int(event["SEQUENCE"]) > int(before["SEQUENCE"])
    (maintenance,) = json.loads((site_dir / "api/v2/scheduled-maintenances.json").read_bytes())[
        "scheduled_maintenances"
    ]
    assert maintenance["status"] == "completed"
    assert maintenance["cancelled_at"] == "2026-11-23T12:00:00.000Z"
    components = json.loads((site_dir / "api/v2/components.json").read_bytes())["components"]
    assert {c["id"]: c["status"] for c in components}["api"] == "operational"
    page = (site_dir / "incidents/upgrade/index.html").read_text(encoding="utf-8")
    assert "<strong>Cancelled</strong>" in page
    feed = (site_dir / "history.atom").read_text(encoding="utf-8")
    assert "[Cancelled] Database upgrade" in feed


def test_flare_reschedule_moves_the_window_and_tells_calendars_and_feeds(
    site_folder: SiteFolder, tmp_path: Path
):
    site_folder.record("upgrade.yaml", UPGRADE)
    before = calendar_event(built_outputs(site_folder, tmp_path / "before"))

    moved = flare(
        "reschedule", "upgrade", "--start", "2026-12-09T02:00:00Z",
        "--end", "2026-12-09T05:00:00Z", cwd=site_folder.root,
    )  # fmt: skip
    assert moved.returncode == 0, moved.stderr

    site_dir = built_outputs(site_folder, tmp_path / "after")
    event = calendar_event(site_dir)
    assert (event["DTSTART"], event["DTEND"]) == ("20261209T020000Z", "20261209T050000Z")
    assert event["UID"] == before["UID"]
    assert int(event["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    (maintenance,) = json.loads((site_dir / "api/v2/scheduled-maintenances.json").read_bytes())[
        "scheduled_maintenances"
    ]
    assert maintenance["scheduled_for"] == "2026-12-09T02:00:00.000Z"
    assert maintenance["scheduled_until"] == "2026-12-09T05:00:00.000Z"
    feed = (site_dir / "history.atom").read_text(encoding="utf-8")
    assert "[Rescheduled] Database upgrade" in feed
    assert "New window: 9 Dec 2026, 02:00 UTC to 9 Dec 2026, 05:00 UTC" in feed
    page = (site_dir / "incidents/upgrade/index.html").read_text(encoding="utf-8")
    assert "9 Dec 2026, 02:00 UTC</time> to <time" in page


# -- limits, with their reasons -------------------------------------------------------------------
def test_a_title_longer_than_a_status_page_shows_is_refused(site_folder: SiteFolder):
    site_folder.record("errors.yaml", OPEN_INCIDENT.replace("Elevated API errors", "x" * 201))
    result = flare("validate", cwd=site_folder.root)
    assert result.returncode == 1
    assert (
        "incidents/errors.yaml:1:8: error: title: 201 characters; a title is at most 200"
    ) in result.stderr


def test_a_title_of_200_characters_is_fine(site_folder: SiteFolder):
    site_folder.record("errors.yaml", OPEN_INCIDENT.replace("Elevated API errors", "x" * 200))
    assert flare("validate", cwd=site_folder.root).returncode == 0


def test_bidirectional_controls_are_refused_in_a_title(site_folder: SiteFolder):
    site_folder.record(
        "errors.yaml", OPEN_INCIDENT.replace("Elevated API errors", "API \u202eLIVE si lla\u202c")
    )
    result = flare("validate", cwd=site_folder.root)
    assert result.returncode == 1
    assert (
        "incidents/errors.yaml:1:8: error: title: holds the bidirectional control character(s) "
        "U+202C, U+202E, which reorder the text around them"
    ) in result.stderr


def test_bidirectional_controls_are_refused_in_a_components_name(site_folder: SiteFolder):
    config = site_folder.config.read_text(encoding="utf-8")
    site_folder.config.write_text(config.replace("Dashboard", "Dash\u2066board"), "utf-8")
    result = flare("validate", cwd=site_folder.root)
    assert result.returncode == 1
    assert (
        "mkdocs.yml:13:17: error: plugins[0].flare.components[1].name: holds the bidirectional "
        "control character(s) U+2066"
    ) in result.stderr


def test_a_right_to_left_title_is_fine(site_folder: SiteFolder):
    site_folder.record("errors.yaml", OPEN_INCIDENT.replace("Elevated API errors", "שגיאות API"))
    assert flare("validate", cwd=site_folder.root).returncode == 0


def test_a_three_year_maintenance_is_warned_of(site_folder: SiteFolder):
    site_folder.record("upgrade.yaml", UPGRADE.replace("end: 2026-12-08", "end: 2029-12-08"))
    result = flare("validate", cwd=site_folder.root)
    assert result.returncode == 0
    assert (
        "incidents/upgrade.yaml:5:3: warning: scheduled: the window is 1096 days long"
    ) in result.stderr


def test_validate_ends_with_the_count_of_errors_not_with_a_change_it_never_makes(
    site_folder: SiteFolder,
):
    site_folder.record("errors.yaml", OPEN_INCIDENT.replace("impact: major", "impact: huge"))
    result = flare("validate", cwd=site_folder.root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "1 error"


def test_a_build_of_one_record_says_record(site_folder: SiteFolder, tmp_path: Path):
    site_folder.record("errors.yaml", OPEN_INCIDENT)
    result = flare("build", str(site_folder.root), "-d", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built 1 record into ")
