"""Page engines: Flare's pages and outputs are the same whichever MkDocs 1.6 line builds them.

MkDocs 1.6.1 has had no release since 2024 and 2.0 drops plugins; ProperDocs 1.6.x continues
1.6 as a drop-in. ``make test`` installs it in ``.venv-properdocs`` beside this checkout; here
the example is built by both, and what subscribers read must be byte-identical and what
readers see the same text.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLE_NOW, REPO, copy_example_site, flare
from support import tool_missing

PROPERDOCS = REPO / ".venv-properdocs" / "bin" / "properdocs"
MACHINE_OUTPUTS = (".json", ".atom", ".rss", ".ics", ".svg", ".xml")
# What each engine writes about itself into every page.
GENERATOR_META = re.compile(rb'<meta name="generator" content="[^"]*">')


@pytest.fixture(scope="module")
def properdocs_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not PROPERDOCS.is_file():
        tool_missing(f"{PROPERDOCS} is missing: `make test-tools` installs ProperDocs")
    root = copy_example_site(tmp_path_factory.mktemp("properdocs"))
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(EXAMPLE_NOW.timestamp()))}
    result = subprocess.run(
        [str(PROPERDOCS), "build", "-f", "mkdocs.yml", "-d", str(root / "site")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return root / "site"


def files(site: Path, suffixes: tuple[str, ...]) -> dict[str, bytes]:
    return {
        str(path.relative_to(site)): path.read_bytes()
        for path in site.rglob("*")
        if path.is_file() and path.suffix in suffixes and "assets" not in path.parts
    }


def test_properdocs_writes_the_same_machine_outputs_byte_for_byte(
    properdocs_build: Path, example_build: Path
):
    ours, theirs = files(example_build, MACHINE_OUTPUTS), files(properdocs_build, MACHINE_OUTPUTS)
    assert "api/v2/status.json" in ours
    assert sorted(theirs) == sorted(ours)
    assert [path for path in ours if ours[path] != theirs[path]] == []


def test_properdocs_writes_the_same_pages_but_for_its_name(
    properdocs_build: Path, example_build: Path
):
    ours, theirs = files(example_build, (".html",)), files(properdocs_build, (".html",))
    assert sorted(theirs) == sorted(ours)
    assert "index.html" in ours and len(ours) > 10  # pages were written, and compared
    differing = [
        path
        for path in ours
        if GENERATOR_META.sub(b"", ours[path]) != GENERATOR_META.sub(b"", theirs[path])
    ]
    assert differing == []


# -- an engine that skips the plugin is caught ----------------------------------------------------
def test_doctor_passes_a_site_flare_built(example_build: Path):
    result = flare("doctor", str(REPO), "-d", str(example_build))
    assert result.returncode == 0, result.stderr
    assert "holds Flare's status page, API, feeds, calendar and badges" in result.stdout


def test_doctor_fails_a_site_built_without_the_plugin(tmp_path: Path):
    """What an engine that skips unknown plugins publishes: the hand-written pages alone."""
    (tmp_path / "about").mkdir()
    (tmp_path / "about" / "index.html").write_text("<p>About</p>", encoding="utf-8")
    (tmp_path / "index.html").write_text("<p>Home</p>", encoding="utf-8")
    result = flare("doctor", str(REPO), "-d", str(tmp_path))
    assert result.returncode == 1
    assert (
        f"{tmp_path} lacks api/v2/status.json, history.atom, maintenance.ics, badges/status.svg: "
        "it was built without the flare plugin"
    ) in result.stderr


def test_doctor_says_when_there_is_no_built_site(tmp_path: Path):
    result = flare("doctor", str(REPO), "-d", str(tmp_path / "site"))
    assert result.returncode == 1
    assert (
        f"{tmp_path / 'site'} is not a folder: there is no built site to check; "
        "build it with flare build."
    ) in result.stderr
