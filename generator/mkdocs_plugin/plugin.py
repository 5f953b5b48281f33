"""The ``flare`` MkDocs plugin: load and validate the records, then add the status pages.

MkDocs is the page engine here, not the data model: the plugin asks the core for the views of
each page, has them rendered by the core's templates, and only decides where the pages go, how
MkDocs links them and which of them appear in the navigation.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape
from importlib.resources import files as package_files
from pathlib import Path

import yaml
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from generator.badges import badge_files
from generator.calendar import calendar_files
from generator.clock import build_instant
from generator.csp import inline_code, with_content_security_policy
from generator.diagnostics import InvalidSite
from generator.feeds import feed_files
from generator.links import (
    SITE_FEED,
    STATUS_PAGE_PATH,
    SiteLinks,
    component_feed_paths,
    component_page_path,
    history_page_path,
    postmortem_page_path,
    record_page_path,
    reliability_page_path,
)
from generator.reliability import ReliabilityReports
from generator.render import Renderer, UrlFor
from generator.settings import settings_from_options
from generator.statuspage import statuspage_api_files
from generator.structure.components import Component
from generator.structure.site import Site
from generator.validation import load_site
from generator.views import SiteViews

log = logging.getLogger("mkdocs.plugins.flare")

ASSETS = ("flare.css", "flare.js")
ASSETS_DIR = "assets/flare"


@dataclass(frozen=True)
class GeneratedPage:
    title: str
    render: Callable[[UrlFor], str]

    @property
    def source(self) -> str:
        """The page's Markdown: only its title; the content comes from the core's templates.

        The theme writes a page's title into ``<title>``, its header and the search index as
        HTML, unescaped, so the title given is the author's text HTML-escaped.
        """
        # YAML, not JSON: MkDocs reads front matter with PyYAML, which turns JSON's surrogate
        # pairs (an emoji in a title) into an error, and then drops the whole front matter.
        front_matter = {"title": escape(self.title), "hide": ["toc"]}
        return f"---\n{yaml.safe_dump(front_matter, allow_unicode=True, sort_keys=False)}---\n"


class FlareConfig(Config):
    """The plugin's options; components are checked in depth by the core's SiteSettings."""

    incidents_dir = c.Type(str, default="incidents")
    timezone = c.Type(str, default="UTC")
    feed_entries = c.Type(int, default=100)
    hourly_rate = c.Type((int, float), default=0)
    currency = c.Type(str, default="USD")
    components = c.Type(list, default=[])
    allowed_image_hosts = c.Type(list, default=[])


class FlarePlugin(BasePlugin[FlareConfig]):
    def __init__(self) -> None:
        self.site: Site | None = None
        self.now: datetime | None = None
        self._preloaded: tuple[Site, datetime] | None = None
        self._pages: dict[str, GeneratedPage] = {}
        self.links: SiteLinks | None = None
        self._serving = False

    def preload(self, site: Site, now: datetime) -> None:
        """Use records the caller has already loaded and validated (``flare build`` does)."""
        self._preloaded = (site, now)

    # -- lifecycle, in the order MkDocs calls it -------------------------------------------------
    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `serve` injects its live-reload script into each page as it sends it: a policy that
        # names only the built page's scripts would block it.
        self._serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self._preloaded is not None:
            (self.site, self.now), self._preloaded = self._preloaded, None
        else:
            self.now = build_instant()
            self.site = self._resolve_site(Path(config.config_file_path), self.now)
            for warning in self.site.warnings:
                # Not log.warning: suspicious records must not fail a build run with --strict.
                log.info(warning.format(Path(config.config_file_path).parent))
        try:
            self.links = SiteLinks(config.site_url or "")
        except ValueError as error:
            raise PluginError(
                f"{error}: set site_url in mkdocs.yml; feeds, the API and the calendar are "
                "read away from the site and need the full address of its pages"
            ) from None
        config.extra_css.append(f"{ASSETS_DIR}/flare.css")
        config.extra_javascript.append(f"{ASSETS_DIR}/flare.js")
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.site is not None and self.now is not None
        self._pages = self._generate_pages(self.site, self.now)
        for path, page in self._pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(
                    f"{config.docs_dir}/{path} would replace a page Flare generates; "
                    "rename or remove it"
                )
            in_nav = path in (STATUS_PAGE_PATH, history_page_path(1), reliability_page_path())
            files.append(
                File.generated(
                    config,
                    path,
                    content=page.source,
                    inclusion=InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV,
                )
            )
        for name in ASSETS:
            asset = package_files("generator").joinpath("assets", name)
            files.append(File.generated(config, f"{ASSETS_DIR}/{name}", content=asset.read_bytes()))
        return files

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        generated = self._pages.get(page.file.src_uri)
        if generated is None:
            return html
        return generated.render(self._resolve_url_for(page, files))

    @event_priority(-100)  # after other plugins' edits: the policy hashes the finished page
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Announce the feeds in every page's head, so readers and browsers discover them; then
        put the page's Content-Security-Policy first in its head."""
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
        return self._with_policy(output, page.file.src_uri)

    @event_priority(-100)
    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str:
        """The theme's own pages (404.html) get their policy too; sitemap.xml is no page."""
        if not template_name.endswith(".html"):
            return output_content
        return self._with_policy(output_content, template_name)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the subscriber outputs: feeds, the Statuspage-shaped API, calendar, badges."""
        assert self.site is not None and self.now is not None
        site, now, links = self.site, self.now, self.links
        outputs = {
            **feed_files(
                site, now, links, title=config.site_name, entries=site.settings.feed_entries
            ),
            **statuspage_api_files(site, now, links, page_name=config.site_name),
            **calendar_files(site, now, links, name=config.site_name),
            **badge_files(site, now),
        }
        root = Path(config.site_dir)
        for path, content in sorted(outputs.items()):
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: object
    ) -> LiveReloadServer:
        assert self.site is not None
        server.watch(str(Path(config.config_file_path).parent / self.site.settings.incidents_dir))
        return server

    # -- helpers ---------------------------------------------------------------------------------
    def _with_policy(self, html: str, source: str) -> str:
        if self._serving:
            return html
        assert self.site is not None
        if inline_code(html).blocked_scripts:
            log.warning(
                f"{source}: the page's Content-Security-Policy blocks the inline <script> in its "
                "content; put the script in a file and list it under extra_javascript"
            )
        return with_content_security_policy(
            html, image_hosts=self.site.settings.allowed_image_hosts
        )

    def _resolve_site(self, config_file: Path, now: datetime) -> Site:
        try:
            settings = settings_from_options(dict(self.config), config_file)
            return load_site(config_file, now, settings)
        except InvalidSite as invalid:
            raise PluginError(
                "the status records are invalid:\n" + invalid.report(config_file.parent)
            ) from None

    def _component_of(self, page: Page) -> Component | None:
        assert self.site is not None
        for component in self.site.settings.components:
            if page.file.src_uri == component_page_path(component.id):
                return component
        return None

    def _resolve_url_for(self, page: Page, files: Files) -> UrlFor:
        """Links relative to ``page``, so the site works under any sub-path."""

        def url_for(path: str) -> str:
            if not path.endswith(".md"):  # an output written after the build, not a page
                return get_relative_url(path, page.url)
            target = files.get_file_from_path(path)
            if target is None:
                raise PluginError(f"Flare links to {path}, which is not part of the site")
            return get_relative_url(target.url, page.url)

        return url_for

    def _generate_pages(self, site: Site, now: datetime) -> dict[str, GeneratedPage]:
        """Every page Flare adds, by source path, with its title and what renders its content."""
        renderer = Renderer(site.settings)
        views = SiteViews(site, now)
        pages = {
            STATUS_PAGE_PATH: GeneratedPage(
                "Status", lambda url: renderer.status(views.status_page(), url)
            )
        }
        for view in views.history_pages():
            title = "History" if view.number == 1 else f"History, page {view.number}"
            pages[history_page_path(view.number)] = GeneratedPage(
                title, lambda url, view=view: renderer.history(view, url)
            )
        for record in site.records:
            pages[record_page_path(record.id)] = GeneratedPage(
                record.title,
                lambda url, record=record: renderer.record(views.record_page(record), url),
            )
        for incident in site.incidents:
            # Beside the incident's page, out of the navigation, once a stage is published.
            if views.postmortem_link(incident) is not None:
                pages[postmortem_page_path(incident.id)] = GeneratedPage(
                    f"Post-mortem: {incident.title}",
                    lambda url, incident=incident: renderer.postmortem(
                        views.postmortem_page(incident), url
                    ),
                )
        for component in site.settings.components:
            pages[component_page_path(component.id)] = GeneratedPage(
                component.name,
                lambda url, component=component: renderer.component(
                    views.component_page(component), url
                ),
            )
        reports = ReliabilityReports(site, now)
        pages[reliability_page_path()] = GeneratedPage(
            "Reliability", lambda url: renderer.reliability(reports.report(), url)
        )
        for component in site.settings.components:
            pages[reliability_page_path(component.id)] = GeneratedPage(
                f"{component.name}: reliability",
                lambda url, component=component: renderer.reliability(
                    reports.report(component), url
                ),
            )
        return pages
