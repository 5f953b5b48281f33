"""`flare relay`: a monitoring tool's webhook in, a GitHub repository dispatch out.

The webhook receiver of the notification tests stands in for GitHub's API on 127.0.0.1 and keeps
what it was sent; the relay runs as `flare relay` runs it, on 127.0.0.1, and is sent
notifications as Alertmanager and Grafana send them.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from conftest import flare
from generator.author.relay import Dispatch, running
from support.alerts import GRAFANA, alertmanager
from support.receiver import FAILURE, closed_port_address, webhook_receiver

DISPATCHES = "/repos/example/status/dispatches"


def post(url: str, data: bytes) -> tuple[int, str]:
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


# Grafana's body has more top-level keys than the 10 GitHub allows a client_payload: the relay
# wraps every body as client_payload's one key, so that it goes through too.
@pytest.mark.parametrize("notification", [alertmanager(), GRAFANA], ids=["alertmanager", "grafana"])
def test_a_notification_becomes_an_alert_dispatch_with_the_token(notification: dict[str, Any]):
    with webhook_receiver(status=204) as github:
        dispatch = Dispatch("example/status", "s3cret", f"http://{github.url}")
        with running(dispatch) as relay:
            status, _ = post(relay.url, json.dumps(notification).encode("utf-8"))

    assert status == 204
    (sent,) = github.received
    assert sent.path == DISPATCHES
    assert sent.headers["Authorization"] == "Bearer s3cret"
    assert sent.headers["Accept"] == "application/vnd.github+json"
    assert sent.body == {"event_type": "alert", "client_payload": {"notification": notification}}


def test_a_refused_dispatch_is_an_error_the_tool_retries():
    with webhook_receiver(status=204) as github:
        github.failures[DISPATCHES] = 1
        with running(Dispatch("example/status", "old", f"http://{github.url}")) as relay:
            status, said = post(relay.url, json.dumps(alertmanager()).encode("utf-8"))

    assert (status, said) == (502, f"GitHub answered 500: {FAILURE}")


def test_an_answer_other_than_accepted_is_not_taken_for_a_dispatch():
    with webhook_receiver(status=200) as github:  # GitHub accepts a dispatch with 204 only
        with running(Dispatch("example/status", "s3cret", f"http://{github.url}")) as relay:
            status, said = post(relay.url, json.dumps(alertmanager()).encode("utf-8"))

    assert (status, said) == (502, "GitHub answered 200:")


def test_github_out_of_reach_is_an_error_the_tool_retries():
    with running(Dispatch("example/status", "s3cret", closed_port_address())) as relay:
        status, said = post(relay.url, json.dumps(alertmanager()).encode("utf-8"))

    assert status == 502
    assert said.startswith("GitHub answered nothing: ")


def test_a_body_that_is_not_json_is_refused_and_not_sent():
    with webhook_receiver(status=204) as github:
        with running(Dispatch("example/status", "s3cret", f"http://{github.url}")) as relay:
            status, said = post(relay.url, b"not json")

    assert (status, said) == (400, "the body is not JSON")
    assert github.received == []


@pytest.mark.parametrize(
    ("args", "env", "words"),
    [
        (["--repository", "status"], {"FLARE_RELAY_TOKEN": "t"}, "give it as owner/name"),
        (["--repository", "example/status"], {"FLARE_RELAY_TOKEN": ""}, "set FLARE_RELAY_TOKEN"),
    ],
)
def test_the_relay_will_not_start_without_what_it_needs(args, env, words):
    result = flare("relay", *args, env=env)

    assert result.returncode == 1
    assert words in result.stderr
