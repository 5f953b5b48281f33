"""`flare import cstate` of a cState site written here in cState's documented format (its
README and exampleSite): config.yml with categories and systems, and content/issues/*.md with
front matter and updates as paragraphs timed by the track shortcode. Times carry no offset, as
cState writes them: they are read in --timezone Europe/Berlin.

The import into a new folder is made and built once for the module; the tests read it.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest
import yaml
from test_site_pages import content, text

from conftest import EXAMPLE_NOW, flare
from generator.model.records import Incident, Maintenance, Record
from generator.validate.site import Site, load_site

CONFIG = """\
# cState's configuration, as its exampleSite lays it out
title: Beispiel-Status — 示例
baseURL: https://status.example.org
params:
  categories:
    - name: Kern
      description: Die wichtigsten Dienste.
      closed: true
    - name: Uncategorized
      untitled: true
  systems:
    - name: Website
      category: Uncategorized
      link: https://example.org
    - name: API
      description: Die *Programmierschnittstelle*.
      category: Kern
    - name: Média-Proxy
      category: Kern
"""

ISSUES = {
    "2026-05-25-api-down.md": """\
        ---
        title: API nicht erreichbar — API 停止
        date: 2026-05-25 04:13:00
        resolved: true
        resolvedWhen: 2026-05-25 05:54:00
        # Possible severity levels: down, disrupted, notice
        severity: down
        affected:
          - API
          - Média-Proxy
        section: issue
        ---

        *Resolved* - Alles läuft wieder. Danke für eure Geduld 🙏
        {{< track "2026-05-25 05:54:00" >}}

        *Monitoring* - Ein **Neustart** hat geholfen; wir beobachten.
        <iframe src="https://evil.example"></iframe> {{< track "2026-05-25 04:40:00" >}}

        *Investigating* - Die API antwortet nicht. {{< track "2026-05-25 04:13:00" >}}
        """,
    "2026-06-01-slow-website.md": """\
        ---
        title: Slow website
        date: 2026-06-01 09:00:00
        resolved: true
        resolvedWhen: 2026-06-01 11:30:00
        severity: disrupted
        affected: [Website]
        section: issue
        ---

        *Just began* - Pages load slowly. {{< figure src="graph.png" >}}
        {{< track "2026-06-01 10:00:00" >}}

        We are looking into slow pages.
        """,
    "2026-04-13-guilds.md": """\
        ---
        title: Unavailable guilds
        date: 2026-04-13 15:54:00
        resolved: true
        resolvedWhen: 2026-04-13 17:30:00
        severity: down
        affected: [API]
        section: issue
        ---

        *Post-mortem*

        A Redis primary was **migrated** by our cloud provider and dropped offline.

        ---

        *Update* - A fix is in place and it looks fixed. {{< track "2026-04-13 17:30:00" >}}

        *Investigating* - Guilds are unavailable. {{< track "2026-04-13 15:54:00" >}}
        """,
    "2026-12-10-database-work.md": """\
        ---
        title: Database work
        date: 2026-12-10 02:00:00
        resolvedWhen: 2026-12-10 04:00:00
        severity: notice
        affected: [API]
        section: issue
        ---

        The API will be read-only for a few minutes.
        """,
    "2026-03-01-maintenance-window.md": """\
        ---
        title: Maintenance Window
        date: 2026-03-01 22:00:00
        resolved: true
        severity: notice
        affected: [Website]
        section: issue
        ---

        *In progress* - We are upgrading the web servers. {{< track "2026-03-01 22:00:00" >}}
        """,
    "2026-02-02-new-office.md": """\
        ---
        title: Our support team moves
        date: 2026-02-02 10:00:00
        resolved: true
        severity: notice
        affected: [API]
        section: issue
        ---

        Support answers from our new office from Monday.
        """,
    "2026-11-20-planning.md": """\
        ---
        title: Planning meeting
        date: 2026-11-20 10:35:00
        informational: true
        pin: true
        section: issue
        ---

        We are planning the next version.
        """,
    "2026-07-07-ongoing.md": """\
        ---
        title: Media proxy errors
        date: 2026-07-07 08:00:00
        resolved: false
        resolvedWhen: 2026-07-07 09:00:00
        severity: disrupted
        affected: [Média-Proxy]
        section: issue
        ---

        *Investigating* - Some images do not load. {{< track "2026-07-07 08:00:00" >}}
        """,
    "2026-09-09-draft.md": """\
        ---
        title: Not published yet
        date: 2026-09-09 09:00:00
        resolved: true
        resolvedWhen: 2026-09-09 10:00:00
        severity: disrupted
        affected: [API]
        draft: true
        section: issue
        ---

        *Investigating* - A draft. {{< track "2026-09-09 09:00:00" >}}
        """,
    "about-us.md": """\
        ---
        title: About us
        section: page
        date: 2026-01-01 00:00:00
        ---

        Not an issue.
        """,
}


def write_cstate(folder: Path) -> Path:
    (folder / "content" / "issues").mkdir(parents=True)
    (folder / "config.yml").write_text(CONFIG, encoding="utf-8")
    for name, body in ISSUES.items():
        (folder / "content" / "issues" / name).write_text(textwrap.dedent(body), "utf-8")
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


def cstate_import(source: Path, into: Path, *more: str):
    return flare(
        "import", "cstate", str(source), "--timezone", "Europe/Berlin", "--into", str(into), *more
    )


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    source = write_cstate(tmp_path_factory.mktemp("cstate"))
    root = tmp_path_factory.mktemp("flare") / "status"
    ran = cstate_import(source, root)
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
    assert ran.stdout.startswith("8 records, 3 components: no errors")
    assert (built / "incidents" / "2026-05-25-api-down" / "index.html").is_file()


def test_systems_are_components_grouped_by_category_in_its_order(imported: Imported):
    settings = imported.site().settings

    assert [(c.id, c.name, c.group, c.description) for c in settings.components] == [
        ("api", "API", "Kern", "Die *Programmierschnittstelle*."),
        ("media-proxy", "Média-Proxy", "Kern", None),
        ("website", "Website", None, None),  # its category is untitled
    ]
    assert settings.timezone == "Europe/Berlin"
    config = yaml.load((imported.root / "mkdocs.yml").read_text("utf-8"), yaml.BaseLoader)
    assert config["site_name"] == "Beispiel-Status — 示例"
    assert config["site_url"] == "https://status.example.org/"


def test_what_a_component_cannot_hold_is_reported(imported: Imported):
    for line in (
        "config.yml category 'Kern': params.categories[0].description: a group in Flare has "
        "no description; not kept",
        "config.yml category 'Kern': params.categories[0].closed: Flare shows every group open",
        "config.yml system 'Website': params.systems[0].link: a component in Flare has no link",
    ):
        assert line in imported.stdout


def test_down_is_a_critical_incident_each_tracked_paragraph_an_update(imported: Imported):
    down = imported.record("2026-05-25-api-down")

    assert isinstance(down, Incident)
    assert (down.impact.value, down.components) == ("critical", ["api", "media-proxy"])
    assert down.impact.implied_state.value == "major_outage"
    assert down.title == "API nicht erreichbar — API 停止"
    assert [(u.at.isoformat(), u.status.value, u.body) for u in down.timeline] == [
        ("2026-05-25T04:13:00+02:00", "investigating", "Die API antwortet nicht."),
        (
            "2026-05-25T04:40:00+02:00",
            "monitoring",
            'Ein **Neustart** hat geholfen; wir beobachten.\n<iframe src="https://evil.example">'
            "</iframe>",
        ),
        ("2026-05-25T05:54:00+02:00", "resolved", "Alles läuft wieder. Danke für eure Geduld 🙏"),
    ]


def test_html_in_an_update_goes_through_the_sanitiser(built: Path):
    page = lxml.html.parse(str(built / "incidents" / "2026-05-25-api-down" / "index.html"))
    body = content(page.getroot())

    assert body.xpath(".//iframe") == [] and "evil.example" not in lxml.html.tostring(body).decode()
    assert body.xpath(".//strong[text()='Neustart']") and "🙏" in text(body)


def test_disrupted_is_a_major_incident_resolved_when_resolved_when_says(imported: Imported):
    slow = imported.record("2026-06-01-slow-website")

    assert slow.impact.value == "major" and slow.impact.implied_state.value == "partial_outage"
    assert [(u.at.isoformat(), u.status.value) for u in slow.timeline] == [
        ("2026-06-01T09:00:00+02:00", "investigating"),  # the untimed text, at the date
        ("2026-06-01T10:00:00+02:00", "investigating"),
        ("2026-06-01T11:30:00+02:00", "resolved"),
    ]
    assert slow.timeline[0].body == "We are looking into slow pages."
    assert slow.timeline[1].body.startswith("*Just began* - Pages load slowly.")


def test_words_and_shortcodes_flare_does_not_know_are_reported_per_file_and_update(
    imported: Imported,
):
    where = "content/issues/2026-06-01-slow-website.md"
    assert (
        f"{where}: track \"2026-06-01 10:00:00\": 'Just began' is none of Investigating, "
        "Identified, Monitoring and Resolved; the update is investigating and its text keeps "
        "the word"
    ) in imported.stdout
    assert (
        f"{where}: track \"2026-06-01 10:00:00\": the Hugo shortcode 'figure', which Flare does "
        "not run; left as text"
    ) in imported.stdout


def test_a_post_mortem_at_the_top_of_an_issue_is_its_imported_post_mortem(imported: Imported):
    guilds = imported.record("2026-04-13-guilds")

    assert isinstance(guilds, Incident) and guilds.postmortem is not None
    assert guilds.postmortem.imported == (
        "A Redis primary was **migrated** by our cloud provider and dropped offline."
    )
    assert guilds.postmortem.published["immediate"] == guilds.resolved_at
    # resolvedWhen is the time of the last update: that update is the resolution
    assert [u.status.value for u in guilds.timeline] == ["investigating", "resolved"]
    assert guilds.timeline[-1].body == "*Update* - A fix is in place and it looks fixed."


def test_a_notice_dated_ahead_is_a_maintenance_until_resolved_when(imported: Imported):
    work = imported.record("2026-12-10-database-work")

    assert isinstance(work, Maintenance)
    assert (work.scheduled.start.isoformat(), work.scheduled.end.isoformat()) == (
        "2026-12-10T02:00:00+01:00",
        "2026-12-10T04:00:00+01:00",
    )
    assert [u.status.value for u in work.timeline] == ["scheduled"]


def test_a_notice_that_says_maintenance_is_one_an_hour_long_without_an_end(imported: Imported):
    window = imported.record("2026-03-01-maintenance-window")

    assert isinstance(window, Maintenance)
    assert (window.scheduled.start.isoformat(), window.scheduled.end.isoformat()) == (
        "2026-03-01T22:00:00+01:00",
        "2026-03-01T23:00:00+01:00",
    )
    assert [u.status.value for u in window.timeline] == ["in_progress"]
    assert (
        "content/issues/2026-03-01-maintenance-window.md: resolvedWhen: no end after its date; "
        "the window is an hour, as cState's calendar has it"
    ) in imported.stdout


def test_any_other_notice_is_an_informational_incident_of_impact_none(imported: Imported):
    notice = imported.record("2026-02-02-new-office")

    assert isinstance(notice, Incident) and notice.impact.value == "none"
    assert [u.status.value for u in notice.timeline] == ["resolved"]


def test_a_pinned_informational_post_stays_open_on_the_status_page(imported: Imported):
    pinned = imported.record("2026-11-20-planning")

    assert isinstance(pinned, Incident) and pinned.impact.value == "none"
    assert pinned.is_open_at(EXAMPLE_NOW) and pinned.components == []


def test_an_open_issue_whose_downtime_ended_is_being_monitored(imported: Imported):
    ongoing = imported.record("2026-07-07-ongoing")

    assert isinstance(ongoing, Incident) and ongoing.is_open_at(EXAMPLE_NOW)
    last = ongoing.timeline[-1]
    assert (last.at.isoformat(), last.status.value) == ("2026-07-07T09:00:00+02:00", "monitoring")
    assert {k: v.value for k, v in last.components.items()} == {"media-proxy": "operational"}


def test_a_draft_is_kept_out_of_the_site(imported: Imported):
    drafts = list((imported.root / "incidents" / ".drafts").rglob("*.yaml"))

    assert [path.name for path in drafts] == ["2026-09-09-not-published-yet.yaml"]
    assert "2026-09-09-draft" not in {record.id for record in imported.site().records}


def test_a_page_that_is_not_an_issue_is_reported_and_left_out(imported: Imported):
    assert (
        "content/issues/about-us.md: section: not `issue`: cState does not list it; not imported"
    ) in imported.stdout


def test_times_without_an_offset_need_a_timezone(imported: Imported, tmp_path: Path):
    ran = flare("import", "cstate", str(imported.source), "--into", str(tmp_path / "new"))

    assert ran.returncode == 1
    assert (
        "content/issues/2026-02-02-new-office.md: date: 2026-02-02 10:00:00 has no offset; give "
        "--timezone" in ran.stderr
    )
    assert not (tmp_path / "new").exists()


def test_importing_again_changes_nothing(imported: Imported):
    ran = cstate_import(imported.source, imported.root)

    assert ran.returncode == 0, ran.stderr
    assert "0 new record(s), 0 updated, 9 unchanged; 0 new component(s)" in ran.stdout
