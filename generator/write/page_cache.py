"""Pages kept between builds, so that a rebuild renders only the pages whose inputs changed.

A page is kept under a key made of everything its bytes are made from: the code that renders it
(:func:`code_fingerprint`), the page engine's facts (its version, theme and configuration, which
the adapter fingerprints), and the page's own view, derived from the records at the build's
instant. A view that reads the time ("in progress", "3 days ago", a bar moving by a day) is a
new view when the time changes it, and so a new key: nothing kept can be stale, only unused.

The keys are made by :func:`fingerprint`, a hash of a value's content that is the same in every
process (unlike ``hash()`` and pickle, which depend on the order of sets): two builds agree on a
key exactly when the values agree. A type it does not know is refused, not guessed, so a view
that grows a new kind of field cannot be cached under a key that misses it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel

import generator
from generator.__about__ import __version__

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows, where builds share no lock
    fcntl = None  # type: ignore[assignment]

SUFFIX = ".html"
LOCK = ".lock"
# The package's files whose change changes a page: its code, templates, styles and catalogs.
CODE_FILES = ("*.py", "*.html", "*.css", "*.js", "*.mo", "*.po")

Unknown = Callable[[object], object]


def fingerprint(*values: object, unknown: Unknown | None = None) -> str:
    """A hex digest of ``values``' content, equal across processes exactly when they are.

    ``unknown`` turns a value of a type not listed here into one that is (the adapter gives the
    engine's configuration objects this way); without it such a value raises TypeError."""
    digest = hashlib.blake2b(digest_size=20)
    for value in values:
        _feed(digest.update, value, unknown)
    return digest.hexdigest()


def _feed(write: Callable[[bytes], object], value: object, unknown: Unknown | None) -> None:
    """Write ``value`` as a tagged, length-delimited sequence: no two values write the same."""
    if value is None or isinstance(value, (bool, int, float, str, bytes, enum.Enum)):
        text = repr(value).encode("utf-8", "surrogatepass")  # an Enum's repr names its class
        write(b"%d:%s;" % (len(text), text))
    elif isinstance(value, (datetime, date, time, timedelta, tzinfo, Path)):
        text = f"{type(value).__name__}:{value!r}".encode()
        write(b"%d:%s;" % (len(text), text))
    elif isinstance(value, BaseModel):  # its JSON holds every field, in the model's order
        kind = type(value)
        text = f"{kind.__module__}.{kind.__qualname__}:".encode() + value.model_dump_json().encode()
        write(b"%d:%s;" % (len(text), text))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = ((field.name, getattr(value, field.name)) for field in dataclasses.fields(value))
        _feed_fields(write, type(value), fields, unknown)
    elif isinstance(value, Mapping):
        write(b"{%d" % len(value))
        for key, item in value.items():
            _feed(write, key, unknown)
            _feed(write, item, unknown)
        write(b"}")
    elif isinstance(value, (tuple, list)):
        write(b"[%d" % len(value))
        for item in value:
            _feed(write, item, unknown)
        write(b"]")
    elif isinstance(value, (set, frozenset)):
        members = sorted(fingerprint(item, unknown=unknown) for item in value)
        write(b"<%d%s>" % (len(members), "".join(members).encode()))
    elif unknown is not None:
        _feed(write, unknown(value), None)
    else:
        raise TypeError(f"cannot fingerprint a {type(value).__qualname__}: {value!r:.80}")


def _feed_fields(
    write: Callable[[bytes], object],
    kind: type,
    fields: Iterable[tuple[str, object]],
    unknown: Unknown | None,
) -> None:
    write(f"({kind.__module__}.{kind.__qualname__}".encode())
    for name, item in fields:
        write(name.encode() + b"=")
        _feed(write, item, unknown)
    write(b")")


def code_fingerprint() -> str:
    """Flare's version and the content of its package's files: a change to a template, a style
    or the code behind a page, released or not, makes every key new."""
    root = Path(generator.__file__).parent
    digest = hashlib.blake2b(__version__.encode(), digest_size=20)
    for pattern in CODE_FILES:
        for path in sorted(root.rglob(pattern)):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class PageCache:
    """Built pages kept in ``folder``, a file each, named by key.

    One build at a time uses a folder: a build that finds it taken builds without it
    (:meth:`open` gives None). A build stores its new pages once they are final and then removes
    every page but its own, so the folder holds one site's pages and no more.
    """

    def __init__(self, folder: Path, lock: IO[bytes]) -> None:
        self.folder = folder
        self._lock = lock

    @classmethod
    def open(cls, folder: Path) -> PageCache | None:
        """The cache in ``folder``, taken for this build; None while another build has it or
        when it cannot be written (a read-only checkout builds as if it had no cache)."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
            lock = (folder / LOCK).open("ab")
        except OSError:
            return None
        if fcntl is not None:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                lock.close()
                return None
        return cls(folder, lock)

    def close(self) -> None:
        self._lock.close()  # which releases the lock

    def has(self, key: str) -> bool:
        return self._path(key).is_file()

    def read(self, key: str) -> str:
        """A kept page, which :meth:`has` found in this build (the lock keeps it there)."""
        return self._path(key).read_text(encoding="utf-8")

    def store(self, key: str, built: Path) -> None:
        """Keep the built page ``built`` (a copy: the site may be edited after the build)."""
        with _new_file(self.folder) as kept:
            with built.open("rb") as source:
                shutil.copyfileobj(source, kept)
        os.replace(kept.name, self._path(key))

    def keep_only(self, keys: Iterable[str]) -> None:
        """Remove every page but those of ``keys`` (the pages of this build), and what an
        interrupted build left half-written."""
        kept = {self._path(key).name for key in keys} | {LOCK}
        for path in self.folder.iterdir():
            if path.name not in kept:
                path.unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}{SUFFIX}"


@contextlib.contextmanager
def _new_file(folder: Path) -> Iterator[Any]:
    """A temporary file in ``folder``, removed unless renamed: a page is kept whole or not."""
    kept = tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False)
    try:
        with kept:
            yield kept
    except BaseException:
        Path(kept.name).unlink(missing_ok=True)
        raise
