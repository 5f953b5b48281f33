"""The `flare` command end to end: the real console script on real folders."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLE_NOW, FLARE, REPO, copy_example_site, flare, flare_process
from support.waiting import fetch_text, wait_until

BROKEN_RECORD = """\
title: Broken on purpose
impact: major
components: [api]
updates:
  - at: 2026-11-03T14:05:00Z
    status: investigatng
    body: Something is wrong.
"""


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


@pytest.fixture(scope="module")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site copied to a temporary folder and built once with `flare build`."""
    root = copy_example_site(tmp_path_factory.mktemp("example"))
    result = flare("build", str(root))
    assert result.returncode == 0, result.stderr
    return root


def test_validate_accepts_the_example_records():
    result = flare("validate", str(REPO))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "20 records, 8 components: no errors"
    assert "error" not in result.stderr


def test_build_writes_the_site_with_a_home_page_listing_every_component(built_example: Path):
    home = (built_example / "site" / "index.html").read_text(encoding="utf-8")
    for name in ("Public API", "Dashboard", "Sign-in and SSO", "Webhooks", "Email notifications"):
        assert name in home
    assert "Degraded performance" in home  # the open webhook incident
    assert not list(built_example.glob(".site.building-*")), "the staging folder was left behind"


def test_a_broken_record_fails_the_build_and_leaves_the_site_as_it_was(built_example: Path):
    before = snapshot(built_example / "site")
    broken = built_example / "incidents" / "2026" / "broken.yaml"
    broken.write_text(BROKEN_RECORD, encoding="utf-8")
    try:
        result = flare("build", str(built_example))
    finally:
        broken.unlink()
    assert result.returncode == 1
    assert (
        "incidents/2026/broken.yaml:6:13: error: updates[0].status: found 'investigatng'; "
        "allowed: investigating, identified, monitoring, resolved" in result.stderr
    )
    assert "nothing was built" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(built_example / "site") == before
    assert not list(built_example.glob(".site.building-*"))


def test_a_build_that_fails_inside_mkdocs_also_leaves_the_site_as_it_was(built_example: Path):
    """A mistake only the page engine sees (a hand-written page linking to a page that does
    not exist, which strict mode refuses) fails the build and leaves the site as it was."""
    before = snapshot(built_example / "site")
    page = built_example / "site_src" / "about.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(original + "\nSee [the old page](no-such-page.md).\n", encoding="utf-8")
    try:
        result = flare("build", str(built_example))
    finally:
        page.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    assert "no-such-page.md" in result.stderr
    assert "is unchanged" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(built_example / "site") == before
    assert not list(built_example.glob(".site.building-*"))


def test_a_second_build_replaces_the_site_whole(built_example: Path):
    stale = built_example / "site" / "stale.html"
    stale.write_text("left over", encoding="utf-8")
    result = flare("build", str(built_example), "-d", str(built_example / "site"))
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert (built_example / "site" / "index.html").is_file()


def test_build_writes_where_it_is_told(built_example: Path, tmp_path: Path):
    output = tmp_path / "public"
    result = flare("build", str(built_example), "-d", str(output))
    assert result.returncode == 0, result.stderr
    assert (output / "index.html").is_file()


def test_validate_reports_every_error_of_the_run_and_exits_1(tmp_path: Path):
    root = copy_example_site(tmp_path)
    (root / "incidents" / "a.yaml").write_text(BROKEN_RECORD, encoding="utf-8")
    (root / "incidents" / "b.yaml").write_text("title: [\n", encoding="utf-8")
    result = flare("validate", str(root))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [line.split(":")[0] for line in errors] == ["incidents/a.yaml", "incidents/b.yaml"]
    assert "2 errors" in result.stderr


@pytest.mark.parametrize(
    "args",
    [("validate", "no-such-folder"), ("build", "--no-such-option"), ("frobnicate",)],
)
def test_wrong_usage_exits_2(args: tuple[str, ...], tmp_path: Path):
    result = flare(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert "Usage:" in result.stderr


def test_a_folder_without_mkdocs_yml_is_wrong_usage(tmp_path: Path):
    result = flare("validate", str(tmp_path))
    assert result.returncode == 2
    assert f"neither {tmp_path} nor any folder above it holds mkdocs.yml" in result.stderr


@pytest.mark.parametrize("command", ["validate", "build", "serve", "schema"])
def test_every_command_explains_itself(command: str):
    result = flare(command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(f"Usage: flare {command}")
    assert len(result.stdout.splitlines()) > 5


def test_the_committed_schema_is_the_one_the_models_give():
    result = flare("schema")
    assert result.returncode == 0
    committed = (REPO / "schema" / "incident.schema.json").read_text(encoding="utf-8")
    assert json.loads(result.stdout) == json.loads(committed), (
        "schema/incident.schema.json is stale: run `make schema` and commit it"
    )


def test_serve_rebuilds_the_preview_when_a_record_changes(tmp_path: Path):
    root = copy_example_site(tmp_path)
    with serving(root) as url:
        home = wait_until(lambda: fetch_text(url), lambda page: "Public API" in page)
        assert "Major outage" not in home
        (root / "incidents" / "outage.yaml").write_text(
            "title: API down\nimpact: critical\ncomponents: [api]\nupdates:\n"
            "  - at: 2026-11-23T11:00:00Z\n    status: investigating\n    body: The API is down.\n",
            encoding="utf-8",
        )
        wait_until(lambda: fetch_text(url), lambda page: "Major outage" in page)


def test_serve_keeps_answering_while_a_record_is_invalid_and_recovers(tmp_path: Path):
    """Mid-edit, a record is invalid: the preview answers with the last good site and says what
    is wrong on the page; the next save that fixes it brings the change in."""
    root = copy_example_site(tmp_path)
    record = root / "incidents" / "outage.yaml"
    with serving(root) as url:
        wait_until(lambda: fetch_text(url), lambda page: "Public API" in page)
        record.write_text("title: API down\nimpact: critical\ncomponents: [api]\n", "utf-8")
        broken = wait_until(
            lambda: fetch_text(url), lambda page: "This preview shows the last good" in page
        )
        assert "incidents/outage.yaml" in broken and "updates" in broken
        assert "Public API" in broken  # the last good site, still there
        record.write_text(
            "title: API down\nimpact: critical\ncomponents: [api]\nupdates:\n"
            "  - at: 2026-11-23T11:00:00Z\n    status: investigating\n    body: Down.\n",
            encoding="utf-8",
        )
        fixed = wait_until(lambda: fetch_text(url), lambda page: "Major outage" in page)
        assert "This preview shows the last good" not in fixed


def test_serve_keeps_answering_while_the_plugins_settings_are_invalid(tmp_path: Path):
    root = copy_example_site(tmp_path)
    config = root / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    with serving(root) as url:
        wait_until(lambda: fetch_text(url), lambda page: "Public API" in page)
        config.write_text(original.replace("timezone: UTC", "timezone: Mars/Base"), "utf-8")
        broken = wait_until(
            lambda: fetch_text(url), lambda page: "This preview shows the last good" in page
        )
        assert "unknown timezone &#x27;Mars/Base&#x27;" in broken
        config.write_text(original, encoding="utf-8")
        wait_until(
            lambda: fetch_text(url), lambda page: "This preview shows the last good" not in page
        )


@contextlib.contextmanager
def serving(root: Path) -> Iterator[str]:
    """`flare serve` on the site in ``root``, as its own process; yields the preview's address."""
    port = free_port()
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(EXAMPLE_NOW.timestamp()))}
    server = subprocess.Popen(
        [FLARE, "serve", str(root), "--dev-addr", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=60)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_on_a_busy_address_explains_itself_without_a_traceback(tmp_path: Path):
    import socket

    root = copy_example_site(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = flare_process("serve", str(root), "--dev-addr", f"127.0.0.1:{port}")
    assert result.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_speaks_github_annotations_for_pull_requests(tmp_path: Path):
    root = copy_example_site(tmp_path)
    (root / "incidents" / "a.yaml").write_text(BROKEN_RECORD, encoding="utf-8")
    result = flare("validate", "--format", "github", str(root))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "::error file=incidents/a.yaml,line=6,col=13,title=updates[0].status::found "
        "'investigatng'; allowed: investigating, identified, monitoring, resolved "
        "(did you mean 'investigating'?)"
    )


def test_validate_speaks_json_for_other_tools(tmp_path: Path):
    root = copy_example_site(tmp_path)
    valid = json.loads(flare("validate", "--format", "json", str(root)).stdout)
    (root / "incidents" / "a.yaml").write_text(BROKEN_RECORD, encoding="utf-8")
    result = flare("validate", "--format", "json", str(root))
    invalid = json.loads(result.stdout)
    assert (valid["valid"], valid["records"]) == (True, 20)
    assert result.returncode == 1
    assert invalid["valid"] is False
    assert invalid["diagnostics"][0] == {
        "severity": "error", "file": "incidents/a.yaml", "line": 6, "column": 13,
        "field": "updates[0].status",
        "message": "found 'investigatng'; allowed: investigating, identified, monitoring, "
        "resolved (did you mean 'investigating'?)",
    }  # fmt: skip


def test_the_built_site_is_readable_by_a_web_server_running_as_another_user(built_example: Path):
    import stat

    mode = (built_example / "site").stat().st_mode
    assert mode & stat.S_IROTH and mode & stat.S_IXOTH, oct(mode)


def test_a_bug_during_a_build_shows_its_traceback_and_leaves_the_site_as_it_was(tmp_path: Path):
    """An exception that is no user's mistake (here a MkDocs hook's KeyError standing in for a
    bug) is reported whole, as a bug, never dressed up as a failed build; the site stays."""
    root = copy_example_site(tmp_path)
    assert flare("build", str(root)).returncode == 0
    before = {path: path.read_bytes() for path in (root / "site").rglob("*") if path.is_file()}
    (root / "broken_hook.py").write_text(
        "def on_post_build(config):\n    raise KeyError('api')\n", encoding="utf-8"
    )
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks:\n  - broken_hook.py\n")

    result = flare("build", str(root))

    assert result.returncode == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "KeyError: 'api'" in result.stderr
    assert "this is a bug in Flare" in result.stderr
    assert "the build failed" not in result.stderr
    after = {path: path.read_bytes() for path in (root / "site").rglob("*") if path.is_file()}
    assert after == before
