"""Atom 1.0 and RSS 2.0 feeds of the incident history, for readers that subscribe.

    files = feeds.files(snapshot, SiteLinks("https://status.example.com/"))
    files["history.atom"]                      # every record
    files["history-api.rss"]        # the records listing the component ``api``

Every update of every record is an entry of its own, so a feed reader shows each new update as
something new; so is every stage of a post-mortem once published (first account, summary, full
analysis), linking to the post-mortem's page. An entry's id is a ``tag:`` URI (RFC 4151) made of
the site's host, the record's id and the update's time and status (or the post-mortem's stage):
it never depends on when the site was built or on where the entry sits in the list, so readers
do not show an entry twice after a rebuild.

The files depend on the snapshot alone: a feed's ``updated`` is its newest entry's time, so an
unchanged history gives byte-identical feeds whenever it is rebuilt; an update dated after the
snapshot's instant is in no feed until it is due.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, partial

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from markupsafe import Markup

from generator.derive.snapshot import RecordFacts, Snapshot
from generator.load.settings import SiteSettings
from generator.model.postmortem import Postmortem
from generator.model.records import Incident, IncidentUpdate, MaintenanceUpdate, Record
from generator.render.format import format_time
from generator.render.links import SITE_FEED, SiteLinks, component_feed_paths, postmortem_path
from generator.render.markup import MarkupPolicy, xml_text

ATOM_TYPE = "application/atom+xml"
RSS_TYPE = "application/rss+xml"
# Named without a version: a version number would change every feed's bytes on each release.
GENERATOR = "Flare"


@dataclass(frozen=True)
class _Entry:
    """One feed entry, in neither format yet."""

    id: str
    title: str
    at: datetime
    link: str
    content: Callable[[], Markup]  # rendered only for the entries a feed holds
    record_id: str
    components: tuple[str, ...]  # the record's components: which component feeds hold it
    position: int  # in the record's timeline, to order updates posted at the same instant

    @property
    def order(self) -> tuple[datetime, str, int]:
        """Oldest first; ties go by record id, then by the record's timeline."""
        return self.at, self.record_id, self.position


def files(snapshot: Snapshot, links: SiteLinks) -> dict[str, bytes]:
    """The Atom and RSS feeds of the site and of each component, by path under the site root.

    Each feed holds the site's ``feed_entries`` newest entries, newest first.
    """
    now, title, entries = snapshot.now, snapshot.site.name, snapshot.settings.feed_entries
    everything = sorted(_all_entries(snapshot, links), key=lambda entry: entry.order, reverse=True)
    description = f"Incidents and maintenance on {title}"
    files = _feed_pair(
        SITE_FEED,
        everything[:entries],
        links,
        now,
        title=title,
        site_title=title,
        description=description,
        alternate=links.url(),
    )
    for component in snapshot.settings.components:
        touching = [entry for entry in everything if component.id in entry.components]
        files |= _feed_pair(
            component_feed_paths(component.id),
            touching[:entries],
            links,
            now,
            title=f"{title}: {component.name}",
            site_title=title,
            description=f"Incidents and maintenance affecting {component.name} on {title}",
            alternate=links.component(component.id),
        )
    return files


def _all_entries(snapshot: Snapshot, links: SiteLinks) -> Iterator[_Entry]:
    """Every entry a feed can hold: one per update posted by now, and one per stage of a
    post-mortem published by now."""
    markup = MarkupPolicy.for_site(snapshot.settings)
    for facts in snapshot.records:
        yield from _update_entries(facts.record, snapshot.settings, markup, links)
        if facts.postmortem is not None:
            yield from _postmortem_entries(facts, markup, links)


def _update_entries(
    record: Record, settings: SiteSettings, markup: MarkupPolicy, links: SiteLinks
) -> Iterator[_Entry]:
    page = links.record(record.id)
    noun = "incident" if isinstance(record, Incident) else "maintenance"
    ids = _update_ids(record, links)
    for position, (update, entry_id) in enumerate(zip(record.timeline, ids, strict=True)):
        yield _Entry(
            id=entry_id,
            title=f"[{_update_label(update)}] {record.title}",
            at=update.at,
            link=page,
            content=cache(partial(_content, update, settings, markup, noun, page)),
            record_id=record.id,
            components=tuple(record.components),
            position=position,
        )


def _postmortem_entries(
    facts: RecordFacts, markup: MarkupPolicy, links: SiteLinks
) -> Iterator[_Entry]:
    """``[Post-mortem: full analysis] <title>``, dated when that stage was published.

    The id, ``tag:<host>,<UTC date>:incidents/<id>/postmortem/<stage>``, names the stage, so a
    later stage is a new entry while a rebuild repeats the same ones. The content is the
    summary (the first account has none yet: what customers experienced and how it was
    resolved, or the post-mortem imported whole) and the way to the post-mortem.
    """
    incident, published = facts.record, facts.postmortem
    assert published is not None
    page = links.url(postmortem_path(incident.id))
    for stage, at in published.published:
        shown = published.stage_contents[stage]
        utc = at.astimezone(UTC)
        yield _Entry(
            id=f"tag:{links.host},{utc:%Y-%m-%d}:incidents/{incident.id}/postmortem/{stage.value}",
            title=f"[Post-mortem: {stage.label.lower()}] {incident.title}",
            at=at,
            link=page,
            content=cache(partial(_postmortem_content, shown, markup, page)),
            record_id=incident.id,
            components=tuple(incident.components),
            position=len(incident.timeline) + stage.rank,
        )


def _postmortem_content(shown: Postmortem, markup: MarkupPolicy, page: str) -> Markup:
    impact = shown.impact.description if shown.impact else None
    texts = [shown.summary] if shown.summary else [impact, shown.resolution, shown.imported]
    parts = [markup.render(text) for text in texts if text]
    parts.append(Markup('<p>Read the post-mortem: <a href="{}">{}</a></p>').format(page, page))
    return Markup("\n").join(parts)


def _update_label(update: IncidentUpdate | MaintenanceUpdate) -> str:
    """``Identified``, or ``Rescheduled`` for an update that moves a maintenance's window."""
    if isinstance(update, MaintenanceUpdate) and update.scheduled is not None:
        return "Rescheduled"
    return update.status.label


def _update_ids(record: Record, links: SiteLinks) -> list[str]:
    """``tag:<host>,<UTC date>:incidents/<record id>/updates/<UTC time>-<status>`` per update:
    unique, since a record holds one update a second at most."""
    ids = []
    for update in record.timeline:
        utc = update.at.astimezone(UTC)
        name = f"{utc:%Y%m%dT%H%M%SZ}-{update.status.value}"
        ids.append(f"tag:{links.host},{utc:%Y-%m-%d}:incidents/{record.id}/updates/{name}")
    return ids


def _content(
    update: IncidentUpdate | MaintenanceUpdate,
    settings: SiteSettings,
    markup: MarkupPolicy,
    noun: str,
    page: str,
) -> Markup:
    """The body as sanitised HTML, the component states it sets, and the way to the page."""
    parts = [markup.render(update.body)]
    if isinstance(update, MaintenanceUpdate) and update.scheduled is not None:
        window = update.scheduled
        parts.append(
            Markup("<p>New window: {} to {}</p>").format(
                format_time(window.start, settings.zone), format_time(window.end, settings.zone)
            )
        )
    if isinstance(update, IncidentUpdate) and update.components:
        states = Markup("").join(
            Markup("<li>{}: {}</li>").format(settings.component(component_id).name, state.label)
            for component_id, state in update.components.items()
        )
        parts.append(Markup("<p>Component status:</p>\n<ul>{}</ul>").format(states))
    parts.append(Markup('<p>View the {}: <a href="{}">{}</a></p>').format(noun, page, page))
    return Markup("\n").join(parts)


def _feed_pair(
    paths: tuple[str, str],
    entries: list[_Entry],
    links: SiteLinks,
    now: datetime,
    *,
    title: str,
    site_title: str,
    description: str,
    alternate: str,
) -> dict[str, bytes]:
    """One list of entries (newest first) as an Atom file and an RSS file."""
    atom_path, rss_path = paths
    feed_entries = [_feed_entry(entry) for entry in entries]
    updated = entries[0].at if entries else now
    files = {}
    for path, media_type, write in (
        (atom_path, ATOM_TYPE, FeedGenerator.atom_str),
        (rss_path, RSS_TYPE, FeedGenerator.rss_str),
    ):
        feed = FeedGenerator()
        feed.id(links.url(path))
        feed.title(xml_text(title))
        feed.subtitle(xml_text(description))  # also RSS's channel description
        feed.author(name=xml_text(site_title), uri=links.url())
        feed.generator(GENERATOR)
        # RSS takes its channel <link> from the last link given, and its atom:link from the
        # first rel="self": self first, the page second.
        feed.link(href=links.url(path), rel="self", type=media_type)
        feed.link(href=alternate, rel="alternate", type="text/html")
        # Also RSS's lastBuildDate, which feedgen would otherwise set to the build machine's clock.
        feed.updated(updated)
        for feed_entry in feed_entries:
            feed.add_entry(feed_entry, order="append")
        files[path] = write(feed, pretty=True)
    return files


def _feed_entry(entry: _Entry) -> FeedEntry:
    feed_entry = FeedEntry()
    feed_entry.id(entry.id)  # also RSS's guid, with isPermaLink="false"
    feed_entry.title(xml_text(entry.title))
    feed_entry.link(href=entry.link, rel="alternate", type="text/html")
    feed_entry.content(xml_text(entry.content()), type="html")  # RSS's description, escaped
    feed_entry.published(entry.at)  # also RSS's pubDate
    feed_entry.updated(entry.at)
    return feed_entry
