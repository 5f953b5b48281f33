"""Post-mortem pages, read in a site built by `flare build` at EXAMPLE_NOW (23 Nov 2026, 12:00 UTC).

The small site below has an incident's post-mortem at each stage, one whose first stage is
only published after now, and internal content marked with a sentinel that must appear nowhere
in the built site:

- API_OUTAGE, the full analysis: every section, with a known timeline (impact started 10:00,
  detected 10:07, ...) and an overdue action item; it names DASHBOARD as related.
- EMAIL_DELAYS, the summary, resolved Monday 16 Nov: the analysis is due Wednesday 25 Nov, after
  now, so it is not overdue. Three milestones only: some metrics are not measured.
- DASHBOARD, the summary, resolved Tuesday 10 Nov: the analysis was due Thursday 19 Nov, so it is
  overdue. Its owner is internal, and it holds a trigger, which the summary stage does not
  publish. It lists nothing as related, yet shows API_OUTAGE, which names it.
- SIGN_IN, the first account: a summary drafted for the next stage is not published yet.
- WEB_ERRORS, a first account to be published at 13:00, an hour after now: nothing of it shows.
"""

from __future__ import annotations

from pathlib import Path

import feedparser
import lxml.html
import pytest
from lxml.html import HtmlElement
from test_site_pages import content, has_class, text

from conftest import SiteFolder, flare

SENTINEL = "INTERNAL-SENTINEL-7731"
DRAFT = "DRAFT-SUMMARY-5520"

API_OUTAGE = "2026-11-03-api-outage"
DASHBOARD = "2026-11-10-dashboard-slow"
EMAIL_DELAYS = "2026-11-16-email-delays"
SIGN_IN = "2026-11-20-sign-in-errors"
WEB_ERRORS = "2026-11-23-web-errors"

RECORDS = {
    f"2026/{API_OUTAGE}.yaml": f"""\
        title: Public API unavailable
        impact: critical
        components: [api]
        updates:
          - at: 2026-11-03T10:05:00Z
            status: investigating
            components: {{api: major_outage}}
            body: The public API is not answering.
          - at: 2026-11-03T11:30:00Z
            status: resolved
            body: The API works again.
        postmortem:
          stage: analysis
          owner: Ana P.
          authors: [Ana P., Lee W.]
          summary: |
            A configuration change sent **every** API request to a server pool with no servers.
          impact:
            description: Every API request failed with `503` for an hour.
            users_affected: 12000
            users_reported: 85
            support_tickets: 40
            areas: [Public API, Integrations]
            data_loss: No data was lost.
            business:
              description: "Two enterprise renewals were put on hold: {SENTINEL}."
              amount: 48000
              internal: true
            team:
              paged_out_of_hours: 3
              pulled_from_planned_work: 5
              description: The sprint's release slipped by a week.
          triage:
            judged: Every API request failed, so it was **critical** from the first page.
            called:
              - The on-call engineer, by the error-rate page
              - The load balancer team's lead, by phone
          responders:
            - {{name: Ana P., role: incident command}}
            - {{name: Lee W., role: operations}}
            - {{name: Jo {SENTINEL}, role: subject-matter expert (vendor), internal: true}}
          timeline:
            - at: 2026-11-03T09:58:00Z
              text: A change to the load balancer's pools is deployed.
            - at: 2026-11-03T10:00:00Z
              text: API requests start failing.
              milestone: impact_started
            - at: 2026-11-03T10:07:00Z
              text: The error-rate alert pages the on-call engineer.
              milestone: detected
            - at: 2026-11-03T10:09:00Z
              text: The on-call engineer acknowledges the page.
              milestone: acknowledged
            - at: 2026-11-03T10:20:00Z
              text: "{SENTINEL}: vendor case opened."
              internal: true
            - at: 2026-11-03T10:30:00Z
              text: The empty pool is found in the *new* configuration.
              milestone: identified
            - at: 2026-11-03T10:52:00Z
              text: The change is rolled back; requests succeed again.
              milestone: mitigated
            - at: 2026-11-03T11:00:00Z
              text: Error rates are back to normal.
              milestone: impact_ended
            - at: 2026-11-03T11:30:00Z
              text: The incident is resolved.
              milestone: resolved
          trigger: A load balancer change pointed the API at an empty server pool.
          contributing_factors:
            - text: The configuration check accepted a pool without servers.
              evidence: [https://grafana.example.com/d/lb/pools?from=1]
            - text: "The {SENTINEL} runbook was out of date."
              internal: true
          detection: The error-rate alert paged 7 minutes after requests started failing.
          resolution: The change was rolled back.
          lessons:
            went_well: [The rollback took two minutes.]
            went_wrong: ["The change reached every region at once. <script>alert(1)</script>"]
            lucky: [It happened during working hours.]
          action_items:
            - title: The configuration check rejects a pool without servers
              type: prevent
              priority: P0
              owner: Lee W.
              ticket: https://tracker.example.com/OPS-1
              status: done
              due: 2026-11-10
            - title: Load balancer changes roll out one region at a time
              type: mitigate
              priority: P1
              owner: Ana P.
              ticket: https://tracker.example.com/OPS-2
              status: open
              due: 2026-11-20
            - title: The error-rate alert fires within 2 minutes
              type: detect
              priority: P2
              owner: Lee W.
              ticket: https://tracker.example.com/OPS-3
              status: in_progress
              due: 2026-12-15
            - title: "{SENTINEL}: renegotiate the vendor's support plan"
              type: process
              priority: P2
              owner: Ana P.
              ticket: https://tracker.example.com/OPS-4
              internal: true
          related: [{DASHBOARD}]
          effort:
            - {{phase: diagnose, minutes: 30, people: 2, note: "{SENTINEL} diagnosing"}}
          internal: [effort]
          published:
            immediate: 2026-11-03T12:00:00Z
            24h: 2026-11-04T10:00:00Z
            analysis: 2026-11-10T09:00:00Z
        """,
    f"2026/{DASHBOARD}.yaml": f"""\
        title: Dashboard slow to load
        impact: minor
        components: [web]
        updates:
          - at: 2026-11-10T14:00:00Z
            status: investigating
            body: The dashboard loads slowly.
          - at: 2026-11-10T15:00:00Z
            status: resolved
            body: The dashboard is fast again.
        postmortem:
          stage: 24h
          owner: "{SENTINEL} owner"
          triage:
            judged: "{SENTINEL}: minor, since every page still loaded."
            internal: true
          summary: A slow database query held up every dashboard page.
          impact:
            description: Dashboard pages took up to 20 seconds to load.
            users_affected: 300
            users_reported: 2
            areas: [Dashboard]
          responders:
            - {{name: Max T., role: operations}}
          timeline:
            - at: 2026-11-10T13:50:00Z
              text: Dashboard pages slow down.
              milestone: impact_started
            - at: 2026-11-10T14:40:00Z
              text: The query gets its index; pages are fast again.
              milestone: mitigated
          resolution: A missing index was added.
          trigger: A release shipped a query without an index.
          action_items:
            - title: Queries without an index fail the build
              type: prevent
              priority: P2
              owner: Max T.
              ticket: https://tracker.example.com/OPS-7
              due: 2026-12-18
          internal: [owner]
          published:
            immediate: 2026-11-10T15:30:00Z
            24h: 2026-11-11T10:00:00Z
        """,
    f"2026/{EMAIL_DELAYS}.yaml": """\
        title: Email notifications delayed
        impact: minor
        components: [email]
        updates:
          - at: 2026-11-16T08:10:00Z
            status: investigating
            body: Emails arrive late.
          - at: 2026-11-16T09:00:00Z
            status: resolved
            body: Emails are on time again.
        postmortem:
          stage: 24h
          owner: Sam K.
          summary: A full mail queue delayed emails by up to 50 minutes.
          impact:
            description: Emails arrived up to 50 minutes late.
            users_affected: about 900 accounts
            users_reported: 4
            areas: [Email notifications]
          responders:
            - {name: Sam K., role: operations}
          timeline:
            - at: 2026-11-16T08:00:00Z
              text: The mail queue fills up.
              milestone: impact_started
            - at: 2026-11-16T08:05:00Z
              text: The queue-depth alert fires.
              milestone: detected
            - at: 2026-11-16T08:50:00Z
              text: The queue is drained.
              milestone: impact_ended
          resolution: The queue workers were scaled up.
          action_items:
            - title: The mail queue workers scale with its depth
              type: prevent
              priority: P2
              owner: Sam K.
              ticket: https://tracker.example.com/OPS-9
              due: 2026-12-20
          published:
            immediate: 2026-11-16T09:40:00Z
            24h: 2026-11-17T08:00:00Z
        """,
    f"2026/{SIGN_IN}.yaml": f"""\
        title: Sign-in errors
        impact: major
        components: [web]
        updates:
          - at: 2026-11-20T09:20:00Z
            status: investigating
            body: Some sign-ins fail.
          - at: 2026-11-20T10:00:00Z
            status: resolved
            body: Sign-in works again.
        postmortem:
          stage: immediate
          owner: Rui D.
          summary: "{DRAFT}: not published before the summary stage."
          impact:
            description: One sign-in in five failed with an error page.
          responders:
            - {{name: Rui D., role: incident command}}
          timeline:
            - at: 2026-11-20T09:10:00Z
              text: Sign-ins start failing.
              milestone: impact_started
            - at: 2026-11-20T09:45:00Z
              text: The expired certificate is replaced.
              milestone: mitigated
          resolution: An expired certificate was replaced.
          published:
            immediate: 2026-11-20T10:45:00Z
        """,
    f"2026/{WEB_ERRORS}.yaml": """\
        title: Dashboard errors
        impact: minor
        components: [web]
        updates:
          - at: 2026-11-23T09:00:00Z
            status: investigating
            body: Some dashboard pages show an error.
          - at: 2026-11-23T10:00:00Z
            status: resolved
            body: The dashboard works again.
        postmortem:
          stage: immediate
          owner: Rui D.
          impact:
            description: Some dashboard pages showed an error.
          responders:
            - {name: Rui D., role: incident command}
          timeline:
            - at: 2026-11-23T09:00:00Z
              text: Errors start.
          resolution: A bad deploy was rolled back.
          published:
            immediate: 2026-11-23T13:00:00Z
        """,
}


# -- the site, built once --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site_folder_with_postmortems(tmp_path_factory: pytest.TempPathFactory) -> SiteFolder:
    folder = SiteFolder(tmp_path_factory.mktemp("postmortems"))
    for name, record in RECORDS.items():
        folder.record(name, record)
    return folder


@pytest.fixture(scope="module")
def site(site_folder_with_postmortems: SiteFolder) -> Path:
    root = site_folder_with_postmortems.root
    result = flare("build", str(root), "-d", str(root / "site"))
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def page(site: Path):
    def parse(path: str) -> HtmlElement:
        file = site / path / "index.html"
        assert file.is_file(), f"{path} was not built"
        return lxml.html.parse(str(file)).getroot()

    return parse


def postmortem(page, record_id: str) -> HtmlElement:
    return content(page(f"incidents/{record_id}/postmortem/"))


def headings(article: HtmlElement) -> list[str]:
    return [text(h2) for h2 in article.xpath(".//h2")]


def section(article: HtmlElement, heading: str) -> HtmlElement:
    (found,) = article.xpath(f".//section[h2[normalize-space()='{heading}']]")
    return found


def stage_box(article: HtmlElement) -> list[str]:
    (box,) = article.xpath(f".//section[{has_class('flare-pm-stage')}]")
    return [text(p) for p in box.xpath("./p")]


def resolve(page_path: str, href: str) -> str:
    """The site path a relative link on the page at ``page_path`` leads to."""
    parts = [part for part in page_path.split("/") if part]
    for step in href.split("/"):
        if step == "..":
            parts.pop()
        elif step:
            parts.append(step)
    return "/".join(parts) + "/"


# -- validity and placement ----------------------------------------------------------------------
def test_the_records_of_this_site_are_valid_and_warn_of_nothing(site_folder_with_postmortems):
    result = flare("validate", str(site_folder_with_postmortems.root))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "5 records, 3 components: no errors"
    assert result.stderr == ""


def test_each_post_mortem_out_by_now_has_a_page_titled_after_its_incident(site, page):
    built = sorted(
        path.parent.parent.name for path in site.glob("incidents/*/postmortem/index.html")
    )
    assert built == [API_OUTAGE, DASHBOARD, EMAIL_DELAYS, SIGN_IN]  # not WEB_ERRORS, due at 13:00
    tree = page(f"incidents/{API_OUTAGE}/postmortem/")
    assert text(tree.xpath("//title")[0]).startswith("Post-mortem: Public API unavailable")
    assert text(content(tree).xpath(".//h1")[0]) == "Post-mortem: Public API unavailable"


def test_post_mortem_pages_stay_out_of_the_navigation(page):
    for record_id in (API_OUTAGE, SIGN_IN):
        tree = page(f"incidents/{record_id}/postmortem/")
        nav_links = tree.xpath(f"//nav[{has_class('md-nav')}]//a/@href")
        assert nav_links, "the page has a navigation"
        assert [href for href in nav_links if "postmortem" in href] == []


# -- what each stage shows -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("record_id", "sections"),
    [
        (
            API_OUTAGE,
            [
                "Summary",
                "Impact",
                "Triage",
                "How long it took",
                "Timeline",
                "Contributing factors",
                "Trigger",
                "Detection",
                "Resolution",
                "Lessons",
                "Action items",
                "Responders",
                "Authors",
                "Related incidents",
            ],
        ),
        # The summary stage: no analysis sections, not even the trigger DASHBOARD already holds;
        # its owner is internal, so it has no Authors section rather than an empty one.
        (
            DASHBOARD,
            [
                "Summary",
                "Impact",
                "How long it took",
                "Timeline",
                "Resolution",
                "Action items",
                "Responders",
                "Related incidents",
            ],
        ),
        (
            EMAIL_DELAYS,
            [
                "Summary",
                "Impact",
                "How long it took",
                "Timeline",
                "Resolution",
                "Action items",
                "Responders",
                "Authors",
            ],
        ),
        # The first account: its drafted summary waits for the summary stage.
        (
            SIGN_IN,
            ["Impact", "How long it took", "Timeline", "Resolution", "Responders", "Authors"],
        ),
    ],
)
def test_a_post_mortem_shows_the_sections_its_stage_has_reached_in_reading_order(
    page, record_id, sections
):
    assert headings(postmortem(page, record_id)) == sections


def test_the_full_analysis_says_it_is_complete(page):
    assert stage_box(postmortem(page, API_OUTAGE))[:2] == [
        "Stage: Full analysis, published 10 Nov 2026, 09:00 UTC",
        "This is the complete post-mortem.",
    ]


def test_a_summary_whose_analysis_is_due_after_now_is_not_flagged(page):
    # Resolved Monday 16 Nov 09:00: 7 business days later is Wednesday 25 Nov 09:00.
    article = postmortem(page, EMAIL_DELAYS)
    assert stage_box(article)[:2] == [
        "Stage: Summary, published 17 Nov 2026, 08:00 UTC",
        "Next: Full analysis, due 25 Nov 2026, 09:00 UTC",
    ]
    assert article.xpath(f".//*[{has_class('flare-overdue')}]") == []


def test_a_stage_due_before_now_is_stated_neutrally_to_the_public(page):
    """A late stage is the team's business: the public page gives its due date, no alarm."""
    # Resolved Tuesday 10 Nov 15:00: 7 business days later is Thursday 19 Nov 15:00.
    article = postmortem(page, DASHBOARD)
    assert stage_box(article)[1] == "Next: Full analysis, due 19 Nov 2026, 15:00 UTC"
    (stage_line,) = article.xpath(f".//p[{has_class('flare-pm-stage__next')}]")
    assert stage_line.xpath(f".//*[{has_class('flare-overdue')}]") == []


def test_a_first_account_names_the_summary_as_next_due_a_day_after_resolution(page):
    assert stage_box(postmortem(page, SIGN_IN))[:2] == [
        "Stage: First account, published 20 Nov 2026, 10:45 UTC",
        "Next: Summary, due 21 Nov 2026, 10:00 UTC",
    ]


def test_the_header_links_to_the_incident_and_gives_its_impact_and_times(page):
    article = postmortem(page, API_OUTAGE)
    (about,) = article.xpath(f".//p[{has_class('flare-pm-about')}]")
    (link,) = about.xpath(".//a")
    assert text(link) == "Public API unavailable"
    assert resolve(f"incidents/{API_OUTAGE}/postmortem/", link.get("href")) == (
        f"incidents/{API_OUTAGE}/"
    )
    (dl,) = article.xpath(f"./dl[{has_class('flare-facts')}]")
    assert {text(dt): text(dt.getnext()) for dt in dl.xpath(".//dt")} == {
        "Impact": "Critical impact",
        "First status update": "3 Nov 2026, 10:05 UTC",
        "Resolved": "3 Nov 2026, 11:30 UTC",
    }


# -- the sections --------------------------------------------------------------------------------
def test_the_summary_is_markdown(page):
    summary = section(postmortem(page, API_OUTAGE), "Summary")
    assert text(summary.xpath(".//strong")[0]) == "every"


def test_impact_gives_the_description_the_numbers_the_areas_and_data_loss(page):
    impact = section(postmortem(page, API_OUTAGE), "Impact")
    assert text(impact.xpath(".//code")[0]) == "503"
    facts = {text(dt): text(dt.getnext()) for dt in impact.xpath(".//dt")}
    assert facts == {
        "Users affected": "12,000",
        "Users who reported it": "85",
        "Support tickets": "40",
        "Paged out of hours": "3",  # the team's impact, public; the business's is internal
        "Pulled from planned work": "5",
    }
    assert [text(li) for li in impact.xpath(".//ul/li")] == ["Public API", "Integrations"]
    assert [text(h3) for h3 in impact.xpath(".//h3")] == [
        "Parts of the product affected",
        "Data loss",
        "Impact on the team",
    ]
    assert "No data was lost." in text(impact)
    # An estimate in words is shown as written; the summary stage has no data loss yet.
    email = section(postmortem(page, EMAIL_DELAYS), "Impact")
    assert {text(dt): text(dt.getnext()) for dt in email.xpath(".//dt")}["Users affected"] == (
        "about 900 accounts"
    )
    assert "Data loss" not in text(email)


def test_triage_says_how_the_severity_was_judged_and_who_was_called(page):
    triage = section(postmortem(page, API_OUTAGE), "Triage")
    assert text(triage.xpath(".//strong")[0]) == "critical"
    assert [text(h3) for h3 in triage.xpath(".//h3")] == ["Who was called"]
    assert [text(li) for li in triage.xpath(".//li")] == [
        "The on-call engineer, by the error-rate page",
        "The load balancer team's lead, by phone",
    ]


def metrics(article: HtmlElement) -> dict[str, str]:
    box = section(article, "How long it took")
    return {text(dt): text(dt.getnext()) for dt in box.xpath(".//dt")}


def test_metrics_come_from_the_milestones_each_under_its_full_name(page):
    assert metrics(postmortem(page, API_OUTAGE)) == {
        "Time to detect": "7 min from impact started to detected",  # 10:00 to 10:07
        "Time to acknowledge": "2 min from detected to acknowledged",  # 10:07 to 10:09
        "Time to mitigate": "52 min from impact started to mitigated",  # 10:00 to 10:52
        "Time to resolve": "1 h 30 min from impact started to resolved",  # 10:00 to 11:30
        "Impact duration": "1 h from impact started to impact ended",  # 10:00 to 11:00
    }


def test_a_metric_whose_milestones_are_not_marked_is_not_measured(page):
    assert metrics(postmortem(page, EMAIL_DELAYS)) == {
        "Time to detect": "5 min from impact started to detected",
        "Time to acknowledge": "Not measured from detected to acknowledged",
        "Time to mitigate": "Not measured from impact started to mitigated",
        "Time to resolve": "Not measured from impact started to resolved",
        "Impact duration": "50 min from impact started to impact ended",
    }


def test_no_page_says_mttr(site):
    for file in site.rglob("*.html"):
        assert b"MTTR" not in file.read_bytes(), file


def test_the_timeline_gives_each_event_its_time_its_milestone_and_its_markdown(page):
    timeline = section(postmortem(page, API_OUTAGE), "Timeline")
    events = timeline.xpath(".//li")
    rows = [
        (
            text(event.xpath(".//time")[0]),
            [text(tag) for tag in event.xpath(f".//*[{has_class('flare-pm-milestone')}]")],
        )
        for event in events
    ]
    assert rows == [
        ("3 Nov 2026, 09:58 UTC", []),  # the date once, on the first event of the day
        ("10:00 UTC", ["Impact started"]),
        ("10:07 UTC", ["Detected"]),
        ("10:09 UTC", ["Acknowledged"]),
        ("10:30 UTC", ["Identified"]),  # the internal event of 10:20 is not there
        ("10:52 UTC", ["Mitigated"]),
        ("11:00 UTC", ["Impact ended"]),
        ("11:30 UTC", ["Resolved"]),
    ]
    assert events[0].xpath(".//time")[0].get("datetime") == "2026-11-03T09:58:00+00:00"
    assert text(events[4].xpath(".//em")[0]) == "new"


def test_contributing_factors_link_their_evidence(page):
    factors = section(postmortem(page, API_OUTAGE), "Contributing factors")
    (item,) = factors.xpath(".//ol/li")  # the internal factor is left out
    assert text(item).startswith("The configuration check accepted a pool without servers.")
    (link,) = item.xpath(".//a")
    assert link.get("href") == "https://grafana.example.com/d/lb/pools?from=1"
    assert text(link) == "grafana.example.com/d/lb/pools"


def test_lessons_are_grouped_and_author_markup_is_not_live(page):
    lessons = section(postmortem(page, API_OUTAGE), "Lessons")
    assert [text(h3) for h3 in lessons.xpath(".//h3")] == [
        "What went well",
        "What went wrong",
        "Where we got lucky",
    ]
    assert lessons.xpath(".//script") == []
    assert text(lessons.xpath(".//ul")[1]).startswith("The change reached every region at once.")


def action_rows(article: HtmlElement) -> list[list[str]]:
    table = section(article, "Action items").xpath(".//table")[0]
    return [[text(cell) for cell in row.xpath("./td")] for row in table.xpath("./tbody/tr")]


def test_action_items_are_a_table_and_the_overdue_one_says_so(page):
    article = postmortem(page, API_OUTAGE)
    (table,) = section(article, "Action items").xpath(".//table")
    assert table.get("class") is None  # the theme's own table style
    assert [text(th) for th in table.xpath("./thead/tr/th")] == [
        "Action",
        "Type",
        "Priority",
        "Status",
        "Owner",
        "Ticket",
        "Due",
    ]
    assert action_rows(article) == [
        [
            "The configuration check rejects a pool without servers",
            "Prevent",
            "P0",
            "Done",  # due before now, but done: not overdue
            "Lee W.",
            "OPS-1",
            "10 Nov 2026",
        ],
        [
            "Load balancer changes roll out one region at a time",
            "Mitigate",
            "P1",
            "Open",
            "Ana P.",
            "OPS-2",
            "20 Nov 2026 Overdue",
        ],
        [
            "The error-rate alert fires within 2 minutes",
            "Detect",
            "P2",
            "In progress",
            "Lee W.",
            "OPS-3",
            "15 Dec 2026",
        ],
    ]  # the internal item is left out
    assert table.xpath(".//a/@href") == [
        "https://tracker.example.com/OPS-1",
        "https://tracker.example.com/OPS-2",
        "https://tracker.example.com/OPS-3",
    ]
    (flag,) = table.xpath(f".//*[{has_class('flare-overdue')}]")
    assert text(flag) == "Overdue"


def test_responders_with_their_roles_and_the_authors(page):
    article = postmortem(page, API_OUTAGE)
    assert [text(li) for li in section(article, "Responders").xpath(".//li")] == [
        "Ana P., incident command",
        "Lee W., operations",
    ]
    authors = section(article, "Authors")
    assert {text(dt): text(dt.getnext()) for dt in authors.xpath(".//dt")} == {
        "Owner": "Ana P.",
        "Written by": "Ana P., Lee W.",
    }


# -- links between pages -------------------------------------------------------------------------
def related(tree: HtmlElement, page_path: str) -> list[tuple[str, str, list[str]]]:
    """(title, incident page, [its post-mortem page]) for each related incident listed."""
    items = content(tree).xpath(f".//ul[{has_class('flare-related')}]/li")
    return [
        (
            text(item.xpath("./a")[0]),
            resolve(page_path, item.xpath("./a")[0].get("href")),
            [resolve(page_path, href) for href in item.xpath(".//span//a/@href")],
        )
        for item in items
    ]


def test_related_incidents_are_linked_both_ways(page):
    dashboard = ("Dashboard slow to load", f"incidents/{DASHBOARD}/")
    api = ("Public API unavailable", f"incidents/{API_OUTAGE}/")
    for record_id, (title, incident_page), other in (
        (API_OUTAGE, dashboard, DASHBOARD),
        (DASHBOARD, api, API_OUTAGE),  # DASHBOARD lists nothing, API_OUTAGE names it
    ):
        for path in (f"incidents/{record_id}/postmortem/", f"incidents/{record_id}/"):
            assert related(page(path), path) == [
                (title, incident_page, [f"incidents/{other}/postmortem/"])
            ], path
    assert related(page(f"incidents/{EMAIL_DELAYS}/postmortem/"), "") == []
    assert "Related incidents" not in headings(content(page(f"incidents/{EMAIL_DELAYS}/")))


@pytest.mark.parametrize(
    ("record_id", "link_text"),
    [
        (API_OUTAGE, "Read the post-mortem (full analysis)"),
        (DASHBOARD, "Read the post-mortem (summary)"),
        (SIGN_IN, "Read the post-mortem (first account)"),
    ],
)
def test_the_incident_page_leads_to_its_post_mortem_and_back(page, record_id, link_text):
    incident_path = f"incidents/{record_id}/"
    (link,) = content(page(incident_path)).xpath(f".//a[normalize-space()='{link_text}']")
    assert resolve(incident_path, link.get("href")) == f"{incident_path}postmortem/"
    postmortem_path = f"{incident_path}postmortem/"
    back = content(page(postmortem_path)).xpath(".//a/@href")
    assert incident_path in [resolve(postmortem_path, href) for href in back]


def test_the_history_marks_each_incident_with_a_post_mortem_out(page):
    marked = {}
    for item in content(page("history/")).xpath(f".//li[{has_class('flare-history__item')}]"):
        title = text(item.xpath("./a")[0])
        marked[title] = [
            (text(a), resolve("history/", a.get("href")))
            for a in item.xpath(f"./*[{has_class('flare-history__postmortem')}]/a")
        ]
    assert marked == {
        "Dashboard errors": [],  # its first account is published after now
        "Sign-in errors": [("Post-mortem (first account)", f"incidents/{SIGN_IN}/postmortem/")],
        "Email notifications delayed": [
            ("Post-mortem (summary)", f"incidents/{EMAIL_DELAYS}/postmortem/")
        ],
        "Dashboard slow to load": [("Post-mortem (summary)", f"incidents/{DASHBOARD}/postmortem/")],
        "Public API unavailable": [
            ("Post-mortem (full analysis)", f"incidents/{API_OUTAGE}/postmortem/")
        ],
    }


def test_an_incident_whose_post_mortem_is_not_out_yet_does_not_link_to_it(page):
    article = content(page(f"incidents/{WEB_ERRORS}/"))
    assert [href for href in article.xpath(".//a/@href") if "postmortem" in href] == []
    assert "post-mortem" not in text(article).lower()


# -- feeds ---------------------------------------------------------------------------------------
def postmortem_entries(site: Path, feed: str) -> dict[str, feedparser.FeedParserDict]:
    parsed = feedparser.parse(str(site / feed))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return {entry.id: entry for entry in parsed.entries if "/postmortem/" in entry.id}


def test_each_published_stage_is_a_feed_entry_dated_when_it_was_published(site):
    entries = postmortem_entries(site, "history.atom")
    tag = "tag:status.test.example"
    expected = {
        f"{tag},2026-11-03:incidents/{API_OUTAGE}/postmortem/immediate": (
            "[Post-mortem: first account] Public API unavailable",
            "2026-11-03T12:00:00+00:00",
        ),
        f"{tag},2026-11-04:incidents/{API_OUTAGE}/postmortem/24h": (
            "[Post-mortem: summary] Public API unavailable",
            "2026-11-04T10:00:00+00:00",
        ),
        f"{tag},2026-11-10:incidents/{API_OUTAGE}/postmortem/analysis": (
            "[Post-mortem: full analysis] Public API unavailable",
            "2026-11-10T09:00:00+00:00",
        ),
        f"{tag},2026-11-10:incidents/{DASHBOARD}/postmortem/immediate": (
            "[Post-mortem: first account] Dashboard slow to load",
            "2026-11-10T15:30:00+00:00",
        ),
        f"{tag},2026-11-11:incidents/{DASHBOARD}/postmortem/24h": (
            "[Post-mortem: summary] Dashboard slow to load",
            "2026-11-11T10:00:00+00:00",
        ),
        f"{tag},2026-11-16:incidents/{EMAIL_DELAYS}/postmortem/immediate": (
            "[Post-mortem: first account] Email notifications delayed",
            "2026-11-16T09:40:00+00:00",
        ),
        f"{tag},2026-11-17:incidents/{EMAIL_DELAYS}/postmortem/24h": (
            "[Post-mortem: summary] Email notifications delayed",
            "2026-11-17T08:00:00+00:00",
        ),
        f"{tag},2026-11-20:incidents/{SIGN_IN}/postmortem/immediate": (
            "[Post-mortem: first account] Sign-in errors",
            "2026-11-20T10:45:00+00:00",
        ),
    }  # nothing of WEB_ERRORS: its first account is published at 13:00, after now
    assert {key: (e.title, e.published) for key, e in entries.items()} == expected
    rss = postmortem_entries(site, "history.rss")
    assert set(rss) == set(expected)


def entry_text(entry: feedparser.FeedParserDict) -> str:
    return text(lxml.html.fromstring(entry.content[0].value))


def test_a_stage_entry_holds_its_summary_and_the_way_to_the_post_mortem(site):
    entries = postmortem_entries(site, "history.atom")
    page = f"https://status.test.example/incidents/{API_OUTAGE}/postmortem/"
    analysis = next(
        e for key, e in entries.items() if key.endswith(f"{API_OUTAGE}/postmortem/analysis")
    )
    assert analysis.link == page
    assert entry_text(analysis) == (
        "A configuration change sent every API request to a server pool with no servers. "
        f"Read the post-mortem: {page}"
    )
    # A first account has no summary yet: what customers saw and how it was resolved.
    first = next(e for key, e in entries.items() if key.endswith(f"{SIGN_IN}/postmortem/immediate"))
    assert entry_text(first) == (
        "One sign-in in five failed with an error page. An expired certificate was replaced. "
        f"Read the post-mortem: https://status.test.example/incidents/{SIGN_IN}/postmortem/"
    )


def test_a_component_feed_holds_the_post_mortems_of_its_incidents(site):
    assert {key.split(":")[-1] for key in postmortem_entries(site, "history-email.atom")} == {
        f"incidents/{EMAIL_DELAYS}/postmortem/immediate",
        f"incidents/{EMAIL_DELAYS}/postmortem/24h",
    }


# -- internal content ----------------------------------------------------------------------------
def test_internal_content_and_unpublished_drafts_appear_nowhere_in_the_built_site(
    site, site_folder_with_postmortems
):
    sources = b"".join(
        path.read_bytes() for path in site_folder_with_postmortems.incidents.rglob("*.yaml")
    )
    # field, responder, event, factor, item, effort, business impact, triage
    assert sources.count(SENTINEL.encode()) == 8
    assert DRAFT.encode() in sources
    files = [path for path in site.rglob("*") if path.is_file()]
    assert len(files) > 20
    leaks = [
        str(path.relative_to(site))
        for path in files
        for secret in (SENTINEL, DRAFT)
        if secret.encode() in path.read_bytes()
    ]
    assert leaks == []
    # The checks above look at what the page does show, so the sentinel search is not vacuous.
    shown = b"".join(path.read_bytes() for path in files)
    assert b"Load balancer changes roll out one region at a time" in shown
    assert b"release slipped by a week." in shown  # the public team impact
    assert b"Impact on the business" not in shown  # the internal business impact
