"""What MkDocs puts into each of Flare's pages besides the page's own view, as one fingerprint.

A page the theme lays out carries the site's navigation (every hand-written page's title), the
configuration (name, palette, features, extra files, other plugins' options), the theme's
templates and the engine's version. :func:`engine_fingerprint` hashes all of them, so a change
to any one renders every page again; the page cache (:mod:`generator.write.page_cache`) adds each
page's view to make its key.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Collection
from pathlib import Path
from types import ModuleType

import mkdocs
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.utils import get_build_datetime

from generator.write.page_cache import fingerprint

# The template a page taken from the cache is "rendered" with: it is replaced whole.
KEPT_PAGE_TEMPLATE = "flare-kept-page.html"
# Configuration that differs between builds of one site without changing a page.
PER_BUILD = frozenset({"site_dir", "dev_addr", "plugins", "theme"})


def engine_fingerprint(config: MkDocsConfig, files: Files, generated: Collection[str]) -> str:
    """The engine's part of every page's key: its version, the configuration, each plugin's
    options, the theme's templates and the site's other files (Flare's own, ``generated``, are
    each page's own part: a record added or removed changes only the pages that show it)."""
    theme = config.theme
    templates, uses_build_date = _templates_fingerprint(theme.dirs)
    plugins = [_plugin_fingerprint(name, plugin) for name, plugin in config.plugins.items()]
    sources = [
        (file.src_uri, file.content_bytes if file.is_documentation_page() else b"")
        for file in files
        if file.src_uri not in generated
    ]
    return fingerprint(
        mkdocs.__version__,
        _versions(config),
        [(key, value) for key, value in config.items() if key not in PER_BUILD],
        (theme.name, list(theme.dirs), sorted(theme.static_templates), dict(theme)),
        plugins,
        templates,
        # A template that prints the build's date makes each build's pages new.
        get_build_datetime() if uses_build_date else None,
        sources,
        unknown=repr,  # an option of a type not listed: its repr (at worst a key never reused)
    )


def _plugin_fingerprint(name: str, plugin: object) -> tuple[object, ...]:
    """A plugin's class and options; a hook (a module of mkdocs.yml's ``hooks:``), its code."""
    if isinstance(plugin, ModuleType):
        source = getattr(plugin, "__file__", None)
        return name, Path(source).read_bytes() if source else b""
    kind = type(plugin)
    return name, kind.__module__, kind.__qualname__, dict(getattr(plugin, "config", None) or {})


def _templates_fingerprint(folders: list[str]) -> tuple[str, bool]:
    """The content of every template in the theme's folders (custom_dir first), and whether
    one of them prints the build's date."""
    digest = hashlib.blake2b(digest_size=20)
    uses_build_date = False
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.html")):
            content = path.read_bytes()
            uses_build_date = uses_build_date or b"build_date_utc" in content
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + content)
    return digest.hexdigest(), uses_build_date


def _versions(config: MkDocsConfig) -> list[tuple[str, str]]:
    """The version of each plugin's package (the theme's plugins included), where it has one."""
    packages = {
        type(plugin).__module__.partition(".")[0]
        for plugin in config.plugins.values()
        if not isinstance(plugin, ModuleType)
    }
    packages.add(str(config.theme.name or ""))
    return [
        (name, str(getattr(sys.modules.get(name), "__version__", ""))) for name in sorted(packages)
    ]
