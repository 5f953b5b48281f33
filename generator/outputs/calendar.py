"""The maintenance calendar: every maintenance window as an iCalendar (RFC 5545) event.

Readers subscribe to ``maintenance.ics`` in their calendar program, which fetches it again now
and then and replaces what it had, event by event, matched on ``UID``. So an event must be a
function of its record alone: the same record gives the same bytes in every build, whatever
the time of the build, and a new update posted to the record is what changes the event:

- ``UID`` is ``<record id>@<site host>``: stable for as long as the record keeps its id.
- ``DTSTAMP`` and ``LAST-MODIFIED`` are when the record's latest update was posted, the last
  time its information changed; a record without updates has only its window to go by, so its
  scheduled start stands in. The build's clock is never written: RFC 5545 would have DTSTAMP be
  the time the file was made, but that would change every event at every build and tell a
  calendar program nothing.
- ``SEQUENCE`` is the number of updates: it only ever grows as updates are posted, as a
  revision number must.
- ``DTSTART``/``DTEND`` are the window in UTC, as the latest update that moved it says (that
  update raises ``SEQUENCE`` too, so calendar programs take the new time); ``STATUS`` is
  ``CANCELLED`` once an update called the work off, else ``CONFIRMED``; ``TRANSP`` is
  ``TRANSPARENT``: planned work on a service does not make the subscriber busy.

The text is written here rather than with an iCalendar library: it is a few lines, escaped
and folded as the RFC says (TEXT escapes; lines of at most 75 octets, folded between UTF-8
characters; CRLF line ends).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

from generator.derive.snapshot import Snapshot
from generator.load.settings import SiteSettings
from generator.model.records import Maintenance
from generator.render.links import CALENDAR, SiteLinks
from generator.render.markup import image_text, render_markdown

PRODID = "-//Flare//Status maintenance//EN"
MAX_LINE_OCTETS = 75
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# An escape sequence (backslash and the character after it) is kept on one line when folding.
_FOLD_UNIT = re.compile(r"\\.|.", re.DOTALL)


def files(snapshot: Snapshot, links: SiteLinks) -> dict[str, bytes]:
    """``maintenance.ics``: the site's maintenance, past, current and upcoming, by start time.

    The calendar is named after the site. An event reads only its record's posted updates,
    never the moment of the build (see the module's notes), so two builds of the same records
    give the same bytes until another update is due.
    """
    name = snapshot.site.name
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(f'{name} maintenance')}",
    ]
    maintenances = sorted(
        (facts.record for facts in snapshot.maintenances),
        key=lambda maintenance: (maintenance.window.start, maintenance.id),
    )
    for maintenance in maintenances:
        lines.extend(_event(snapshot.settings, maintenance, links))
    lines.append("END:VCALENDAR")
    text = "".join(fold(line) + "\r\n" for line in lines)
    return {CALENDAR: text.encode("utf-8")}


def _event(settings: SiteSettings, maintenance: Maintenance, links: SiteLinks) -> list[str]:
    timeline = maintenance.timeline
    stamp = utc_stamp(timeline[-1].at if timeline else maintenance.scheduled.start)
    url = links.record(maintenance.id)
    return [
        "BEGIN:VEVENT",
        f"UID:{escape_text(f'{maintenance.id}@{links.host}')}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{utc_stamp(maintenance.window.start)}",
        f"DTEND:{utc_stamp(maintenance.window.end)}",
        f"SUMMARY:{escape_text(maintenance.title)}",
        f"DESCRIPTION:{escape_text(event_description(settings, maintenance, url))}",
        f"URL:{url}",
        f"STATUS:{'CANCELLED' if maintenance.cancelled_at else 'CONFIRMED'}",
        "TRANSP:TRANSPARENT",
        f"SEQUENCE:{len(timeline)}",
        f"LAST-MODIFIED:{stamp}",
        "END:VEVENT",
    ]


def event_description(settings: SiteSettings, maintenance: Maintenance, url: str) -> str:
    """The latest update as plain text, then the affected components and the page's address."""
    names = ", ".join(settings.component(c).name for c in maintenance.components)
    parts = [plain_text(maintenance.timeline[-1].body)] if maintenance.timeline else []
    parts.append(f"Affected: {names}")
    parts.append(f"Details and updates: {url}")
    return "\n\n".join(parts)


def utc_stamp(instant: datetime) -> str:
    """``20261208T020000Z``: a UTC date-time, the form that needs no VTIMEZONE."""
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded to at most 75 octets a line (RFC 5545 3.1), CRLF and a space
    before each continuation, never inside a UTF-8 character or an escape sequence."""
    if len(line.encode("utf-8")) <= MAX_LINE_OCTETS:
        return line
    pieces: list[str] = []
    current, size, limit = "", 0, MAX_LINE_OCTETS
    for unit in _FOLD_UNIT.findall(line):
        octets = len(unit.encode("utf-8"))
        if size + octets > limit:
            pieces.append(current)
            current, size, limit = "", 0, MAX_LINE_OCTETS - 1  # the leading space counts
        current += unit
        size += octets
    pieces.append(current)
    return "\r\n ".join(pieces)


def plain_text(markdown_text: str) -> str:
    """An update's Markdown as a calendar program shows it: plain text, paragraphs apart.

    The body goes through the same Markdown and sanitiser as the pages, then its HTML is read
    back as text: soft line breaks joined, list items as ``- `` or ``1. `` lines, a link's
    address after its text when the two differ, an image as ``[image: alt]``.
    """
    reader = _TextReader()
    reader.feed(str(render_markdown(markdown_text)))
    reader.close()
    return reader.text()


class _TextReader(HTMLParser):
    _BLOCKS = {"p", "h4", "h5", "h6", "blockquote", "pre", "table", "tr", "hr", "ul", "ol", "li"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._blocks: list[tuple[str, int | None]] = []  # (text, the list it is in)
        self._buffer: list[str] = []
        self._lists: list[list[int]] = []  # per open list: [next number], 0 for bullets
        self._items = 0  # list items open
        self._list_number = 0  # counts the outermost lists
        self._marker = ""  # the marker of a list item whose text has not come yet
        self._links: list[tuple[str | None, int]] = []
        self._pre = 0
        self._cells = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCKS:
            self._flush()
        if tag in ("ul", "ol"):
            if not self._lists:
                self._list_number += 1
            self._lists.append([1 if tag == "ol" else 0])
        elif tag == "li":
            self._items += 1
            counter = self._lists[-1] if self._lists else [0]
            marker = f"{counter[0]}. " if counter[0] else "- "
            counter[0] += 1 if counter[0] else 0
            self._marker = "  " * max(len(self._lists) - 1, 0) + marker
        elif tag == "br":
            self._buffer.append("\n")
        elif tag == "pre":
            self._pre += 1
        elif tag == "tr":
            self._cells = 0
        elif tag in ("td", "th"):
            if self._cells:
                self._buffer.append(" | ")
            self._cells += 1
        elif tag == "a":
            self._links.append((dict(attrs).get("href"), len(self._buffer)))
        elif tag == "img":
            self._buffer.append(image_text(dict(attrs).get("alt")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._links:
            href, start = self._links.pop()
            shown = "".join(self._buffer[start:]).strip()
            if href and href.removeprefix("mailto:") != shown:
                self._buffer.append(f" ({href})")
            return
        if tag in self._BLOCKS:
            self._flush()
        if tag in ("ul", "ol") and self._lists:
            self._lists.pop()
        elif tag == "li":
            self._items = max(self._items - 1, 0)
        elif tag == "pre":
            self._pre = max(self._pre - 1, 0)

    def handle_data(self, data: str) -> None:
        self._buffer.append(data if self._pre else re.sub(r"\s+", " ", data))

    def _flush(self) -> None:
        text = "".join(self._buffer)
        self._buffer = []
        if self._pre:
            text = text.strip("\n").rstrip()
        else:
            text = "\n".join(re.sub(r" +", " ", line).strip() for line in text.split("\n"))
            text = text.strip()
        if not text:
            return
        self._blocks.append((self._marker + text, self._list_number if self._items else None))
        self._marker = ""

    def text(self) -> str:
        self._flush()
        out = ""
        for index, (text, in_list) in enumerate(self._blocks):
            if index:
                same_list = in_list is not None and in_list == self._blocks[index - 1][1]
                out += "\n" if same_list else "\n\n"
            out += text
        return out
