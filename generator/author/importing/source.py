"""What a reader makes of another status page: a neutral account, already in Flare's words.

A reader turns the source's components, incidents and maintenance into :class:`SourceSite`:
statuses, impacts and component states are Flare's values, times are exact (an offset always),
and components are named by the source's own key (an id or a name). Whatever it cannot map it
says in a :class:`Note`, naming the source's record and field, so that nothing is dropped
silently. Giving Flare ids, writing files and checking them is :mod:`.apply`'s.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from generator.errors import FlareError
from generator.load.yamlsource import YamlError, parse_yaml_text
from generator.model.records import IncidentStatus, MaintenanceStatus


class SourceError(FlareError):
    """The source cannot be read as the status page it should be; nothing was written."""


@dataclass(frozen=True)
class Note:
    """Something of the source Flare cannot hold as it is, and what was done instead.

    ``where`` names the source's record (``incident p31zjtct2jer``, ``content/issues/x.md``),
    ``field`` its field in the source's own terms (``incident_updates[2].status``).
    """

    where: str
    field: str
    message: str

    def format(self) -> str:
        subject = f"{self.field}: " if self.field else ""
        return f"{self.where}: {subject}{self.message}"


@dataclass
class Notes:
    """The notes of one import, in the order they were found."""

    items: list[Note] = field(default_factory=list)

    def add(self, where: str, field_name: str, message: str) -> None:
        self.items.append(Note(where, field_name, message))


@dataclass
class SourceComponent:
    """A component as the source declares it; ``key`` is how its records name it."""

    key: str
    name: str
    group: str | None = None
    description: str | None = None
    id_hint: str | None = None  # the source's own id, kept when it is a valid Flare id


@dataclass
class SourceUpdate:
    at: datetime
    status: str  # an IncidentStatus or MaintenanceStatus value
    body: str
    components: dict[str, str] = field(default_factory=dict)  # component key -> Flare state
    field: str = ""  # where it is in its record, in the source's terms, for notes


@dataclass(frozen=True)
class SourcePostmortem:
    text: str
    published_at: datetime | None  # None: a draft the source never published


@dataclass
class SourceRecord:
    """An incident or a maintenance; ``ref`` is the source's stable name for it (its id, or its
    file's), which gives the record its id and finds its file again on the next import."""

    ref: str
    where: str
    kind: Literal["incident", "maintenance"]
    title: str
    updates: list[SourceUpdate]
    components: list[str] = field(default_factory=list)  # component keys
    impact: str | None = None  # incidents only
    classification: str | None = None  # incidents only: "defect" from a Flare site's API
    window: tuple[datetime, datetime] | None = None  # maintenance only
    postmortem: SourcePostmortem | None = None
    draft: bool = False  # not published on the source: kept out of the site (incidents/.drafts)


@dataclass
class SourceSite:
    """Everything one import read: the page's own settings where it has them, its components
    and records, and the notes."""

    source: str  # statuspage, cstate, statusfy: names the files' marks
    label: str  # Statuspage, cState, Statusfy: for people
    name: str | None = None
    url: str | None = None
    timezone: str | None = None
    components: list[SourceComponent] = field(default_factory=list)
    records: list[SourceRecord] = field(default_factory=list)
    notes: Notes = field(default_factory=Notes)


# -- times ---------------------------------------------------------------------------------------
_TIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[Tt ]+(?P<time>\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?))?"
    r"\s*(?P<offset>[Zz]|UTC|[+-]\d{2}(?::?\d{2})?)?$"
)


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone ``name``; a SourceError saying what is allowed otherwise."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise SourceError(
            f"unknown timezone {name!r}; give an IANA name such as UTC, Europe/Paris or "
            "America/New_York"
        ) from None


@dataclass(frozen=True)
class Times:
    """Reads the source's times. A time written without an offset is in ``zone``, which the user
    gives with --timezone: guessing it would move every update by hours."""

    zone: ZoneInfo | None
    notes: Notes

    def read(self, value: object, where: str, field_name: str) -> datetime:
        if isinstance(value, datetime):
            return value if value.utcoffset() is not None else self._local(value, value, where)
        if isinstance(value, date):
            return self._day(value, value, where, field_name)
        text = str(value).strip()
        match = _TIME.match(text)
        if match is None:
            raise SourceError(
                f"{where}: {field_name}: {text!r} is not a date and time; the source should hold "
                "ISO 8601 times such as 2024-05-25T04:13:00Z or 2024-05-25 04:13:00"
            )
        if match["time"] is None:
            return self._day(date.fromisoformat(match["date"]), text, where, field_name)
        clock = match["time"].replace(",", ".")
        if len(clock.split(":")[0]) == 1:
            clock = f"0{clock}"
        offset = match["offset"]
        if offset in (None, ""):
            naive = datetime.fromisoformat(f"{match['date']}T{clock}")
            return self._local(naive, text, where, field_name)
        offset = "+00:00" if offset.upper() in ("Z", "UTC") else offset
        try:
            return datetime.fromisoformat(f"{match['date']}T{clock}{offset}")
        except ValueError as error:
            raise SourceError(
                f"{where}: {field_name}: {text!r} is not a valid time: {error}"
            ) from None

    def _local(
        self, naive: datetime, shown: object, where: str, field_name: str = "date"
    ) -> datetime:
        if self.zone is None:
            raise SourceError(
                f"{where}: {field_name}: {shown} has no offset; give --timezone with the zone the "
                "source's times are written in (an IANA name such as UTC or Europe/Paris)"
            )
        return naive.replace(tzinfo=self.zone)

    def _day(self, day: date, shown: object, where: str, field_name: str) -> datetime:
        at = self._local(datetime.combine(day, time()), shown, where, field_name)
        self.notes.add(where, field_name, f"{shown} is a date without a time; read as midnight")
        return at


ONE_HOUR = timedelta(hours=1)


# -- Markdown files with front matter (cState's and Statusfy's records) ---------------------------
@dataclass(frozen=True)
class MarkdownFile:
    """A Markdown file's front matter (its fields) and its body, the body's first line's number
    kept for messages."""

    fields: dict[str, Any]
    body: str
    body_line: int


_FENCES = {"---": "yaml", "---yaml": "yaml", "---yml": "yaml", "---json": "json", "+++": "toml",
           "---toml": "toml"}  # fmt: skip
_CLOSING = {"yaml": ("---", "..."), "json": ("---",), "toml": ("+++", "---")}


def read_markdown(path: Path, shown: str) -> MarkdownFile | None:
    """The front matter and body of ``path`` (``shown`` names it in messages); None for a file
    without front matter. YAML is read with Flare's own safe reader, TOML and JSON with the
    standard library's."""
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        raise SourceError(f"{shown}: not UTF-8 text ({error})") from None
    lines = text.split("\n")
    kind = _FENCES.get(lines[0].strip())
    if kind is None:
        return None
    closing = next(
        (index for index in range(1, len(lines)) if lines[index].strip() in _CLOSING[kind]), None
    )
    if closing is None:
        raise SourceError(f"{shown}: the front matter opened on line 1 is never closed")
    fields = _front_matter("\n".join(lines[1:closing]), kind, shown)
    return MarkdownFile(fields, "\n".join(lines[closing + 1 :]), closing + 2)


def _front_matter(text: str, kind: str, shown: str) -> dict[str, Any]:
    try:
        if kind == "json":
            value = json.loads(text)
        elif kind == "toml":
            value = tomllib.loads(text)
        else:
            value = parse_yaml_text(text, allow_unknown_tags=True).value
    except YamlError as error:
        line = f":{error.position.line + 1}" if error.position else ""
        raise SourceError(f"{shown}{line}: the front matter is not YAML: {error.message}") from None
    except ValueError as error:  # json.JSONDecodeError and tomllib.TOMLDecodeError
        raise SourceError(f"{shown}: the front matter is not {kind.upper()}: {error}") from None
    if not isinstance(value, dict):
        raise SourceError(f"{shown}: the front matter is not a mapping of fields")
    return value


def fenced_blocks(text: str) -> list[str]:
    """The paragraphs of a Markdown text: parted by blank lines, except inside a fenced code
    block."""
    blocks: list[list[str]] = [[]]
    fence: str | None = None
    for line in text.split("\n"):
        stripped = line.strip()
        if fence is None and stripped[:3] in ("```", "~~~"):
            fence = stripped[:3]
        elif fence is not None and stripped.startswith(fence):
            fence = None
        if not stripped and fence is None:
            blocks.append([])
        else:
            blocks[-1].append(line)
    return ["\n".join(block).strip() for block in blocks if "".join(block).strip()]


# -- status words, as text-based sources write them ----------------------------------------------
_INCIDENT_WORDS = {status.value: status.value for status in IncidentStatus}
_MAINTENANCE_WORDS = {
    "scheduled": MaintenanceStatus.SCHEDULED.value,
    "in progress": MaintenanceStatus.IN_PROGRESS.value,
    "in_progress": MaintenanceStatus.IN_PROGRESS.value,
    "verifying": MaintenanceStatus.VERIFYING.value,
    "completed": MaintenanceStatus.COMPLETED.value,
    "cancelled": MaintenanceStatus.CANCELLED.value,
    "canceled": MaintenanceStatus.CANCELLED.value,
    # An incident's words on a maintenance: the end is the end, monitoring is verifying.
    "resolved": MaintenanceStatus.COMPLETED.value,
    "monitoring": MaintenanceStatus.VERIFYING.value,
}


def _plain_word(word: str) -> str:
    return " ".join(word.strip().strip("*_").rstrip(":").split()).lower()


def incident_status(word: str) -> str | None:
    """``Resolved``, ``*Monitoring*`` as Flare's incident status; None for any other word."""
    return _INCIDENT_WORDS.get(_plain_word(word))


def maintenance_status(word: str) -> str | None:
    """``In progress``, ``Completed`` (or an incident's resolved) as a maintenance status."""
    return _MAINTENANCE_WORDS.get(_plain_word(word))


def maintenance_status_by_time(at: datetime, window: tuple[datetime, datetime]) -> str:
    """The status an update posted at ``at`` gives, told by the window alone."""
    start, end = window
    if at < start:
        return MaintenanceStatus.SCHEDULED.value
    if at < end:
        return MaintenanceStatus.IN_PROGRESS.value
    return MaintenanceStatus.COMPLETED.value
