"""A Statuspage-shaped server on 127.0.0.1 for the import tests: the public v2 API's four files
and the management API's paginated incidents, in the real API's shapes.

    with statuspage_server(public, incidents, api_key="k", page_id="p") as server:
        server.url                      # http://127.0.0.1:PORT/  (the page's address)
        server.api_base                 # http://127.0.0.1:PORT/v1
        server.requests                 # every request: path, Authorization, arrival (monotonic)
        server.busy.add("/v1/pages/p/incidents?page=2&limit=100")   # answer 429 once there

``public`` maps a file name (``summary.json``) to its body; ``incidents`` is the management API's
full list, served ``limit`` a page (at most 100), newest first as Statuspage serves it. A request
without ``Authorization: OAuth <api_key>`` gets 401, as the real API answers it. A path in
``busy`` is answered once with 429 and ``Retry-After: 2``, then served.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

RETRY_AFTER_S = 2  # longer than the pace of a request a second, so a test can tell them apart


@dataclass(frozen=True)
class Request:
    path: str
    authorization: str | None
    arrived: float  # time.monotonic()
    status: int


@dataclass
class StatuspageServer:
    public: dict[str, Any]
    incidents: list[dict[str, Any]]
    api_key: str
    page_id: str
    port: int = 0
    requests: list[Request] = field(default_factory=list)
    busy: set[str] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def management_requests(self) -> list[Request]:
        return [request for request in self.requests if request.path.startswith("/v1/")]

    def answer(self, path: str, authorization: str | None) -> tuple[int, dict[str, str], Any]:
        """(status, headers, body) for a GET of ``path``."""
        split = urllib.parse.urlsplit(path)
        if split.path.startswith("/api/v2/"):
            name = split.path.removeprefix("/api/v2/")
            if name in self.public:
                return 200, {}, self.public[name]
            return 404, {}, {"error": "Not found"}
        if split.path == f"/v1/pages/{self.page_id}/incidents":
            if authorization != f"OAuth {self.api_key}":
                return 401, {}, {"error": "Could not authenticate"}
            if path in self.busy:
                self.busy.discard(path)
                return 429, {"Retry-After": str(RETRY_AFTER_S)}, {"error": "Rate limited"}
            query = urllib.parse.parse_qs(split.query)
            page = int(query.get("page", ["1"])[0])
            limit = min(int(query.get("limit", ["100"])[0]), 100)
            return 200, {}, self.incidents[(page - 1) * limit : page * limit]
        return 404, {}, {"error": "Not found"}


@contextmanager
def statuspage_server(
    public: dict[str, Any],
    incidents: list[dict[str, Any]] | None = None,
    *,
    api_key: str = "test-key",
    page_id: str = "pg1acme",
) -> Iterator[StatuspageServer]:
    server = StatuspageServer(public, incidents or [], api_key, page_id)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the base class's name
            with lock:
                status, headers, body = server.answer(self.path, self.headers.get("Authorization"))
                server.requests.append(
                    Request(self.path, self.headers.get("Authorization"), time.monotonic(), status)
                )
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
