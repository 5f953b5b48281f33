"""The embeddable status on a product's page, in a real browser: the product on one origin, the
status site (with its CORS header on ``api/v2/``) on another, as a host serves them."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import lxml.html

from conftest import EXAMPLE_NOW, SiteFolder, flare
from generator.outputs.embed import embed_script
from support.browser import BROWSER_DEADLINE_MS, open_page
from support.serving import serve

CORS = {"Access-Control-Allow-Origin": "*"}
HOSTILE = '<img src=x onerror="window.pwned=1">Outage'


def product_page(folder: Path, status_site: str) -> Path:
    """A customer's page on its own origin, including the status with one tag per view."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Our product</title>"
        "</head><body><h1>Our product</h1>"
        '<div id="badge" data-flare-status></div>'
        '<div id="banner" data-flare-status="banner"></div>'
        f'<script src="{status_site}embed.js" async></script></body></html>',
        encoding="utf-8",
    )
    return folder


def test_the_script_is_small_and_carries_the_sites_palette():
    script = embed_script()
    assert len(gzip.compress(script)) < 5 * 1024
    assert b"/*PALETTE*/" not in script and b'"#1a7f37"' in script


def test_the_iframe_page_says_the_state_without_a_script(example_build: Path):
    page = lxml.html.parse(str(example_build / "embed.html")).getroot()
    assert page.xpath("//script") == []
    state = page.xpath("//a[@class='state']")[0]
    assert state.text == "Degraded performance"
    assert state.get("target") == "_top"
    assert "Delayed webhook deliveries: Monitoring" in page.text_content()
    (policy,) = page.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert policy.startswith("default-src 'none'; style-src 'sha256-")
    assert "script-src" not in policy


def test_a_product_page_on_another_origin_shows_the_badge_and_the_banner_until_dismissed(
    browser, example_build: Path, tmp_path: Path
):
    with (
        serve(example_build, headers=CORS) as site,
        serve(product_page(tmp_path / "product", site.url)) as product,
    ):
        assert site.origin != product.origin
        visit = open_page(browser, product.url, name="embed-product", now=EXAMPLE_NOW)
        try:
            page = visit.page
            page.wait_for_selector("#banner strong", timeout=BROWSER_DEADLINE_MS)
            assert page.inner_text("#badge") == "Partially Degraded Service"
            assert page.get_attribute("#badge", "role") == "status"
            assert page.get_attribute("#badge a", "href") == site.url
            assert page.inner_text("#banner strong") == "Delayed webhook deliveries"
            page.keyboard.press("Tab")  # the badge's link, the banner's link, then Dismiss
            page.keyboard.press("Tab")
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.textContent") == "Dismiss"
            page.keyboard.press("Enter")
            assert page.get_attribute("#banner", "hidden") is not None
            page.reload(wait_until="load", timeout=BROWSER_DEADLINE_MS)
            page.wait_for_selector("#badge a", timeout=BROWSER_DEADLINE_MS)  # the script ran
            assert page.get_attribute("#banner", "hidden") is not None  # and remembered
            assert visit.problems() == {
                "console errors": [],
                "uncaught exceptions": [],
                "requests to other hosts": [],
                "CSP violations": [],
                "failed same-host requests": [],
            }
        finally:
            visit.close()


def test_a_hostile_title_stays_text(browser, site_folder: SiteFolder, tmp_path: Path):
    site_folder.record(
        "outage.yaml",
        f"title: {json.dumps(HOSTILE)}\nimpact: critical\ncomponents: [api]\n"
        "updates:\n  - at: 2026-11-23T10:00:00Z\n    status: investigating\n    body: Down.\n",
    )
    built = tmp_path / "site"
    assert flare("build", str(site_folder.root), "-d", str(built)).returncode == 0
    with (
        serve(built, headers=CORS) as site,
        serve(product_page(tmp_path / "product", site.url)) as product,
    ):
        visit = open_page(browser, product.url, name="embed-hostile", now=EXAMPLE_NOW)
        try:
            visit.page.wait_for_selector("#banner strong", timeout=BROWSER_DEADLINE_MS)
            assert visit.page.inner_text("#banner strong") == HOSTILE
            assert visit.page.query_selector("#banner img") is None
            assert visit.page.evaluate("window.pwned === undefined")
        finally:
            visit.close()


def test_the_sites_own_embed_page_shows_it_under_the_sites_policy(browser, example_build):
    with serve(example_build) as site:
        visit = open_page(browser, site.url_for("embed/"), name="embed-docs", now=EXAMPLE_NOW)
        try:
            visit.page.wait_for_selector("[data-flare-status] a", timeout=BROWSER_DEADLINE_MS)
            assert visit.csp_violations == [] and visit.console_errors == []
        finally:
            visit.close()
