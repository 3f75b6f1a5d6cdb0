"""The shipped server command never holds more Postgres connections than its pool, however busy it is."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
POOL = 3
CONCURRENT = 40
APP_NAME = f"hostline-pool-test-{secrets.token_hex(3)}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def web_server(transactional_db: None) -> str:
    """The Dockerfile's CMD (uvicorn, production settings) against the test database, on loopback."""
    db = connection.settings_dict
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}?application_name={APP_NAME}",
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_KEY_PREFIX": settings.CACHE_KEY_PREFIX,
        "DB_POOL_MAX_SIZE": str(POOL),
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert server.poll() is None, "the server did not start"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=15)


def test_more_concurrent_requests_than_the_pool_holds_never_open_more_connections(web_server):
    db = connection.settings_dict
    peak, stop = [0], threading.Event()

    def sample() -> None:
        with psycopg.connect(
            host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True
        ) as conn:
            while not stop.is_set():
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [APP_NAME]
                ).fetchone()
                peak[0] = max(peak[0], row[0] if row else 0)
                time.sleep(0.005)

    def ready(_: int) -> int:
        with urllib.request.urlopen(f"{web_server}/readyz", timeout=20) as response:  # noqa: S310 - loopback
            return int(response.status)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        with ThreadPoolExecutor(CONCURRENT) as pool:
            statuses = [s for _ in range(3) for s in pool.map(ready, range(CONCURRENT))]
    finally:
        stop.set()
        sampler.join()

    assert statuses == [200] * (3 * CONCURRENT), "every request waited for a connection and was answered"
    assert 1 <= peak[0] <= POOL, f"{peak[0]} server connections for a pool of {POOL}"
