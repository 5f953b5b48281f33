"""Headless Chromium through Playwright: open a page, see what a reader's browser sees.

Playwright drives Debian's ``/usr/bin/chromium`` (installed by ``make test-tools``); its own
browser download (``playwright install``) is never used. Each page opens in a fresh browser
context (Playwright gives the browser a fresh temporary profile, and each context its own
storage), and every request to a host other than 127.0.0.1 is blocked and recorded.

    with launch() as browser:
        visit = open_page(browser, server.url, name="home-1280", width=1280)
        assert visit.console_errors == [] and visit.external_requests == []
        violations = run_axe(visit.page)
        visit.close()
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from . import ARTIFACTS, NODE_MODULES

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

CHROMIUM = Path("/usr/bin/chromium")
# A slow, loaded machine may take long to start the browser or load a page: a generous deadline.
BROWSER_DEADLINE_MS = 120_000
# What Chromium needs to run headless as root in a container, and to stay off the network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
LOCAL_HOSTS = {"127.0.0.1"}


def browser_missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed: run `make test` (pip install -e '.[test]')"
    if not (CHROMIUM.is_file() and shutil.which(str(CHROMIUM))):
        return (
            f"{CHROMIUM} is missing: `make test-tools` installs it with apt-get when run as root "
            "(apt-get update && apt-get install -y chromium)"
        )
    return None


def axe_missing_reason() -> str | None:
    if not AXE.is_file():
        return f"{AXE.relative_to(NODE_MODULES.parent)} is missing: run `make test-tools` (npm ci)"
    return None


@contextmanager
def launch() -> Iterator[Browser]:
    """Start Playwright and headless Debian Chromium; close both at the end of the block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            timeout=BROWSER_DEADLINE_MS,
        )
        try:
            yield browser
        finally:
            browser.close()


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about", "javascript"}:
        return True  # never leaves the browser
    return parts.hostname in LOCAL_HOSTS


@dataclass
class Visit:
    """One page, opened once, and everything noticed while it loaded."""

    name: str
    url: str
    width: int
    javascript: bool
    page: Page
    context: BrowserContext
    console_errors: list[str] = field(default_factory=list)  # error-level console messages
    page_errors: list[str] = field(default_factory=list)  # uncaught exceptions
    external_requests: list[str] = field(default_factory=list)  # blocked: not 127.0.0.1
    csp_violations: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)  # same host: status >= 400 or failed
    responses: list[tuple[int, str]] = field(default_factory=list)  # same host: (status, url)
    screenshot: Path | None = None

    def main_text(self, exclude: Sequence[str] = ()) -> str:
        """The text of the page's main content (mkdocs-material's ``article``), as rendered,
        with runs of white space made one space.

        ``exclude``: CSS selectors of elements to leave out, such as notes a script adds to
        the page (they are hidden while the text is read, then shown again).
        """
        for selector in ("article", "main", "body"):
            element = self.page.query_selector(selector)
            if element is None:
                continue
            if not exclude:
                return " ".join(element.inner_text().split())
            text = element.evaluate(
                """(element, selectors) => {
                    const hidden = [...element.querySelectorAll(selectors.join(","))];
                    const before = hidden.map((node) => node.style.display);
                    hidden.forEach((node) => { node.style.display = "none"; });
                    const text = element.innerText;
                    hidden.forEach((node, i) => { node.style.display = before[i]; });
                    return text;
                }""",
                list(exclude),
            )
            return " ".join(text.split())
        return ""

    def problems(self) -> dict[str, list[str]]:
        """Everything that should be empty on a good page, by kind, for one assert."""
        return {
            "console errors": self.console_errors,
            "uncaught exceptions": self.page_errors,
            "requests to other hosts": self.external_requests,
            "CSP violations": self.csp_violations,
            "failed same-host requests": self.failed_requests,
        }

    def close(self) -> None:
        self.context.close()


def open_page(
    browser: Browser,
    url: str,
    *,
    name: str,
    width: int = 1280,
    height: int = 800,
    javascript: bool = True,
    screenshot: bool = True,
    now: datetime | None = None,
    timezone: str = "UTC",
    locale: str = "en-US",
    color_scheme: str = "light",
    settle_ms: int = 300,
    until_idle: bool = True,
) -> Visit:
    """Open ``url`` at ``width``×``height`` in a fresh context and wait until it has loaded.

    The returned Visit keeps its page open (for ``run_axe`` or more checks): call ``close()``.
    A full-page screenshot is saved to ``tests/artifacts/<name>.png``. ``now`` fixes the page's
    clock (``Date.now()``), so that what scripts compute from it ("3 hours ago") and the
    screenshots do not depend on when the test runs; ``timezone``, ``locale`` and
    ``color_scheme`` (light or dark, which picks the site's palette) are the reader's. A test
    that only measures the page's layout may pass ``until_idle=False`` and ``settle_ms=0``: it
    then starts once the page has loaded, without waiting for the network to fall quiet and for
    late console messages, which such a test does not read.
    """
    context = browser.new_context(
        viewport={"width": width, "height": height},
        java_script_enabled=javascript,
        service_workers="block",
        timezone_id=timezone,
        locale=locale,
        color_scheme=color_scheme,
    )
    # Every action and navigation on the page waits as long as loading it may take.
    context.set_default_timeout(BROWSER_DEADLINE_MS)
    context.set_default_navigation_timeout(BROWSER_DEADLINE_MS)
    if now is not None:
        context.clock.set_fixed_time(now)
    page = context.new_page()
    visit = Visit(
        name=name, url=url, width=width, javascript=javascript, page=page, context=context
    )

    def on_external(request_url: str) -> None:
        if request_url not in visit.external_requests:
            visit.external_requests.append(request_url)

    def route(route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            on_external(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", route)
    page.on("request", lambda request: None if is_local(request.url) else on_external(request.url))
    page.on("websocket", lambda socket: None if is_local(socket.url) else on_external(socket.url))

    def on_console(message) -> None:
        if message.type != "error":
            return
        location = message.location or {}
        where = (
            f" ({location.get('url')}:{location.get('lineNumber')})" if location.get("url") else ""
        )
        visit.console_errors.append(message.text + where)
        if "Content Security Policy" in message.text:
            visit.csp_violations.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: visit.page_errors.append(str(error)))

    def on_response(response) -> None:
        if is_local(response.url):
            visit.responses.append((response.status, response.url))
            if response.status >= 400:
                visit.failed_requests.append(f"{response.status} {response.url}")

    page.on("response", on_response)
    page.on(
        "requestfailed",
        lambda request: (
            None
            if not is_local(request.url)
            else visit.failed_requests.append(f"{request.failure} {request.url}")
        ),
    )

    # Chromium logs each CSP violation as a console error (also with JavaScript off): those are
    # the csp_violations above. A load the CSP blocks never becomes a request, so the blocked
    # address of another host is taken from Chromium's issue report.
    cdp = context.new_cdp_session(page)

    def on_issue(event: dict[str, Any]) -> None:
        issue = event.get("issue", {})
        if issue.get("code") == "ContentSecurityPolicyIssue":
            details = issue.get("details", {}).get("contentSecurityPolicyIssueDetails", {})
            blocked = details.get("blockedURL")
            if blocked and not is_local(blocked):
                on_external(blocked)

    cdp.on("Audits.issueAdded", on_issue)
    cdp.send("Audits.enable")

    try:
        page.goto(url, wait_until="load", timeout=BROWSER_DEADLINE_MS)
        if until_idle:
            page.wait_for_load_state("networkidle", timeout=BROWSER_DEADLINE_MS)
        page.wait_for_timeout(settle_ms)  # late console messages and issues
        if screenshot:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            visit.screenshot = ARTIFACTS / f"{name}.png"
            page.screenshot(path=str(visit.screenshot), full_page=True)
    except Exception:
        context.close()
        raise
    return visit


def run_axe(page: Page, tags: tuple[str, ...] = AXE_TAGS) -> list[dict[str, Any]]:
    """Run axe-core on the open page; return its violations, each as id, impact, help, nodes.

    ``nodes`` holds each failing element's target: the CSS selector axe gives for it (inside an
    iframe or shadow root, the selectors of the path joined with `` >>> ``); ``summaries`` holds
    axe's explanation for each of them, in the same order (a contrast ratio and its colours,
    for instance). Needs a page opened with JavaScript.
    """
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
    # govern; add_script_tag would insert an inline <script>, which the policy blocks.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations'],
        })""",
        list(tags),
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [
                " >>> ".join(
                    part if isinstance(part, str) else " ".join(part) for part in node["target"]
                )
                for node in violation["nodes"]
            ],
            "summaries": [node.get("failureSummary", "") for node in violation["nodes"]],
        }
        for violation in results["violations"]
    ]
