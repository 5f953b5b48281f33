"""Safe at 3 a.m.: what a tired author does by mistake never reaches the public page unsaid.

Each test drives the ``flare`` command as an author would, on real files, for one of the ways a
change could publish something wrong without a word.
"""

from __future__ import annotations

from pathlib import Path

from conftest import SiteFolder, flare

OPEN_INCIDENT = """\
title: Elevated API errors
impact: major
components: [api]
updates:
  - at: 2026-11-23T10:00:00Z
    status: investigating
    body: Some requests fail.
"""


# -- the site is found from any folder inside it, and files keep their layout ----------------------
def test_commands_find_the_site_from_a_folder_inside_it(site_folder: SiteFolder):
    path = site_folder.record("2026/errors.yaml", OPEN_INCIDENT)
    inside = path.parent

    validated = flare("validate", cwd=inside)
    assert validated.returncode == 0, validated.stderr
    assert validated.stdout.strip() == "1 record, 3 components: no errors"

    updated = flare("update", "errors", "--status", "identified", "-m", "A bad deploy.", cwd=inside)
    assert updated.returncode == 0, updated.stderr
    assert "A bad deploy." in path.read_text(encoding="utf-8")


def test_an_edit_keeps_crlf_line_ends_and_a_byte_order_mark(site_folder: SiteFolder):
    original = b"\xef\xbb\xbf" + OPEN_INCIDENT.replace("\n", "\r\n").encode("utf-8")
    path = site_folder.raw_record("errors.yaml", original)

    result = flare(
        "update", "errors", "--status", "identified", "-m", "A bad deploy.",
        "-C", str(site_folder.root),
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n") > OPEN_INCIDENT.count("\n")
    assert data.startswith(original[: original.index(b"updates:")])
    assert b"A bad deploy." in data


def test_an_lf_file_without_a_byte_order_mark_stays_so(site_folder: SiteFolder):
    path = site_folder.record("errors.yaml", OPEN_INCIDENT)
    result = flare(
        "update", "errors", "--status", "identified", "-m", "A bad deploy.",
        "-C", str(site_folder.root),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = path.read_bytes()
    assert b"\r" not in data
    assert not data.startswith(b"\xef\xbb\xbf")


def test_a_folder_outside_any_site_is_wrong_usage(tmp_path: Path):
    result = flare("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "nor any folder above it holds mkdocs.yml" in result.stderr
