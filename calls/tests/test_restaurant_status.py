"""GET /api/restaurant-status (asked by every widget when it loads) and the refusals' phone number.

A diner must never be left at a dead end: whenever the platform answers about a known restaurant
(taking calls or not, busy, voice service down) it names the restaurant and gives its phone number, so
the widget can offer a tel: link. "Not available here" stays indistinguishable from an unknown id.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from calls.admission import session_slot_acquire
from calls.api.restaurant_status import REFUSAL_MAX_AGE_SECONDS, STATUS_MAX_AGE_SECONDS
from tenants.cache import restaurant_snapshot_invalidate
from tenants.models import Restaurant, Tenant
from tenants.tests.factories import AllowedOriginFactory

pytestmark = pytest.mark.django_db

ORIGIN_A = "https://alpha.example"
ORIGIN_B = "https://bravo.example"


@pytest.fixture
def origins(world_a, world_b) -> None:
    AllowedOriginFactory(tenant=world_a.tenant, origin=ORIGIN_A)
    AllowedOriginFactory(tenant=world_b.tenant, origin=ORIGIN_B)


def status(public_id: str, origin: str | None = ORIGIN_A):
    extra = {"HTTP_ORIGIN": origin} if origin else {}
    return Client().get(f"/api/restaurant-status?restaurant_id={public_id}", **extra)


def start(public_id: str, origin: str = ORIGIN_A):
    return Client().post(
        "/api/connection-details",
        data=json.dumps({"restaurant_id": public_id}),
        content_type="application/json",
        HTTP_ORIGIN=origin,
    )


def test_a_live_restaurant_is_named_with_its_phone_and_the_answer_may_be_cached(world_a, origins):
    response = status(world_a.restaurant.public_id)
    assert response.status_code == 200
    assert response.json() == {"status": "taking_calls", "name": "Alpha Bistro", "phone": "+44 20 7946 0000"}
    assert response["Cache-Control"] == f"public, max-age={STATUS_MAX_AGE_SECONDS}"
    # One answer per website (the widget sends no cookies, so the session middleware's Cookie adds none).
    assert "Origin" in response["Vary"]
    assert response["Access-Control-Allow-Origin"] == ORIGIN_A


def test_no_phone_number_set_means_no_phone_field(world_a, origins):
    Restaurant.objects.filter(pk=world_a.restaurant.pk).update(phone="")
    restaurant_snapshot_invalidate(public_ids=[world_a.restaurant.public_id])
    assert status(world_a.restaurant.public_id).json() == {"status": "taking_calls", "name": "Alpha Bistro"}


def test_with_the_restaurant_cached_a_status_check_reads_no_sql(world_a, origins, django_assert_num_queries):
    status(world_a.restaurant.public_id)  # fills the snapshot and the allowed-origins set
    with django_assert_num_queries(0):
        response = status(world_a.restaurant.public_id)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ORIGIN_A


def test_a_suspended_restaurant_is_refused_with_its_phone_number(world_a, origins):
    tenant = Tenant.objects.get(pk=world_a.tenant.pk)
    tenant.status = Tenant.Status.SUSPENDED
    tenant.save()

    checked = status(world_a.restaurant.public_id)
    assert checked.status_code == 403
    assert checked.json()["error"] == "not_taking_calls"
    assert checked.json()["phone"] == "+44 20 7946 0000"
    assert checked["Cache-Control"] == f"public, max-age={REFUSAL_MAX_AGE_SECONDS}", "lifted within seconds"

    refused = start(world_a.restaurant.public_id)
    assert refused.status_code == 403
    assert (refused.json()["error"], refused.json()["phone"]) == ("not_taking_calls", "+44 20 7946 0000")


def test_a_restaurant_not_live_yet_gives_its_phone_number(world_a, origins):
    Restaurant.objects.filter(pk=world_a.restaurant.pk).update(went_live_at=None)
    restaurant_snapshot_invalidate(public_ids=[world_a.restaurant.public_id])
    for response in (status(world_a.restaurant.public_id), start(world_a.restaurant.public_id)):
        assert response.status_code == 403
        assert response.json()["error"] == "not_live"
        assert response.json()["phone"] == "+44 20 7946 0000"
        assert response.json()["name"] == "Alpha Bistro"


def test_another_tenants_website_learns_nothing_about_the_restaurant(world_a, origins):
    for response in (
        status(world_a.restaurant.public_id, origin=ORIGIN_B),
        start(world_a.restaurant.public_id, origin=ORIGIN_B),
    ):
        assert response.status_code == 404
        assert set(response.json()) == {"error", "detail"}, "no name or phone: looks like an unknown id"
    assert status("r_unknown1", origin=ORIGIN_B).json()["error"] == "restaurant_not_found"


def test_busy_lines_give_the_phone_number(world_a, origins, fake_livekit):
    Tenant.objects.filter(pk=world_a.tenant.pk).update(max_concurrent_sessions=1)
    restaurant_snapshot_invalidate(public_ids=[world_a.restaurant.public_id])
    assert session_slot_acquire(tenant_id=world_a.tenant.pk, room_name="hl-other", limit=1)
    busy = start(world_a.restaurant.public_id)
    assert busy.status_code == 429
    assert busy.json()["phone"] == "+44 20 7946 0000"
    assert int(busy["Retry-After"]) > 0


def test_a_voice_service_outage_gives_the_phone_number(world_a, origins, fake_livekit):
    fake_livekit.fail_status = 500
    down = start(world_a.restaurant.public_id)
    assert down.status_code == 503
    assert (down.json()["error"], down.json()["phone"]) == ("voice_service_unavailable", "+44 20 7946 0000")


def test_a_throttled_status_check_is_not_cached(world_a, origins, settings):
    settings.CONNECTION_DETAILS_RATE_PER_IP = "1/minute"
    assert status(world_a.restaurant.public_id).status_code == 200
    throttled = status(world_a.restaurant.public_id)
    assert throttled.status_code == 429
    assert throttled["Cache-Control"] == "no-store"
    assert int(throttled["Retry-After"]) > 0


def test_the_platforms_own_pages_send_no_origin_on_a_same_origin_get_and_are_answered(world_a):
    response = status(world_a.restaurant.public_id, origin=None)
    assert response.status_code == 200
    assert response.json()["name"] == "Alpha Bistro"
    assert "Access-Control-Allow-Origin" not in response
