"""Writing the outputs' files into the site being built, and checking a built site has them."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from generator.outputs.api import STATUS
from generator.render.links import BADGES, CALENDAR, SITE_FEED, STATUS_PAGE_PATH, page_url

# What every site Flare built holds, whatever its records: a page engine that skipped the flare
# plugin (Zensical skips unknown plugins and still succeeds) leaves these out.
MARKERS = (
    f"{page_url(STATUS_PAGE_PATH)}index.html",
    STATUS,
    SITE_FEED[0],
    CALENDAR,
    f"{BADGES}status.svg",
)


def write_files(root: Path, files: Mapping[str, bytes]) -> None:
    """Write each file under ``root``, in path order, creating folders as needed."""
    for path, content in sorted(files.items()):
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def missing_outputs(site_dir: Path) -> list[str]:
    """The outputs every Flare site has that ``site_dir`` lacks (none: Flare built it)."""
    return [path for path in MARKERS if not (site_dir / path).is_file()]
