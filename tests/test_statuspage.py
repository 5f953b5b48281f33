"""The Statuspage-shaped API under api/v2/: the reference's files and fields, read by a real client.

The example site at EXAMPLE_NOW (23 Nov 2026 12:00 UTC) has one open incident (delayed webhook
deliveries, webhooks degraded) and one upcoming maintenance (the database upgrade on 8 Dec).
The shapes below are ``statuspage-v2-api.md`` written as data: every object must carry exactly
the reference's fields, with the JSON types it gives them.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, SiteFolder
from generator.derive.snapshot import derive_snapshot
from generator.derive.state import component_states_at
from generator.load.settings import SiteSettings
from generator.model.records import Incident, Maintenance
from generator.outputs import api as api_output
from generator.render.links import SiteLinks
from generator.validate.site import Site, load_site
from support import tool_missing
from support.serving import serve

LINKS = SiteLinks("https://status.example.com/")
PAGE_NAME = "Example Cloud Status"
OPEN_INCIDENT = "2026-11-22-delayed-webhook-deliveries"
UPCOMING_MAINTENANCE = "2026-12-08-database-upgrade"
STORAGE_OUTAGE = "2026-08-04-file-storage-outage"

# -- the reference, as data ------------------------------------------------------------------------
TIME = "timestamp"  # a string: ISO 8601 with an offset
DATE = "date"  # a string: YYYY-MM-DD
STR, INT, BOOL, NULL, LIST, DICT = str, int, bool, type(None), list, dict

PAGE = {"id": STR, "name": STR, "url": STR, "time_zone": STR, "updated_at": TIME}
STATUS = {"indicator": STR, "description": STR}
COMPONENT = {
    "id": STR,
    "name": STR,
    "status": STR,
    "created_at": TIME,
    "updated_at": TIME,
    "position": INT,
    "description": (STR, NULL),
    "showcase": BOOL,
    "start_date": (DATE, NULL),
    "group_id": (STR, NULL),
    "page_id": STR,
    "group": BOOL,
    "only_show_if_degraded": BOOL,
}
GROUP = {**COMPONENT, "components": LIST}
INCIDENT = {
    "id": STR,
    "name": STR,
    "status": STR,
    "created_at": TIME,
    "updated_at": TIME,
    "monitoring_at": (TIME, NULL),
    "resolved_at": (TIME, NULL),
    "impact": STR,
    "shortlink": STR,
    "started_at": TIME,
    "page_id": STR,
    "incident_updates": LIST,
    "components": LIST,
}
MAINTENANCE = {**INCIDENT, "scheduled_for": TIME, "scheduled_until": TIME}
UPDATE = {
    "id": STR,
    "status": STR,
    "body": STR,
    "incident_id": STR,
    "created_at": TIME,
    "updated_at": TIME,
    "display_at": TIME,
    "affected_components": (LIST, NULL),
    "deliver_notifications": BOOL,
    "custom_tweet": (STR, NULL),
    "tweet_id": (STR, NULL),
}
AFFECTED = {"code": STR, "name": STR, "old_status": (STR, NULL), "new_status": STR}
# What we add beside the reference's fields (it allows additions, never changes).
ADDED = {
    "update": {"body_html": STR},
    "incident": {"postmortem": (DICT, NULL), "classification": STR},
    "maintenance": {"cancelled_at": (TIME, NULL)},
}

COMPONENT_STATUSES = {
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
}
INDICATORS = {"none", "minor", "major", "critical", "maintenance"}
INCIDENT_STATUSES = {"investigating", "identified", "monitoring", "resolved", "postmortem"}
MAINTENANCE_STATUSES = {"scheduled", "in_progress", "verifying", "completed"}

FILES = {
    "api/v2/summary.json": ["page", "status", "components", "incidents", "scheduled_maintenances"],
    "api/v2/status.json": ["page", "status"],
    "api/v2/components.json": ["page", "components"],
    "api/v2/incidents.json": ["page", "incidents"],
    "api/v2/incidents/unresolved.json": ["page", "incidents"],
    "api/v2/scheduled-maintenances.json": ["page", "scheduled_maintenances"],
    "api/v2/scheduled-maintenances/upcoming.json": ["page", "scheduled_maintenances"],
    "api/v2/scheduled-maintenances/active.json": ["page", "scheduled_maintenances"],
}


def shape_errors(value: Any, fields: dict[str, Any], where: str, added: dict | None = None) -> list:
    """Every way ``value`` differs from the reference's ``fields`` (plus our ``added`` ones)."""
    expected = {**fields, **(added or {})}
    if not isinstance(value, dict):
        return [f"{where}: expected an object, found {type(value).__name__}"]
    errors = []
    if set(value) != set(expected):
        errors.append(
            f"{where}: missing {sorted(set(expected) - set(value))}, "
            f"unexpected {sorted(set(value) - set(expected))}"
        )
    for name, kinds in expected.items():
        if name in value and not any(
            is_kind(value[name], kind) for kind in (kinds if isinstance(kinds, tuple) else (kinds,))
        ):
            errors.append(f"{where}.{name}: {value[name]!r} is not {kinds}")
    return errors


def is_kind(value: Any, kind: Any) -> bool:
    if kind == TIME:
        return isinstance(value, str) and parse_time(value) is not None
    if kind == DATE:
        return isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None
    return type(value) is kind  # exact: True is not an integer here


def parse_time(text: str) -> datetime | None:
    """An ISO 8601 timestamp with an offset, else None."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", text):
        return None
    return datetime.fromisoformat(text)


def component_errors(component: dict, where: str) -> list:
    errors = shape_errors(component, GROUP if component.get("group") else COMPONENT, where)
    if component.get("status") not in COMPONENT_STATUSES:
        errors.append(f"{where}.status: {component.get('status')!r}")
    return errors


def record_errors(record: dict, where: str, maintenance: bool) -> list:
    if maintenance:
        errors = shape_errors(record, MAINTENANCE, where, ADDED["maintenance"])
    else:
        errors = shape_errors(record, INCIDENT, where, ADDED["incident"])
    statuses = MAINTENANCE_STATUSES if maintenance else INCIDENT_STATUSES
    if record.get("status") not in statuses:
        errors.append(f"{where}.status: {record.get('status')!r}")
    impacts = {"maintenance"} if maintenance else {"none", "minor", "major", "critical"}
    if record.get("impact") not in impacts:
        errors.append(f"{where}.impact: {record.get('impact')!r}")
    for index, update in enumerate(record.get("incident_updates", [])):
        at = f"{where}.incident_updates[{index}]"
        errors += shape_errors(update, UPDATE, at, ADDED["update"])
        if update.get("status") not in statuses:
            errors.append(f"{at}.status: {update.get('status')!r}")
        for number, change in enumerate(update.get("affected_components") or []):
            errors += shape_errors(change, AFFECTED, f"{at}.affected_components[{number}]")
            for key in ("old_status", "new_status"):
                if change.get(key) not in COMPONENT_STATUSES | {None}:
                    errors.append(f"{at}.affected_components[{number}].{key}: {change.get(key)!r}")
    for index, component in enumerate(record.get("components", [])):
        errors += component_errors(component, f"{where}.components[{index}]")
    return errors


def file_errors(path: str, body: dict) -> list:
    errors = []
    if list(body) != FILES[path]:
        errors.append(f"{path}: top-level keys {list(body)}, expected {FILES[path]}")
    errors += shape_errors(body.get("page"), PAGE, f"{path}:page")
    if "status" in body:
        errors += shape_errors(body["status"], STATUS, f"{path}:status")
        if body["status"].get("indicator") not in INDICATORS:
            errors.append(f"{path}:status.indicator: {body['status'].get('indicator')!r}")
    for index, component in enumerate(body.get("components", [])):
        errors += component_errors(component, f"{path}:components[{index}]")
    for index, incident in enumerate(body.get("incidents", [])):
        errors += record_errors(incident, f"{path}:incidents[{index}]", maintenance=False)
    for index, maintenance in enumerate(body.get("scheduled_maintenances", [])):
        errors += record_errors(maintenance, f"{path}:scheduled_maintenances[{index}]", True)
    return errors


# -- helpers -----------------------------------------------------------------------------------
def api_files(site: Site, now: datetime) -> dict[str, bytes]:
    """The API's files, as written; the page is named with the site's name (site_name)."""
    return api_output.files(derive_snapshot(site, now), LINKS)


def api(site: Site, now: datetime) -> dict[str, dict]:
    """The API's files, parsed, by path."""
    return {path: json.loads(content) for path, content in api_files(site, now).items()}


def ids(objects: list[dict]) -> list[str]:
    return [item["id"] for item in objects]


def by_id(objects: list[dict], wanted: str) -> dict:
    return next(item for item in objects if item["id"] == wanted)


SETTINGS = SiteSettings.model_validate(
    {
        "timezone": "UTC",
        "components": [
            {"id": "api", "name": "Public API", "group": "Platform"},
            {"id": "web", "name": "Dashboard", "group": "Platform"},
            {"id": "email", "name": "Email"},
        ],
    }
)


def incident(id: str, impact: str, components: list[str], *updates: tuple) -> Incident:
    """``updates``: (at, status) or (at, status, {component: state})."""
    return Incident.model_validate(
        {
            "id": id,
            "title": f"Title of {id}",
            "impact": impact,
            "components": components,
            "updates": [
                {
                    "at": at,
                    "status": status,
                    "components": named[0] if named else {},
                    "body": "Text.",
                }
                for at, status, *named in updates
            ],
        }
    )


# -- the files and their shapes ----------------------------------------------------------------
def test_every_file_of_the_reference_exists_with_its_keys_fields_and_types(
    example_site, example_now
):
    files = api(example_site, example_now)
    assert sorted(files) == sorted(FILES)
    errors = [error for path, body in files.items() for error in file_errors(path, body)]
    assert errors == []
    # Nothing vacuous: the example fills every kind of object the checker knows.
    summary = files["api/v2/summary.json"]
    assert {c["group"] for c in summary["components"]} == {True, False}
    incidents = files["api/v2/incidents.json"]["incidents"]
    updates = [update for item in incidents for update in item["incident_updates"]]
    assert any(u["affected_components"] for u in updates)
    assert files["api/v2/scheduled-maintenances.json"]["scheduled_maintenances"]


def test_the_shape_checker_catches_a_missing_field_a_wrong_type_and_an_extra_field():
    good = {
        "id": "p",
        "name": "N",
        "url": "https://x/",
        "time_zone": "UTC",
        "updated_at": "2026-11-23T12:00:00.000Z",
    }
    assert shape_errors(good, PAGE, "page") == []
    assert shape_errors({**good, "updated_at": "2026-11-23T12:00:00"}, PAGE, "page") != []
    assert shape_errors({k: v for k, v in good.items() if k != "url"}, PAGE, "page") != []
    assert shape_errors({**good, "extra": 1}, PAGE, "page") != []
    assert shape_errors({"indicator": "none", "description": None}, STATUS, "status") != []


def test_the_page_names_the_site_its_zone_and_the_build_instant(example_site, example_now):
    page = api(example_site, example_now)["api/v2/status.json"]["page"]
    assert page["name"] == PAGE_NAME
    assert page["url"] == "https://status.example.com/"
    assert page["time_zone"] == "UTC"
    assert parse_time(page["updated_at"]) == example_now


# -- summary -------------------------------------------------------------------------------------
def test_the_summary_shows_the_open_incident_the_upcoming_maintenance_and_current_states(
    example_site, example_now
):
    summary = api(example_site, example_now)["api/v2/summary.json"]
    assert summary["status"] == {"indicator": "minor", "description": "Partially Degraded Service"}
    assert ids(summary["incidents"]) == [OPEN_INCIDENT]
    assert summary["incidents"][0]["status"] == "monitoring"
    assert ids(summary["scheduled_maintenances"]) == [UPCOMING_MAINTENANCE]
    assert summary["scheduled_maintenances"][0]["status"] == "scheduled"

    states = component_states_at(
        example_site.records, example_site.settings.component_ids, example_now
    )
    members = [c for c in summary["components"] if not c["group"]]
    assert {c["id"]: c["status"] for c in members} == {k: v.value for k, v in states.items()}
    assert states["webhooks"].value == "degraded_performance"


def test_groups_list_their_members_and_take_the_worst_of_their_states(example_site, example_now):
    components = api(example_site, example_now)["api/v2/components.json"]["components"]
    groups = [c for c in components if c["group"]]
    assert [(g["name"], g["components"]) for g in groups] == [
        ("Platform", ["api", "dashboard", "auth"]),
        ("Data", ["storage", "search", "exports"]),
        ("Delivery", ["webhooks", "email"]),
    ]
    delivery = by_id(components, groups[2]["id"])
    assert delivery["status"] == "degraded_performance"
    assert by_id(components, groups[0]["id"])["status"] == "operational"
    for group in groups:
        for member in group["components"]:
            assert by_id(components, member)["group_id"] == group["id"]
    assert [g["position"] for g in groups] == [1, 2, 3]
    assert by_id(components, "email")["position"] == 2  # second in Delivery


def test_a_component_was_updated_when_its_state_last_changed(example_site, example_now):
    components = api(example_site, example_now)["api/v2/components.json"]["components"]
    webhooks, email = by_id(components, "webhooks"), by_id(components, "email")
    assert parse_time(webhooks["updated_at"]) == datetime(2026, 11, 22, 21, 40, tzinfo=UTC)
    assert parse_time(email["updated_at"]) == datetime(2026, 10, 27, 16, 30, tzinfo=UTC)
    # created_at: the earliest record, the 2025-12-09 email notice, for every component
    assert {c["created_at"] for c in components} == {"2025-12-09T15:12:00.000Z"}
    assert {c["start_date"] for c in components} == {"2025-12-09"}


# -- indicator ---------------------------------------------------------------------------------
def test_maintenance_in_progress_with_nothing_broken_gives_the_maintenance_indicator(
    site_folder: SiteFolder,
):
    site_folder.record(
        "2026/db.yaml",
        """\
        kind: maintenance
        title: Database upgrade
        components: [api]
        scheduled:
          start: 2026-11-23T11:00:00Z
          end: 2026-11-23T13:00:00Z
        updates:
          - at: 2026-11-16T09:00:00Z
            status: scheduled
            body: We will upgrade the database.
          - at: 2026-11-23T11:00:00Z
            status: in_progress
            body: The upgrade has started.
        """,
    )
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    files = api(load_site(site_folder.config, now), now)
    summary = files["api/v2/summary.json"]
    assert summary["status"] == {
        "indicator": "maintenance",
        "description": "Service Under Maintenance",
    }
    assert by_id(summary["components"], "api")["status"] == "under_maintenance"
    assert ids(files["api/v2/scheduled-maintenances/active.json"]["scheduled_maintenances"]) == [
        "db"
    ]
    assert files["api/v2/scheduled-maintenances/upcoming.json"]["scheduled_maintenances"] == []
    maintenance = summary["scheduled_maintenances"][0]
    assert (maintenance["status"], maintenance["impact"]) == ("in_progress", "maintenance")
    assert [u["status"] for u in maintenance["incident_updates"]] == ["in_progress", "scheduled"]

    # Anything broken, even only slowed down, wins over maintenance.
    site_folder.record(
        "2026/slow.yaml",
        """\
        title: Slow emails
        impact: minor
        components: [email]
        updates:
          - at: 2026-11-23T11:30:00Z
            status: investigating
            body: Emails are slow.
        """,
    )
    status = api(load_site(site_folder.config, now), now)["api/v2/status.json"]["status"]
    assert status == {"indicator": "minor", "description": "Partially Degraded Service"}


@pytest.mark.parametrize(
    ("impact", "indicator", "description"),
    [
        ("none", "none", "All Systems Operational"),
        ("minor", "minor", "Partially Degraded Service"),
        ("major", "major", "Partial System Outage"),
        ("critical", "critical", "Major Service Outage"),
    ],
)
def test_an_open_incident_sets_the_indicator_from_the_states_its_impact_implies(
    impact, indicator, description
):
    now = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
    down = incident("down", impact, ["api"], ("2026-11-10T10:00:00Z", "investigating"))
    status = api(Site(SETTINGS, (down,)), now)["api/v2/status.json"]["status"]
    assert status == {"indicator": indicator, "description": description}


# -- incidents and their updates ---------------------------------------------------------------
def test_the_storage_outage_updates_say_what_each_did_to_its_components(example_site, example_now):
    storage = by_id(
        api(example_site, example_now)["api/v2/incidents.json"]["incidents"], STORAGE_OUTAGE
    )
    updates = list(reversed(storage["incident_updates"]))  # oldest first, as in the YAML
    changes = [
        None
        if u["affected_components"] is None
        else [(c["code"], c["old_status"], c["new_status"]) for c in u["affected_components"]]
        for u in updates
    ]
    assert changes == [
        # 11:12 UTC: the first update: the incident gave the components no state before it
        [
            ("api", None, "operational"),
            ("storage", None, "degraded_performance"),
            ("exports", None, "operational"),
        ],
        # 11:34: worse
        [
            ("api", "operational", "partial_outage"),
            ("storage", "degraded_performance", "major_outage"),
            ("exports", "operational", "major_outage"),
        ],
        None,  # 12:02 identified: names no component
        # 12:47 monitoring: recovering
        [
            ("api", "partial_outage", "operational"),
            ("storage", "major_outage", "degraded_performance"),
            ("exports", "major_outage", "degraded_performance"),
        ],
        # 13:40 monitoring: back to normal
        [
            ("storage", "degraded_performance", "operational"),
            ("exports", "degraded_performance", "operational"),
        ],
        None,  # 14:45 resolved
    ]
    # The new states are the ones written in the record, update by update.
    written = yaml.safe_load(
        (REPO / "incidents" / "2026" / f"{STORAGE_OUTAGE}.yaml").read_text(encoding="utf-8")
    )["updates"]
    written.sort(key=lambda u: datetime.fromisoformat(str(u["at"]).replace("Z", "+00:00")))
    for update, source in zip(updates, written, strict=True):
        assert {c["code"]: c["new_status"] for c in update["affected_components"] or []} == (
            source.get("components") or {}
        )
        assert update["body"] == source["body"].strip()
    names = {c["code"]: c["name"] for c in updates[0]["affected_components"]}
    assert names == {
        "api": "Public API",
        "storage": "File storage",
        "exports": "Reports and exports",
    }


def test_an_incident_carries_its_times_link_components_and_markdown(example_site, example_now):
    storage = by_id(
        api(example_site, example_now)["api/v2/incidents.json"]["incidents"], STORAGE_OUTAGE
    )
    assert storage["name"] == "File storage outage affecting uploads, downloads and exports"
    assert (storage["status"], storage["impact"]) == ("resolved", "critical")
    times = {
        key: storage[key]
        for key in ("created_at", "started_at", "updated_at", "monitoring_at", "resolved_at")
    }
    assert times == {
        "created_at": "2026-08-04T11:12:00.000Z",  # written as 13:12+02:00
        "started_at": "2026-08-04T11:12:00.000Z",
        "updated_at": "2026-08-04T14:45:00.000Z",
        "monitoring_at": "2026-08-04T12:47:00.000Z",
        "resolved_at": "2026-08-04T14:45:00.000Z",
    }
    assert storage["shortlink"] == f"https://status.example.com/incidents/{STORAGE_OUTAGE}/"
    assert ids(storage["components"]) == ["api", "storage", "exports"]
    newest = storage["incident_updates"][0]
    assert newest["status"] == "resolved"
    assert (
        newest["created_at"]
        == newest["display_at"]
        == newest["updated_at"]
        == ("2026-08-04T14:45:00.000Z")
    )
    assert newest["incident_id"] == STORAGE_OUTAGE
    assert (newest["deliver_notifications"], newest["custom_tweet"], newest["tweet_id"]) == (
        True,
        None,
        None,
    )
    assert newest["body"].startswith("Everything has been working normally")
    assert "**No files were lost.**" in newest["body"]
    assert "<strong>No files were lost.</strong>" in newest["body_html"]


def test_the_api_shows_an_incident_as_it_stood_at_now(example_site):
    """Mid-outage, only the updates posted so far count."""
    now = datetime(2026, 8, 4, 12, 30, tzinfo=UTC)
    files = api(example_site, now)
    unresolved = files["api/v2/incidents/unresolved.json"]["incidents"]
    assert ids(unresolved) == [STORAGE_OUTAGE]
    storage = unresolved[0]
    assert (storage["status"], storage["resolved_at"], storage["monitoring_at"]) == (
        "identified",
        None,
        None,
    )
    assert [u["status"] for u in storage["incident_updates"]] == [
        "identified",
        "investigating",
        "investigating",
    ]
    assert files["api/v2/status.json"]["status"]["indicator"] == "critical"
    # Incidents that begin later are not there yet.
    assert "2026-11-22-delayed-webhook-deliveries" not in ids(
        files["api/v2/incidents.json"]["incidents"]
    )


def test_monitoring_at_is_kept_once_resolved_and_cleared_when_reopened():
    now = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
    fixed = incident(
        "fixed",
        "minor",
        ["api"],
        ("2026-11-10T08:00:00Z", "investigating"),
        ("2026-11-10T08:30:00Z", "monitoring"),
        ("2026-11-10T08:45:00Z", "monitoring"),
        ("2026-11-10T09:00:00Z", "resolved"),
    )
    reopened = incident(
        "reopened",
        "minor",
        ["web"],
        ("2026-11-10T08:00:00Z", "investigating"),
        ("2026-11-10T08:30:00Z", "monitoring"),
        ("2026-11-10T09:00:00Z", "resolved"),
        ("2026-11-10T10:00:00Z", "investigating"),
    )
    incidents = api(Site(SETTINGS, (fixed, reopened)), now)["api/v2/incidents.json"]["incidents"]
    assert by_id(incidents, "fixed")["monitoring_at"] == "2026-11-10T08:30:00.000Z"
    assert by_id(incidents, "fixed")["resolved_at"] == "2026-11-10T09:00:00.000Z"
    assert by_id(incidents, "reopened")["monitoring_at"] is None
    assert by_id(incidents, "reopened")["resolved_at"] is None
    assert by_id(incidents, "reopened")["status"] == "investigating"


def test_a_reopened_incident_reports_no_old_state_after_its_resolution():
    now = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
    again = incident(
        "again",
        "major",
        ["api"],
        ("2026-11-10T08:00:00Z", "investigating"),
        ("2026-11-10T08:20:00Z", "identified", {"api": "major_outage"}),
        ("2026-11-10T09:00:00Z", "resolved"),
        ("2026-11-10T10:00:00Z", "investigating", {"api": "degraded_performance"}),
    )
    updates = api(Site(SETTINGS, (again,)), now)["api/v2/incidents.json"]["incidents"][0][
        "incident_updates"
    ]
    reopening, _, identified, _ = updates
    # 08:20: before it, the incident gave api the state its impact implies (major: partial outage)
    assert identified["affected_components"] == [
        {
            "code": "api",
            "name": "Public API",
            "old_status": "partial_outage",
            "new_status": "major_outage",
        },
    ]
    assert reopening["affected_components"] == [
        {
            "code": "api",
            "name": "Public API",
            "old_status": None,
            "new_status": "degraded_performance",
        },
    ]


# -- lists ----------------------------------------------------------------------------------
def test_the_lists_hold_what_the_reference_says_newest_first(example_site, example_now):
    files = api(example_site, example_now)
    incidents = files["api/v2/incidents.json"]["incidents"]
    started = [parse_time(i["started_at"]) for i in incidents]
    assert started == sorted(started, reverse=True)
    assert len(incidents) == len(example_site.incidents) == 17
    assert {i["status"] for i in incidents} == {"monitoring", "resolved"}
    assert ids(files["api/v2/incidents/unresolved.json"]["incidents"]) == [OPEN_INCIDENT]
    maintenances = files["api/v2/scheduled-maintenances.json"]["scheduled_maintenances"]
    assert [(m["id"], m["status"]) for m in maintenances] == [
        (UPCOMING_MAINTENANCE, "scheduled"),
        ("2026-10-14-storage-platform-upgrade", "completed"),
        ("2026-03-11-search-cluster-upgrade", "completed"),
    ]
    upcoming = files["api/v2/scheduled-maintenances/upcoming.json"]["scheduled_maintenances"]
    assert ids(upcoming) == [UPCOMING_MAINTENANCE]
    assert (upcoming[0]["scheduled_for"], upcoming[0]["scheduled_until"]) == (
        "2026-12-08T02:00:00.000Z",
        "2026-12-08T04:00:00.000Z",
    )
    assert ids(upcoming[0]["components"]) == ["api", "dashboard"]
    assert files["api/v2/scheduled-maintenances/active.json"]["scheduled_maintenances"] == []
    completed = by_id(maintenances, "2026-10-14-storage-platform-upgrade")
    assert completed["resolved_at"] == "2026-10-14T03:50:00.000Z"


def test_the_full_lists_stop_at_the_50_most_recent():
    now = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
    start = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    records = []
    for day in range(55):
        at = start + timedelta(days=day)
        records.append(
            incident(
                f"incident-{day:02}",
                "minor",
                ["api"],
                (at.isoformat(), "investigating"),
                ((at + timedelta(hours=1)).isoformat(), "resolved"),
            )
        )
        records.append(
            Maintenance.model_validate(
                {
                    "kind": "maintenance",
                    "id": f"work-{day:02}",
                    "title": "Work",
                    "components": ["web"],
                    "scheduled": {
                        "start": at.isoformat(),
                        "end": (at + timedelta(hours=2)).isoformat(),
                    },
                }
            )
        )
    files = api(Site(SETTINGS, tuple(records)), now)
    assert ids(files["api/v2/incidents.json"]["incidents"]) == [
        f"incident-{day:02}" for day in range(54, 4, -1)
    ]
    assert ids(files["api/v2/scheduled-maintenances.json"]["scheduled_maintenances"]) == [
        f"work-{day:02}" for day in range(54, 4, -1)
    ]


# -- times ----------------------------------------------------------------------------------
def test_times_are_written_in_the_sites_zone_with_its_offset():
    paris = SETTINGS.model_copy(update={"timezone": "Europe/Paris"})
    now = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
    slow = incident("slow", "minor", ["api"], ("2026-11-10T10:00:00Z", "investigating"))
    files = api(Site(paris, (slow,)), now)
    page = files["api/v2/summary.json"]["page"]
    assert page["time_zone"] == "Europe/Paris"
    assert page["updated_at"] == "2026-11-10T13:00:00.000+01:00"
    assert files["api/v2/summary.json"]["incidents"][0]["started_at"] == (
        "2026-11-10T11:00:00.000+01:00"
    )


def test_a_naive_now_is_refused(example_site):
    with pytest.raises(ValueError, match="timezone"):
        api_files(example_site, datetime(2026, 11, 23, 12, 0))


# -- stable ids and identical bytes ----------------------------------------------------------
def every_id(files: dict[str, dict]) -> dict[str, list[str]]:
    summary = files["api/v2/summary.json"]
    records = [
        *files["api/v2/incidents.json"]["incidents"],
        *files["api/v2/scheduled-maintenances.json"]["scheduled_maintenances"],
    ]
    return {
        "page": [summary["page"]["id"]],
        "components": ids(summary["components"]),
        "records": ids(records),
        "updates": [u["id"] for record in records for u in record["incident_updates"]],
    }


def test_ids_do_not_change_from_one_build_to_the_next(example_site, example_now):
    now_ids = every_id(api(example_site, example_now))
    later_ids = every_id(api(example_site, example_now + timedelta(hours=1)))
    assert later_ids == now_ids
    updates = now_ids["updates"]
    assert len(set(updates)) == len(updates) == sum(len(r.updates) for r in example_site.records)


def test_a_records_ids_do_not_depend_on_the_other_records(example_site, example_now):
    def update_ids(site: Site) -> list[str]:
        incidents = api(site, example_now)["api/v2/incidents.json"]["incidents"]
        return ids(by_id(incidents, STORAGE_OUTAGE)["incident_updates"])

    alone = Site(
        example_site.settings, tuple(r for r in example_site.records if r.id == STORAGE_OUTAGE)
    )
    assert len(update_ids(alone)) == 6
    assert update_ids(alone) == update_ids(example_site)


def test_the_same_records_and_instant_give_the_same_bytes(example_site, example_now):
    first = api_files(example_site, example_now)
    reloaded = load_site(REPO / "mkdocs.yml", example_now)
    shuffled = dataclasses.replace(reloaded, records=tuple(reversed(reloaded.records)))
    second = api_files(shuffled, example_now)
    assert first == second
    later = api_files(example_site, example_now + timedelta(hours=1))
    assert later != first  # the page's updated_at moved: the output does depend on now
    text = first["api/v2/summary.json"].decode("utf-8")
    assert text.endswith("}\n") and text.startswith('{\n  "page": {\n    "id": ')


# -- a real client --------------------------------------------------------------------------
def test_the_statuspage_prometheus_exporter_reads_our_summary(
    example_site, example_now, example_build: Path, tmp_path: Path
):
    """statuspage-prometheus-exporter, run once as a cron job would, against the built site."""
    if importlib.util.find_spec("statuspage_prometheus_exporter") is None:
        tool_missing("statuspage-prometheus-exporter is not installed: pip install -e '.[test]'")
    from prometheus_client.parser import text_string_to_metric_families

    run_dir = tmp_path / "exporter"
    run_dir.mkdir()
    with serve(example_build) as server:
        services = run_dir / "services.json"
        services.write_text(
            json.dumps(
                {
                    "flare": {"url": server.url_for("api/v2/summary.json"), "name": PAGE_NAME},
                }
            ),
            encoding="utf-8",
        )
        env = {key: value for key, value in os.environ.items() if "proxy" not in key.lower()}
        env.update(
            RUN_MODE="once",
            SERVICES_JSON_PATH=str(services),
            METRICS_TEXTFILE_PATH=str(run_dir / "metrics.prom"),
            NO_PROXY="127.0.0.1",
            no_proxy="127.0.0.1",
        )
        result = subprocess.run(
            [sys.executable, "-m", "statuspage_prometheus_exporter.status_monitoring"],
            cwd=run_dir,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert ("GET", "/api/v2/summary.json", 200) in [
            (hit.method, hit.path, hit.status) for hit in server.log
        ]
    assert f"{PAGE_NAME}: minor" in result.stderr  # its log line for the check

    samples = [
        sample
        for family in text_string_to_metric_families(
            (run_dir / "metrics.prom").read_text(encoding="utf-8")
        )
        for sample in family.samples
        if sample.name.startswith("statuspage_")
    ]

    def values(name: str) -> list[tuple[dict, float]]:
        return [(sample.labels, sample.value) for sample in samples if sample.name == name]

    assert values("statuspage_probe_check") == [({"service_name": PAGE_NAME}, 1.0)]
    assert values("statuspage_service_status") == [({"service_name": PAGE_NAME}, 0.0)]

    # Every component and group, 1 when operational: what component_states_at says.
    components = {
        labels["component_name"]: value for labels, value in values("statuspage_component_status")
    }
    states = component_states_at(
        example_site.records, example_site.settings.component_ids, example_now
    )
    expected = {
        c.name: float(states[c.id].value == "operational") for c in example_site.settings.components
    }
    expected.update({"Platform": 1.0, "Data": 1.0, "Delivery": 0.0})
    assert components == expected

    incidents = [labels for labels, value in values("statuspage_incident_info") if value == 1]
    assert [
        (i["incident_id"], i["impact"], i["affected_components"], i["shortlink"]) for i in incidents
    ] == [
        (
            OPEN_INCIDENT,
            "minor",
            "Webhooks",
            f"https://status.example.com/incidents/{OPEN_INCIDENT}/",
        )
    ]
    assert incidents[0]["started_at"] == "2026-11-22T21:40:00Z"
    maintenances = [labels for labels, value in values("statuspage_maintenance_info") if value == 1]
    assert [
        (m["maintenance_id"], m["scheduled_start"], m["scheduled_end"], m["affected_components"])
        for m in maintenances
    ] == [
        (
            UPCOMING_MAINTENANCE,
            "2026-12-08T02:00:00Z",
            "2026-12-08T04:00:00Z",
            "Public API, Dashboard",
        )
    ]
