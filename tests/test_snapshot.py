"""One truth per build: every page and output tells the same facts, read from one snapshot.

Each test builds a real site with ``flare build`` and reads the files a customer, a feed reader
or a monitoring tool would read, so that an output working out a fact on its own shows here as
a disagreement.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import SiteFolder, flare
from generator.derive.snapshot import derive_snapshot
from generator.errors import InvalidSite
from generator.model.records import Incident
from generator.validate.site import load_site

BEFORE = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
AFTER = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
LATE_WORDS = "RollbackUnderWay"

INCIDENT_WITH_A_LATER_UPDATE = f"""\
title: Elevated API errors
impact: minor
components: [api]
updates:
  - at: 2026-11-23T10:00:00Z
    status: investigating
    body: Some requests fail.
  - at: 2026-11-23T14:00:00Z
    status: identified
    components: {{api: major_outage}}
    body: {LATE_WORDS} after a bad deploy.
"""

MAINTENANCE_WITH_A_LATER_UPDATE = f"""\
kind: maintenance
title: Database upgrade
components: [email]
scheduled:
  start: 2026-11-30T02:00:00Z
  end: 2026-11-30T03:00:00Z
updates:
  - at: 2026-11-20T09:00:00Z
    status: scheduled
    body: We will upgrade the database.
  - at: 2026-11-23T14:30:00Z
    status: scheduled
    body: {LATE_WORDS} of the plan, same window.
"""


def build(site: SiteFolder, now: datetime) -> Path:
    result = flare("build", str(site.root), now=now)
    assert result.returncode == 0, result.stderr
    return site.root / "site"


def published_texts(site_dir: Path) -> dict[str, str]:
    """Every text file a reader or a program can fetch, by path."""
    return {
        str(path.relative_to(site_dir)): path.read_text(encoding="utf-8")
        for path in site_dir.rglob("*")
        if path.suffix in {".html", ".json", ".atom", ".rss", ".ics", ".svg", ".xml"}
    }


def api(site_dir: Path, name: str) -> dict:
    return json.loads((site_dir / "api" / "v2" / name).read_text(encoding="utf-8"))


# -- an update dated later is nowhere until its time, then everywhere ----------------------------
@pytest.fixture
def site_with_later_updates(site_folder: SiteFolder) -> SiteFolder:
    site_folder.record("errors.yaml", INCIDENT_WITH_A_LATER_UPDATE)
    site_folder.record("upgrade.yaml", MAINTENANCE_WITH_A_LATER_UPDATE)
    return site_folder


def test_an_update_dated_later_is_in_no_output_before_its_time(site_with_later_updates):
    site_dir = build(site_with_later_updates, BEFORE)
    showing = sorted(path for path, text in published_texts(site_dir).items() if LATE_WORDS in text)
    assert showing == []
    incident = api(site_dir, "incidents.json")["incidents"][0]
    assert incident["status"] == "investigating"
    assert len(incident["incident_updates"]) == 1
    summary = api(site_dir, "summary.json")
    assert [c["status"] for c in summary["components"] if c["id"] == "api"] == [
        "degraded_performance"
    ]
    calendar = (site_dir / "maintenance.ics").read_text(encoding="utf-8")
    assert "SEQUENCE:1" in calendar.splitlines()
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    assert "Some requests fail." in home
    assert "Major outage" not in home
    badge = (site_dir / "badges" / "api.svg").read_text(encoding="utf-8")
    assert "degraded performance" in badge


def test_an_update_dated_later_is_in_every_output_once_due(site_with_later_updates):
    site_dir = build(site_with_later_updates, AFTER)
    showing = {path for path, text in published_texts(site_dir).items() if LATE_WORDS in text}
    assert {
        "index.html",  # the home page's latest update of the open incident
        "incidents/errors/index.html",
        "incidents/upgrade/index.html",
        "api/v2/incidents.json",
        "api/v2/summary.json",
        "api/v2/scheduled-maintenances.json",
        "history.atom",
        "history.rss",
        "history-api.atom",
        "history-email.rss",
    } <= showing
    incident = api(site_dir, "incidents.json")["incidents"][0]
    assert incident["status"] == "identified"
    components = {c["id"]: c["status"] for c in api(site_dir, "components.json")["components"]}
    assert components["api"] == "major_outage"
    calendar = (site_dir / "maintenance.ics").read_text(encoding="utf-8")
    assert "SEQUENCE:2" in calendar.splitlines()
    assert LATE_WORDS in calendar.replace("\n ", "")
    badge = (site_dir / "badges" / "api.svg").read_text(encoding="utf-8")
    assert "major outage" in badge


def test_an_incident_with_no_update_posted_yet_is_nowhere(site_folder: SiteFolder):
    site_folder.record("later.yaml", INCIDENT_WITH_A_LATER_UPDATE.replace("10:00:00Z", "13:00:00Z"))
    site_dir = build(site_folder, BEFORE)
    assert not (site_dir / "incidents" / "later").exists()
    assert api(site_dir, "incidents.json")["incidents"] == []
    assert not any("Elevated API errors" in text for text in published_texts(site_dir).values())


# -- a component that joins an incident under way -------------------------------------------------
JOINING = """\
title: Elevated API errors
impact: major
components: [api, web]
updates:
  - at: 2026-11-23T08:00:00Z
    status: investigating
    components: {api: partial_outage}
    body: Some API requests fail.
  - at: 2026-11-23T10:00:00Z
    status: identified
    components: {web: degraded_performance}
    body: The dashboard is slow too.
"""


def test_a_component_joining_later_is_operational_before_its_update_everywhere(
    site_folder: SiteFolder,
):
    site_folder.record("errors.yaml", JOINING)
    site = load_site(site_folder.config, BEFORE)
    snapshot = derive_snapshot(site, BEFORE)
    joined = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    assert [(i.start, i.state.value) for i in snapshot.intervals["web"]] == [
        (snapshot.history_start, "operational"),
        (joined, "degraded_performance"),
    ]
    today = snapshot.days["web"][-1]
    assert today.time_in_state == {snapshot.states["web"]: BEFORE - joined}

    site_dir = build(site_folder, BEFORE)
    updates = api(site_dir, "incidents.json")["incidents"][0]["incident_updates"]
    joining = updates[0]["affected_components"]
    assert joining == [
        {
            "code": "web",
            "name": "Dashboard",
            "old_status": None,
            "new_status": "degraded_performance",
        }
    ]
    page = (site_dir / "components" / "web" / "index.html").read_text(encoding="utf-8")
    assert "23 Nov 2026: 2 h degraded performance: Elevated API errors" in page


def test_flare_update_adding_a_component_keeps_the_others_history(site_folder: SiteFolder):
    """The author's path: an incident written with the impact alone, then a component added by
    ``flare update``; the newcomer joins at that update, the others keep their past."""
    site_folder.record(
        "errors.yaml",
        """\
        title: Elevated API errors
        impact: major
        components: [api]
        updates:
          - at: 2026-11-23T08:00:00Z
            status: investigating
            body: Some API requests fail.
        """,
    )
    result = flare(
        "update", "errors", "--status", "identified", "-m", "The dashboard is slow too.",
        "--component", "web=degraded_performance", "--at", "2026-11-23T10:00:00Z",
        "-C", str(site_folder.root),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    snapshot = derive_snapshot(load_site(site_folder.config, BEFORE), BEFORE)
    started = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    joined = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    api_history = [
        (i.start, i.state.value) for i in snapshot.intervals["api"] if i.start >= started
    ]
    web_history = [
        (i.start, i.state.value) for i in snapshot.intervals["web"] if i.start >= started
    ]
    assert api_history == [(started, "partial_outage")]
    assert web_history == [(joined, "degraded_performance")]


# -- the model holds a record's invariants ---------------------------------------------------------
def test_the_model_refuses_an_update_naming_a_component_the_incident_does_not_list():
    with pytest.raises(ValueError) as raised:
        Incident.model_validate(
            {
                "id": "x",
                "title": "API errors",
                "impact": "major",
                "components": ["api"],
                "updates": [
                    {
                        "at": "2026-11-23T08:00:00Z",
                        "status": "investigating",
                        "components": {"web": "partial_outage"},
                        "body": "Errors.",
                    }
                ],
            }
        )
    (error,) = raised.value.errors()
    assert error["loc"] == ("updates", 0, "components", "web", "[key]")
    assert "'web' is not among this incident's components (api)" in error["msg"]


def test_an_update_naming_an_unlisted_component_is_reported_at_its_line(site_folder: SiteFolder):
    site_folder.record(
        "errors.yaml",
        """\
        title: API errors
        impact: major
        components: [api]
        updates:
          - at: 2026-11-23T08:00:00Z
            status: investigating
            components:
              web: partial_outage
            body: Errors.
        """,
    )
    with pytest.raises(InvalidSite) as raised:
        load_site(site_folder.config, BEFORE)
    (error,) = raised.value.errors
    assert error.format(site_folder.root) == (
        "incidents/errors.yaml:8:7: error: updates[0].components.web: 'web' is not among this "
        "incident's components (api); add it to components:"
    )
