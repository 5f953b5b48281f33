"""The Content-Security-Policy that every page carries in a meta element (generator/csp.py).

Three layers: the policy computed for small pages, the policy of every page of the example build,
and the example site in headless Chromium, where a page that needs anything the policy does not
allow logs a CSP violation (tests/support/browser.py records them).
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import EXAMPLE_NOW, REPO, flare
from generator.mkdocs_plugin.plugin import FlarePlugin
from generator.render.csp import (
    META_START,
    content_security_policy,
    image_sources,
    inline_code,
    source_hash,
    with_content_security_policy,
)
from support.browser import BROWSER_DEADLINE_MS, Visit, open_page
from support.serving import Server, serve


def sha256_source(code: str) -> str:
    """The hash source as the CSP specification defines it, computed here from scratch."""
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in policy.split(";"):
        name, *sources = directive.split()
        assert name not in parsed, f"{name} twice in {policy}"
        parsed[name] = sources
    return parsed


@dataclass
class PageParts:
    """What a page's head holds and which inline code it has, read independently of csp.py."""

    head: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)
    scripts: list[tuple[dict[str, str | None], str]] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    style_attributes: list[str] = field(default_factory=list)


def page_parts(html: str) -> PageParts:
    parts = PageParts()

    class Reader(HTMLParser):
        in_head = False
        open_code: tuple[str, dict[str, str | None], list[str]] | None = None

        def handle_starttag(self, tag, attrs):
            attributes = dict(attrs)
            if self.in_head:
                parts.head.append((tag, attributes))
            self.in_head = self.in_head or tag == "head"
            if (attributes.get("http-equiv") or "").lower() == "content-security-policy":
                parts.policies.append(attributes.get("content") or "")
            if attributes.get("style") is not None:
                parts.style_attributes.append(attributes["style"])
            if tag in ("script", "style") and "src" not in attributes:
                self.open_code = (tag, attributes, [])

        def handle_data(self, data):
            if self.open_code is not None:
                self.open_code[2].append(data)

        def handle_endtag(self, tag):
            if tag == "head":
                self.in_head = False
            if self.open_code is not None and tag == self.open_code[0]:
                kind, attributes, text = self.open_code
                if kind == "script":
                    parts.scripts.append((attributes, "".join(text)))
                else:
                    parts.styles.append("".join(text))
                self.open_code = None

    reader = Reader()
    reader.feed(html)
    reader.close()
    return parts


PAGE = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>A page</title>
<script>window.flareTest = "ran";</script>
<script src="assets/site.js"></script>
<script id="__config" type="application/json">{"base": "."}</script>
<style>body { margin: 0 }</style>
</head>
<body>
<p>Hello</p>
<script type="module">document.body.dataset.module = "ran";</script>
</body>
</html>
"""

# -- the policy of a page --------------------------------------------------------------------


def test_a_hash_is_sha256_of_the_code_in_utf8_in_base64():
    code = 'document.title = "Störung — 5 €";'
    assert source_hash(code) == sha256_source(code)
    # The browser hashes the code after the parser has turned CR LF and CR into LF.
    assert source_hash("a();\r\nb();\rc();") == sha256_source("a();\nb();\nc();")


def test_a_page_without_inline_code_gets_the_fixed_policy():
    html = '<!doctype html><html><head><link rel="stylesheet" href="s.css"></head></html>'
    assert content_security_policy(html) == (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
        "base-uri 'none'; form-action 'none'; object-src 'none'"
    )


def test_every_inline_script_that_runs_is_allowed_by_its_hash_and_nothing_else():
    policy = directives(content_security_policy(PAGE))
    assert policy["script-src"] == [
        "'self'",
        sha256_source('window.flareTest = "ran";'),
        sha256_source('document.body.dataset.module = "ran";'),
    ]
    # The JSON data block is never run: no hash for it.
    assert sha256_source('{"base": "."}') not in policy["script-src"]
    assert policy["style-src"] == ["'self'", sha256_source("body { margin: 0 }")]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)


def test_an_inline_script_in_the_page_content_gets_no_hash():
    # <article> holds a hand-written page's Markdown and the records' text: a script there is
    # not the theme's, and the browser is to block it.
    html = PAGE.replace("<p>Hello</p>", "<article><p>Hello</p><script>steal()</script></article>")
    policy = directives(content_security_policy(html))
    assert sha256_source("steal()") not in policy["script-src"]
    assert sha256_source('window.flareTest = "ran";') in policy["script-src"]
    assert inline_code(html).blocked_scripts == ["steal()"]
    assert inline_code(PAGE).blocked_scripts == []


@pytest.mark.parametrize(
    "content",
    [
        "<p>Hello</p><article><p>nested</p></article>",
        '<table><tr><td style="text-align: right">1</td></tr></table>',
        "<STYLE>p { color: red }</STYLE><p>Hello</p>",
        "<p>JavaScript is fine here</p><Script>steal()</Script>",
        '<p title="style=x">a quoted word</p>',
    ],
)
def test_the_content_holds_what_a_whole_scan_finds_though_a_plain_one_is_skipped(content):
    """The scan skips the inside of <article> when no inline code can be there (the word
    "script" or "style" nowhere in it): what it finds is what a scan of the whole page finds."""
    html = PAGE.replace("<p>Hello</p>", f"<article class='c'>{content}</article><p>after</p>")
    whole = _WholeScan()
    whole.feed(html)

    found = inline_code(html)

    assert (found.scripts, found.styles, found.style_attributes, found.blocked_scripts) == (
        whole.scripts,
        whole.styles,
        whole.style_attributes,
        whole.blocked_scripts,
    )
    assert found.scripts[0] == 'window.flareTest = "ran";'  # the frame's, before the content


class _WholeScan(HTMLParser):
    """What every inline code of a page is, read plainly from all of it: the reference."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.style_attributes: list[str] = []
        self.blocked_scripts: list[str] = []
        self._inside = 0
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes:
            self.style_attributes.append(attributes["style"])
        if tag == "article":
            self._inside += 1
        elif tag == "script" and "src" not in attributes and "type" not in attributes:
            self._open = self.blocked_scripts if self._inside else self.scripts
            self._open.append("")
        elif tag == "script" and attributes.get("type") == "module":
            self._open = self.scripts
            self._open.append("")
        elif tag == "style":
            self._open = self.styles
            self._open.append("")

    def handle_data(self, data):
        if self._open is not None:
            self._open[-1] += data

    def handle_endtag(self, tag):
        if tag == "article":
            self._inside -= 1
        elif tag in ("script", "style"):
            self._open = None


def test_style_attributes_are_allowed_by_their_hashes_behind_unsafe_hashes():
    html = (
        '<html><head></head><body><table><tr><th style="text-align: center;">A</th>'
        '<td style="text-align: center;">1</td><td style="color: &quot;red&quot;">2</td>'
        "</tr></table></body></html>"
    )
    assert directives(content_security_policy(html))["style-src"] == [
        "'self'",
        "'unsafe-hashes'",
        sha256_source("text-align: center;"),  # once, though two cells carry it
        sha256_source('color: "red"'),  # the attribute's value, character references decoded
    ]


def test_the_policy_is_the_first_element_of_the_head_after_the_charset():
    html = with_content_security_policy(PAGE)
    parts = page_parts(html)
    assert parts.head[0] == ("meta", {"charset": "utf-8"})
    assert parts.head[1][0] == "meta"
    assert parts.head[1][1]["http-equiv"] == "Content-Security-Policy"
    # Nothing else changed.
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(PAGE)}">'
    assert html == PAGE.replace('<meta charset="utf-8">', '<meta charset="utf-8">' + meta)


def test_without_a_charset_the_policy_opens_the_head():
    html = with_content_security_policy(
        '<html><head class="x"><title>T</title><script>go()</script></head></html>'
    )
    assert html.startswith('<html><head class="x"><meta http-equiv="Content-Security-Policy" ')
    assert page_parts(html).head[0][0] == "meta"


def test_running_it_twice_changes_nothing_and_an_edit_in_between_is_taken_into_account():
    once = with_content_security_policy(PAGE)
    assert with_content_security_policy(once) == once
    edited = once.replace("</body>", "<script>late()</script></body>")
    again = with_content_security_policy(edited)
    assert page_parts(again).policies == [content_security_policy(edited)]
    assert sha256_source("late()") in page_parts(again).policies[0]


def test_allowed_image_hosts_are_added_to_img_src():
    hosts = ["images.example.com", "https://cdn.example.net:8443/", "*.example.org"]
    policy = directives(content_security_policy(PAGE, image_hosts=hosts))
    assert policy["img-src"] == [
        "'self'",
        "data:",
        "images.example.com",
        "https://cdn.example.net:8443",
        "*.example.org",
    ]
    for bad in ["images.example.com; script-src *", "'unsafe-inline'", "https://a b", ""]:
        with pytest.raises(ValueError, match="not an image host"):
            image_sources([bad])


def test_a_page_without_a_head_start_tag_is_refused():
    with pytest.raises(ValueError, match="no <head>"):
        with_content_security_policy("<p>no head</p>")


@pytest.mark.parametrize(("command", "policy"), [("serve", False), ("build", True)])
def test_the_plugin_leaves_the_policy_out_under_serve_whose_live_reload_script_is_inline(
    tmp_path: Path, command: str, policy: bool
):
    page = "<!doctype html><html><head><title>T</title></head><body></body></html>"
    config = SimpleNamespace(site_dir=str(tmp_path))  # MkDocs' configuration, as the hook reads it
    plugin = FlarePlugin()
    plugin.on_startup(command=command, dirty=False)
    assert plugin.load_config({}, str(REPO / "mkdocs.yml")) == ([], [])
    written = plugin.on_post_template(page, template_name="404.html", config=config)
    (tmp_path / "404.html").write_text(written, encoding="utf-8")  # as MkDocs writes it
    assert plugin.on_post_template("<urlset/>", template_name="sitemap.xml", config=config) == (
        "<urlset/>"
    )

    plugin._write_policies()  # as the build ends

    assert (META_START in (tmp_path / "404.html").read_text(encoding="utf-8")) is policy


def test_a_build_allows_the_image_hosts_and_names_a_page_whose_inline_script_is_blocked(
    site_folder,
):
    config = site_folder.config.read_text(encoding="utf-8")
    site_folder.config.write_text(
        config.replace(
            "  - flare:\n", "  - flare:\n      allowed_image_hosts: [images.example.com]\n"
        ),
        encoding="utf-8",
    )
    about = site_folder.root / "site_src" / "about.md"
    about.write_text('# About\n\n<script>alert("hi")</script>\n', encoding="utf-8")
    result = flare("build", str(site_folder.root))
    assert result.returncode == 0, result.stderr
    assert "about.md: the page's Content-Security-Policy blocks the inline <script>" in (
        result.stdout + result.stderr
    )
    html = (site_folder.root / "site" / "about" / "index.html").read_text(encoding="utf-8")
    assert '<script>alert("hi")</script>' in html  # written as the author wrote it, and blocked
    policy = directives(page_parts(html).policies[0])
    assert sha256_source('alert("hi")') not in policy["script-src"]
    assert policy["img-src"] == ["'self'", "data:", "images.example.com"]


# -- the example build -----------------------------------------------------------------------


def test_every_page_of_the_example_build_allows_exactly_its_own_inline_scripts(
    example_build: Path,
):
    # Every page the theme lays out; embed.html, for other sites' iframes, has a policy of its
    # own (tests/test_embed.py).
    pages = sorted(path for path in example_build.rglob("*.html") if path.name != "embed.html")
    assert example_build / "404.html" in pages  # the theme's own page, too
    assert example_build / "about" / "index.html" in pages  # a hand-written page
    for path in pages:
        html = path.read_text(encoding="utf-8")
        parts = page_parts(html)
        name = path.relative_to(example_build)
        assert len(parts.policies) == 1, f"{name}: {len(parts.policies)} CSP meta elements"
        first = 1 if parts.head[0] == ("meta", {"charset": "utf-8"}) else 0
        assert parts.head[first][1].get("http-equiv") == "Content-Security-Policy", name
        # The encoding is declared within the first 1024 bytes, as HTML requires.
        charset = b'<meta charset="utf-8">'
        assert html.encode("utf-8").index(charset) + len(charset) <= 1024, name
        policy = directives(parts.policies[0])
        run = [code for attributes, code in parts.scripts if "type" not in attributes]
        data = [code for attributes, code in parts.scripts if "type" in attributes]
        if name == Path("index.html"):  # the status page, in Flare's light layout: none
            assert parts.scripts == [], name
        else:  # mkdocs-material's inline scripts, and its configuration as a JSON data block
            assert run != [], name
            assert [attributes for attributes, _ in parts.scripts if "type" in attributes] == [
                {"id": "__config", "type": "application/json"}
            ], name
        assert policy["script-src"] == ["'self'", *(sha256_source(code) for code in run)], name
        assert not {sha256_source(code) for code in data} & set(policy["script-src"]), name
        # the theme writes no inline styles
        assert parts.styles == [] and parts.style_attributes == [], name
        assert policy["style-src"] == ["'self'"], name
        assert policy["default-src"] == ["'none'"], name


# -- in the browser ---------------------------------------------------------------------------

PAGE_TYPES = {
    "home": "",
    "incident": "incidents/2026-08-04-file-storage-outage/",
    "maintenance": "incidents/2026-12-08-database-upgrade/",
    "post-mortem": "incidents/2026-08-04-file-storage-outage/postmortem/",
    "history": "history/",
    "component": "components/api/",
    "reliability": "reliability/",
    "component reliability": "reliability/api/",
    "hand-written": "about/",
    "not found": "404.html",
}


@pytest.fixture(scope="module")
def site_server(example_build: Path) -> Iterator[Server]:
    with serve(example_build) as server:
        yield server


def assert_no_problems(visit: Visit) -> None:
    found = {kind: items for kind, items in visit.problems().items() if items}
    assert not found, f"{visit.name} ({visit.url}):\n" + json.dumps(found, indent=2)


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_each_kind_of_page_runs_its_scripts_without_a_csp_violation(browser, site_server, path):
    name = "csp-" + (path.strip("/").replace("/", "-").removesuffix(".html") or "home")
    visit = open_page(
        browser, site_server.url_for(path), name=name, width=1280, now=EXAMPLE_NOW, screenshot=False
    )
    try:
        assert_no_problems(visit)
        ran = visit.page.evaluate(
            """() => ({
                policy: document.querySelector('meta[http-equiv="Content-Security-Policy"]')
                    ?.content,
                inline: typeof __md_get === "function",  // the theme's first inline script
                bundle: typeof document$ === "object",  // the theme's script file
                flare: document.querySelectorAll("time[data-flare-local]").length,
            })"""
        )
        if path == "":  # the status page, in Flare's light layout: the theme's scripts are
            # not there, and the page has no inline script for the policy to name
            assert ran["policy"].startswith("default-src 'none'; script-src 'self'; ")
            assert not ran["inline"] and not ran["bundle"]
        else:
            assert ran["policy"].startswith("default-src 'none'; script-src 'self' 'sha256-")
            assert ran["inline"] and ran["bundle"]
        if path not in ("about/", "404.html"):  # pages with times: flare.js has marked them
            assert ran["flare"] > 0
    finally:
        visit.close()


def test_search_finds_pages_under_the_policy(browser, site_server):
    # The page's clock runs here: frozen (now=...), the theme never fades the results in.
    visit = open_page(browser, site_server.url_for("history/"), name="csp-search", screenshot=False)
    try:
        page = visit.page
        page.click("input.md-search__input")
        page.keyboard.type("webhook")
        page.wait_for_selector(".md-search-result__item", timeout=BROWSER_DEADLINE_MS)  # visible
        assert "matching document" in page.inner_text(".md-search-result__meta")
        fetched = {url.removeprefix(site_server.url) for _, url in visit.responses}
        assert "search/search_index.json" in fetched  # connect-src
        assert any(url.startswith("assets/javascripts/workers/search.") for url in fetched)
        assert_no_problems(visit)
    finally:
        visit.close()


def test_the_palette_toggle_switches_and_is_remembered_under_the_policy(browser, site_server):
    visit = open_page(
        browser, site_server.url_for("history/"), name="csp-palette", screenshot=False
    )
    try:
        page = visit.page
        scheme = "document.body.getAttribute('data-md-color-scheme')"
        assert page.evaluate(scheme) == "default"
        page.click('label[title="Switch to dark mode"]')
        page.wait_for_function(f"{scheme} === 'slate'", timeout=BROWSER_DEADLINE_MS)
        # After a reload the theme's inline palette script restores the choice from storage.
        page.reload(wait_until="load")
        assert page.evaluate(scheme) == "slate"
        assert_no_problems(visit)
    finally:
        visit.close()


def test_an_inline_script_the_policy_does_not_name_is_blocked(browser, example_build, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(example_build, site)
    about = site / "about" / "index.html"
    html = about.read_text(encoding="utf-8")
    about.write_text(
        html.replace("</body>", '<script>document.body.dataset.added = "ran"</script></body>'),
        encoding="utf-8",
    )
    with serve(site) as server:
        visit = open_page(browser, server.url_for("about/"), name="csp-blocked", screenshot=False)
        try:
            assert visit.page.evaluate("document.body.dataset.added") is None
            assert len(visit.csp_violations) == 1
            assert "Executing inline script violates" in visit.csp_violations[0]
        finally:
            visit.close()


def test_chromium_accepts_the_hashes_of_scripts_styles_and_style_attributes(browser, tmp_path):
    # Code that tests the hashing: non-ASCII text, CR LF line ends, a <style> element and style
    # attributes, which only 'unsafe-hashes' lets a hash allow.
    page = (
        '<!doctype html>\r\n<html lang="en"><head><meta charset="utf-8"><title>Hashes</title>'
        "<style>\r\np { color: rgb(0, 128, 0); }\r\n</style></head><body>"
        '<p id="styled" style="font-weight: 700;">Störung</p><p>Grün</p>'
        '<script>\r\ndocument.body.dataset.ran = "ja – €";\r\n</script>'
        '<script id="data" type="application/json">{"not": "run"}</script></body></html>'
    )
    (tmp_path / "index.html").write_text(with_content_security_policy(page), encoding="utf-8")
    with serve(tmp_path) as server:
        visit = open_page(browser, server.url, name="csp-hashes", screenshot=False)
        try:
            assert_no_problems(visit)
            assert visit.page.evaluate("document.body.dataset.ran") == "ja – €"
            styled = visit.page.evaluate(
                "(() => { const s = getComputedStyle(document.getElementById('styled'));"
                " return [s.color, s.fontWeight]; })()"
            )
            assert styled == ["rgb(0, 128, 0)", "700"]
        finally:
            visit.close()
