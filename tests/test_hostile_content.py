"""Hostile content: known XSS payloads in every text an author writes, through every output.

A status site is built twice with the real `flare build`. The hostile build puts a payload from
``tests/xss/payloads.yaml`` into every author text field: each update body and post-mortem
timeline event gets one of the corpus in turn, and so do the titles, the component names,
descriptions and group, the maintenance, and every other post-mortem field; one record has an
unusual but valid id. Its twin has the same records and components with plain words instead, so
the two sites have the same pages.

Every output is read back with a real parser (lxml for HTML, ElementTree for feeds and badges,
json, vobject for the calendar) and must carry none of the payloads as live markup: no script
but the theme's own, no event handler, no address with another scheme than http, https or
mailto, no embedded or active element in the content. And the author's words stay readable:
each text field is written as ``Ante<n> <payload> Post<n>``, and a reader must still see both
marker words, the exact text of a plain-text field, and the words the corpus lists under
``shows`` (a link's text, an image's alt text, the text of a removed element).
"""

from __future__ import annotations

import itertools
import json
import re
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import vobject
import yaml
from lxml.html import HtmlElement

from conftest import REPO, SiteFolder, flare

CORPUS: list[dict[str, Any]] = yaml.safe_load(
    (REPO / "tests" / "xss" / "payloads.yaml").read_text(encoding="utf-8")
)
BY_NAME = {entry["name"]: entry for entry in CORPUS}
# Plain-text fields (titles, names) get the one-line payloads; control characters, which no XML
# output can carry, are tested on their own below.
ONE_LINE = [
    entry
    for entry in CORPUS
    if "\n" not in entry["payload"] and not re.search(r"[\x00-\x08]", entry["payload"])
]

SITE_NAME = "Test Status"
HOSTILE_ID = "0.Hostile_ID--v2..final"  # digits, dots, underscores, double dashes: a valid id
OPEN_ID = "open-incident"
MAINTENANCE_ID = "database-maintenance"
INCIDENT_PAGE = f"incidents/{HOSTILE_ID}/"
POSTMORTEM_PAGE = f"incidents/{HOSTILE_ID}/postmortem/"
START = datetime.fromisoformat("2026-11-20T08:00:00+00:00")

# The maintenance's latest update, as the calendar must tell it in plain text.
CALENDAR_BODY = (
    "Ante <b>bold</b> <script>alert(1)</script> [link words](javascript:alert(2)) "
    "![graph](https://evil.example/x.png) <img src=x onerror=alert(3) alt=local> Post"
)
CALENDAR_TEXT = "Ante bold alert(1) link words [image: graph] [image: local] Post"

XLINK = "{http://www.w3.org/1999/xlink}"
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "poster", "background", "cite", "codebase",
    "longdesc", "usemap", "srcset", "ping", "lowsrc", "dynsrc", "profile", "manifest", "icon",
}  # fmt: skip
SAFE_SCHEMES = {None, "http", "https", "mailto"}  # None: a relative address
# Elements that run, embed, submit, restyle or redirect: never in authors' content.
ACTIVE = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
    "button", "textarea", "select", "style", "link", "base", "meta", "math", "template",
    "noscript", "video", "audio", "source", "details", "marquee", "isindex", "xmp", "plaintext",
}  # fmt: skip
# Inside an SVG: what runs code, loads a document or rewrites attributes.
SVG_ACTIVE = {"script", "foreignobject", "animate", "set", "animatetransform", "animatemotion",
              "use", "image", "a", "handler", "iframe", "style"}  # fmt: skip


# -- writing the site -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    """One text field as written: where a reader finds it, and what they must still see."""

    key: str  # e.g. ``updates[3].body``
    page: str  # the page that shows it, relative to the site's root
    markdown: bool
    text: str
    before: str
    after: str
    entry: dict[str, Any] | None  # the corpus entry it carries (None in the twin)


@dataclass
class Author:
    """Writes every field's text: a payload between two marker words, or plain words."""

    hostile: bool
    fields: dict[str, Field] = field(default_factory=dict)
    _markdown: Iterator[dict[str, Any]] = field(default_factory=lambda: itertools.cycle(CORPUS))
    _plain: Iterator[dict[str, Any]] = field(default_factory=lambda: itertools.cycle(ONE_LINE))

    def markdown(self, key: str, page: str, entry: dict[str, Any] | None = None) -> str:
        return self._write(key, page, True, entry or next(self._markdown))

    def plain(self, key: str, page: str, entry: dict[str, Any] | None = None) -> str:
        return self._write(key, page, False, entry or next(self._plain))

    def _write(self, key: str, page: str, markdown: bool, entry: dict[str, Any]) -> str:
        number = len(self.fields)
        before, after = f"Ante{number}", f"Post{number}"
        middle = entry["payload"] if self.hostile else "plain words"
        # In Markdown the closing marker is a paragraph of its own, so a payload's unclosed
        # element cannot take it along.
        text = f"{before} {middle}\n\n{after}" if markdown else f"{before} {middle} {after}"
        self.fields[key] = Field(
            key, page, markdown, text, before, after, entry if self.hostile else None
        )
        return text


def at(minutes: int) -> str:
    return (START + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def site_files(author: Author) -> dict[str, Any]:
    """mkdocs.yml and the records, as data, with every text written by ``author``."""
    components = [
        {
            "id": "api",
            "name": author.plain("components[api].name", "components/api/"),
            "group": author.plain("components[api].group", "components/api/"),
            "description": author.plain("components[api].description", "components/api/"),
        },
        {"id": "web", "name": author.plain("components[web].name", "components/web/")},
    ]
    config = {
        "site_name": SITE_NAME,
        "docs_dir": "site_src",
        "site_url": "https://status.test.example/",
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"flare": {"components": components}}],
    }

    page = INCIDENT_PAGE
    updates = [
        {
            "at": at(index),
            "status": "investigating" if index == 0 else "identified",
            "body": author.markdown(f"updates[{index}].body", page, entry),
        }
        for index, entry in enumerate(CORPUS)
    ]
    updates[0]["components"] = {"api": "major_outage", "web": "degraded_performance"}
    updates[-1]["status"] = "resolved"
    resolved = len(CORPUS) - 1

    pm = POSTMORTEM_PAGE
    timeline = [
        {"at": at(index), "text": author.markdown(f"postmortem.timeline[{index}].text", pm, entry)}
        for index, entry in enumerate(CORPUS)
    ]
    timeline[0]["milestone"] = "impact_started"
    timeline[-1]["milestone"] = "resolved"
    postmortem = {
        "stage": "analysis",
        "owner": author.plain("postmortem.owner", pm),
        "authors": [author.plain("postmortem.authors[0]", pm)],
        "summary": author.markdown("postmortem.summary", pm),
        "impact": {
            "description": author.markdown("postmortem.impact.description", pm),
            "users_affected": author.plain("postmortem.impact.users_affected", pm),
            "users_reported": 12,
            "areas": [author.markdown("postmortem.impact.areas[0]", pm)],
            "data_loss": author.markdown("postmortem.impact.data_loss", pm),
        },
        "responders": [
            {
                "name": author.plain("postmortem.responders[0].name", pm),
                "role": author.plain("postmortem.responders[0].role", pm),
            }
        ],
        "timeline": timeline,
        "trigger": author.markdown("postmortem.trigger", pm),
        "contributing_factors": [
            {
                "text": author.markdown("postmortem.contributing_factors[0].text", pm),
                "evidence": ['https://evil.example/"onmouseover="alert(1)'],
            }
        ],
        "detection": author.markdown("postmortem.detection", pm),
        "resolution": author.markdown("postmortem.resolution", pm),
        "lessons": {
            name: [author.markdown(f"postmortem.lessons.{name}[0]", pm)]
            for name in ("went_well", "went_wrong", "lucky")
        },
        "action_items": [
            {
                "title": author.plain("postmortem.action_items[0].title", pm),
                "type": "prevent",
                "priority": "P1",
                "owner": author.plain("postmortem.action_items[0].owner", pm),
                "ticket": "https://tracker.example/\"><script>alert('ticket')</script>",
                "status": "open",
                "due": "2027-01-15",
            },
            {
                "title": author.plain("postmortem.action_items[1].title", pm),
                "type": "process",
                "priority": "P3",
                "owner": author.plain("postmortem.action_items[1].owner", pm),
                "status": "wont_fix",
                "reason": author.plain("postmortem.action_items[1].reason", pm),
            },
        ],
        "related": [OPEN_ID],
        "published": {"immediate": at(resolved + 30), "24h": at(resolved + 60)},
    }
    postmortem["published"]["analysis"] = at(resolved + 90)
    hostile = {
        "title": author.plain("title", page),
        "impact": "major",
        "components": ["api", "web"],
        "updates": updates,
        "postmortem": postmortem,
    }

    open_page = f"incidents/{OPEN_ID}/"
    open_incident = {
        "title": author.plain(f"{OPEN_ID}.title", open_page),
        "impact": "minor",
        "components": ["web"],
        "updates": [
            {
                "at": "2026-11-23T10:00:00Z",
                "status": "investigating",
                "body": author.markdown(f"{OPEN_ID}.updates[0].body", open_page),
            },
            {
                "at": "2026-11-23T11:00:00Z",
                "status": "identified",
                "body": author.markdown(f"{OPEN_ID}.updates[1].body", open_page),
            },
        ],
    }
    maintenance_page = f"incidents/{MAINTENANCE_ID}/"
    maintenance = {
        "kind": "maintenance",
        "title": author.plain(f"{MAINTENANCE_ID}.title", maintenance_page),
        "components": ["api"],
        "scheduled": {"start": "2026-12-08T02:00:00Z", "end": "2026-12-08T04:00:00Z"},
        "updates": [
            {
                "at": "2026-11-21T10:00:00Z",
                "status": "scheduled",
                "body": author.markdown(f"{MAINTENANCE_ID}.updates[0].body", maintenance_page),
            },
            {"at": "2026-11-22T10:00:00Z", "status": "scheduled", "body": CALENDAR_BODY},
        ],
    }
    return {
        "mkdocs.yml": config,
        f"incidents/2026/{HOSTILE_ID}.yaml": hostile,
        f"incidents/2026/{OPEN_ID}.yml": open_incident,
        f"incidents/{MAINTENANCE_ID}.yaml": maintenance,
    }


def build(root: Path, hostile: bool) -> tuple[Path, Author]:
    author = Author(hostile)
    for name, data in site_files(author).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)
        path.write_text(text, encoding="utf-8")
    (root / "site_src").mkdir()
    (root / "site_src" / "about.md").write_text("# About\n", encoding="utf-8")
    result = flare("build", str(root), "-d", str(root / "site"))
    assert result.returncode == 0, result.stderr
    return root / "site", author


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Author]:
    return build(tmp_path_factory.mktemp("hostile"), hostile=True)


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("twin"), hostile=False)[0]


@pytest.fixture(scope="module")
def site(hostile) -> Path:
    return hostile[0]


@pytest.fixture(scope="module")
def fields(hostile) -> dict[str, Field]:
    return hostile[1].fields


# -- reading HTML ---------------------------------------------------------------------------------
def pages(site: Path) -> dict[str, HtmlElement]:
    """Every HTML file of the built site, parsed, by its path under the site."""
    return {
        path.relative_to(site).as_posix(): lxml.html.fromstring(path.read_bytes())
        for path in sorted(site.rglob("*.html"))
    }


def page(site: Path, url: str) -> HtmlElement:
    return lxml.html.fromstring((site / url / "index.html").read_bytes())


def content(tree: HtmlElement) -> HtmlElement:
    """The page's own content, without the theme's header, navigation and footer."""
    (article,) = tree.xpath("//article[contains(concat(' ', @class, ' '), ' md-typeset ')]")
    return article


def text(element: HtmlElement) -> str:
    """What a reader sees: the element's text with runs of whitespace made single spaces."""
    return " ".join(element.text_content().split())


def reading(element: HtmlElement) -> str:
    """The text of a page's parts, each part apart (``<p>a</p><p>b</p>`` reads ``a b``)."""
    return " ".join(" ".join(element.itertext()).split())


def fragment(html: str) -> HtmlElement:
    """An HTML fragment (a feed entry's content, an API body) inside a ``div``."""
    return lxml.html.fragment_fromstring(html, create_parent="div")


def scheme(address: str) -> str | None:
    """The scheme a browser reads in ``address`` (tabs and newlines dropped, ends trimmed)."""
    address = re.sub(r"[\t\n\r]", "", address).strip("".join(map(chr, range(0x21))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", address)
    return match.group(1).lower() if match else None


def where(element: HtmlElement) -> str:
    return lxml.html.tostring(element, encoding="unicode")[:160]


def handlers_and_schemes(root: HtmlElement) -> list[str]:
    """Event-handler attributes, and addresses with another scheme than http, https, mailto."""
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment or processing instruction
        for name, value in element.attrib.items():
            local = name.removeprefix(XLINK).lower()
            if local.startswith("on"):
                found.append(f"handler {name}: {where(element)}")
            is_url = local in URL_ATTRIBUTES or local.endswith(":href")
            if is_url and scheme(value) not in SAFE_SCHEMES:
                found.append(f"{name}={value!r}: {where(element)}")
    return found


def active_elements(root: HtmlElement) -> list[str]:
    """Elements that run, embed, submit, restyle or redirect, and SVGs that could."""
    found = [where(el) for el in root.iter() if isinstance(el.tag, str) and el.tag in ACTIVE]
    for svg in root.iter("svg"):
        found += [where(el) for el in svg.iter() if str(el.tag).lower() in SVG_ACTIVE]
    return found


def live_markup(html: str) -> list[str]:
    """Everything live in an HTML fragment; an empty list for inert HTML."""
    root = fragment(html)
    return handlers_and_schemes(root) + active_elements(root)


# -- every page -----------------------------------------------------------------------------------
def test_the_twin_has_the_same_pages(site, twin):
    assert sorted(pages(site)) == sorted(pages(twin))
    assert (site / INCIDENT_PAGE / "index.html").is_file()


def scripts(tree: HtmlElement) -> list[tuple[str | None, ...]]:
    return [
        (el.get("src"), el.get("type"), el.get("id"), (el.text or "").strip())
        for el in tree.iter("script")
    ]


def test_every_page_runs_only_the_themes_scripts(site, twin):
    twins = pages(twin)
    different = {
        path: scripts(tree)
        for path, tree in pages(site).items()
        if scripts(tree) != scripts(twins[path])
    }
    assert different == {}
    assert scripts(twins["index.html"]) != []  # the comparison compares something


def test_no_element_on_any_page_has_a_handler_or_another_scheme(site):
    found = {path: handlers_and_schemes(tree) for path, tree in pages(site).items()}
    assert {path: problems for path, problems in found.items() if problems} == {}


def test_no_page_gets_a_base_address_or_a_redirect(site):
    for path, tree in pages(site).items():
        assert tree.xpath("//base") == [], path
        refresh = "translate(@http-equiv, 'REFSH', 'refsh') = 'refresh'"
        assert tree.xpath(f"//meta[{refresh}]") == [], path


# Flare's own interactive element, which its templates write and no author's text can: the list
# of a bar's days that opens by touch and keyboard (its contents are checked like any other).
FLARE_DETAILS = '<details class="flare-days">'


def test_no_content_area_holds_an_active_or_embedding_element(site):
    found = {
        path: [
            element
            for element in active_elements(content(tree))
            if not element.startswith(FLARE_DETAILS)
        ]
        for path, tree in pages(site).items()
        if tree.xpath("//article[contains(concat(' ', @class, ' '), ' md-typeset ')]")
    }
    assert len(found) > 10
    assert {path: elements for path, elements in found.items() if elements} == {}


# -- what readers see -----------------------------------------------------------------------------
def test_titles_are_text_in_the_tab_the_header_and_the_heading(site, fields):
    title = fields["title"].text
    for url, shown in ((INCIDENT_PAGE, title), (POSTMORTEM_PAGE, f"Post-mortem: {title}")):
        tree = page(site, url)
        assert text(tree.find(".//title")) == f"{shown} - {SITE_NAME}"
        (topic,) = tree.xpath("//div[@data-md-component='header-topic']")
        assert text(topic) == shown
        assert text(content(tree).find(".//h1")) == shown
    name = fields["components[api].name"].text
    tree = page(site, "components/api/")
    assert text(tree.find(".//title")) == f"{name} - {SITE_NAME}"
    assert text(content(tree).find(".//h1")) == name


def test_plain_text_fields_are_shown_exactly_as_written(site, fields):
    plain = [field for field in fields.values() if not field.markdown]
    assert len(plain) > 15
    missing = [
        field.key
        for field in plain
        if " ".join(field.text.split()) not in reading(content(page(site, field.page)))
    ]
    assert missing == [], missing


def test_the_words_around_every_payload_stay_readable(site, fields):
    shown: dict[str, str] = {}
    missing = []
    for written in fields.values():
        if written.page not in shown:
            shown[written.page] = reading(content(page(site, written.page)))
        words = re.findall(r"\b(?:Ante|Post)\d+\b", shown[written.page])
        keeps_rest = written.entry.get("keeps_rest", True)
        if written.before not in words or (keeps_rest and written.after not in words):
            missing.append((written.key, written.entry["name"]))
    assert missing == [], missing


@pytest.mark.parametrize(
    "entry", [entry for entry in CORPUS if "shows" in entry], ids=lambda entry: entry["name"]
)
def test_the_words_inside_a_payload_stay_readable(site, fields, entry):
    """The text of a link, an image or a removed element, in an update and a timeline event."""
    index = CORPUS.index(entry)
    for key in (f"updates[{index}].body", f"postmortem.timeline[{index}].text"):
        field = fields[key]
        shown = reading(content(page(site, field.page)))
        words = re.search(rf"\b{field.before}\b(.*)\b{field.after}\b", shown)
        assert words is not None, key
        for expected in entry["shows"]:
            assert expected in words.group(1), key


def test_the_open_incidents_latest_update_is_inert_on_the_status_page(site, fields):
    latest = fields[f"{OPEN_ID}.updates[1].body"]
    (article,) = content(page(site, "")).xpath(
        ".//article[contains(@class, 'flare-record--incident')]"
    )
    assert latest.before in text(article) and latest.after in text(article)
    assert handlers_and_schemes(article) + active_elements(article) == []


def test_links_written_as_addresses_keep_their_address(site):
    article = content(page(site, POSTMORTEM_PAGE))
    hrefs = [a.get("href") for a in article.iter("a")]
    assert 'https://evil.example/"onmouseover="alert(1)' in hrefs
    assert "https://tracker.example/\"><script>alert('ticket')</script>" in hrefs


def test_only_safe_images_remain(site):
    """No allowed image host is set: an image is one of the site's own files, or text."""
    sources = [img.get("src") for tree in pages(site).values() for img in content_images(tree)]
    assert sources != [] and None not in sources
    assert [src for src in sources if scheme(src) is not None or src.startswith("//")] == []
    shown = text(content(page(site, INCIDENT_PAGE)))
    for words in ("[image: Error graph]", "[image: relative host]", "[image: backslash host]"):
        assert words in shown


def content_images(tree: HtmlElement) -> list[HtmlElement]:
    articles = tree.xpath("//article[contains(concat(' ', @class, ' '), ' md-typeset ')]")
    return [img for article in articles for img in article.iter("img")]


# -- feeds ----------------------------------------------------------------------------------------
ATOM = "{http://www.w3.org/2005/Atom}"


def feed_entries(site: Path) -> Iterator[tuple[str, str, str | None, str]]:
    """(file, title, title type, content HTML) of every entry of every feed."""
    for path in sorted(site.glob("*.atom")):
        for entry in ET.parse(path).getroot().iter(f"{ATOM}entry"):
            title = entry.find(f"{ATOM}title")
            body = entry.find(f"{ATOM}content")
            assert body.get("type") == "html"
            yield path.name, title.text, title.get("type"), body.text
    for path in sorted(site.glob("*.rss")):
        for item in ET.parse(path).getroot().iter("item"):
            yield path.name, item.findtext("title"), None, item.findtext("description")


def test_feed_entries_carry_no_live_markup(site):
    entries = list(feed_entries(site))
    assert len(entries) > 2 * len(CORPUS)
    found = {
        (name, title[:40]): problems
        for name, title, _, html in entries
        if (problems := live_markup(html))
    }
    assert found == {}


def test_feed_titles_are_the_authors_text(site, fields):
    title = fields["title"].text
    titles = [
        (kind, shown) for name, shown, kind, _ in feed_entries(site) if name.endswith("y.atom")
    ]
    assert (None, f"[Investigating] {title}") in titles  # Atom's default type is text
    assert (None, f"[Post-mortem: full analysis] {title}") in titles
    assert all(kind in (None, "text") for kind, _ in titles)


# -- the JSON API ---------------------------------------------------------------------------------
def api(site: Path, name: str) -> dict[str, Any]:
    return json.loads((site / "api" / "v2" / name).read_text(encoding="utf-8"))


def test_api_html_carries_no_live_markup(site):
    bodies = [
        update["body_html"]
        for name in ("incidents.json", "scheduled-maintenances.json")
        for record in next(iter(v for k, v in api(site, name).items() if k != "page"))
        for update in record["incident_updates"]
    ]
    assert len(bodies) > len(CORPUS)
    found = {body[:60]: problems for body in bodies if (problems := live_markup(body))}
    assert found == {}


def test_api_text_is_the_authors_text_exactly(site, fields):
    incidents = {i["id"]: i for i in api(site, "incidents.json")["incidents"]}
    (maintenance,) = api(site, "scheduled-maintenances.json")["scheduled_maintenances"]
    written = {
        HOSTILE_ID: ("title", [f"updates[{index}].body" for index in range(len(CORPUS))]),
        OPEN_ID: (f"{OPEN_ID}.title", [f"{OPEN_ID}.updates[{index}].body" for index in (0, 1)]),
    }
    for record_id, (title, bodies) in written.items():
        record = incidents[record_id]
        assert record["name"] == fields[title].text
        # Newest first in the API.
        assert [update["body"] for update in reversed(record["incident_updates"])] == [
            fields[key].text for key in bodies
        ]
    assert maintenance["name"] == fields[f"{MAINTENANCE_ID}.title"].text
    assert [update["body"] for update in maintenance["incident_updates"]] == [
        CALENDAR_BODY,
        fields[f"{MAINTENANCE_ID}.updates[0].body"].text,
    ]

    components = {c["id"]: c for c in api(site, "components.json")["components"]}
    assert components["api"]["name"] == fields["components[api].name"].text
    assert components["api"]["description"] == fields["components[api].description"].text
    assert components["web"]["name"] == fields["components[web].name"].text
    (group,) = [c for c in components.values() if c["group"]]
    assert group["name"] == fields["components[api].group"].text


# -- badges and the calendar ----------------------------------------------------------------------
SVG = "{http://www.w3.org/2000/svg}"


def test_badges_are_inert_images_with_the_names_as_text(site, fields):
    badges = sorted((site / "badges").glob("*.svg"))
    assert [path.stem for path in badges] == ["api", "status", "web"]
    for path in badges:
        svg = ET.fromstring(path.read_bytes())
        assert {element.tag.removeprefix(SVG) for element in svg.iter()} == {
            "svg", "title", "path", "g", "text"
        }  # fmt: skip
        assert [n for el in svg.iter() for n in el.attrib if n.lower().startswith("on")] == []
    for component in ("api", "web"):
        svg = ET.fromstring((site / "badges" / f"{component}.svg").read_bytes())
        name = fields[f"components[{component}].name"].text
        assert svg.findtext(f"{SVG}title").startswith(f"{name}: ")
        assert svg.findtext(f"{SVG}g/{SVG}text") == name


def test_the_calendar_tells_text_only(site, fields):
    calendar = vobject.readOne((site / "maintenance.ics").read_text(encoding="utf-8"))
    (event,) = calendar.vevent_list
    assert event.summary.value == fields[f"{MAINTENANCE_ID}.title"].text
    first, affected, _ = event.description.value.split("\n\n")
    assert first == CALENDAR_TEXT
    assert affected == f"Affected: {fields['components[api].name'].text}"


# -- the search index -----------------------------------------------------------------------------
def test_the_search_index_is_inert_where_the_theme_shows_it_as_html(site, fields):
    """The theme's search shows each entry's title and text as HTML."""
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    found = {
        doc["location"]: problems
        for doc in docs
        for html in (doc["title"], doc["text"])
        if (problems := live_markup(html))
    }
    assert found == {}
    title = fields["title"].text
    page_titles = [text(fragment(doc["title"])) for doc in docs]
    assert " ".join(title.split()) in page_titles


# -- images from other hosts ----------------------------------------------------------------------
IMAGES = {
    # alt text: (address, shown as an image?)
    "own file": ("images/graph.png", True),
    "own file from the root": ("/images/graph.png", True),
    "allowed host": ("https://images.example.com/graph.png", True),
    "allowed host in capitals": ("https://IMAGES.Example.com/graph.png", True),
    "allowed host over http with a port": ("http://images.example.com:8080/g.png", True),
    "other host": ("https://evil.example/graph.png", False),
    "allowed name inside another host": ("https://images.example.com.evil.example/g.png", False),
    "allowed name as a user": ("https://images.example.com@evil.example/g.png", False),
    "protocol-relative host": ("//evil.example/graph.png", False),
    "javascript": ("javascript:alert(1)", False),
    # Raw HTML: Markdown would read these backslashes as escapes, and this ">" as the end.
    "backslashes": ("\\\\evil.example/graph.png", False),
    "slash and backslash": ("/\\evil.example/graph.png", False),
    "data": ("data:image/svg+xml,<svg onload=alert(1)>", False),
}
RAW_IMAGES = ("backslashes", "slash and backslash", "data")


def image_site(folder: SiteFolder) -> None:
    config = folder.config.read_text(encoding="utf-8")
    folder.config.write_text(
        config.replace(
            "  - flare:\n", "  - flare:\n      allowed_image_hosts: [images.example.com]\n"
        ),
        encoding="utf-8",
    )
    body = "\n".join(
        f'- <img src="{address}" alt="{alt}">' if alt in RAW_IMAGES else f"- ![{alt}]({address})"
        for alt, (address, _) in IMAGES.items()
    )
    folder.record(
        "2026/images.yaml",
        "title: Pictures\nimpact: minor\ncomponents: [api]\nupdates:\n"
        "  - at: 2026-11-03T14:05:00Z\n    status: investigating\n    body: |\n"
        + textwrap.indent(body, "      ")
        + "\n",
    )


def test_images_come_from_the_site_and_the_allowed_hosts_only(site_folder):
    image_site(site_folder)
    result = flare("build", str(site_folder.root), "-d", str(site_folder.root / "site"))
    assert result.returncode == 0, result.stderr
    built = site_folder.root / "site"
    expected = {alt: address for alt, (address, shown) in IMAGES.items() if shown}
    blocked = [f"[image: {alt}]" for alt, (_, shown) in IMAGES.items() if not shown]

    article = content(page(built, "incidents/images/"))
    assert {img.get("alt"): img.get("src") for img in article.iter("img")} == expected
    for words in blocked:
        assert words in text(article)

    # The feed and the API apply the same setting.
    (entry,) = ET.parse(built / "history.atom").getroot().iter(f"{ATOM}entry")
    (update,) = api(built, "incidents.json")["incidents"][0]["incident_updates"]
    for html in (entry.find(f"{ATOM}content").text, update["body_html"]):
        images = fragment(html).iter("img")
        assert {img.get("alt"): img.get("src") for img in images} == expected
        assert all(words in text(fragment(html)) for words in blocked)


def test_an_allowed_image_host_is_a_bare_host_name(site_folder):
    config = site_folder.config.read_text(encoding="utf-8")
    site_folder.config.write_text(
        config.replace(
            "  - flare:\n",
            "  - flare:\n      allowed_image_hosts: ['https://images.example.com/']\n",
        ),
        encoding="utf-8",
    )
    result = flare("validate", str(site_folder.root))
    assert result.returncode == 1
    assert "allowed_image_hosts" in result.stdout + result.stderr
    assert "is not a host name" in result.stdout + result.stderr


# -- characters no XML can carry ------------------------------------------------------------------
def test_control_characters_in_a_title_or_a_name_do_not_break_feeds_or_badges(site_folder):
    config = site_folder.config.read_text(encoding="utf-8")
    site_folder.config.write_text(
        config.replace("name: Email", 'name: "E\\x01mail"'), encoding="utf-8"
    )
    site_folder.record(
        "2026/controls.yaml",
        """\
        title: "Bell\\x07 and vertical\\x0btab"
        impact: minor
        components: [email]
        updates:
          - at: 2026-11-03T14:05:00Z
            status: investigating
            body: "Null\\0 byte"
        """,
    )
    result = flare("build", str(site_folder.root), "-d", str(site_folder.root / "site"))
    assert result.returncode == 0, result.stderr
    built = site_folder.root / "site"

    (entry,) = ET.parse(built / "history.atom").getroot().iter(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "[Investigating] Bell and verticaltab"
    assert "Null byte" in text(fragment(entry.findtext(f"{ATOM}content")))
    ET.parse(built / "history.rss")
    badge = ET.fromstring((built / "badges" / "email.svg").read_bytes())
    assert badge.findtext(f"{SVG}title") == "Email: degraded performance"
    # The API is JSON, which carries every character: the author's text exactly.
    (incident,) = api(built, "incidents.json")["incidents"]
    assert incident["name"] == "Bell\x07 and vertical\x0btab"
