"""A webhook receiver for tests: a real HTTP server on 127.0.0.1 that verifies Standard Webhooks signatures."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    # What to do with each request in turn: an HTTP status, or ("sleep", seconds) to time the sender out.
    script: list[Any] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    url: str = ""

    def verify(self, secret: str, item: Received | None = None) -> Any:
        """The parsed body if the signature verifies with `secret` (raises WebhookVerificationError if not)."""
        item = item or self.received[-1]
        return Webhook(secret).verify(item.body, item.headers)

    def verifies(self, secret: str, item: Received | None = None) -> bool:
        try:
            self.verify(secret, item)
        except WebhookVerificationError:
            return False
        return True

    def wait_for(self, count: int, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.received) >= count:
                return True
            time.sleep(0.05)
        return False


def start_receiver() -> tuple[Receiver, ThreadingHTTPServer]:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            receiver.received.append(Received(self.path, dict(self.headers.items()), body))
            action = receiver.script.pop(0) if receiver.script else 200
            if isinstance(action, tuple):
                time.sleep(action[1])
                action = 200
            payload = b'{"ok": true}' if action < 300 else b"receiver says no " * 100
            self.send_response(action)
            if 300 <= action < 400:
                self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/hostline"
    return receiver, server
