"""Building a site beside the served one and swapping it in whole, even when interrupted.

A status page is most needed while things are broken, which is when a hurried build is most
likely to fail or be cancelled: the served folder must hold either the old site or the new one,
whole, at every instant. The site is built in a new folder beside the served one, and only a
complete build is swapped in. On Linux ``renameat2(RENAME_EXCHANGE)`` swaps two directories in
one step; elsewhere two renames leave a moment with no folder at all, but never a half-written
one.

SIGINT, SIGTERM and SIGHUP during a build become :class:`Interrupted` (a ``BaseException``,
like ``KeyboardInterrupt``, so that no library's ``except Exception`` swallows it): the
half-built folder is removed and the served one is not touched. The swap and the clean-ups are
never cut short: a signal arriving during them is held until they are done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import FlareError

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2

STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Interrupted(BaseException):
    """A stop signal arrived during a build; ``swapped`` tells whether the new site was already
    in place (the signal came during the swap, which is always finished)."""

    def __init__(self, signum: int, *, swapped: bool = False) -> None:
        super().__init__(signum)
        self.signum = signum
        self.swapped = swapped

    @property
    def signal_name(self) -> str:
        return signal.Signals(self.signum).name


def build_and_replace(target: Path, build: Callable[[Path], None]) -> None:
    """Run ``build`` on a new empty folder beside ``target``, then put that folder at ``target``.

    When ``build`` raises, or a stop signal arrives before the swap, the new folder is removed,
    ``target`` is left exactly as it was and the exception (:class:`Interrupted` for a signal)
    propagates. The new folder is named ``.<target name>.building-*``, on the same file system
    as ``target`` so the swap is a rename, and readable as the umask allows (a web server running
    as another user must read the site).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_folders(target)
    _check_replaceable(target)
    with _StopSignals() as signals:
        staging: Path | None = None
        prefix = f".{target.name}.building-{os.getpid()}-"
        try:
            with signals.held():
                staging = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
            signals.raise_pending()
            staging.chmod(0o777 & ~_umask())  # mkdtemp's 0700 would hide the site
            build(staging)
            signals.hold()  # from the swap on, nothing may stop half-way
            replace_directory(staging, target)
        except BaseException:
            signals.hold()
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            raise
        if signals.received is not None:
            raise Interrupted(signals.received, swapped=True)


class CannotReplace(FlareError):
    """The served site cannot be replaced whole; nothing was built or changed."""


def remove_stale_folders(target: Path) -> None:
    """Remove what killed builds left beside ``target``: a staging or retired folder whose
    process (named in the folder's name) is gone. A running build's folders stay."""
    for pattern in (f".{target.name}.building-*", f".{target.name}.retired-*"):
        for folder in target.parent.glob(pattern):
            pid = _owner(folder.name)
            if folder.is_dir() and (pid is None or not _alive(pid)):
                shutil.rmtree(folder, ignore_errors=True)


def _owner(name: str) -> int | None:
    """The process id in ``.site.building-<pid>-xyz`` or ``.site.retired-<pid>``."""
    match = re.search(r"\.(?:building|retired)-(\d+)(?:-|$)", name)
    return int(match[1]) if match else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _check_replaceable(target: Path) -> None:
    """Refuse, before building, a site whose old files could not be removed once the new one
    is in place: a read-only folder in it would be left behind under another name."""
    if not target.is_dir():
        return
    for folder, _, _ in os.walk(target):
        if not os.access(folder, os.W_OK | os.X_OK):
            raise CannotReplace(
                f"cannot replace {target}: {folder} is read-only, so the old site could not be "
                f"removed once the new one is in place; make it writable (chmod -R u+w "
                f"{target}) or build elsewhere with -d"
            )


def replace_directory(new: Path, target: Path) -> None:
    """Put the directory ``new`` at ``target``, removing what was there; ``new`` is consumed.

    Once ``new`` is in place nothing raises: the old site is removed on a best-effort basis.
    """
    if not target.exists():
        new.rename(target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)
        return
    retired = target.with_name(f".{target.name}.retired-{os.getpid()}")
    target.rename(retired)
    try:
        new.rename(target)
    except BaseException:
        retired.rename(target)  # never leave no site at all
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically; False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return result == 0


class _StopSignals:
    """While active, the first stop signal raises :class:`Interrupted`, except inside
    ``held()``, where it waits; later signals are only recorded, so that a second Ctrl-C cannot
    cut the clean-up of the first short.

    A signal the process ignores (``nohup`` ignores SIGHUP, a shell's background job SIGINT)
    stays ignored, and nothing changes outside the main thread, where Python allows no handler.
    """

    def __init__(self) -> None:
        self.received: int | None = None
        self._holding = 0
        self._previous: dict[int, object] = {}

    def __enter__(self) -> _StopSignals:
        if threading.current_thread() is threading.main_thread():
            for signum in STOP_SIGNALS:
                previous = signal.getsignal(signum)
                if previous is not signal.SIG_IGN:
                    self._previous[signum] = previous
                    signal.signal(signum, self._on_signal)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for signum, previous in self._previous.items():
            signal.signal(signum, signal.SIG_DFL if previous is None else previous)

    def _on_signal(self, signum: int, frame: object) -> None:
        if self.received is not None:
            return
        self.received = signum
        if not self._holding:
            raise Interrupted(signum)

    @contextmanager
    def held(self) -> Iterator[None]:
        """Signals arriving inside the block wait until it has ended."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1

    def hold(self) -> None:
        """Signals arriving from now on only wait (see ``received``)."""
        self._holding += 1

    def raise_pending(self) -> None:
        if self.received is not None:
            raise Interrupted(self.received)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
