"""Everything a build publishes, listed in one place.

Each output is a module of its own with one function, ``files(snapshot, links)``, returning
the files it writes by path under the site's root. Adding an output is a new module and a line
in :data:`OUTPUTS`; nothing else changes. The pages are the one output handed to the page
engine instead of written as bytes, since the engine lays them out: :mod:`.pages` lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from generator.derive.snapshot import Snapshot
from generator.outputs import api, badges, calendar, embed, feeds
from generator.render.links import SiteLinks

Output = Callable[[Snapshot, SiteLinks], Mapping[str, bytes]]

OUTPUTS: tuple[Output, ...] = (feeds.files, api.files, calendar.files, badges.files, embed.files)


def output_files(snapshot: Snapshot, links: SiteLinks) -> dict[str, bytes]:
    """Every output's files; two outputs claiming one path is a bug, not a choice."""
    found: dict[str, bytes] = {}
    for output in OUTPUTS:
        for path, content in output(snapshot, links).items():
            if path in found:
                raise RuntimeError(f"two outputs write {path}")
            found[path] = content
    return found
