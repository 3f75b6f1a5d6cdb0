"""The call start as uvicorn serves it: the ASGI route in front of Django (config.asgi.application).

Requests go through the real ASGI application; each runs in its own short event loop (async_to_sync),
so Postgres reads on a cache miss happen in the test's thread and see its data.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings

from calls.admission import session_slots_in_use
from core.loop_local import loop_locals_close
from tenants.models import AllowedOrigin, Tenant
from tenants.tests.factories import AllowedOriginFactory
from webhooks.selectors import call_refusal_counts

pytestmark = pytest.mark.django_db

ORIGIN = "https://alpha.example"
PATH = "/api/connection-details"


def _scope(method: str, headers: dict[str, str], client: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": PATH,
        "raw_path": PATH.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in {"host": "127.0.0.1", **headers}.items()],
        "client": (client, 50000),
        "server": ("127.0.0.1", 8000),
    }


async def _request(
    method: str, body: dict[str, Any] | None, headers: dict[str, str], client: str
) -> tuple[int, dict[str, str], Any]:
    from config.asgi import application

    payload = json.dumps(body).encode() if body is not None else b""
    sent: list[dict[str, Any]] = []
    received = False

    async def receive() -> dict[str, Any]:
        nonlocal received
        if received:
            await asyncio.sleep(3600)
        received = True
        return {"type": "http.request", "body": payload, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await application(_scope(method, headers, client), receive, send)
    start, body_message = sent[0], sent[1]
    out_headers = {k.decode(): v.decode() for k, v in start["headers"]}
    text = body_message["body"]
    return start["status"], out_headers, json.loads(text) if text else None


def call(
    body: dict[str, Any] | None,
    *,
    origin: str | None = ORIGIN,
    method: str = "POST",
    client: str = "198.51.100.7",
    **headers: str,
) -> tuple[int, dict[str, str], Any]:
    all_headers = {"content-type": "application/json", **headers}
    if origin:
        all_headers["origin"] = origin

    async def one() -> tuple[int, dict[str, str], Any]:
        try:
            return await _request(method, body, all_headers, client)
        finally:
            await loop_locals_close()

    return async_to_sync(one)()


@pytest.fixture
def origin_a(world_a) -> AllowedOrigin:
    return AllowedOriginFactory(tenant=world_a.tenant, origin=ORIGIN)


def test_a_diner_gets_connection_details_with_cors_and_security_headers(world_a, origin_a, fake_livekit):
    status, headers, body = call({"restaurant_id": world_a.restaurant.public_id})
    assert status == 200, body
    assert body["roomName"].startswith(f"hl-{world_a.restaurant.public_id}-")
    assert headers["access-control-allow-origin"] == ORIGIN
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"
    assert headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert len(headers["x-request-id"]) >= 8
    assert len(fake_livekit.dispatches) == 1


def test_a_cached_restaurants_call_start_reads_no_sql(
    world_a, origin_a, fake_livekit, django_assert_num_queries
):
    assert call({"restaurant_id": world_a.restaurant.public_id})[0] == 200  # fills the cache
    assert call(None, method="OPTIONS")[0] == 204  # and the set of allowed origins
    with django_assert_num_queries(0):
        status, _, _ = call({"restaurant_id": world_a.restaurant.public_id})
        preflight, headers, _ = call(None, method="OPTIONS")
    assert status == 200
    assert preflight == 204 and headers["access-control-allow-origin"] == ORIGIN


def test_other_methods_and_hosts_get_json_errors(world_a, origin_a):
    status, headers, body = call(None, method="GET")
    assert status == 405 and body["error"] == "method_not_allowed" and "POST" in headers["allow"]
    status, _, body = call({"restaurant_id": world_a.restaurant.public_id}, host="evil.example")
    assert status == 400 and body["error"] == "bad_host"


def test_a_deeply_nested_or_oversized_body_is_a_json_400_or_413(world_a, origin_a):
    from config.asgi import application

    async def raw(payload: bytes) -> tuple[int, Any]:
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": payload, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        try:
            await application(_scope("POST", {"origin": ORIGIN}, "198.51.100.7"), receive, send)
        finally:
            await loop_locals_close()
        return sent[0]["status"], json.loads(sent[1]["body"])

    status, body = async_to_sync(raw)(b"[" * 30_000 + b"]" * 30_000)
    assert status == 400 and body["error"] == "parse_error"
    status, body = async_to_sync(raw)(b'{"restaurant_id": "' + b"x" * 100_000 + b'"}')
    assert status == 413 and body["error"] == "request_too_large"


def test_burst_at_a_small_cap_dispatches_exactly_cap_calls(world_a, origin_a, fake_livekit):
    Tenant.objects.filter(pk=world_a.tenant.pk).update(max_concurrent_sessions=3)

    async def burst() -> list[int]:
        try:
            results = await asyncio.gather(
                *[
                    _request(
                        "POST",
                        {"restaurant_id": world_a.restaurant.public_id},
                        {"origin": ORIGIN, "content-type": "application/json"},
                        f"198.51.100.{i}",
                    )
                    for i in range(30)
                ]
            )
        finally:
            await loop_locals_close()
        return sorted(status for status, _, _ in results)

    statuses = async_to_sync(burst)()

    assert statuses == [200] * 3 + [429] * 27
    assert len(fake_livekit.dispatches) == 3
    assert session_slots_in_use(tenant_id=world_a.tenant.pk) == 3
    # Each busy refusal is counted for the owner's call.refused webhook, on the loop, without SQL.
    assert call_refusal_counts(tenant_id=world_a.tenant.pk) == {"busy": 27}


def test_edits_are_obeyed_by_the_very_next_request(
    world_a, origin_a, fake_livekit, django_capture_on_commit_callbacks, settings
):
    settings.CONNECTION_DETAILS_CONCURRENT_PER_CLIENT = 0  # many calls from one test client, on purpose
    restaurant = world_a.restaurant.public_id
    assert call({"restaurant_id": restaurant})[0] == 200  # snapshot and origins now cached

    # The tenant's cap, lowered below the line already in use.
    tenant = Tenant.objects.get(pk=world_a.tenant.pk)
    with django_capture_on_commit_callbacks(execute=True):
        tenant.max_concurrent_sessions = 1
        tenant.save()
    status, _, body = call({"restaurant_id": restaurant})
    assert (status, body["error"]) == (429, "too_many_sessions")
    with django_capture_on_commit_callbacks(execute=True):
        tenant.max_concurrent_sessions = 10
        tenant.save()
    assert call({"restaurant_id": restaurant})[0] == 200

    # The origin, removed: refused for the call and for CORS; added back: allowed again.
    with django_capture_on_commit_callbacks(execute=True):
        origin_a.delete()
    status, headers, body = call({"restaurant_id": restaurant})
    assert (status, body["error"]) == (404, "restaurant_not_found")
    assert "access-control-allow-origin" not in headers
    assert "access-control-allow-origin" not in call(None, method="OPTIONS")[1]
    with django_capture_on_commit_callbacks(execute=True):
        AllowedOriginFactory(tenant=world_a.tenant, origin=ORIGIN)
    assert call(None, method="OPTIONS")[1]["access-control-allow-origin"] == ORIGIN
    assert call({"restaurant_id": restaurant})[0] == 200

    # The tenant's status.
    with django_capture_on_commit_callbacks(execute=True):
        tenant.status = Tenant.Status.SUSPENDED
        tenant.save()
    status, _, body = call({"restaurant_id": restaurant})
    assert (status, body["error"]) == (403, "not_taking_calls")
    with django_capture_on_commit_callbacks(execute=True):
        tenant.status = Tenant.Status.ACTIVE
        tenant.save()
    assert call({"restaurant_id": restaurant})[0] == 200


def test_refused_requests_never_spend_the_restaurants_budget(world_a, origin_a, fake_livekit, settings):
    """An attacker's requests without Origin or key (403) from many addresses leave diners their calls."""
    settings.CONNECTION_DETAILS_RATE_PER_RESTAURANT = "3/minute"
    restaurant = world_a.restaurant.public_id
    for i in range(10):
        status, _, _ = call({"restaurant_id": restaurant}, origin=None, client=f"203.0.113.{i}")
        assert status == 403
        status, _, _ = call(
            {"restaurant_id": restaurant}, origin="https://evil.example", client=f"203.0.113.{i}"
        )
        assert status == 404

    assert [call({"restaurant_id": restaurant}, client=f"198.51.100.{i}")[0] for i in range(4)] == [
        200,
        200,
        200,
        429,
    ]


def test_refused_requests_still_count_against_their_sender(world_a, origin_a, settings):
    settings.CONNECTION_DETAILS_RATE_PER_IP = "3/minute"
    statuses = [call({"restaurant_id": "r_unknown"}, client="203.0.113.9")[0] for _ in range(4)]
    assert statuses == [404, 404, 404, 429]


def test_a_forged_x_forwarded_for_does_not_change_who_is_throttled(world_a, origin_a, fake_livekit, settings):
    """The client address is the connection's (uvicorn rewrites it only for FORWARDED_ALLOW_IPS)."""
    settings.CONNECTION_DETAILS_RATE_PER_IP = "2/minute"
    statuses = [
        call({"restaurant_id": world_a.restaurant.public_id}, x_forwarded_for=f"10.0.0.{i}")[0]
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_postgres_down_answers_json_503_with_retry_after(world_a, origin_a, monkeypatch):
    from django.db import OperationalError

    def down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr("tenants.cache.restaurant_snapshot_from_db", down)
    monkeypatch.setattr("tenants.cache._allowed_origins_from_db", down)
    status, headers, body = call({"restaurant_id": world_a.restaurant.public_id})
    assert status == 503 and body["error"] == "database_unavailable"
    assert int(headers["retry-after"]) > 0
    status, headers, body = call(None, method="OPTIONS", origin="https://unknown.example")
    assert status == 503 and body["error"] == "database_unavailable" and int(headers["retry-after"]) > 0


def test_the_platforms_own_page_is_allowed_without_any_tenant_origin(world_a, fake_livekit):
    status, headers, _ = call(
        {"restaurant_id": world_a.restaurant.public_id}, origin=settings.PLATFORM_BASE_URL
    )
    assert status == 200
    assert headers["access-control-allow-origin"] == settings.PLATFORM_BASE_URL


def test_a_server_with_a_key_gets_no_cors_for_an_origin_no_tenant_allows(world_a, fake_livekit):
    from tenants.api_keys import api_key_create

    _, key = api_key_create(tenant=world_a.tenant)
    status, headers, _ = call(
        {"restaurant_id": world_a.restaurant.public_id},
        origin="https://anything.example",
        authorization=f"Bearer {key}",
    )
    assert status == 200
    assert "access-control-allow-origin" not in headers
