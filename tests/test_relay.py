"""`flare relay`: a monitoring tool's webhook in, a GitHub repository dispatch out.

A stand-in for GitHub's API runs on 127.0.0.1 and keeps what it was sent; the relay runs as
`flare relay` runs it, on 127.0.0.1, and is sent notifications as Alertmanager would send them.
"""

from __future__ import annotations

import http.server
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from conftest import flare
from generator.author.relay import Dispatch, running
from support.alerts import GRAFANA, alertmanager


class FakeGitHub(http.server.ThreadingHTTPServer):
    """Answers every POST with ``status`` (and ``said``), keeping each request."""

    def __init__(self, status: int = 204, said: str = "") -> None:
        self.status, self.said = status, said
        self.requests: list[dict[str, Any]] = []
        super().__init__(("127.0.0.1", 0), _GitHubHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _GitHubHandler(http.server.BaseHTTPRequestHandler):
    server: FakeGitHub

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append(
            {"path": self.path, "headers": dict(self.headers), "body": json.loads(body)}
        )
        data = self.server.said.encode("utf-8")
        self.send_response(self.server.status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def github(status: int = 204, said: str = "") -> Iterator[FakeGitHub]:
    server = FakeGitHub(status, said)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def post(url: str, data: bytes) -> tuple[int, str]:
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


@pytest.mark.parametrize("notification", [alertmanager(), GRAFANA], ids=["alertmanager", "grafana"])
def test_a_notification_becomes_an_alert_dispatch_with_the_token(notification: dict[str, Any]):
    with github() as api, running(Dispatch("example/status", "s3cret", api.url)) as relay:
        status, _ = post(relay.url, json.dumps(notification).encode("utf-8"))

    assert status == 204
    (sent,) = api.requests
    assert sent["path"] == "/repos/example/status/dispatches"
    assert sent["headers"]["Authorization"] == "Bearer s3cret"
    assert sent["headers"]["Accept"] == "application/vnd.github+json"
    # Wrapped, so that Grafana's body (more than GitHub's 10 top-level keys) goes through too.
    assert sent["body"] == {"event_type": "alert", "client_payload": {"notification": notification}}


def test_grafanas_body_has_more_top_level_keys_than_a_client_payload_may():
    assert len(GRAFANA) > 10  # why the relay wraps every body


def test_a_refused_dispatch_is_an_error_the_tool_retries():
    refusal = '{"message": "Bad credentials"}'
    with github(401, refusal) as api, running(Dispatch("example/status", "old", api.url)) as relay:
        status, said = post(relay.url, json.dumps(alertmanager()).encode("utf-8"))

    assert (status, said) == (502, f"GitHub answered 401: {refusal}")


def test_a_body_that_is_not_json_is_refused_and_not_sent():
    with github() as api, running(Dispatch("example/status", "s3cret", api.url)) as relay:
        status, said = post(relay.url, b"not json")

    assert (status, said) == (400, "the body is not JSON")
    assert api.requests == []


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
