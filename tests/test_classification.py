"""Incident or defect: a record that needed no emergency response is downgraded to a defect,
which keeps its page, its updates and its feed entries but is off the public uptime."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import lxml.html
import pytest
import yaml

from conftest import SiteFolder, flare
from generator.derive.snapshot import derive_snapshot
from generator.load.settings import SiteSettings
from generator.model.components import ComponentState
from generator.model.records import Classification, Incident
from generator.render.links import record_path, reliability_page_path
from generator.validate.site import Site

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

DEFECT_RECORD = """\
title: CSV exports show dates in the wrong format
impact: minor
classification: defect
components: [api]
updates:
  - at: 2026-11-10T09:00:00Z
    status: identified
    components: {api: degraded_performance}
    body: Dates in CSV exports are written month first. The fix ships with next week's release.
  - at: 2026-11-17T09:00:00Z
    status: resolved
    body: The release is out; exports write dates as 2026-11-17 again.
"""

INCIDENT_RECORD = """\
title: Public API unavailable
impact: critical
components: [api]
updates:
  - at: 2026-11-20T10:00:00Z
    status: investigating
    body: The public API is not answering.
  - at: 2026-11-20T11:00:00Z
    status: resolved
    body: The API works again.
"""


def record(text: str, record_id: str) -> Incident:
    return Incident.model_validate({"id": record_id, **yaml.safe_load(text)})


def site(*records: Incident) -> Site:
    components = [{"id": "api", "name": "Public API", "slo": 99.9}]
    return Site(SiteSettings.model_validate({"components": components}), records)


def test_a_record_is_an_incident_unless_classified_a_defect():
    assert record(INCIDENT_RECORD, "outage").classification is Classification.INCIDENT
    assert record(DEFECT_RECORD, "csv").is_defect


def test_a_defect_gives_no_state_so_it_costs_no_uptime_and_no_error_budget():
    defect = record(DEFECT_RECORD, "csv")
    open_defect = derive_snapshot(site(defect), datetime(2026, 11, 12, tzinfo=UTC))
    assert open_defect.states == {"api": ComponentState.OPERATIONAL}
    assert open_defect.holding("api") == ()
    # Its own page still says what it did to the component, as written.
    assert open_defect.record("csv").affected == (("api", ComponentState.DEGRADED_PERFORMANCE),)

    snapshot = derive_snapshot(site(defect), NOW)
    assert snapshot.uptime["api"][30] == 1.0
    budget = snapshot.reliability.budget(snapshot.settings.component("api"))
    assert budget is not None and budget.current.spent_percent == 0


def test_the_reliability_report_counts_incidents_only_and_lists_the_defects_apart():
    snapshot = derive_snapshot(
        site(record(DEFECT_RECORD, "csv"), record(INCIDENT_RECORD, "outage")), NOW
    )
    report = snapshot.reliability.report()

    assert [incident.id for incident in report.incidents] == ["outage"]
    assert [defect.id for defect in report.defects] == ["csv"]
    assert report.time_to_resolve.overall.n == 1  # the outage's hour, not the defect's week


def test_an_unknown_classification_says_what_is_allowed(site_folder: SiteFolder):
    site_folder.record("2026/csv.yaml", DEFECT_RECORD.replace("defect", "bug", 1))
    result = flare("validate", str(site_folder.root))

    assert result.returncode == 1
    assert "csv.yaml:3:17: error: classification: found 'bug'; allowed: incident, defect" in (
        result.stderr
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    folder = SiteFolder(tmp_path_factory.mktemp("defect"))
    folder.record("2026/2026-11-10-csv-dates.yaml", DEFECT_RECORD)
    folder.record("2026/2026-11-20-api-down.yaml", INCIDENT_RECORD)
    result = flare("build", str(folder.root), now=NOW)
    assert result.returncode == 0, result.stderr
    return folder.root / "site"


def page(site_dir, path: str):
    return lxml.html.parse(str(site_dir / path / "index.html")).getroot()


def words(element) -> str:
    return " ".join(element.text_content().split())


def test_the_defects_page_says_what_it_is_and_that_uptime_leaves_it_out(built):
    facts = page(built, record_path("2026-11-10-csv-dates")).find_class("flare-facts")[0]
    shown = {words(dt): words(dt.getnext()) for dt in facts.iter("dt")}
    assert shown["Classified as"] == (
        "Defect fixed in the normal release cycle, not by an emergency response; "
        "not counted in uptime"
    )
    assert "Classified as" not in words(page(built, record_path("2026-11-20-api-down")))


def test_the_reliability_report_names_the_defect_it_leaves_out(built):
    report = page(built, reliability_page_path().removesuffix("index.md"))
    (note,) = report.find_class("flare-reliability__defects")
    assert words(note) == (
        "Not counted: 1 defect, a fault fixed in the normal release cycle rather than by an "
        "emergency response: CSV exports show dates in the wrong format"
    )


def test_subscribers_keep_the_defect_in_the_api_and_the_feed(built):
    incidents = json.loads((built / "api/v2/incidents.json").read_text(encoding="utf-8"))
    assert [incident["name"] for incident in incidents["incidents"]] == [
        "Public API unavailable",
        "CSV exports show dates in the wrong format",
    ]
    assert "CSV exports show dates in the wrong format" in (built / "history.atom").read_text(
        encoding="utf-8"
    )
