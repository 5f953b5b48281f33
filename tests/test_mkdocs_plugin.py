"""The ``flare`` MkDocs plugin on its own: a site built by MkDocs' own command, without Flare's.

Its options have one schema, the core's SiteSettings, so a mistake in them reads the same as in
``flare validate``: the file, the line, the field and what is allowed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLE_NOW, SiteFolder, copy_example_site

MKDOCS = str(Path(sys.executable).parent / "mkdocs")


def mkdocs_build(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(EXAMPLE_NOW.timestamp()))}
    return subprocess.run(
        [MKDOCS, "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_mkdocs_build_gives_the_same_outputs_as_flare_build(tmp_path: Path, example_build: Path):
    root = copy_example_site(tmp_path)
    result = mkdocs_build(root)
    assert result.returncode == 0, result.stderr
    for path in ("api/v2/summary.json", "history.atom", "maintenance.ics", "badges/api.svg"):
        assert (root / "site" / path).read_bytes() == (example_build / path).read_bytes(), path


def test_a_wrong_option_is_reported_at_its_line_in_mkdocs_yml(site_folder: SiteFolder):
    text = site_folder.config.read_text(encoding="utf-8")
    site_folder.config.write_text(
        text.replace("  - flare:\n", "  - flare:\n      timezone: Mars/Base\n"), encoding="utf-8"
    )
    result = mkdocs_build(site_folder.root)
    assert result.returncode == 1
    assert (
        "Plugin 'flare' option 'timezone': mkdocs.yml:8:17: error: plugins[0].flare.timezone: "
        "unknown timezone 'Mars/Base'; use an IANA name such as UTC or Europe/Paris"
    ) in result.stderr


def test_an_unknown_option_names_the_allowed_ones(site_folder: SiteFolder):
    text = site_folder.config.read_text(encoding="utf-8")
    site_folder.config.write_text(
        text.replace("  - flare:\n", "  - flare:\n      feed_entry: 10\n"), encoding="utf-8"
    )
    result = mkdocs_build(site_folder.root)
    assert result.returncode == 1
    assert (
        "Plugin 'flare' option 'feed_entry': mkdocs.yml:8:7: error: plugins[0].flare.feed_entry: "
        "unknown field 'feed_entry' (did you mean 'feed_entries'?)"
    ) in result.stderr
