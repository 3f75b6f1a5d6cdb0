"""Go live: new restaurants start not live, the checklist gates "Go live", and diners are told plainly."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from calls.models import CallRefusalCount
from calls.refusals import call_refusals_flush
from owners.checklist import golive_checklist, restaurant_badge
from tenants.cache import restaurant_snapshot_get
from tenants.models import AllowedOrigin, Restaurant
from tenants.tests.factories import (
    AllowedOriginFactory,
    MenuCategoryFactory,
    MenuItemFactory,
    OpeningHoursFactory,
)

pytestmark = pytest.mark.django_db


def _new_restaurant(world, **fields) -> Restaurant:
    # As an owner or the onboarding creates one: nothing set, not live.
    return Restaurant.objects.create(tenant=world.tenant, name="Fresh Start", **fields)


def _complete(restaurant: Restaurant) -> None:
    OpeningHoursFactory(restaurant=restaurant)
    item = MenuItemFactory(category=MenuCategoryFactory(restaurant=restaurant), name="Soup")
    item.allergens = ["celery"]
    item.save()
    restaurant.greeting = "Hello, Fresh Start here."
    restaurant.save()
    AllowedOriginFactory(tenant=restaurant.tenant, origin="https://fresh.example")


def test_a_new_restaurant_is_not_live_and_says_how_many_items_are_left(world_a):
    restaurant = _new_restaurant(world_a)
    assert restaurant.went_live_at is None
    snapshot = restaurant_snapshot_get(public_id=restaurant.public_id)
    assert snapshot.live is False
    checklist = golive_checklist(restaurant=restaurant, snapshot=snapshot)
    # hours, menu, greeting, website (the world's tenant has no allowed origin); locale has defaults
    assert checklist.required_left == 4
    badge = restaurant_badge(restaurant=restaurant, snapshot=snapshot)
    assert badge.text == "Not live (4 items left)"


def test_the_connection_endpoint_and_status_check_refuse_a_restaurant_not_live_yet(world_a, settings):
    restaurant = _new_restaurant(world_a)
    client = Client()
    origin = settings.PLATFORM_BASE_URL
    response = client.post(
        "/api/connection-details",
        data=json.dumps({"restaurant_id": restaurant.public_id}),
        content_type="application/json",
        HTTP_ORIGIN=origin,
    )
    assert response.status_code == 403
    assert response.json() == {
        "error": "not_live",
        "detail": "This restaurant is not taking calls yet.",
        "name": "Fresh Start",  # no phone number set: none offered
    }
    status = client.get(f"/api/restaurant-status?restaurant_id={restaurant.public_id}", HTTP_ORIGIN=origin)
    assert status.status_code == 403 and status.json()["error"] == "not_live"
    assert status["Access-Control-Allow-Origin"] == origin
    # The refusal is counted in Redis, and lands in Postgres when beat flushes it.
    assert call_refusals_flush() == 1
    row = CallRefusalCount.objects.get(restaurant=restaurant)
    assert (row.reason, row.count) == ("not_live", 1)


def test_status_check_says_taking_calls_for_a_live_restaurant_and_404_elsewhere(world_a, world_b, settings):
    client = Client()
    ok = client.get(
        f"/api/restaurant-status?restaurant_id={world_a.restaurant.public_id}",
        HTTP_ORIGIN=settings.PLATFORM_BASE_URL,
    )
    assert ok.status_code == 200 and ok.json()["status"] == "taking_calls"
    AllowedOrigin.objects.create(tenant=world_b.tenant, origin="https://bravo.example")
    other = client.get(
        f"/api/restaurant-status?restaurant_id={world_a.restaurant.public_id}",
        HTTP_ORIGIN="https://bravo.example",
    )
    assert other.status_code == 404


def test_go_live_is_refused_until_the_required_items_pass_then_calls_start(
    world_a, fake_livekit, django_capture_on_commit_callbacks
):
    restaurant = _new_restaurant(world_a)
    client = world_a.client_for(world_a.owner)
    go_live = reverse("admin:tenants_restaurant_go_live", args=[restaurant.pk])
    response = client.post(go_live, {"action": "live"}, follow=True)
    assert "Not ready to go live yet: opening hours are set, the menu has dishes" in response.content.decode()
    restaurant.refresh_from_db()
    assert restaurant.went_live_at is None

    with django_capture_on_commit_callbacks(execute=True):
        _complete(restaurant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(go_live, {"action": "live"}, follow=True)
    assert "Fresh Start is live: diners can call now." in response.content.decode()
    restaurant.refresh_from_db()
    assert restaurant.is_live
    started = Client().post(
        "/api/connection-details",
        data=json.dumps({"restaurant_id": restaurant.public_id}),
        content_type="application/json",
        HTTP_ORIGIN="https://fresh.example",
    )
    assert started.status_code == 200, started.content
    assert len(fake_livekit.dispatches) == 1


def test_staff_members_cannot_go_live_and_outsiders_cannot_see_it(world_a, world_b, outsider):
    restaurant = _new_restaurant(world_a)
    _complete(restaurant)
    go_live = reverse("admin:tenants_restaurant_go_live", args=[restaurant.pk])
    for user, expected in ((world_b.owner, 404), (outsider, {302, 403, 404})):
        client = Client()
        client.force_login(user)
        response = client.post(go_live, {"action": "live"})
        assert response.status_code in (expected if isinstance(expected, set) else {expected})
    restaurant.refresh_from_db()
    assert restaurant.went_live_at is None  # nothing changed


def test_migrated_rows_are_live_and_the_badge_shows_it(world_a):
    restaurant = world_a.restaurant
    snapshot = restaurant_snapshot_get(public_id=restaurant.public_id)
    assert snapshot.live is True
    assert restaurant_badge(restaurant=restaurant, snapshot=snapshot).text == "Live"
    page = world_a.client_for(world_a.owner).get(reverse("admin:tenants_restaurant_changelist"))
    assert "hl-badge-live" in page.content.decode()


def test_suspended_tenant_shows_a_banner_and_badge(world_a):
    from tenants.onboarding import tenant_suspend

    tenant_suspend(tenant=world_a.tenant, reason="the invoice of October is unpaid")
    client = world_a.client_for(world_a.owner)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Your account is suspended: the invoice of October is unpaid." in index
    assert "Suspended (the invoice of October is unpaid)" in index
    page = client.get(
        reverse("admin:tenants_restaurant_agent", args=[world_a.restaurant.pk])
    ).content.decode()
    assert "Your account is suspended" in page


def test_refusal_counts_land_on_quarter_hours_and_add_up(world_a):
    from calls.refusals import call_refusal_count

    at = dt.datetime(2026, 11, 28, 23, 59, tzinfo=dt.UTC)
    for _ in range(3):
        call_refusal_count(public_id=world_a.restaurant.public_id, reason="busy", now=at)
    call_refusal_count(public_id="r_unknown000000000", reason="busy", now=at)
    call_refusal_count(public_id=world_a.restaurant.public_id, reason="nonsense", now=at)
    assert call_refusals_flush() == 3
    call_refusal_count(public_id=world_a.restaurant.public_id, reason="busy", now=at)
    assert call_refusals_flush() == 1
    row = CallRefusalCount.objects.get()
    assert row.count == 4 and row.period_start == dt.datetime(2026, 11, 28, 23, 45, tzinfo=dt.UTC)
    assert call_refusals_flush() == 0


def test_the_api_docs_page_loads_nothing_from_a_cdn(client):
    body = client.get("/api/docs/").content.decode()
    assert "/api/docs/redoc.standalone.js" in body  # the sidecar's Redoc, served by this server
    assert "cdn." not in body and "jsdelivr" not in body


def test_operators_and_outsiders_get_an_index_page(world_a, operator, outsider):
    client = world_a.client_for(operator)
    body = client.get(reverse("admin:index")).content.decode()
    assert "Calls dashboard" in body and "every tenant" in body
    body = world_a.client_for(outsider).get(reverse("admin:index")).content.decode()
    assert "hl-owner-panel" not in body and "Alpha" not in body
