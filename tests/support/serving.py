"""Serve a built site folder over HTTP on 127.0.0.1, in a background thread.

    with serve(site_dir) as server:                      # http://127.0.0.1:PORT/
        ...
    with serve(site_dir, prefix="/status/") as server:   # http://127.0.0.1:PORT/status/
        page.goto(server.url)
        assert server.errors() == []                     # every response >= 400, as (status, path)

Under a prefix, only paths below it exist: anything else is a 404, so a page that links to
``/assets/...`` instead of a relative path shows up as an error, as it would on a real host that
publishes the site under a sub-path. Nothing is logged to the terminal; every request is kept in
``server.log``. ``headers`` are added to every response:
``serve(site_dir, headers={"LinkChecker": "1"})``.
"""

from __future__ import annotations

import http.server
import os
import threading
import urllib.parse
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Hit:
    method: str
    path: str
    status: int


@dataclass
class Server:
    """A running server: ``url`` is where the site's root is, ending with ``/``."""

    host: str
    port: int
    prefix: str
    folder: Path
    log: list[Hit] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return self.origin + self.prefix

    def url_for(self, path: str = "") -> str:
        """The URL of ``path``, relative to the site's root (``about/`` → .../status/about/)."""
        return self.url + path.lstrip("/")

    def errors(self) -> list[tuple[int, str]]:
        """Every request answered with a status of 400 or more, as (status, path)."""
        return [(hit.status, hit.path) for hit in list(self.log) if hit.status >= 400]


def _normalise_prefix(prefix: str) -> str:
    stripped = prefix.strip("/")
    return f"/{stripped}/" if stripped else "/"


def _handler(
    server: Server, headers: Mapping[str, str]
) -> type[http.server.SimpleHTTPRequestHandler]:
    prefix = server.prefix

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, directory=os.fspath(server.folder), **kwargs)

        def send_head(self):
            path = urllib.parse.urlsplit(self.path).path
            if prefix != "/" and path == prefix.rstrip("/"):
                # /status → /status/, as a real host does for a folder
                self.send_response(301)
                self.send_header("Location", prefix)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            if not path.startswith(prefix):
                self.send_error(404, f"outside {prefix}")
                return None
            return super().send_head()

        def translate_path(self, path: str) -> str:
            split = urllib.parse.urlsplit(path)
            inside = split.path[len(prefix) - 1 :] if split.path.startswith(prefix) else split.path
            return super().translate_path(inside)

        def send_response(self, code: int, message: str | None = None) -> None:
            server.log.append(Hit(self.command or "", self.path, int(code)))
            super().send_response(code, message)

        def end_headers(self) -> None:
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
            pass  # quiet: the log is in server.log

    return Handler


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A browser that closes a connection early is not an error worth a traceback.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(
    folder: Path | str, *, prefix: str = "/", headers: Mapping[str, str] | None = None
) -> Iterator[Server]:
    """Serve ``folder`` at ``http://127.0.0.1:<free port><prefix>`` until the block ends,
    sending ``headers`` with every response."""
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise FileNotFoundError(f"no folder to serve: {folder}")
    server = Server(host=HOST, port=0, prefix=_normalise_prefix(prefix), folder=folder)
    httpd = _HTTPServer((HOST, 0), _handler(server, dict(headers or {})))
    server.port = httpd.server_address[1]
    thread = threading.Thread(
        target=httpd.serve_forever,
        kwargs={"poll_interval": 0.1},
        name=f"serve:{server.port}",
        daemon=True,
    )
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
