"""Absolute addresses of the site's pages and outputs, for everything read away from the site.

Pages link to each other relatively (the site works under any sub-path), but a feed entry, an
API object or a calendar event is read in another program and needs the full address. The
paths here are the ones the MkDocs plugin gives the pages (directory URLs, ``incidents/<id>/``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from generator.errors import FlareError

SITE_FEED = ("history.atom", "history.rss")
CALENDAR = "maintenance.ics"
API_ROOT = "api/v2/"
BADGES = "badges/"


class OutputPaths:
    """Where the subscriber outputs live, relative to the site's root, for pages to link to."""

    site_feeds = SITE_FEED
    calendar = CALENDAR
    api_summary = f"{API_ROOT}summary.json"
    status_badge = f"{BADGES}status.svg"

    @staticmethod
    def component_feeds(component_id: str) -> tuple[str, str]:
        return component_feed_paths(component_id)

    @staticmethod
    def component_badge(component_id: str) -> str:
        return f"{BADGES}{component_id}.svg"


@dataclass(frozen=True)
class SiteLinks:
    """Addresses under ``site_url`` (MkDocs' ``site_url``: scheme, host and path, ending in /)."""

    site_url: str

    def __post_init__(self) -> None:
        parts = urlsplit(self.site_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FlareError(
                f"site_url must be the site's full address, such as https://status.example.com/,"
                f" not {self.site_url!r}"
            )
        if not self.site_url.endswith("/"):
            object.__setattr__(self, "site_url", self.site_url + "/")

    @property
    def host(self) -> str:
        return urlsplit(self.site_url).hostname or ""

    def url(self, path: str = "") -> str:
        """The absolute address of ``path``, relative to the site's root."""
        return self.site_url + path

    def record(self, record_id: str) -> str:
        return self.url(record_path(record_id))

    def component(self, component_id: str) -> str:
        return self.url(component_path(component_id))


# -- where each page's source sits (MkDocs turns incidents/x.md into incidents/x/) -------------
STATUS_PAGE_PATH = "index.md"


def record_page_path(record_id: str) -> str:
    return f"incidents/{record_id}.md"


def postmortem_page_path(record_id: str) -> str:
    """Beside the incident's page: ``incidents/<id>/postmortem/`` once built."""
    return f"incidents/{record_id}/postmortem.md"


def component_page_path(component_id: str) -> str:
    return f"components/{component_id}.md"


def history_page_path(number: int) -> str:
    return "history/index.md" if number == 1 else f"history/page-{number}.md"


def reliability_page_path(component_id: str | None = None) -> str:
    """The site's reliability report, or a component's."""
    return "reliability/index.md" if component_id is None else f"reliability/{component_id}.md"


def page_url(source_path: str) -> str:
    """The directory URL a page's source path is published at: ``incidents/x.md`` as
    ``incidents/x/``, ``history/index.md`` as ``history/``."""
    stem = source_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


def record_path(record_id: str) -> str:
    return page_url(record_page_path(record_id))


def postmortem_path(record_id: str) -> str:
    return page_url(postmortem_page_path(record_id))


def component_path(component_id: str) -> str:
    return page_url(component_page_path(component_id))


def component_feed_paths(component_id: str) -> tuple[str, str]:
    """The Atom and RSS feeds of one component.

    They sit at the site's root like the site-wide feeds: mkdocs-material fetches
    ``sitemap.xml`` beside every ``<link rel="alternate">`` a page announces (for its language
    switcher), and a feed in a sub-folder would make each page view ask for a missing file.
    """
    return (f"history-{component_id}.atom", f"history-{component_id}.rss")
