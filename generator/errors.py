"""The one family of errors that are the author's or the user's to fix.

:class:`FlareError` is its root: a sentence the user acts on. :class:`InvalidSite` carries the
diagnostics of a whole run (every error and warning, each pointing at a file, a line and a
field), so an author fixes everything in one go.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class FlareError(Exception):
    """Something the author or the user got wrong, told in a sentence they can act on.

    Every other exception that escapes Flare is a bug in Flare: the adapters print its
    traceback and say so, instead of dressing it up as the user's mistake.
    """


@dataclass(frozen=True, order=True)
class Position:
    """A place in a source file, counted from 1 as editors count."""

    line: int
    column: int


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One finding about one place in one file.

    ``field`` is the path of the field in the author's terms (``updates[2].status``), empty when
    the finding is about the whole file.
    """

    severity: Severity
    file: Path
    message: str
    position: Position | None = None
    field: str = ""

    def display_path(self, relative_to: Path | None = None) -> str:
        """The file, relative to ``relative_to`` where it lies below it."""
        if relative_to is not None:
            try:
                return str(self.file.resolve().relative_to(relative_to.resolve()))
            except ValueError:
                pass
        return str(self.file)

    def format(self, relative_to: Path | None = None) -> str:
        """``file:line:column: severity: field: message``, as compilers and editors print it."""
        where = self.display_path(relative_to)
        if self.position is not None:
            where += f":{self.position.line}:{self.position.column}"
        subject = f"{self.field}: " if self.field else ""
        return f"{where}: {self.severity}: {subject}{self.message}"

    def github_annotation(self, relative_to: Path | None = None) -> str:
        """A GitHub Actions workflow command, shown on the line in a pull request's diff."""
        properties = {"file": self.display_path(relative_to)}
        if self.position is not None:
            properties |= {"line": str(self.position.line), "col": str(self.position.column)}
        if self.field:
            properties["title"] = self.field
        listed = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
        return f"::{self.severity} {listed}::{_escape_data(self.message)}"

    def as_dict(self, relative_to: Path | None = None) -> dict[str, object]:
        """The diagnostic as plain data, for ``--format json``."""
        return {
            "severity": self.severity.value,
            "file": self.display_path(relative_to),
            "line": self.position.line if self.position else None,
            "column": self.position.column if self.position else None,
            "field": self.field or None,
            "message": self.message,
        }

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        position = self.position or Position(0, 0)
        return (str(self.file), position.line, position.column, self.message)


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """In file, then line order, so a report reads top to bottom like the files."""
    return sorted(diagnostics, key=lambda diagnostic: diagnostic.sort_key)


def format_field_path(path: Sequence[str | int]) -> str:
    """``("updates", 2, "status")`` as ``updates[2].status``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


class InvalidSite(FlareError):
    """Records or settings that cannot be built; carries every error (and warning) of the run."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = sorted_diagnostics(diagnostics)
        errors = [d for d in self.diagnostics if d.severity is Severity.ERROR]
        super().__init__(f"{len(errors)} error(s) in the status records")

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    def report(self, relative_to: Path | None = None) -> str:
        """Every diagnostic on a line of its own, then a count of the errors."""
        lines = [d.format(relative_to) for d in self.diagnostics]
        count = len(self.errors)
        lines.append(f"{count} error{'s' if count != 1 else ''}")
        return "\n".join(lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
