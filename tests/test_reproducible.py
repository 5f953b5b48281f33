"""Reproducible builds: the same records and the same SOURCE_DATE_EPOCH give the same site, byte
for byte, wherever and however the records were checked out and whenever the build runs.

Each test runs the real `flare build` on copies of the example site and compares the output
trees file by file.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import EXAMPLE_NOW, FLARE, REPO, copy_example_site, flare
from support import tool_missing
from support.trees import differences, tree

EPOCH = int(EXAMPLE_NOW.timestamp())


def copy_differently(destination: Path) -> Path:
    """The example site copied as another checkout would hold it: the files created in the
    reverse order (so directories list them differently) and each with its own mtime."""
    sources = [REPO / "mkdocs.yml"]
    for folder in ("incidents", "site_src", "theme"):
        sources += [path for path in (REPO / folder).rglob("*") if path.is_file()]
    sources.sort(reverse=True)
    for number, source in enumerate(sources):
        target = destination / source.relative_to(REPO)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        os.utime(target, (1_000_000_000 + number * 86_400, 1_000_000_000 + number * 86_400))
    return destination


def build(
    root: Path,
    output: str,
    *,
    epoch: int,
    hash_seed: int = 0,
    timezone: str = "UTC",
    cwd: Path | None = None,
    clock: list[str] | None = None,
    workers: int | None = None,
    said: list[str] | None = None,
) -> Path:
    """Run `flare build` on ``root`` into ``output`` (relative to ``cwd``, or absolute), in a
    process of its own (``workers`` processes of its own, when given); what it printed on
    standard error goes into ``said`` when given. Cold: without the pages an earlier build of
    ``root`` kept (test_page_cache.py compares builds with and without them)."""
    shutil.rmtree(root / ".cache", ignore_errors=True)
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": str(epoch),
        "PYTHONHASHSEED": str(hash_seed),
        "TZ": timezone,
        **({"FLARE_WORKERS": str(workers)} if workers else {}),
    }
    result = subprocess.run(
        [*(clock or []), FLARE, "build", str(root), "-d", output],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    if said is not None:
        said.append(result.stderr)
    return (cwd or Path()) / output


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example built as a CI runner would: a plain copy, a relative output folder."""
    root = copy_example_site(tmp_path_factory.mktemp("first"))
    return build(root, "site", epoch=EPOCH, hash_seed=0, cwd=root)


def test_two_builds_of_the_same_records_are_identical_byte_for_byte(
    first_build: Path, tmp_path: Path
):
    # Another checkout: another (longer, non-ASCII, spaced) path, files created in another
    # order with other mtimes, another hash seed, another local time zone, run from elsewhere.
    root = copy_differently(tmp_path / "another checkout – zweite Kopie")
    second = build(
        root.resolve(),
        str((root / "public").resolve()),
        epoch=EPOCH,
        hash_seed=4242,
        timezone="Pacific/Kiritimati",
        cwd=tmp_path,
    )

    assert len(tree(second)) > 100
    assert differences(first_build, second) == []


def test_the_build_machine_clock_reaches_no_file(first_build: Path, tmp_path: Path):
    if shutil.which("faketime") is None:
        tool_missing(
            "faketime is missing: `make test-tools` installs it (apt-get install faketime)"
        )
    root = copy_example_site(tmp_path)
    elsewhen = ["faketime", "-f", "@2031-07-15 03:04:05"]  # years away, and ticking
    second = build(root, str(root / "site"), epoch=EPOCH, clock=elsewhen)

    assert differences(first_build, second) == []


def test_another_source_date_epoch_gives_another_site_dated_by_it(
    first_build: Path, tmp_path: Path
):
    later = EXAMPLE_NOW + timedelta(days=1, hours=3)
    root = copy_example_site(tmp_path)
    second = build(root, str(root / "site"), epoch=int(later.timestamp()))

    changed = differences(first_build, second)
    changed_files = {line.split(":")[0] for line in changed}
    assert {"index.html", "sitemap.xml", "sitemap.xml.gz", "api/v2/status.json"} <= changed_files
    sitemap = (second / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>(.*?)</lastmod>", sitemap)) == {"2026-11-24"}
    packed = (second / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(packed).decode("utf-8") == sitemap
    header_time = datetime.fromtimestamp(int.from_bytes(packed[4:8], "little"), UTC)
    assert header_time.date() == later.date()


def test_an_empty_source_date_epoch_builds_at_the_clock_time_and_mkdocs_agrees(tmp_path: Path):
    # An empty SOURCE_DATE_EPOCH (as `$(git log -1 --format=%ct)` gives outside a repository)
    # means the clock to Flare; MkDocs' int("") failed the build. Now the build hands MkDocs the
    # instant Flare describes, so the sitemap's date is the day the status page says it was built.
    root = copy_example_site(tmp_path)
    result = subprocess.run(
        [FLARE, "build", str(root)],
        env={**os.environ, "SOURCE_DATE_EPOCH": ""},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr

    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    built_at = datetime.fromisoformat(re.findall(r'Last updated <time datetime="([^"]+)"', home)[0])
    sitemap = (root / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>(.*?)</lastmod>", sitemap)) == {built_at.date().isoformat()}


def test_a_site_built_in_two_processes_is_the_one_built_in_one(tmp_path: Path):
    """A big site renders its pages and writes their policies in a process per core
    (FLARE_WORKERS, else the cores): the site is the same byte for byte as from one process.
    In processes of their own: a process with other threads, like the tests', never forks."""
    root = copy_example_site(tmp_path)
    said: list[str] = []
    one = build(root, str(tmp_path / "one"), epoch=EPOCH, workers=1, said=said)
    two = build(root, str(tmp_path / "two"), epoch=EPOCH, workers=2, said=said)

    assert "in 2 processes" not in said[0]
    assert "Flare renders its 43 pages in 2 processes" in said[1]  # the forks did the work
    assert differences(one, two) == []
    assert 'http-equiv="Content-Security-Policy"' in (two / "index.html").read_text("utf-8")


def test_a_number_of_workers_that_is_not_one_is_refused_with_what_to_give(tmp_path: Path):
    root = copy_example_site(tmp_path)
    result = flare("build", str(root), "-d", str(tmp_path / "site"), env={"FLARE_WORKERS": "0"})

    assert result.returncode != 0
    assert "FLARE_WORKERS='0': give a whole number of processes, 1 or more" in result.stderr
    assert not (tmp_path / "site").exists()
