"""A TCP server that accepts connections, reads what it is sent and never answers: a hung Redis or Postgres."""

from __future__ import annotations

import socket
import threading
from types import TracebackType


class BlackHole:
    """Listens on 127.0.0.1 (an OS-chosen port); counts connections and bytes received, replies nothing."""

    def __init__(self) -> None:
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(64)
        self.port: int = self._server.getsockname()[1]
        self.connections = 0
        self.received = bytearray()
        self._clients: list[socket.socket] = []
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def __enter__(self) -> BlackHole:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stopped.set()
        self._server.close()
        with self._lock:
            for client in self._clients:
                client.close()
        self._thread.join(timeout=2)

    def _serve(self) -> None:
        self._server.settimeout(0.05)
        while not self._stopped.is_set():
            try:
                client, _ = self._server.accept()
            except (TimeoutError, OSError):
                self._drain()
                continue
            client.setblocking(False)
            with self._lock:
                self.connections += 1
                self._clients.append(client)
            self._drain()

    def _drain(self) -> None:
        with self._lock:
            for client in self._clients:
                try:
                    data = client.recv(65536)
                except (BlockingIOError, OSError):
                    continue
                self.received.extend(data)

    def commands(self) -> int:
        """Redis commands received so far (each RESP command starts with `*` at the start of a line)."""
        self._drain()
        with self._lock:
            data = bytes(self.received)
        return data.count(b"\r\n*") + (1 if data.startswith(b"*") else 0)
