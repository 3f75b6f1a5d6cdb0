"""Fixtures for the widget's browser tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class HostSite:
    """A restaurant's own website, on its own origin, embedding the widget with one script tag."""

    origin: str
    pages: dict[str, str]


@pytest.fixture
def host_site() -> Iterator[Any]:
    sites: list[ThreadingHTTPServer] = []

    def serve(pages: dict[str, str]) -> HostSite:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                body = pages.get(self.path.split("?")[0])
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write((body or "not found").encode())

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        sites.append(server)
        return HostSite(origin=f"http://127.0.0.1:{server.server_address[1]}", pages=pages)

    yield serve
    for server in sites:
        server.shutdown()
        server.server_close()
