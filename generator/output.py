"""Swapping a freshly built site in where the old one is served from.

A status page is most needed while things are broken, which is when a hurried build is most
likely to fail: the served folder must hold either the old site or the new one, whole, at every
instant. On Linux ``renameat2(RENAME_EXCHANGE)`` swaps two directories in one step; elsewhere two
renames leave a moment with no folder at all, but never a half-written one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def replace_directory(new: Path, target: Path) -> None:
    """Put the directory ``new`` at ``target``, removing what was there; ``new`` is consumed."""
    if not target.exists():
        new.rename(target)
        return
    if _exchange(new, target):
        shutil.rmtree(new)
        return
    retired = target.with_name(f".{target.name}.retired-{os.getpid()}")
    target.rename(retired)
    new.rename(target)
    shutil.rmtree(retired)


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
