"""The Atom and RSS feeds, written to disk and read back the way subscribers read them.

Atom files are checked by jing against RFC 4287's own schema (tests/atom.rnc, Appendix B of the
RFC), every file is read by feedparser (the reader behind many feed apps), and the rest is read
from the XML with ElementTree and from the entries' HTML with lxml. The example site is read at
EXAMPLE_NOW (23 Nov 2026 12:00 UTC), the morning after the webhook incident began.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.html
import pytest

from conftest import REPO, SiteFolder
from generator.derive.snapshot import derive_snapshot
from generator.outputs import feeds as feed_output
from generator.render.links import SITE_FEED, SiteLinks, component_feed_paths
from generator.validate.site import Site, load_site
from support import tool_missing

SCHEMA = REPO / "tests" / "atom.rnc"
ATOM = "{http://www.w3.org/2005/Atom}"
LINKS = SiteLinks("https://status.example.com/")  # the example site's site_url
TITLE = "Example Cloud Status"
OPEN_INCIDENT = "2026-11-22-delayed-webhook-deliveries"
# RFC 3339 as Atom wants it: a date, a time and a zone (Z or an offset).
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# What Debian's jing wrapper script says on stderr on every run about optional jars it lacks.
JING_WRAPPER_WARNING = re.compile(r"^\[warning\] \S*jing: Unable to locate \S+ in /usr/share/java$")


# -- helpers ---------------------------------------------------------------------------------------
def feed_files(
    site: Site, now: datetime, links: SiteLinks = LINKS, entries: int | None = None
) -> dict[str, bytes]:
    """The feeds of ``site`` at ``now``, titled with the site's name, holding at most
    ``entries`` entries each (the site's feed_entries setting if None)."""
    if entries is not None:
        settings = site.settings.model_copy(update={"feed_entries": entries})
        site = dataclasses.replace(site, settings=settings)
    return feed_output.files(derive_snapshot(site, now), links)


def write(files: dict[str, bytes], folder: Path) -> Path:
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    return folder


def feed_paths(folder: Path, suffix: str) -> list[Path]:
    return sorted(folder.rglob(f"*{suffix}"))


def jing(*files: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("jing") is None:
        tool_missing("jing is not installed: run `make test-tools` as root (apt-get install jing)")
    return subprocess.run(
        ["jing", "-c", str(SCHEMA), *map(str, files)], capture_output=True, text=True, timeout=120
    )


def jing_complaints(result: subprocess.CompletedProcess[str]) -> str:
    """jing's own messages (stdout) and anything on stderr but the wrapper's warnings."""
    stderr = [line for line in result.stderr.splitlines() if not JING_WRAPPER_WARNING.match(line)]
    return "\n".join([result.stdout.strip(), *stderr]).strip()


def read(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(str(path))
    assert parsed.bozo == 0, f"{path.name}: {parsed.get('bozo_exception')}"
    return parsed


def html_of(markup: str) -> list[lxml.html.HtmlElement]:
    """Every element of an entry's HTML content, parsed as a browser would."""
    return [
        element
        for fragment in lxml.html.fragments_fromstring(f"<div>{markup}</div>")
        for element in fragment.iter()
    ]


def hrefs(markup: str) -> list[str]:
    return [element.get("href") for element in html_of(markup) if element.get("href") is not None]


def is_absolute(url: str) -> bool:
    """A full web address, or a mailto: address (authors' bare e-mail addresses become links)."""
    parts = urlsplit(url)
    if parts.scheme == "mailto":
        return bool(parts.path)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def posted_updates(site, now):
    """(record, update) for every update posted by ``now``: what the feeds announce."""
    return [
        (record, update)
        for record in site.records
        for update in record.timeline
        if update.at <= now
    ]


def published_stages(site, now):
    """(record, stage, at) for every post-mortem stage published by ``now``: an entry each."""
    return [
        (record, stage, at)
        for record in site.records
        if getattr(record, "postmortem", None) is not None
        for stage, at in record.postmortem.published.items()
        if at <= now
    ]


def expected_stage_id(record, stage) -> str:
    """A post-mortem stage's id: host, the UTC date it was published, record id and stage."""
    utc = record.postmortem.published[stage].astimezone(UTC)
    return f"tag:status.example.com,{utc:%Y-%m-%d}:incidents/{record.id}/postmortem/{stage.value}"


def expected_id(record, update) -> str:
    """The id scheme, spelled out: host, the update's UTC date, record id, UTC time and status."""
    utc = update.at.astimezone(UTC)
    return (
        f"tag:status.example.com,{utc:%Y-%m-%d}:incidents/{record.id}/updates/"
        f"{utc:%Y%m%dT%H%M%SZ}-{update.status.value}"
    )


@pytest.fixture(scope="module")
def feeds(example_site, example_now, tmp_path_factory) -> Path:
    """The example site's feeds, written to a folder."""
    return write(feed_files(example_site, example_now), tmp_path_factory.mktemp("feeds"))


# -- validity --------------------------------------------------------------------------------------
def test_every_atom_feed_is_valid_against_the_rfc_4287_schema(feeds):
    atom_files = feed_paths(feeds, ".atom")
    assert len(atom_files) == 1 + 8  # the site's and one per component
    result = jing(*atom_files)
    assert (result.returncode, jing_complaints(result)) == (0, "")


def test_the_schema_check_rejects_an_atom_feed_without_an_id(feeds, tmp_path):
    """jing with our schema copy does catch a broken feed, so the test above can fail."""
    text = (feeds / SITE_FEED[0]).read_text(encoding="utf-8")
    broken = tmp_path / "broken.atom"
    broken.write_text(re.sub(r"<id>[^<]*</id>", "", text, count=1), encoding="utf-8")
    result = jing(broken)
    assert result.returncode == 1
    assert 'missing required element "id"' in result.stdout


def test_every_atom_timestamp_carries_a_zone(feeds):
    for path in feed_paths(feeds, ".atom"):
        root = ET.parse(path).getroot()
        stamps = [*root.iter(f"{ATOM}updated"), *root.iter(f"{ATOM}published")]
        assert stamps
        for stamp in stamps:
            assert RFC3339.match(stamp.text), f"{path.name}: {stamp.text}"
            assert datetime.fromisoformat(stamp.text).tzinfo is not None


def test_feedparser_reads_every_feed_without_complaint(feeds):
    files = feed_paths(feeds, ".atom") + feed_paths(feeds, ".rss")
    assert len(files) == 18
    versions = {read(path).version for path in files}
    assert versions == {"atom10", "rss20"}


def test_rss_channels_have_a_title_a_link_and_a_description(feeds):
    for path in feed_paths(feeds, ".rss"):
        channel = ET.parse(path).getroot().find("channel")
        for field in ("title", "link", "description"):
            assert (channel.findtext(field) or "").strip(), f"{path}: no {field}"


def test_every_rss_date_parses_with_a_zone(feeds):
    for path in feed_paths(feeds, ".rss"):
        root = ET.parse(path).getroot()
        dates = [element.text for tag in ("pubDate", "lastBuildDate") for element in root.iter(tag)]
        assert dates
        for text in dates:
            assert parsedate_to_datetime(text).tzinfo is not None, f"{path.name}: {text}"


def test_every_link_is_absolute(feeds):
    for path in feed_paths(feeds, ".atom"):
        root = ET.parse(path).getroot()
        links = [link.get("href") for link in root.iter(f"{ATOM}link")]
        links += [root.findtext(f"{ATOM}id")]
        for content in root.iter(f"{ATOM}content"):
            links += hrefs(content.text)
        assert links
        assert [link for link in links if not is_absolute(link)] == [], path.name
    for path in feed_paths(feeds, ".rss"):
        channel = ET.parse(path).getroot().find("channel")
        links = [channel.findtext("link")]
        links += [link.get("href") for link in channel.iter(f"{ATOM}link")]
        for item in channel.iter("item"):
            links += [item.findtext("link"), *hrefs(item.findtext("description"))]
        assert [link for link in links if not is_absolute(link)] == [], path.name


# -- what the feeds hold ---------------------------------------------------------------------------
def test_the_site_feed_has_one_entry_per_update_newest_first(feeds, example_site, example_now):
    expected = sorted(
        posted_updates(example_site, example_now),
        key=lambda pair: (pair[1].at, pair[0].id),
        reverse=True,
    )
    for path in (feeds / SITE_FEED[0], feeds / SITE_FEED[1]):
        everything = read(path).entries
        entries = [entry for entry in everything if "/updates/" in entry.id]
        assert len(entries) == len(expected) == 70  # every update of the example records
        assert [entry.id for entry in entries] == [expected_id(r, u) for r, u in expected]
        assert [entry.title for entry in entries] == [
            f"[{update.status.label}] {record.title}" for record, update in expected
        ]
        assert [entry.link for entry in entries] == [
            f"https://status.example.com/incidents/{record.id}/" for record, _ in expected
        ]
        # Besides the updates, one entry per published post-mortem stage, and nothing else.
        assert sorted(entry.id for entry in everything if "/updates/" not in entry.id) == sorted(
            expected_stage_id(record, stage)
            for record, stage, _ in published_stages(example_site, example_now)
        )


def test_the_site_feed_is_named_and_linked(feeds):
    atom = read(feeds / "history.atom").feed
    assert atom.title == TITLE
    assert atom.id == "https://status.example.com/history.atom"
    assert [(link.rel, link.href) for link in atom.links] == [
        ("self", "https://status.example.com/history.atom"),
        ("alternate", "https://status.example.com/"),
    ]
    assert atom.generator == "Flare"
    rss = ET.parse(feeds / "history.rss").getroot().find("channel")
    assert rss.findtext("link") == "https://status.example.com/"
    assert rss.find(f"{ATOM}link").attrib == {
        "href": "https://status.example.com/history.rss",
        "rel": "self",
        "type": "application/rss+xml",
    }
    assert rss.findtext("generator") == "Flare"


def test_the_open_incidents_monitoring_update_is_an_entry(feeds):
    atom = read(feeds / "history.atom")
    rss = read(feeds / "history.rss")
    for entry in (atom.entries[0], rss.entries[0]):  # the newest update on the site
        assert entry.title == "[Monitoring] Delayed webhook deliveries"
        assert entry.id == (
            "tag:status.example.com,2026-11-22:incidents/2026-11-22-delayed-webhook-deliveries/"
            "updates/20261122T233000Z-monitoring"
        )
        assert entry.link == f"https://status.example.com/incidents/{OPEN_INCIDENT}/"
    assert datetime.fromisoformat(atom.entries[0].published) == datetime(
        2026, 11, 22, 23, 30, tzinfo=UTC
    )
    assert parsedate_to_datetime(rss.entries[0].published) == datetime(
        2026, 11, 22, 23, 30, tzinfo=UTC
    )
    text = " ".join(lxml.html.fromstring(atom.entries[0].content[0].value).text_content().split())
    assert text.startswith("The fix is in place and new events are being delivered")
    assert text.endswith(
        f"View the incident: https://status.example.com/incidents/{OPEN_INCIDENT}/"
    )


def test_a_feed_is_as_new_as_its_newest_entry(feeds, example_site, example_now):
    """Not the build time: a rebuild with nothing new gives the same feed."""
    atom = ET.parse(feeds / "history.atom").getroot()
    assert datetime.fromisoformat(atom.findtext(f"{ATOM}updated")) == datetime(
        2026, 11, 22, 23, 30, tzinfo=UTC
    )
    rss = ET.parse(feeds / "history.rss").getroot().find("channel")
    assert parsedate_to_datetime(rss.findtext("lastBuildDate")) == datetime(
        2026, 11, 22, 23, 30, tzinfo=UTC
    )
    email = ET.parse(feeds / "history-email.atom").getroot()
    newest = max(
        [u.at for r, u in posted_updates(example_site, example_now) if "email" in r.components]
        + [
            at
            for r, _, at in published_stages(example_site, example_now)
            if "email" in r.components
        ]
    )
    assert datetime.fromisoformat(email.findtext(f"{ATOM}updated")) == newest
    assert newest >= datetime(2026, 10, 27, 16, 30, tzinfo=UTC)  # the October email outage


def test_times_keep_the_authors_offset_and_ids_use_utc(feeds):
    """The sign-in incident's second update was written as 09:21 at +01:00 (08:21 UTC)."""
    entry = next(
        e
        for e in read(feeds / "history.atom").entries
        if e.published == "2026-02-20T09:21:00+01:00"
    )
    assert entry.title == "[Identified] Dashboard, public API and sign-in unavailable"
    assert entry.id.endswith("/updates/20260220T082100Z-identified")


def test_titles_say_the_state_of_maintenance_too(feeds):
    titles = [entry.title for entry in read(feeds / "history.atom").entries]
    assert "[Scheduled] Database upgrade" in titles
    assert [t for t in titles if t.endswith("] File storage platform upgrade")] == [
        "[Completed] File storage platform upgrade",
        "[Verifying] File storage platform upgrade",
        "[In progress] File storage platform upgrade",
        "[Scheduled] File storage platform upgrade",
    ]
    entry = next(
        e for e in read(feeds / "history.atom").entries if e.title == "[Scheduled] Database upgrade"
    )
    text = lxml.html.fromstring(entry.content[0].value).text_content()
    page = "https://status.example.com/incidents/2026-12-08-database-upgrade/"
    assert text.endswith(f"View the maintenance: {page}")


def test_an_entry_lists_the_component_states_its_update_sets(feeds):
    entry = next(
        e
        for e in read(feeds / "history.atom").entries
        if e.title == "[Investigating] Dashboard, public API and sign-in unavailable"
    )
    items = [li.text_content() for li in html_of(entry.content[0].value) if li.tag == "li"]
    assert items == [
        "Public API: Major outage",
        "Dashboard: Major outage",
        "Sign-in and SSO: Major outage",
    ]
    # an update that sets no state lists none
    entry = next(
        e
        for e in read(feeds / "history.atom").entries
        if e.title == "[Identified] Delayed webhook deliveries"
    )
    assert [el for el in html_of(entry.content[0].value) if el.tag == "li"] == []


def test_a_component_feed_holds_only_the_records_listing_it(feeds, example_site, example_now):
    for component_id in example_site.settings.component_ids:
        listing = {r.id for r in example_site.records if component_id in r.components}
        expected = [(r, u) for r, u in posted_updates(example_site, example_now) if r.id in listing]
        stages = [
            (r, stage)
            for r, stage, _ in published_stages(example_site, example_now)
            if r.id in listing
        ]
        for path in component_feed_paths(component_id):
            entries = read(feeds / path).entries
            assert {entry.link for entry in entries} == {
                f"https://status.example.com/incidents/{record_id}/" for record_id in listing
            } | {f"https://status.example.com/incidents/{r.id}/postmortem/" for r, _ in stages}
            assert sorted(entry.id for entry in entries) == sorted(
                [expected_id(r, u) for r, u in expected]
                + [expected_stage_id(r, stage) for r, stage in stages]
            )
    webhooks = read(feeds / "history-webhooks.atom")
    assert webhooks.feed.title == "Example Cloud Status: Webhooks"
    assert [link.href for link in webhooks.feed.links] == [
        "https://status.example.com/history-webhooks.atom",
        "https://status.example.com/components/webhooks/",
    ]
    assert len(webhooks.entries) == 4 + 3  # June's incident and the open one


def test_each_feed_holds_only_the_newest_entries(example_site, example_now, tmp_path):
    folder = write(feed_files(example_site, example_now, entries=5), tmp_path)
    newest = [
        entry_id
        for _, _, entry_id in sorted(
            [(u.at, r.id, expected_id(r, u)) for r, u in posted_updates(example_site, example_now)]
            + [
                (at, r.id, expected_stage_id(r, stage))
                for r, stage, at in published_stages(example_site, example_now)
            ],
            reverse=True,
        )[:5]
    ]
    assert [entry.id for entry in read(folder / "history.atom").entries] == newest
    assert [entry.id for entry in read(folder / "history.rss").entries] == newest
    for path in feed_paths(folder, ".atom") + feed_paths(folder, ".rss"):
        assert len(read(path).entries) <= 5
    search = read(folder / "history-search.atom").entries
    again = "New and edited records slow to appear in search, again"
    assert [entry.title for entry in search] == [
        # the post-mortem's stages, each when it was published, among the incident's updates
        f"[Post-mortem: full analysis] {again}",
        f"[Post-mortem: summary] {again}",
        f"[Post-mortem: first account] {again}",
        f"[Resolved] {again}",
        f"[Identified] {again}",
    ]


# -- stability -------------------------------------------------------------------------------------
def test_the_same_records_and_time_give_the_same_bytes(example_site, example_now):
    first = feed_files(example_site, example_now)
    second = feed_files(example_site, example_now)
    assert list(first) == list(second)
    assert first == second


def test_an_hour_later_ids_and_feeds_are_unchanged(example_site, example_now, tmp_path):
    now = write(feed_files(example_site, example_now), tmp_path / "now")
    later = write(feed_files(example_site, example_now + timedelta(hours=1)), tmp_path / "later")
    for path in feed_paths(now, ".atom") + feed_paths(now, ".rss"):
        relative = path.relative_to(now)
        assert [e.id for e in read(path).entries] == [e.id for e in read(later / relative).entries]
        assert path.read_bytes() == (later / relative).read_bytes(), relative


# -- small sites written for one test --------------------------------------------------------------
SMALL_LINKS = SiteLinks("https://status.test.example/")


def small_feeds(folder: SiteFolder, now: datetime, tmp_path: Path) -> Path:
    site = load_site(folder.config, now)
    return write(feed_files(site, now, SMALL_LINKS), tmp_path / "out")


def test_markup_in_an_update_does_not_survive_as_live_markup(site_folder, tmp_path):
    site_folder.record(
        "2026/hostile.yaml",
        """\
        title: Hostile body
        impact: minor
        components: [api]
        updates:
          - at: 2026-11-03T14:05:00Z
            status: investigating
            body: |
              <script>alert("feed")</script>
              Read [the details](javascript:alert(1)) or
              <a href="javascript:alert(2)" onclick="alert(3)">here</a>.
              <img src="https://evil.example/x.png" onerror="alert(4)">
        """,
    )
    folder = small_feeds(site_folder, datetime(2026, 11, 4, tzinfo=UTC), tmp_path)
    atom = ET.parse(folder / "history.atom").getroot()
    rss = ET.parse(folder / "history.rss").getroot()
    contents = [c.text for c in atom.iter(f"{ATOM}content")]
    contents += [d.text for d in rss.iter("description")][1:]  # the channel's comes first
    assert len(contents) == 2
    for markup in contents:
        elements = html_of(markup)
        assert [el.tag for el in elements if el.tag in ("script", "img", "iframe")] == []
        assert [
            el.get("href")
            for el in elements
            if (el.get("href") or "").strip().lower().startswith("javascript:")
        ] == []
        assert [
            (el.tag, name) for el in elements for name in el.attrib if name.lower().startswith("on")
        ] == []
        assert "the details" in lxml.html.fromstring(markup).text_content()


def test_entry_ids_name_the_record_and_the_updates_utc_time_and_status(site_folder, tmp_path):
    site_folder.record(
        "2026/twice.yaml",
        """\
        title: Resolved twice
        impact: minor
        components: [api]
        updates:
          - at: 2026-11-03T00:30:00+01:00
            status: investigating
            body: Looking.
          - at: 2026-11-03T01:00:00+01:00
            status: resolved
            body: Fixed.
        """,
    )
    now = datetime(2026, 11, 4, tzinfo=UTC)
    first = read(small_feeds(site_folder, now, tmp_path) / "history.atom")
    prefix = "tag:status.test.example,2026-11-03:incidents/twice/updates/"
    assert [entry.id for entry in first.entries] == [
        f"{prefix}20261103T000000Z-resolved",
        # posted on 3 November in Paris, still 2 November in UTC
        "tag:status.test.example,2026-11-02:incidents/twice/updates/20261102T233000Z-investigating",
    ]
    a_month_later = small_feeds(site_folder, now + timedelta(days=30), tmp_path / "later")
    later = read(a_month_later / "history.atom")
    assert [entry.id for entry in later.entries] == [entry.id for entry in first.entries]


def test_an_update_dated_after_now_waits_until_it_is_due(site_folder, tmp_path):
    site_folder.record(
        "2026/ahead.yaml",
        """\
        title: Written ahead
        impact: minor
        components: [api]
        updates:
          - at: 2026-11-03T14:05:00Z
            status: investigating
            body: Looking.
          - at: 2026-11-03T16:00:00Z
            status: resolved
            body: Fixed.
        """,
    )
    before = read(
        small_feeds(site_folder, datetime(2026, 11, 3, 15, tzinfo=UTC), tmp_path) / "history.atom"
    )
    assert [entry.title for entry in before.entries] == ["[Investigating] Written ahead"]
    after = read(
        small_feeds(site_folder, datetime(2026, 11, 3, 17, tzinfo=UTC), tmp_path / "after")
        / "history.atom"
    )
    assert [entry.title for entry in after.entries] == [
        "[Resolved] Written ahead",
        "[Investigating] Written ahead",
    ]


def test_a_feed_without_entries_is_dated_now(site_folder, tmp_path):
    site_folder.record(
        "2026/api.yaml",
        """\
        title: Only the API
        impact: minor
        components: [api]
        updates:
          - at: 2026-11-03T14:05:00Z
            status: investigating
            body: Looking.
        """,
    )
    now = datetime(2026, 11, 4, 9, 30, tzinfo=UTC)
    folder = small_feeds(site_folder, now, tmp_path)
    dashboard = read(folder / "history-web.atom")
    assert dashboard.entries == []
    assert datetime.fromisoformat(dashboard.feed.updated) == now
    assert len(read(folder / "history-api.rss").entries) == 1


def test_feeds_without_entries_are_valid_atom(site_folder, tmp_path):
    folder = small_feeds(site_folder, datetime(2026, 11, 4, tzinfo=UTC), tmp_path)  # no records
    atom_files = feed_paths(folder, ".atom")
    assert [len(read(path).entries) for path in atom_files] == [0, 0, 0, 0]
    result = jing(*atom_files)
    assert (result.returncode, jing_complaints(result)) == (0, "")
