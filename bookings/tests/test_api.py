"""The bookings API with a tenant's API key: list a day, create, cancel; never another tenant's."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from bookings.models import Booking, Table
from bookings.services import booking_create
from tenants.api_keys import api_key_create

pytestmark = pytest.mark.django_db
API = "/api/v1/bookings/"


def _day(world, days=10) -> dt.date:
    return (dt.datetime.now(ZoneInfo(world.restaurant.timezone)) + dt.timedelta(days=days)).date()


def _client(world) -> Client:
    _, key = api_key_create(tenant=world.tenant)
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_create_list_and_cancel_with_the_tenants_key(bookable):
    client, day = _client(bookable), _day(bookable)
    body = {
        "restaurant_id": bookable.restaurant.public_id,
        "date": day.isoformat(),
        "time": "19:30",
        "party_size": 4,
        "name": "Api Diner",
        "phone": "020 7946 0018",
    }
    created = client.post(API, body, content_type="application/json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["start"].startswith(f"{day.isoformat()}T19:30:00") and data["phone"] == "+442079460018"
    assert data["status"] == "confirmed" and data["tables"] == ["T2"] and data["channel"] == "api"
    listed = client.get(API, {"restaurant_id": bookable.restaurant.public_id, "date": day.isoformat()})
    assert [b["reference"] for b in listed.json()] == [data["reference"]]
    cancelled = client.post(f"{API}{data['reference'].lower()}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_a_taken_time_is_409_with_alternatives_in_local_time(bookable):
    client, day = _client(bookable), _day(bookable)
    Table.objects.filter(restaurant=bookable.restaurant).exclude(name="T1").update(is_active=False)
    start = dt.datetime.combine(day, dt.time(19, 0), tzinfo=ZoneInfo("Europe/London"))
    booking_create(restaurant=bookable.restaurant, start=start, party_size=2, name="First", for_agent=False)
    response = client.post(
        API,
        {
            "restaurant_id": bookable.restaurant.public_id,
            "date": day.isoformat(),
            "time": "19:00",
            "party_size": 2,
            "name": "B",
            "phone": "+447911123456",
        },
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["error"] == "unavailable"
    # Local time with its offset (London in December is GMT): the table is free again when the first ends.
    assert response.json()["alternatives"][0] == f"{day.isoformat()}T20:30:00+00:00"


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        (
            {
                "restaurant_id": "r_nope",
                "date": "2030-01-01",
                "time": "19:00",
                "party_size": 2,
                "name": "A",
                "phone": "+447911123456",
            },
            404,
            "not_found",
        ),
        ({"date": "2030-01-01"}, 400, "invalid_request"),
        ({"time": "25:00"}, 400, "invalid_request"),
    ],
)
def test_bad_input_gets_a_clear_error_never_a_500(bookable, body, status, error):
    response = _client(bookable).post(API, body, content_type="application/json")
    assert response.status_code == status and response.json()["error"] == error


def test_a_bad_phone_number_is_400_with_words(bookable):
    response = _client(bookable).post(
        API,
        {
            "restaurant_id": bookable.restaurant.public_id,
            "date": _day(bookable).isoformat(),
            "time": "19:00",
            "party_size": 2,
            "name": "A",
            "phone": "12",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "not a phone number" in response.json()["detail"]


def test_no_key_or_a_wrong_key_is_401(bookable):
    assert (
        Client().get(API, {"restaurant_id": bookable.restaurant.public_id, "date": "2030-01-01"}).status_code
        == 401
    )
    bad = Client(headers={"Authorization": "Bearer hl_nope_nope"})
    assert (
        bad.get(API, {"restaurant_id": bookable.restaurant.public_id, "date": "2030-01-01"}).status_code
        == 401
    )


def test_another_tenants_key_sees_and_cancels_nothing(bookable, world_b):
    day = _day(bookable)
    start = dt.datetime.combine(day, dt.time(19, 0), tzinfo=ZoneInfo("Europe/London"))
    booking = booking_create(
        restaurant=bookable.restaurant, start=start, party_size=2, name="Private", phone="+447911123456"
    )
    other = _client(world_b)
    listed = other.get(API, {"restaurant_id": bookable.restaurant.public_id, "date": day.isoformat()})
    assert listed.status_code == 404 and "Private" not in listed.content.decode()
    assert other.post(f"{API}{booking.reference}/cancel").status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_the_bookings_api_is_in_the_openapi_schema(db):
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/bookings/" in schema["paths"] and "/api/v1/bookings/{reference}/cancel" in schema["paths"]
    assert "tenantApiKey" in schema["components"]["securitySchemes"]
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/bookings/"])
