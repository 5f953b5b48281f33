"""How long Flare takes, and how much memory, on status sites of 100 to 10,000 records.

Run on demand, never in the test suite (a timed assert there fails on a busy machine and
proves nothing on an idle one):

    .venv/bin/python benchmarks/run.py --records 100 1000 --runs 3 --markdown

For each count it writes a synthetic site (benchmarks/records.py) to a temporary folder, then
in every run times, each in a child process of its own: `flare validate` with nothing kept from
earlier runs, and again with the record values the first one kept; a cold build into an empty
folder, nothing kept; a rebuild after one record's title changed; a rebuild with nothing
changed; and the reference, a bare mkdocs-material site with as many Markdown pages as
Flare's site has HTML pages, built in the same run so that both see the same machine and the
same load. It reports the median of the runs for wall time, CPU time (user + system) and
peak memory (the child's maximum resident set size, from wait4), and the size of what the last
build wrote.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from records import SOURCE_DATE_EPOCH, write_site

BIN = Path(sys.executable).parent
FLARE = str(BIN / "flare")
MKDOCS = str(BIN / "mkdocs")
STEPS = ("validate", "revalidate", "cold", "changed", "unchanged", "reference")
HEADINGS = {
    "validate": "validate",
    "revalidate": "validate again",
    "cold": "cold build",
    "changed": "one record changed",
    "unchanged": "nothing changed",
    "reference": "mkdocs-material alone",
}
REFERENCE_NAV = 6  # Flare's example lists six pages in nav:, however many it builds
WORDS = (
    "status service request customers update region database latency queue release traffic "
    "capacity network storage account dashboard report export delivery minutes window change "
    "alert engineer cluster replica endpoint retry timeout certificate deploy rollback"
).split()


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # seconds of user and system time
    peak: float  # MiB of maximum resident set size


@dataclass(frozen=True)
class Output:
    files: int
    pages: int  # index.html files
    total: int  # bytes
    search_index: int  # bytes of search/search_index.json
    largest: tuple[int, str]  # bytes and path of the largest HTML page


def measure(command: list[str]) -> tuple[Sample, str]:
    """Run ``command`` once; its wall time, its own CPU time and peak memory, and its output.

    ``os.wait4`` gives the child's own resource use: the maximum resident set size that
    ``getrusage(RUSAGE_CHILDREN)`` reports is the largest of all children so far, not this one's.
    """
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    if child.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({child.returncode}):\n{text[-3000:]}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024), text


def median(samples: list[Sample]) -> Sample:
    return Sample(
        statistics.median(s.wall for s in samples),
        statistics.median(s.cpu for s in samples),
        statistics.median(s.peak for s in samples),
    )


def build(root: Path) -> list[str]:
    return [FLARE, "build", str(root), "-d", str(root / "site")]


def retitle(record: Path, run: int) -> None:
    """Change one record's title, as an author correcting it would."""
    text = record.read_text(encoding="utf-8")
    title = f"title: Edited title for the benchmark, run {run + 1}"
    record.write_text(re.sub(r"(?m)^title: .*$", title, text, count=1), encoding="utf-8")


def write_reference(root: Path, pages: int, seed: int) -> None:
    """A bare mkdocs-material site of ``pages`` pages, each a title, 3 to 5 short paragraphs and
    a list (about an incident page's text), with only a few of them in nav: as in Flare's."""
    rng = random.Random(seed)
    docs = root / "docs"
    (docs / "notes").mkdir(parents=True)
    names = ["index.md"] + [f"notes/note-{number:05d}.md" for number in range(1, pages)]
    for number, name in enumerate(names):
        paragraphs = [_sentences(rng, rng.randint(2, 4)) for _ in range(rng.randint(3, 5))]
        items = [f"- {_sentences(rng, 1)}" for _ in range(rng.randint(3, 6))]
        title = f"# Note {number}: {' '.join(rng.sample(WORDS, 4)).capitalize()}"
        text = "\n\n".join([title, *paragraphs, "\n".join(items)]) + "\n"
        (docs / name).write_text(text, encoding="utf-8")
    nav = "\n".join(f"  - {name}" for name in names[:REFERENCE_NAV])
    (root / "mkdocs.yml").write_text(
        "site_name: Reference\nsite_url: https://docs.example.com/\n"
        "theme:\n  name: material\n  font: false\nplugins:\n  - search\n"
        f"nav:\n{nav}\n",
        encoding="utf-8",
    )


def _sentences(rng: random.Random, count: int) -> str:
    return " ".join(
        " ".join(rng.choices(WORDS, k=rng.randint(8, 16))).capitalize() + "." for _ in range(count)
    )


def output_of(site: Path) -> Output:
    files = [path for path in site.rglob("*") if path.is_file()]
    pages = [path for path in files if path.name.endswith(".html")]
    largest = max(pages, key=lambda path: path.stat().st_size)
    search_index = site / "search" / "search_index.json"
    return Output(
        files=len(files),
        pages=sum(1 for path in files if path.name == "index.html"),
        total=sum(path.stat().st_size for path in files),
        search_index=search_index.stat().st_size if search_index.exists() else 0,
        largest=(largest.stat().st_size, str(largest.relative_to(site))),
    )


def bench(
    count: int, runs: int, steps: set[str], seed: int
) -> tuple[dict[str, Sample], Output | None, list[str]]:
    """The median of each step over ``runs``, the output of the last build, and any warnings
    `flare validate` printed."""
    samples: dict[str, list[Sample]] = {step: [] for step in STEPS if step in steps}
    warnings: list[str] = []
    with tempfile.TemporaryDirectory(prefix=f"flare-bench-{count}-") as folder:
        root, reference = Path(folder) / "flare", Path(folder) / "reference"
        records = write_site(root, count, seed)
        edited = records[len(records) // 2]
        for run in range(runs):
            if "validate" in steps:
                shutil.rmtree(root / ".cache", ignore_errors=True)  # what Flare keeps
                text = _timed(count, run, "validate", [FLARE, "validate", str(root)], samples)
                warnings = [line for line in text.splitlines() if ": warning: " in line]
            if "revalidate" in steps:
                _timed(count, run, "revalidate", [FLARE, "validate", str(root)], samples)
            if "cold" in steps:
                shutil.rmtree(root / "site", ignore_errors=True)
                shutil.rmtree(root / ".cache", ignore_errors=True)  # Flare's kept pages
                _timed(count, run, "cold", build(root), samples)
            needs_site = steps & {"changed", "unchanged", "reference"}
            if needs_site and not (root / "site").is_dir():
                measure(build(root))
            if "changed" in steps:
                retitle(edited, run)
                _timed(count, run, "changed", build(root), samples)
            if "unchanged" in steps:
                _timed(count, run, "unchanged", build(root), samples)
            if "reference" in steps:
                if not reference.is_dir():
                    write_reference(reference, output_of(root / "site").pages, seed)
                shutil.rmtree(reference / "site", ignore_errors=True)
                command = [MKDOCS, "build", "-q", "-f", str(reference / "mkdocs.yml")]
                _timed(count, run, "reference", command, samples)
        output = output_of(root / "site") if (root / "site").is_dir() else None
        if output is not None and reference.is_dir():
            built = output_of(reference / "site").pages
            if built != output.pages:
                sys.exit(f"the reference built {built} pages, Flare {output.pages}")
    return {step: median(taken) for step, taken in samples.items()}, output, warnings


def _timed(
    count: int, run: int, step: str, command: list[str], samples: dict[str, list[Sample]]
) -> str:
    """Measure ``command`` as a sample of ``step``, say so on stderr, and return its output."""
    sample, text = measure(command)
    samples[step].append(sample)
    print(
        f"{count:>6} records, run {run + 1}: {step:<9} {sample.wall:8.2f} s wall "
        f"{sample.cpu:8.2f} s CPU {sample.peak:7.0f} MiB",
        file=sys.stderr,
        flush=True,
    )
    return text


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    memory = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
    return (
        f"{os.cpu_count()} CPUs ({model.group(1) if model else platform.machine()}), "
        f"{int(memory.group(1)) / 1024**2:.1f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _cell(sample: Sample | None) -> str:
    if sample is None:
        return ""
    return f"{sample.wall:.2f} s · {sample.cpu:.2f} s CPU · {sample.peak:.0f} MiB"


def _size(size: float) -> str:
    for unit in ("B", "KiB", "MiB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"


def markdown(results: list[tuple[int, int, dict[str, Sample], Output | None]]) -> str:
    time_rows = [
        "| records | runs | " + " | ".join(HEADINGS.values()) + " | cold ÷ alone |",
        "| ---: | ---: |" + " --- |" * len(HEADINGS) + " ---: |",
    ]
    size_rows = [
        "| records | HTML pages | files | site | search index | largest page |",
        "| ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for count, runs, medians, output in results:
        cells = [_cell(medians.get(step)) for step in STEPS]
        cold, alone = medians.get("cold"), medians.get("reference")
        ratio = f"{cold.wall / alone.wall:.1f}" if cold and alone else ""
        time_rows.append(f"| {count:,} | {runs} | " + " | ".join(cells) + f" | {ratio} |")
        if output is not None:
            size, path = output.largest
            size_rows.append(
                f"| {count:,} | {output.pages:,} | {output.files:,} | {_size(output.total)} | "
                f"{_size(output.search_index)} | {_size(size)} (`{path}`) |"
            )
    return "\n".join(time_rows) + "\n\n" + "\n".join(size_rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--only",
        type=lambda text: set(text.split(",")),
        default=set(STEPS),
        help=f"comma-separated steps among {','.join(STEPS)} (default: all)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--markdown", action="store_true", help="print the README's tables")
    options = parser.parse_args()
    if unknown := options.only - set(STEPS):
        parser.error(f"unknown steps {', '.join(sorted(unknown))}; choose among {STEPS}")
    before = load_average()
    results = []
    for count in options.records:
        medians, output, warnings = bench(count, options.runs, options.only, options.seed)
        results.append((count, options.runs, medians, output))
        for warning in warnings:
            print(f"flare validate warned: {warning}", file=sys.stderr)
    print(f"Machine: {machine()}")
    print(f"Load average (1, 5, 15 min): {before} before, {load_average()} after")
    print()
    if options.markdown:
        print(markdown(results))
        return
    for count, _, medians, output in results:
        for step, sample in medians.items():
            print(f"{count:>6} records  {HEADINGS[step]:<22} {_cell(sample)}")
        if output is not None:
            print(
                f"{count:>6} records  output: {output.pages} pages, {output.files} files, "
                f"{_size(output.total)}, search index {_size(output.search_index)}, "
                f"largest page {_size(output.largest[0])} ({output.largest[1]})"
            )


if __name__ == "__main__":
    main()
