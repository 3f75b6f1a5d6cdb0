"""The shipped server command never holds more Postgres connections than its pool, however busy it is."""

from __future__ import annotations

import secrets
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from core.tests.servers import web_server

POOL = 3
CONCURRENT = 40
APP_NAME = f"hostline-pool-test-{secrets.token_hex(3)}"


@pytest.fixture
def web_url(transactional_db: None) -> Iterator[str]:
    """The Dockerfile's CMD (uvicorn, production settings) against the test database, on loopback."""
    db = connection.settings_dict
    env = {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}?application_name={APP_NAME}",
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_KEY_PREFIX": settings.CACHE_KEY_PREFIX,
        "DB_POOL_MAX_SIZE": str(POOL),
    }
    with web_server(env) as url:
        yield url


def test_more_concurrent_requests_than_the_pool_holds_never_open_more_connections(web_url):
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
        with urllib.request.urlopen(f"{web_url}/readyz", timeout=20) as response:  # noqa: S310 - loopback
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
