"""The ``flare`` MkDocs plugin on its own: a site built by MkDocs' own command, without Flare's.

Its options have one schema, the core's SiteSettings, so a mistake in them reads the same as in
``flare validate``: the file, the line, the field and what is allowed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import lxml.html

from conftest import EXAMPLE_NOW, SiteFolder, copy_example_site

MKDOCS = str(Path(sys.executable).parent / "mkdocs")


def mkdocs_build(root: Path, **env: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(EXAMPLE_NOW.timestamp())), **env}
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


def test_the_status_page_in_the_light_layout_takes_the_sites_colour_direction_and_sections(
    site_folder: SiteFolder,
):
    """The light layout shows the site as the theme would: its primary colour in the header,
    the direction it sets, and a section of the navigation as a link to its first page."""
    (site_folder.root / "site_src" / "team").mkdir(parents=True)
    (site_folder.root / "site_src" / "team" / "on-call.md").write_text("# On call\n", "utf-8")
    text = site_folder.config.read_text(encoding="utf-8")
    site_folder.config.write_text(
        text.replace(
            "  font: false\n",
            "  font: false\n  direction: rtl\n  palette:\n    primary: teal\n",
        )
        + "nav:\n  - index.md\n  - Our team:\n      - team/on-call.md\n"
        + "  - Support: https://support.test.example/\n",
        encoding="utf-8",
    )
    result = mkdocs_build(site_folder.root)
    assert result.returncode == 0, result.stderr

    home = lxml.html.parse(str(site_folder.root / "site" / "index.html")).getroot()
    (body,) = home.xpath("//body")
    assert body.get("dir") == "rtl"
    assert body.get("data-md-color-primary") == "teal"
    links = [(a.text_content(), a.get("href")) for a in home.xpath("//header//nav//a")]
    assert links == [
        ("Status", "."),
        ("Our team", "team/on-call/"),
        ("Support", "https://support.test.example/"),
    ]
    styles = (site_folder.root / "site" / "assets" / "flare" / "flare.css").read_text("utf-8")
    assert "[data-md-color-primary=teal]{--md-primary-fg-color:#" in styles


def test_a_number_of_workers_that_is_not_one_is_refused_by_mkdocs_too(site_folder: SiteFolder):
    result = mkdocs_build(site_folder.root, FLARE_WORKERS="two")

    assert result.returncode == 1
    assert "FLARE_WORKERS='two': give a whole number of processes, 1 or more" in result.stderr
    assert "Traceback" not in result.stderr
