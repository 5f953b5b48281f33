"""The Nu HTML Checker (vnu.jar, from the npm package vnu-jar) run over a built site folder.

    messages = run_vnu(site_dir)
    assert html_errors(without_known_material_messages(messages)) == []

One Java process checks every HTML file under the folder (about 2 s). The jar comes from
``npm ci`` (``make test-tools``); the machine's Java 17 runs it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from . import NODE_MODULES

VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

# mkdocs-material's base template puts autocomplete="off" on its two hidden checkbox toggles
# (the navigation drawer and the search), which HTML does not allow on a checkbox. vnu reports
# this message once for each of the two inputs below on every page built with the theme.
MATERIAL_AUTOCOMPLETE_MESSAGE = (
    "Attribute \u201cautocomplete\u201d is only allowed when the input type is \u201ccolor\u201d, "
    "\u201cdate\u201d, \u201cdatetime-local\u201d, \u201cemail\u201d, \u201chidden\u201d, "
    "\u201cmonth\u201d, \u201cnumber\u201d, \u201cpassword\u201d, \u201crange\u201d, "
    "\u201csearch\u201d, \u201ctel\u201d, \u201ctext\u201d, \u201ctime\u201d, \u201curl\u201d, "
    "or \u201cweek\u201d."
)
MATERIAL_TOGGLES = (
    '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" '
    'autocomplete="off">',
    '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" '
    'autocomplete="off">',
)


def vnu_missing_reason() -> str | None:
    """Why vnu cannot run here, or None when it can."""
    if shutil.which("java") is None:
        return "java is not installed: vnu.jar needs Java 17 or newer"
    if not VNU_JAR.is_file():
        return (
            f"{VNU_JAR.relative_to(NODE_MODULES.parent)} is missing: run `make test-tools` (npm ci)"
        )
    return None


def run_vnu(folder: Path | str) -> list[dict[str, Any]]:
    """Check every HTML file under ``folder``; return vnu's messages (its JSON ``messages``).

    Each message has ``type`` ("error", "info" with ``subType`` "warning", or
    "non-document-error"), ``url`` (file:...), ``message``, and usually ``lastLine``,
    ``firstColumn``/``lastColumn`` and ``extract``.
    """
    folder = Path(folder)
    if not any(folder.rglob("*.html")):
        # vnu exits 0 with no messages for a folder that does not exist or holds no HTML.
        raise FileNotFoundError(f"no HTML files to check under {folder}")
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--skip-non-html", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # The JSON report goes to stderr; exit status 1 only means "errors were found".
    try:
        report = json.loads(result.stderr)
    except json.JSONDecodeError:
        raise RuntimeError(
            f"vnu exited {result.returncode} without a JSON report:\n"
            f"{result.stderr[-2000:]}{result.stdout[-2000:]}"
        ) from None
    return report["messages"]


def _material_toggle(message: dict[str, Any]) -> str | None:
    """The toggle tag a message is about, when it is vnu's ``autocomplete`` error on one of
    mkdocs-material's two toggles: same type, same wording, and the marked part of the extract
    is exactly that tag."""
    if message.get("type") != "error" or message.get("message") != MATERIAL_AUTOCOMPLETE_MESSAGE:
        return None
    start, length = message.get("hiliteStart"), message.get("hiliteLength")
    if not isinstance(start, int) or not isinstance(length, int):
        return None
    marked = message.get("extract", "")[start : start + length]
    return marked if marked in MATERIAL_TOGGLES else None


def is_known_material_message(message: dict[str, Any]) -> bool:
    """True only for vnu's error about ``autocomplete`` on one of mkdocs-material's toggles."""
    return _material_toggle(message) is not None


def without_known_material_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``messages`` without mkdocs-material's two ``autocomplete`` errors: at most one for each
    of the two toggles on each page. Everything else, repeats included, is kept."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for message in messages:
        toggle = _material_toggle(message)
        key = (message.get("url", ""), toggle or "")
        if toggle is not None and key not in seen:
            seen.add(key)
            continue
        kept.append(message)
    return kept


def html_errors(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages that are errors (not the "info"/warning ones)."""
    return [m for m in messages if m.get("type") in {"error", "non-document-error"}]


def describe(messages: list[dict[str, Any]], root: Path | str | None = None) -> str:
    """One ``file:line:column: type: message`` line per message, for assertion output."""
    prefix = f"file:{Path(root).resolve()}/" if root is not None else None
    lines = []
    for m in messages:
        url = m.get("url", "?")
        if prefix and url.startswith(prefix):
            url = url[len(prefix) :]
        kind = m.get("subType") or m.get("type")
        lines.append(
            f"{url}:{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}: "
            f"{kind}: {m.get('message')}"
        )
    return "\n".join(lines)
