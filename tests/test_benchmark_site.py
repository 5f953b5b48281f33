"""The benchmark's synthetic site stays a valid Flare site as the record format grows: a
benchmark that cannot build measures nothing, and nothing else would notice."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from conftest import REPO, flare


def benchmark_records():
    """benchmarks/records.py, which is a script beside the package, not part of it."""
    name = "benchmark_records"
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / "records.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_benchmarks_site_validates_and_builds_at_its_instant(tmp_path: Path):
    records = benchmark_records()
    site = tmp_path / "site"
    written = records.write_site(site, 60, 7)
    assert len(written) >= 60

    validated = flare("validate", str(site), now=records.NOW)
    assert validated.returncode == 0, validated.stderr
    assert "no errors" in validated.stdout
    built = flare("build", str(site), now=records.NOW)
    assert built.returncode == 0, built.stderr
