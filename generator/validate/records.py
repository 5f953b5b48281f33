"""Load and validate: from YAML files on disk to typed records, or every error at once.

Each error names the file, the line and column, the field path and what is allowed; the checks
that need several records (ids unique across files) or the site's settings (component ids) run
here too, so a build never starts on records that would surprise a reader.
"""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.errors import (
    Diagnostic,
    Position,
    Severity,
    format_field_path,
)
from generator.load.explain import explain_validation_error
from generator.load.known import KnownValues
from generator.load.settings import SiteSettings
from generator.load.yamlsource import YamlDocument, YamlError
from generator.model.postmortem import Postmortem
from generator.model.records import Incident, IncidentStatus, Maintenance, Record
from generator.validate.draft_rules import draft_reference, unreviewed_placeholders
from generator.validate.postmortem_rules import (
    blameful_writing,
    postmortem_errors,
    recurrence_errors,
    related_errors,
    unknown_roles,
)

RECORD_SUFFIXES = (".yaml", ".yml")
LONG_OPEN_INCIDENT = timedelta(days=7)
LONG_MAINTENANCE = timedelta(days=7)  # longer than this, a window is probably a wrong date

_KINDS: dict[str, type[Incident] | type[Maintenance]] = {
    "incident": Incident,
    "maintenance": Maintenance,
}


def find_record_files(incidents_dir: Path) -> list[Path]:
    """Every ``*.yaml``/``*.yml`` below ``incidents_dir``, skipping hidden files, in path order."""
    files = [
        path
        for path in incidents_dir.rglob("*")
        if path.suffix.lower() in RECORD_SUFFIXES
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(incidents_dir).parts)
    ]
    return sorted(files)


def validate_document(
    document: YamlDocument, file: Path, settings: SiteSettings
) -> tuple[Record | None, list[Diagnostic]]:
    """Turn one file's YAML into a record, or the errors that stop it."""
    value = document.value
    if value is None:
        return None, [
            _error(
                file,
                "the file is empty; a record is a mapping with title, "
                "impact, components and updates",
            )
        ]
    if not isinstance(value, dict):
        kind = "a list" if isinstance(value, list) else f"the single value {value!r}"
        return None, [
            _error(
                file,
                f"the file holds {kind}; a record is a mapping of fields "
                "(title: ..., impact: ..., ...)",
                document.position_of(()),
            )
        ]
    kind = value.get("kind", "incident")
    model = _KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        message = f"found {kind!r}; allowed: {', '.join(_KINDS)}"
        close = difflib.get_close_matches(str(kind), list(_KINDS), n=1, cutoff=0.6)
        if close:
            message += f" (did you mean {close[0]!r}?)"
        return None, [_error(file, message, document.position_of(("kind",)), "kind")]
    fields = {"id": file.stem, **value}
    try:
        record = model.model_validate(fields, context={"component_ids": settings.component_ids})
    except ValidationError as error:
        diagnostics = explain_validation_error(error, document, file, model)
        if "id" not in value:
            diagnostics = [_about_file_name(d) if d.field == "id" else d for d in diagnostics]
        return None, diagnostics
    diagnostics = []
    if isinstance(record, Incident):
        diagnostics.extend(
            _error(file, message, document.position_of(path), format_field_path(path))
            for path, message in unreviewed_placeholders(record)
        )
    if isinstance(record, Incident) and record.postmortem is not None:
        diagnostics.extend(
            _postmortem_diagnostic(Severity.ERROR, file, document, path, message)
            for path, message in postmortem_errors(record.postmortem, record.resolved_at)
        )
    return (None if diagnostics else record), diagnostics


@dataclass
class LoadedRecords:
    """The records that validated, where each came from, and every error found on the way."""

    records: list[Record] = field(default_factory=list)
    sources: dict[str, Path] = field(default_factory=dict)
    documents: dict[str, YamlDocument] = field(default_factory=dict)
    errors: list[Diagnostic] = field(default_factory=list)


def load_records(
    settings: SiteSettings, incidents_dir: Path, known: KnownValues | None = None
) -> LoadedRecords:
    """Read and validate every record file below ``incidents_dir``; a file whose bytes
    ``known`` has seen is not parsed again."""
    known = known or KnownValues(None)
    loaded = LoadedRecords()
    if not incidents_dir.is_dir():
        loaded.errors.append(
            _error(
                incidents_dir,
                "the incidents folder does not exist; create it or set incidents_dir in mkdocs.yml",
            )
        )
        return loaded
    for file in find_record_files(incidents_dir):
        try:
            document = known.read(file)
        except YamlError as error:
            loaded.errors.append(_error(file, error.message, error.position))
            continue
        record, found = validate_document(document, file, settings)
        loaded.errors.extend(found)
        if record is None:
            continue
        if record.id in loaded.sources:
            other = loaded.sources[record.id].relative_to(incidents_dir.parent)
            origin = "" if "id" in document.value else " (taken from this file's name)"
            loaded.errors.append(
                _error(
                    file,
                    f"the id {record.id!r}{origin} is already used by {other}; "
                    "ids must be unique across all records (rename the file or set id:)",
                    document.position_of(("id",)),
                    "id",
                )
            )
            continue
        loaded.sources[record.id] = file
        loaded.documents[record.id] = document
        loaded.records.append(record)
    started = {
        record.id: record.started_at for record in loaded.records if isinstance(record, Incident)
    }
    incident_ids = started.keys()
    record_ids = {*loaded.sources, *_stems_of_invalid(loaded, incidents_dir)}
    drafts = {record.id for record in loaded.records if record.draft}
    for record in loaded.records:
        if isinstance(record, Incident) and record.postmortem is not None:
            references = [
                (("related", index), related)
                for index, related in enumerate(record.postmortem.related)
            ]
            if record.postmortem.recurrence_of is not None:
                references.append((("recurrence_of",), record.postmortem.recurrence_of))
            loaded.errors.extend(
                _postmortem_diagnostic(
                    Severity.ERROR,
                    loaded.sources[record.id],
                    loaded.documents[record.id],
                    path,
                    message,
                )
                for path, reference in references
                if not record.draft and (message := draft_reference(reference, drafts))
            )
            loaded.errors.extend(
                _postmortem_diagnostic(
                    Severity.ERROR,
                    loaded.sources[record.id],
                    loaded.documents[record.id],
                    path,
                    message,
                )
                for path, message in (
                    *related_errors(record.postmortem, record.id, incident_ids, record_ids),
                    *recurrence_errors(record.postmortem, record, started),
                )
            )
    return loaded


def review_records(loaded: LoadedRecords, now: datetime) -> list[Diagnostic]:
    """Warnings for records that are valid but probably not what the author meant."""
    warnings = []
    for record in loaded.records:
        file, document = loaded.sources[record.id], loaded.documents[record.id]
        for index, update in enumerate(record.updates):
            if update.at > now:
                path = ("updates", index, "at")
                warnings.append(
                    _warning(
                        file,
                        f"posted in the future ({update.at.isoformat()}, now is "
                        f"{now.isoformat()}); check the date and the offset",
                        document.position_of(path),
                        format_field_path(path),
                    )
                )
        if isinstance(record, Incident):
            warnings.extend(_unmarked_reopenings(record, file, document))
        elif record.window.end - record.window.start > LONG_MAINTENANCE:
            length = record.window.end - record.window.start
            warnings.append(
                _warning(
                    file,
                    f"the window is {length.days} days long; maintenance longer than "
                    f"{LONG_MAINTENANCE.days} days is unusual: check the dates and their years",
                    document.position_of(("scheduled",)),
                    "scheduled",
                )
            )
        if isinstance(record, Incident) and record.postmortem is not None:
            if record.is_open_at(now) and _beyond_a_timeline(record.postmortem):
                warnings.append(
                    _warning(
                        file,
                        "the incident is still open; a post-mortem follows its resolution, and "
                        "its stages are due from then",
                        document.position_of(("postmortem",)),
                        "postmortem",
                    )
                )
            warnings.extend(
                _postmortem_diagnostic(Severity.WARNING, file, document, path, message)
                for path, message in [
                    *blameful_writing(record.postmortem),
                    *unknown_roles(record.postmortem),
                ]
            )
        if isinstance(record, Incident) and record.is_open_at(now):
            open_for = now - _opened_at(record, now)
            if open_for > LONG_OPEN_INCIDENT:
                warnings.append(
                    _warning(
                        file,
                        f"the incident has been open for {open_for.days} days; "
                        "add a resolved update once it is over",
                        document.position_of(("updates",)),
                        "updates",
                    )
                )
    return warnings


def _beyond_a_timeline(postmortem: Postmortem) -> bool:
    """Whether a post-mortem holds more than a timeline, which responders rightly keep while an
    incident is open (flare alert begins one with the alert's detection)."""
    return bool(set(postmortem.model_dump(exclude_defaults=True)) - {"stage", "timeline"})


def _opened_at(incident: Incident, now: datetime) -> datetime:
    """When the incident, open at ``now``, was opened: its start, or its last reopening."""
    opened = incident.started_at
    for before, update in itertools.pairwise(incident.timeline):
        if update.at > now:
            break
        if before.status is IncidentStatus.RESOLVED:
            opened = update.at
    return opened


def _unmarked_reopenings(
    incident: Incident, file: Path, document: YamlDocument
) -> list[Diagnostic]:
    """An update after a resolution reopens the incident: say so unless it says it meant to."""
    warnings = []
    file_index = {id(update): index for index, update in enumerate(incident.updates)}
    for before, update in itertools.pairwise(incident.timeline):
        if (
            before.status is IncidentStatus.RESOLVED
            and update.status is not IncidentStatus.RESOLVED
            and not update.reopened
        ):
            path = ("updates", file_index[id(update)], "status")
            warnings.append(
                _warning(
                    file,
                    f"this update reopens the incident resolved at {before.at.isoformat()}; if "
                    "that is meant, add reopened: true (flare update --reopen does), otherwise "
                    "post it to another incident",
                    document.position_of(path),
                    format_field_path(path),
                )
            )
    return warnings


def _stems_of_invalid(loaded: LoadedRecords, incidents_dir: Path) -> list[str]:
    """Ids of files that failed validation, by their file names: a related id naming one is
    not reported again as unknown (the file's own errors say what is wrong)."""
    failed = {diagnostic.file for diagnostic in loaded.errors}
    return [file.stem for file in failed if file.suffix.lower() in RECORD_SUFFIXES]


def _postmortem_diagnostic(
    severity: Severity, file: Path, document: YamlDocument, path: tuple, message: str
) -> Diagnostic:
    full = ("postmortem", *path)
    return Diagnostic(severity, file, message, document.position_of(full), format_field_path(full))


def _about_file_name(diagnostic: Diagnostic) -> Diagnostic:
    """An id taken from the file name: say so, since there is no id: line to point at."""
    return Diagnostic(
        diagnostic.severity,
        diagnostic.file,
        f"the record's id comes from its file name: {diagnostic.message}; "
        "rename the file or set id:",
        diagnostic.position,
        diagnostic.field,
    )


def _error(file: Path, message: str, position: Any = None, field: str = "") -> Diagnostic:
    return Diagnostic(Severity.ERROR, file, message, position, field)


def _warning(file: Path, message: str, position: Position, field: str) -> Diagnostic:
    return Diagnostic(Severity.WARNING, file, message, position, field)
