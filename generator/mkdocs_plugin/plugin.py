"""The ``flare`` MkDocs plugin: load and validate the records, then add the status pages."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.clock import build_instant
from generator.diagnostics import InvalidSite
from generator.mkdocs_plugin.pages import render_status_page
from generator.settings import settings_from_options
from generator.structure.site import Site
from generator.validation import load_site

log = logging.getLogger("mkdocs.plugins.flare")

STATUS_PAGE = "index.md"


class FlareConfig(Config):
    """The plugin's options; components are checked in depth by the core's SiteSettings."""

    incidents_dir = c.Type(str, default="incidents")
    timezone = c.Type(str, default="UTC")
    components = c.Type(list, default=[])


class FlarePlugin(BasePlugin[FlareConfig]):
    def __init__(self) -> None:
        self.site: Site | None = None
        self.now: datetime | None = None
        self._preloaded: tuple[Site, datetime] | None = None

    def preload(self, site: Site, now: datetime) -> None:
        """Use records the caller has already loaded and validated (``flare build`` does)."""
        self._preloaded = (site, now)

    # -- lifecycle, in the order MkDocs calls it -------------------------------------------------
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self._preloaded is not None:
            (self.site, self.now), self._preloaded = self._preloaded, None
            return config
        self.now = build_instant()
        self.site = self._resolve_site(Path(config.config_file_path), self.now)
        for warning in self.site.warnings:
            # Not log.warning: suspicious records must not fail a build run with --strict.
            log.info(warning.format(Path(config.config_file_path).parent))
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.site is not None and self.now is not None
        if files.get_file_from_path(STATUS_PAGE) is not None:
            raise PluginError(
                f"{config.docs_dir}/{STATUS_PAGE} would replace the generated status page; "
                "rename it (the status page is always the home page)"
            )
        files.append(File.generated(
            config, STATUS_PAGE, content=render_status_page(self.site, self.now),
            inclusion=InclusionLevel.INCLUDED,
        ))
        return files

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: object
    ) -> LiveReloadServer:
        assert self.site is not None
        server.watch(str(Path(config.config_file_path).parent / self.site.settings.incidents_dir))
        return server

    # -- helpers ---------------------------------------------------------------------------------
    def _resolve_site(self, config_file: Path, now: datetime) -> Site:
        try:
            settings = settings_from_options(dict(self.config), config_file)
            return load_site(config_file, now, settings)
        except InvalidSite as invalid:
            raise PluginError(
                "the status records are invalid:\n" + invalid.report(config_file.parent)
            ) from None
