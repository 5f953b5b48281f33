"""Never a half-built site: whatever stops `flare build` (an error at any step, Ctrl-C, a CI
runner's SIGTERM), the folder the site is served from holds the old site, whole, and nothing
half-built is left beside it.

Failures of the records and of MkDocs' early stages are in test_cli.py; these are the late ones,
signals sent to the real command, and the signal rules of generator/output.py, which builds
beside the site and swaps it in, checked in this process with real signals.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLE_NOW, FLARE, copy_example_site, flare
from generator.write.staging import Interrupted, build_and_replace
from support.records import write_simple_incidents
from support.waiting import wait_until

# Enough records that the build is still writing pages well after its staging folder appears.
RECORDS = 300


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``folder`` with its content hash and modification time."""
    return {
        str(path.relative_to(folder)): (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def leftovers(root: Path) -> list[str]:
    """Staging or retired folders of a build, which must never outlive it."""
    return sorted(path.name for path in root.iterdir() if path.name.startswith(".site."))


def writable(folder: Path) -> bool:
    try:
        (folder / "probe").mkdir()
    except PermissionError:
        return False
    (folder / "probe").rmdir()
    return True


def served_site(root: Path, example_build: Path) -> Path:
    """``root/site``: a complete site, as a previous build left it."""
    shutil.copytree(example_build, root / "site")
    return root / "site"


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory, example_build: Path) -> Path:
    """The example's configuration and pages with many generated records, and a served site."""
    root = copy_example_site(tmp_path_factory.mktemp("large"))
    shutil.rmtree(root / "incidents")
    write_simple_incidents(root / "incidents", RECORDS)
    served_site(root, example_build)
    return root


def wait_for_pages_in_staging(root: Path, build: subprocess.Popen[str]) -> Path:
    """The staging folder of a running build, once MkDocs has written pages into it."""

    def staging_with_pages() -> Path | None:
        if build.poll() is not None:
            pytest.fail(f"the build ended before it could be interrupted:\n{build.stderr.read()}")
        for staging in root.glob(".site.building-*"):
            if any(staging.glob("incidents/*/index.html")):
                return staging
        return None

    try:
        return wait_until(
            staging_with_pages,
            lambda staging: staging is not None,
            interval=0.01,
            what="pages in a staging folder",
        )
    except BaseException:
        build.kill()
        raise


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_an_interrupted_build_removes_its_staging_folder_and_leaves_the_site_as_it_was(
    large_site: Path, signum: signal.Signals
):
    if signal.getsignal(signum) is signal.SIG_IGN:
        pytest.skip(f"{signum.name} is ignored here (a background job?); flare inherits that")
    before = snapshot(large_site / "site")
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(EXAMPLE_NOW.timestamp()))}
    build = subprocess.Popen(
        [FLARE, "build", str(large_site)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        staging = wait_for_pages_in_staging(large_site, build)
        build.send_signal(signum)
        _, stderr = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()

    # It ends by the signal, as interrupted programs do, after saying what it left.
    assert build.returncode == -signum, stderr
    assert (
        f"flare: the build was interrupted by {signum.name}; {large_site / 'site'} is unchanged."
        in stderr
    )
    assert "Traceback" not in stderr
    assert not staging.exists()
    assert leftovers(large_site) == []
    assert snapshot(large_site / "site") == before


def test_a_build_that_fails_after_writing_every_file_leaves_the_site_as_it_was(
    tmp_path: Path, example_build: Path
):
    # The example builds in strict mode: a warning fails the build, and MkDocs counts warnings
    # only at the very end, after every page, feed and API file is in the staging folder.
    root = copy_example_site(tmp_path)
    site = served_site(root, example_build)
    before = snapshot(site)
    about = root / "site_src" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[Gone](no-such-page.md)\n")

    result = flare("build", str(root))

    assert result.returncode == 1
    assert "no-such-page.md" in result.stderr
    assert "Aborted with 1 warnings in strict mode" in result.stderr
    assert f"{site} is unchanged" in result.stderr
    assert "Traceback" not in result.stderr
    assert leftovers(root) == []
    assert snapshot(site) == before


def test_a_build_that_cannot_write_beside_the_site_says_so_and_changes_nothing(
    tmp_path: Path, example_build: Path
):
    root = copy_example_site(tmp_path)
    public = tmp_path / "public"
    public.mkdir()
    site = served_site(public, example_build)
    before = snapshot(site)
    public.chmod(0o555)  # the site's own files are writable, but nothing can be made beside it
    try:
        if writable(public):
            pytest.skip("this user writes into read-only folders (root?)")
        result = flare("build", str(root), "-d", str(site))
    finally:
        public.chmod(0o755)

    assert result.returncode == 1
    assert f"Permission denied: '{public}/.site.building-" in result.stderr
    assert f"{site} is unchanged" in result.stderr
    assert "Traceback" not in result.stderr
    assert leftovers(public) == []
    assert snapshot(site) == before


def test_a_stop_signal_the_process_ignores_stays_ignored(tmp_path: Path):
    # `nohup flare build` ignores SIGHUP, a shell's background job SIGINT: so does the build.
    target = tmp_path / "site"

    def build(staging: Path) -> None:
        (staging / "index.html").write_text("new", encoding="utf-8")
        os.kill(os.getpid(), signal.SIGHUP)
        (staging / "about.html").write_text("new", encoding="utf-8")

    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        build_and_replace(target, build)
    finally:
        signal.signal(signal.SIGHUP, previous)

    assert sorted(path.name for path in target.iterdir()) == ["about.html", "index.html"]
    assert leftovers(tmp_path) == []


def test_a_stop_signal_during_the_build_removes_the_half_built_folder(tmp_path: Path):
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("old", encoding="utf-8")

    def build(staging: Path) -> None:
        (staging / "index.html").write_text("new", encoding="utf-8")
        os.kill(os.getpid(), signal.SIGTERM)
        pytest.fail("the signal did not stop the build")

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Interrupted) as caught:
        build_and_replace(target, build)

    assert (caught.value.signum, caught.value.swapped) == (signal.SIGTERM, False)
    assert (target / "index.html").read_text(encoding="utf-8") == "old"
    assert leftovers(tmp_path) == []
    assert signal.getsignal(signal.SIGTERM) is before  # the handler is put back


def a_finished_process_id() -> int:
    """The id of a process that has ended (as a build killed with SIGKILL has)."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_build_removes_what_killed_builds_left_and_keeps_a_running_ones(
    tmp_path: Path, example_build: Path
):
    root = copy_example_site(tmp_path)
    site = served_site(root, example_build)
    dead = a_finished_process_id()
    for name in (f".site.building-{dead}-k1ll3d", f".site.retired-{dead}", ".site.building-x1"):
        (root / name / "incidents").mkdir(parents=True)
        (root / name / "incidents" / "index.html").write_text("half", encoding="utf-8")
    running = root / f".site.building-{os.getpid()}-running"
    running.mkdir()

    result = flare("build", str(root), "-d", str(site))

    assert result.returncode == 0, result.stderr
    assert leftovers(root) == [running.name]


def test_a_site_with_a_read_only_folder_is_not_replaced_and_nothing_is_left(
    tmp_path: Path, example_build: Path
):
    root = copy_example_site(tmp_path)
    site = served_site(root, example_build)
    locked = site / "incidents"
    before = snapshot(site)
    locked.chmod(0o555)
    try:
        if writable(locked):
            pytest.skip("this user writes into read-only folders (root?)")
        result = flare("build", str(root), "-d", str(site))
    finally:
        locked.chmod(0o755)

    assert result.returncode == 1
    assert f"cannot replace {site}: {locked} is read-only" in result.stderr
    assert leftovers(root) == []
    assert snapshot(site) == before
