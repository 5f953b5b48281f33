"""`flare import statusfy` of a Statusfy site written here in Statusfy's documented formats (its
guide's Incidents, Configuration and Internationalization pages): config.js, a locale file with
the systems' names, incidents with YAML, JSON and TOML front matter and ``::: update`` blocks,
scheduled maintenance, and a translation folder.

The import into a new folder is made and built once for the module; the tests read it.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLE_NOW, flare
from generator.model.records import Incident, Maintenance, Record
from generator.validate.site import Site, load_site

CONFIG_JS = """\
module.exports = {
  title: 'Statusfy Demo',
  description: 'Just playing around',
  baseUrl: 'https://status.statusfy.test',
  defaultLocale: 'en',
  locales: [
    { code: 'en', iso: 'en-US', name: 'English' },
    { code: 'es', iso: 'es-ES', name: 'Español' }
  ],
  content: {
    frontMatterFormat: 'yaml',
    systems: [
      'cdn',
      'conversions',
      'site-delivery',
      'api'
    ]
  },
  theme: {
    scheduled: {
      position: 'aboveGlobalStatus'
    }
  }
}
"""

LOCALE = """\
{
  "title": "Statusfy-Demo — デモ",
  "systems": {
    "items": {
      "cdn": {"title": "CDN"},
      "conversions": {"title": "Konvertierung", "description": "Eine Datei in eine andere"},
      "site-delivery": {"title": "Site delivery"},
      "api": {"title": "API", "description": "The API endpoints any developer can reach"}
    }
  }
}
"""

INCIDENTS = {
    "2018-01-28_api-issues.md": """\
        ---
        id: 382ee1ab
        title: API Issues
        description: Our Files Conversion Process was responding slowly.
        date: 2018-01-28T18:28:48.878Z
        modified: 2018-01-28T20:28:48.878Z
        severity: degraded-performance
        affectedsystems:
          - api
          - cdn
        resolved: true
        ---

        <!-- Your General content -->
        Our Files Conversion Process was responding slowly.

        <!-- Definition of the Incident Updates -->
        ::: update Resolved | 2018-01-28T22:28:48.878Z
        Performance is back to normal and we'll continue to monitor.
        :::

        ::: update Monitoring | 2018-01-28T23:28:48.878Z
        The Conversion Process is back to normal, and we'll continue to monitor.
        :::

        ::: update Resolved | 2018-01-28T23:58:48.878Z
        The Files Conversion System is back to normal, and we'll continue to monitor.
        :::
        """,
    "2026-10-16_networking-issues.md": """\
        ---
        id: 5b21c9d0
        title: "Netzwerkprobleme — ネットワーク"
        description: "A short summary that says something else."
        date: 2026-10-16T13:14:03.000Z
        modified: 2026-10-16T15:00:00.000Z
        severity: "partial-outage"
        affectedsystems:
          - "site-delivery"
          - "api"
        resolved: true
        ---

        Wir haben ein **Netzwerkproblem** festgestellt. <script>alert(1)</script>

        ::: update Identified | 2026-10-16T13:40:00.000Z
        Ein Router war falsch konfiguriert. :tada:
        :::

        ::: update Update | 2026-10-16T14:10:00.000Z
        Die Konfiguration wurde korrigiert.
        :::
        """,
    "2026-11-22_outage.md": """\
        ---json
        {
          "id": "9f00aa01",
          "title": "Conversions are down",
          "date": "2026-11-22T21:00:00.000Z",
          "severity": "major-outage",
          "affectedsystems": ["conversions"],
          "resolved": false
        }
        ---

        ::: update Investigating | 2026-11-22T21:00:00.000Z
        No file can be converted right now.
        :::
        """,
    "2026-12-01_planned-maintenance.md": """\
        ---toml
        id = "77aa0001"
        title = "Planned Maintenance"
        date = 2026-11-20T10:00:00.000Z
        scheduled = 2026-12-01T02:00:00.000Z
        duration = "90"
        severity = "under-maintenance"
        affectedsystems = ["cdn"]
        resolved = false
        ---
        We will be deploying the next version.
        """,
    "2026-03-14_storage-move.md": """\
        ---
        title: Storage move
        date: 2026-03-14T16:22:39.941Z
        modified: 2026-03-14T18:00:00.000Z
        severity: under-maintenance
        affectedsystems:
          - site-delivery
        resolved: true
        ---
        We are moving the site's storage.

        ::: update Completed | 2026-03-14T17:50:00.000Z
        The move is done.
        :::
        """,
    "README.md": "# The incidents of our status page\n",
}

TRANSLATION = INCIDENTS["2018-01-28_api-issues.md"].replace("API Issues", "Problemas de API")


def write_statusfy(folder: Path) -> Path:
    (folder / "content" / "es").mkdir(parents=True)
    (folder / "locales").mkdir()
    (folder / "config.js").write_text(CONFIG_JS, encoding="utf-8")
    (folder / "locales" / "en.json").write_text(LOCALE, encoding="utf-8")
    for name, body in INCIDENTS.items():
        (folder / "content" / name).write_text(textwrap.dedent(body), encoding="utf-8")
    translated = folder / "content" / "es" / "2018-01-28_api-issues.md"
    translated.write_text(textwrap.dedent(TRANSLATION), encoding="utf-8")
    return folder


@dataclass(frozen=True)
class Imported:
    source: Path
    root: Path
    stdout: str

    def site(self) -> Site:
        return load_site(self.root / "mkdocs.yml", EXAMPLE_NOW)

    def record(self, record_id: str) -> Record:
        return next(record for record in self.site().records if record.id == record_id)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    source = write_statusfy(tmp_path_factory.mktemp("statusfy"))
    root = tmp_path_factory.mktemp("flare") / "status"
    ran = flare("import", "statusfy", str(source), "--into", str(root))
    assert ran.returncode == 0, ran.stderr
    return Imported(source, root, ran.stdout)


@pytest.fixture(scope="module")
def built(imported: Imported) -> Path:
    ran = flare("build", str(imported.root))
    assert ran.returncode == 0, ran.stderr
    return imported.root / "site"


def test_the_import_validates_and_builds(imported: Imported, built: Path):
    ran = flare("validate", str(imported.root))

    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("5 records, 4 components: no errors")
    page = (built / "incidents" / "5b21c9d0" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "Netzwerkproblem" in page


def test_systems_keep_their_ids_and_take_their_names_from_the_locale(imported: Imported):
    settings = imported.site().settings
    config = yaml.load((imported.root / "mkdocs.yml").read_text("utf-8"), yaml.BaseLoader)

    assert [(c.id, c.name, c.description) for c in settings.components] == [
        ("cdn", "CDN", None),
        ("conversions", "Konvertierung", "Eine Datei in eine andere"),
        ("site-delivery", "Site delivery", None),
        ("api", "API", "The API endpoints any developer can reach"),
    ]
    assert config["site_name"] == "Statusfy-Demo — デモ"
    assert config["site_url"] == "https://status.statusfy.test/"


def test_update_blocks_are_updates_and_a_second_resolution_reopens(imported: Imported):
    issues = imported.record("382ee1ab")

    assert isinstance(issues, Incident)
    assert (issues.impact.value, issues.components) == ("minor", ["api", "cdn"])
    assert [(u.at.isoformat(), u.status.value, u.reopened) for u in issues.timeline] == [
        ("2018-01-28T18:28:48.878000+00:00", "investigating", False),
        ("2018-01-28T22:28:48.878000+00:00", "resolved", False),
        ("2018-01-28T23:28:48.878000+00:00", "monitoring", True),
        ("2018-01-28T23:58:48.878000+00:00", "resolved", False),
    ]
    assert issues.timeline[0].body == "Our Files Conversion Process was responding slowly."


def test_partial_outage_resolved_without_an_update_is_resolved_at_modified(imported: Imported):
    network = imported.record("5b21c9d0")

    assert isinstance(network, Incident) and network.impact.value == "major"
    assert network.title == "Netzwerkprobleme — ネットワーク"
    assert [(u.at.isoformat(), u.status.value) for u in network.timeline] == [
        ("2026-10-16T13:14:03+00:00", "investigating"),
        ("2026-10-16T13:40:00+00:00", "identified"),
        ("2026-10-16T14:10:00+00:00", "identified"),
        ("2026-10-16T15:00:00+00:00", "resolved"),
    ]
    assert network.timeline[1].body == "Ein Router war falsch konfiguriert. :tada:"
    assert network.timeline[2].body == "**Update**: Die Konfiguration wurde korrigiert."
    where = "content/2026-10-16_networking-issues.md"
    for line in (
        f"{where}: resolved: true, but no update resolves it; resolved at modified, its last "
        "change",
        f"{where}: update[1]: 'Update' is none of Investigating, Identified, Monitoring and "
        "Resolved; the update is identified, its title kept at the start of its text",
        f"{where}: description: Flare has no summary of a record; not kept. It says: A short "
        "summary that says something else.",
    ):
        assert line in imported.stdout


def test_json_front_matter_and_an_incident_still_open(imported: Imported):
    outage = imported.record("9f00aa01")

    assert isinstance(outage, Incident) and outage.impact.value == "critical"
    assert outage.is_open_at(EXAMPLE_NOW) and outage.components == ["conversions"]


def test_a_scheduled_maintenance_in_toml_keeps_its_window(imported: Imported):
    planned = imported.record("77aa0001")

    assert isinstance(planned, Maintenance)
    assert (planned.scheduled.start.isoformat(), planned.scheduled.end.isoformat()) == (
        "2026-12-01T02:00:00+00:00",
        "2026-12-01T03:30:00+00:00",
    )
    assert [(u.at.isoformat(), u.status.value) for u in planned.timeline] == [
        ("2026-11-20T10:00:00+00:00", "scheduled")
    ]


def test_a_maintenance_without_a_window_runs_from_its_date_to_modified(imported: Imported):
    move = imported.record("2026-03-14_storage-move")

    assert isinstance(move, Maintenance)
    assert (move.scheduled.start.isoformat(), move.scheduled.end.isoformat()) == (
        "2026-03-14T16:22:39.941000+00:00",
        "2026-03-14T18:00:00+00:00",
    )
    assert [u.status.value for u in move.timeline] == ["in_progress", "completed"]
    where = "content/2026-03-14_storage-move.md"
    assert f"{where}: scheduled: missing; the window starts at the incident's date" in (
        imported.stdout
    )
    assert f"{where}: duration: missing; the window ends at modified, its last change" in (
        imported.stdout
    )


def test_translations_and_config_js_are_reported(imported: Imported):
    assert (
        "content/es/: 1 translated incident(s): Flare's records hold one language; not imported"
    ) in imported.stdout
    assert "config.js: JavaScript, which Flare does not run" in imported.stdout
    assert "Problemas de API" not in {record.title for record in imported.site().records}


def test_a_yaml_config_is_read_whole(imported: Imported, tmp_path: Path):
    source = tmp_path / "statusfy"
    source.mkdir()
    (source / "config.yml").write_text(
        "title: Hello Statusfy\ncontent:\n  dir: incidents\n  systems: [api]\n", "utf-8"
    )
    (source / "incidents").mkdir()
    (source / "incidents" / "a.md").write_text(
        "---\ntitle: Slow\ndate: 2026-05-01 10:00\nseverity: degraded-performance\n"
        "affectedsystems: [api]\nresolved: false\n---\nSlow.\n",
        encoding="utf-8",
    )

    ran = flare(
        "import", "statusfy", str(source), "--into", str(tmp_path / "s"), "--timezone", "UTC"
    )

    assert ran.returncode == 0, ran.stderr
    (record,) = load_site(tmp_path / "s" / "mkdocs.yml", EXAMPLE_NOW).records
    assert (record.id, record.title, record.started_at.isoformat()) == (
        "a",
        "Slow",
        "2026-05-01T10:00:00+00:00",
    )


def test_importing_again_changes_nothing(imported: Imported):
    ran = flare("import", "statusfy", str(imported.source), "--into", str(imported.root))

    assert ran.returncode == 0, ran.stderr
    assert "0 new record(s), 0 updated, 5 unchanged; 0 new component(s)" in ran.stdout
