"""POST /api/connection-details against a local fake of LiveKit's server API."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request

import jwt
import pytest
from django.conf import settings
from django.test import Client

from calls.admission import session_slots_in_use
from calls.contract import AGENT_NAME, MAX_CONTEXT_BYTES, parse_job_metadata
from core.livekit import livekit_client_reset
from tenants.api_keys import api_key_create, api_key_revoke
from tenants.models import Restaurant, Tenant
from tenants.tests.factories import AllowedOriginFactory, RestaurantFactory

pytestmark = pytest.mark.django_db

URL = "/api/connection-details"
ORIGIN_A = "https://alpha.example"
ORIGIN_B = "https://bravo.example"


@pytest.fixture
def origins(world_a, world_b) -> None:
    AllowedOriginFactory(tenant=world_a.tenant, origin=ORIGIN_A)
    AllowedOriginFactory(tenant=world_b.tenant, origin=ORIGIN_B)


def post(body: dict, origin: str | None = ORIGIN_A, **headers: str):
    extra = {"HTTP_ORIGIN": origin} if origin else {}
    extra.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    return Client().post(URL, data=json.dumps(body), content_type="application/json", **extra)


def test_a_diner_gets_a_token_for_a_new_room_with_the_agent_dispatched(world_a, origins, fake_livekit):
    response = post({"restaurant_id": world_a.restaurant.public_id, "language": "fr"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"serverUrl", "participantToken", "roomName", "participantIdentity", "expiresAt"}
    assert body["serverUrl"] == settings.LIVEKIT_URL
    assert body["roomName"].startswith(f"hl-{world_a.restaurant.public_id}-")
    assert response["Access-Control-Allow-Origin"] == ORIGIN_A

    [dispatch] = fake_livekit.dispatches
    assert dispatch.content_type == "application/protobuf"
    assert dispatch.message["room"] == body["roomName"]
    assert dispatch.message["agentName"] == AGENT_NAME
    metadata = parse_job_metadata(dispatch.message["metadata"])
    assert metadata.restaurant_id == world_a.restaurant.public_id
    assert metadata.tenant_id == world_a.tenant.pk
    assert metadata.language == "fr"

    claims = jwt.decode(body["participantToken"], settings.LIVEKIT_API_SECRET, algorithms=["HS256"])
    assert claims["sub"] == body["participantIdentity"]
    assert claims["video"] == {
        "roomJoin": True,
        "room": body["roomName"],
        "canPublish": True,
        "canSubscribe": True,
        "canPublishData": True,
    }
    assert claims["exp"] - claims["nbf"] <= 15 * 60
    assert session_slots_in_use(tenant_id=world_a.tenant.pk) == 1


def test_every_session_gets_its_own_room(world_a, origins, fake_livekit):
    rooms = {post({"restaurant_id": world_a.restaurant.public_id}).json()["roomName"] for _ in range(3)}
    assert len(rooms) == 3


def test_the_fake_speaks_json_twirp_too(world_a, fake_livekit):
    """Sanity check of the test double itself, with the JSON flavour of Twirp."""
    from livekit import api

    token = (
        api.AccessToken(settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET)
        .with_grants(api.VideoGrants(room_admin=True, room="r1"))
        .to_jwt()
    )
    request = urllib.request.Request(  # noqa: S310 - loopback test server
        f"{fake_livekit.url}/twirp/livekit.AgentDispatchService/CreateDispatch",
        data=json.dumps({"room": "r1", "agentName": AGENT_NAME, "metadata": "{}"}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=5) as reply:  # noqa: S310 - loopback test server
        assert json.loads(reply.read())["agentName"] == AGENT_NAME


def test_the_fake_rejects_a_token_signed_with_another_secret(world_a, origins, fake_livekit, settings):
    settings.LIVEKIT_API_SECRET = "not-the-secret-the-server-knows-0123456789"
    livekit_client_reset()
    response = post({"restaurant_id": world_a.restaurant.public_id})
    assert response.status_code == 503
    assert fake_livekit.dispatches == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "restaurant_id"),
        ({"restaurant_id": "../etc"}, "restaurant_id"),
        ({"restaurant_id": "r_x", "language": "French!"}, "language"),
    ],
)
def test_bad_bodies_are_400_with_the_field_named(origins, body, field):
    response = post(body)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_malformed_json_is_400(origins):
    response = Client().post(URL, data="{not json", content_type="application/json", HTTP_ORIGIN=ORIGIN_A)
    assert response.status_code == 400
    assert response.json()["error"] == "parse_error"


def test_unknown_and_other_tenants_ids_look_exactly_the_same(world_a, world_b, origins, fake_livekit):
    unknown = post({"restaurant_id": "r_0000000000000000"})
    foreign = post({"restaurant_id": world_b.restaurant.public_id})
    assert unknown.status_code == foreign.status_code == 404
    assert unknown.json()["error"] == foreign.json()["error"] == "restaurant_not_found"
    assert fake_livekit.dispatches == []


def test_an_origin_no_tenant_allows_is_refused_and_gets_no_cors(world_a, origins, fake_livekit):
    response = post({"restaurant_id": world_a.restaurant.public_id}, origin="https://evil.example")
    assert response.status_code == 404
    assert "Access-Control-Allow-Origin" not in response
    preflight = Client().options(
        URL, HTTP_ORIGIN="https://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "Access-Control-Allow-Origin" not in preflight
    assert fake_livekit.dispatches == []


def test_preflight_answers_allowed_origins_only_never_star(origins):
    preflight = Client().options(URL, HTTP_ORIGIN=ORIGIN_A, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == ORIGIN_A
    assert "POST" in preflight["Access-Control-Allow-Methods"]


def test_the_platforms_own_demo_page_is_always_allowed(world_a, fake_livekit):
    response = post({"restaurant_id": world_a.restaurant.public_id}, origin=settings.PLATFORM_BASE_URL)
    assert response.status_code == 200


def test_no_origin_and_no_key_is_403(world_a, fake_livekit):
    response = post({"restaurant_id": world_a.restaurant.public_id}, origin=None)
    assert response.status_code == 403
    assert "Origin" in response.json()["detail"]


def test_suspended_tenant_and_inactive_restaurant_are_403(world_a, origins, fake_livekit):
    Restaurant.objects.filter(pk=world_a.restaurant.pk).update(is_active=False)
    from tenants.cache import restaurant_snapshot_invalidate

    restaurant_snapshot_invalidate(public_ids=[world_a.restaurant.public_id])
    assert post({"restaurant_id": world_a.restaurant.public_id}).json()["error"] == "not_taking_calls"

    Restaurant.objects.filter(pk=world_a.restaurant.pk).update(is_active=True)
    tenant = Tenant.objects.get(pk=world_a.tenant.pk)
    tenant.status = Tenant.Status.SUSPENDED
    tenant.save()  # the signal invalidates the cached snapshot: suspension is immediate
    response = post({"restaurant_id": world_a.restaurant.public_id})
    assert response.status_code == 403
    assert fake_livekit.dispatches == []


def test_server_callers_use_a_per_tenant_key_and_may_send_context(world_a, world_b, fake_livekit):
    _, key = api_key_create(tenant=world_a.tenant)
    response = post(
        {"restaurant_id": world_a.restaurant.public_id, "context": {"caller_name": "Ada", "user_id": 42}},
        origin=None,
        authorization=f"Bearer {key}",
    )
    assert response.status_code == 200
    assert parse_job_metadata(fake_livekit.dispatches[0].message["metadata"]).context == {
        "caller_name": "Ada",
        "user_id": 42,
    }
    # The key of tenant A opens nothing of tenant B.
    foreign = post(
        {"restaurant_id": world_b.restaurant.public_id}, origin=None, authorization=f"Bearer {key}"
    )
    assert foreign.status_code == 404


def test_bad_and_revoked_keys_are_403(world_a, fake_livekit):
    api_key, key = api_key_create(tenant=world_a.tenant)
    assert (
        post(
            {"restaurant_id": world_a.restaurant.public_id}, origin=None, authorization="Bearer hl_nope_nope"
        ).status_code
        == 403
    )
    api_key_revoke(api_key=api_key)
    assert (
        post(
            {"restaurant_id": world_a.restaurant.public_id}, origin=None, authorization=f"Bearer {key}"
        ).status_code
        == 403
    )
    assert fake_livekit.dispatches == []


def test_keys_are_stored_hashed(world_a):
    api_key, key = api_key_create(tenant=world_a.tenant)
    assert key.split("_", 2)[2] not in api_key.hashed_key
    assert api_key.prefix in key


def test_browsers_may_not_send_context_and_context_is_size_capped(world_a, origins, fake_livekit):
    from_browser = post({"restaurant_id": world_a.restaurant.public_id, "context": {"user_id": 1}})
    assert from_browser.status_code == 400
    _, key = api_key_create(tenant=world_a.tenant)
    huge = post(
        {"restaurant_id": world_a.restaurant.public_id, "context": {"notes": "x" * (MAX_CONTEXT_BYTES + 1)}},
        origin=None,
        authorization=f"Bearer {key}",
    )
    assert huge.status_code == 400
    assert fake_livekit.dispatches == []
    assert session_slots_in_use(tenant_id=world_a.tenant.pk) == 0


def test_the_tenants_concurrent_session_cap_is_a_clear_429(world_a, origins, fake_livekit):
    Tenant.objects.filter(pk=world_a.tenant.pk).update(max_concurrent_sessions=2)
    assert post({"restaurant_id": world_a.restaurant.public_id}).status_code == 200
    assert post({"restaurant_id": world_a.restaurant.public_id}).status_code == 200
    full = post({"restaurant_id": world_a.restaurant.public_id})
    assert full.status_code == 429
    assert full.json()["error"] == "too_many_sessions"
    assert int(full["Retry-After"]) > 0
    assert len(fake_livekit.dispatches) == 2


def test_a_session_that_never_starts_frees_its_slot(world_a, origins, fake_livekit, monkeypatch):
    Tenant.objects.filter(pk=world_a.tenant.pk).update(max_concurrent_sessions=1)
    assert post({"restaurant_id": world_a.restaurant.public_id}).status_code == 200
    assert post({"restaurant_id": world_a.restaurant.public_id}).status_code == 429
    import time as real_time

    later = real_time.time() + 121
    monkeypatch.setattr("calls.admission.time.time", lambda: later)
    assert post({"restaurant_id": world_a.restaurant.public_id}).status_code == 200


@pytest.mark.parametrize("failure", ["error", "slow", "down"])
def test_livekit_trouble_is_503_with_retry_after_and_no_slot_held(
    world_a, origins, fake_livekit, settings, failure
):
    if failure == "error":
        fake_livekit.fail_status = 500
    elif failure == "slow":
        fake_livekit.delay_seconds = 3
    else:
        settings.LIVEKIT_URL = "http://127.0.0.1:1"
        livekit_client_reset()
    started = dt.datetime.now()
    response = post({"restaurant_id": world_a.restaurant.public_id})
    assert response.status_code == 503
    assert response.json()["error"] == "voice_service_unavailable"
    assert int(response["Retry-After"]) > 0
    assert dt.datetime.now() - started < dt.timedelta(seconds=3)  # the time limit holds
    assert session_slots_in_use(tenant_id=world_a.tenant.pk) == 0


def test_throttled_per_ip_with_retry_after(world_a, origins, fake_livekit, settings):
    settings.CONNECTION_DETAILS_RATE_PER_IP = "2/minute"
    for _ in range(2):
        post({"restaurant_id": world_a.restaurant.public_id})
    response = post({"restaurant_id": world_a.restaurant.public_id})
    assert response.status_code == 429
    assert response.json()["error"] == "throttled"
    assert 1 <= int(response["Retry-After"]) <= 60


def test_the_rate_window_slides_and_says_exactly_when_to_come_back(
    world_a, origins, fake_livekit, settings, monkeypatch
):
    settings.CONNECTION_DETAILS_RATE_PER_IP = "2/minute"
    clock = {"now": 1_000_000.0}
    monkeypatch.setattr("calls.admission.time.time", lambda: clock["now"])
    restaurant_id = world_a.restaurant.public_id

    assert post({"restaurant_id": restaurant_id}).status_code == 200
    clock["now"] += 20
    assert post({"restaurant_id": restaurant_id}).status_code == 200
    clock["now"] += 10
    refused = post({"restaurant_id": restaurant_id})
    clock["now"] += 30.5  # the first request has left the window
    again = post({"restaurant_id": restaurant_id})

    assert refused.status_code == 429 and refused["Retry-After"] == "30"
    assert again.status_code == 200


def test_each_restaurant_has_its_own_request_rate(world_a, world_b, origins, fake_livekit, settings):
    settings.CONNECTION_DETAILS_RATE_PER_RESTAURANT = "2/minute"
    other = RestaurantFactory(tenant=world_a.tenant, name="Alpha Annex")

    statuses = [post({"restaurant_id": world_a.restaurant.public_id}).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert post({"restaurant_id": other.public_id}).status_code == 200


def test_openapi_schema_and_docs_are_served():
    schema = Client().get("/api/schema/")
    assert schema.status_code == 200
    assert "/api/connection-details" in schema.content.decode()
    assert Client().get("/api/docs/").status_code == 200


def test_operators_mint_a_key_that_is_shown_once_and_works(world_a, operator, fake_livekit):
    client = world_a.client_for(operator)
    response = client.post(
        "/admin/tenants/tenant/",
        {"action": "create_api_key", "_selected_action": [world_a.tenant.pk]},
    )
    assert "no-store" in response["Cache-Control"]
    [(_, key)] = response.context["created"]
    assert key.startswith("hl_")
    assert key in response.content.decode()
    assert key not in client.get(f"/admin/tenants/tenant/{world_a.tenant.pk}/change/").content.decode()
    ok = post({"restaurant_id": world_a.restaurant.public_id}, origin=None, authorization=f"Bearer {key}")
    assert ok.status_code == 200


def test_owners_cannot_mint_keys(world_a):
    client = world_a.client_for(world_a.owner)
    client.post(
        "/admin/tenants/tenant/", {"action": "create_api_key", "_selected_action": [world_a.tenant.pk]}
    )
    assert not world_a.tenant.api_keys.exists()


def test_the_zero_config_local_run_without_redis_still_answers_cleanly(world_a, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.LIVEKIT_URL = "http://127.0.0.1:1"  # and no LiveKit server either
    livekit_client_reset()
    response = post({"restaurant_id": world_a.restaurant.public_id}, origin=settings.PLATFORM_BASE_URL)
    assert response.status_code == 503
    assert response.json()["error"] == "voice_service_unavailable"


def test_browsers_get_the_public_livekit_address_when_the_servers_use_another(
    world_a, origins, fake_livekit, settings
):
    settings.LIVEKIT_PUBLIC_URL = "wss://livekit.hostline.example"

    response = post({"restaurant_id": world_a.restaurant.public_id})

    assert response.json()["serverUrl"] == "wss://livekit.hostline.example"
    assert len(fake_livekit.dispatches) == 1, "the dispatch still went to the internal address"


def test_with_redis_down_diners_still_get_a_call_and_operators_see_why(
    world_a, origins, fake_livekit, settings
):
    from prometheus_client import REGISTRY

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    throttle_errors = REGISTRY.get_sample_value("hostline_redis_errors_total", {"use": "throttle"}) or 0
    slot_errors = REGISTRY.get_sample_value("hostline_redis_errors_total", {"use": "session_slots"}) or 0

    response = post({"restaurant_id": world_a.restaurant.public_id})

    assert response.status_code == 200, response.content
    assert len(fake_livekit.dispatches) == 1
    assert (
        REGISTRY.get_sample_value("hostline_redis_errors_total", {"use": "throttle"}) == throttle_errors + 2
    )
    assert (
        REGISTRY.get_sample_value("hostline_redis_errors_total", {"use": "session_slots"}) == slot_errors + 1
    )


@pytest.mark.parametrize(
    "body",
    [
        {"restaurant_id": "r_abc"},
        {"restaurant_id": "r_abc", "language": "fr"},
        {"restaurant_id": "r_abc", "language": "pt-BR", "context": {"a": 1}, "extra": True},
        {"restaurant_id": " r_abc "},
        {"restaurant_id": "r_abc\n"},
        {"restaurant_id": 123},
        {"restaurant_id": True},
        {"restaurant_id": ""},
        {"restaurant_id": "x" * 33},
        {"restaurant_id": "r_abc", "language": None},
        {"restaurant_id": "r_abc", "language": ""},
        {"restaurant_id": "r_abc", "language": "FR"},
        {"restaurant_id": "r_abc", "context": []},
        {"restaurant_id": "r_abc", "context": {}},
        [],
        "r_abc",
        None,
    ],
)
def test_the_fast_body_check_never_disagrees_with_the_serializer(body):
    from calls.api.connection_details import InputSerializer, plainly_valid

    serializer = InputSerializer(data=body)
    fast = plainly_valid(body)
    if fast is not None:
        assert serializer.is_valid()
        assert fast == dict(serializer.validated_data)
