"""The valid site: settings and records that passed every check, as the public may see them.

:func:`load_site` is where loading and validation meet: it reads ``mkdocs.yml`` and every record
below the incidents folder, reports every error of the run at once, and strips internal
post-mortem content before any later stage sees a record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from generator.errors import Diagnostic, InvalidSite, sorted_diagnostics
from generator.load.known import KnownValues
from generator.load.settings import DEFAULT_NAME, SiteSettings, read_config
from generator.model.records import Incident, Maintenance, Record
from generator.validate.records import load_records, review_records


@dataclass(frozen=True)
class Site:
    settings: SiteSettings
    records: tuple[Record, ...]  # public content only, by (start, id)
    sources: dict[str, Path] = field(default_factory=dict)
    warnings: tuple[Diagnostic, ...] = ()
    name: str = DEFAULT_NAME  # MkDocs' site_name

    @property
    def incidents(self) -> list[Incident]:
        return [record for record in self.records if isinstance(record, Incident)]

    @property
    def maintenances(self) -> list[Maintenance]:
        return [record for record in self.records if isinstance(record, Maintenance)]


def load_site(
    config_file: Path, now: datetime, settings: SiteSettings | None = None, name: str | None = None
) -> Site:
    """The settings in ``config_file`` (unless given) and every record under its incidents_dir.

    Raises InvalidSite carrying every error of the run (and the warnings) when anything is wrong,
    so an author fixes all of it in one go.
    """
    if settings is None:
        config = read_config(config_file)
        settings, name = config.settings, name or config.name
    incidents_dir = config_file.parent / settings.incidents_dir
    known = KnownValues.beside(config_file) if settings.cache else KnownValues(None)
    loaded = load_records(settings, incidents_dir, known)
    known.save()
    warnings = review_records(loaded, now)
    if loaded.errors:
        raise InvalidSite([*loaded.errors, *warnings])
    records = sorted(
        (_public(record) for record in loaded.records),
        key=lambda record: (record.started_at, record.id),
    )
    return Site(
        settings,
        tuple(records),
        loaded.sources,
        tuple(sorted_diagnostics(warnings)),
        name or DEFAULT_NAME,
    )


def _public(record: Record) -> Record:
    """The record as the public site may show it: internal post-mortem content removed here,
    before any page, feed or API sees the record, so nothing internal can leak by mistake."""
    if isinstance(record, Incident) and record.postmortem is not None:
        return record.model_copy(update={"postmortem": record.postmortem.public()})
    return record
