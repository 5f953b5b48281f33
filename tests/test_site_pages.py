"""The built site as a customer reads it: the example records built once with `flare build`.

Every assertion reads the parsed HTML (lxml + XPath) of a page in the built site, at the instant
the example describes (EXAMPLE_NOW, 23 Nov 2026 12:00 UTC): the morning after the webhook
incident began, with the database upgrade still to come.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
import yaml
from lxml.html import HtmlElement

from conftest import EXAMPLE_NOW, REPO, SiteFolder, flare
from generator.derive.state import component_states_at
from generator.render.format import UPTIME_RULE

# The example records, as their authors wrote them; a record's id is its file stem.
RECORD_FILES = {
    path.stem: path
    for path in sorted((REPO / "incidents").rglob("*"))
    if path.suffix in (".yaml", ".yml")
}
RECORDS = {
    record_id: yaml.safe_load(path.read_text(encoding="utf-8"))
    for record_id, path in RECORD_FILES.items()
}
INCIDENT_IDS = sorted(i for i, data in RECORDS.items() if data.get("kind") != "maintenance")
MAINTENANCE_IDS = sorted(i for i, data in RECORDS.items() if data.get("kind") == "maintenance")

OPEN_INCIDENT = "2026-11-22-delayed-webhook-deliveries"
UPCOMING_MAINTENANCE = "2026-12-08-database-upgrade"
API_LATENCY = "2026-11-05-increased-api-latency"
EMAIL_OUTAGE = "2026-10-27-email-notifications-not-sent"


# -- helpers ---------------------------------------------------------------------------------------
def text(element: HtmlElement | str) -> str:
    """What a reader sees: the element's text with runs of whitespace made single spaces."""
    raw = element if isinstance(element, str) else element.text_content()
    return " ".join(raw.split())


def has_class(name: str) -> str:
    """An XPath predicate body: the element's class attribute contains the class ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def content(tree: HtmlElement) -> HtmlElement:
    """The page's own content, without the theme's header, navigation and footer."""
    (article,) = tree.xpath(f"//article[{has_class('md-typeset')}]")
    return article


def facts(tree: HtmlElement, number: int = 0) -> dict[str, str]:
    """The page's first fact list (``dl.flare-facts``), or the one ``number``, as {term: value}."""
    dl = content(tree).xpath(f".//dl[{has_class('flare-facts')}]")[number]
    return {text(dt): text(dt.getnext()) for dt in dl.xpath(".//dt")}


def shown(instant: datetime) -> str:
    """How the site (timezone: UTC) shows an instant: ``23 Nov 2026, 12:00 UTC``."""
    utc = instant.astimezone(UTC)
    return f"{utc.day} {utc:%b %Y}, {utc:%H:%M} UTC"


def page_file(site: Path, path: str) -> Path:
    """The file a page URL (``""``, ``"history/"``, ``"incidents/x/"``) is served from."""
    return site / path / "index.html"


def link_target(site: Path, page_path: str, href: str) -> Path:
    """The file in the built site that a relative ``href`` on the page at ``page_path`` opens."""
    url_path = unquote(urlsplit(href).path)
    target = Path(os.path.normpath(page_file(site, page_path).parent / url_path))
    if url_path == "" or url_path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def timeline(record: dict) -> list[dict]:
    """A record's updates in time order (same-instant updates keep the file's order)."""
    return sorted(record.get("updates", []), key=lambda update: update["at"])


def record_start(record: dict) -> datetime:
    if record.get("kind") == "maintenance":
        begun = [u["at"] for u in timeline(record) if u["status"] != "scheduled"]
        return min([record["scheduled"]["start"], *begun[:1]])
    return timeline(record)[0]["at"]


def incident_resolved_at(record: dict) -> datetime | None:
    """The first of the resolved updates that end the timeline; None while the incident is open."""
    resolved = None
    for update in reversed(timeline(record)):
        if update["status"] != "resolved":
            break
        resolved = update["at"]
    return resolved


def status_label(status: str) -> str:
    return status.replace("_", " ").capitalize()


def markdown_as_text(body: str) -> str:
    """A plain-prose update body as the page shows it (only inline code marks to drop)."""
    return text(body.replace("`", ""))


# -- the example site, built once ------------------------------------------------------------------
@pytest.fixture(scope="module")
def site(example_build: Path) -> Path:
    """The example site as `flare build` wrote it."""
    return example_build


@pytest.fixture(scope="module")
def page(site: Path) -> Callable[[str], HtmlElement]:
    """``page("incidents/x/")``: the parsed page at that URL of the built site."""

    @cache
    def parse(path: str = "") -> HtmlElement:
        file = page_file(site, path)
        assert file.is_file(), f"{path or '/'} was not built"
        return lxml.html.parse(str(file)).getroot()

    return parse


@pytest.fixture(scope="module")
def flare_pages(example_site) -> list[str]:
    """Every page Flare generates for the example site."""
    return [
        "",
        "history/",
        *(f"incidents/{record_id}/" for record_id in RECORDS),
        *(f"components/{component.id}/" for component in example_site.settings.components),
    ]


def classes(element: HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


def section(tree: HtmlElement, heading_id: str) -> HtmlElement | None:
    """The home page section labelled by the heading with id ``heading_id``, if it is there."""
    found = content(tree).xpath(f".//section[@aria-labelledby='{heading_id}']")
    return found[0] if found else None


def uptime_bar(tree: HtmlElement, component_name: str) -> HtmlElement:
    """A component's uptime bar on the status page: its ``<div class="flare-bar">``."""
    (item,) = content(tree).xpath(
        f".//li[{has_class('flare-component')}]"
        f"[.//a[{has_class('flare-component__name')}][normalize-space()='{component_name}']]"
    )
    (bar,) = item.xpath(f".//div[{has_class('flare-bar')}]")
    return bar


def uptime_cells(tree: HtmlElement, component_name: str) -> dict[str, HtmlElement]:
    """A component's eventful days on its uptime bar as {day as shown ("5 Nov 2026"): its
    shape}; the quiet days share one shape, which is left out."""
    shapes = uptime_bar(tree, component_name).xpath(".//path")
    return {
        title.split(":")[0]: shape for shape in shapes if ":" in (title := shape.findtext("title"))
    }


def slots(shape: HtmlElement) -> list[int]:
    """The days a shape of an uptime bar draws, 0 the oldest: each is 10 units wide."""
    return sorted({int(x) // 10 for x in re.findall(r"M(\d+) ", shape.get("d"))})


# -- the status page -------------------------------------------------------------------------------
def test_home_banner_says_degraded_performance_and_when_it_was_last_updated(page):
    banner = section(page(""), "flare-overall")

    assert "flare-banner--degraded_performance" in classes(banner)
    (title,) = banner.xpath(f".//*[{has_class('flare-banner__title')}]")
    assert title.tag == "h2"  # a heading screen readers list, not a paragraph styled as one
    assert text(title) == "Degraded performance"  # the open webhook incident, minor impact
    (updated,) = banner.xpath(f".//*[{has_class('flare-banner__updated')}]")
    assert text(updated) == "Last updated 23 Nov 2026, 12:00 UTC"
    (time,) = updated.xpath(".//time")
    assert time.get("datetime") == "2026-11-23T12:00:00+00:00"
    assert text(time) == "23 Nov 2026, 12:00 UTC"


def test_home_lists_every_component_under_its_group_with_its_current_state(page, example_site):
    settings = example_site.settings
    states = component_states_at(example_site.records, settings.component_ids, EXAMPLE_NOW)
    expected = [
        (group, component.name, states[component.id].label)
        for group, members in settings.groups.items()
        for component in members
    ]

    shown_on_page = [
        (
            text(group.xpath(f"./*[{has_class('flare-group__name')}]")[0]),
            text(item.xpath(f".//*[{has_class('flare-component__name')}]")[0]),
            text(item.xpath(f".//*[{has_class('flare-state__label')}]")[0]),
        )
        for group in content(page("")).xpath(f".//div[{has_class('flare-group')}]")
        for item in group.xpath(f".//li[{has_class('flare-component')}]")
    ]

    assert shown_on_page == expected
    # Facts of the example, independent of the core: 8 components in 3 groups, one degraded.
    assert len(shown_on_page) == 8
    assert list(dict.fromkeys(group for group, _, _ in shown_on_page)) == [
        "Platform",
        "Data",
        "Delivery",
    ]
    assert ("Delivery", "Webhooks", "Degraded performance") in shown_on_page
    assert ("Platform", "Public API", "Operational") in shown_on_page
    assert [name for _, name, state in shown_on_page if state != "Operational"] == ["Webhooks"]


def test_home_shows_the_open_webhook_incident_with_its_latest_update(page):
    active = section(page(""), "flare-active")
    assert text(active.xpath(".//h2")[0]) == "Active incidents"

    (incident,) = active.xpath(f".//article[{has_class('flare-record')}]")
    (title,) = incident.xpath(f".//*[{has_class('flare-record__title')}]/a")
    assert text(title) == "Delayed webhook deliveries"
    assert title.get("href") == f"incidents/{OPEN_INCIDENT}/"
    (status,) = incident.xpath(f".//*[{has_class('flare-record__status')}]")
    assert text(status) == "Monitoring · 22 Nov 2026, 23:30 UTC"
    assert text(status.xpath(".//strong")[0]) == "Monitoring"

    latest = timeline(RECORDS[OPEN_INCIDENT])[-1]
    (body,) = incident.xpath(f".//div[{has_class('flare-body')}]")
    assert text(body) == markdown_as_text(latest["body"])
    assert text(body).startswith("The fix is in place and new events are being delivered")
    assert text(active.xpath(f".//*[{has_class('flare-active__meta')}]")[0]) == (
        "Minor impact Affects Webhooks"
    )


def test_home_announces_the_upcoming_database_upgrade_with_its_window(page):
    upcoming = section(page(""), "flare-maintenance-next")
    assert text(upcoming.xpath(".//h2")[0]) == "Upcoming maintenance"

    (item,) = upcoming.xpath(".//li")
    (link,) = item.xpath(".//a")
    assert text(link) == "Database upgrade"
    assert link.get("href") == f"incidents/{UPCOMING_MAINTENANCE}/"
    assert [time.get("datetime") for time in item.xpath(".//time")] == [
        "2026-12-08T02:00:00+00:00",
        "2026-12-08T04:00:00+00:00",
    ]
    assert text(item.xpath(f".//*[{has_class('flare-meta')}]")[0]) == (
        "8 Dec 2026, 02:00 UTC to 8 Dec 2026, 04:00 UTC · Affects Public API, Dashboard"
    )


def test_home_has_no_maintenance_in_progress_section(page):
    home = page("")
    headings = [text(h2) for h2 in content(home).xpath(".//h2")]

    assert "Maintenance in progress" not in headings
    assert section(home, "flare-maintenance-now") is None
    assert headings == [
        "Degraded performance",  # the overall state: the banner's heading
        "Active incidents",
        "Upcoming maintenance",
        "Components",
        "Past incidents",
        "Subscribe",
    ]


def test_every_component_has_a_90_day_uptime_bar_ending_today(page, example_site):
    home = page("")
    for component in example_site.settings.components:
        bar = uptime_bar(home, component.name)
        (svg,) = bar.xpath("./svg")
        assert svg.get("viewbox") == "0 0 900 40", component.name  # 90 days of 10 units
        drawn = [slot for shape in bar.xpath(".//path") for slot in slots(shape)]
        assert sorted(drawn) == list(range(90)), component.name  # each day, once
    # Each day in its place: today last, 5 Nov 18 days before.
    assert slots(uptime_cells(home, "Webhooks")["23 Nov 2026"]) == [89]
    assert slots(uptime_cells(home, "Public API")["5 Nov 2026"]) == [89 - 18]
    bars = content(home).xpath(f".//div[{has_class('flare-bar')}]")
    assert len(bars) == 8
    assert all(bar.get("aria-hidden") == "true" for bar in bars)  # the list under it reads


def test_home_lists_the_past_7_days_with_the_open_incident_once_on_23_nov(page):
    recent = section(page(""), "flare-recent")
    days = {
        text(day.xpath(f"./*[{has_class('flare-day__date')}]")[0]): day
        for day in recent.xpath(f".//div[{has_class('flare-day')}]")
    }

    assert list(days) == [
        "23 Nov 2026",
        "22 Nov 2026",
        "21 Nov 2026",
        "20 Nov 2026",
        "19 Nov 2026",
        "18 Nov 2026",
        "17 Nov 2026",
    ]
    for day, digest in days.items():
        titles = [text(a) for a in digest.xpath(f".//*[{has_class('flare-line__title')}]/a")]
        quiet = [text(p) for p in digest.xpath(f".//p[{has_class('flare-quiet')}]")]
        if day == "23 Nov 2026":  # begun on the 22nd and still on: listed once, today
            assert titles == ["Delayed webhook deliveries"], day
            assert quiet == [], day
        else:
            assert titles == [], day
            assert quiet == ["No incidents reported."], day
    (line,) = days["23 Nov 2026"].xpath(f".//div[{has_class('flare-line')}]/p")
    assert text(line) == "Minor impact · Monitoring 22 Nov 2026, 23:30 UTC"


def test_home_states_how_uptime_is_counted(page):
    (note,) = content(page("")).xpath(f".//p[{has_class('flare-note')}]")

    assert text(note) == f"Uptime is measured over the last 90 days. {UPTIME_RULE}"
    assert "a minute of partial outage as 0.3 of a minute" in text(note)
    assert "degraded performance and scheduled maintenance count as up" in text(note)


# -- the status page's light layout ---------------------------------------------------------------
def test_the_status_page_is_laid_out_by_flare_without_the_themes_stylesheet_and_script(page):
    """A reader in an outage loads the page, Flare's stylesheet and its small script; the
    theme's stylesheet, script and search are for the other pages."""
    home = page("")

    assert "flare-light" in classes(home)
    assert home.xpath("//link[@rel='stylesheet']/@href") == ["assets/flare/flare.css"]
    assert home.xpath("//script/@src") == ["assets/flare/flare.js"]
    assert home.xpath("//script[not(@src)] | //style | //*[@style]") == []
    assert home.xpath(f"//*[{has_class('md-header')}]") == []


def test_the_light_layout_keeps_the_site_around_the_status_page(page):
    home = page("")

    assert home.get("lang") == "en"
    assert home.findtext(".//title") == "Example Cloud Status"
    assert home.xpath("//meta[@name='description']/@content") == [
        "Live status, incidents and maintenance for Example Cloud."
    ]
    assert home.xpath("//link[@rel='canonical']/@href") == ["https://status.example.com/"]
    assert home.xpath("//link[@rel='icon']/@href") == ["assets/images/favicon.png"]
    assert home.xpath("//link[@rel='alternate']/@href") == ["history.atom", "history.rss"]
    (body,) = home.xpath("//body")
    assert (body.get("dir"), body.get("data-md-color-scheme")) == ("ltr", "default")
    skip = body[0]  # the first stop of the keyboard, to the content
    assert (text(skip), skip.get("href")) == ("Skip to content", "#flare-main")
    (main,) = body.xpath("./main[@id='flare-main']")
    assert main.xpath(f"./article[{has_class('md-typeset')}]/h1/text()") == ["System status"]
    (current,) = body.xpath("./header//nav//a[@aria-current='page']")
    assert text(current) == "Status"
    (footer,) = body.xpath("./footer")
    assert text(footer) == (
        "© 2026 Example Cloud · Something wrong that is not listed here? support@example.com"
    )


def test_every_other_page_keeps_the_themes_layout(page, flare_pages):
    for path in [*flare_pages[1:], "about/"]:
        tree = page(path)
        assert "flare-light" not in classes(tree), path
        assert tree.xpath(f"//header[{has_class('md-header')}]"), path


# -- uptime cells ----------------------------------------------------------------------------------
def test_public_api_cell_for_5_nov_says_45_min_degraded_and_names_the_incident(page):
    record = RECORDS[API_LATENCY]
    minutes = (incident_resolved_at(record) - record_start(record)) / timedelta(minutes=1)
    assert (record["impact"], minutes) == ("minor", 45)  # 16:40 UTC (22:10 +05:30) to 17:25 UTC

    cell = uptime_cells(page(""), "Public API")["5 Nov 2026"]

    label = "5 Nov 2026: 45 min degraded performance: Increased response times on the public API"
    assert "flare-cell--degraded_performance" in classes(cell)
    assert cell.findtext("title") == label


def test_the_quiet_days_share_one_shape_that_says_no_incidents(page):
    bar = uptime_bar(page(""), "Public API")
    (quiet,) = [
        shape
        for shape in bar.xpath(".//path")
        if shape.findtext("title") == "No incidents or maintenance"
    ]

    assert "flare-cell--operational" in classes(quiet)
    assert 89 - 19 in slots(quiet)  # 4 Nov
    assert len(slots(quiet)) == 90 - len(uptime_cells(page(""), "Public API"))


def test_email_cell_for_27_oct_counts_the_major_incident_as_partial_outage(page):
    # A major incident whose updates name no component state: the impact implies partial outage
    # from the first update (10:18 -04:00, 14:18 UTC) to the resolution (16:30 UTC).
    record = RECORDS[EMAIL_OUTAGE]
    assert record["impact"] == "major"
    assert not any(update.get("components") for update in record["updates"])
    minutes = (incident_resolved_at(record) - record_start(record)) / timedelta(minutes=1)
    assert minutes == 2 * 60 + 12

    cell = uptime_cells(page(""), "Email notifications")["27 Oct 2026"]

    label = "27 Oct 2026: 2 h 12 min partial outage: Email notifications not being sent"
    assert "flare-cell--partial_outage" in classes(cell)
    assert cell.findtext("title") == label


def test_a_cell_with_two_incidents_names_the_worst_one_first(page):
    cell = uptime_cells(page(""), "Search")["8 Sep 2026"]

    assert cell.findtext("title") == (
        "8 Sep 2026: 1 h 3 min partial outage, 8 h 12 min degraded performance: "
        "Elevated API error rates and search timeouts; "
        "New and edited records slow to appear in search"
    )


def test_the_bars_days_with_incidents_are_listed_under_it_with_links(page):
    """The bar's detail reaches touch, keyboard and screen readers: a list of the days with
    something to say, newest first, each linking to what happened; the bar itself is hidden
    from screen readers, which read the list instead."""
    (item,) = content(page("")).xpath(
        f".//li[{has_class('flare-component')}][.//a[normalize-space()='Search']]"
    )
    (bar,) = item.xpath(f".//div[{has_class('flare-bar')}]")
    assert bar.get("aria-hidden") == "true"
    (details,) = item.xpath(f".//details[{has_class('flare-days')}]")
    days = details.xpath("./ul/li")
    assert text(details.xpath("./summary")[0]) == (
        "Search: 2 days with incidents or maintenance in the last 90 days"
    )
    lines = [text(day) for day in days]
    (sep_8,) = [line for line in lines if line.startswith("8 Sep 2026")]
    assert sep_8 == (
        "8 Sep 2026: 1 h 3 min partial outage, 8 h 12 min degraded performance "
        "Elevated API error rates and search timeouts · "
        "New and edited records slow to appear in search"
    )
    links = [day.xpath(".//a/@href") for day in days if text(day).startswith("8 Sep 2026")][0]
    assert [href.split("/")[-2] for href in links] == [
        "2026-09-08-api-errors-and-search-timeouts",
        "2026-09-08-search-indexing-delay",
    ]
    dates = [datetime.strptime(line.split(":")[0], "%d %b %Y") for line in lines]
    assert dates == sorted(dates, reverse=True)


# -- record pages ----------------------------------------------------------------------------------
def test_the_example_has_20_records_each_with_its_page(site):
    assert len(RECORDS) == 20
    built = sorted(path.parent.name for path in (site / "incidents").glob("*/index.html"))
    assert built == sorted(RECORDS)


@pytest.mark.parametrize("record_id", sorted(RECORDS))
def test_record_page_has_its_title_and_every_update_newest_first(page, record_id):
    record = RECORDS[record_id]
    tree = page(f"incidents/{record_id}/")

    (h1,) = content(tree).xpath(".//h1")
    assert text(h1) == record["title"]
    items = content(tree).xpath(f".//ol[{has_class('flare-timeline')}]/li")
    assert len(items) == len(record.get("updates", []))
    newest_first = list(reversed(timeline(record)))
    assert [text(item.xpath("./h3")[0]) for item in items] == [
        status_label(update["status"]) for update in newest_first
    ]
    assert [item.xpath(".//time")[0].get("datetime") for item in items] == [
        update["at"].isoformat() for update in newest_first
    ]


@pytest.mark.parametrize("record_id", sorted(RECORDS))
def test_record_page_lists_its_affected_components(page, example_site, record_id):
    names = {component.id: component.name for component in example_site.settings.components}
    (listing,) = content(page(f"incidents/{record_id}/")).xpath(
        f".//ul[{has_class('flare-affected')}]"
    )
    during = "During the work:" if record_id in MAINTENANCE_IDS else "Worst in this incident:"
    rows = listing.xpath("./li")

    assert [text(row.xpath("./a")[0]) for row in rows] == [
        names[component_id] for component_id in RECORDS[record_id]["components"]
    ]
    assert [row.xpath("./a")[0].get("href") for row in rows] == [
        f"../../components/{component_id}/" for component_id in RECORDS[record_id]["components"]
    ]
    for row in rows:
        worst, now = row.xpath(f"./span[{has_class('flare-affected__state')}]")
        assert text(worst).startswith(during) and text(now).startswith("Now:")


@pytest.mark.parametrize("record_id", INCIDENT_IDS)
def test_incident_page_shows_impact_start_and_resolution(page, record_id):
    record = RECORDS[record_id]
    shown_facts = facts(page(f"incidents/{record_id}/"))
    resolved = incident_resolved_at(record)

    assert shown_facts["Status"] == status_label(timeline(record)[-1]["status"])
    assert shown_facts["Impact"].endswith(" impact")
    assert shown_facts["Started"] == shown(record_start(record))
    impact = ["Impact", "Classified as"] if record.get("classification") == "defect" else ["Impact"]
    if resolved is None:
        assert list(shown_facts) == ["Status", *impact, "Started", "Resolved"]
        assert shown_facts["Resolved"] == "Not yet"
    else:
        assert list(shown_facts) == ["Status", *impact, "Started", "Resolved", "Duration"]
        assert shown_facts["Resolved"] == shown(resolved)


def test_the_open_incident_is_not_yet_resolved(page):
    shown_facts = facts(page(f"incidents/{OPEN_INCIDENT}/"))

    assert shown_facts == {
        "Status": "Monitoring",
        "Impact": "Minor impact",
        "Started": "22 Nov 2026, 21:40 UTC",
        "Resolved": "Not yet",
    }


@pytest.mark.parametrize(
    ("record_id", "duration"),
    [
        (API_LATENCY, "45 min"),  # 22:10 +05:30 (16:40 UTC) to 17:25 UTC
        (EMAIL_OUTAGE, "2 h 12 min"),  # 10:18 -04:00 (14:18 UTC) to 16:30 UTC
    ],
)
def test_a_resolved_incident_shows_how_long_it_lasted(page, record_id, duration):
    record = RECORDS[record_id]
    minutes = round((incident_resolved_at(record) - record_start(record)) / timedelta(minutes=1))
    hours, rest = divmod(minutes, 60)
    assert duration == (f"{hours} h {rest} min" if hours else f"{rest} min")

    assert facts(page(f"incidents/{record_id}/"))["Duration"] == duration


@pytest.mark.parametrize("record_id", MAINTENANCE_IDS)
def test_maintenance_page_shows_its_window_and_progress(page, record_id):
    record = RECORDS[record_id]
    tree = page(f"incidents/{record_id}/")
    shown_facts = facts(tree)
    window = record["scheduled"]
    upcoming = window["start"] > EXAMPLE_NOW

    assert text(content(tree).xpath(f".//*[{has_class('flare-kicker')}]")[0]) == (
        "Scheduled maintenance"
    )
    assert shown_facts["Window"] == f"{shown(window['start'])} to {shown(window['end'])}"
    (progress,) = content(tree).xpath(".//progress")
    assert progress.get("max") == "100"
    assert progress.get("value") == ("0" if upcoming else "100")
    assert shown_facts["Progress"].endswith(
        "0% of the window elapsed" if upcoming else "100% of the window elapsed"
    )
    assert shown_facts["Status"] == ("Scheduled" if upcoming else "Completed")
    if upcoming:
        assert shown_facts["Starts"] == shown(window["start"])
        assert "Started" not in shown_facts and "Ended" not in shown_facts
        assert "Duration" not in shown_facts
    else:
        completed = [u["at"] for u in timeline(record) if u["status"] == "completed"]
        assert shown_facts["Started"] == shown(record_start(record))
        assert shown_facts["Ended"] == shown(completed[0] if completed else window["end"])
        assert "Duration" in shown_facts


def test_the_upcoming_database_upgrade_page(page):
    tree = page(f"incidents/{UPCOMING_MAINTENANCE}/")
    shown_facts = facts(tree)

    assert shown_facts["Status"] == "Scheduled"
    assert shown_facts["Window"] == "8 Dec 2026, 02:00 UTC to 8 Dec 2026, 04:00 UTC"
    (progress,) = content(tree).xpath(".//progress")
    assert progress.get("value") == "0"
    assert progress.get("aria-hidden") == "true"  # the text beside it says it once
    assert text(progress.tail) == "0% of the window elapsed"


def test_a_maintenance_that_has_not_begun_is_not_shown_as_started(page):
    tree = page(f"incidents/{UPCOMING_MAINTENANCE}/")
    started = content(tree).xpath(".//dt[normalize-space()='Started']/following-sibling::dd//time")

    assert facts(tree)["Status"] == "Scheduled"
    assert [
        time.get("datetime")
        for time in started
        if datetime.fromisoformat(time.get("datetime")) > EXAMPLE_NOW
    ] == [], "the page says the work started at a time that has not come yet"


@pytest.mark.parametrize(
    "path",
    [
        "incidents/2026-03-26-third-party-sso-provider-outage/",
        "incidents/2025-12-09-delayed-email-notifications/",
        "history/",
        "components/auth/",
        "components/email/",
    ],
)
def test_an_incident_without_impact_is_not_labelled_none_impact(page, path):
    assert "None impact" not in text(content(page(path)))


def test_a_web_address_in_an_update_body_is_a_link(page):
    active = section(page(""), "flare-active")
    hrefs = [a.get("href") for a in active.xpath(f".//div[{has_class('flare-body')}]//a")]

    assert "https://docs.example.com/webhooks/delivery-and-retries" in hrefs


# -- history ---------------------------------------------------------------------------------------
def test_history_lists_every_started_record_newest_first_under_month_headings(page, example_site):
    started = sorted(
        (record for record in example_site.records if record.started_at <= EXAMPLE_NOW),
        key=lambda record: (record.started_at, record.id),
        reverse=True,
    )
    expected: dict[str, list[str]] = {}
    for record in started:
        expected.setdefault(f"{record.started_at.astimezone(UTC):%B %Y}", []).append(record.title)

    shown_on_page = {
        text(month.xpath("./h2")[0]): [
            text(a) for a in month.xpath(f".//a[{has_class('flare-history__title')}]")
        ]
        for month in content(page("history/")).xpath(f".//section[{has_class('flare-section')}]")
    }

    assert shown_on_page == expected
    assert list(shown_on_page) == list(expected)  # months in order too
    titles = [title for month in shown_on_page.values() for title in month]
    assert len(titles) == 19  # every record but the upcoming maintenance
    assert "Database upgrade" not in titles
    assert list(shown_on_page)[0] == "November 2026"
    assert list(shown_on_page)[-1] == "December 2025"
    assert shown_on_page["November 2026"] == [
        "Delayed webhook deliveries",
        "New and edited records slow to appear in search, again",
        "Increased response times on the public API",
    ]


def test_history_links_open_each_record_page(site, page):
    links = content(page("history/")).xpath(f".//a[{has_class('flare-history__title')}]")

    assert links
    for link in links:
        target = link_target(site, "history/", link.get("href"))
        assert target.is_file(), link.get("href")
        (h1,) = content(lxml.html.parse(str(target)).getroot()).xpath(".//h1")
        assert text(h1) == text(link)


def test_history_says_how_long_each_record_lasted_or_that_it_is_ongoing(page):
    items = {
        text(item.xpath(f"./a[{has_class('flare-history__title')}]")[0]): text(
            item.xpath(f"./*[{has_class('flare-meta')}]")[0]
        )
        for item in content(page("history/")).xpath(f".//li[{has_class('flare-history__item')}]")
    }

    assert items["Delayed webhook deliveries"] == (
        "Minor impact 22 Nov 2026, 21:40 UTC · ongoing · Webhooks"
    )
    assert items["Increased response times on the public API"] == (
        "Minor impact 5 Nov 2026, 16:40 UTC · lasted 45 min · Public API"
    )
    assert items["File storage platform upgrade"] == (
        "Maintenance 14 Oct 2026, 02:00 UTC · lasted 1 h 50 min · File storage, Reports and exports"
    )


# -- component pages -------------------------------------------------------------------------------
def test_a_component_with_an_objective_shows_its_error_budget_and_the_months_it_missed(page):
    storage = page("components/storage/")
    body = content(storage)

    (objective,) = body.xpath(".//h2[@id='flare-error-budget']/following-sibling::p[1]")
    # 99.9 % of November (30 days): 43.2 minutes, shown to the minute.
    assert text(objective) == (
        "Our objective: File storage available 99.9% of each calendar month. Its error budget "
        "is the downtime the rest allows: 43 min this month."
    )
    assert facts(storage, 1) == {"Spent": "0 min (0% of the budget)", "Left": "43 min"}
    # August: the 4 Aug outage held storage in major outage for over an hour.
    assert "The objective was missed in 1 of the last 12 calendar months." in text(body)
    api = content(page("components/api/"))
    assert "missed in" not in text(api) and "over the last 30 days" in text(api)
    assert content(page("components/search/")).xpath(".//h2[@id='flare-error-budget']") == []


def test_public_api_page_shows_its_state_uptime_and_incidents(page):
    tree = page("components/api/")
    body = content(tree)

    assert text(body.xpath(".//h1")[0]) == "Public API"
    (state,) = body.xpath(f".//p[{has_class('flare-component-state')}]")
    assert text(state) == "Current state: Operational"

    uptime = facts(tree)
    assert list(uptime) == ["Last 30 days", "Last 90 days", "Last 365 days"]
    assert all(re.fullmatch(r"\d{1,3}\.\d{2}%", value) for value in uptime.values()), uptime
    # The only API incident in the last 30 days was degraded performance, which counts as up;
    # the partial outages of 4 Aug and 8 Sep count against the 90 and 365 days.
    assert uptime["Last 30 days"] == "100.00%"
    assert uptime["Last 90 days"] != "100.00%"
    assert uptime["Last 365 days"] != "100.00%"
    # The bar's own figures, for the 90 days it shows, and the 30 a phone shows of it.
    legends = [text(span) for span in body.xpath(f".//*[{has_class('flare-bar__uptime')}]")]
    assert legends == [
        f"{uptime['Last 90 days']} uptime over 90 days",
        f"{uptime['Last 30 days']} uptime over 30 days",
    ]

    assert [
        text(a) for a in body.xpath(f".//a[{has_class('flare-history__title')}]")
    ] == [  # newest first; the upcoming database upgrade is not there yet
        "Increased response times on the public API",
        "Elevated API error rates and search timeouts",
        "File storage outage affecting uploads, downloads and exports",
        "Dashboard, public API and sign-in unavailable",
    ]


def test_webhooks_page_shows_the_open_incident_state(page):
    (state,) = content(page("components/webhooks/")).xpath(
        f".//p[{has_class('flare-component-state')}]"
    )

    assert text(state) == "Current state: Degraded performance"


# -- links -----------------------------------------------------------------------------------------
def test_no_link_on_flare_pages_starts_with_a_slash(page, flare_pages):
    for path in flare_pages:
        absolute = [
            f"<{value.getparent().tag} {value.attrname}={value}>"
            for value in page(path).xpath("//@href | //@src")
            if value.startswith("/")
        ]
        assert absolute == [], path


def test_every_relative_link_on_flare_pages_opens_a_built_file(site, page, flare_pages):
    reached = set()
    for path in flare_pages:
        broken = []
        for value in page(path).xpath("//@href | //@src"):
            parts = urlsplit(value)
            if parts.scheme in ("http", "https", "mailto") or not (parts.path or parts.query):
                continue  # outside the site, or a #fragment of this page
            assert not parts.scheme and not parts.netloc, f"{path}: unexpected link {value}"
            target = link_target(site, path, value)
            if target.is_file():
                reached.add(target)
            else:
                broken.append(value)
        assert broken == [], path
    # The links were followed: every page Flare generates is linked from another of them.
    assert {page_file(site, path) for path in flare_pages} <= reached


# -- navigation ------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["", f"incidents/{API_LATENCY}/", "components/api/"])
def test_navigation_lists_status_history_reliability_and_the_hand_written_pages_only(
    site, page, path
):
    if path == "":  # the status page, in Flare's light layout: the navigation in its header
        (nav,) = page(path).xpath(f"//nav[{has_class('flare-light__nav')}]")
        links = nav.xpath(".//a")
    else:
        (nav,) = page(path).xpath(f"//nav[{has_class('md-nav--primary')}]")
        links = nav.xpath(f".//a[{has_class('md-nav__link')}]")
    entries = [
        (text(a), link_target(site, path, a.get("href")).relative_to(site).as_posix())
        for a in links
    ]

    assert entries == [
        ("Status", "index.html"),
        ("History", "history/index.html"),
        ("Reliability", "reliability/index.html"),
        ("About this page", "about/index.html"),
        ("How we handle incidents", "how-we-handle-incidents/index.html"),
        ("Our status on your pages", "embed/index.html"),
    ]


# -- times -----------------------------------------------------------------------------------------
def test_every_time_on_the_home_page_has_an_offset_and_is_shown_in_utc(page):
    times = content(page("")).xpath(".//time")

    assert len(times) >= 4  # last updated, active incident, maintenance window, past days
    for time in times:
        stamp = time.get("datetime")
        assert re.search(r"([+-]\d{2}:\d{2}|Z)$", stamp), stamp
        instant = datetime.fromisoformat(stamp)
        assert instant.utcoffset() is not None
        assert text(time).endswith(" UTC")
        assert text(time) == shown(instant)


# -- history pages ---------------------------------------------------------------------------------
PAGINATED_RECORDS = 30  # one more history page than HISTORY_PAGE_SIZE (25) fills


@pytest.fixture(scope="module")
def paginated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small site with 30 resolved incidents, one a day through October 2026, built once."""
    folder = SiteFolder(tmp_path_factory.mktemp("paginated"))
    for number in range(1, PAGINATED_RECORDS + 1):
        folder.record(
            f"2026-10-{number:02d}-incident.yaml",
            f"""\
            title: Incident number {number}
            impact: minor
            components: [api]
            updates:
              - at: 2026-10-{number:02d}T10:00:00Z
                status: investigating
                body: Requests are slow.
              - at: 2026-10-{number:02d}T10:30:00Z
                status: resolved
                body: Requests are fast again.
            """,
        )
    output = folder.root / "site"
    result = flare("build", str(folder.root), "-d", str(output))
    assert result.returncode == 0, result.stderr
    return output


def history_entries(tree: HtmlElement) -> list[str]:
    return [text(a) for a in content(tree).xpath(f".//a[{has_class('flare-history__title')}]")]


def pagination(tree: HtmlElement) -> HtmlElement:
    (nav,) = content(tree).xpath(f".//nav[{has_class('flare-pagination')}]")
    return nav


def test_history_page_1_holds_25_records_and_links_to_page_2(paginated_site):
    first = lxml.html.parse(str(page_file(paginated_site, "history/"))).getroot()

    assert history_entries(first) == [f"Incident number {n}" for n in range(30, 5, -1)]
    nav = pagination(first)
    assert "Page 1 of 2" in text(nav)
    assert nav.xpath(".//a[@rel='prev']") == []
    (older,) = nav.xpath(".//a[@rel='next']")
    assert text(older) == "Older"
    assert link_target(paginated_site, "history/", older.get("href")) == (
        page_file(paginated_site, "history/page-2/")
    )


def test_history_page_2_holds_the_last_5_records_and_links_back(paginated_site):
    second = lxml.html.parse(str(page_file(paginated_site, "history/page-2/"))).getroot()

    assert history_entries(second) == [f"Incident number {n}" for n in range(5, 0, -1)]
    nav = pagination(second)
    assert "Page 2 of 2" in text(nav)
    assert nav.xpath(".//a[@rel='next']") == []
    (newer,) = nav.xpath(".//a[@rel='prev']")
    assert text(newer) == "Newer"
    assert link_target(paginated_site, "history/page-2/", newer.get("href")) == (
        page_file(paginated_site, "history/")
    )


def test_there_is_no_history_page_beyond_the_last(paginated_site):
    assert sorted(
        str(path.relative_to(paginated_site)) for path in paginated_site.glob("history/**/*.html")
    ) == ["history/index.html", "history/page-2/index.html"]


def test_only_the_first_history_page_is_in_the_navigation(paginated_site):
    tree = lxml.html.parse(str(page_file(paginated_site, "history/page-2/"))).getroot()
    (nav,) = tree.xpath(f"//nav[{has_class('md-nav--primary')}]")

    titles = [text(a) for a in nav.xpath(f".//a[{has_class('md-nav__link')}]")]
    assert "History" in titles
    assert not [title for title in titles if "page 2" in title or "Incident number" in title]


def test_the_storage_outage_shows_each_components_worst_state_and_its_state_now(page):
    (listing,) = content(page("incidents/2026-08-04-file-storage-outage/")).xpath(
        f".//ul[{has_class('flare-affected')}]"
    )
    shown = {
        text(row.xpath("./a")[0]): [
            text(badge) for badge in row.xpath(f".//span[{has_class('flare-state__label')}]")
        ]
        for row in listing.xpath("./li")
    }
    assert shown == {
        "File storage": ["Major outage", "Operational"],
        "Reports and exports": ["Major outage", "Operational"],
        "Public API": ["Partial outage", "Operational"],
    }
