"""What the site's search finds of each page Flare writes: its title and a line of plain text.

A page's full text (every update of every incident, every table of a report) would make the
search index grow with the records without bound, and every reader of the page would download
it. Instead each record is found by its title, its components, its impact and the first lines
of its first update; a post-mortem by its summary; a component by its description; and the
status, history and report pages by their titles alone.
"""

from __future__ import annotations

import html
import re

from generator.derive.snapshot import RecordFacts
from generator.model.components import Component
from generator.render.format import format_list
from generator.render.i18n import Language
from generator.render.markup import MarkupPolicy

SUMMARY_CHARACTERS = 200  # of a record's first update or a post-mortem's summary


def plain_text(markdown: str, policy: MarkupPolicy, limit: int = SUMMARY_CHARACTERS) -> str:
    """The text a reader sees of ``markdown``, on one line, cut at a word within ``limit``."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", str(policy.render(markdown))))
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def record_search_text(
    facts: RecordFacts, names: dict[str, str], policy: MarkupPolicy, language: Language
) -> str:
    """``Public API, Dashboard · Major impact · Some requests fail with 503 errors. …``, in the
    site's language but for what the author wrote."""
    record = facts.record
    if record.kind == "maintenance":
        kind = language.gettext("Maintenance")
    else:
        kind = language.label(record.worst_impact)
    components = format_list((names[component] for component in record.components), language)
    parts = [components, kind]
    if record.updates:
        parts.append(plain_text(record.updates[0].body, policy))
    return " · ".join(part for part in parts if part)


def postmortem_search_text(facts: RecordFacts, policy: MarkupPolicy) -> str:
    """The published post-mortem's summary, or nothing before it has one."""
    published = facts.postmortem
    summary = published.content.summary if published is not None else None
    return plain_text(summary, policy) if summary else ""


def component_search_text(component: Component) -> str:
    return component.description or ""
