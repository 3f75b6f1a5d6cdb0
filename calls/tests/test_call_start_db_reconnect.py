"""The served call start gets a healthy database connection for every cache miss, even after Postgres
dropped the ones it had (a restart, a failover, an idle timeout)."""

from __future__ import annotations

import json
import secrets
import urllib.request
from collections.abc import Iterator

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from core.tests.servers import web_server
from tenants.tests.factories import AllowedOriginFactory, RestaurantFactory

APP_NAME = f"hostline-reconnect-test-{secrets.token_hex(3)}"
ORIGIN = "https://alpha.example"


@pytest.fixture
def web_url(transactional_db: None, fake_livekit) -> Iterator[str]:
    db = connection.settings_dict
    env = {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}?application_name={APP_NAME}",
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_KEY_PREFIX": settings.CACHE_KEY_PREFIX,
        "LIVEKIT_URL": fake_livekit.url,
        "LIVEKIT_API_KEY": settings.LIVEKIT_API_KEY,
        "LIVEKIT_API_SECRET": settings.LIVEKIT_API_SECRET,
    }
    with web_server(env) as url:
        yield url


def start_call(url: str, public_id: str) -> int:
    request = urllib.request.Request(  # noqa: S310 - loopback test server
        f"{url}/api/connection-details",
        data=json.dumps({"restaurant_id": public_id}).encode(),
        headers={"Content-Type": "application/json", "Origin": ORIGIN},
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_cache_misses_after_postgres_dropped_every_connection_still_start_calls(world_a, web_url):
    AllowedOriginFactory(tenant=world_a.tenant, origin=ORIGIN)
    never_loaded = RestaurantFactory(tenant=world_a.tenant, name="Alpha Annex")
    assert start_call(web_url, world_a.restaurant.public_id) == 200  # a miss: the server read Postgres

    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True
    ) as conn:
        killed = conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = %s",
            [APP_NAME],
        ).fetchone()
    assert killed and killed[0] >= 1

    # No cached or last known copy of this one: only a fresh connection can answer.
    assert start_call(web_url, never_loaded.public_id) == 200
