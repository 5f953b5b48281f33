"""The embeddable status, for a product's own pages.

``embed.js`` shows the overall state as a badge, or a dismissible banner while an incident or
maintenance is on, in any page that includes it with one tag (see the script's header); it reads
``api/v2/summary.json`` beside it, so a host serving the site to other origins sends
``Access-Control-Allow-Origin`` for ``api/v2/``. ``embed.html`` is the same state as a page
without script, for an ``<iframe>``.
"""

from __future__ import annotations

import json
from importlib.resources import files as package_files

from markupsafe import Markup

from generator.derive.snapshot import Snapshot
from generator.render.csp import source_hash
from generator.render.format import OVERALL_LABELS
from generator.render.links import SiteLinks
from generator.render.palette import LIGHT, palette_json

SCRIPT = "embed.js"
PAGE = "embed.html"
_PALETTE_SLOT = "/*PALETTE*/ {}"


def files(snapshot: Snapshot, links: SiteLinks) -> dict[str, bytes]:
    return {SCRIPT: embed_script(), PAGE: embed_page(snapshot, links)}


def embed_script() -> bytes:
    """The script, with the site's palette in it: its colours are the pages' colours."""
    source = package_files("generator.render").joinpath("assets", SCRIPT).read_text("utf-8")
    if _PALETTE_SLOT not in source:
        raise RuntimeError(f"{SCRIPT} has lost its palette slot")
    return source.replace(_PALETTE_SLOT, json.dumps(palette_json())).encode("utf-8")


def embed_page(snapshot: Snapshot, links: SiteLinks) -> bytes:
    """The state now, and what is on, as a page for an iframe: text and one style sheet."""
    overall = snapshot.overall
    active = [*snapshot.active_incidents, *snapshot.maintenance_in_progress]
    style = (
        f"body{{margin:0;font:14px/1.4 system-ui,sans-serif;color:{LIGHT.text};"
        f"background:{LIGHT.background}}}a{{color:inherit}}p{{margin:.3em .6em}}"
        f".state{{font-weight:600;color:{LIGHT.states[overall]}}}"
    )
    lines = [
        Markup('<p><a class="state" href="{}" target="_top">{}</a></p>').format(
            links.url(), OVERALL_LABELS[overall]
        )
    ]
    for facts in active:
        status = facts.status.label if facts.status is not None else ""
        lines.append(
            Markup('<p><a href="{}" target="_top">{}</a>: {}</p>').format(
                links.record(facts.id), facts.record.title, status
            )
        )
    policy = f"default-src 'none'; style-src {source_hash(style)}; base-uri 'none'"
    page = Markup(
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="{}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n{}\n</body>\n</html>\n"
    ).format(policy, snapshot.site.name, Markup(style), Markup("\n").join(lines))
    return str(page).encode("utf-8")
