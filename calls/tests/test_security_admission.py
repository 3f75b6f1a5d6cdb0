"""Issue 17.1: a restaurant's lines are held by real calls only, and one client cannot take them all."""

from __future__ import annotations

import asyncio
import json
import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client

from agent_worker.job import admission_confirm
from calls.admission import (
    ADMISSION_WINDOW_SECONDS,
    STARTED_SLOT_SECONDS,
    UNSTARTED_SLOT_SECONDS,
    session_slot_acquire,
    session_slot_release,
    session_slots_in_use,
)
from core.cache_keys import client_session_slots_key, tenant_session_slots_key
from core.redis import redis_client
from tenants.api_keys import api_key_create
from tenants.tests.factories import AllowedOriginFactory

pytestmark = pytest.mark.django_db

URL = "/api/connection-details"
ORIGIN = "https://alpha.example"


@pytest.fixture
def site(world_a, settings):
    AllowedOriginFactory(tenant=world_a.tenant, origin=ORIGIN)
    world_a.tenant.max_concurrent_sessions = 10
    world_a.tenant.save()
    # Rates out of the way: this is about lines held, not requests per minute.
    settings.CONNECTION_DETAILS_RATE_PER_IP = "1000/minute"
    settings.CONNECTION_DETAILS_RATE_PER_RESTAURANT = "1000/minute"
    settings.CONNECTION_DETAILS_CONCURRENT_PER_CLIENT = 3
    return world_a


def start_call(world, ip: str = "203.0.113.7", **headers: str):
    extra = {"HTTP_ORIGIN": ORIGIN, "REMOTE_ADDR": ip}
    extra.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    body = json.dumps({"restaurant_id": world.restaurant.public_id})
    return Client().post(URL, data=body, content_type="application/json", **extra)


def slot_expiries(tenant_id: int) -> dict[str, float]:
    key = cache.make_and_validate_key(tenant_session_slots_key(tenant_id))
    return {m.decode(): score for m, score in redis_client().zrange(key, 0, -1, withscores=True)}


class _Ctx:
    def __init__(self) -> None:
        self.reasons: list[str] = []

    def shutdown(self, reason: str = "") -> None:
        self.reasons.append(reason)


def _state(world, room: str):
    return SimpleNamespace(snapshot=SimpleNamespace(tenant_id=world.tenant.pk), room_name=room)


async def _nobody_joins() -> None:
    await asyncio.Event().wait()


async def _diner_joins() -> object:
    return object()


def test_an_unjoined_call_holds_its_line_for_the_admission_window_only(site, fake_livekit):
    before = time.time()
    room = start_call(site).json()["roomName"]

    expires = slot_expiries(site.tenant.pk)[room]

    # Was 120 s: a line is held briefly until the worker confirms that someone joined.
    assert ADMISSION_WINDOW_SECONDS <= 30
    assert expires <= before + UNSTARTED_SLOT_SECONDS + 1 <= before + 60


def test_an_agent_whose_room_stays_empty_releases_the_line_and_leaves(site):
    assert session_slot_acquire(tenant_id=site.tenant.pk, room_name="room-empty", limit=5)
    ctx = _Ctx()

    joined = asyncio.run(
        admission_confirm(ctx, _state(site, "room-empty"), wait_for_participant=_nobody_joins, window=0.05)
    )

    assert joined is False
    assert ctx.reasons == ["no_participant"]
    assert session_slots_in_use(tenant_id=site.tenant.pk) == 0


def test_a_joined_call_holds_its_line_for_the_call(site):
    assert session_slot_acquire(tenant_id=site.tenant.pk, room_name="room-real", limit=5)
    ctx = _Ctx()

    joined = asyncio.run(admission_confirm(ctx, _state(site, "room-real"), wait_for_participant=_diner_joins))

    assert joined is True and ctx.reasons == []
    assert slot_expiries(site.tenant.pk)["room-real"] > time.time() + STARTED_SLOT_SECONDS - 60


def test_a_late_confirmation_never_takes_back_a_released_line(site):
    assert session_slot_acquire(tenant_id=site.tenant.pk, room_name="room-done", limit=5)
    session_slot_release(tenant_id=site.tenant.pk, room_name="room-done")

    asyncio.run(admission_confirm(_Ctx(), _state(site, "room-done"), wait_for_participant=_diner_joins))

    assert session_slots_in_use(tenant_id=site.tenant.pk) == 0


def test_one_client_cannot_take_every_line_of_a_restaurant(site, fake_livekit):
    statuses = [start_call(site).status_code for _ in range(10)]

    assert statuses == [200, 200, 200] + [429] * 7
    refused = start_call(site)
    assert refused.json()["error"] == "too_many_client_sessions"
    assert refused["Retry-After"]
    # A real diner elsewhere still gets a line.
    assert start_call(site, ip="198.51.100.20").status_code == 200
    assert session_slots_in_use(tenant_id=site.tenant.pk) == 4


def test_a_finished_call_gives_the_client_its_allowance_back(site, fake_livekit):
    rooms = [start_call(site).json()["roomName"] for _ in range(3)]
    assert start_call(site).status_code == 429

    session_slot_release(tenant_id=site.tenant.pk, room_name=rooms[0])

    assert start_call(site).status_code == 200
    client_key = cache.make_and_validate_key(client_session_slots_key("203.0.113.7"))
    assert redis_client().zcard(client_key) == 3


def test_servers_with_an_api_key_are_limited_by_the_tenants_lines_not_per_client(site, fake_livekit):
    _, key = api_key_create(tenant=site.tenant, name="pos")
    body = json.dumps({"restaurant_id": site.restaurant.public_id})
    statuses = [
        Client()
        .post(URL, data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
        .status_code
        for _ in range(5)
    ]
    assert statuses == [200] * 5


@pytest.mark.django_db(transaction=True)
def test_a_refused_job_frees_the_line_its_dispatch_took_at_once(site):
    from agent_worker.job import plan_job, release_refused_slot
    from calls.contract import JobMetadata

    site.tenant.status = "suspended"
    site.tenant.save()
    assert session_slot_acquire(tenant_id=site.tenant.pk, room_name="room-refused", limit=5)
    raw = JobMetadata(restaurant_id=site.restaurant.public_id, tenant_id=site.tenant.pk).to_json()

    async def main() -> str | None:
        plan = await plan_job(raw)
        await release_refused_slot(plan, room_name="room-refused")
        return plan.refusal

    assert asyncio.run(main()) == "not_taking_calls"
    assert session_slots_in_use(tenant_id=site.tenant.pk) == 0
