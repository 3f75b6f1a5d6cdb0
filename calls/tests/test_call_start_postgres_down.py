"""Postgres refused or black-holed: the server as shipped still starts a cached restaurant's calls, and
answers everything else with a JSON 503 and Retry-After, never an HTML 500 (preflight included)."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache

from core import cache_keys
from core.tests.servers import free_port, web_server
from tenants.cache import allowed_origins_rebuild, restaurant_snapshot_get
from tenants.tests.factories import AllowedOriginFactory

pytestmark = pytest.mark.django_db
ORIGIN = "https://alpha.example"


@pytest.fixture(params=["refused", "black-holed"])
def dead_database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "refused":
        yield f"postgres://postgres@127.0.0.1:{free_port()}/hostline"
        return
    # Accepts TCP connections (the kernel completes the handshake) and never says a word.
    with socket.socket() as hole:
        hole.bind(("127.0.0.1", 0))
        hole.listen(64)
        yield f"postgres://postgres@127.0.0.1:{hole.getsockname()[1]}/hostline"


def http(url: str, method: str = "POST", body: dict[str, Any] | None = None, origin: str = ORIGIN) -> Any:
    request = urllib.request.Request(  # noqa: S310 - loopback test server
        url,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json", "Origin": origin},
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_a_cached_restaurant_still_takes_calls_and_the_rest_is_json_503(
    world_a, fake_livekit, dead_database_url
):
    AllowedOriginFactory(tenant=world_a.tenant, origin=ORIGIN)
    assert restaurant_snapshot_get(public_id=world_a.restaurant.public_id) is not None  # now cached
    allowed_origins_rebuild()
    env = {
        "DATABASE_URL": dead_database_url,
        "DB_CONNECT_TIMEOUT": "1",
        "DB_POOL_TIMEOUT": "1",
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_KEY_PREFIX": settings.CACHE_KEY_PREFIX,
        "LIVEKIT_URL": fake_livekit.url,
        "LIVEKIT_API_KEY": settings.LIVEKIT_API_KEY,
        "LIVEKIT_API_SECRET": settings.LIVEKIT_API_SECRET,
    }
    with web_server(env) as base:
        url = f"{base}/api/connection-details"
        status, headers, body = http(url, body={"restaurant_id": world_a.restaurant.public_id})
        assert status == 200, body
        assert headers["Access-Control-Allow-Origin"] == ORIGIN
        assert len(fake_livekit.dispatches) == 1

        status, headers, _ = http(url, method="OPTIONS")
        assert status == 204 and headers["Access-Control-Allow-Origin"] == ORIGIN

        status, headers, body = http(url, body={"restaurant_id": "r_notcached0000"})
        assert status == 503, body
        assert json.loads(body)["error"] == "database_unavailable"
        assert int(headers["Retry-After"]) > 0

        cache.delete(cache_keys.allowed_origins_key())  # the CORS check now needs Postgres too
        status, headers, body = http(url, method="OPTIONS", origin="https://unknown.example")
        assert status == 503 and headers["Content-Type"] == "application/json"
        assert json.loads(body)["error"] == "database_unavailable" and int(headers["Retry-After"]) > 0
