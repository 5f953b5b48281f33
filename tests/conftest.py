"""Shared fixtures: a small status site written to a temporary folder, as an author would."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FLARE = str(Path(sys.executable).parent / "flare")

# The instant the example site's tests describe: the morning after the open webhook incident began.
EXAMPLE_NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

SMALL_CONFIG = """\
site_name: Test Status
docs_dir: site_src
theme:
  name: material
  font: false
plugins:
  - flare:
      components:
        - id: api
          name: Public API
          group: Platform
        - id: web
          name: Dashboard
          group: Platform
        - id: email
          name: Email
site_url: https://status.test.example/
"""

RESOLVED_INCIDENT = """\
title: Elevated error rates on the public API
impact: major
components: [api]
updates:
  - at: 2026-11-03T14:05:00Z
    status: investigating
    body: We are seeing elevated error rates.
  - at: 2026-11-03T15:10:00+01:00
    status: resolved
    body: Error rates are back to normal.
"""


class SiteFolder:
    """A status site on disk: mkdocs.yml, site_src/ and incidents/, written by the test."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.config = root / "mkdocs.yml"
        self.incidents = root / "incidents"
        self.config.write_text(SMALL_CONFIG, encoding="utf-8")
        (root / "site_src").mkdir()
        (root / "site_src" / "about.md").write_text("# About\n", encoding="utf-8")
        self.incidents.mkdir()

    def record(self, name: str, text: str) -> Path:
        """Write a record file (``name`` relative to incidents/); text is dedented."""
        path = self.incidents / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def raw_record(self, name: str, data: bytes) -> Path:
        path = self.incidents / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path


@pytest.fixture
def site_folder(tmp_path: Path) -> SiteFolder:
    return SiteFolder(tmp_path)


@pytest.fixture
def write_site(tmp_path: Path) -> Callable[[], SiteFolder]:
    """For tests needing more than one site folder."""
    count = 0

    def make() -> SiteFolder:
        nonlocal count
        count += 1
        root = tmp_path / f"site{count}"
        root.mkdir()
        return SiteFolder(root)

    return make


@pytest.fixture(scope="session")
def example_now() -> datetime:
    return EXAMPLE_NOW


@pytest.fixture(scope="session")
def example_site():
    """The repository's own example site, loaded as `flare build` would load it."""
    from generator.validate.site import load_site

    return load_site(REPO / "mkdocs.yml", EXAMPLE_NOW)


@dataclass(frozen=True)
class Ran:
    """What a `flare` command did: its exit status and what it printed."""

    returncode: int
    stdout: str
    stderr: str


def flare(
    *args: str,
    cwd: Path | None = None,
    now: datetime = EXAMPLE_NOW,
    env: dict[str, str] | None = None,
    input: str | None = None,
) -> Ran:
    """Run the `flare` command in this process, as its entry point would, with ``now`` (the
    example's reference instant unless given) as SOURCE_DATE_EPOCH; from ``cwd`` when given,
    with ``input`` as its standard input.

    In-process, since starting Python for every command is what made the suite slow; a test
    where the process itself is the point (signals, a server) uses :func:`flare_process`.
    """
    from click.testing import CliRunner

    from generator.cli import main

    try:
        runner = CliRunner(mix_stderr=False)  # click 8.1; later versions always keep stderr apart
    except TypeError:
        runner = CliRunner()
    with contextlib.chdir(cwd or Path.cwd()):
        result = runner.invoke(
            main,
            list(args),
            env={"SOURCE_DATE_EPOCH": str(int(now.timestamp())), **(env or {})},
            prog_name="flare",
            input=input,
            catch_exceptions=False,
        )
    return Ran(result.exit_code, result.stdout, result.stderr)


def flare_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `flare` command as a process of its own, as :func:`flare` does."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(EXAMPLE_NOW.timestamp()))}
    return subprocess.run(
        [FLARE, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def copy_example_site(destination: Path) -> Path:
    for name in ("mkdocs.yml", "incidents", "site_src", "theme"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        else:
            shutil.copy2(source, destination / name)
    return destination


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site built once with `flare build`, for tests that only read the output."""
    root = copy_example_site(tmp_path_factory.mktemp("example-build"))
    result = flare("build", str(root), "-d", str(root / "site"))
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright, for one test module; skipped (or, in CI,
    failed) with the reason when it is missing."""
    from support import tool_missing
    from support.browser import browser_missing_reason, launch

    reason = browser_missing_reason()
    if reason:
        tool_missing(reason)
    with launch() as running:
        yield running
