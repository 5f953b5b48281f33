"""Authors' Markdown turned into HTML that is safe to put in front of every reader.

Update bodies come from many hands and end up on the public page, so the HTML is cleaned by nh3
(a binding of the well-kept Rust sanitiser ammonia) down to a small set of tags: text formatting,
lists, links, code, quotes and tables. Headings are demoted so that a body can never outrank the
page's own headings.
"""

from __future__ import annotations

import re

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
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
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

# magiclink turns the bare web addresses authors paste into links a reader can follow.
_MARKDOWN = markdown.Markdown(
    extensions=["extra", "sane_lists", "pymdownx.magiclink"], output_format="html"
)
_HEADING = re.compile(r"<(/?)h([1-6])>")


def render_markdown(text: str) -> Markup:
    """Markdown to sanitised HTML; what cannot be shown as markup stays readable as text."""
    html = _MARKDOWN.reset().convert(text)
    html = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 3, 6)}>", html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)
