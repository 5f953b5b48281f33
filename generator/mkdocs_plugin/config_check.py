"""What a build of the site would refuse in mkdocs.yml, found before the build, with its line.

``flare validate`` runs in pre-commit hooks and pull-request checks: when it passes, the deploy's
``flare build`` must pass too. The plugin's own options are checked by the core's schema; this
module checks what the page engine needs of the rest of mkdocs.yml, and is the one place that
knows it: the site's address, the theme Flare's pages are written for and the languages it
speaks, the folder of hand-written pages, the navigation, and hand-written pages that would
stand where Flare puts its own.
"""

from __future__ import annotations

import functools
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.errors import Diagnostic, Severity, format_field_path
from generator.load.settings import SiteSettings
from generator.load.yamlsource import YamlDocument, YamlError, read_yaml_file
from generator.render.i18n import catalog_languages, nearest_catalog
from generator.render.links import (
    STATUS_PAGE_PATH,
    component_page_path,
    history_page_path,
    reliability_page_path,
)

THEME = "material"
PLUGIN = "flare"
# Plugins that read the site's pages or navigation as the build gathers them: listed before
# flare, they run before its pages exist and miss them (a redirect to a status page fails).
NEEDS_FLARES_PAGES = frozenset(
    {"redirects", "awesome-pages", "awesome-nav", "literate-nav", "section-index", "blog"}
)
DEFAULT_DOCS_DIR = "docs"  # MkDocs' default for docs_dir
# Folders whose pages Flare writes: a nav entry may name any page in them.
GENERATED_FOLDERS = ("incidents/", "components/", "history/", "reliability/")


def engine_config_errors(config_file: Path, settings: SiteSettings | None) -> list[Diagnostic]:
    """Every mistake in ``config_file`` that would fail a build, each at its line; ``settings``
    None (themselves wrong, and reported) leaves out what depends on the components."""
    try:
        document = read_yaml_file(config_file, allow_unknown_tags=True)
    except YamlError:
        return []  # reading the plugin's settings reports it already
    config = document.value if isinstance(document.value, dict) else {}
    checks = _Checks(config_file, document)
    checks.site_url(config.get("site_url"))
    checks.plugin_order(config.get("plugins"))
    checks.theme(config.get("theme"))
    checks.language(config.get("theme"))
    docs_dir = config_file.parent / str(config.get("docs_dir") or DEFAULT_DOCS_DIR)
    if checks.docs_dir(docs_dir, "docs_dir" in config) and settings is not None:
        generated = _generated_pages(settings)
        checks.nav(config.get("nav"), docs_dir, generated)
        checks.no_page_in_the_way(docs_dir, generated)
    return checks.found


def engine_config_warnings(config_file: Path) -> list[Diagnostic]:
    """What a build of ``config_file`` would do other than its author may expect, each at its
    line: a ``theme.language`` Flare has no words for, in which its pages stay English."""
    try:
        document = read_yaml_file(config_file, allow_unknown_tags=True)
    except YamlError:
        return []
    config = document.value if isinstance(document.value, dict) else {}
    theme = config.get("theme")
    code = theme.get("language") if isinstance(theme, dict) else None
    if code is None or str(code) not in theme_languages() or nearest_catalog(str(code)):
        return []  # none, one the theme refuses (an error), or one Flare speaks
    path = ("theme", "language")
    return [
        Diagnostic(
            Severity.WARNING,
            config_file,
            untranslated_language_message(str(code)),
            document.position_of(path),
            format_field_path(path),
        )
    ]


@functools.cache
def theme_languages() -> frozenset[str]:
    """The codes mkdocs-material speaks: a file of its words for each (``partials/languages``)."""
    folder = package_files("material") / "templates" / "partials" / "languages"
    return frozenset(
        entry.name.removesuffix(".html")
        for entry in folder.iterdir()
        if entry.name.endswith(".html")
    )


def untranslated_language_message(code: str) -> str:
    return (
        f"Flare has no translation for {code!r} yet, so its pages will be in English (the "
        f"theme's own words follow {code!r}); Flare speaks {', '.join(catalog_languages())}, "
        f"and `python -m generator.render.i18n init {code}` starts a translation"
    )


def _generated_pages(settings: SiteSettings) -> set[str]:
    """The pages Flare writes whatever the records: the status page, the first history page,
    the reliability reports and each component's page."""
    pages = {STATUS_PAGE_PATH, history_page_path(1), reliability_page_path()}
    for component_id in settings.component_ids:
        pages |= {component_page_path(component_id), reliability_page_path(component_id)}
    return pages


class _Checks:
    def __init__(self, config_file: Path, document: YamlDocument) -> None:
        self.config_file, self.document = config_file, document
        self.found: list[Diagnostic] = []

    def _error(self, path: tuple[str | int, ...], message: str, *, key: bool = False) -> None:
        field = format_field_path(path)
        position = self.document.position_of(path, key=key)
        self.found.append(Diagnostic(Severity.ERROR, self.config_file, message, position, field))

    def site_url(self, value: Any) -> None:
        example = "such as https://status.example.com/"
        if value is None:
            self._error(
                (),
                "site_url is missing; feeds, the calendar and the API are read away from the "
                f"site and need its full address, {example}",
            )
            return
        parts = urlsplit(str(value))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self._error(
                ("site_url",),
                f"found {value!r}; site_url is the site's full address with its scheme, {example}",
            )

    def plugin_order(self, value: Any) -> None:
        names = _plugin_names(value)
        for name in plugins_before_flare(names):
            index = names.index(name)
            path = ("plugins", name) if isinstance(value, dict) else ("plugins", index)
            self._error(path, plugin_order_message(name))

    def theme(self, value: Any) -> None:
        name = value.get("name") if isinstance(value, dict) else value
        path: tuple[str, ...] = ("theme", "name") if isinstance(value, dict) else ("theme",)
        if name != THEME:
            found = "no theme" if name is None else f"the theme {name!r}"
            self._error(
                path if value is not None else (),
                f"found {found}; Flare's pages are written for theme: {{name: {THEME}}} "
                "(mkdocs-material)",
            )

    def language(self, theme: Any) -> None:
        code = theme.get("language") if isinstance(theme, dict) else None
        if code is None or str(code) in theme_languages():
            return
        self._error(
            ("theme", "language"),
            f"found {code!r}, a language mkdocs-material does not speak, so the build would "
            f"fail; use one of its codes, such as de, fr, pt-BR or zh-Hant",
        )

    def docs_dir(self, folder: Path, given: bool) -> bool:
        if folder.is_dir():
            return True
        where = ("docs_dir",) if given else ()
        self._error(
            where,
            f"the folder of hand-written pages, {folder.name}/, does not exist; create it (an "
            "About page is enough) or set docs_dir",
        )
        return False

    def nav(self, value: Any, docs_dir: Path, generated: set[str]) -> None:
        if value is None:
            return
        for path, target in _nav_targets(value, ("nav",)):
            if "://" in target or target.startswith(("/", "#", "mailto:")):
                continue
            page = target.split("#", 1)[0]
            if (docs_dir / page).is_file() or page in generated:
                continue
            if page.startswith(GENERATED_FOLDERS):
                continue  # a record's page, or a later history page
            self._error(
                path,
                f"the navigation names {page}, which is neither a page in {docs_dir.name}/ nor "
                "one Flare writes (index.md, history/index.md, reliability/index.md, "
                "components/<id>.md, ...)",
            )

    def no_page_in_the_way(self, docs_dir: Path, generated: set[str]) -> None:
        for page in sorted(generated):
            if (docs_dir / page).is_file():
                self.found.append(
                    Diagnostic(
                        Severity.ERROR,
                        docs_dir / page,
                        f"Flare writes the page {page} itself; rename or remove this file",
                    )
                )


def plugin_order_message(name: str) -> str:
    return (
        f"the {name} plugin is listed before flare, so it runs before Flare's pages exist and "
        f"misses them; list flare before {name} under plugins:"
    )


def plugins_before_flare(names: list[str]) -> list[str]:
    """The plugins in ``names`` (in mkdocs.yml's order) that need Flare's pages and come first."""
    if PLUGIN not in names:
        return []
    return [
        name
        for name in names[: names.index(PLUGIN)]
        if name.rsplit("/", 1)[-1] in NEEDS_FLARES_PAGES  # material/blog is the blog plugin
    ]


def _plugin_names(value: Any) -> list[str]:
    """The plugins' names in mkdocs.yml's order, in its list or mapping form."""
    if isinstance(value, dict):
        return [str(name) for name in value]
    if isinstance(value, list):
        return [
            item if isinstance(item, str) else next(iter(item), "")
            for item in value
            if isinstance(item, str | dict)
        ]
    return []


def _nav_targets(value: Any, path: tuple[str | int, ...]) -> list[tuple[tuple, str]]:
    """Every page a nav entry points at, with where the entry is."""
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, list):
        return [
            found
            for index, item in enumerate(value)
            for found in _nav_targets(item, (*path, index))
        ]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _nav_targets(item, (*path, key))]
    return []
