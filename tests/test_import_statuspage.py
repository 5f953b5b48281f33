"""`flare import statuspage` against a Statuspage-shaped server on 127.0.0.1 (tests/support/
statuspage_server.py), in the real API's shapes: a page with a component group, Unicode names and
bodies, an incident whose post-mortem is both an update (public API) and a post-mortem body
(management API), updates posted in one second, states Flare has no place for, a component the
page no longer lists, an open incident and two maintenances; the management API holds 120 older
incidents more, in two pages of at most 100, and answers its second page once with 429.

The full import (management API) is written into a new folder and built once for the module;
the other tests read it, or import the public API alone into folders of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import yaml
from test_site_pages import content, has_class, text

from conftest import EXAMPLE_NOW, SiteFolder, flare
from generator.author.importing.statuspage import MANAGEMENT_INTERVAL, Http, read_statuspage
from generator.model.records import Incident, Maintenance
from generator.validate.site import Site, load_site
from support.statuspage_server import RETRY_AFTER_S, StatuspageServer, statuspage_server

API_KEY = "sk-test-0123"
PAGE_ID = "pg1acme"

PAGE = {
    "id": PAGE_ID,
    "name": "Acme Cloud — Statusseite",
    "url": "https://status.acme.test",
    "time_zone": "America/Los_Angeles",
    "updated_at": "2026-11-23T03:00:00.000-08:00",
}


def component(
    component_id: str,
    name: str,
    position: int,
    *,
    group_id: str | None = None,
    description: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": component_id,
        "name": name,
        "status": "operational",
        "created_at": "2024-01-02T10:00:00.000-08:00",
        "updated_at": "2026-11-23T03:00:00.000-08:00",
        "position": position,
        "description": description,
        "showcase": True,
        "start_date": "2024-01-02",
        "group_id": group_id,
        "page_id": PAGE_ID,
        "group": False,
        "only_show_if_degraded": False,
        **extra,
    }


CORE = component("grp000core01", "Kernsysteme", 1, group=True, showcase=False)
API = component("cmp0000api01", "Public API", 1, group_id=CORE["id"], description="REST API — v2")
DASHBOARD = component("cmp000dash02", "Dashboard", 2, group_id=CORE["id"])
CORE["components"] = [API["id"], DASHBOARD["id"]]
EMAIL = component("cmp000mail03", "E-Mail-Zustellung 📧", 2, description="Benachrichtigungen")
CDN = component("cmp0000cdn04", "CDN", 3, only_show_if_degraded=True)
LEGACY = component("cmp0legacy99", "Legacy FTP", 4)  # no longer on the page
COMPONENTS = [CORE, API, DASHBOARD, EMAIL, CDN]


def change(part: dict[str, Any], old: str | None, new: str) -> dict[str, Any]:
    return {"code": part["id"], "name": part["name"], "old_status": old, "new_status": new}


def update(
    incident_id: str,
    number: int,
    status: str,
    at: str,
    body: str,
    affected: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "id": f"{incident_id[:8]}upd{number}",
        "status": status,
        "body": body,
        "incident_id": incident_id,
        "created_at": at,
        "updated_at": at,
        "display_at": at,
        "affected_components": affected,
        "deliver_notifications": True,
        "custom_tweet": None,
        "tweet_id": None,
    }


def incident(
    incident_id: str,
    name: str,
    impact: str,
    status: str,
    parts: list[dict[str, Any]],
    updates: list[dict[str, Any]],
    **extra: Any,
) -> dict[str, Any]:
    """An incident object; ``updates`` in time order (served newest first, as Statuspage does)."""
    first, last = updates[0]["display_at"], updates[-1]["display_at"]
    return {
        "id": incident_id,
        "name": name,
        "status": status,
        "created_at": first,
        "updated_at": last,
        "monitoring_at": None,
        "resolved_at": last if status in ("resolved", "postmortem", "completed") else None,
        "impact": impact,
        "shortlink": f"https://stspg.io/{incident_id[:5]}",
        "started_at": first,
        "page_id": PAGE_ID,
        "incident_updates": list(reversed(updates)),
        "components": parts,
        **extra,
    }


PAYMENTS_ID = "inc0payments"
PAYMENT_BODY = (
    "Zahlungen über die API schlagen fehl: **HTTP 502**. Wir untersuchen das.\n\n"
    "決済が失敗しています。<script>alert('x')</script><b>Danke</b> für Ihre Geduld 🙏"
)
POSTMORTEM_UPDATE = "We have published a post-mortem of this incident."
POSTMORTEM_BODY = (
    "## Zusammenfassung\n\n"
    "Eine Konfigurationsänderung am Zahlungs-Gateway leitete Anfragen an einen leeren Pool.\n\n"
    "| Zeit (PST) | Ereignis |\n| --- | --- |\n| 14:31 | Alarm |\n| 15:40 | Behoben |\n\n"
    "TODO-Listen führen wir intern; nichts davon ist offen. 🧯"
)
PAYMENTS = incident(
    PAYMENTS_ID,
    "Zahlungen schlagen fehl — 決済エラー",
    "major",
    "postmortem",
    [API],
    [
        update(
            PAYMENTS_ID,
            1,
            "investigating",
            "2026-11-09T14:31:00.000-08:00",
            PAYMENT_BODY,
            [change(API, "operational", "partial_outage")],
        ),
        update(
            PAYMENTS_ID,
            2,
            "identified",
            "2026-11-09T14:52:00.000-08:00",
            "The gateway's pool is empty.",
            [change(API, "partial_outage", "major_outage")],
        ),
        update(
            PAYMENTS_ID, 3, "monitoring", "2026-11-09T15:10:00.000-08:00", "Fixed.\r\nWatching."
        ),
        update(
            PAYMENTS_ID,
            4,
            "resolved",
            "2026-11-09T15:40:00.000-08:00",
            "Payments work again.",
            [change(API, "major_outage", "operational")],
        ),
        update(PAYMENTS_ID, 5, "postmortem", "2026-11-10T09:00:00.000-08:00", POSTMORTEM_UPDATE),
    ],
)
SAME_SECOND_ID = "inc00samesec"
SAME_SECOND = incident(
    SAME_SECOND_ID,
    "Dashboard slow",
    "minor",
    "resolved",
    [DASHBOARD],
    [
        update(SAME_SECOND_ID, 1, "investigating", "2026-10-01T08:00:00.120Z", "Slow pages."),
        update(SAME_SECOND_ID, 2, "identified", "2026-10-01T08:00:00.870Z", "A busy node."),
        update(SAME_SECOND_ID, 3, "resolved", "2026-10-01T09:15:00Z", "Fast again."),
    ],
)
MAINTENANCE_STATE_ID = "inc0maintst8"
MAINTENANCE_STATE = incident(
    MAINTENANCE_STATE_ID,
    "Email delays during a provider's maintenance",
    "minor",
    "resolved",
    [EMAIL],
    [
        update(
            MAINTENANCE_STATE_ID,
            1,
            "investigating",
            "2026-09-14T10:00:00+02:00",
            "Emails are late.",
            [change(EMAIL, "operational", "under_maintenance")],
        ),
        update(MAINTENANCE_STATE_ID, 2, "resolved", "2026-09-14T11:00:00+02:00", "Delivered."),
    ],
)
GONE_ID = "inc0000gone1"
GONE = incident(
    GONE_ID,
    "FTP uploads refused",
    "critical",
    "resolved",
    [LEGACY],
    [
        update(GONE_ID, 1, "investigating", "2025-03-03T09:00:00Z", "FTP refuses uploads."),
        update(GONE_ID, 2, "resolved", "2025-03-03T10:00:00Z", "FTP works."),
    ],
)
LATER_ID = "inc0laterjn1"
LATER = incident(
    LATER_ID,
    "Dashboard errors after a deploy",
    "major",
    "resolved",
    [DASHBOARD],
    [
        update(LATER_ID, 1, "investigating", "2026-08-08T10:00:00Z", "Looking into reports."),
        update(
            LATER_ID,
            2,
            "identified",
            "2026-08-08T10:20:00Z",
            "Errors on the dashboard.",
            [change(DASHBOARD, "operational", "partial_outage")],
        ),
        update(LATER_ID, 3, "resolved", "2026-08-08T11:00:00Z", "Fixed."),
    ],
)
OPEN_ID = "inc00000open"
OPEN = incident(
    OPEN_ID,
    "Delayed emails",
    "minor",
    "identified",
    [EMAIL],
    [
        update(OPEN_ID, 1, "investigating", "2026-11-23T09:00:00Z", "Some emails are late."),
        update(OPEN_ID, 2, "identified", "2026-11-23T09:30:00Z", "A queue is backed up."),
    ],
)


def maintenance(
    maintenance_id: str, name: str, status: str, window: tuple[str, str], updates: list, **extra
) -> dict[str, Any]:
    return incident(
        maintenance_id,
        name,
        "maintenance",
        status,
        [API],
        updates,
        scheduled_for=window[0],
        scheduled_until=window[1],
        scheduled_remind_prior=False,
        scheduled_auto_in_progress=True,
        scheduled_auto_completed=True,
        **extra,
    )


UPGRADE_ID = "mnt0dbupgrad"
UPGRADE = maintenance(
    UPGRADE_ID,
    "Datenbank-Upgrade",
    "scheduled",
    ("2026-12-01T02:00:00.000+01:00", "2026-12-01T04:00:00.000+01:00"),
    [update(UPGRADE_ID, 1, "scheduled", "2026-11-20T10:00:00+01:00", "Kurze Schreibpause.")],
)
CDN_MOVE_ID = "mnt0cdnmove1"
CDN_MOVE = maintenance(
    CDN_MOVE_ID,
    "API moves to a new CDN",
    "completed",
    ("2026-06-02T01:00:00Z", "2026-06-02T03:00:00Z"),
    [
        update(CDN_MOVE_ID, 1, "scheduled", "2026-05-20T12:00:00Z", "We will move the API."),
        update(
            CDN_MOVE_ID,
            2,
            "in_progress",
            "2026-06-02T01:00:00Z",
            "Moving now.",
            [change(API, "operational", "under_maintenance")],
        ),
        update(
            CDN_MOVE_ID,
            3,
            "completed",
            "2026-06-02T02:10:00Z",
            "Done.",
            [change(API, "under_maintenance", "operational")],
        ),
    ],
)

RECENT = [OPEN, PAYMENTS, SAME_SECOND, MAINTENANCE_STATE, GONE]
PUBLIC = {
    "summary.json": {
        "page": PAGE,
        "status": {"indicator": "minor", "description": "Partially Degraded Service"},
        "components": COMPONENTS,
        "incidents": [OPEN],
        "scheduled_maintenances": [UPGRADE],
    },
    "components.json": {"page": PAGE, "components": COMPONENTS},
    "incidents.json": {"page": PAGE, "incidents": RECENT},
    "scheduled-maintenances.json": {"page": PAGE, "scheduled_maintenances": [UPGRADE, CDN_MOVE]},
}

OLDER = 120  # incidents only the management API holds, beyond the public 50
DRAFT_POSTMORTEM_ID = f"old{7:09d}"


def older_incident(number: int) -> dict[str, Any]:
    incident_id = f"old{number:09d}"
    start = datetime.fromisoformat("2024-01-05T10:00:00+00:00") + timedelta(days=5 * number)
    extra: dict[str, Any] = {"postmortem_body": None, "postmortem_published_at": None}
    if incident_id == DRAFT_POSTMORTEM_ID:
        extra["postmortem_body"] = "A draft, never published."
    return incident(
        incident_id,
        f"Older incident {number}",
        "minor",
        "resolved",
        [EMAIL],
        [
            update(incident_id, 1, "investigating", start.isoformat(), f"Problem {number}."),
            update(
                incident_id,
                2,
                "resolved",
                (start + timedelta(minutes=40)).isoformat(),
                f"Solved {number}.",
            ),
        ],
        **extra,
    )


MANAGEMENT = [
    {**PAYMENTS, "postmortem_body": POSTMORTEM_BODY,
     "postmortem_published_at": "2026-11-10T09:00:00.000-08:00"},
    *[{**item, "postmortem_body": None, "postmortem_published_at": None}
      for item in (OPEN, SAME_SECOND, MAINTENANCE_STATE, GONE, UPGRADE, CDN_MOVE, LATER)],
    *[older_incident(number) for number in range(OLDER)],
]  # fmt: skip
SECOND_PAGE = f"/v1/pages/{PAGE_ID}/incidents?page=2&limit=100"


@dataclass(frozen=True)
class Imported:
    root: Path
    stdout: str
    server: StatuspageServer

    def site(self) -> Site:
        return load_site(self.root / "mkdocs.yml", EXAMPLE_NOW)

    def record(self, record_id: str) -> Incident | Maintenance:
        return next(record for record in self.site().records if record.id == record_id)

    def file(self, record_id: str) -> Path:
        return self.site().sources[record_id]

    def config(self) -> dict[str, Any]:
        return yaml.load((self.root / "mkdocs.yml").read_text(encoding="utf-8"), yaml.BaseLoader)


@pytest.fixture(scope="module")
def server() -> Iterator[StatuspageServer]:
    with statuspage_server(PUBLIC, MANAGEMENT, api_key=API_KEY, page_id=PAGE_ID) as running:
        yield running


@pytest.fixture(scope="module")
def full(server: StatuspageServer, tmp_path_factory: pytest.TempPathFactory) -> Imported:
    """The management API's history imported into a new folder (its second page answers 429
    once first)."""
    root = tmp_path_factory.mktemp("full") / "status"
    server.busy.add(SECOND_PAGE)
    server.requests.clear()
    ran = flare(
        "import", "statuspage", server.url, "--into", str(root), "--page-id", PAGE_ID,
        "--api-base", server.api_base,
        env={"STATUSPAGE_API_KEY": API_KEY},
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    return Imported(root, ran.stdout, server)


@pytest.fixture(scope="module")
def built(full: Imported) -> Path:
    ran = flare("build", str(full.root))
    assert ran.returncode == 0, ran.stderr
    return full.root / "site"


def public_import(server: StatuspageServer, root: Path, *more: str):
    return flare("import", "statuspage", server.url, "--into", str(root), *more)


# -- what is written -----------------------------------------------------------------------------
def test_the_import_validates_without_a_warning_and_builds(full: Imported, built: Path):
    ran = flare("validate", str(full.root))

    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == f"{len(MANAGEMENT)} records, 5 components: no errors"
    assert ran.stderr == ""
    assert (built / "index.html").is_file()


def test_components_keep_their_names_groups_and_descriptions(full: Imported):
    (flare_settings,) = [p["flare"] for p in full.config()["plugins"] if isinstance(p, dict)]

    assert flare_settings["components"] == [
        {"id": "public-api", "name": "Public API", "group": "Kernsysteme",
         "description": "REST API — v2"},
        {"id": "dashboard", "name": "Dashboard", "group": "Kernsysteme"},
        {"id": "e-mail-zustellung", "name": "E-Mail-Zustellung 📧",
         "description": "Benachrichtigungen"},
        {"id": "cdn", "name": "CDN"},
        {"id": "legacy-ftp", "name": "Legacy FTP"},
    ]  # fmt: skip
    assert flare_settings["timezone"] == "America/Los_Angeles"
    assert full.config()["site_name"] == "Acme Cloud — Statusseite"
    assert full.config()["site_url"] == "https://status.acme.test/"


def test_an_incident_keeps_every_update_its_status_time_offset_body_and_states(full: Imported):
    payments = full.record(PAYMENTS_ID)
    assert isinstance(payments, Incident)

    assert payments.title == "Zahlungen schlagen fehl — 決済エラー"
    assert payments.impact.value == "major"
    assert payments.components == ["public-api"]
    assert [(u.at.isoformat(), u.status.value) for u in payments.timeline] == [
        ("2026-11-09T14:31:00-08:00", "investigating"),
        ("2026-11-09T14:52:00-08:00", "identified"),
        ("2026-11-09T15:10:00-08:00", "monitoring"),
        ("2026-11-09T15:40:00-08:00", "resolved"),
    ]
    assert payments.timeline[0].body == PAYMENT_BODY
    assert [{k: v.value for k, v in u.components.items()} for u in payments.timeline] == [
        {"public-api": "partial_outage"},
        {"public-api": "major_outage"},
        {},
        {"public-api": "operational"},
    ]
    assert payments.timeline[2].body == "Fixed.\nWatching."  # a web form's CRLF, as a record's
    written = full.file(PAYMENTS_ID).read_text(encoding="utf-8")
    assert "  - at: 2026-11-09T14:31:00-08:00\n" in written  # the offset as the source gave it
    assert "    body: |\n      Fixed.\n      Watching.\n" in written
    assert written.startswith(f"# flare import: statuspage {PAYMENTS_ID} ")


def test_the_post_mortem_is_imported_whole_at_the_first_stage_and_published(full: Imported):
    postmortem = full.record(PAYMENTS_ID).postmortem

    assert postmortem is not None
    assert postmortem.stage.value == "immediate"
    assert postmortem.imported == f"{POSTMORTEM_BODY}\n\n---\n\n{POSTMORTEM_UPDATE}"
    assert postmortem.published["immediate"].isoformat() == "2026-11-10T09:00:00-08:00"
    assert postmortem.owner is None and postmortem.responders == []


def test_a_post_mortem_never_published_is_an_unpublished_draft(full: Imported):
    postmortem = full.record(DRAFT_POSTMORTEM_ID).postmortem

    assert postmortem is not None and postmortem.published == {}
    assert postmortem.imported == "A draft, never published."
    assert f"incident {DRAFT_POSTMORTEM_ID}: postmortem_body: a post-mortem" in full.stdout


def test_the_post_mortem_page_shows_the_text_whole_marked_as_imported(built: Path):
    page = lxml.html.parse(str(built / "incidents" / PAYMENTS_ID / "postmortem" / "index.html"))
    (section,) = content(page.getroot()).xpath(f".//section[{has_class('flare-pm-imported')}]")

    shown = text(section)
    assert "Written before this status page moved to Flare, and imported as it was." in shown
    assert "Eine Konfigurationsänderung am Zahlungs-Gateway" in shown and "🧯" in shown
    assert [text(h) for h in section.xpath(".//h5")] == ["Zusammenfassung"]  # demoted, as all
    assert [text(cell) for cell in section.xpath(".//td")] == ["14:31", "Alarm", "15:40", "Behoben"]
    # Finished as it was written elsewhere: no later stage is due, nor is it called complete.
    assert content(page.getroot()).xpath(f".//*[{has_class('flare-pm-stage__next')}]") == []


def test_html_in_a_body_passes_through_the_same_sanitiser(built: Path):
    page = lxml.html.parse(str(built / "incidents" / PAYMENTS_ID / "index.html")).getroot()
    body = content(page)

    assert body.xpath(".//script[contains(., 'alert')]") == []
    assert body.xpath(".//b[text()='Danke']") and "決済が失敗しています。" in text(body)


def test_updates_posted_in_one_second_move_apart_and_say_so(full: Imported):
    dashboard = full.record(SAME_SECOND_ID)

    assert [u.at.isoformat() for u in dashboard.timeline] == [
        "2026-10-01T08:00:00.120000+00:00",
        "2026-10-01T08:00:01+00:00",
        "2026-10-01T09:15:00+00:00",
    ]
    assert (
        f"incident {SAME_SECOND_ID}: incident_updates[1]: posted in the same second as the "
        "update before it; moved to 2026-10-01T08:00:01Z (Flare keeps one update a second)"
    ) in full.stdout


def test_a_state_flare_has_no_place_for_is_reported_and_not_kept(full: Imported):
    emails = full.record(MAINTENANCE_STATE_ID)

    assert [u.components for u in emails.timeline] == [{}, {}]
    assert (
        f"incident {MAINTENANCE_STATE_ID}: incident_updates[1].affected_components[0]."
        "new_status: 'under_maintenance' for 'E-Mail-Zustellung 📧'"
    ) in full.stdout


def test_a_component_no_longer_on_the_page_is_added_and_reported(full: Imported):
    assert full.record(GONE_ID).components == ["legacy-ftp"]
    assert f"incident {GONE_ID}: components: 'Legacy FTP' is no longer among" in full.stdout


def test_page_settings_flare_has_no_place_for_are_reported(full: Imported):
    assert (
        "component cmp0000cdn04: only_show_if_degraded: Flare shows every component always"
        in full.stdout
    )


def test_maintenance_keeps_its_window_updates_and_components(full: Imported):
    upgrade, moved = full.record(UPGRADE_ID), full.record(CDN_MOVE_ID)

    assert isinstance(upgrade, Maintenance) and isinstance(moved, Maintenance)
    assert (upgrade.scheduled.start.isoformat(), upgrade.scheduled.end.isoformat()) == (
        "2026-12-01T02:00:00+01:00",
        "2026-12-01T04:00:00+01:00",
    )
    assert upgrade.title == "Datenbank-Upgrade" and upgrade.components == ["public-api"]
    assert [u.status.value for u in moved.timeline] == ["scheduled", "in_progress", "completed"]
    assert f"maintenance {CDN_MOVE_ID}" not in full.stdout  # its states are the window's


def test_a_component_named_only_later_keeps_its_state_before_that(full: Imported):
    """Statuspage says the dashboard was operational until 10:20; Flare's first update would
    otherwise put it in the partial outage the impact implies from 10:00."""
    later = full.record(LATER_ID)

    assert [{k: v.value for k, v in u.components.items()} for u in later.timeline] == [
        {"dashboard": "operational"},
        {"dashboard": "partial_outage"},
        {},
    ]


def test_an_open_incident_stays_open(full: Imported):
    still_open = full.record(OPEN_ID)

    assert isinstance(still_open, Incident) and still_open.is_open_at(EXAMPLE_NOW)


# -- the management API --------------------------------------------------------------------------
def test_the_management_api_is_read_page_by_page_with_the_key(full: Imported):
    requests = full.server.management_requests()

    assert [(r.path, r.status) for r in requests] == [
        (f"/v1/pages/{PAGE_ID}/incidents?page=1&limit=100", 200),
        (SECOND_PAGE, 429),
        (SECOND_PAGE, 200),
    ]
    assert {r.authorization for r in requests} == {f"OAuth {API_KEY}"}
    assert len(full.site().records) == len(MANAGEMENT)


def test_the_management_api_is_asked_at_most_once_a_second_and_429_waits(full: Imported):
    arrivals = [r.arrived for r in full.server.management_requests()]

    gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:], strict=False)]
    assert all(gap >= 1.0 for gap in gaps), gaps
    assert gaps[1] >= RETRY_AFTER_S


def test_a_wrong_key_is_refused_with_what_to_check(server: StatuspageServer, tmp_path: Path):
    ran = flare(
        "import", "statuspage", server.url, "--into", str(tmp_path / "new"),
        "--api-key", "wrong", "--page-id", PAGE_ID, "--api-base", server.api_base,
    )  # fmt: skip

    assert ran.returncode == 1
    assert "refused the request (HTTP 401" in ran.stderr and "check the API key" in ran.stderr
    assert not (tmp_path / "new").exists()


def test_an_api_key_without_a_page_id_is_a_usage_error(server: StatuspageServer, tmp_path: Path):
    ran = flare("import", "statuspage", server.url, "--api-key", "k", "--into", str(tmp_path))

    assert ran.returncode == 2 and "--page-id" in ran.stderr


# -- the public API alone, again and again -------------------------------------------------------
def test_the_public_api_alone_gives_the_recent_records_and_says_a_post_mortem_is_missing(
    server: StatuspageServer, tmp_path: Path
):
    ran = public_import(server, tmp_path / "status")

    assert ran.returncode == 0, ran.stderr
    records = load_site(tmp_path / "status" / "mkdocs.yml", EXAMPLE_NOW).records
    assert sorted(r.id for r in records) == sorted(
        [
            PAYMENTS_ID,
            SAME_SECOND_ID,
            MAINTENANCE_STATE_ID,
            GONE_ID,
            OPEN_ID,
            UPGRADE_ID,
            CDN_MOVE_ID,
        ]
    )
    payments = next(r for r in records if r.id == PAYMENTS_ID)
    assert payments.postmortem is not None
    assert payments.postmortem.imported == POSTMORTEM_UPDATE  # the update's text: all there is
    assert (
        f"incident {PAYMENTS_ID}: incident_updates[0].status: postmortem, after the resolution"
    ) in ran.stdout


def test_a_dry_run_prints_what_it_would_write_and_writes_nothing(
    server: StatuspageServer, tmp_path: Path
):
    ran = public_import(server, tmp_path / "status", "--dry-run")

    assert ran.returncode == 0, ran.stderr
    assert not (tmp_path / "status").exists()
    assert "--- new file mkdocs.yml\n" in ran.stdout
    assert "+title: Zahlungen schlagen fehl — 決済エラー\n" in ran.stdout
    assert "--- new file README.md, as flare init writes it\n" in ran.stdout
    assert ran.stdout.rstrip().endswith("Dry run: nothing was written.")


def test_importing_again_changes_nothing_and_keeps_the_authors_comments(
    server: StatuspageServer, tmp_path: Path
):
    root = tmp_path / "status"
    assert public_import(server, root).returncode == 0
    path = next((root / "incidents").rglob("*dashboard-slow*.yaml"))
    path.write_text(
        path.read_text(encoding="utf-8").replace("impact: minor", "impact: minor  # checked"),
        encoding="utf-8",
    )
    files = sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())

    ran = public_import(server, root)

    assert ran.returncode == 0, ran.stderr
    assert "0 new record(s), 0 updated, 7 unchanged; 0 new component(s)" in ran.stdout
    assert sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file()) == files
    assert "impact: minor  # checked" in path.read_text(encoding="utf-8")


def test_importing_again_updates_the_same_file_and_says_what_changed(
    server: StatuspageServer, tmp_path: Path
):
    root = tmp_path / "status"
    assert public_import(server, root).returncode == 0
    moved = root / "incidents" / "moved-by-hand.yaml"
    next((root / "incidents").rglob("*dashboard-slow*.yaml")).rename(moved)
    later = update(SAME_SECOND_ID, 4, "investigating", "2026-10-01T11:00:00Z", "Slow again.")
    changed = {
        **SAME_SECOND,
        "name": "Dashboard slow in Europe",
        "status": "investigating",
        "resolved_at": None,
        "incident_updates": [later, *SAME_SECOND["incident_updates"]],
    }
    incidents = {**PUBLIC["incidents.json"], "incidents": [changed, *RECENT[:2], *RECENT[3:]]}
    server.public["incidents.json"] = incidents
    try:
        ran = public_import(server, root)
    finally:
        server.public["incidents.json"] = PUBLIC["incidents.json"]

    assert ran.returncode == 0, ran.stderr
    assert (
        f"  updated  incidents/moved-by-hand.yaml ({SAME_SECOND_ID}): title, updates[3] added\n"
    ) in ran.stdout
    assert "0 new record(s), 1 updated, 6 unchanged" in ran.stdout
    record = load_site(root / "mkdocs.yml", EXAMPLE_NOW).records
    (dashboard,) = [r for r in record if r.id == SAME_SECOND_ID]
    assert dashboard.title == "Dashboard slow in Europe"
    assert [u.reopened for u in dashboard.timeline] == [False, False, False, True]
    assert len(list((root / "incidents").rglob("*.yaml"))) == 7


def test_an_existing_site_gains_the_components_and_keeps_its_own(
    server: StatuspageServer, site_folder: SiteFolder
):
    ran = flare("import", "statuspage", server.url, cwd=site_folder.root)

    assert ran.returncode == 0, ran.stderr
    config = site_folder.config.read_text(encoding="utf-8")
    assert config.startswith("site_name: Test Status\n")  # the site's own settings stay
    site = load_site(site_folder.config, EXAMPLE_NOW)
    # Public API and Dashboard are the site's own by name; their group stays the site's.
    assert [(c.id, c.group) for c in site.settings.components] == [
        ("api", "Platform"), ("web", "Platform"), ("email", None),
        ("e-mail-zustellung", None), ("cdn", None), ("legacy-ftp", None),
    ]  # fmt: skip
    assert site.settings.component("api").description == "REST API — v2"  # it had none
    assert "3 new component(s): e-mail-zustellung, cdn, legacy-ftp" in ran.stdout
    assert (
        "component cmp0000api01: group: 'Kernsysteme' on Statuspage, 'Platform' for api in "
        "mkdocs.yml; kept the site's"
    ) in ran.stdout
    assert {r.components[0] for r in site.records if r.id == PAYMENTS_ID} == {"api"}


def test_outside_a_site_without_into_nothing_is_made(server: StatuspageServer, tmp_path: Path):
    ran = flare("import", "statuspage", server.url, cwd=tmp_path)

    assert ran.returncode == 1
    assert "give --into a new or empty folder for a new one" in ran.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_address_that_is_not_a_statuspage_says_so(server: StatuspageServer, tmp_path: Path):
    ran = flare("import", "statuspage", server.url + "nowhere/", "--into", str(tmp_path / "x"))

    assert ran.returncode == 1
    assert "was not found (HTTP 404): give the address of a Statuspage page" in ran.stderr


def test_a_record_of_the_sites_own_with_an_imported_id_is_never_overwritten(
    server: StatuspageServer, site_folder: SiteFolder
):
    own = site_folder.record(
        f"2026/{SAME_SECOND_ID}.yaml",
        """\
        title: Our own record
        impact: minor
        components: [web]
        updates:
          - at: 2026-10-01T08:00:00Z
            status: resolved
            body: Written by hand.
        """,
    )
    config = site_folder.config.read_bytes()

    ran = flare("import", "statuspage", server.url, cwd=site_folder.root)

    assert ran.returncode == 1
    assert (
        f"incident {SAME_SECOND_ID} would be the record '{SAME_SECOND_ID}', and {own} already "
        "holds a record of that id that this import did not write; nothing was written"
    ) in ran.stderr
    assert site_folder.config.read_bytes() == config
    assert [p.name for p in site_folder.incidents.rglob("*.yaml")] == [own.name]


def test_the_waiting_is_the_callers_to_watch(server: StatuspageServer):
    """The pacing and the 429 go through the Http's sleep and clock, which a caller may give:
    here a clock that moves only when asked to wait, so what is waited does not depend on how
    fast this machine answers."""
    waits: list[float] = []
    now = [0.0]

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    server.busy.add(SECOND_PAGE)
    site = read_statuspage(
        server.url,
        api_key=API_KEY,
        page_id=PAGE_ID,
        api_base=server.api_base,
        management_http=Http(MANAGEMENT_INTERVAL, sleep=sleep, clock=lambda: now[0]),
    )

    # Page 2 waits its turn after page 1's answer, then as long as the 429 said; by then its
    # turn has come again, so the retry goes at once.
    assert waits == [MANAGEMENT_INTERVAL, RETRY_AFTER_S]
    assert len(site.records) == len(MANAGEMENT)
