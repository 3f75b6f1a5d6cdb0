"""A Redis that accepts connections and never answers must not cost every call start a socket timeout.

The limits (throttles, the tenant's lines) fail open when Redis is unreachable: calls matter more than
limits. The first call start finds out (one timeout) and opens `core.redis.limits_breaker`; the next ones
skip Redis altogether (the black hole receives nothing more) until the breaker's window ends.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.test import Client, override_settings

from core.redis import limits_breaker, snapshot_breaker
from core.tests.blackhole import BlackHole
from tenants.cache import restaurant_snapshot_get
from tenants.tests.factories import AllowedOriginFactory

pytestmark = pytest.mark.django_db
ORIGIN = "https://alpha.example"


@pytest.fixture
def hung_redis() -> Iterator[BlackHole]:
    with (
        BlackHole() as hole,
        override_settings(
            CACHES={
                "default": {
                    "BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": hole.url,
                    "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
                }
            }
        ),
    ):
        yield hole


def _start(public_id: str) -> tuple[int, dict]:
    response = Client().post(
        "/api/connection-details",
        data=json.dumps({"restaurant_id": public_id}),
        content_type="application/json",
        HTTP_ORIGIN=ORIGIN,
    )
    return response.status_code, response.json()


def test_the_first_call_start_finds_redis_hung_and_the_next_ones_skip_it(world_a, fake_livekit, hung_redis):
    AllowedOriginFactory(tenant=world_a.tenant, origin=ORIGIN)

    first, _ = _start(world_a.restaurant.public_id)
    asked = hung_redis.commands()
    second, body = _start(world_a.restaurant.public_id)
    third, _ = _start(world_a.restaurant.public_id)

    # Both diners get their call (limits fail open), from Postgres's copy of the restaurant.
    assert (first, second, third) == (200, 200, 200) and body["roomName"]
    assert len(fake_livekit.dispatches) == 3
    assert asked >= 1  # the first call start did try Redis ...
    assert hung_redis.commands() == asked  # ... and the next two never waited on it
    assert limits_breaker.is_open and snapshot_breaker.is_open


def test_the_limits_breaker_closes_once_redis_answers(world_a, fake_livekit, hung_redis, monkeypatch):
    AllowedOriginFactory(tenant=world_a.tenant, origin=ORIGIN)
    _start(world_a.restaurant.public_id)
    assert limits_breaker.is_open
    monkeypatch.setattr(limits_breaker, "_open_until", 1.0)  # its window has passed
    monkeypatch.setattr(snapshot_breaker, "_open_until", 1.0)

    from django.conf import settings

    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": settings.REDIS_URL,
            }
        }
    ):
        assert restaurant_snapshot_get(public_id=world_a.restaurant.public_id) is not None
        status, _ = _start(world_a.restaurant.public_id)
        assert status == 200
        assert not limits_breaker.is_open
