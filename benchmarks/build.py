"""Benchmark: validate and build a status site with many records; run on demand, not in tests.

    .venv/bin/python benchmarks/build.py --records 1000

Writes a synthetic site (the example's mkdocs.yml and pages, plus N generated incidents spread
over three years) to a temporary folder, then times `flare validate` and `flare build` and
reports each one's peak memory (max RSS of the child process).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FLARE = str(Path(sys.executable).parent / "flare")
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
COMPONENTS = ["api", "dashboard", "auth", "storage", "search", "exports", "webhooks", "email"]
IMPACTS = ["none", "minor", "major", "critical"]
STATES = ["degraded_performance", "partial_outage", "major_outage"]


def write_records(incidents: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for number in range(count):
        start = NOW - timedelta(minutes=rng.randrange(60, 3 * 365 * 24 * 60))
        components = rng.sample(COMPONENTS, rng.randint(1, 3))
        lines = [
            f"title: Synthetic incident number {number}",
            f"impact: {rng.choice(IMPACTS)}",
            f"components: [{', '.join(components)}]",
            "updates:",
        ]
        at = start
        for status in ("investigating", "identified", "monitoring", "resolved"):
            lines += [
                f"  - at: {at.isoformat()}",
                f"    status: {status}",
                f"    components: {{{components[0]}: {rng.choice(STATES)}}}"
                if status == "identified"
                else "",
                "    body: |",
                "      We are looking into **elevated error rates**; next update in 30 minutes.",
            ]
            at += timedelta(minutes=rng.randint(5, 90))
        folder = incidents / str(start.year)
        folder.mkdir(parents=True, exist_ok=True)
        text = "\n".join(line for line in lines if line) + "\n"
        (folder / f"{start:%Y-%m-%d}-synthetic-{number}.yaml").write_text(text, encoding="utf-8")


def run(*args: str) -> tuple[float, float]:
    """Seconds and peak memory (MiB) of one flare command."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run([FLARE, *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"flare {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="flare-bench-") as folder:
        root = Path(folder)
        shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(REPO / "site_src", root / "site_src")
        shutil.copytree(REPO / "theme", root / "theme")
        write_records(root / "incidents", options.records)
        for command in (("validate", str(root)), ("build", str(root), "-d", str(root / "site"))):
            seconds, mebibytes = run(*command)
            print(
                f"flare {command[0]:<8} {options.records:>6} records: "
                f"{seconds:6.2f} s, peak RSS {mebibytes:6.1f} MiB"
            )
        pages = sum(1 for _ in (root / "site").rglob("index.html"))
        size = sum(p.stat().st_size for p in (root / "site").rglob("*") if p.is_file())
        print(f"site: {pages} pages, {size / 1_048_576:.1f} MiB")


if __name__ == "__main__":
    main()
