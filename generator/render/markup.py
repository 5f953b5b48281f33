"""Authors' Markdown turned into HTML that is safe to put in front of every reader.

Update bodies, post-mortem texts and the like come from many hands and end up on the public
pages, in the feeds and in the JSON API, so the HTML is cleaned by nh3 (a binding of the
well-kept Rust sanitiser ammonia). What may remain:

- **Tags**: ``p br hr strong em b i del sub sup abbr code pre kbd blockquote ul ol li a
  h4 h5 h6 table thead tbody tr th td img``. Headings are demoted by three levels (``#``
  becomes ``h4``) so that a body never outranks the page's own headings.
- **Attributes**: ``a``: ``href``, ``title`` (and ``rel="noopener noreferrer nofollow"``,
  always added); ``abbr``: ``title``; ``th``/``td``: ``align``; ``img``: ``src``, ``alt``,
  ``title``, ``width``, ``height``. Nothing else: no ``style``, no ``class`` or ``id``, no
  event handler (``on*``).
- **Links**: ``http``, ``https`` and ``mailto`` addresses, or relative ones; any other scheme
  (``javascript:``, ``data:``, ...) is removed from the link, whose text stays.
- **Images**: only from the site itself (a relative address) or from a host listed, exactly, in
  the ``allowed_image_hosts`` setting. Any other image is replaced by its alt text as
  ``[image: alt]``, so that nothing an author wrote silently vanishes.

Any other element (``script``, ``style``, ``iframe``, ``object``, ``embed``, ``form``,
``meta``, ``base``, ...) is removed and its text, if it has any, is kept as plain text: no
content is thrown away, so words after an unclosed ``<script>`` stay readable. SVG and MathML
are removed with everything inside them (ammonia's rule against mutation XSS), and so are
comments. The sanitiser parses the HTML as a browser does (html5ever) and writes out its own
serialisation of what it kept, so malformed, nested or unclosed markup cannot turn into
something live on the way out.

    policy = MarkupPolicy.for_site(site.settings)
    policy.render("We are **investigating**. ![Graph](https://grafana.example.com/a.png)")
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown
import nh3
from markupsafe import Markup

from generator.load.settings import SiteSettings

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "strong",
        "em",
        "b",
        "i",
        "code",
        "pre",
        "kbd",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "del",
        "sub",
        "sup",
        "abbr",
        "img",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": frozenset({"href", "title"}),
    "abbr": frozenset({"title"}),
    "th": frozenset({"align"}),
    "td": frozenset({"align"}),
    "img": frozenset({"src", "alt", "title", "width", "height"}),
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = ("http", "https")
LINK_REL = "noopener noreferrer nofollow"

# magiclink turns the bare web addresses authors paste into links a reader can follow.
_MARKDOWN = markdown.Markdown(
    extensions=["extra", "sane_lists", "pymdownx.magiclink"], output_format="html"
)
_HEADING = re.compile(r"<(/?)h([1-6])>")
# What a browser ignores in an address: tabs and line breaks anywhere, controls and spaces at
# either end (WHATWG URL standard).
_URL_IGNORED = re.compile(r"[\t\n\r]")
_URL_TRIMMED = "".join(chr(code) for code in range(0x21))
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class MarkupPolicy:
    """What authors' Markdown may become on one site: the rules above, with its image hosts.

    ``image_hosts`` are exact host names in lower case (``images.example.com``), as
    :class:`SiteSettings` keeps them.
    """

    image_hosts: frozenset[str] = frozenset()

    @classmethod
    def for_site(cls, settings: SiteSettings) -> MarkupPolicy:
        return cls(frozenset(settings.allowed_image_hosts))

    @lru_cache(maxsize=8192)  # noqa: B019 - a body shows on its page, in feeds and in the API
    def render(self, text: str) -> Markup:
        """Markdown to sanitised HTML; what cannot be shown as markup stays readable as text."""
        html = _MARKDOWN.reset().convert(text)
        html = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 3, 6)}>", html)
        cleaned = self._clean(html)
        if "<img" in cleaned:
            # An image the filter took the address from is shown as its alt text; the result
            # goes through the sanitiser once more, so the rewriting can add nothing live.
            cleaned = self._clean(_images_as_text(cleaned))
        return Markup(cleaned)

    def allows_image(self, address: str) -> bool:
        """True for a relative address (a file of the site) or an allowed host's image."""
        address = _URL_IGNORED.sub("", address).strip(_URL_TRIMMED).replace("\\", "/")
        if address.startswith("//"):  # another host, in the page's own scheme
            address = "https:" + address
        try:
            parts = urlsplit(address)
            host = parts.hostname
        except ValueError:  # such as an unclosed [ of an IPv6 address
            return False
        if not parts.scheme:
            return True
        return parts.scheme in IMAGE_SCHEMES and host is not None and host in self.image_hosts

    def _clean(self, html: str) -> str:
        return nh3.clean(
            html,
            tags=set(ALLOWED_TAGS),
            # No element's content is thrown away: the text of a removed script or style is
            # shown as text, like everything else an author wrote.
            clean_content_tags=set(),
            attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
            attribute_filter=self._filter,
            url_schemes=set(URL_SCHEMES),
            link_rel=LINK_REL,
        )

    def _filter(self, element: str, attribute: str, value: str) -> str | None:
        if element == "img" and attribute == "src" and not self.allows_image(value):
            return None
        return value


STRICT = MarkupPolicy()
"""No image from any other host."""


def render_markdown(text: str, policy: MarkupPolicy = STRICT) -> Markup:
    """Markdown to sanitised HTML under ``policy`` (the site's: ``MarkupPolicy.for_site``)."""
    return policy.render(text)


def xml_text(text: str) -> str:
    """``text`` without the characters no XML 1.0 document can carry, escaped or not (control
    characters other than tab and line breaks, U+FFFE, U+FFFF): for feeds and badges."""
    return _NOT_XML.sub("", text)


def image_text(alt: str | None) -> str:
    """``[image: alt]``, or ``[image]`` without an alt text: what stands in for an image."""
    alt = " ".join((alt or "").split())
    return f"[image: {alt}]" if alt else "[image]"


def _images_as_text(html: str) -> str:
    writer = _ImageTextWriter()
    writer.feed(html)
    writer.close()
    return "".join(writer.parts)


class _ImageTextWriter(HTMLParser):
    """Writes the sanitiser's HTML back out, each image without an address as its alt text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Sequence[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "img" and not found.get("src"):
            self.parts.append(escape(image_text(found.get("alt")), quote=False))
            return
        written = "".join(f' {name}="{escape(value or "")}"' for name, value in attrs)
        self.parts.append(f"<{tag}{written}>")

    def handle_startendtag(self, tag: str, attrs: Sequence[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.parts.append(escape(data, quote=False))
