"""From a source's account to the site's files: what the three imports share.

:func:`plan_import` finds the site to import into (or plans a new one, as ``flare init`` would
make it, without its example incident), gives every component and record its Flare id, plans
each file's bytes, and validates all of it as ``flare validate`` would; :func:`write_plan` writes
the files only then, each atomically. Nothing is written for a plan that does not hold.

Imports are repeatable. Each imported record file carries a mark, a comment naming its source
and the source's id for it; the next import of the same source finds the file by that mark
(wherever it was moved) and edits it in place, keeping its comments and layout, and reports the
fields that changed. A component is found again by its name. An import never deletes anything.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.author import scaffold
from generator.author.edit import (
    edited_yaml,
    flow,
    markdown_text,
    new_record_text,
    slugify,
    timestamp,
    write_atomically,
)
from generator.author.importing.source import (
    Note,
    Notes,
    SourceComponent,
    SourceError,
    SourcePostmortem,
    SourceRecord,
    SourceSite,
    SourceUpdate,
)
from generator.errors import Diagnostic, InvalidSite, Severity
from generator.load.settings import CONFIG_NAME, SiteSettings, find_site_root, read_config
from generator.load.yamlsource import YamlError, parse_yaml_text
from generator.model.components import BIDI_CONTROLS, SLUG_PATTERN, TITLE_LIMIT, Component
from generator.model.fields import RECORD_ID_PATTERN
from generator.model.records import IncidentStatus, MaintenanceStatus
from generator.validate.records import RECORD_SUFFIXES, LoadedRecords, load_records
from generator.validate.records import validate_document as validate_record

# The mark an imported record file starts with (after the schema line): the source and its id
# (quoted, so that it is one word).
MARK = "# flare import: {source} {ref} (importing again updates this file)\n"
_MARK = re.compile(r"^# flare import: (?P<source>[a-z]+) (?P<ref>\S+)", re.MULTILINE)
_MARK_LINES = 3  # the mark is among a file's first lines

# The fields of a record an import writes: a later import replaces them, keeps any other.
OWNED_FIELDS = ("id", "kind", "title", "impact", "components", "scheduled", "updates")
UPDATE_FIELDS = ("at", "status", "components", "body", "reopened")
DRAFTS = ".drafts"  # below incidents/: neither validated nor published (see the README)
RESOLVED = IncidentStatus.RESOLVED.value


class ImportRefused(SourceError):
    """The import would overwrite something it did not write; nothing was written."""


@dataclass(frozen=True)
class PlannedFile:
    """A file the import writes: its bytes, what it holds now (None: a new file) and what
    changed, field by field."""

    path: Path
    data: bytes
    before: bytes | None = None
    record_id: str | None = None
    changes: tuple[str, ...] = ()
    scaffolded: bool = False  # one of the files `flare init` writes, for a new site

    @property
    def is_new(self) -> bool:
        return self.before is None


@dataclass
class ImportPlan:
    """Everything an import would do; nothing of it is written yet."""

    source: SourceSite
    site_dir: Path
    new_site: bool
    files: list[PlannedFile] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)  # record files already as imported
    components_added: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def plan_import(site: SourceSite, into: Path, now: datetime, *, new_site_here: bool) -> ImportPlan:
    """Plan the import of ``site`` into the site at ``into`` (or above it).

    Without a site there, a new one is planned in ``into`` when ``new_site_here`` allows it (the
    user named the folder): never in a folder the user did not name. Raises InvalidSite, with
    every error, when a planned file would not validate.
    """
    notes = Notes(list(site.notes.items))
    target = _Target.find(into, site, now, new_site_here)
    records = [record for r in site.records if (record := _normalised(r, notes)) is not None]
    components = [_named(c, notes) for c in _with_undeclared(site.components, records, notes)]
    ids = _component_ids(components, target.existing_components)
    plan = ImportPlan(site, target.site_dir, target.new_site, notes=notes.items)
    config = _planned_config(site, components, ids, target, plan)
    settings = _settings(target, config)
    plan.files.extend(
        PlannedFile(target.site_dir / path, text.encode("utf-8"), scaffolded=True)
        for path, text in target.scaffold.items()
        if path != CONFIG_NAME
    )
    if target.new_site and not records:
        # git keeps no empty folder, and a site's incidents folder must be there
        plan.files.append(PlannedFile(target.incidents_dir / ".gitkeep", b"", scaffolded=True))
    if config.data != config.before:
        plan.files.append(config)
    record_files = _planned_records(records, ids, target, site.source, plan)
    _validate(record_files, settings, records)
    for planned in record_files:
        if planned.data == planned.before:
            plan.unchanged.append(planned.path)
        else:
            plan.files.append(planned)
    return plan


def write_plan(plan: ImportPlan) -> None:
    """Write every planned file, each atomically (a reader never meets half a file)."""
    for planned in plan.files:
        write_atomically(planned.path, planned.data)


# -- the site imported into ----------------------------------------------------------------------
@dataclass
class _Target:
    site_dir: Path
    new_site: bool
    config_path: Path
    config_data: bytes  # mkdocs.yml as it is, or as the new site's would be
    scaffold: dict[str, str]  # a new site's files by relative path; empty for a site that is
    existing_components: list[Component]
    incidents_dir: Path
    loaded: LoadedRecords
    marks: dict[str, Path]  # files imported from this source before, by the source's ref

    @classmethod
    def find(cls, into: Path, site: SourceSite, now: datetime, new_site_here: bool) -> _Target:
        if into.exists() and not into.is_dir():
            raise ImportRefused(f"{into} is a file; --into is the folder of a status site")
        root = find_site_root(into) if into.exists() else None
        if root is not None:
            return cls._existing(root, site.source)
        if not new_site_here:
            raise ImportRefused(
                f"neither {into} nor any folder above it holds {CONFIG_NAME}; run the import "
                "inside a status site, or give --into a new or empty folder for a new one"
            )
        return cls._new(into, site, now)

    @classmethod
    def _existing(cls, root: Path, source: str) -> _Target:
        config = read_config(root / CONFIG_NAME)
        incidents_dir = root / config.settings.incidents_dir
        return cls(
            site_dir=root,
            new_site=False,
            config_path=root / CONFIG_NAME,
            config_data=(root / CONFIG_NAME).read_bytes(),
            scaffold={},
            existing_components=list(config.settings.components),
            incidents_dir=incidents_dir,
            loaded=load_records(config.settings, incidents_dir),
            marks=_marked_files(incidents_dir, source),
        )

    @classmethod
    def _new(cls, into: Path, site: SourceSite, now: datetime) -> _Target:
        name = site.name or scaffold.default_site_name(into)
        files = scaffold.plan(name, now, example=False)
        kept = {path for path in files if (into / path).exists()}
        return cls(
            site_dir=into,
            new_site=True,
            config_path=into / CONFIG_NAME,
            config_data=files[CONFIG_NAME].encode("utf-8"),
            scaffold={path: text for path, text in files.items() if path not in kept},
            existing_components=[],  # the template's are examples: the source's replace them
            incidents_dir=into / "incidents",
            loaded=LoadedRecords(),
            marks={},
        )


def _marked_files(incidents_dir: Path, source: str) -> dict[str, Path]:
    """The record files an earlier import of ``source`` wrote, by the source's ref; drafts
    (hidden folders) included, and files that no longer validate too."""
    marks: dict[str, Path] = {}
    if not incidents_dir.is_dir():
        return marks
    for path in sorted(incidents_dir.rglob("*")):
        if path.suffix.lower() not in RECORD_SUFFIXES or not path.is_file():
            continue
        with path.open(encoding="utf-8", errors="replace") as file:
            head = "".join(file.readline() for _ in range(_MARK_LINES))
        match = _MARK.search(head)
        if match and match["source"] == source:
            marks.setdefault(urllib.parse.unquote(match["ref"]), path)
    return marks


# -- records: Flare's rules, applied once for every source ---------------------------------------
def _normalised(record: SourceRecord, notes: Notes) -> SourceRecord | None:
    """``record`` as Flare can hold it, each change said in a note: a title without
    bidirectional controls and of at most 200 characters, updates in time order with a second
    of their own, one resolution at a time, a maintenance with components and a window."""
    if not record.updates and record.kind == "incident":
        notes.add(record.where, "updates", "an incident without any update; not imported")
        return None
    record = replace(record, title=_title(record, notes))
    updates = _one_a_second(sorted(record.updates, key=lambda u: u.at), record.where, notes)
    updates = [_with_body(update, record.where, notes) for update in updates]
    if record.kind == "maintenance":
        maintenance = _maintenance(replace(record, updates=updates), notes)
        if maintenance is None:
            return None
        record = maintenance
    else:
        record = replace(record, updates=_resolved_once(updates, record.where, notes))
    listed = list(dict.fromkeys([*record.components, *(c for u in updates for c in u.components)]))
    record = replace(record, components=listed)
    if record.postmortem is not None:
        record = replace(record, postmortem=_published_after(record, notes))
    return record


def _title(record: SourceRecord, notes: Notes) -> str:
    title = " ".join(record.title.split())
    stripped = "".join(character for character in title if character not in BIDI_CONTROLS)
    if stripped != title:
        notes.add(
            record.where,
            "title",
            "held bidirectional control characters, which reorder the text around them; removed",
        )
    if not stripped:
        notes.add(record.where, "title", "empty; titled 'Untitled' (Flare needs a title)")
        return "Untitled"
    if len(stripped) > TITLE_LIMIT:
        notes.add(
            record.where,
            "title",
            f"{len(stripped)} characters, and a Flare title is at most {TITLE_LIMIT}; "
            f"shortened. The whole title was: {stripped}",
        )
        return stripped[: TITLE_LIMIT - 1].rstrip() + "…"
    return stripped


def _one_a_second(updates: list[SourceUpdate], where: str, notes: Notes) -> list[SourceUpdate]:
    """A second of its own for each update (Flare refuses two in one second: a copy by mistake,
    and a reader could not tell which came first): a later one moves to the next free second."""
    kept: list[SourceUpdate] = []
    for update in updates:
        if kept and _second(update.at) <= _second(kept[-1].at):
            moved = (_second(kept[-1].at) + timedelta(seconds=1)).astimezone(update.at.tzinfo)
            notes.add(
                where,
                update.field,
                f"posted in the same second as the update before it; moved to "
                f"{timestamp(moved)} (Flare keeps one update a second)",
            )
            update = replace(update, at=moved)
        kept.append(update)
    return kept


def _second(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(microsecond=0)


def _with_body(update: SourceUpdate, where: str, notes: Notes) -> SourceUpdate:
    """The update's text with its lines ended as a record's are (a CRLF from a web form reads
    the same in Markdown, and keeps the body a plain block); an empty one says its status."""
    body = update.body.replace("\r\n", "\n").replace("\r", "\n")
    if body.strip():
        return replace(update, body=body)
    label = update.status.replace("_", " ").capitalize()
    notes.add(where, update.field, f"an update without text; written as '{label}.'")
    return replace(update, body=f"{label}.")


def _resolved_once(updates: list[SourceUpdate], where: str, notes: Notes) -> list[SourceUpdate]:
    """A resolution right after a resolution joins it (Flare resolves an incident once: the
    second would be a copy by mistake); an update after a resolution reopens the incident, on
    purpose, as the source shows it."""
    kept: list[SourceUpdate] = []
    for update in updates:
        previous = kept[-1] if kept else None
        if previous is not None and previous.status == RESOLVED == update.status:
            notes.add(
                where,
                update.field,
                f"a second resolution in a row, posted {timestamp(update.at)}; Flare resolves "
                "an incident once, so its text is added to the resolution of "
                f"{timestamp(previous.at)}",
            )
            kept[-1] = replace(
                previous,
                body=f"{previous.body.strip()}\n\n{update.body.strip()}",
                components={**previous.components, **update.components},
            )
            continue
        kept.append(update)
    return kept


def _maintenance(record: SourceRecord, notes: Notes) -> SourceRecord | None:
    """A maintenance as Flare holds one: components under maintenance in a window; one naming
    no component is an announcement, an incident of impact none (None when it has no update to
    announce anything with)."""
    assert record.window is not None, "a reader gives every maintenance its window"
    start, end = record.window
    if end <= start:
        end = start + timedelta(hours=1)
        notes.add(
            record.where,
            "window",
            f"its end is not after its start; the window is taken as one hour from {start}",
        )
    if record.components:
        return replace(record, window=(start, end))
    if not record.updates:
        notes.add(
            record.where,
            "components",
            "a maintenance that names no component and has no update: Flare has no place for "
            f"it (its window was {timestamp(start)} to {timestamp(end)}); not imported",
        )
        return None
    notes.add(
        record.where,
        "components",
        f"a maintenance that names no component (Flare's puts components under maintenance); "
        f"imported as an incident of impact none, completed and cancelled as resolved and the "
        f"other statuses as identified. Its window was {timestamp(start)} to {timestamp(end)}",
    )
    updates = [
        replace(update, status=_announcement_status(update.status)) for update in record.updates
    ]
    return replace(
        record,
        kind="incident",
        impact="none",
        window=None,
        updates=_resolved_once(updates, record.where, notes),
    )


def _announcement_status(status: str) -> str:
    stopped = (MaintenanceStatus.COMPLETED.value, MaintenanceStatus.CANCELLED.value)
    return RESOLVED if status in stopped else IncidentStatus.IDENTIFIED.value


def _published_after(record: SourceRecord, notes: Notes) -> SourcePostmortem:
    """A post-mortem follows the resolution: one dated before it is dated at it."""
    postmortem = record.postmortem
    assert postmortem is not None
    resolved = record.updates[-1] if record.updates[-1].status == RESOLVED else None
    published = postmortem.published_at
    if resolved is not None and published is not None and published < resolved.at:
        notes.add(
            record.where,
            "postmortem",
            f"published {timestamp(published)}, before the resolution; dated at "
            f"the resolution, {timestamp(resolved.at)}",
        )
        return replace(postmortem, published_at=resolved.at)
    return postmortem


# -- components ------------------------------------------------------------------------------------
def _with_undeclared(
    components: list[SourceComponent], records: list[SourceRecord], notes: Notes
) -> list[SourceComponent]:
    """The source's components, and any its records name that it does not declare (a component
    since removed from the page): added, so that the records keep their states."""
    declared = {component.key for component in components}
    added: list[SourceComponent] = []
    for record in records:
        for key in record.components:
            if key not in declared:
                declared.add(key)
                added.append(SourceComponent(key=key, name=key))
                notes.add(
                    record.where,
                    "components",
                    f"names {key!r}, which is not among the source's components; added as a "
                    "component of its own, so the record keeps it",
                )
    return [*components, *added]


def _named(component: SourceComponent, notes: Notes) -> SourceComponent:
    """A component whose name a reader can trust: without bidirectional controls."""
    name = "".join(character for character in component.name if character not in BIDI_CONTROLS)
    if name == component.name:
        return component
    notes.add(
        f"component {component.key}",
        "name",
        "held bidirectional control characters, which reorder the text around them; removed",
    )
    return replace(component, name=name.strip() or component.key)


def _component_ids(components: list[SourceComponent], existing: list[Component]) -> dict[str, str]:
    """Each source component's Flare id: an existing component's of the same name (and group),
    so a second import finds it again; else the source's own id when it is a Flare id; else one
    made from its name."""
    taken = {"status", *(component.id for component in existing)}
    ids: dict[str, str] = {}
    for component in components:
        same = [c for c in existing if c.name == component.name and c.id not in ids.values()]
        in_group = [c for c in same if c.group == component.group]
        if in_group or len(same) == 1:
            ids[component.key] = (in_group or same)[0].id
            continue
        hint = component.id_hint
        if hint and re.fullmatch(SLUG_PATTERN, hint) and len(hint) <= 64 and hint not in taken:
            ids[component.key] = hint
        else:
            ids[component.key] = _free_id(_name_slug(component), taken)
        taken.add(ids[component.key])
    return ids


def _name_slug(component: SourceComponent) -> str:
    ascii_name = unicodedata.normalize("NFKD", component.name).encode("ascii", "ignore").decode()
    if not re.search(r"[A-Za-z0-9]", ascii_name):
        return f"component-{hashlib.sha256(component.name.encode()).hexdigest()[:6]}"
    return slugify(component.name, max_length=60)


def _free_id(wanted: str, taken: set[str]) -> str:
    candidate, number = wanted, 1
    while candidate in taken:
        number += 1
        candidate = f"{wanted}-{number}"
    return candidate


def _planned_config(
    site: SourceSite,
    components: list[SourceComponent],
    ids: dict[str, str],
    target: _Target,
    plan: ImportPlan,
) -> PlannedFile:
    """mkdocs.yml with the source's components: the new ones added at the end; an existing
    one gets the source's group and description where it has none, and keeps its own (said in a
    note) where they differ. A new site also takes the source's address and timezone. The
    file's comments and layout are kept."""
    if target.new_site and not components:
        raise SourceError(
            f"the {site.label} source declares no components, and a Flare site needs at least "
            "one; import into an existing site instead (--into its folder)"
        )
    existing = {component.id: component for component in target.existing_components}
    changes: list[str] = []

    def change(document: CommentedMap) -> None:
        options = _flare_options(document)
        template = options["components"]
        if target.new_site:
            options["components"] = CommentedSeq()
            if site.url:
                document["site_url"] = site.url if site.url.endswith("/") else f"{site.url}/"
            if site.timezone:
                options["timezone"] = site.timezone
        declared = options["components"]
        entries = {entry.get("id"): entry for entry in declared if isinstance(entry, dict)}
        for component in components:
            component_id = ids[component.key]
            if component_id not in existing:
                declared.append(_component_entry(component_id, component))
                plan.components_added.append(component_id)
                changes.append(f"components[{component_id}] added")
                continue
            entry = entries[component_id]
            for name in ("group", "description"):
                value, kept = getattr(component, name), entry.get(name)
                if value is None or kept == value:
                    continue
                if kept is None:
                    entry[name] = value
                    changes.append(f"components[{component_id}].{name}")
                else:
                    plan.notes.append(
                        Note(
                            f"component {component.key}",
                            name,
                            f"{value!r} on {site.label}, {kept!r} for {component_id} in "
                            f"{CONFIG_NAME}; kept the site's",
                        )
                    )
        if target.new_site:
            _keep_the_space_after(template, declared)

    data = edited_yaml(target.config_data, change)
    before = None if target.new_site else target.config_data
    return PlannedFile(target.config_path, data, before, changes=tuple(changes))


def _keep_the_space_after(template: CommentedSeq, components: CommentedSeq) -> None:
    """The blank line after the template's components stays after the source's: ruamel keeps
    it with the last field of the list's last entry."""
    if not (template and components and template[-1] and components[-1]):
        return
    space = template[-1].ca.items.get(list(template[-1])[-1])
    if space is not None:
        components[-1].ca.items[list(components[-1])[-1]] = space


def _flare_options(document: CommentedMap) -> CommentedMap:
    """The flare plugin's settings in mkdocs.yml (read_config found them, so they are there)."""
    plugins = document["plugins"]
    entries = plugins.items() if isinstance(plugins, dict) else enumerate(plugins)
    for _, entry in entries:
        if isinstance(entry, dict) and "flare" in entry:
            if entry["flare"] is None:
                entry["flare"] = CommentedMap()
            return entry["flare"]
    if isinstance(plugins, dict) and "flare" in plugins:
        return plugins["flare"]
    raise SourceError(f"{CONFIG_NAME}: the flare plugin's settings are not a mapping")


def _component_entry(component_id: str, component: SourceComponent) -> CommentedMap:
    entry = CommentedMap()
    entry["id"] = component_id
    entry["name"] = component.name
    if component.group is not None:
        entry["group"] = component.group
    if component.description is not None:
        entry["description"] = component.description
    return entry


def _settings(target: _Target, config: PlannedFile) -> SiteSettings:
    """The settings the planned mkdocs.yml gives, checked as flare validate checks them."""
    return read_config(target.config_path, config.data.decode("utf-8")).settings


# -- record files ----------------------------------------------------------------------------------
def _planned_records(
    records: list[SourceRecord],
    ids: dict[str, str],
    target: _Target,
    source: str,
    plan: ImportPlan,
) -> list[PlannedFile]:
    planned: list[PlannedFile] = []
    record_ids: set[str] = set()
    paths: set[Path] = set()
    for record in records:
        record_id = _record_id(record, record_ids, plan)
        document = _document(record, record_id, ids)
        path = target.marks.get(record.ref)
        if path is None:
            _refuse_a_clash(record, record_id, target)
            path = _new_path(record, target, paths)
            mark = MARK.format(source=source, ref=urllib.parse.quote(record.ref, safe="/:@"))
            text = new_record_text(target.site_dir, path, document, mark)
            planned.append(PlannedFile(path, text.encode("utf-8"), record_id=record_id))
        else:
            before = path.read_bytes()
            now = _plain(before, path)  # a file broken since is refused before ruamel sees it
            data = edited_yaml(before, lambda existing, d=document: _merge_record(existing, d))
            changes = _changed_fields(now, _plain(data, path))
            planned.append(PlannedFile(path, data, before, record_id, tuple(changes)))
        paths.add(path)
    return planned


def _record_id(record: SourceRecord, taken: set[str], plan: ImportPlan) -> str:
    """The source's id for the record, as a Flare id: ``/incidents/<id>/`` keeps the source's
    address where it had one (Statuspage's incident pages)."""
    wanted = re.sub(r"[^A-Za-z0-9._-]+", "-", record.ref).strip("-._")[:120]
    if not re.fullmatch(RECORD_ID_PATTERN, wanted):
        wanted = f"record-{hashlib.sha256(record.ref.encode()).hexdigest()[:8]}"
    record_id = _free_id(wanted, taken)
    if record_id != wanted:
        plan.notes.append(
            Note(record.where, "id", f"{wanted!r} is another record's id here; {record_id!r}")
        )
    taken.add(record_id)
    return record_id


def _refuse_a_clash(record: SourceRecord, record_id: str, target: _Target) -> None:
    other = target.loaded.sources.get(record_id)
    if other is not None:
        raise ImportRefused(
            f"{record.where} would be the record {record_id!r}, and {other} already holds a "
            f"record of that id that this import did not write; nothing was written. Rename "
            "that record (its file, or its id:) and import again"
        )


def _new_path(record: SourceRecord, target: _Target, taken: set[Path]) -> Path:
    """Where ``flare new`` would put it (incidents/YYYY/YYYY-MM-DD-slug.yaml), by its start; a
    draft in incidents/.drafts/, which is neither validated nor published."""
    start = record.window[0] if record.window else record.updates[0].at
    day = start.astimezone(UTC)
    folder = target.incidents_dir / (DRAFTS if record.draft else "") / f"{day:%Y}"
    stem = f"{day:%Y-%m-%d}-{slugify(record.title)}"
    path, number = folder / f"{stem}.yaml", 1
    while path.exists() or path in taken or path.stem in target.loaded.sources:
        number += 1
        path = folder / f"{stem}-{number}.yaml"
    return path


def _document(record: SourceRecord, record_id: str, ids: dict[str, str]) -> CommentedMap:
    """The record as YAML, its fields in the order `flare new` writes them."""
    document = CommentedMap()
    document["id"] = record_id
    if record.kind == "maintenance":
        document["kind"] = "maintenance"
    document["title"] = record.title
    if record.kind == "incident":
        document["impact"] = record.impact
    if record.classification is not None:
        document["classification"] = record.classification
    document["components"] = flow([ids[key] for key in record.components])
    if record.window is not None:
        window = CommentedMap()
        window["start"] = timestamp(record.window[0])
        window["end"] = timestamp(record.window[1])
        document["scheduled"] = window
    previous: str | None = None
    updates = CommentedSeq()
    for update in record.updates:
        entry = CommentedMap()
        entry["at"] = timestamp(update.at)
        entry["status"] = update.status
        if update.components:
            entry["components"] = flow({ids[k]: state for k, state in update.components.items()})
        entry["body"] = markdown_text(update.body)
        if previous == RESOLVED and update.status != RESOLVED:
            entry["reopened"] = True
        previous = update.status
        updates.append(entry)
    document["updates"] = updates
    if record.postmortem is not None:
        postmortem = CommentedMap()
        postmortem["stage"] = "immediate"
        postmortem["imported"] = markdown_text(record.postmortem.text)
        if record.postmortem.published_at is not None:
            published = CommentedMap()
            published["immediate"] = timestamp(record.postmortem.published_at)
            postmortem["published"] = published
        document["postmortem"] = postmortem
    return document


def _merge_record(existing: CommentedMap, planned: CommentedMap) -> None:
    """Bring a file an earlier import wrote up to date: the fields an import writes take the
    planned values, and any other field stays, with the comments of what is kept. A post-mortem
    the team has taken further keeps its stage: only its imported text is brought up to date."""
    postmortem = existing.get("postmortem")
    if "postmortem" in planned and isinstance(postmortem, dict):
        for key in planned["postmortem"]:
            if key == "imported" or key not in postmortem:
                postmortem[key] = planned["postmortem"][key]
        planned = CommentedMap(
            (key, value) for key, value in planned.items() if key != "postmortem"
        )
    _merge(existing, planned, OWNED_FIELDS)


def _merge(existing: Any, planned: Any, owned: tuple[str, ...] | None = None) -> Any:
    """``planned``, written into ``existing`` where both are mappings or lists, so that the
    comments of what stays are kept (a time is always written anew: ruamel would write one it
    read with its fraction in six digits). In a mapping with ``owned`` fields, only those may
    go: the others are the team's own."""
    if isinstance(existing, dict) and isinstance(planned, dict):
        for key in list(existing):
            if key not in planned and (owned is None or key in owned):
                del existing[key]
        for index, key in enumerate(planned):
            inner = UPDATE_FIELDS if key == "updates" else None
            if key in existing:
                existing[key] = _merge(existing[key], planned[key], inner)
            else:
                existing.insert(min(index, len(existing)), key, planned[key])
        return existing
    if isinstance(existing, list) and isinstance(planned, list):
        merged = [_merge(old, new, owned) for old, new in zip(existing, planned, strict=False)]
        existing[:] = [*merged, *planned[len(existing) :]]
        return existing
    return planned


def _plain(data: bytes, path: Path) -> Any:
    """A record file's value as validation reads it (times as their text)."""
    try:
        value = parse_yaml_text(data.decode("utf-8").removeprefix("\ufeff")).value
    except (YamlError, UnicodeDecodeError) as error:
        raise ImportRefused(
            f"{path} cannot be read ({error}); an earlier import wrote it: correct it or "
            "remove it, and import again"
        ) from None
    if not isinstance(value, dict):
        raise ImportRefused(
            f"{path} is not a record any more; an earlier import wrote it: correct it or "
            "remove it, and import again"
        )
    return value


def _changed_fields(before: Any, after: Any, path: str = "") -> list[str]:
    """The fields that differ, in the author's terms: ``title``, ``updates[3] added``."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[str] = []
        for key in after:
            name = f"{path}.{key}" if path else str(key)
            if key not in before:
                changes.append(f"{name} added")
            else:
                changes.extend(_changed_fields(before[key], after[key], name))
        changes.extend(
            f"{path}.{key} removed" if path else f"{key} removed"
            for key in before
            if key not in after
        )
        return changes
    if isinstance(before, list) and isinstance(after, list):
        changes = []
        for index in range(max(len(before), len(after))):
            name = f"{path}[{index}]"
            if index >= len(before):
                changes.append(f"{name} added")
            elif index >= len(after):
                changes.append(f"{name} removed")
            else:
                changes.extend(_changed_fields(before[index], after[index], name))
        return changes
    return [] if before == after else [path]


def _validate(
    files: list[PlannedFile], settings: SiteSettings, records: list[SourceRecord]
) -> None:
    """Every planned record as flare validate would check it (its id is the source's, unique
    here: see _record_id and _refuse_a_clash); InvalidSite with every error, each saying which of
    the source's records it came from."""
    errors: list[Diagnostic] = []
    for planned, record in zip(files, records, strict=True):
        document = parse_yaml_text(planned.data.decode("utf-8"))
        _, diagnostics = validate_record(document, planned.path, settings)
        errors.extend(
            replace(diagnostic, message=f"{diagnostic.message} (from {record.where})")
            for diagnostic in diagnostics
            if diagnostic.severity is Severity.ERROR
        )
    if errors:
        raise InvalidSite(errors)


# -- the report ------------------------------------------------------------------------------------
def report_lines(plan: ImportPlan, *, dry_run: bool) -> list[str]:
    """What the import did (or, in a dry run, would do): each file, the counts, then every note
    on what could not be mapped as it was."""
    site_dir = plan.site_dir
    verb = "Would import" if dry_run else "Imported"
    origin = f" ({plan.source.url})" if plan.source.url else ""
    lines = [f"{verb} from {plan.source.label}{origin} into {site_dir}:"]
    scaffolded = [_shown(planned.path, site_dir) for planned in plan.files if planned.scaffolded]
    if scaffolded:
        lines.append(f"  new      a status site, as flare init makes it: {', '.join(scaffolded)}")
    for planned in plan.files:
        shown = _shown(planned.path, site_dir)
        if planned.scaffolded:
            continue
        if planned.is_new:
            detail = f" ({planned.record_id})" if planned.record_id else ""
            lines.append(f"  new      {shown}{detail}")
        else:
            detail = f" ({planned.record_id})" if planned.record_id else ""
            changes = _listed(list(planned.changes)) or "layout"
            lines.append(f"  updated  {shown}{detail}: {changes}")
    records = [planned for planned in plan.files if planned.record_id]
    new = sum(1 for planned in records if planned.is_new)
    lines.append(
        f"{new} new record(s), {len(records) - new} updated, {len(plan.unchanged)} unchanged; "
        f"{len(plan.components_added)} new component(s)"
        + (f": {', '.join(plan.components_added)}" if plan.components_added else "")
    )
    if plan.notes:
        lines.append(f"Not mapped as it was, and what was done instead ({len(plan.notes)}):")
        notes = sorted(plan.notes, key=lambda note: note.where)  # a record's notes together
        lines.extend(f"  {note.format()}" for note in notes)
    if dry_run:
        lines.append("Dry run: nothing was written.")
    return lines


def dry_run_lines(plan: ImportPlan) -> list[str]:
    """What would be written: each new file whole, each changed file as a diff."""
    lines: list[str] = []
    for planned in plan.files:
        shown = _shown(planned.path, plan.site_dir)
        after = planned.data.decode("utf-8").splitlines()
        if planned.scaffolded:
            lines.append(f"--- new file {shown}, as flare init writes it")
        elif planned.is_new:
            lines.append(f"--- new file {shown}")
            lines.extend(f"+{line}" for line in after)
        else:
            before = (planned.before or b"").decode("utf-8").splitlines()
            lines.extend(difflib.unified_diff(before, after, f"{shown} (now)", shown, lineterm=""))
    return lines


def _shown(path: Path, site_dir: Path) -> str:
    try:
        return str(path.relative_to(site_dir))
    except ValueError:
        return str(path)


def _listed(changes: list[str], most: int = 6) -> str:
    if len(changes) <= most:
        return ", ".join(changes)
    return ", ".join(changes[:most]) + f" and {len(changes) - most} more"
