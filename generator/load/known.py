"""Record files' values kept between runs by content, so that `flare validate` and a build
parse only the files that changed.

A site's files are read whole every run (reading and hashing ten thousand records takes a
tenth of a second); a file whose bytes were seen before gets the value they gave then, and only
where its values start is left to find, when something asks (:class:`KnownDocument`). The
values are kept with the version of Flare and of PyYAML and the reader's own code: any change
there reads every file again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

import yaml

from generator.__about__ import __version__
from generator.load import yamlsource
from generator.load.yamlsource import (
    KnownDocument,
    YamlDocument,
    decode_text,
    parse_yaml_text,
    read_file_bytes,
)

# The folder beside mkdocs.yml where Flare keeps what it can reuse, as Material's plugins do.
CACHE_DIR = Path(".cache", "flare")
FILE_NAME = "records.pickle"


def prepare_cache_folder(folder: Path) -> None:
    """Create ``folder`` (under CACHE_DIR) with a .gitignore of its own, as pytest and ruff do
    with theirs, so that git never offers to commit it. OSError where it cannot be written."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# What Flare keeps between runs, made anew when removed.\n*\n", "utf-8")


class KnownValues:
    """The values of the record files read by earlier runs, by the hash of their bytes."""

    def __init__(self, path: Path | None) -> None:
        """``path``: the file they are kept in; None keeps nothing between runs."""
        self.path = path
        self._known: dict[bytes, Any] = self._read() if path is not None else {}
        self._seen: dict[bytes, Any] = {}

    @classmethod
    def beside(cls, config_file: Path) -> KnownValues:
        """The values kept for the site whose configuration is ``config_file``."""
        return cls(config_file.parent / CACHE_DIR / FILE_NAME)

    def read(self, path: Path) -> YamlDocument:
        """The document in ``path``; YamlError for a file that is not a readable YAML one."""
        data = read_file_bytes(path)
        key = hashlib.blake2b(data, digest_size=16).digest()
        text = decode_text(data)
        if key in self._known:
            self._seen[key] = self._known[key]
            return KnownDocument(self._known[key], text)
        document = parse_yaml_text(text)
        self._seen[key] = document.value
        return document

    def save(self) -> None:
        """Keep the values of the files this run read, and no others; nothing when they are the
        ones kept already or the folder cannot be written (the next run parses again)."""
        if self.path is None or self._seen.keys() == self._known.keys():
            return
        with contextlib.suppress(OSError):
            prepare_cache_folder(self.path.parent)
            with tempfile.NamedTemporaryFile(
                dir=self.path.parent, suffix=".part", delete=False
            ) as kept:
                pickle.dump((_version(), self._seen), kept, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(kept.name, self.path)

    def _read(self) -> dict[bytes, Any]:
        assert self.path is not None
        try:
            with self.path.open("rb") as kept:
                version, values = pickle.load(kept)
        except FileNotFoundError:
            return {}
        except Exception:  # noqa: BLE001 - a damaged or foreign file: read every record again
            return {}
        return values if version == _version() and isinstance(values, dict) else {}


def _version() -> tuple[str, str, bytes]:
    reader = Path(yamlsource.__file__).read_bytes()
    return __version__, yaml.__version__, hashlib.blake2b(reader, digest_size=16).digest()
