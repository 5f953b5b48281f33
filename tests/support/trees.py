"""Comparing two built sites file by file, with where each differing file parts."""

from __future__ import annotations

import gzip
from pathlib import Path


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file under ``folder`` with its bytes, and every directory (as None)."""
    return {
        path.relative_to(folder).as_posix(): (path.read_bytes() if path.is_file() else None)
        for path in folder.rglob("*")
    }


def differences(first: Path, second: Path) -> list[str]:
    """One line per path that differs between two output trees, with where it differs."""
    a, b = tree(first), tree(second)
    found = []
    for name in sorted(a.keys() | b.keys()):
        if name not in b:
            found.append(f"{name}: only in the first build")
        elif name not in a:
            found.append(f"{name}: only in the second build")
        elif a[name] != b[name]:
            found.append(f"{name}: {hint(a[name], b[name])}")
    return found


def hint(first: bytes | None, second: bytes | None) -> str:
    """Where two versions of a file part: the first differing line, or byte for binaries."""
    if first is None or second is None:
        return "a file in one build, a directory in the other"
    if first[:2] == second[:2] == b"\x1f\x8b":
        inside = gzip.decompress(first) == gzip.decompress(second)
        return f"gzip {'header only' if inside else 'content'} differs; {hint_bytes(first, second)}"
    try:
        lines = first.decode("utf-8").splitlines(), second.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return hint_bytes(first, second)
    for number, (one, other) in enumerate(zip(*lines, strict=False), start=1):
        if one != other:
            start = max(first_difference(one, other) - 30, 0)
            return f"line {number}: {one[start : start + 90]!r} != {other[start : start + 90]!r}"
    if len(lines[0]) != len(lines[1]):
        return f"{len(lines[0])} lines != {len(lines[1])} lines"
    return hint_bytes(first, second)  # line endings, a final newline


def hint_bytes(first: bytes, second: bytes) -> str:
    return f"{len(first)} != {len(second)} bytes, first at byte {first_difference(first, second)}"


def first_difference(first: str | bytes, second: str | bytes) -> int:
    pairs = zip(first, second, strict=False)
    return next((index for index, (x, y) in enumerate(pairs) if x != y), len(first))
