"""The reader's dark palette without JavaScript.

mkdocs-material chooses between the palettes of ``theme.palette`` in script: a page opened with
scripts off stays on the first (light) palette even for a reader whose system prefers dark.
Where the site binds a dark palette to ``(prefers-color-scheme: dark)``, Flare adds the theme's
own rules of that palette once more, for pages on which the theme's script has not run (the
theme marks them with ``html.no-js`` and removes the mark as its script starts) and only when
the reader prefers dark: the same colours as with scripts, chosen by CSS.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

DARK_MEDIA = "(prefers-color-scheme: dark)"
# The theme's stylesheet of its palettes, in each of its template folders.
THEME_PALETTE_GLOB = "assets/stylesheets/palette.*.min.css"


def schemes_by_preference(palette: Any) -> tuple[str, str] | None:
    """The first palette's scheme and the scheme bound to a dark preference, when the site binds
    one that differs from the first; otherwise None, and there is nothing to add."""
    if not isinstance(palette, list) or not palette:
        return None
    first = _scheme(palette[0])
    for entry in palette:
        if isinstance(entry, dict) and entry.get("media", "").strip() == DARK_MEDIA:
            dark = _scheme(entry)
            return (first, dark) if dark != first else None
    return None


def dark_without_script(theme_dirs: Sequence[str], palette: Any, own_css: str) -> str:
    """The rules of the dark scheme, from the theme's palette stylesheet and Flare's own
    ``own_css``, for a page without scripts whose reader prefers dark; empty when the site has
    no dark palette bound to that preference."""
    schemes = schemes_by_preference(palette)
    if schemes is None:
        return ""
    first, dark = schemes
    sources = [path.read_text(encoding="utf-8") for path in _theme_palettes(theme_dirs)[:1]]
    rules = [
        _within(media, _without_script(selector, first, dark) + "{" + body + "}")
        for css in (*sources, own_css)
        for media, selector, body in style_rules(css)
        if _is_scheme_rule(selector, dark)
    ]
    if not rules:
        return ""
    return (
        "/* The dark palette for a page without scripts whose reader prefers dark "
        "(generator/mkdocs_plugin/palette.py). */\n"
        f"@media {DARK_MEDIA} {{\n" + "\n".join(rules) + "\n}\n"
    )


def theme_colours(palette: Any) -> dict[str, str]:
    """The colour attributes the theme writes on ``<body>`` for ``theme.palette``: its first
    palette's scheme, primary and accent colours; none when the site sets no palette."""
    if isinstance(palette, list):
        palette = palette[0] if palette else None
    if not isinstance(palette, dict):
        return {}
    return {
        f"data-md-color-{name}": str(palette.get(name) or default).replace(" ", "-")
        for name, default in (("scheme", "default"), ("primary", "indigo"), ("accent", "indigo"))
    }


def primary_colours(theme_dirs: Sequence[str], palette: Any) -> str:
    """The theme's rules that give the site's primary colour (its header's) its values, for a
    page without the theme's stylesheet: the light layout of the status page."""
    primary = theme_colours(palette).get("data-md-color-primary")
    if primary is None:
        return ""
    wanted = re.compile(r'\[data-md-color-primary=(["\']?)' + re.escape(primary) + r"\1\]")
    rules = []
    for path in _theme_palettes(theme_dirs)[:1]:
        for media, selector, body in style_rules(path.read_text(encoding="utf-8")):
            parts = [part.strip() for part in selector.split(",")]
            named = [part for part in parts if wanted.fullmatch(part)]
            if named and not media:
                rules.append(",".join(named) + "{" + body + "}")
    if not rules:
        return ""
    return (
        "/* The site's primary colour, for the light layout "
        "(generator/mkdocs_plugin/palette.py). */\n" + "\n".join(rules) + "\n"
    )


def style_rules(css: str) -> Iterator[tuple[tuple[str, ...], str, str]]:
    """Each style rule of ``css`` as (the preludes of the ``@media`` blocks around it, selector,
    declarations); rules in other at-rules (``@font-face``, ``@keyframes``) are left out."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    css = re.sub(r"@(charset|import)[^;]*;", "", css)
    stack: list[str] = []  # the open blocks' preludes
    start = 0
    for index, character in enumerate(css):
        if character == "{":
            stack.append(css[start:index].strip())
            start = index + 1
        elif character == "}":
            if stack and not stack[-1].startswith("@"):
                outer = stack[:-1]
                if all(prelude.startswith("@media") for prelude in outer):
                    yield tuple(outer), stack[-1], css[start:index].strip()
            if stack:
                stack.pop()
            start = index + 1


def _within(media: tuple[str, ...], rule: str) -> str:
    for prelude in reversed(media):
        rule = f"{prelude}{{{rule}}}"
    return rule


def _scheme(entry: Any) -> str:
    scheme = entry.get("scheme") if isinstance(entry, dict) else None
    return str(scheme or "default").replace(" ", "-")


def _theme_palettes(theme_dirs: Sequence[str]) -> list[Path]:
    return [path for folder in theme_dirs for path in sorted(Path(folder).glob(THEME_PALETTE_GLOB))]


def _scheme_pattern(scheme: str) -> re.Pattern[str]:
    return re.compile(r'\[data-md-color-scheme=(["\']?)' + re.escape(scheme) + r"\1\]")


def _is_scheme_rule(selector: str, scheme: str) -> bool:
    """A rule of the scheme, not one that applies to every scheme but it (``:not(...)``)."""
    return bool(_scheme_pattern(scheme).search(selector)) and ":not(" not in selector


def _without_script(selector: str, first: str, dark: str) -> str:
    """``[data-md-color-scheme=slate] x`` -> ``.no-js [data-md-color-scheme="default"] x``."""
    return ",".join(
        _scheme_pattern(dark).sub(f'.no-js [data-md-color-scheme="{first}"]', part.strip(), 1)
        for part in selector.split(",")
        if _scheme_pattern(dark).search(part)
    )
