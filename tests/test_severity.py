"""Severity over time: an incident's impact can change on an update (a minor incident becomes
critical), and every output follows the impact in effect, or the worst it reached."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import lxml.html
import pytest

from conftest import SiteFolder, flare
from generator.derive.snapshot import derive_snapshot
from generator.derive.state import incident_states_at
from generator.load.settings import SiteSettings
from generator.model.components import ComponentState
from generator.model.records import Impact, Incident
from generator.render.links import record_path
from generator.validate.site import Site

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 3, hour, minute, tzinfo=UTC)


def minutes(count: int) -> timedelta:
    return timedelta(minutes=count)


def escalating(**postmortem) -> Incident:
    """Minor at 10:00, critical at 10:30 (the web too from then), major at 11:00, resolved at
    12:00."""
    return Incident.model_validate(
        {
            "id": "escalating",
            "title": "Checkout errors",
            "impact": "minor",
            "components": ["api", "web"],
            "updates": [
                {"at": at(10), "status": "investigating", "body": "Some errors."},
                {
                    "at": at(10, 30),
                    "status": "investigating",
                    "impact": "critical",
                    "components": {"web": "partial_outage"},
                    "body": "Checkout is down.",
                },
                {
                    "at": at(10, 45),
                    "status": "identified",
                    "impact": "critical",
                    "body": "A bad deploy; rolling back.",
                },
                {"at": at(11), "status": "monitoring", "impact": "major", "body": "Recovering."},
                {"at": at(12), "status": "resolved", "body": "Fixed."},
            ],  # fmt: skip
            **({"postmortem": postmortem} if postmortem else {}),
        }
    )


def site(*records: Incident) -> Site:
    components = [{"id": "api", "name": "Public API"}, {"id": "web", "name": "Dashboard"}]
    return Site(SiteSettings.model_validate({"components": components}), records)


# -- the model ------------------------------------------------------------------------------------
def test_an_update_changes_the_impact_from_then_on_and_a_restated_impact_changes_nothing():
    incident = escalating()

    assert [(c.at, c.old, c.new, c.raised) for c in incident.impact_changes] == [
        (at(10, 30), Impact.MINOR, Impact.CRITICAL, True),
        (at(11), Impact.CRITICAL, Impact.MAJOR, False),
    ]  # 10:45 says critical again: no change
    assert incident.impact_at(at(10, 29)) is Impact.MINOR
    assert incident.impact_at(at(10, 30)) is Impact.CRITICAL
    assert incident.impact_at(at(11, 30)) is Impact.MAJOR
    assert (incident.current_impact, incident.worst_impact) == (Impact.MAJOR, Impact.CRITICAL)
    assert incident.impact_reported == {
        Impact.MINOR: at(10),
        Impact.CRITICAL: at(10, 30),
        Impact.MAJOR: at(11),
    }


def test_an_incident_whose_updates_name_no_impact_keeps_the_one_first_reported():
    incident = Incident.model_validate(
        {
            "id": "steady",
            "title": "Slow",
            "impact": "major",
            "components": ["api"],
            "updates": [{"at": at(10), "status": "investigating", "body": "Slow."}],
        }  # fmt: skip
    )
    assert incident.impact_changes == ()
    assert incident.current_impact is incident.worst_impact is Impact.MAJOR


def test_an_unknown_impact_on_an_update_says_what_is_allowed(site_folder: SiteFolder):
    site_folder.record(
        "2026/raised.yaml",
        """\
        title: Checkout errors
        impact: minor
        components: [api]
        updates:
          - at: 2026-11-03T10:00:00Z
            status: investigating
            impact: severe
            body: Some errors.
        """,
    )
    result = flare("validate", str(site_folder.root))

    assert result.returncode == 1
    assert "raised.yaml:7:13: error: updates[0].impact:" in result.stderr
    assert "found 'severe'; allowed: none, minor, major, critical" in result.stderr


# -- states ----------------------------------------------------------------------------------------
def test_the_state_an_impact_implies_follows_the_impact_and_a_named_state_stays():
    incident = escalating()
    degraded, partial = ComponentState.DEGRADED_PERFORMANCE, ComponentState.PARTIAL_OUTAGE

    assert incident_states_at(incident, at(10, 15)) == {"api": degraded, "web": degraded}
    # Critical implies a major outage; the web was named partial outage by the same update.
    assert incident_states_at(incident, at(10, 30)) == {
        "api": ComponentState.MAJOR_OUTAGE,
        "web": partial,
    }
    assert incident_states_at(incident, at(11)) == {"api": partial, "web": partial}
    assert incident_states_at(incident, at(12)) == {}


# -- the reliability report ------------------------------------------------------------------------
def test_metrics_by_impact_count_from_the_first_report_of_each_level():
    postmortem = {
        "stage": "immediate",
        "published": {"immediate": "2026-11-04T09:00:00Z"},
        "timeline": [
            {"at": at(9, 50), "text": "Errors begin.", "milestone": "impact_started"},
            {"at": at(10), "text": "Alert.", "milestone": "detected"},
            {"at": at(10, 50), "text": "Rolled back.", "milestone": "mitigated"},
            {"at": at(11, 40), "text": "Verified.", "milestone": "resolved"},
        ],
    }
    steady = Incident.model_validate(
        {
            "id": "steady",
            "title": "Slow",
            "impact": "major",
            "components": ["api"],
            "updates": [
                {"at": at(13), "status": "investigating", "body": "Slow."},
                {"at": at(13, 25), "status": "resolved", "body": "Fixed."},
            ],
        }  # fmt: skip
    )
    report = derive_snapshot(site(escalating(**postmortem), steady), NOW).reliability.report()
    rows = {row.metric.value: row for row in report.durations}

    def values(metric: str, impact: Impact | None) -> tuple[timedelta, ...]:
        row = rows[metric]
        return (row.overall if impact is None else row.by_impact[impact]).values

    # First reported as minor: every metric over its whole span, from 09:50.
    assert values("time_to_detect", Impact.MINOR) == (minutes(10),)
    assert values("time_to_mitigate", Impact.MINOR) == (minutes(60),)
    assert values("time_to_resolve", Impact.MINOR) == (minutes(110),)
    # Critical from 10:30: detected before that, so no time to detect counts there; mitigated
    # 20 minutes and resolved 70 minutes after it became critical.
    assert values("time_to_detect", Impact.CRITICAL) == ()
    assert values("time_to_mitigate", Impact.CRITICAL) == (minutes(20),)
    assert values("time_to_resolve", Impact.CRITICAL) == (minutes(70),)
    # Major from 11:00, after the mitigation: only its resolution, 40 minutes on, beside the
    # steady major incident's 25 minutes from its updates.
    assert values("time_to_mitigate", Impact.MAJOR) == ()
    assert values("time_to_resolve", Impact.MAJOR) == (minutes(25), minutes(40))
    # Overall, each incident once, over its whole span.
    assert values("time_to_resolve", None) == (minutes(25), minutes(110))
    # Each incident counts once in its month, under the worst impact it reached.
    (november,) = [month for month in report.months if month.month.month == 11]
    assert november.incidents == {
        Impact.NONE: 0,
        Impact.MINOR: 0,
        Impact.MAJOR: 1,
        Impact.CRITICAL: 1,
    }


def test_a_change_not_posted_yet_is_in_no_figure():
    before_escalation = derive_snapshot(site(escalating()), at(10, 10))
    (facts,) = before_escalation.incidents

    assert facts.record.worst_impact is Impact.MINOR
    assert before_escalation.states == {
        "api": ComponentState.DEGRADED_PERFORMANCE,
        "web": ComponentState.DEGRADED_PERFORMANCE,
    }


# -- the built site --------------------------------------------------------------------------------
ESCALATING_RECORD = """\
title: Checkout errors
impact: minor
components: [api, web]
updates:
  - at: 2026-11-23T10:00:00Z
    status: investigating
    body: Some checkouts fail.
  - at: 2026-11-23T10:30:00Z
    status: identified
    impact: critical
    body: Checkout is down for everyone.
  - at: 2026-11-23T11:00:00Z
    status: monitoring
    impact: major
    body: Most checkouts work again.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    folder = SiteFolder(tmp_path_factory.mktemp("severity"))
    folder.record("2026/2026-11-23-checkout-errors.yaml", ESCALATING_RECORD)
    result = flare("build", str(folder.root), now=NOW)
    assert result.returncode == 0, result.stderr
    return folder.root / "site"


def test_the_api_gives_the_worst_impact_and_the_status_page_the_impact_now(built):
    incidents = json.loads((built / "api/v2/incidents.json").read_text(encoding="utf-8"))
    (incident,) = incidents["incidents"]
    assert incident["impact"] == "critical"

    status_page = lxml.html.parse(str(built / "index.html")).getroot()
    (badge,) = status_page.find_class("flare-active__meta")[0].find_class("flare-impact")
    assert badge.text_content() == "Major impact"


def test_the_incident_page_shows_each_change_of_impact_on_its_update(built):
    page_file = built / record_path("2026-11-23-checkout-errors") / "index.html"
    page = lxml.html.parse(str(page_file)).getroot()

    (path,) = page.find_class("flare-impact-path")
    assert " ".join(path.text_content().split()) == (
        "Over time: minor impact → critical impact → major impact"
    )
    changes = [p.text_content() for p in page.find_class("flare-timeline__impact")]
    assert changes == ["Impact lowered to major impact", "Impact raised to critical impact"]


# -- authoring -------------------------------------------------------------------------------------
def test_flare_update_records_a_change_of_impact(site_folder: SiteFolder):
    path = site_folder.record("2026/2026-11-23-checkout-errors.yaml", ESCALATING_RECORD)
    result = flare("update", "checkout", "--status", "monitoring", "--impact", "minor",
                   "-m", "Only retries are slow now.", "--at", "2026-11-23T11:30:00Z",
                   "-C", str(site_folder.root))  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert path.read_text(encoding="utf-8").endswith(
        "  - at: 2026-11-23T11:30:00Z\n"
        "    status: monitoring\n"
        "    impact: minor\n"
        "    body: |\n"
        "      Only retries are slow now.\n"
    )
    assert flare("validate", str(site_folder.root)).returncode == 0
