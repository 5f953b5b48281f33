"""Statusfy: its configuration (``config.yml``, ``config.toml``, ``config.json`` or the literal
values of ``config.js``), its ``locales/<language>.json`` and its ``content/*.md`` incidents.

- Components are ``content.systems`` (ids), named and described by the default language's
  locale file (``systems.items.<id>.title`` and ``.description``, or ``systems.<id>``); a
  system's id stays its Flare id.
- An incident's id is its ``id`` (else its file's name); ``severity`` major-outage is impact
  critical, partial-outage major, degraded-performance minor; under-maintenance is a maintenance
  from ``scheduled`` for ``duration`` minutes. Its text before the update blocks is an update at
  ``date`` (its ``description`` when it has none; HTML comments, which Statusfy does not show,
  left out); each ``::: update Status | time`` block is an update with that status.
  ``resolved: true`` with no resolving update resolves it at ``modified``, its last change.
- ``content/<language>/`` holds translations: Flare's records hold one language, so they are
  reported, not imported.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from generator.author.importing.source import (
    ONE_HOUR,
    Notes,
    SourceComponent,
    SourceError,
    SourceRecord,
    SourceSite,
    SourceUpdate,
    Times,
    incident_status,
    maintenance_status,
    maintenance_status_by_time,
    read_markdown,
)
from generator.load.yamlsource import YamlError, parse_yaml_text
from generator.model.records import IncidentStatus

CONFIG_FILES = ("config.yml", "config.yaml", "config.toml", "config.json", "config.js")
DEFAULT_SYSTEMS = ["api", "cdn", "dns", "site-delivery"]  # Statusfy's own, when none are set
IMPACTS = {"major-outage": "critical", "partial-outage": "major", "degraded-performance": "minor"}
MAINTENANCE = "under-maintenance"
KNOWN_FIELDS = {
    "id", "title", "description", "date", "modified", "severity", "affectedsystems", "resolved",
    "scheduled", "duration",
}  # fmt: skip
_BLOCK = re.compile(
    r"^:::\s*update\s+(?P<title>[^|\n]*?)\s*\|\s*(?P<date>[^\n]+?)\s*\n(?P<body>.*?)^:::\s*$",
    re.MULTILINE | re.DOTALL,
)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
RESOLVED = IncidentStatus.RESOLVED.value
RESOLVED_TEXT = "This incident has been resolved."


def read_statusfy(site_dir: Path, *, zone: ZoneInfo | None, now: datetime) -> SourceSite:
    """Read the Statusfy site in ``site_dir``; a time without an offset is in ``zone``."""
    notes = Notes()
    config = _config(site_dir, notes)
    content = config.get("content") or config.get("contentConfig") or {}
    content = content if isinstance(content, dict) else {}
    locale = str(config.get("defaultLocale") or "en")
    names = _locale(site_dir / "locales" / f"{locale}.json")
    systems = content.get("systems")
    if not isinstance(systems, list):
        systems = DEFAULT_SYSTEMS
    site = SourceSite(
        source="statusfy",
        label="Statusfy",
        name=_text(names.get("title")) or _text(config.get("title")),
        url=_url(config.get("baseUrl")),
        timezone=zone.key if zone is not None else None,
        components=[_component(str(system), names) for system in systems],
        notes=notes,
    )
    folder = site_dir / str(content.get("dir") or "content")
    if not folder.is_dir():
        raise SourceError(f"{site_dir} has no {folder.name} folder of incidents; is it Statusfy?")
    times = Times(zone, notes)
    for path in sorted(folder.iterdir()):
        shown = path.relative_to(site_dir).as_posix()
        if path.is_dir() and any(path.glob("*.md")):
            count = len(list(path.glob("*.md")))
            notes.add(
                f"{shown}/",
                "",
                f"{count} translated incident(s): Flare's records hold one language; not imported",
            )
        elif path.suffix == ".md" and path.name.lower() != "readme.md":
            record = _incident(path, shown, times, now, notes)
            if record is not None:
                site.records.append(record)
    return site


# -- settings --------------------------------------------------------------------------------------
def _config(site_dir: Path, notes: Notes) -> dict[str, Any]:
    for name in CONFIG_FILES:
        path = site_dir / name
        if path.is_file():
            return _read_config(path, notes)
    raise SourceError(
        f"{site_dir} holds none of {', '.join(CONFIG_FILES)}; give the folder of a Statusfy site"
    )


def _read_config(path: Path, notes: Notes) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix == ".js":
            notes.add(
                path.name,
                "",
                "JavaScript, which Flare does not run: read the literal values of title, "
                "baseUrl, defaultLocale and content (dir and systems)",
            )
            return _literal_settings(text)
        if path.suffix == ".toml":
            value = tomllib.loads(text)
        elif path.suffix == ".json":
            value = json.loads(text)
        else:
            value = parse_yaml_text(text, allow_unknown_tags=True).value
    except YamlError as error:
        line = f":{error.position.line}" if error.position else ""
        raise SourceError(f"{path}{line}: {error.message}") from None
    except ValueError as error:  # json.JSONDecodeError and tomllib.TOMLDecodeError
        raise SourceError(f"{path}: {error}") from None
    if not isinstance(value, dict):
        raise SourceError(f"{path} is not a mapping of settings")
    return value


_STRING = r"(['\"`])(?P<value>(?:(?!\1).)*)\1"


def _literal_settings(text: str) -> dict[str, Any]:
    """What ``config.js`` says in plain literals: Flare does not run JavaScript."""
    settings: dict[str, Any] = {}
    for name in ("title", "baseUrl", "defaultLocale"):
        match = re.search(rf"\b{name}\s*:\s*{_STRING}", text)
        if match:
            settings[name] = match["value"]
    content: dict[str, Any] = {}
    directory = re.search(rf"\bdir\s*:\s*{_STRING}", text)
    if directory:
        content["dir"] = directory["value"]
    systems = re.search(r"\bsystems\s*:\s*\[(?P<items>[^\]]*)\]", text)
    if systems:
        content["systems"] = [m["value"] for m in re.finditer(_STRING, systems["items"])]
    settings["content"] = content
    return settings


def _locale(path: Path) -> dict[str, Any]:
    """The default language's texts: the site's title and each system's name."""
    if not path.is_file():
        return {}
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise SourceError(f"{path}: not JSON ({error})") from None
    return value if isinstance(value, dict) else {}


def _component(system: str, names: dict[str, Any]) -> SourceComponent:
    entries = names.get("systems") if isinstance(names.get("systems"), dict) else {}
    entries = entries.get("items", entries) if isinstance(entries.get("items"), dict) else entries
    entry = entries.get(system)
    if isinstance(entry, str):
        return SourceComponent(key=system, name=entry, id_hint=system)
    entry = entry if isinstance(entry, dict) else {}
    return SourceComponent(
        key=system,
        name=_text(entry.get("title")) or system,
        description=_text(entry.get("description")),
        id_hint=system,
    )


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _url(value: Any) -> str | None:
    text = _text(value)
    return text if text is not None and text.startswith(("http://", "https://")) else None


# -- incidents -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Block:
    """An update block, or the text before them (``title`` None)."""

    at: datetime
    title: str | None
    text: str
    field: str


def _incident(
    path: Path, where: str, times: Times, now: datetime, notes: Notes
) -> SourceRecord | None:
    markdown = read_markdown(path, where)
    if markdown is None:
        notes.add(where, "", "no front matter: not a Statusfy incident; not imported")
        return None
    fields = markdown.fields
    if "date" not in fields:
        raise SourceError(f"{where}: date is missing; a Statusfy incident needs one")
    for name in fields:
        if name not in KNOWN_FIELDS:
            notes.add(where, name, "Flare has no such field; not kept")
    date = times.read(fields["date"], where, "date")
    blocks = _blocks(markdown.body, fields, date, times, where, notes)
    ref = str(fields.get("id") or path.stem)
    title = str(fields.get("title") or "")
    affected = [str(system) for system in fields.get("affectedsystems") or []]
    severity = fields.get("severity")
    if severity == MAINTENANCE:
        return _maintenance(ref, where, title, affected, fields, date, blocks, times, now, notes)
    if fields.get("scheduled") or fields.get("duration"):
        notes.add(
            where,
            "scheduled",
            "a planned window needs severity under-maintenance on Statusfy too; imported as an "
            "incident, without the window",
        )
    impact = IMPACTS.get(str(severity))
    if impact is None:
        notes.add(
            where,
            "severity",
            f"{severity!r} is none of {', '.join([*IMPACTS, MAINTENANCE])}; impact none",
        )
    updates = _resolution(_incident_updates(blocks, where, notes), fields, times, where, notes)
    return SourceRecord(
        ref=ref,
        where=where,
        kind="incident",
        title=title,
        updates=updates,
        components=affected,
        impact=impact or "none",
    )


def _blocks(
    body: str, fields: dict[str, Any], date: datetime, times: Times, where: str, notes: Notes
) -> list[_Block]:
    """The text before the update blocks (at ``date``; the description when there is none),
    then each update block, in time order."""
    blocks = []
    for index, match in enumerate(_BLOCK.finditer(body)):
        field_name = f"update[{index}]"
        at = times.read(match["date"], where, f"{field_name} ({match['title']})")
        blocks.append(_Block(at, match["title"].strip(), match["body"].strip(), field_name))
    general = _COMMENT.sub("", _BLOCK.sub("", body)).strip()
    description = _text(fields.get("description"))
    if not general:
        general = description or ""
    elif description is not None and description != general:
        notes.add(
            where,
            "description",
            f"Flare has no summary of a record; not kept. It says: {description}",
        )
    if general or not blocks:
        blocks.append(_Block(date, None, general, "text before the updates"))
    return sorted(blocks, key=lambda block: block.at)


def _incident_updates(blocks: list[_Block], where: str, notes: Notes) -> list[SourceUpdate]:
    updates: list[SourceUpdate] = []
    for block in blocks:
        previous = updates[-1].status if updates else IncidentStatus.INVESTIGATING.value
        if previous == RESOLVED:
            previous = IncidentStatus.INVESTIGATING.value
        status = incident_status(block.title) if block.title else previous
        if status is None:
            status = previous
            notes.add(
                where,
                block.field,
                f"{block.title!r} is none of Investigating, Identified, Monitoring and Resolved; "
                f"the update is {status}, its title kept at the start of its text",
            )
            block = _Block(block.at, block.title, f"**{block.title}**: {block.text}", block.field)
        updates.append(SourceUpdate(block.at, status, block.text, {}, block.field))
    return updates


def _resolution(
    updates: list[SourceUpdate], fields: dict[str, Any], times: Times, where: str, notes: Notes
) -> list[SourceUpdate]:
    """A resolved incident that no update resolves is resolved at ``modified``, its last change
    (or a second after its last update)."""
    if fields.get("resolved") is not True or updates[-1].status == RESOLVED:
        return updates
    modified = fields.get("modified")
    at = times.read(modified, where, "modified") if modified else None
    if at is None or at <= updates[-1].at:
        at = updates[-1].at + timedelta(seconds=1)
        when = "a second after its last update (modified is no later)"
    else:
        when = "at modified, its last change"
    notes.add(where, "resolved", f"true, but no update resolves it; resolved {when}")
    return [*updates, SourceUpdate(at, RESOLVED, RESOLVED_TEXT, {}, "resolved")]


def _maintenance(
    ref: str,
    where: str,
    title: str,
    affected: list[str],
    fields: dict[str, Any],
    date: datetime,
    blocks: list[_Block],
    times: Times,
    now: datetime,
    notes: Notes,
) -> SourceRecord:
    scheduled = fields.get("scheduled")
    start = times.read(scheduled, where, "scheduled") if scheduled else date
    if not scheduled:
        notes.add(where, "scheduled", "missing; the window starts at the incident's date")
    end = _end(start, fields, times, where, notes)
    if fields.get("resolved") is False and end <= now:
        notes.add(
            where,
            "resolved",
            "false, but the window is over; Flare shows the maintenance completed",
        )
    updates = []
    for block in blocks:
        status = maintenance_status(block.title) if block.title else None
        if status is None:
            status = maintenance_status_by_time(block.at, (start, end))
            if block.title:
                notes.add(
                    where,
                    block.field,
                    f"{block.title!r} is not a maintenance's status; {status}, by its time",
                )
        updates.append(SourceUpdate(block.at, status, block.text, {}, block.field))
    return SourceRecord(
        ref=ref,
        where=where,
        kind="maintenance",
        title=title,
        updates=updates,
        components=affected,
        window=(start, end),
    )


def _end(
    start: datetime, fields: dict[str, Any], times: Times, where: str, notes: Notes
) -> datetime:
    """The window's end: ``duration`` minutes after its start; without one, ``modified`` for a
    resolved maintenance, else an hour."""
    duration = fields.get("duration")
    try:
        minutes = float(duration) if duration is not None else None
    except (TypeError, ValueError):
        minutes = None
        notes.add(where, "duration", f"{duration!r} is not a number of minutes")
    if minutes is not None and minutes > 0:
        return start + timedelta(minutes=minutes)
    modified = fields.get("modified")
    if fields.get("resolved") is True and modified:
        end = times.read(modified, where, "modified")
        if end > start:
            notes.add(where, "duration", "missing; the window ends at modified, its last change")
            return end
    notes.add(where, "duration", "missing; the window is taken as one hour")
    return start + ONE_HOUR
