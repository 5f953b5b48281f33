"""The light layout: the status page laid out by Flare itself rather than by the theme.

Readers open the status page when something is broken for them, often on a phone and a poor
connection. In the theme's layout it took eleven requests and some 90 KB compressed, three
quarters of it the theme's stylesheet and script (search, the palette switch, instant
navigation), none of which the page needs: it is complete without a script. The light layout
keeps what a reader recognises (the header in the site's colour, its name and pages, the
footer) in the page itself and Flare's stylesheet, which every page shares.

The adapter fills a :class:`SiteFrame` from the page engine's configuration; the core draws it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NavigationLink:
    title: str
    url: str  # relative to the page
    current: bool = False


@dataclass(frozen=True)
class SiteFrame:
    """What a page in the light layout shows of the site around it."""

    site_name: str
    home_url: str
    navigation: tuple[NavigationLink, ...]
    stylesheets: tuple[str, ...]  # addresses, relative to the page
    scripts: tuple[str, ...]
    favicon: str | None = None
    description: str | None = None
    canonical_url: str | None = None
    copyright: str | None = None  # the site's own HTML, as trusted as its configuration
    direction: str | None = None  # the site's choice (``rtl``); None: its language's
    # The theme's colour attributes for <body> (data-md-color-scheme, -primary, -accent): the
    # palette rules of Flare's stylesheet and of the site's own apply to the page as to others.
    colours: Mapping[str, str] = field(default_factory=dict)
