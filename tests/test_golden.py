"""Golden files: a small site's pages and machine outputs compared with the committed ones.

Any change in what a reader or a subscriber's program sees shows up in review as a diff of
tests/golden/: the pages, the Statuspage-shaped API, the site's Atom feed and the maintenance
calendar. After an intended change, regenerate them and read the diff before committing:

    FLARE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import lxml.html
import pytest

from conftest import SiteFolder, flare

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("FLARE_UPDATE_GOLDEN") == "1"

RECORDS = {
    "2026/2026-11-03-api-errors.yaml": """\
        title: Elevated error rates on the public API
        impact: minor
        components: [api, web]
        updates:
          - at: 2026-11-03T14:05:00Z
            status: investigating
            components: {api: degraded_performance}
            body: |
              Some requests to the API fail with **503** errors. Next update in 30 minutes.
          - at: 2026-11-03T14:40:00Z
            status: identified
            impact: major
            components: {api: partial_outage}
            body: A failed deploy; we are rolling it back. See https://docs.example.com/api.
          - at: 2026-11-03T16:10:00+01:00
            status: resolved
            body: Error rates are back to normal.
        """,
    "2026/2026-11-22-email-delays.yaml": """\
        title: Email notifications delayed
        impact: minor
        components: [email]
        updates:
          - at: 2026-11-22T21:40:00Z
            status: investigating
            body: Notifications arrive up to 20 minutes late.
        """,
    "2026/2026-11-12-email-outage.yaml": """\
        title: Email notifications not sent
        impact: major
        components: [email]
        updates:
          - at: 2026-11-12T09:10:00Z
            status: investigating
            body: No email notifications are going out.
          - at: 2026-11-12T10:00:00Z
            status: resolved
            body: Emails are sent again; the held ones have gone out.
        postmortem:
          stage: 24h
          owner: Sam K.
          summary: An expired credential stopped every email for **55 minutes**; none was lost.
          impact:
            description: No email was sent from 09:05 to 10:00 UTC; held emails arrived late.
            users_affected: 1500
            users_reported: 12
            support_tickets: 9
            areas: [Email notifications, Password resets]
          triage:
            judged: Every email failed, so **major** by our rule; nothing else was affected.
            called: ["The on-call engineer, by the delivery-failure alert"]
          responders:
            - {name: Sam K., role: incident command}
            - {name: Max T., role: operations}
          timeline:
            - at: 2026-11-12T09:05:00Z
              text: The mail provider starts rejecting our credential.
              milestone: impact_started
            - at: 2026-11-12T09:08:00Z
              text: The delivery-failure alert fires.
              milestone: detected
            - at: 2026-11-12T09:20:00Z
              text: Vendor case opened.
              internal: true
            - at: 2026-11-12T09:40:00Z
              text: A new credential is issued; held emails go out.
              milestone: mitigated
            - at: 2026-11-12T10:00:00Z
              text: The queue is empty.
              milestone: resolved
          resolution: A new credential was issued and the queue drained.
          action_items:
            - title: Credentials are renewed a week before they expire
              type: prevent
              priority: P1
              owner: Max T.
              ticket: https://tracker.example.com/OPS-21
              status: in_progress
              due: 2026-11-20
          related: [2026-11-03-api-errors]
          effort:
            - {phase: diagnose, minutes: 25, people: 2}
            - {phase: communicate, minutes: 40}
          published:
            immediate: 2026-11-12T10:45:00Z
            24h: 2026-11-13T09:00:00Z
        """,
    "2026/2026-11-16-export-dates.yaml": """\
        title: Dates in CSV exports written month first
        impact: minor
        classification: defect
        components: [web]
        updates:
          - at: 2026-11-16T10:00:00Z
            status: identified
            body: Dates in CSV exports read 11/16/2026; the fix ships in this week's release.
          - at: 2026-11-19T10:00:00Z
            status: resolved
            body: The release is out; exports write 2026-11-16 again.
        """,
    "2026/2026-12-08-upgrade.yaml": """\
        kind: maintenance
        title: Database upgrade
        components: [api, web]
        scheduled: {start: 2026-12-08T02:00:00Z, end: 2026-12-08T04:00:00Z}
        updates:
          - at: 2026-11-20T10:00:00Z
            status: scheduled
            body: The API may answer slowly for a few minutes.
        """,
}
PAGES = {
    "status": "",
    "incident": "incidents/2026-11-03-api-errors/",
    "open-incident": "incidents/2026-11-22-email-delays/",
    "maintenance": "incidents/2026-12-08-upgrade/",
    "history": "history/",
    "component": "components/api/",
    "postmortem": "incidents/2026-11-12-email-outage/postmortem/",
    "reliability": "reliability/",
}
MACHINE_OUTPUTS = (
    "api/v2/summary.json",
    "api/v2/status.json",
    "api/v2/components.json",
    "api/v2/incidents.json",
    "api/v2/incidents/unresolved.json",
    "api/v2/scheduled-maintenances.json",
    "api/v2/scheduled-maintenances/upcoming.json",
    "api/v2/scheduled-maintenances/active.json",
    "history.atom",
    "maintenance.ics",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = SiteFolder(tmp_path_factory.mktemp("golden"))
    # The API has an availability objective, so its page and the report show its error budget;
    # an hourly rate and default effort give every incident a cost.
    config = site.config.read_text(encoding="utf-8")
    config = config.replace(
        "          name: Public API\n", "          name: Public API\n          slo: 99.9\n"
    ).replace(
        "  - flare:\n",
        "  - flare:\n      hourly_rate: 100\n"
        "      effort_defaults: {respond: 10, wrap_up: 15, diagnose: 30, refocus: 20}\n",
    )
    site.config.write_text(config, encoding="utf-8")
    for name, text in RECORDS.items():
        site.record(name, text)
    result = flare("build", str(site.root), "-d", str(site.root / "site"))
    assert result.returncode == 0, result.stderr
    return site.root / "site"


def main_content(page: Path) -> str:
    """The page's article, as Flare rendered it, one element per line."""
    tree = lxml.html.parse(str(page))
    (article,) = tree.xpath("//article[contains(concat(' ', @class, ' '), ' md-typeset ')]")
    html = lxml.html.tostring(article, encoding="unicode", pretty_print=True)
    return "\n".join(line.strip() for line in html.splitlines() if line.strip()) + "\n"


def check_golden(actual: str, golden: Path, what: str) -> None:
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8", newline="")
    assert golden.is_file(), f"{golden} is missing: run with FLARE_UPDATE_GOLDEN=1 to write it"
    assert actual == golden.read_bytes().decode("utf-8"), (
        f"{what} changed; if that is intended, regenerate tests/golden/ (see this module's "
        "docstring) and review the diff"
    )


@pytest.mark.parametrize("name", PAGES)
def test_the_page_reads_as_committed(built: Path, name: str):
    actual = main_content(built / PAGES[name] / "index.html")
    check_golden(actual, GOLDEN / f"{name}.html", PAGES[name] or "the home page")


def test_the_status_pages_frame_reads_as_committed(built: Path):
    """The light layout around the status page's content: head, header, navigation, footer."""
    html = (built / "index.html").read_text(encoding="utf-8")
    start = html.index('<article class="md-typeset">')
    end = html.rindex("</article>") + len("</article>")  # the records' articles are inside
    frame = html[:start] + "[the page's content: status.html]" + html[end:]
    check_golden(frame, GOLDEN / "status-frame.html", "the status page's frame")


@pytest.mark.parametrize("path", MACHINE_OUTPUTS)
def test_the_machine_output_reads_as_committed(built: Path, path: str):
    actual = (built / path).read_bytes().decode("utf-8")
    check_golden(actual, GOLDEN / "outputs" / path, path)
