"""cState, the Hugo status page: its ``config.yml`` and its ``content/issues/*.md``.

- Components are ``params.systems`` (``name``, ``description``, ``category``), in the order of
  ``params.categories``; a category is their group, except one marked ``untitled`` (cState
  shows no heading for it).
- An issue is a Markdown file whose front matter says ``section: issue``. Its id is its address
  below /issues/ on cState (its file's name, or ``slug``). ``severity: down`` is an incident of
  impact critical (its components in major outage), ``disrupted`` of impact major (partial
  outage); ``notice`` is a maintenance when it is dated ahead (after the import) or its title
  says maintenance, from ``date`` to ``resolvedWhen`` (an hour, as cState's calendar has it,
  without one), and otherwise an informational incident of impact none, as is
  ``informational: true``.
- Its updates are its paragraphs, newest first, each group of paragraphs ending with the
  ``{{< track "time" >}}`` shortcode: one update, at that time, its status the word it begins
  with (``*Monitoring* -``). Text without a time is an update at ``date`` (a maintenance's
  notice: scheduled).
- ``resolved: true`` resolves it at ``resolvedWhen`` unless an update does; ``resolvedWhen`` on
  an issue still open (downtime over, still watched) is a monitoring update with its components
  operational. An informational post is resolved unless it is pinned (``pin: true``: cState
  shows it on the home page) or ``resolved: false``. ``draft: true`` goes to incidents/.drafts.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from generator.author.importing.source import (
    ONE_HOUR,
    Notes,
    SourceComponent,
    SourceError,
    SourcePostmortem,
    SourceRecord,
    SourceSite,
    SourceUpdate,
    Times,
    fenced_blocks,
    incident_status,
    maintenance_status,
    maintenance_status_by_time,
    read_markdown,
)
from generator.load.yamlsource import YamlError, parse_yaml_text
from generator.model.records import IncidentStatus, MaintenanceStatus

CONFIG_FILES = ("config.yml", "config.yaml", "hugo.yml", "hugo.yaml", "config.toml", "hugo.toml")
ISSUES = Path("content/issues")
IMPACTS = {"down": "critical", "disrupted": "major"}
KNOWN_FIELDS = {
    "title", "date", "resolved", "resolvedWhen", "severity", "affected", "section",
    "informational", "pin", "draft", "slug",
}  # fmt: skip
_TRACK = re.compile(r"\{\{[<%]\s*track\s+\"([^\"]+)\"\s*[>%]\}\}")
_SHORTCODE = re.compile(r"\{\{[<%]\s*([\w/-]+)[^}]*[>%]\}\}")
_STATUS_WORD = re.compile(r"^\s*(\*{1,3}|_{1,3})(?P<word>[^*_\n]+?)\1\s*(?:[-–—:]\s*)?")
_MAINTENANCE = re.compile(r"maintenance", re.IGNORECASE)
_RULE = re.compile(r"(-{3,}|\*{3,}|_{3,})")
WORD_LENGTH = 30  # a status word is a word or two, not an emphasised sentence
RESOLVED = IncidentStatus.RESOLVED.value
RESOLVED_TEXT = "This incident has been resolved."


def read_cstate(site_dir: Path, *, zone: ZoneInfo | None, now: datetime) -> SourceSite:
    """Read the cState site in ``site_dir``; a time without an offset is in ``zone``, and an
    issue dated after ``now`` was announced ahead."""
    config_name, config = _config(site_dir)
    notes = Notes()
    params = config.get("params") if isinstance(config.get("params"), dict) else {}
    site = SourceSite(
        source="cstate",
        label="cState",
        name=_text(config.get("title")),
        url=_url(config.get("baseURL") or config.get("baseurl")),
        timezone=zone.key if zone is not None else None,
        components=_components(params, config_name, notes),
        notes=notes,
    )
    folder = site_dir / ISSUES
    if not folder.is_dir():
        raise SourceError(f"{site_dir} has no {ISSUES} folder; is it a cState site?")
    times = Times(zone, notes)
    for path in sorted(folder.rglob("*.md")):
        if path.name.startswith("_"):
            continue  # _index.md: the section's own page
        record = _issue(path, folder, path.relative_to(site_dir).as_posix(), times, now, notes)
        if record is not None:
            site.records.append(record)
    return site


def _config(site_dir: Path) -> tuple[str, dict[str, Any]]:
    for name in CONFIG_FILES:
        path = site_dir / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        try:
            value = (
                tomllib.loads(text)
                if name.endswith(".toml")
                else parse_yaml_text(text, allow_unknown_tags=True).value
            )
        except YamlError as error:
            line = f":{error.position.line}" if error.position else ""
            raise SourceError(f"{path}{line}: {error.message}") from None
        except tomllib.TOMLDecodeError as error:
            raise SourceError(f"{path}: {error}") from None
        if not isinstance(value, dict):
            raise SourceError(f"{path} is not a mapping of settings")
        return name, value
    raise SourceError(
        f"{site_dir} holds none of {', '.join(CONFIG_FILES)}; give the folder of a cState site"
    )


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _url(value: Any) -> str | None:
    text = _text(value)
    return text if text is not None and text.startswith(("http://", "https://")) else None


def _components(params: dict[str, Any], config_name: str, notes: Notes) -> list[SourceComponent]:
    """The systems, in the order of their categories (as cState lists them)."""
    categories = [c for c in params.get("categories") or [] if isinstance(c, dict)]
    for index, category in enumerate(categories):
        where = f"{config_name} category {category.get('name')!r}"
        if _text(category.get("description")):
            notes.add(
                where,
                f"params.categories[{index}].description",
                "a group in Flare has no description; not kept",
            )
        if category.get("closed"):
            notes.add(
                where,
                f"params.categories[{index}].closed",
                "Flare shows every group open; not kept",
            )
    order = {category.get("name"): index for index, category in enumerate(categories)}
    untitled = {category.get("name") for category in categories if category.get("untitled")}
    systems = [s for s in params.get("systems") or [] if isinstance(s, dict) and s.get("name")]
    components = []
    for index, system in enumerate(systems):
        name, category = str(system["name"]), system.get("category")
        if system.get("link"):
            notes.add(
                f"{config_name} system {name!r}",
                f"params.systems[{index}].link",
                "a component in Flare has no link; not kept",
            )
        components.append(
            SourceComponent(
                key=name,
                name=name,
                group=None if category in untitled else _text(category),
                description=_text(system.get("description")),
            )
        )
    return sorted(components, key=lambda c: order.get(c.group, len(order)))


# -- issues --------------------------------------------------------------------------------------
def _issue(
    path: Path, folder: Path, where: str, times: Times, now: datetime, notes: Notes
) -> SourceRecord | None:
    markdown = read_markdown(path, where)
    if markdown is None:
        notes.add(where, "", "no front matter: not a cState issue; not imported")
        return None
    fields = markdown.fields
    if fields.get("section") != "issue":
        notes.add(where, "section", "not `issue`: cState does not list it; not imported")
        return None
    if "date" not in fields:
        raise SourceError(f"{where}: date is missing; a cState issue needs one")
    for name in fields:
        if name not in KNOWN_FIELDS:
            notes.add(where, name, "Flare has no such field; not kept")
    date = times.read(fields["date"], where, "date")
    title = str(fields.get("title") or "")
    updates, postmortem = _updates(markdown.body, date, times, where, notes)
    # Its address below /issues/ on cState: the folders, then the slug or the file's name.
    relative = path.relative_to(folder).parent / str(fields.get("slug") or path.stem)
    ref = relative.as_posix()
    affected = [str(name) for name in fields.get("affected") or []]
    kind = _kind(fields, title, date, now, where, notes)
    if kind == "maintenance":
        record = _maintenance(ref, where, title, affected, fields, date, updates, times, notes)
        if postmortem is not None and record.updates:
            notes.add(where, "Post-mortem", "a maintenance has none in Flare; kept in its text")
            record.updates[0] = _with_postmortem(record.updates[0], postmortem)
        return record
    impact = IMPACTS.get(str(fields.get("severity")), "none") if kind == "incident" else "none"
    updates = _incident_statuses(updates, where, notes)
    updates = _resolution(updates, fields, affected, kind, times, now, where, notes)
    return SourceRecord(
        ref=ref,
        where=where,
        kind="incident",
        title=title,
        updates=updates,
        components=affected,
        impact=impact,
        postmortem=_published(postmortem, updates, where, notes),
        draft=bool(fields.get("draft")),
    )


def _published(
    text: str | None, updates: list[SourceUpdate], where: str, notes: Notes
) -> SourcePostmortem | None:
    """The post-mortem at the top of an issue, published when the issue was last updated (cState
    keeps no time of its own for it); kept in the body of an issue still open."""
    if text is None:
        return None
    if updates[-1].status != RESOLVED:
        notes.add(
            where,
            "Post-mortem",
            "a post-mortem of an issue still open; Flare's follows the resolution, so it is "
            "kept in the text of the first update",
        )
        updates[0] = _with_postmortem(updates[0], text)
        return None
    notes.add(
        where,
        "Post-mortem",
        "imported as the incident's post-mortem, published at its resolution (cState keeps no "
        "time for it)",
    )
    return SourcePostmortem(text, updates[-1].at)


def _kind(
    fields: dict[str, Any], title: str, date: datetime, now: datetime, where: str, notes: Notes
) -> str:
    """incident, maintenance, or informational (an incident of impact none)."""
    severity = fields.get("severity")
    if fields.get("informational"):
        if severity not in (None, "notice"):
            notes.add(
                where,
                "severity",
                f"{severity} on an informational post, which cState shows as an announcement; "
                "impact none",
            )
        return "informational"
    if severity in IMPACTS:
        return "incident"
    if severity == "notice":
        dated_ahead = date > now
        return "maintenance" if dated_ahead or _MAINTENANCE.search(title) else "informational"
    notes.add(
        where,
        "severity",
        f"{severity!r} is none of down, disrupted and notice; an informational incident of "
        "impact none",
    )
    return "informational"


Draft = tuple[datetime, str | None, str, str]  # an update read: time, status word, text, field


def _updates(
    body: str, date: datetime, times: Times, where: str, notes: Notes
) -> tuple[list[Draft], str | None]:
    """The updates of an issue's body, and its post-mortem if it begins with one.

    Each update is the paragraphs up to a track shortcode, at its time; text after the last one
    is an update at the issue's ``date``. A body that begins with a "Post-mortem" paragraph
    holds the post-mortem up to the first rule (``---``) or timed paragraph, as cState's own
    example writes it.
    """
    blocks = fenced_blocks(body)
    postmortem, blocks = _postmortem(blocks)
    updates: list[Draft] = []
    pending: list[str] = []
    for block in blocks:
        track = _TRACK.search(block)
        pending.append(_TRACK.sub("", block).strip())
        if track is None:
            continue
        field_name = f'track "{track[1]}"'
        updates.append((times.read(track[1], where, field_name), *_worded(pending), field_name))
        pending = []
    if _content(pending) or not updates:
        updates.append((date, *_worded(pending), "date"))
    for _, _, text, field_name in updates:
        for shortcode in sorted(set(_SHORTCODE.findall(text))):
            notes.add(
                where,
                field_name,
                f"the Hugo shortcode {shortcode!r}, which Flare does not run; left as text",
            )
    return updates, postmortem


def _postmortem(blocks: list[str]) -> tuple[str | None, list[str]]:
    match = _STATUS_WORD.match(blocks[0]) if blocks else None
    if match is None or match["word"].strip().lower().replace("-", "") != "postmortem":
        return None, blocks
    end = next(
        (
            i
            for i in range(1, len(blocks))
            if _RULE.fullmatch(blocks[i]) or _TRACK.search(blocks[i])
        ),
        len(blocks),
    )
    text = "\n\n".join([blocks[0][match.end() :].strip(), *blocks[1:end]]).strip()
    return text or None, blocks[end:]


def _content(paragraphs: list[str]) -> list[str]:
    """The paragraphs without the rules (``---``) cState puts between updates."""
    kept = list(paragraphs)
    while kept and (not kept[0] or _RULE.fullmatch(kept[0])):
        kept.pop(0)
    while kept and (not kept[-1] or _RULE.fullmatch(kept[-1])):
        kept.pop()
    return kept


def _worded(paragraphs: list[str]) -> tuple[str | None, str]:
    """The status word a cState update begins with (``*Monitoring* -``), and its text without
    it; no word when it begins with none (its text then stays as it is)."""
    text = "\n\n".join(_content(paragraphs))
    match = _STATUS_WORD.match(text)
    if match is None or len(match["word"]) > WORD_LENGTH:
        return None, text
    word = match["word"].strip()
    if incident_status(word) or maintenance_status(word):
        return word, text[match.end() :].strip()
    return word, text


def _incident_statuses(updates: list[Draft], where: str, notes: Notes) -> list[SourceUpdate]:
    """Each update's status from its word, in time order; an update with another word (or none)
    keeps the status before it, the first investigating."""
    result: list[SourceUpdate] = []
    for at, word, text, field_name in sorted(updates, key=lambda update: update[0]):
        previous = result[-1].status if result else IncidentStatus.INVESTIGATING.value
        status = incident_status(word) if word else None
        if status is None:
            status = previous if previous != RESOLVED else IncidentStatus.INVESTIGATING.value
            if word is not None:
                notes.add(
                    where,
                    field_name,
                    f"{word!r} is none of Investigating, Identified, Monitoring and Resolved; "
                    f"the update is {status} and its text keeps the word",
                )
        result.append(SourceUpdate(at, status, text, {}, field_name))
    return result


def _resolution(
    updates: list[SourceUpdate],
    fields: dict[str, Any],
    affected: list[str],
    kind: str,
    times: Times,
    now: datetime,
    where: str,
    notes: Notes,
) -> list[SourceUpdate]:
    """Resolve the incident as its front matter says (see the module's docstring)."""
    resolved_when = fields.get("resolvedWhen")
    when = times.read(resolved_when, where, "resolvedWhen") if resolved_when else None
    resolving = [update for update in updates if update.status == RESOLVED]
    pinned = kind == "informational" and fields.get("pin") is True
    open_ = fields.get("resolved") is False or (pinned and fields.get("resolved") is not True)
    if open_:
        if when is not None and when <= now and updates[-1].status != RESOLVED:
            notes.add(
                where,
                "resolvedWhen",
                "an open issue whose downtime ended: a monitoring update then, its components "
                "operational",
            )
            ended = SourceUpdate(
                when,
                IncidentStatus.MONITORING.value,
                "The disruption has ended; we are monitoring.",
                dict.fromkeys(affected, "operational"),
                "resolvedWhen",
            )
            return sorted([*updates, ended], key=lambda update: update.at)
        return updates
    if resolving:
        if when is not None and when != resolving[-1].at:
            notes.add(
                where,
                "resolvedWhen",
                f"{resolved_when}, but the resolving update is at {resolving[-1].at}; kept the "
                "update's time",
            )
        return updates
    if kind == "informational" and when is None:
        return [*updates[:-1], replace(updates[-1], status=RESOLVED)]
    same = [
        i
        for i, update in enumerate(updates)
        if when is not None and _second(update.at) == _second(when)
    ]
    if same and same[-1] == len(updates) - 1:
        notes.add(
            where,
            "resolvedWhen",
            f"the time of the last update ({updates[-1].field}), which is the resolution",
        )
        return [*updates[:-1], replace(updates[-1], status=RESOLVED)]
    last = updates[-1].at
    if when is None or when <= last:
        at = last + timedelta(seconds=1)
        notes.add(
            where,
            "resolvedWhen" if when is not None else "resolved",
            "resolved, with no later time to say when; resolved a second after its last update",
        )
    else:
        at = when
    return [*updates, SourceUpdate(at, RESOLVED, RESOLVED_TEXT, {}, "resolvedWhen")]


def _with_postmortem(update: SourceUpdate, text: str) -> SourceUpdate:
    """An update whose text begins with the post-mortem, as the issue showed it."""
    return replace(update, body=f"*Post-mortem*\n\n{text}\n\n---\n\n{update.body}")


def _second(at: datetime) -> datetime:
    return at.replace(microsecond=0)


def _maintenance(
    ref: str,
    where: str,
    title: str,
    affected: list[str],
    fields: dict[str, Any],
    start: datetime,
    updates: list[Draft],
    times: Times,
    notes: Notes,
) -> SourceRecord:
    """A notice as planned work, from its date to its resolvedWhen."""
    resolved_when = fields.get("resolvedWhen")
    end = times.read(resolved_when, where, "resolvedWhen") if resolved_when else None
    if end is None or end <= start:
        end = start + ONE_HOUR
        notes.add(
            where,
            "resolvedWhen",
            "no end after its date; the window is an hour, as cState's calendar has it",
        )
    window = (start, end)
    result = []
    for at, word, text, field_name in sorted(updates, key=lambda update: update[0]):
        status = maintenance_status(word) if word else None
        if field_name == "date" and word is None:
            status = MaintenanceStatus.SCHEDULED.value  # the text without a time: the notice
        if status is None:
            status = maintenance_status_by_time(at, window)
            if word is not None:
                notes.add(
                    where,
                    field_name,
                    f"{word!r} is not a maintenance's status; {status}, by its time",
                )
        result.append(SourceUpdate(at, status, text, {}, field_name))
    return SourceRecord(
        ref=ref,
        where=where,
        kind="maintenance",
        title=title,
        updates=result,
        components=affected,
        window=window,
        draft=bool(fields.get("draft")),
    )
