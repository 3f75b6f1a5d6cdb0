"""Issue 17.7: a Redis that accepts connections but never answers must not cost a diner their call.

The black hole is a real local TCP server that accepts and never replies, as a hung Redis does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from django.test import override_settings

from agent_worker.job import plan_job
from calls.contract import JobMetadata
from core.redis import snapshot_breaker
from core.tests.blackhole import BlackHole
from tenants import cache as cache_module
from tenants.cache import restaurant_snapshot_get

pytestmark = pytest.mark.django_db(transaction=True)


def _caches(url: str) -> dict:
    # The production timeouts (config/settings/base.py), pointed at the black hole.
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def hung_redis() -> Iterator[BlackHole]:
    snapshot_breaker.reset()
    with BlackHole() as hole, override_settings(CACHES=_caches(hole.url)):
        yield hole
    snapshot_breaker.reset()


def test_a_hung_redis_is_asked_once_then_reads_go_straight_to_postgres(world_a, hung_redis):
    first = restaurant_snapshot_get(public_id=world_a.restaurant.public_id)
    asked = hung_redis.commands()
    second = restaurant_snapshot_get(public_id=world_a.restaurant.public_id)

    assert first is not None and first.name == world_a.restaurant.name
    assert second is not None and second.name == world_a.restaurant.name
    assert asked >= 1  # the first read did try Redis ...
    assert hung_redis.commands() == asked  # ... and the breaker kept the second read off it entirely
    assert snapshot_breaker.is_open


def test_the_agent_still_serves_the_call_when_redis_hangs(world_a, hung_redis):
    raw = JobMetadata(restaurant_id=world_a.restaurant.public_id, tenant_id=world_a.tenant.pk).to_json()

    plan = asyncio.run(plan_job(raw))

    # Before: every Redis step waited its own timeout and the job was refused as "snapshot_unavailable".
    assert plan.refusal is None
    assert plan.snapshot is not None and plan.snapshot.name == world_a.restaurant.name


def test_one_budget_covers_every_redis_step_of_a_read(world_a, hung_redis, monkeypatch):
    monkeypatch.setattr(cache_module, "SNAPSHOT_REDIS_BUDGET_SECONDS", 0.0)

    snapshot = restaurant_snapshot_get(public_id=world_a.restaurant.public_id)

    assert snapshot is not None and snapshot.name == world_a.restaurant.name
    assert hung_redis.commands() == 0  # a spent budget skips Redis, it does not wait on it
    assert not snapshot_breaker.is_open  # skipping for lack of time is not a Redis failure


def test_the_breaker_probes_again_and_closes_when_redis_answers(world_a, hung_redis, monkeypatch):
    restaurant_snapshot_get(public_id=world_a.restaurant.public_id)
    assert snapshot_breaker.is_open
    monkeypatch.setattr(snapshot_breaker, "_open_until", 1.0)  # the open window has passed

    # Redis is healthy again (the test settings' real one): the next read probes it and closes the breaker.
    from django.conf import settings

    with override_settings(CACHES=_caches(settings.REDIS_URL)):
        restaurant_snapshot_get(public_id=world_a.restaurant.public_id)
        assert not snapshot_breaker.is_open
        assert restaurant_snapshot_get(public_id=world_a.restaurant.public_id) is not None


def test_the_breaker_lets_one_probe_through_while_half_open(monkeypatch):
    snapshot_breaker.reset()
    snapshot_breaker.record_failure(TimeoutError("hung"))
    assert not snapshot_breaker.allows()
    monkeypatch.setattr(snapshot_breaker, "_open_until", 1.0)

    assert [snapshot_breaker.allows() for _ in range(3)] == [True, False, False]
    snapshot_breaker.reset()
