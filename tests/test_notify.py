"""``flare notify``: a deploy announces each new update exactly once to each channel.

Each test builds a real site twice (before and after an author's change), and runs the command
as a deploy would, against a webhook receiver on 127.0.0.1: an Apprise ``json://`` channel and
a Statuspage-compatible webhook.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SiteFolder, flare
from support.receiver import closed_port_address, smtp_server, webhook_receiver

# Apprise waits 4 s to connect and 4 s for an answer, then retries, which a slow, loaded machine
# would turn into a message received twice: these channels wait as long as a test server may.
PATIENT = "cto=120&rto=120"

OPEN = """\
title: Elevated API errors
impact: major
components: [api]
updates:
  - at: 2026-11-23T10:00:00Z
    status: investigating
    components: {api: partial_outage}
    body: Some requests fail.
"""
IDENTIFIED = (
    OPEN
    + """\
  - at: 2026-11-23T11:00:00Z
    status: identified
    components: {api: major_outage}
    body: A bad deploy; we are **rolling it back**.
"""
)
EMAIL_INCIDENT = """\
title: Emails delayed
impact: minor
components: [email]
updates:
  - at: 2026-11-23T11:30:00Z
    status: investigating
    body: Emails arrive late.
"""

CHANNELS = """\
      notify:
        - url_env: CHAT_URL
        - url_env: STATUS_HOOK
          format: statuspage
        - url_env: EMAIL_TEAM_URL
          components: [email]
        - url_env: MAJOR_ONLY_URL
          impact: [major, critical]
"""


@pytest.fixture
def site(site_folder: SiteFolder) -> SiteFolder:
    config = site_folder.config.read_text(encoding="utf-8")
    site_folder.config.write_text(config.replace("  - flare:\n", "  - flare:\n" + CHANNELS))
    return site_folder


def build(site: SiteFolder, into: Path) -> Path:
    result = flare("build", str(site.root), "-d", str(into))
    assert result.returncode == 0, result.stderr
    return into


def notify(site: SiteFolder, new: Path, previous: Path | str, url: str, *extra: str):
    env = {
        "CHAT_URL": f"json://{url}/chat?{PATIENT}",
        "STATUS_HOOK": f"http://{url}/hook",
        "EMAIL_TEAM_URL": f"json://{url}/email-team?{PATIENT}",
        "MAJOR_ONLY_URL": f"json://{url}/major?{PATIENT}",
    }
    return flare(
        "notify", str(site.root), "-d", str(new), "--previous", str(previous), *extra, env=env
    )


@pytest.fixture
def deploys(site: SiteFolder, tmp_path: Path) -> tuple[Path, Path]:
    """The site live before (one update) and the one just built (an update more)."""
    site.record("errors.yaml", OPEN)
    before = build(site, tmp_path / "before")
    site.record("errors.yaml", IDENTIFIED)
    site.record("emails.yaml", EMAIL_INCIDENT)
    return before, build(site, tmp_path / "after")


def test_each_new_update_reaches_each_channel_once_with_what_a_reader_needs(site, deploys):
    before, after = deploys
    with webhook_receiver() as receiver:
        result = notify(site, after, before, receiver.url)

    assert result.returncode == 0, result.stderr
    chat = receiver.at("/chat")
    assert [message["title"] for message in chat] == [
        "Identified: Elevated API errors",
        "Investigating: Emails delayed",
    ]
    identified = chat[0]["message"]
    assert "A bad deploy; we are **rolling it back**." in identified
    assert "Affected: Public API (major outage)" in identified
    assert "Details: https://status.test.example/incidents/errors/" in identified
    assert [m["title"] for m in receiver.at("/email-team")] == ["Investigating: Emails delayed"]
    assert [m["title"] for m in receiver.at("/major")] == ["Identified: Elevated API errors"]
    assert "CHAT_URL: 2 messages sent" in result.stdout


def test_the_statuspage_channel_posts_statuspages_subscriber_payload(site, deploys):
    before, after = deploys
    with webhook_receiver() as receiver:
        assert notify(site, after, before, receiver.url).returncode == 0

    payload = receiver.at("/hook")[0]
    assert set(payload) == {"meta", "page", "incident"}
    assert set(payload["meta"]) == {"unsubscribe", "documentation"}
    assert set(payload["page"]) == {"id", "status_indicator", "status_description"}
    assert payload["page"]["status_indicator"] == "critical"
    incident = payload["incident"]
    assert set(incident) == {
        "id", "name", "status", "impact", "created_at", "updated_at", "resolved_at",
        "monitoring_at", "shortlink", "page_id", "backfilled", "scheduled_for",
        "scheduled_until", "postmortem_body", "postmortem_published_at", "incident_updates",
    }  # fmt: skip
    assert (incident["id"], incident["status"], incident["impact"]) == (
        "errors",
        "identified",
        "major",
    )
    newest = incident["incident_updates"][0]
    assert set(newest) == {
        "id", "incident_id", "status", "body", "created_at", "updated_at", "display_at",
        "affected_components",
    }  # fmt: skip
    assert newest["affected_components"] == [
        {
            "code": "api",
            "name": "Public API",
            "old_status": "partial_outage",
            "new_status": "major_outage",
        }
    ]


def test_a_second_run_of_the_same_deploy_sends_nothing(site, deploys):
    _, after = deploys
    with webhook_receiver() as receiver:
        result = notify(site, after, after, receiver.url)
    assert result.returncode == 0
    assert "Nothing new since" in result.stdout
    assert receiver.received == []


def test_a_first_deploy_sends_nothing_unless_told_to(site, deploys, tmp_path):
    _, after = deploys
    with webhook_receiver() as receiver:
        first = notify(site, after, tmp_path / "no-site-yet", receiver.url)
        assert first.returncode == 0
        assert "a first deploy sends nothing" in first.stdout
        assert receiver.received == []
        everything = notify(site, after, tmp_path / "no-site-yet", receiver.url, "--all")
    assert everything.returncode == 0
    assert len(receiver.at("/chat")) == 3  # every update of both incidents


def test_a_failing_delivery_is_tried_again(site, deploys):
    before, after = deploys
    with webhook_receiver() as receiver:
        receiver.failures["/hook"] = 2
        result = notify(site, after, before, receiver.url)
    assert result.returncode == 0, result.stderr
    assert len(receiver.at("/hook")) == 2


def test_a_channel_that_keeps_failing_fails_the_command_after_the_others(site, deploys):
    before, after = deploys
    with webhook_receiver() as receiver:
        receiver.failures["/hook"] = 100
        result = notify(site, after, before, receiver.url)
    assert result.returncode == 1
    assert "not sent: Identified: Elevated API errors: HTTP 500 (3 attempts)" in result.stderr
    assert "messages could not be sent; the site is as it was" in result.stderr
    assert len(receiver.at("/chat")) == 2 and len(receiver.at("/major")) == 1


def test_dry_run_prints_and_sends_nothing(site, deploys):
    before, after = deploys
    with webhook_receiver() as receiver:
        result = notify(site, after, before, receiver.url, "--dry-run")
    assert result.returncode == 0
    assert "CHAT_URL (apprise): Identified: Elevated API errors" in result.stdout
    assert receiver.received == []


def test_a_channel_without_its_environment_variable_is_reported(site, deploys):
    before, after = deploys
    result = flare("notify", str(site.root), "-d", str(after), "--previous", str(before), env={})
    assert result.returncode == 1
    assert "the environment variable CHAT_URL is not set" in result.stderr


def test_a_filter_naming_an_unknown_component_is_a_settings_error(site):
    config = site.config.read_text(encoding="utf-8")
    site.config.write_text(config.replace("components: [email]", "components: [emails]"))
    result = flare("validate", cwd=site.root)
    assert result.returncode == 1
    assert "the channel EMAIL_TEAM_URL filters by unknown component(s) emails" in result.stderr


def test_an_email_channel_sends_the_update_by_smtp(site, deploys):
    before, after = deploys
    with smtp_server() as mailbox, webhook_receiver() as receiver:
        result = flare(
            "notify", str(site.root), "-d", str(after), "--previous", str(before),
            env={
                "CHAT_URL": f"mailto://127.0.0.1:{mailbox.port}?from=status@test.example"
                "&to=oncall@test.example&mode=insecure",
                "STATUS_HOOK": f"http://{receiver.url}/hook",
                "EMAIL_TEAM_URL": f"json://{receiver.url}/email-team?{PATIENT}",
                "MAJOR_ONLY_URL": f"json://{receiver.url}/major?{PATIENT}",
            },
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    subjects = [
        line for _, _, text in mailbox.messages for line in text.splitlines()
        if line.startswith("Subject: ")
    ]  # fmt: skip
    assert subjects == [
        "Subject: Identified: Elevated API errors",
        "Subject: Investigating: Emails delayed",
    ]
    sender, recipients, text = mailbox.messages[0]
    assert (sender, recipients) == ("status@test.example", ["oncall@test.example"])
    assert "<strong>rolling it back</strong>" in text.replace("=\n", "")


def test_a_deploy_keeps_the_live_api_first_and_announces_after(site, deploys, tmp_path):
    """The workflows' two steps: --save-previous before the new site goes live, then
    --previous with what was kept."""
    before, after = deploys
    kept = tmp_path / "previous"
    saved = flare("notify", str(site.root), "--save-previous", str(kept), "--previous", str(before))
    assert saved.returncode == 0, saved.stderr
    assert sorted(str(p.relative_to(kept)) for p in kept.rglob("*.json")) == [
        "api/v2/incidents.json",
        "api/v2/scheduled-maintenances.json",
        "api/v2/status.json",
    ]
    with webhook_receiver() as receiver:
        result = notify(site, after, kept, receiver.url)
    assert result.returncode == 0, result.stderr
    assert len(receiver.at("/chat")) == 2


def test_keeping_a_live_site_that_does_not_answer_keeps_nothing_and_sends_nothing(site, tmp_path):
    """The live site is site_url's, which here does not answer (a local port nobody listens on,
    so no traffic leaves this machine)."""
    config = site.config.read_text(encoding="utf-8")
    site.config.write_text(
        config.replace("https://status.test.example/", closed_port_address()), encoding="utf-8"
    )
    kept = tmp_path / "previous"
    saved = flare("notify", str(site.root), "--save-previous", str(kept))
    assert saved.returncode == 0
    assert "kept nothing to compare with, so nothing will be sent" in saved.stderr
    assert not kept.exists()


def test_a_previous_site_that_is_no_status_api_sends_nothing_and_says_why(site, deploys, tmp_path):
    _, after = deploys
    odd = tmp_path / "odd"
    for name in ("status", "incidents", "scheduled-maintenances"):
        (odd / "api" / "v2").mkdir(parents=True, exist_ok=True)
        (odd / "api" / "v2" / f"{name}.json").write_text("<html>Not found</html>", "utf-8")
    with webhook_receiver() as receiver:
        result = notify(site, after, odd, receiver.url)
    assert result.returncode == 1
    assert f"{odd} holds no status API that Flare can read" in result.stderr
    assert "nothing was sent" in result.stderr and "Traceback" not in result.stderr
    assert receiver.received == []


def test_keeping_the_live_api_where_a_file_stands_is_a_sentence(site, deploys, tmp_path):
    before, _ = deploys
    blocked = tmp_path / "previous"
    blocked.mkdir()
    (blocked / "api").write_text("a file where a folder should be", encoding="utf-8")
    result = flare(
        "notify", str(site.root), "--save-previous", str(blocked), "--previous", str(before)
    )
    assert result.returncode == 1
    assert f"cannot keep the live site's API in {blocked}" in result.stderr
    assert "Traceback" not in result.stderr
