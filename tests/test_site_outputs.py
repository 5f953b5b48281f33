"""The subscriber outputs as `flare build` writes them into the site, and how pages link them."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import lxml.html
import pytest
import vobject

from conftest import REPO
from generator.render.links import SITE_FEED, component_feed_paths

EXPECTED_API = [
    "api/v2/summary.json",
    "api/v2/status.json",
    "api/v2/components.json",
    "api/v2/incidents.json",
    "api/v2/incidents/unresolved.json",
    "api/v2/scheduled-maintenances.json",
    "api/v2/scheduled-maintenances/upcoming.json",
    "api/v2/scheduled-maintenances/active.json",
]


def parse(site: Path, url_path: str) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(site / url_path / "index.html")).getroot()


def resolve(site: Path, page: str, href: str) -> Path:
    """The file a relative link on ``page`` leads to."""
    target = urljoin(f"http://site/{page}", href).removeprefix("http://site/")
    return site / (target + "index.html" if target.endswith("/") or not target else target)


def test_every_output_is_written_into_the_site(example_build: Path, example_site):
    expected = [*SITE_FEED, "maintenance.ics", *EXPECTED_API, "badges/status.svg"]
    for component in example_site.settings.components:
        expected += [*component_feed_paths(component.id), f"badges/{component.id}.svg"]
    missing = [path for path in expected if not (example_build / path).is_file()]
    assert missing == []


def test_the_outputs_are_what_their_readers_accept(example_build: Path):
    summary = json.loads((example_build / "api/v2/summary.json").read_text(encoding="utf-8"))
    assert summary["status"]["indicator"] == "minor"
    feed = feedparser.parse(str(example_build / "history.atom"))
    assert feed.bozo == 0 and feed.entries[0].title == "[Monitoring] Delayed webhook deliveries"
    calendar = vobject.readOne((example_build / "maintenance.ics").read_text(encoding="utf-8"))
    assert "Database upgrade" in [event.summary.value for event in calendar.vevent_list]


@pytest.mark.parametrize(
    "page", ["", "history/", "about/", "incidents/2026-08-04-file-storage-outage/"]
)
def test_every_page_announces_the_site_feeds_in_its_head(example_build: Path, page: str):
    links = parse(example_build, page).xpath("//head/link[@rel='alternate']")
    announced = {
        (link.get("type"), resolve(example_build, page, link.get("href"))) for link in links
    }
    assert announced == {
        ("application/atom+xml", example_build / "history.atom"),
        ("application/rss+xml", example_build / "history.rss"),
    }
    assert all(
        link.get("title") == f"Example Cloud Status: {kind}"
        for link, kind in zip(links, ["Atom", "RSS"], strict=True)
    )


def test_a_component_page_also_announces_its_own_feeds(example_build: Path):
    links = parse(example_build, "components/search/").xpath("//head/link[@rel='alternate']")
    targets = [resolve(example_build, "components/search/", link.get("href")) for link in links]
    assert targets[2:] == [example_build / path for path in component_feed_paths("search")]
    assert all(target.is_file() for target in targets)


@pytest.mark.parametrize("page", ["", "components/api/"])
def test_the_subscribe_links_lead_to_the_outputs(example_build: Path, page: str):
    tree = parse(example_build, page)
    hrefs = tree.xpath("//*[contains(@class, 'flare-subscribe')]//a/@href")
    assert len(hrefs) >= 3
    for href in hrefs:
        assert resolve(example_build, page, href).is_file(), href


def test_internal_postmortem_content_reaches_no_file_of_the_built_site(example_build: Path):
    sentinel = b"INTERNAL-SENTINEL-4242"
    source = (REPO / "incidents" / "2026" / "2026-08-04-file-storage-outage.yaml").read_bytes()
    assert sentinel in source  # the example really holds internal content
    leaks = [
        str(path.relative_to(example_build))
        for path in example_build.rglob("*")
        if path.is_file() and sentinel in path.read_bytes()
    ]
    assert leaks == []
