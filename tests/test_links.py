"""Every link and anchor of the example site, followed by linkchecker over HTTP.

The example site is built once with the real `flare build` and served on 127.0.0.1, at the root
and under a sub-path. linkchecker crawls it from the home page with its AnchorCheck plugin, so a
link to a missing page or file and a link to an ``#anchor`` that the target page lacks are both
reported; links to other hosts are only checked for their syntax, never fetched.
"""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.render.links import page_url
from support import tool_missing
from support.serving import Server, serve

LINKCHECKER = Path(sys.executable).parent / "linkchecker"

# AnchorCheck checks the `#anchor` of each link against the ids and names of its target page.
# checkextern=0: other hosts are never contacted. maxrequestspersecond above 10 only counts for a
# server that answers with a "LinkChecker" header (the tests' server sends it).
LINKCHECKERRC = """\
[checking]
threads=8
maxrequestspersecond=1000
[filtering]
checkextern=0
[plugins]
[AnchorCheck]
"""
LINKCHECKER_HEADERS = {"LinkChecker": "tests"}

# Pages nothing links to, on purpose: the page a host shows for a missing address.
# The theme's error page, and the embeddable status's page, which is for other sites' iframes.
UNLINKED_PAGES = {"404.html", "embed.html"}


@dataclass(frozen=True)
class Checked:
    """One link linkchecker followed, from its XML report."""

    link: str  # as written in the page
    url: str  # absolute, with its #anchor
    parent: str  # the page that holds the link ("" for the start page)
    line: str
    result: str  # "200 OK", "404 File not found", "filtered", ...
    valid: bool
    extern: bool
    warnings: tuple[str, ...]

    def describe(self) -> str:
        where = f"{self.parent}:{self.line}" if self.parent else "start"
        return f"{where}: {self.link} -> {self.result}; " + "; ".join(self.warnings)


def linkchecker_missing_reason() -> str | None:
    if not LINKCHECKER.is_file():
        return f"{LINKCHECKER} is missing: run `make test` (pip install -e '.[test]')"
    return None


def run_linkchecker(url: str, config_dir: Path) -> list[Checked]:
    """Crawl from ``url``; return every link checked (linkchecker's verbose XML report).

    Only addresses below ``url`` are followed; any other is outside, and only its syntax is
    checked.

    Run as root, linkchecker drops to the user nobody after reading its configuration; the site
    itself is read by the tests' server, which keeps the test's user.
    """
    reason = linkchecker_missing_reason()
    if reason:
        tool_missing(reason)
    rc = config_dir / "linkcheckerrc"
    rc.write_text(LINKCHECKERRC, encoding="utf-8")
    result = subprocess.run(
        [str(LINKCHECKER), "-f", str(rc), "--no-status", "--verbose", "-o", "xml", url],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # 0: nothing found; 1: invalid links or warnings; anything else: linkchecker failed.
    assert result.returncode in (0, 1), result.stderr
    checked = [_checked(entry) for entry in ET.fromstring(result.stdout).iterfind("urldata")]
    assert checked, f"linkchecker checked nothing:\n{result.stderr}"
    assert (result.returncode == 0) == (problems(checked) == []), result.stderr
    return checked


def _checked(entry: ET.Element) -> Checked:
    parent = entry.find("parent")
    valid = entry.find("valid")
    return Checked(
        link=entry.findtext("url", ""),
        url=entry.findtext("realurl", ""),
        parent=(parent.text or "") if parent is not None else "",
        line=parent.get("line", "") if parent is not None else "",
        result=valid.get("result", "") if valid is not None else "",
        valid=valid is not None and valid.text == "1",
        extern=entry.findtext("extern") == "1",
        warnings=tuple(warning.text or "" for warning in entry.iterfind("warnings/warning")),
    )


def problems(checked: list[Checked]) -> list[Checked]:
    """Broken links (not found, refused, bad syntax) and anchors that are not on their page."""
    return [link for link in checked if not link.valid or link.warnings]


def paths_reached(checked: list[Checked], server: Server) -> set[str]:
    """The site's files linkchecker fetched, as paths (a folder as its ``index.html``)."""
    reached = set()
    for link in checked:
        if link.extern or not link.valid or not link.url.startswith(server.url):
            continue
        path = link.url.removeprefix(server.url).partition("#")[0].partition("?")[0]
        reached.add(path + "index.html" if path == "" or path.endswith("/") else path)
    return reached


def html_pages(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*.html")}


def assert_no_broken_link_or_anchor(site: Path, server: Server, tmp_path: Path) -> None:
    checked = run_linkchecker(server.url, tmp_path)
    found = problems(checked)
    assert found == [], "linkchecker:\n" + "\n".join(link.describe() for link in found)
    # The crawl saw the whole site, and the anchors of its in-page links were looked up.
    assert html_pages(site) - UNLINKED_PAGES - paths_reached(checked, server) == set()
    assert any("#" in link.link and not link.extern for link in checked)
    # Outside links were listed, never fetched; data: addresses (the theme's icons) are skipped.
    # linkchecker takes what is not below its start address for outside, so a link that leaves
    # the sub-path for the server's root would go unchecked: there must be none.
    outside = [link for link in checked if link.extern and not link.url.startswith("data:")]
    assert outside != []
    assert {link.result for link in outside} == {"filtered"}
    assert [link.describe() for link in outside if link.url.startswith(server.origin)] == []
    # The server answered every request; linkchecker asks for /robots.txt, which has none.
    assert [error for error in server.errors() if error[1] != "/robots.txt"] == []


def test_every_file_of_the_built_site_can_be_read_by_any_user(example_build: Path):
    # A web server reads the site as an unprivileged user of its own (www-data, nginx).
    unreadable = [
        f"{path.relative_to(example_build)} ({stat.filemode(path.stat().st_mode)})"
        for path in [example_build, *example_build.rglob("*")]
        if not path.stat().st_mode & stat.S_IROTH
        or (path.is_dir() and not path.stat().st_mode & stat.S_IXOTH)
    ]
    assert unreadable == []


def test_linkchecker_finds_no_broken_link_or_anchor_at_the_root(
    example_build: Path, tmp_path: Path
):
    with serve(example_build, headers=LINKCHECKER_HEADERS) as server:
        assert_no_broken_link_or_anchor(example_build, server, tmp_path)


def test_linkchecker_finds_no_broken_link_or_anchor_under_a_sub_path(
    example_build: Path, tmp_path: Path
):
    with serve(example_build, prefix="/status/", headers=LINKCHECKER_HEADERS) as server:
        assert_no_broken_link_or_anchor(example_build, server, tmp_path)


def test_linkchecker_reports_a_missing_page_and_a_missing_anchor(
    example_build: Path, tmp_path: Path
):
    site = tmp_path / "site"
    shutil.copytree(example_build, site)
    about = site / "about" / "index.html"
    html = about.read_text(encoding="utf-8")
    broken = (
        '<a href="../incidents/no-such-incident/">gone</a>'
        '<a href="../history/#no-such-month">no anchor there</a>'
        '<a href="#times">an anchor that exists</a>'
    )
    about.write_text(html.replace("</article>", broken + "</article>", 1), encoding="utf-8")
    with serve(site, headers=LINKCHECKER_HEADERS) as server:
        checked = run_linkchecker(server.url, tmp_path)
    found = {link.link: link for link in problems(checked)}
    assert set(found) == {"../incidents/no-such-incident/", "../history/#no-such-month"}
    assert found["../incidents/no-such-incident/"].result.startswith("404")
    assert not found["../incidents/no-such-incident/"].valid
    assert (
        "Anchor `no-such-month' (decoded: `no-such-month') not found"
        in (found["../history/#no-such-month"].warnings[0])
    )
    assert "#times" in {link.link for link in checked}


@pytest.mark.parametrize(
    ("source", "url"),
    [
        ("index.md", ""),
        ("history/index.md", "history/"),
        ("history/page-2.md", "history/page-2/"),
        ("incidents/2026-11-03-api.md", "incidents/2026-11-03-api/"),
        ("incidents/2026-11-03-api/postmortem.md", "incidents/2026-11-03-api/postmortem/"),
    ],
)
def test_a_page_source_is_published_at_its_directory_url(source: str, url: str):
    assert page_url(source) == url
