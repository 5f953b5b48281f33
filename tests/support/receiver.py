"""A webhook receiver on 127.0.0.1 for the notification and relay tests: it records every POST
(its path, headers and JSON body), answers with the status it was given, and can be told to
answer a number of them with an error first (500, ``FAILURE``)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SERVER_DEADLINE_S = 120  # how long a test server may take to start
FAILURE = "failing on purpose"  # the body of an error it was told to answer


@dataclass
class Received:
    path: str
    body: dict
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)  # path -> errors still to answer

    def at(self, path: str) -> list[dict]:
        return [item.body for item in self.received if item.path == path]


@contextmanager
def webhook_receiver(status: int = 200) -> Iterator[Receiver]:
    """``receiver.url`` is ``127.0.0.1:PORT``, as Apprise's json:// takes it."""
    receiver = Receiver(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the base class's name
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            with lock:
                left = receiver.failures.get(self.path, 0)
                if left:
                    receiver.failures[self.path] = left - 1
                    answer, said = 500, FAILURE.encode("utf-8")
                else:
                    headers = dict(self.headers)
                    parsed = json.loads(body or b"{}")
                    receiver.received.append(Received(self.path, parsed, headers))
                    answer, said = status, b""
            self.send_response(answer)
            self.send_header("Content-Length", str(len(said)))
            self.end_headers()
            self.wfile.write(said)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=60)


def closed_port_address() -> str:
    """``http://127.0.0.1:<port>/`` where nothing listens: a live site that does not answer,
    without any traffic leaving this machine."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/"


@dataclass
class Mailbox:
    port: int
    messages: list[tuple[str, list[str], str]] = field(default_factory=list)  # from, to, text


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    """An SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it is sent."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = Mailbox(port)

    class Handler:
        async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's
            text = envelope.content.decode("utf-8", "replace")
            mailbox.messages.append((envelope.mail_from, list(envelope.rcpt_tos), text))
            return "250 OK"

    # A slow, loaded machine may take more than aiosmtpd's 5 s to start it; a fixed name spares
    # a lookup of the machine's own (getfqdn), which can take seconds where DNS is slow.
    controller = Controller(
        Handler(),
        hostname="127.0.0.1",
        port=port,
        ready_timeout=SERVER_DEADLINE_S,
        server_hostname="flare.test",
    )
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()
