"""The ``flare`` MkDocs plugin: load and validate the records, then add the status pages.

MkDocs is the page engine here, not the data model: the plugin asks the core for the views of
each page, has them rendered by the core's templates, and only decides where the pages go, how
MkDocs links them and which of them appear in the navigation.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from html import escape, unescape
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import ChoiceLoader, DictLoader, Environment
from mkdocs.config.base import ValidationError as ConfigValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from generator.derive.clock import build_instant
from generator.derive.snapshot import Snapshot, derive_snapshot
from generator.errors import FlareError, InvalidSite
from generator.load.known import CACHE_DIR, prepare_cache_folder
from generator.load.settings import SiteSettings, read_settings, settings_from_options
from generator.mkdocs_plugin import search
from generator.mkdocs_plugin.cache import KEPT_PAGE_TEMPLATE, engine_fingerprint
from generator.mkdocs_plugin.config_check import (
    plugin_order_message,
    plugins_before_flare,
    untranslated_language_message,
)
from generator.mkdocs_plugin.palette import dark_without_script, primary_colours, theme_colours
from generator.model.components import Component
from generator.outputs import output_files
from generator.outputs.pages import IN_NAVIGATION, GeneratedPage, pages
from generator.render.i18n import language, nearest_catalog
from generator.render.layout import NavigationLink, SiteFrame
from generator.render.links import SITE_FEED, SiteLinks, component_feed_paths, component_page_path
from generator.render.pages import TEMPLATE_CODE, UrlFor
from generator.render.palette import palette_css
from generator.validate.site import Site, load_site
from generator.write.files import write_files
from generator.write.page_cache import PageCache, code_fingerprint, fingerprint
from generator.write.parallel import map_in_processes, processes_for, worker_count
from generator.write.policies import with_policies

log = logging.getLogger("mkdocs.plugins.flare")

ASSETS = ("flare.js", search.SCRIPT)
ASSETS_DIR = "assets/flare"
# One stylesheet: the core's palette, the dark palette without scripts, then flare.css.
STYLESHEET = "flare.css"


class FlarePlugin(BasePlugin):
    """Its options are :class:`~generator.load.settings.SiteSettings`, the one schema of the
    ``flare`` block in mkdocs.yml, read the same way by ``flare validate`` and by a build."""

    def __init__(self) -> None:
        self.settings: SiteSettings | None = None
        self.snapshot: Snapshot | None = None
        self.links: SiteLinks | None = None
        self._preloaded: tuple[Site, datetime] | None = None
        self.language = "en"  # the theme's language, which Flare's pages are written in
        self._pages: dict[str, GeneratedPage] = {}
        self._nav: Navigation | None = None
        self._contents: dict[str, str] = {}  # each page's content, rendered in on_nav
        self._built_pages: dict[str, Path] = {}  # each page's file, by source, for its policy
        self._page_urls: dict[str, str] = {}  # each generated page's address, by source path
        self._cache: PageCache | None = None  # pages kept between builds, when in use
        self._keys: dict[str, str] = {}  # each generated page's key in the cache, by source
        self._kept: set[str] = set()  # the generated pages taken from the cache this build
        self._serving = False
        # Under `serve`, mistakes do not stop the preview: it keeps the last good records and
        # settings and shows what is wrong on every page until the next save fixes it.
        self._last_good: Site | None = None
        self._preview_errors: dict[str, str] = {}  # "settings" / "records" -> the report

    def preload(self, site: Site, now: datetime) -> None:
        """Use records the caller has already loaded and validated (``flare build`` does)."""
        self._preloaded = (site, now)

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[list[tuple[str, Exception]], list[tuple[str, str]]]:
        """Validate the options with the core's schema, with mkdocs.yml's lines when it can."""
        try:
            if config_file_path is not None:
                self.settings = read_settings(Path(config_file_path))
            else:
                self.settings = settings_from_options(options, Path("mkdocs.yml"))
        except InvalidSite as invalid:
            folder = Path(config_file_path).parent if config_file_path else None
            if self._serving and self.settings is not None:
                self._preview_errors["settings"] = invalid.report(folder)
                return [], []
            return [
                (_option_name(error.field), ConfigValidationError(error.format(folder)))
                for error in invalid.errors
            ], []
        self._preview_errors.pop("settings", None)
        return [], []

    # -- lifecycle, in the order MkDocs calls it -------------------------------------------------
    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `serve` injects its live-reload script into each page as it sends it: a policy that
        # names only the built page's scripts would block it.
        self._serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        config_file = Path(config.config_file_path)
        if self._preloaded is not None:
            (site, now), self._preloaded = self._preloaded, None
        else:
            now = self._resolve_now()
            site = self._resolve_site(config_file, now, config.site_name)
            for warning in site.warnings:
                # Not log.warning: suspicious records must not fail a build run with --strict.
                log.info(warning.format(config_file.parent))
        try:
            worker_count(0)  # FLARE_WORKERS, checked before any work
        except FlareError as error:
            raise PluginError(str(error)) from None
        try:
            self.links = SiteLinks(config.site_url or "")
        except FlareError as error:
            raise PluginError(
                f"{error}: set site_url in mkdocs.yml; feeds, the API and the calendar are "
                "read away from the site and need the full address of its pages"
            ) from None
        for name in plugins_before_flare(list(config.plugins)):
            log.warning(plugin_order_message(name))
        self.snapshot = derive_snapshot(site, now)
        self.language = str(config.theme.get("language") or "en")
        if nearest_catalog(self.language) is None:
            # Not log.warning, like the records' warnings: it must not fail a --strict build.
            log.info(untranslated_language_message(self.language))
        config.extra_css.append(f"{ASSETS_DIR}/{STYLESHEET}")
        config.extra_javascript.append(f"{ASSETS_DIR}/flare.js")
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.snapshot is not None
        self._pages = pages(self.snapshot, self.language)
        for path in self._pages:
            if files.get_file_from_path(path) is not None:
                raise PluginError(
                    f"{config.docs_dir}/{path} would replace a page Flare generates; "
                    "rename or remove it"
                )
            file = File.generated(
                config,
                path,
                content="",  # its title in on_page_markdown, its content in on_page_content
                inclusion=(
                    InclusionLevel.INCLUDED if path in IN_NAVIGATION else InclusionLevel.NOT_IN_NAV
                ),
            )
            files.append(file)
            if path not in IN_NAVIGATION:  # the navigation makes the pages it lists
                _ContentPage(None, file, config)
            self._page_urls[path] = file.url
        self._cache, self._keys, self._kept = self._resolve_cache(config), {}, set()
        for name in ASSETS:
            asset = package_files("generator.render").joinpath("assets", name)
            files.append(File.generated(config, f"{ASSETS_DIR}/{name}", content=asset.read_bytes()))
        palette = palette_css()
        dark = dark_without_script(config.theme.dirs, config.theme.get("palette"), palette)
        primary = primary_colours(config.theme.dirs, config.theme.get("palette"))
        styles = package_files("generator.render").joinpath("assets", STYLESHEET).read_text("utf-8")
        files.append(
            File.generated(
                config,
                f"{ASSETS_DIR}/{STYLESHEET}",
                content=palette + primary + dark + "\n" + styles,
            )
        )
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Keep the navigation (the light layout's header lists its first level), and render
        the content of Flare's pages, now that their addresses are final: on a big site in a
        process per core, before the engine reads the pages one by one."""
        self._nav = nav
        paths = list(self._pages)
        cache, engine = self._cache, self._engine_key(config, files)

        def render(path: str) -> tuple[str | None, str | None]:
            """The page's key in the cache, and its content unless the cache has the page."""
            page = self._pages[path]
            view = page.view()
            key = None if cache is None else fingerprint(engine, path, page.title, view)
            if key is not None and cache is not None and cache.has(key):
                return key, None
            return key, page.template(view, self._resolve_url_for(_page_url(path, files), files))

        workers = processes_for(len(paths), worker_count(len(paths)))
        if workers > 1:
            log.info(f"Flare renders its {len(paths)} pages in {workers} processes")
        self._contents = {}
        for path, (key, content) in zip(
            paths, map_in_processes(render, paths, workers), strict=True
        ):
            if key is not None:
                self._keys[path] = key
            if content is None:
                self._kept.add(path)
            else:
                self._contents[path] = content
        if cache is not None:
            log.info(f"Flare took {len(self._kept)} of its {len(paths)} pages from its cache")
        return nav

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """A generated page's title and settings, as front matter would give them (MkDocs would
        read front matter with a YAML parser written in Python, a page at a time).

        The theme writes a page's title into ``<title>``, its header and the search index as
        HTML, unescaped, so the title given is the author's text HTML-escaped. The page stays out
        of the theme's search indexing, which would parse its HTML for entries that
        on_post_build replaces with a line each anyway."""
        generated = self._pages.get(page.file.src_uri)
        if generated is None:
            return markdown
        page.meta = {"title": escape(generated.title), "hide": ["toc"], "search": {"exclude": True}}
        if page.file.src_uri in self._kept:
            page.meta["template"] = KEPT_PAGE_TEMPLATE  # a stand-in, replaced in on_post_page
        return markdown

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if page.file.src_uri not in self._pages:
            return html
        return self._contents.pop(page.file.src_uri, "")  # "": the page comes from the cache

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        """The theme's templates compiled once, not once per build: a second of every build;
        and the stand-in template of the pages taken from the cache."""
        if env.bytecode_cache is None:
            env.bytecode_cache = TEMPLATE_CODE
        if env.loader is not None:
            kept = DictLoader({KEPT_PAGE_TEMPLATE: "<!-- taken from Flare's cache -->"})
            env.loader = ChoiceLoader([env.loader, kept])
        return env

    @event_priority(-100)  # after other plugins' edits: the page as it is written
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Announce the feeds in every page's head, so readers and browsers discover them; the
        page's Content-Security-Policy goes first in its head once it is written (on_post_build).
        A page taken from the cache is the page as it was written, all of this included."""
        if page.file.src_uri in self._kept:
            assert self._cache is not None
            return self._cache.read(self._keys[page.file.src_uri])
        generated = self._pages.get(page.file.src_uri)
        if generated is not None and generated.lay_out is not None:
            output = generated.lay_out(self._resolve_frame(page, config), page.content or "")
        feeds = [
            ("Atom", SITE_FEED[0], "application/atom+xml"),
            ("RSS", SITE_FEED[1], "application/rss+xml"),
        ]
        component = self._component_of(page)
        if component is not None:
            atom, rss = component_feed_paths(component.id)
            feeds += [
                (f"{component.name}, Atom", atom, "application/atom+xml"),
                (f"{component.name}, RSS", rss, "application/rss+xml"),
            ]
        tags = "".join(
            f'<link rel="alternate" type="{kind}" title="{escape(f"{config.site_name}: {title}")}"'
            f' href="{escape(get_relative_url(path, page.url))}">'
            for title, path, kind in feeds
        )
        output = output.replace("</head>", f"{tags}</head>", 1)
        words = language(self.language)
        output = _with_skip_link(output, words.gettext("Skip to content"))
        output = _with_named_search(output, words.gettext("Search"))
        output = search.with_search_on_demand(
            output, get_relative_url(f"{ASSETS_DIR}/{search.SCRIPT}", page.url)
        )
        if self._serving and self._preview_errors:
            output = _with_banner(output, self._preview_errors)
        self._built_pages[page.file.src_uri] = Path(page.file.abs_dest_path)
        return output

    @event_priority(-100)
    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str:
        """The theme's own pages (404.html) get their policy too; sitemap.xml is no page."""
        if template_name.endswith(".html"):
            self._built_pages[template_name] = Path(config.site_dir) / template_name
        return output_content

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the subscriber outputs: feeds, the Statuspage-shaped API, calendar, badges;
        then put Flare's pages in the search index as a line each."""
        assert self.snapshot is not None and self.links is not None
        built = self._write_policies()
        self._store_in_cache(built)
        write_files(Path(config.site_dir), output_files(self.snapshot, self.links))
        search.rewrite_index(
            Path(config.site_dir),
            {
                self._page_urls[path]: (page.title, page.search_text)
                for path, page in self._pages.items()
            },
        )

    def on_build_error(self, *, error: Exception) -> None:
        if self._cache is not None:
            self._cache.close()  # its pages stay as they were
            self._cache = None

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: object
    ) -> LiveReloadServer:
        assert self.settings is not None
        server.watch(str(Path(config.config_file_path).parent / self.settings.incidents_dir))
        return server

    # -- helpers ---------------------------------------------------------------------------------
    def _resolve_cache(self, config: MkDocsConfig) -> PageCache | None:
        """The page cache beside mkdocs.yml; none under `serve` (whose pages carry its live
        reload and no policy), when the settings turn it off, or while another build has it."""
        assert self.settings is not None
        if self._serving or not self.settings.cache:
            return None
        folder = Path(config.config_file_path).parent / CACHE_DIR
        try:
            prepare_cache_folder(folder)
        except OSError:
            cache = None
        else:
            cache = PageCache.open(folder / "pages")
        if cache is None:
            log.info(
                f"{folder} is in use by another build or cannot be written: Flare renders "
                "every page"
            )
        return cache

    def _engine_key(self, config: MkDocsConfig, files: Files) -> str:
        """What every generated page is made of besides its view: Flare's code and settings,
        the language, and what the engine adds (:func:`engine_fingerprint`)."""
        assert self.settings is not None
        if self._cache is None:
            return ""
        return fingerprint(
            code_fingerprint(),
            self.settings,
            self.language,
            engine_fingerprint(config, files, self._pages.keys()),
        )

    def _store_in_cache(self, built: dict[str, Path]) -> None:
        """Keep the generated pages rendered this build, as written, and drop what no page of
        this build used."""
        cache, self._cache = self._cache, None
        if cache is None:
            return
        try:
            for source, path in built.items():
                key = self._keys.get(source)
                if key is not None:
                    cache.store(key, path)
            cache.keep_only(self._keys.values())
        finally:
            cache.close()

    def _write_policies(self) -> dict[str, Path]:
        """Each page's Content-Security-Policy, from the page as it was written (the last
        plugin's edit included); none under `serve`, whose live reload is an inline script.
        Returns the pages written, by source."""
        pages = {source: path for source, path in self._built_pages.items() if path.is_file()}
        self._built_pages = {}  # MkDocs writes no file for an empty page
        if self._serving:
            return pages
        assert self.settings is not None
        blocked = with_policies(list(pages.values()), self.settings.allowed_image_hosts)
        for source, scripts in zip(pages, blocked, strict=True):
            if scripts:
                log.warning(
                    f"{source}: the page's Content-Security-Policy blocks the inline <script> in "
                    "its content; put the script in a file and list it under extra_javascript"
                )
        return pages

    def _resolve_now(self) -> datetime:
        try:
            return build_instant()
        except FlareError as error:
            raise PluginError(str(error)) from None

    def _resolve_site(self, config_file: Path, now: datetime, name: str) -> Site:
        """The records; under `serve`, the last good ones while the current ones are wrong."""
        assert self.settings is not None
        try:
            site = load_site(config_file, now, self.settings, name)
        except InvalidSite as invalid:
            report = invalid.report(config_file.parent)
            if not self._serving or self._last_good is None:
                raise PluginError("the status records are invalid:\n" + report) from None
            self._preview_errors["records"] = report
            # Not log.error: under strict mode an error would fail the build and stall the
            # preview, which is what keeping the last good records avoids.
            log.info(f"the records are invalid; the preview keeps the last good ones:\n{report}")
            return self._last_good
        self._preview_errors.pop("records", None)
        self._last_good = site
        return site

    def _resolve_frame(self, page: Page, config: MkDocsConfig) -> SiteFrame:
        """The site around a page in the light layout, as the theme would show it: its name,
        the first level of its navigation, its stylesheets and scripts, favicon, copyright and
        colours."""

        def relative(path: str) -> str:
            return path if urlsplit(path).scheme else get_relative_url(path, page.url)

        navigation = []
        for item in self._nav.items if self._nav is not None else ():
            target = _first_page(item)
            if target is not None:
                url, current = relative(target.url), target.file.src_uri == page.file.src_uri
            elif isinstance(item, Link):
                url, current = relative(item.url), False
            else:
                continue
            navigation.append(NavigationLink(unescape(item.title or ""), url, current))
        favicon = config.theme.get("favicon")
        return SiteFrame(
            site_name=config.site_name,
            home_url=relative(""),
            navigation=tuple(navigation),
            stylesheets=tuple(relative(str(path)) for path in config.extra_css),
            scripts=tuple(relative(str(script)) for script in config.extra_javascript),
            favicon=relative(favicon) if favicon else None,
            description=config.site_description,
            canonical_url=page.canonical_url,
            copyright=config.copyright,
            direction=config.theme.get("direction"),
            colours=theme_colours(config.theme.get("palette")),
        )

    def _component_of(self, page: Page) -> Component | None:
        assert self.settings is not None
        for component in self.settings.components:
            if page.file.src_uri == component_page_path(component.id):
                return component
        return None

    def _resolve_url_for(self, page_url: str, files: Files) -> UrlFor:
        """Links relative to the page at ``page_url``, so the site works under any sub-path."""

        def url_for(path: str) -> str:
            if not path.endswith(".md"):  # an output written after the build, not a page
                return get_relative_url(path, page_url)
            target = files.get_file_from_path(path)
            if target is None:
                raise PluginError(f"Flare links to {path}, which is not part of the site")
            return get_relative_url(target.url, page_url)

        return url_for


class _ContentPage(Page):
    """One of Flare's pages, whose content its templates render (on_nav, on_page_content):
    there is no Markdown to convert. MkDocs would build a Markdown parser with every extension
    of mkdocs.yml for each page to convert its empty source, a tenth of a big site's build."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()


def _option_name(field: str) -> str:
    """``timezone`` for ``plugins[0].flare.timezone``: the option as MkDocs names it."""
    _, found, option = field.partition(".flare.")
    return option if found else field or "flare"


def _page_url(path: str, files: Files) -> str:
    file = files.get_file_from_path(path)
    assert file is not None, f"{path} is one of Flare's pages, which on_files added"
    return file.url


def _first_page(item: StructureItem) -> Page | None:
    """A navigation entry's page: the page itself, or a section's first."""
    if isinstance(item, Page):
        return item
    if isinstance(item, Section):
        for child in item.children:
            found = _first_page(child)
            if found is not None:
                return found
    return None


def _with_banner(html: str, errors: dict[str, str]) -> str:
    """The page with the preview's errors at the top of its body: what is wrong, and that the
    page shows the last good version until the next save fixes it."""
    reports = "\n".join(errors.values())
    banner = (
        '<div class="flare-preview-errors" role="alert"><p><strong>This preview shows the last '
        "good version: fix these and save, and it rebuilds.</strong></p>"
        f"<pre>{escape(reports)}</pre></div>"
    )
    return re.sub(r"(<body[^>]*>)", lambda match: match[1] + banner, html, count=1)


def _with_skip_link(html: str, label: str) -> str:
    """The page with a "Skip to content" link first, to the main content, as the theme gives
    only pages with a table of contents (Flare's pages have none): a keyboard reader reaches
    the content in one Tab and Enter instead of walking the header and the navigation."""
    if 'class="md-skip"' in html or '<main class="md-main"' not in html:
        return html
    html = html.replace('<main class="md-main"', '<main id="flare-main" class="md-main"', 1)
    link = f'<a href="#flare-main" class="md-skip">{escape(label)}</a>'
    return re.sub(r"(<body[^>]*>)", lambda match: match[1] + link, html, count=1)


SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def _with_named_search(html: str, name: str) -> str:
    """The theme's search dialog with a name, which a screen reader announces as it opens."""
    return html.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + f' aria-label="{escape(name)}">', 1)
