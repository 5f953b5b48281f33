"""From alert to draft incident: `flare alert` reads a monitoring tool's notification and writes
a draft a person rewrites and publishes (`flare publish`); nothing unreviewed reaches the site.

The notifications (tests/support/alerts.py) are written as each tool's documentation gives its
webhook's body.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from conftest import SMALL_CONFIG, SiteFolder, flare
from generator.author.alerts import AlertError, read_notification
from generator.load.yamlsource import read_yaml_file
from generator.model.records import AlertSource
from support.alerts import GRAFANA, GROUP, RULES, alertmanager, api_alert, kuma

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def site(site_folder: SiteFolder) -> SiteFolder:
    site_folder.config.write_text(
        SMALL_CONFIG.replace("site_url:", RULES + "site_url:"), encoding="utf-8"
    )
    return site_folder


def send(site: SiteFolder, body: dict[str, Any] | str, *args: str):
    path = site.root / "notification.json"
    path.write_text(body if isinstance(body, str) else json.dumps(body), encoding="utf-8")
    return flare("alert", str(path), "-C", str(site.root), *args)


def drafts(site: SiteFolder) -> dict[str, dict[str, Any]]:
    """Every record file under incidents/, by id, as written."""
    return {path.stem: read_yaml_file(path).value for path in site.incidents.rglob("*.yaml")}


def only_record(site: SiteFolder) -> tuple[str, dict[str, Any]]:
    (found,) = drafts(site).items()
    return found


# -- reading each format ----------------------------------------------------------------------
def test_each_tools_notification_reads_as_one_shape():
    manager = read_notification(json.dumps(alertmanager()))
    assert (manager.source, manager.group, manager.firing) == (
        AlertSource.ALERTMANAGER,
        GROUP,
        True,
    )
    (alert,) = manager.alerts
    assert alert.starts_at == datetime(2026, 11, 23, 2, 40, 12, tzinfo=UTC)  # to the second
    assert (alert.ends_at, alert.fingerprint, alert.name) == (None, "fp-api-1", "HighErrorRate")

    grafana = read_notification(json.dumps(GRAFANA))
    assert grafana.source is AlertSource.GRAFANA
    assert grafana.alerts[0].starts_at == datetime(2026, 11, 23, 2, 0, tzinfo=UTC)

    down = read_notification(json.dumps(kuma(0, "2026-11-23 04:10:00.527")))
    assert (down.source, down.firing, down.labels["monitor"]) == (
        AlertSource.UPTIME_KUMA,
        True,
        "Email relay",
    )
    assert down.alerts[0].starts_at == datetime(2026, 11, 23, 4, 10, 0, 527000, tzinfo=UTC)
    up = read_notification(json.dumps(kuma(1, "2026-11-23 04:30:00.000")))
    assert (up.group, up.firing) == (down.group, False)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("{not json", "is not JSON"),
        ('{"hello": "world"}', "not one Flare reads: Alertmanager's"),
        (json.dumps({**alertmanager(), "version": "3"}), "version: found '3'"),
        (json.dumps({**alertmanager(), "status": "pending"}), "status: found 'pending'"),
        (
            json.dumps(alertmanager("firing", {**api_alert(), "startsAt": "soon"})),
            "alerts[0].startsAt: found 'soon'",
        ),  # fmt: skip
        (json.dumps({**kuma(2, "2026-11-23 04:10:00"), "msg": "pending"}), "pending (2)"),
    ],
)
def test_a_notification_flare_cannot_read_is_a_sentence_naming_the_field(body: str, words: str):
    with pytest.raises(AlertError, match=re.escape(words)):
        read_notification(body)


# -- mapping --------------------------------------------------------------------------------------
def test_a_firing_alert_opens_a_draft_incident_mapped_by_the_rules(site: SiteFolder):
    result = send(site, alertmanager())

    assert result.returncode == 0, result.stderr
    record_id, record = only_record(site)
    assert record_id == "2026-11-23-higherrorrate"
    assert result.stdout.splitlines() == [
        f"incidents/2026/{record_id}.yaml",
        f"id: {record_id}",
        "alert: HighErrorRate: More than 5% of requests to api-1 fail",
    ]
    assert record["draft"] is True
    assert (record["impact"], record["components"]) == ("major", ["api"])
    assert record["title"].startswith("TODO:")
    (update,) = record["updates"]
    assert update["status"] == "investigating"
    assert update["body"].startswith("TODO: rewrite this for customers")
    assert "More than 5% of requests to api-1 fail" in update["body"]  # the alert's words
    assert record["alert"] == {
        "source": "alertmanager",
        "group": GROUP,
        "fingerprints": ["fp-api-1"],
    }
    # Detected when the alert began, which is the earliest the impact is known to have started.
    marks = {event["milestone"]: event["at"] for event in record["postmortem"]["timeline"]}
    assert marks == {"impact_started": "2026-11-23T02:40:12Z", "detected": "2026-11-23T02:40:12Z"}
    validated = flare("validate", str(site.root))
    assert validated.returncode == 0, validated.stderr
    assert "(1 draft, shown nowhere until flare publish)" in validated.stdout


@pytest.mark.parametrize(
    ("body", "components", "impact"),
    [
        (GRAFANA, ["web"], "minor"),  # a list of allowed values
        (kuma(0, "2026-11-23 04:10:00.527"), ["email"], "critical"),  # Kuma's monitor label
    ],
)
def test_grafana_and_uptime_kuma_alerts_open_drafts_too(site, body, components, impact):
    result = send(site, body)

    assert result.returncode == 0, result.stderr
    _, record = only_record(site)
    assert (record["components"], record["impact"], record["draft"]) == (components, impact, True)


def test_an_unreadable_notification_is_named_by_its_file_and_writes_nothing(site: SiteFolder):
    body = alertmanager("firing", {**api_alert(), "startsAt": "soon"})
    result = send(site, body)

    assert result.returncode == 1
    assert "notification.json: alerts[0].startsAt: found 'soon'" in result.stderr
    assert drafts(site) == {}
    piped = flare("alert", "-", "-C", str(site.root), input="{not json")
    assert "<stdin>: the notification is not JSON" in piped.stderr


def test_a_rule_naming_an_unknown_component_is_an_error_at_its_place(site_folder: SiteFolder):
    rules = RULES.replace("components: [web]", "components: [web, emial]")
    site_folder.config.write_text(
        SMALL_CONFIG.replace("site_url:", rules + "site_url:"), encoding="utf-8"
    )
    result = flare("validate", str(site_folder.root))

    assert result.returncode == 1
    line = 1 + SMALL_CONFIG.replace("site_url:", rules + "site_url:").splitlines().index(
        "            components: [web, emial]"
    )
    assert (
        f"mkdocs.yml:{line}:31: error: plugins[0].flare.alerts.rules[1].components[1]: unknown "
        "component 'emial'; the components declared are: api, web, email"
    ) in result.stderr


def test_an_alert_no_rule_matches_names_its_labels_and_writes_nothing(site: SiteFolder):
    other = {**api_alert(), "labels": {"alertname": "DiskFull", "host": "db-2"}}
    body = {**alertmanager("firing", other), "commonLabels": other["labels"]}
    result = send(site, body)

    assert result.returncode == 1
    assert "no rule of alerts: rules: in mkdocs.yml matches the alert's labels" in result.stderr
    assert "alertname=DiskFull, host=db-2" in result.stderr
    assert drafts(site) == {}


# -- one draft per alert group --------------------------------------------------------------------
def test_one_draft_per_group_whatever_the_notifications(site: SiteFolder):
    assert send(site, alertmanager()).returncode == 0
    record_id, first = only_record(site)

    repeat = send(site, alertmanager())  # Alertmanager repeats a group every repeat_interval
    assert repeat.returncode == 0, repeat.stderr
    assert repeat.stdout.startswith("nothing new")
    assert only_record(site) == (record_id, first)

    # A second instance of the group fires: a draft update on the same record.
    two = alertmanager("firing", api_alert(), api_alert("api-2", starts="2026-11-23T02:45:00Z"))
    assert send(site, two).returncode == 0
    assert send(site, two).stdout.startswith("nothing new")
    _, record = only_record(site)
    assert record["alert"]["fingerprints"] == ["fp-api-1", "fp-api-2"]
    added = record["updates"][-1]
    assert (added["at"], added["draft"], added["status"]) == ("2026-11-23T02:45:00Z", True,
                                                              "investigating")  # fmt: skip
    assert "api-2" in added["body"] and "api-1" not in added["body"]

    # The group resolves: a draft resolution, once.
    resolved = alertmanager(
        "resolved",
        api_alert(status="resolved", ends="2026-11-23T03:10:00Z"),
        api_alert("api-2", status="resolved", starts="2026-11-23T02:45:00Z",
                  ends="2026-11-23T03:12:00Z"),
    )  # fmt: skip
    assert send(site, resolved).returncode == 0
    assert send(site, resolved).stdout.startswith("nothing new")
    _, record = only_record(site)
    resolution = record["updates"][-1]
    assert (resolution["status"], resolution["at"], resolution["draft"]) == (
        "resolved",
        "2026-11-23T03:12:00Z",
        True,
    )
    assert len(record["updates"]) == 3
    assert flare("validate", str(site.root)).returncode == 0


def test_an_alert_that_flaps_updates_its_draft_instead_of_opening_another(site: SiteFolder):
    send(site, alertmanager())
    send(site, alertmanager("resolved", api_alert(status="resolved", ends="2026-11-23T03:00:00Z")))
    # Fires again 15 minutes later, inside the 20-minute window: the draft resolution was wrong.
    again = alertmanager("firing", api_alert(starts="2026-11-23T03:15:00Z"))
    result = send(site, again)

    assert result.returncode == 0, result.stderr
    assert "withdrew the draft resolution" in result.stdout
    _, record = only_record(site)
    assert [update["status"] for update in record["updates"]] == ["investigating", "investigating"]
    assert record["updates"][-1]["at"] == "2026-11-23T03:15:00Z"


def test_a_published_incident_that_fires_again_soon_gets_a_draft_reopening(site: SiteFolder):
    send(site, alertmanager())
    record_id, _ = only_record(site)
    rewrite(site, record_id)
    send(site, alertmanager("resolved", api_alert(status="resolved", ends="2026-11-23T03:00:00Z")))
    rewrite(site, record_id)
    assert flare("publish", record_id, "-C", str(site.root)).returncode == 0

    soon = send(site, alertmanager("firing", api_alert(starts="2026-11-23T03:10:00Z")))
    assert "added a draft reopening" in soon.stdout
    _, record = only_record(site)
    reopening = record["updates"][-1]
    assert (reopening["reopened"], reopening["draft"]) == (True, True)

    # Fires again long after: a new draft of its own.
    rewrite(site, record_id)
    assert flare("publish", record_id, "-C", str(site.root)).returncode == 0
    late = alertmanager("resolved", api_alert(status="resolved", ends="2026-11-23T03:20:00Z"))
    send(site, late)
    rewrite(site, record_id)
    flare("publish", record_id, "-C", str(site.root))
    send(site, alertmanager("firing", api_alert(starts="2026-11-23T05:00:00Z")))
    assert len(drafts(site)) == 2


# -- publishing -----------------------------------------------------------------------------------
def rewrite(site: SiteFolder, record_id: str) -> None:
    """What the person on call does: rewrite every TODO in the title and the updates."""
    (path,) = site.incidents.rglob(f"{record_id}.yaml")
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: 'TODO: a title customers understand (alert: HighErrorRate)'",
                        "title: Some API requests fail")  # fmt: skip
    text = "\n".join(
        line.replace(
            "TODO: rewrite this for customers", "Some API requests fail; we are on it"
        ).replace("TODO: the alert", "The alert")
        for line in text.splitlines()
    )
    path.write_text(text + "\n", encoding="utf-8")


def test_publish_refuses_a_placeholder_and_names_each_then_publishes(site: SiteFolder):
    send(site, alertmanager())
    record_id, _ = only_record(site)

    refused = flare("publish", record_id, "-C", str(site.root))
    assert refused.returncode == 1
    assert f"{record_id}.yaml:1:8: error: title: still the placeholder flare alert wrote" in (
        refused.stderr
    )
    assert "updates[0].body: still the placeholder" in refused.stderr
    assert only_record(site)[1]["draft"] is True  # nothing was written

    rewrite(site, record_id)
    published = flare("publish", record_id, "-C", str(site.root))
    assert published.returncode == 0, published.stderr
    assert published.stdout.splitlines()[-1] == f"published the record of {record_id}"
    assert "draft" not in only_record(site)[1]
    again = flare("publish", record_id, "-C", str(site.root))
    assert again.returncode == 1 and "is not a draft" in again.stderr


def test_removing_the_draft_flag_by_hand_does_not_publish_a_placeholder(site: SiteFolder):
    send(site, alertmanager())
    (path,) = site.incidents.rglob("*.yaml")
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), "utf-8")

    result = flare("build", str(site.root), now=NOW)
    assert result.returncode == 1
    assert "title: still the placeholder flare alert wrote" in result.stderr


# -- drafts reach no output -----------------------------------------------------------------------
SENTINEL = "UNREVIEWED-7f3a"


def test_drafts_appear_in_no_page_feed_api_badge_or_calendar(site: SiteFolder):
    # A draft record, and a published incident with a draft update.
    site.record(
        "2026/draft.yaml",
        f"""\
        title: "{SENTINEL} title"
        impact: critical
        components: [web]
        draft: true
        updates:
          - at: 2026-11-23T09:00:00Z
            status: investigating
            components: {{web: major_outage}}
            body: {SENTINEL} body.
        """,
    )
    site.record(
        "2026/published.yaml",
        f"""\
        title: Slow sign-in
        impact: minor
        components: [api]
        updates:
          - at: 2026-11-23T08:00:00Z
            status: investigating
            body: Sign-in is slow.
          - at: 2026-11-23T09:30:00Z
            status: resolved
            draft: true
            body: {SENTINEL} resolution.
        """,
    )
    result = flare("build", str(site.root), now=NOW)
    assert result.returncode == 0, result.stderr

    built = site.root / "site"
    files = [path for path in built.rglob("*") if path.is_file()]
    assert len(files) > 20
    assert [str(p.relative_to(built)) for p in files if SENTINEL.encode() in p.read_bytes()] == []
    # The published incident is there, still open: its resolution is a draft.
    unresolved = json.loads((built / "api/v2/incidents/unresolved.json").read_text("utf-8"))
    assert [incident["name"] for incident in unresolved["incidents"]] == ["Slow sign-in"]
    summary = json.loads((built / "api/v2/components.json").read_text("utf-8"))
    web = next(c for c in summary["components"] if c["id"] == "web")
    assert web["status"] == "operational"  # the draft's major outage is nowhere


def test_a_published_record_may_not_link_to_a_draft(site: SiteFolder):
    send(site, alertmanager())
    record_id, _ = only_record(site)
    site.record(
        "2026/earlier.yaml",
        f"""\
        title: API errors
        impact: major
        components: [api]
        updates:
          - at: 2026-11-20T08:00:00Z
            status: investigating
            body: Errors.
          - at: 2026-11-20T09:00:00Z
            status: resolved
            body: Fixed.
        postmortem:
          stage: immediate
          related: [{record_id}]
        """,
    )
    result = flare("validate", str(site.root))

    assert result.returncode == 1
    assert f"postmortem.related[0]: '{record_id}' is a draft, shown nowhere yet" in result.stderr


def test_a_draft_update_must_come_after_every_posted_one(site: SiteFolder):
    site.record(
        "2026/mixed.yaml",
        """\
        title: Slow sign-in
        impact: minor
        components: [api]
        updates:
          - at: 2026-11-23T08:00:00Z
            status: investigating
            draft: true
            body: Sign-in is slow.
          - at: 2026-11-23T09:00:00Z
            status: identified
            body: A slow database.
        """,
    )
    result = flare("validate", str(site.root))

    assert result.returncode == 1
    assert "mixed.yaml:7:12: error: updates[0].draft: a draft update comes before" in result.stderr


def test_a_timeline_kept_while_the_incident_is_open_is_not_warned_about(site: SiteFolder):
    send(site, alertmanager())
    validated = flare("validate", str(site.root))
    assert "post-mortem follows its resolution" not in validated.stderr


def test_a_notification_from_standard_input(site: SiteFolder):
    result = flare("alert", "-", "-C", str(site.root), input=json.dumps(alertmanager()))
    assert result.returncode == 0, result.stderr
    assert len(drafts(site)) == 1
