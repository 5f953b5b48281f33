"""A webhook receiver that hands each alert notification to GitHub as a repository dispatch.

Alertmanager posts its own body to a webhook and cannot reshape it into the body GitHub's
dispatch API takes (``{"event_type": ..., "client_payload": ...}``), and GitHub allows a
``client_payload`` of at most 10 top-level keys, which Grafana's body exceeds. The relay wraps
any notification as ``{"event_type": "alert", "client_payload": {"notification": BODY}}`` and
posts it with a token from the environment, so neither the token nor the repository's address
is in any monitoring tool's configuration but the relay's own.

It answers 204 once GitHub accepted the dispatch; otherwise 502 with GitHub's answer, so the
monitoring tool retries (Alertmanager does, with back-off).
"""

from __future__ import annotations

import http.server
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from generator.errors import FlareError

GITHUB_API = "https://api.github.com"
EVENT_TYPE = "alert"  # the alert workflow's repository_dispatch type
LARGEST_BODY = 1024 * 1024  # bytes: a notification is a few kilobytes; GitHub's limit is far less
TIMEOUT = 30  # seconds for GitHub to answer


class RelayError(FlareError):
    """The relay cannot start: a setting is missing or wrong."""


@dataclass(frozen=True)
class Dispatch:
    """Where notifications go: a repository's dispatch endpoint, with the token to use."""

    repository: str  # owner/name
    token: str
    api: str = GITHUB_API

    @property
    def url(self) -> str:
        return f"{self.api.rstrip('/')}/repos/{self.repository}/dispatches"

    def send(self, notification: object) -> tuple[int, str]:
        """Post one notification; GitHub's status and, when it refused, what it said."""
        body = json.dumps(
            {"event_type": EVENT_TYPE, "client_payload": {"notification": notification}}
        ).encode("utf-8")
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
                "User-Agent": "flare-relay",
                "X-GitHub-Api-Version": "2022-11-28",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
                return answer.status, ""
        except urllib.error.HTTPError as error:
            return error.code, error.read(4096).decode("utf-8", "replace")
        except (urllib.error.URLError, OSError) as error:
            return 0, str(getattr(error, "reason", error))


def _handler(dispatch: Dispatch) -> type[http.server.BaseHTTPRequestHandler]:
    class Relay(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the standard library's name
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 < length <= LARGEST_BODY:
                self._answer(400, "a notification is a JSON body of at most 1 MiB")
                return
            try:
                notification = json.loads(self.rfile.read(length))
            except (json.JSONDecodeError, UnicodeDecodeError):
                self._answer(400, "the body is not JSON")
                return
            status, said = dispatch.send(notification)
            if status == 204:
                self._answer(204, "")
            else:
                self._answer(502, f"GitHub answered {status or 'nothing'}: {said}".strip())

        def _answer(self, status: int, text: str) -> None:
            data = text.encode("utf-8")
            self.send_response(status)
            if data:
                self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            self.server.log.append(format % args)  # type: ignore[attr-defined]

    return Relay


class RelayServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], dispatch: Dispatch) -> None:
        super().__init__(address, _handler(dispatch))
        self.log: list[str] = []

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"


@contextmanager
def running(dispatch: Dispatch, host: str = "127.0.0.1", port: int = 0) -> Iterator[RelayServer]:
    """The relay, answering in a background thread until the block ends."""
    server = RelayServer((host, port), dispatch)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def dispatch_for(repository: str, token: str | None, api: str = GITHUB_API) -> Dispatch:
    """The dispatch settings, or a sentence saying which is wrong."""
    if repository.count("/") != 1 or not all(repository.split("/")):
        raise RelayError(f"--repository: found {repository!r}; give it as owner/name")
    if not token:
        raise RelayError(
            "no token: set FLARE_RELAY_TOKEN to a token allowed to write the repository's "
            "contents (a fine-grained token or a GitHub App's)"
        )
    if not api.startswith(("https://", "http://")):
        raise RelayError(f"--api: found {api!r}; give a web address")
    return Dispatch(repository, token, api)
