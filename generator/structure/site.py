"""A status site's data: its settings and the records that validated, with their files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.structure.components import SiteSettings
from generator.structure.records import Incident, Maintenance, Record


@dataclass(frozen=True)
class Site:
    settings: SiteSettings
    records: tuple[Record, ...]
    sources: dict[str, Path] = field(default_factory=dict)
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def incidents(self) -> list[Incident]:
        return [record for record in self.records if isinstance(record, Incident)]

    @property
    def maintenances(self) -> list[Maintenance]:
        return [record for record in self.records if isinstance(record, Maintenance)]
