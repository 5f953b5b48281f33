"""A Content-Security-Policy that each page carries itself, for hosts that send no headers.

Static hosting (GitHub Pages, GitLab Pages, a bucket) cannot be told to send a
``Content-Security-Policy`` header, so every page gets the policy as
``<meta http-equiv="Content-Security-Policy">``, the first element of its ``<head>``: a policy in
a meta element only covers what comes after it. Only a ``<meta charset>`` that opens the head
stays before it: the encoding must be declared within the page's first 1024 bytes, which a long
policy could push it out of, and it loads and runs nothing.

The policy allows only what a Flare page loads: its own scripts, stylesheets, images, the search
index and the search worker, all from the site itself. Inline code is allowed by its SHA-256 hash
and nothing else, so the hashes are computed from the finished page: any later change to an inline
script makes the browser refuse it.

- ``script-src``: ``'self'`` and the hash of each inline script of the page's frame, outside its
  content (``<article>``): mkdocs-material writes three, ``__md_scope`` with its storage helpers,
  the palette from local storage, and the tabbed-content anchor. An inline script inside
  ``<article>``, where a hand-written page's Markdown and the records' text go, gets no hash:
  the browser blocks it, even one that got past the sanitiser (``blocked_scripts`` lists them;
  a site's own scripts belong in files). A data block, such as the theme's
  ``<script id="__config" type="application/json">``, is never run, so it needs no hash.
- ``style-src``: ``'self'`` and the hash of each ``<style>`` element. ``style=`` attributes in
  the page's markup (an aligned Markdown table in a hand-written page writes them) are allowed by
  their hashes behind ``'unsafe-hashes'``, which lets exactly those declarations through and no
  other; ``'unsafe-inline'`` is never used. Styles that scripts set through the CSSOM
  (``element.style.top = ...``, as the theme does for tooltips) are not restricted by CSP.
- ``img-src``: ``'self'``, ``data:`` (the theme's stylesheet draws its icons from ``data:`` SVG
  images) and the image hosts the site allows.
- ``font-src``, ``connect-src`` (the search index), ``worker-src`` (the search worker),
  ``manifest-src``: ``'self'``.
- ``form-action``: ``'none'``: the theme's search form is never submitted (its script answers
  Enter itself, and without JavaScript the form is hidden). ``base-uri``: ``'none'``: no page has
  a ``<base>``. ``object-src`` and everything else: ``'none'``.

``frame-ancestors``, ``report-uri`` and ``sandbox`` are ignored in a meta element: a host that
can send headers should send ``frame-ancestors 'none'`` (against clickjacking) itself.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from html.parser import HTMLParser

# The directives that are the same on every page, in the order they are written.
FIXED_SOURCES: dict[str, tuple[str, ...]] = {
    "default-src": ("'none'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "worker-src": ("'self'",),
    "manifest-src": ("'self'",),
    "base-uri": ("'none'",),
    "form-action": ("'none'",),
    "object-src": ("'none'",),
}

META_START = '<meta http-equiv="Content-Security-Policy" content="'

# Script types a browser runs (HTML: "JavaScript MIME type essence match", module, importmap,
# speculation rules); any other type makes the element a data block, which CSP leaves alone.
_RUN_TYPES = frozenset(
    {
        "",
        "module",
        "importmap",
        "speculationrules",
        "application/ecmascript",
        "application/javascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/javascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
    }
)
_HOST_SOURCE = re.compile(r"^(?:https?://)?(?:\*\.)?[A-Za-z0-9.-]+(?::[0-9]{1,5})?$")
_CHARSET = re.compile(r"""\s*<meta\s+charset\s*=\s*["']?[A-Za-z0-9._:-]+["']?\s*/?>""", re.I)
# Flare's own meta where with_content_security_policy puts it.
_OWN_META = re.compile(re.escape(META_START) + r'[^"]*">')


def source_hash(code: str) -> str:
    """The CSP hash source of inline code: ``'sha256-<base64 of the digest>'``.

    The browser hashes the code as it parsed it, after turning CR LF and CR into LF, encoded as
    UTF-8.
    """
    normalised = code.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(normalised.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@dataclass
class InlineCode:
    """The inline code of a page, in document order: what the policy allows, and the inline
    scripts of the page's content (inside ``<article>``), which it blocks."""

    scripts: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    style_attributes: list[str] = field(default_factory=list)
    blocked_scripts: list[str] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.code = InlineCode()
        self.head_start: tuple[int, int, str] | None = None  # line, column, start tag text
        self._collecting: tuple[list[str], list[str]] | None = None  # (target, parts)
        self._articles = 0  # how many <article> elements are open

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        style = attributes.get("style")
        if style is not None:
            self.code.style_attributes.append(style)
        if tag == "head" and self.head_start is None:
            line, column = self.getpos()
            self.head_start = (line, column, self.get_starttag_text() or "")
        elif tag == "article":
            self._articles += 1
        elif tag == "script" and "src" not in attributes and _runs(attributes):
            target = self.code.blocked_scripts if self._articles else self.code.scripts
            self._collecting = (target, [])
        elif tag == "style":
            self._collecting = (self.code.styles, [])

    def handle_data(self, data: str) -> None:
        if self._collecting is not None:
            self._collecting[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._articles = max(0, self._articles - 1)
        elif tag in ("script", "style") and self._collecting is not None:
            target, parts = self._collecting
            target.append("".join(parts))
            self._collecting = None


def _runs(attributes: dict[str, str | None]) -> bool:
    kind = attributes.get("type")
    if kind is None:
        return True
    return kind.strip(" \t\n\f\r").lower() in _RUN_TYPES


def inline_code(html: str) -> InlineCode:
    """The inline scripts, ``<style>`` elements and ``style`` attributes of ``html``."""
    return _scan(html).code


@lru_cache(maxsize=2)
def _scan(html: str) -> _Scanner:
    """Parse once: a page is scanned for the build's warning and again for its policy."""
    scanner = _Scanner()
    scanner.feed(_without_plain_content(html))
    scanner.close()
    return scanner


_ARTICLE_START = re.compile(r"<article\b[^>]*>", re.IGNORECASE)
_ARTICLE_END = re.compile(r"</article\s*>", re.IGNORECASE)


def _without_plain_content(html: str) -> str:
    """``html`` without the inside of its content (``<article>``) when that holds nothing the
    scan looks for: no word "script" and no word "style", in any case, so no inline script,
    ``<style>`` or ``style`` attribute. The scan then reads only the page's frame, about half
    of a page, and finds exactly what it would find in the whole page."""
    start = _ARTICLE_START.search(html)
    if start is None:
        return html
    ends = [end.start() for end in _ARTICLE_END.finditer(html, start.end())]
    if not ends:
        return html
    inside = html[start.end() : ends[-1]].lower()  # the last: records' articles are inside
    if "script" in inside or "style" in inside:
        return html
    return html[: start.end()] + html[ends[-1] :]


def image_sources(hosts: Iterable[str]) -> list[str]:
    """CSP sources for allowed image hosts, as given: a bare name (``images.example.com``)
    matches the page's own scheme, and https from a page served over http."""
    sources = []
    for host in hosts:
        source = host.strip().rstrip("/")
        if not _HOST_SOURCE.match(source):
            raise ValueError(f"not an image host for a Content-Security-Policy: {host!r}")
        if source not in sources:
            sources.append(source)
    return sources


def content_security_policy(html: str, *, image_hosts: Iterable[str] = ()) -> str:
    """The policy for the page ``html`` (without a previous Flare policy in it)."""
    return _policy(inline_code(html), image_sources(image_hosts))


def _policy(code: InlineCode, images: list[str]) -> str:
    extra = {
        "script-src": _hashes(code.scripts),
        "style-src": _hashes(code.styles)
        + (["'unsafe-hashes'", *_hashes(code.style_attributes)] if code.style_attributes else []),
        "img-src": images,
    }
    return "; ".join(
        " ".join((directive, *sources, *extra.get(directive, ())))
        for directive, sources in FIXED_SOURCES.items()
    )


def _hashes(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(source_hash(code) for code in codes))


def with_content_security_policy(html: str, *, image_hosts: Iterable[str] = ()) -> str:
    """``html`` with its policy as the first element of its ``<head>`` (after a
    ``<meta charset>`` that opens it).

    Run it on the finished page: the hashes describe the inline code as it is now. A policy this
    function wrote before is replaced, so running it twice gives the same page.
    """
    images = image_sources(image_hosts)
    scanner = _scan(html)
    if scanner.head_start is None:
        raise ValueError("the page has no <head> start tag to put its Content-Security-Policy in")
    line, column, tag = scanner.head_start
    start = _offset(html, line, column) + len(tag)
    charset = _CHARSET.match(html, start)
    if charset is not None:
        start = charset.end()
    rest = html[start:]
    own = _OWN_META.match(rest)
    if own is not None:
        rest = rest[own.end() :]
    policy = escape(_policy(scanner.code, images), quote=False).replace('"', "&quot;")
    meta = f'{META_START}{policy}">'
    return html[:start] + meta + rest


def _offset(text: str, line: int, column: int) -> int:
    """The index in ``text`` of HTMLParser's (line, column) position (lines count from 1)."""
    index = 0
    for _ in range(line - 1):
        index = text.index("\n", index) + 1
    return index + column
