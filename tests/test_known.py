"""Record files' values kept between runs: a file whose bytes were read before is not parsed
again, and says exactly what a fresh parse says, its errors' lines included."""

from __future__ import annotations

from pathlib import Path

from conftest import SiteFolder, flare
from generator.load.known import CACHE_DIR, FILE_NAME, KnownValues
from generator.load.yamlsource import KnownDocument, read_yaml_file

RECORD = """\
title: Slow dashboard
impact: minor
components: [api]
updates:
  - at: 2026-11-20T10:00:00Z
    status: investigating
    body: Pages take seconds to load.
  - at: 2026-11-20T11:00:00Z
    status: resolved
    body: Fixed.
"""


def test_a_file_read_before_gives_its_value_and_finds_its_positions_when_asked(tmp_path: Path):
    record = tmp_path / "record.yaml"
    record.write_text(RECORD, encoding="utf-8")
    kept = tmp_path / "cache" / FILE_NAME
    first = KnownValues(kept)
    parsed = first.read(record)
    first.save()

    again = KnownValues(kept).read(record)

    assert not isinstance(parsed, KnownDocument)
    assert isinstance(again, KnownDocument)
    assert again.value == parsed.value == read_yaml_file(record).value
    assert again.position_of(("updates", 1, "status")) == parsed.position_of(
        ("updates", 1, "status")
    )
    assert again.position_of(("impact",), key=True).line == 2


def test_a_changed_file_is_parsed_again_and_only_the_files_of_the_last_run_are_kept(
    tmp_path: Path,
):
    record = tmp_path / "record.yaml"
    record.write_text(RECORD, encoding="utf-8")
    kept = tmp_path / "cache" / FILE_NAME
    known = KnownValues(kept)
    known.read(record)
    known.save()
    record.write_text(RECORD.replace("Slow dashboard", "Slow dashboard in Europe"), "utf-8")

    known = KnownValues(kept)
    changed = known.read(record)
    known.save()

    assert not isinstance(changed, KnownDocument)
    assert changed.value["title"] == "Slow dashboard in Europe"
    assert len(KnownValues(kept)._known) == 1  # the old version's value is gone


def test_a_damaged_or_foreign_cache_file_is_ignored(tmp_path: Path):
    record = tmp_path / "record.yaml"
    record.write_text(RECORD, encoding="utf-8")
    kept = tmp_path / FILE_NAME
    for content in (b"", b"not a pickle", b"\x80\x05N."):  # the last: a pickled None
        kept.write_bytes(content)
        document = KnownValues(kept).read(record)
        assert document.value["title"] == "Slow dashboard"


def test_validate_reports_a_known_files_error_at_the_same_line_as_a_fresh_parse(
    site_folder: SiteFolder,
):
    site_folder.record("bad.yaml", RECORD.replace("impact: minor", "impact: tiny"))
    first = flare("validate", str(site_folder.root))
    assert (site_folder.root / CACHE_DIR / FILE_NAME).is_file()
    second = flare("validate", str(site_folder.root))

    assert first.returncode == second.returncode == 1
    assert "bad.yaml:2:9: error: impact" in first.stdout + first.stderr
    assert (first.stdout, first.stderr) == (second.stdout, second.stderr)
