"""The pages the plugin adds, rendered as Markdown for MkDocs to turn into HTML."""

from __future__ import annotations

from datetime import datetime

from generator.state import component_states_at
from generator.structure.site import Site


def render_status_page(site: Site, now: datetime) -> str:
    """The home page: every component, by group, with its state at ``now``."""
    settings = site.settings
    states = component_states_at(site.records, settings.component_ids, now)
    shown = now.astimezone(settings.zone)
    lines = [
        "# Status",
        "",
        f'Last updated <time datetime="{now.isoformat()}">'
        f"{shown:%d %b %Y %H:%M} {shown.tzname()}</time>.",
        "",
    ]
    for group, components in settings.groups.items():
        lines += [f"## {group or 'Components'}", "", "| Component | State |", "| --- | --- |"]
        for component in components:
            lines.append(f"| {component.name} | {states[component.id].label} |")
        lines.append("")
    return "\n".join(lines)
