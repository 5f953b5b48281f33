"""The valid site: settings and records that passed every check, as the public may see them.

:func:`load_site` is where loading and validation meet: it reads ``mkdocs.yml`` and every record
below the incidents folder, reports every error of the run at once, and strips internal
post-mortem content and every draft (a record or an update not reviewed yet) before any later
stage sees a record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from generator.errors import Diagnostic, InvalidSite, sorted_diagnostics
from generator.load.known import KnownValues
from generator.load.settings import DEFAULT_NAME, SiteSettings, read_config
from generator.model.records import Incident, Maintenance, Record, with_updates
from generator.validate.records import load_records, review_records


@dataclass(frozen=True)
class Site:
    settings: SiteSettings
    records: tuple[Record, ...]  # public content only, by (start, id)
    sources: dict[str, Path] = field(default_factory=dict)
    warnings: tuple[Diagnostic, ...] = ()
    name: str = DEFAULT_NAME  # MkDocs' site_name
    drafts: tuple[str, ...] = ()  # ids of the records not reviewed yet: validated, shown nowhere

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
        (public for record in loaded.records if (public := _public(record)) is not None),
        key=lambda record: (record.started_at, record.id),
    )
    shown = {record.id for record in records}
    return Site(
        settings,
        tuple(records),
        loaded.sources,
        tuple(sorted_diagnostics(warnings)),
        name or DEFAULT_NAME,
        tuple(record.id for record in loaded.records if record.id not in shown),
    )


def _public(record: Record) -> Record | None:
    """The record as the public site may show it, None for a draft: drafts, draft updates and
    internal post-mortem content removed here, before any page, feed or API sees the record,
    so nothing unreviewed or internal can leak by mistake."""
    if record.draft:
        return None
    if isinstance(record, Incident):
        reviewed = [update for update in record.updates if not update.draft]
        if not reviewed:
            return None
        record = with_updates(record, reviewed)
        if record.postmortem is not None:
            return record.model_copy(update={"postmortem": record.postmortem.public()})
    return record
