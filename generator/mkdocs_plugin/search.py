"""The theme's search, kept small and loaded on demand.

mkdocs-material's search plugin indexes each page's whole text, which for a status site is every
update of every incident and every table of every report: an index that grows without bound and
that the theme downloads on every page load, before anyone searches. Flare replaces the entries
of its own pages with one entry each (title and a line of plain text, from the core's
``GeneratedPage.search_text``) and adds a small script before the theme's that holds the
index's request back until the reader starts to search. Hand-written pages keep the theme's
entries.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from html import escape
from pathlib import Path

INDEX = Path("search") / "search_index.json"  # where the theme's search plugin writes it
SCRIPT = "search.js"  # generator/render/assets/search.js
SEARCH_FORM = re.compile(r'<form class="md-search__form" name="search"')


def with_flare_entries(index: str, entries: Mapping[str, tuple[str, str]]) -> str:
    """The theme's index (``index``, its JSON) with the entries of the pages in ``entries``
    (address -> (title, text), both plain text) in place of the theme's entries for them."""
    data = json.loads(index)
    pages = {_page(location): entry for location, entry in entries.items()}
    kept = [doc for doc in data["docs"] if _page(doc["location"]) not in pages]
    data["docs"] = kept + [
        {"location": location, "title": escape(title), "text": escape(text)}
        for location, (title, text) in pages.items()
    ]
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def _page(location: str) -> str:
    """The page of an index entry's address, as the theme writes it: the home page is ``""``
    in the index and ``./`` in MkDocs' addresses; a section adds ``#<id>``."""
    page = location.split("#", 1)[0]
    return "" if page == "./" else page


def rewrite_index(site_dir: Path, entries: Mapping[str, tuple[str, str]]) -> None:
    """Rewrite the built site's search index, if the site has the theme's search."""
    path = site_dir / INDEX
    if path.is_file():
        path.write_text(with_flare_entries(path.read_text("utf-8"), entries), encoding="utf-8")


def with_search_on_demand(html: str, script_url: str) -> str:
    """The page with Flare's search script first in its head, on pages with the theme's search
    (it must run before the theme's script asks for the index)."""
    if not SEARCH_FORM.search(html):
        return html
    tag = f'<script src="{escape(script_url)}"></script>'
    return re.sub(r"(<head[^>]*>)", lambda match: match[1] + tag, html, count=1)
