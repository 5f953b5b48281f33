"""Properties over generated records (hypothesis): any valid record builds and has its page;
any mangled record is either still valid or refused with errors an author can act on.

What "an author can act on" means, precisely: every error names the record's file, and every
error has a line and column inside that file, except the errors about the file as a whole, which
have no line to point at:

- the file is empty: no bytes, only spaces and comments, or a document with no value (``---``,
  ``~``, ``null``);
- the file is larger than Flare reads (1 MiB);
- the file cannot be read at all (its permissions, or it vanished while being read).

A file that is not UTF-8 is not among them: its error points at the first byte that is not.
Nothing else may come out of validation: no other exception, and no hang.

The examples are derandomized and no example database is kept, so every run, here and in CI,
tries the same examples. To look further, run a copy with more ``max_examples`` and
``derandomize=False``; each bug found so far has a plain regression test beside the code's
other tests (test_yamlsource.py, test_views.py).
"""

from __future__ import annotations

import re
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import lxml.html
import pytest
import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE_NOW, REPO, SMALL_CONFIG, SiteFolder, flare
from generator.errors import InvalidSite, Severity
from generator.model.components import ComponentState
from generator.model.records import IncidentStatus, MaintenanceStatus
from generator.validate.site import load_site

COMPONENTS = ["api", "web", "email"]
STATES = [s.value for s in ComponentState if s is not ComponentState.UNDER_MAINTENANCE]

# Errors about a whole file, which have no line (see the module's docstring).
WHOLE_FILE_ERRORS = ("the file is empty;", "cannot read the file:")
WHOLE_FILE_SIZE_ERROR = "bytes; Flare reads files of at most"


# -- valid records ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GeneratedRecord:
    record_id: str
    title: str
    text: str


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, escaped where YAML needs it."""
    return yaml.safe_dump(text, allow_unicode=True, default_style='"', width=10**9).strip()


# Printable: letters, marks, numbers, punctuation, symbols and spaces of every script; no
# control, format, surrogate or private-use characters, no line or paragraph separators.
printable = st.characters(codec="utf-8", categories=["L", "M", "N", "P", "S", "Zs"])
titles = st.text(printable, min_size=1, max_size=40).filter(str.strip)
bodies = st.text(printable, min_size=1, max_size=80).filter(str.strip)
record_ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,24}", fullmatch=True)


EARLIEST = EXAMPLE_NOW - timedelta(days=400)
MINUTES = 420 * 24 * 60  # the span of the records' times, from EARLIEST


@st.composite
def instants(draw: st.DrawFn, minute: int) -> str:
    """``minute`` after EARLIEST, with an offset as authors write them: Z, +01:00, -0930 or a
    lower-case z."""
    instant = EARLIEST + timedelta(minutes=minute)
    offset = draw(st.sampled_from([0, 60, 120, -300, 330, 345, -570, 840, -720]))
    local = instant + timedelta(minutes=offset)  # the wall clock where it was written
    if offset == 0:
        suffix = draw(st.sampled_from(["Z", "z", "+00:00"]))
    else:
        sign, minutes = ("+" if offset > 0 else "-"), abs(offset)
        colon = draw(st.sampled_from([":", ""]))
        suffix = f"{sign}{minutes // 60:02}{colon}{minutes % 60:02}"
    separator = draw(st.sampled_from(["T", "t", " "]))
    return f"{local:%Y-%m-%d}{separator}{local:%H:%M:%S}{suffix}"


@st.composite
def incidents(draw: st.DrawFn, record_id: str) -> GeneratedRecord:
    title = draw(titles)
    components = draw(st.lists(st.sampled_from(COMPONENTS), unique=True, max_size=3))
    lines = [
        f"title: {quoted(title)}",
        f"impact: {draw(st.sampled_from(['none', 'minor', 'major', 'critical']))}",
        f"components: [{', '.join(components)}]",
        "updates:",
    ]
    # Each update in a minute of its own; in time order, never a resolution of a resolved
    # incident, and a reopening marked as one now and then (unmarked, it is only a warning).
    minutes = sorted(draw(st.lists(st.integers(0, MINUTES), min_size=1, max_size=6, unique=True)))
    statuses: list[str] = []
    for _ in minutes:
        status = draw(st.sampled_from([s.value for s in IncidentStatus]))
        if statuses and statuses[-1] == status == "resolved":
            status = "monitoring"
        statuses.append(status)
    for index in draw(st.permutations(range(len(minutes)))):  # any order in the file
        lines += [
            f"  - at: {draw(instants(minutes[index]))}",
            f"    status: {statuses[index]}",
        ]
        reopens = index > 0 and statuses[index - 1] == "resolved" != statuses[index]
        if reopens and draw(st.booleans()):
            lines.append("    reopened: true")
        named = draw(st.lists(st.sampled_from(components), unique=True)) if components else []
        if named:
            states = ", ".join(f"{c}: {draw(st.sampled_from(STATES))}" for c in named)
            lines.append(f"    components: {{{states}}}")
        lines.append(f"    body: {quoted(draw(bodies))}")
    return GeneratedRecord(record_id, title.strip(), "\n".join(lines) + "\n")


@st.composite
def maintenances(draw: st.DrawFn, record_id: str) -> GeneratedRecord:
    title = draw(titles)
    start = EXAMPLE_NOW + timedelta(minutes=draw(st.integers(-90 * 24 * 60, 90 * 24 * 60)))
    end = start + timedelta(minutes=draw(st.integers(1, 48 * 60)))
    components = draw(st.lists(st.sampled_from(COMPONENTS), unique=True, min_size=1))
    lines = [
        "kind: maintenance",
        f"title: {quoted(title)}",
        f"components: [{', '.join(components)}]",
        "scheduled:",
        f"  start: {start:%Y-%m-%dT%H:%M:%SZ}",
        f"  end: {end:%Y-%m-%dT%H:%M:%SZ}",
    ]
    minutes = draw(st.lists(st.integers(0, MINUTES), max_size=4, unique=True))
    if minutes:
        lines.append("updates:")
    for minute in minutes:
        lines += [
            f"  - at: {draw(instants(minute))}",
            f"    status: {draw(st.sampled_from([s.value for s in MaintenanceStatus]))}",
            f"    body: {quoted(draw(bodies))}",
        ]
    return GeneratedRecord(record_id, title.strip(), "\n".join(lines) + "\n")


@st.composite
def records(draw: st.DrawFn, record_id: str | None = None) -> GeneratedRecord:
    record_id = record_id or draw(record_ids)
    kind = draw(st.sampled_from([incidents, incidents, maintenances]))
    return draw(kind(record_id))


@st.composite
def sites(draw: st.DrawFn) -> list[GeneratedRecord]:
    """One to four records with distinct ids (as file names on a case-sensitive disk)."""
    ids = draw(st.lists(record_ids, min_size=1, max_size=4, unique_by=str.lower))
    return [draw(records(record_id)) for record_id in ids]


def write_records(site: SiteFolder, generated: list[GeneratedRecord]) -> None:
    shutil.rmtree(site.incidents)
    site.incidents.mkdir()
    for record in generated:
        site.record(f"{record.record_id}.yaml", record.text)


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> SiteFolder:
    """One site folder, its records replaced for each example."""
    return SiteFolder(tmp_path_factory.mktemp("generated"))


def words(text: str) -> str:
    return " ".join(text.split())


@settings(
    max_examples=12,
    deadline=None,  # each example runs two real commands
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # shrinking would rebuild for many minutes
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(generated=sites())
@example(  # an emoji in a title
    generated=[
        GeneratedRecord(
            "fire",
            "🔥 API down",
            'title: "🔥 API down"\nimpact: major\ncomponents: [api]\nupdates:\n'
            "  - at: 2026-11-03T14:05:00Z\n    status: investigating\n    body: Down.\n",
        )
    ]
)
def test_valid_records_always_build_and_every_record_has_a_page_under_its_title(
    small_site: SiteFolder, generated: list[GeneratedRecord]
):
    write_records(small_site, generated)

    validated = flare("validate", str(small_site.root))
    assert validated.returncode == 0, validated.stderr
    built = flare("build", str(small_site.root))
    assert built.returncode == 0, built.stderr

    for record in generated:
        page = small_site.root / "site" / "incidents" / record.record_id / "index.html"
        assert page.is_file(), f"no page for {record.record_id}"
        tree = lxml.html.parse(str(page)).getroot()
        headings = [words(h1.text_content()) for h1 in tree.iter("h1")]
        assert words(record.title) in headings
        assert tree.findtext(".//title").startswith(f"{record.title} - ")


# -- mangled records ----------------------------------------------------------------------------

MUTATION_CONFIG = SMALL_CONFIG.replace(
    "        - id: email\n          name: Email\n",
    "        - id: email\n          name: Email\n"
    + "".join(
        f"        - id: {component}\n          name: {component.title()}\n"
        for component in ("dashboard", "auth", "storage", "search", "exports", "webhooks")
    ),
)

# Example records with every kind of field, post-mortems at each stage among them; each is valid
# on its own (test_the_example_records_mutated_below_are_valid_on_their_own).
EXAMPLE_RECORDS = [
    "2025/2025-12-09-delayed-email-notifications.yaml",
    "2026/2026-08-04-file-storage-outage.yaml",
    "2026/2026-11-05-increased-api-latency.yaml",
    "2026/2026-12-08-database-upgrade.yaml",
    "2026/2026-10-27-email-notifications-not-sent.yaml",
]
RELATED_RECORD = "2026/2026-01-14-file-uploads-failing.yaml"

JUNK = ":{}[]&*!|>'\"%@`#,-?\\ \t~=<"
CONTROL = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0x85)]
CONTROL += ["\r", "\u2028", "\ufeff", "\ufffe", "\x9b"]
BAD_BYTES = [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe2\x82", b"\xf8\x88\x80\x80\x80", b"\xc0\xaf"]
OTHER_VALUES = [
    "[1, 2]", "{a: b}", "42", "-1", "true", "no", "null", "~", '""', "''", "3.5", "2026-01-01",
    "2026-13-45T99:99:99Z", "&anchor x", "*alias", "!!str x", "|", ">-", "[", "{", "- a",
    "!!binary aGk=", "0x1F", ".inf", "2026-11-03T14:05:00",
]  # fmt: skip


ENUM_LINE = re.compile(rb"^[ -]*(status|impact|kind|stage|milestone|type|priority): ")


@st.composite
def mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """One random edit of the kind a hurried author or a broken editor makes."""
    lines = data.split(b"\n")
    where = draw(st.integers(0, max(len(lines) - 1, 0)))
    line = lines[where]
    kind = draw(
        st.sampled_from(
            ["delete_line", "duplicate_line", "other_value", "junk", "truncate", "indent",
             "random_word", "control", "bad_bytes", "swap_lines", "line_endings"]
        )
    )  # fmt: skip
    if kind == "delete_line":
        del lines[where]
    elif kind == "duplicate_line":  # a key written twice, or an extra list item
        lines.insert(where, line)
    elif kind == "other_value" and b": " in line:
        key = line.split(b": ", 1)[0]
        lines[where] = key + b": " + draw(st.sampled_from(OTHER_VALUES)).encode()
    elif kind == "junk":
        position = draw(st.integers(0, len(data)))
        junk = draw(st.text(st.sampled_from(JUNK), min_size=1, max_size=3)).encode()
        return data[:position] + junk + data[position:]
    elif kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    elif kind == "indent":
        change = draw(st.sampled_from([b" ", b"  ", b"\t", b"", b"    "]))
        lines[where] = change + line.lstrip(b" ") if draw(st.booleans()) else change + line
    elif kind == "random_word":  # in place of a status, an impact or another value from a list
        choices = [number for number, text in enumerate(lines) if ENUM_LINE.match(text)]
        where = draw(st.sampled_from(choices)) if choices else where
        key = lines[where].split(b": ", 1)[0]
        word = draw(st.text(st.characters(codec="utf-8", categories=["L", "N"]), min_size=1))
        lines[where] = key + b": " + word.encode()
    elif kind == "control":
        position = draw(st.integers(0, len(data)))
        return data[:position] + draw(st.sampled_from(CONTROL)).encode() + data[position:]
    elif kind == "bad_bytes":
        position = draw(st.integers(0, len(data)))
        return data[:position] + draw(st.sampled_from(BAD_BYTES)) + data[position:]
    elif kind == "line_endings":  # saved on Windows, or by a very old Mac editor
        return data.replace(b"\n", draw(st.sampled_from([b"\r\n", b"\r"])))
    elif kind == "swap_lines" and len(lines) > 1:
        other = draw(st.integers(0, len(lines) - 1))
        lines[where], lines[other] = lines[other], lines[where]
    return b"\n".join(lines)


@st.composite
def mangled_records(draw: st.DrawFn) -> bytes:
    if draw(st.booleans()):
        data = (REPO / "incidents" / draw(st.sampled_from(EXAMPLE_RECORDS))).read_bytes()
    else:
        data = draw(records("generated")).text.encode()
    for _ in range(draw(st.integers(1, 3))):
        data = draw(mutation(data))
    return data


@pytest.fixture(scope="module")
def mutation_site(tmp_path_factory: pytest.TempPathFactory) -> SiteFolder:
    """A site with every component the records use, and the incident a post-mortem relates to;
    the record under test is written to incidents/record.yaml."""
    site = SiteFolder(tmp_path_factory.mktemp("mutated"))
    site.config.write_text(MUTATION_CONFIG, encoding="utf-8")
    neighbour = REPO / "incidents" / RELATED_RECORD
    site.raw_record(neighbour.name, neighbour.read_bytes())
    return site


class Hang(Exception):
    """Validation did not answer in time."""


@contextmanager
def hang_guard(seconds: float) -> Iterator[None]:
    """Stop the code inside after ``seconds``: a deadline reports a slow example only once it has
    finished, and a hang never finishes."""

    def stop(signum, frame):
        raise Hang(f"validation still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_the_example_records_mutated_below_are_valid_on_their_own(mutation_site: SiteFolder):
    for name in EXAMPLE_RECORDS:
        mutation_site.raw_record("record.yaml", (REPO / "incidents" / name).read_bytes())
        try:
            load_site(mutation_site.config, EXAMPLE_NOW)
        except InvalidSite as invalid:
            pytest.fail(f"{name}:\n{invalid.report(mutation_site.root)}")


@settings(
    max_examples=400,
    deadline=None,  # no timing of examples: hang_guard below catches a real hang, and only that
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=mangled_records())
def test_a_mangled_record_is_valid_or_refused_with_errors_at_a_line_of_its_file(
    mutation_site: SiteFolder, data: bytes
):
    path = mutation_site.raw_record("record.yaml", data)

    try:
        with hang_guard(10):
            load_site(mutation_site.config, EXAMPLE_NOW)
    except InvalidSite as invalid:
        errors = invalid.errors
        assert errors, "refused without an error"
    else:
        return

    lines = editor_lines(data)
    for error in errors:
        assert error.severity is Severity.ERROR
        assert error.file == path, error.format()
        if error.position is None:
            whole_file = error.message.startswith(WHOLE_FILE_ERRORS)
            assert whole_file or WHOLE_FILE_SIZE_ERROR in error.message, error.format()
        else:  # a place an editor can show: a line of the file, a column of that line or its end
            line, column = error.position.line, error.position.column
            assert 1 <= line <= len(lines), error.format()
            assert 1 <= column <= len(lines[line - 1]) + 1, error.format()


def editor_lines(data: bytes) -> list[str]:
    """The lines of a file as an editor shows them (a final line break starts no new line)."""
    text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    lines = re.split(r"\r\n|\r|\n", text)
    return lines[:-1] if len(lines) > 1 and lines[-1] == "" else lines
