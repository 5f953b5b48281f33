"""Pages kept between builds: a rebuild renders only the pages whose inputs changed, and gives
exactly the site a cold build gives.

Each build test makes a change an author, a maintainer or the clock would make, rebuilds with the
pages the previous build kept, then builds again cold (the cache removed) and compares the two
sites byte for byte; it also checks the change reached the site, and how many pages the rebuild
took from the cache.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from pathlib import Path

import pytest

from conftest import EXAMPLE_NOW, FLARE, REPO, copy_example_site, flare
from generator.model.components import Component
from generator.write.page_cache import PageCache, code_fingerprint, fingerprint
from support.trees import differences

TAKEN = re.compile(r"Flare took (\d+) of its (\d+) pages from its cache")
RECORD = "incidents/2026/2026-11-05-increased-api-latency.yaml"


# -- fingerprint ---------------------------------------------------------------------------------
class Colour(Enum):
    RED = "red"


@dataclass(frozen=True)
class Shown:
    when: datetime
    names: frozenset[str]
    component: Component


def shown(**changes: object) -> Shown:
    values: dict[str, object] = {
        "when": datetime(2026, 11, 5, 9, 30, tzinfo=UTC),
        "names": frozenset({"api", "search", "email"}),
        "component": Component(id="api", name="Public API"),
        **changes,
    }
    return Shown(**values)  # type: ignore[arg-type]


def test_equal_values_have_one_fingerprint_and_any_difference_another():
    assert fingerprint(shown()) == fingerprint(shown())
    others = [
        shown(when=datetime(2026, 11, 5, 9, 31, tzinfo=UTC)),
        shown(names=frozenset({"api", "search"})),
        shown(component=Component(id="api", name="Public API v2")),
    ]
    assert len({fingerprint(value) for value in [shown(), *others]}) == 4
    # Nothing two values write can run together: ("ab", "c") is not ("a", "bc").
    assert fingerprint(("ab", "c")) != fingerprint(("a", "bc"))
    assert fingerprint(1) != fingerprint("1") != fingerprint(Colour.RED) != fingerprint("red")
    assert fingerprint(date(2026, 1, 2)) != fingerprint(datetime(2026, 1, 2))
    assert fingerprint({"a": 1, "b": 2}) != fingerprint({"b": 2, "a": 1})  # order is shown
    assert fingerprint(timedelta(hours=1)) != fingerprint(timedelta(hours=2))


def test_a_fingerprint_is_the_same_in_every_process_whatever_the_hash_seed():
    """Sets iterate in an order that changes with PYTHONHASHSEED; hash() and pickle follow it."""
    script = (
        "from test_page_cache import shown; from generator.write.page_cache import "
        "fingerprint; print(fingerprint(shown()))"
    )
    printed = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(REPO / "tests")},
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout.strip()
        for seed in (1, 2, 3)
    }
    assert printed == {fingerprint(shown())}


def test_a_value_of_a_type_it_does_not_know_is_refused_unless_the_caller_converts_it():
    class Opaque:
        def __repr__(self) -> str:
            return "Opaque()"

    with pytest.raises(TypeError, match="cannot fingerprint a .*Opaque"):
        fingerprint([1, Opaque()])
    assert fingerprint([1, Opaque()], unknown=repr) == fingerprint([1, "Opaque()"])


def code_fingerprint_of(package: Path) -> str:
    """:func:`code_fingerprint` of the copy of Flare's package in ``package``, run from it."""
    script = "from generator.write.page_cache import code_fingerprint; print(code_fingerprint())"
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=package,  # not the repository's folder, whose generator/ would come first
        env={**os.environ, "PYTHONPATH": str(package)},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.strip()


def test_the_code_fingerprint_follows_every_file_that_can_change_a_page(tmp_path: Path):
    package = tmp_path / "code"
    shutil.copytree(
        REPO / "generator", package / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    unchanged = code_fingerprint_of(package)
    assert unchanged == code_fingerprint()  # the content counts, not where it lies
    seen = {unchanged}
    for edited in (
        "render/assets/flare.css",
        "render/locales/de/LC_MESSAGES/flare.po",
        "render/templates/_macros.html",
        "__about__.py",  # the version
    ):
        path = package / "generator" / edited
        path.write_bytes(path.read_bytes() + b"\n")
        seen.add(code_fingerprint_of(package))
    assert len(seen) == 5  # each edit gave a new fingerprint


# -- the cache folder ------------------------------------------------------------------------------
def test_a_kept_page_is_read_back_and_the_rest_are_removed(tmp_path: Path):
    cache = PageCache.open(tmp_path / "cache")
    assert cache is not None
    built = tmp_path / "page.html"
    for key in ("one", "two"):
        built.write_text(f"<p>page {key}</p>", encoding="utf-8")
        cache.store(key, built)
    (tmp_path / "cache" / "tmpx.part").write_text("half-written", encoding="utf-8")
    built.write_text("edited after the build", encoding="utf-8")  # the cache kept a copy

    assert cache.has("one") and cache.read("one") == "<p>page one</p>"
    assert not cache.has("three")
    cache.keep_only(["two"])
    assert sorted(path.name for path in (tmp_path / "cache").iterdir()) == [".lock", "two.html"]
    cache.close()


def test_one_build_at_a_time_uses_a_cache_folder(tmp_path: Path):
    first = PageCache.open(tmp_path / "cache")
    assert first is not None
    assert PageCache.open(tmp_path / "cache") is None  # taken: the second build goes without
    first.close()
    second = PageCache.open(tmp_path / "cache")
    assert second is not None
    second.close()


# -- builds --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Built:
    site: Path
    taken: int  # pages taken from the cache
    pages: int  # Flare's pages in all


def build(
    root: Path, output: str, now: datetime = EXAMPLE_NOW, *, env: dict[str, str] | None = None
) -> Built:
    """`flare build` of ``root`` into ``root/output``; in a process of its own when given an
    environment (a process imports a hook's or Flare's code once: a changed one needs a new)."""
    if env is None:
        result = flare("build", str(root), "-d", str(root / output), now=now)
    else:
        result = subprocess.run(
            [FLARE, "build", str(root), "-d", str(root / output)],
            env={**os.environ, "SOURCE_DATE_EPOCH": str(int(now.timestamp())), **env},
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert result.returncode == 0, result.stderr
    found = TAKEN.search(result.stderr)
    assert found is not None, result.stderr
    return Built(root / output, int(found[1]), int(found[2]))


def cold_build(root: Path, output: str, now: datetime = EXAMPLE_NOW) -> Built:
    shutil.rmtree(root / ".cache")
    built = build(root, output, now)
    assert built.taken == 0
    return built


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def retitle_record(root: Path) -> None:
    edit(
        root / RECORD,
        "title: Increased response times on the public API",
        "title: Slow API responses",
    )


def remove_record(root: Path) -> None:
    (root / RECORD).unlink()


def rename_site(root: Path) -> None:
    edit(root / "mkdocs.yml", "site_name: Example Cloud Status", "site_name: Example Status")


def edit_theme(root: Path) -> None:
    partial = root / "theme" / "partials" / "copyright.html"
    partial.write_text(partial.read_text(encoding="utf-8") + "<!-- edited -->\n", "utf-8")


def retitle_hand_written_page(root: Path) -> None:
    edit(root / "mkdocs.yml", "- About this page: about.md", "- About this status page: about.md")


def translate_site(root: Path) -> None:
    edit(root / "mkdocs.yml", "  language: en", "  language: de")


# Each change, and a text it brings into the site's pages.
CHANGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "a record's title": (retitle_record, "Slow API responses"),
    "a record removed": (remove_record, ""),  # its page is gone (below)
    "the configuration": (rename_site, "Example Status"),
    "the theme": (edit_theme, "<!-- edited -->"),
    "the navigation": (retitle_hand_written_page, "About this status page"),
    "the language": (translate_site, 'lang="de"'),
}
KEEPS_OTHER_PAGES = {"a record's title", "a record removed"}


def test_a_rebuild_with_nothing_changed_takes_every_page_from_the_cache(tmp_path: Path):
    root = copy_example_site(tmp_path)
    first = build(root, "first")
    again = build(root, "again")

    assert (first.taken, again.taken) == (0, again.pages)
    assert differences(first.site, again.site) == []
    assert len(list((root / ".cache" / "flare" / "pages").glob("*.html"))) == again.pages


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.replace(" ", "-"))
def test_a_rebuild_after_a_change_is_the_cold_build_byte_for_byte(tmp_path: Path, change: str):
    make_change, shows = CHANGES[change]
    root = copy_example_site(tmp_path)
    before = build(root, "before")
    make_change(root)
    rebuilt = build(root, "rebuilt")
    cold = cold_build(root, "cold")

    assert differences(rebuilt.site, cold.site) == []
    assert differences(before.site, rebuilt.site) != []  # the change reached the site
    site_text = "".join(path.read_text("utf-8") for path in rebuilt.site.rglob("*.html"))
    assert shows in site_text
    assert (rebuilt.site / "incidents" / "2026-11-05-increased-api-latency").is_dir() == (
        change != "a record removed"
    )
    kept = list((root / ".cache" / "flare" / "pages").glob("*.html"))
    assert len(kept) == cold.pages  # the cache holds the site's pages and no more
    if change in KEEPS_OTHER_PAGES:
        assert 0 < rebuilt.taken < before.pages  # only what depends on the record is new
    else:
        assert rebuilt.taken == 0  # every page carries the site's frame


def test_a_rebuild_a_day_later_renews_the_pages_that_show_the_time(tmp_path: Path):
    root = copy_example_site(tmp_path)
    before = build(root, "before")
    later = EXAMPLE_NOW + timedelta(days=1, hours=3)
    rebuilt = build(root, "rebuilt", now=later)
    cold = cold_build(root, "cold", now=later)

    assert differences(rebuilt.site, cold.site) == []
    assert "index.html" in " ".join(differences(before.site, rebuilt.site))
    assert 0 < rebuilt.taken < before.pages  # the pages of resolved incidents stay as they were


def test_a_change_to_flares_own_code_renders_every_page_again(tmp_path: Path):
    """A template of Flare's, edited in a copy of the package that the build runs from."""
    package = tmp_path / "code"
    shutil.copytree(REPO / "generator", package / "generator")
    edit(
        package / "generator" / "render" / "templates" / "record.html",
        '<h1 class="flare-title">',
        '<h1 class="flare-title" data-edited="yes">',
    )
    (tmp_path / "site").mkdir()
    root = copy_example_site(tmp_path / "site")
    before = build(root, "before")
    rebuilt = build(root, "rebuilt", env={"PYTHONPATH": str(package)})
    shutil.rmtree(root / ".cache")
    cold = build(root, "cold", env={"PYTHONPATH": str(package)})

    assert rebuilt.taken == 0
    assert differences(rebuilt.site, cold.site) == []
    record_page = rebuilt.site / "incidents" / "2026-11-05-increased-api-latency" / "index.html"
    assert 'data-edited="yes"' in record_page.read_text(encoding="utf-8")
    assert before.taken == 0


def test_a_site_can_build_without_the_cache(tmp_path: Path):
    root = copy_example_site(tmp_path)
    edit(
        root / "mkdocs.yml",
        "      incidents_dir: incidents",
        "      incidents_dir: incidents\n      cache: false",
    )
    result = flare("build", str(root), "-d", str(root / "site"))

    assert result.returncode == 0, result.stderr
    assert "from its cache" not in result.stderr
    assert not (root / ".cache").exists()


def test_a_build_while_another_holds_the_cache_renders_every_page(tmp_path: Path):
    root = copy_example_site(tmp_path)
    build(root, "first")
    other = PageCache.open(root / ".cache" / "flare" / "pages")
    assert other is not None
    try:
        result = flare("build", str(root), "-d", str(root / "second"))
    finally:
        other.close()

    assert result.returncode == 0, result.stderr
    assert "is in use by another build or cannot be written" in result.stderr
    assert differences(root / "first", root / "second") == []


def test_a_change_to_a_hooks_code_renders_every_page_again(tmp_path: Path):
    root = copy_example_site(tmp_path)
    hook = root / "mark_pages.py"
    hook.write_text(
        "def on_post_page(output, page, config):\n    return output + '<!-- first -->'\n", "utf-8"
    )
    edit(root / "mkdocs.yml", "plugins:\n", "hooks:\n  - mark_pages.py\nplugins:\n")
    build(root, "before")
    edit(hook, "<!-- first -->", "<!-- second -->")
    rebuilt = build(root, "rebuilt", env={})

    assert rebuilt.taken == 0
    history = (rebuilt.site / "history" / "index.html").read_text("utf-8")
    assert "<!-- second -->" in history and "<!-- first -->" not in history
    shutil.rmtree(root / ".cache")
    assert differences(rebuilt.site, build(root, "cold", env={}).site) == []


def test_git_never_offers_to_commit_the_cache(tmp_path: Path):
    root = copy_example_site(tmp_path)
    subprocess.run(["git", "init", "-q", str(root)], check=True, timeout=60)
    build(root, "site")

    assert (root / ".cache" / "flare" / "pages").is_dir()
    listed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert ".cache" not in listed and "mkdocs.yml" in listed
