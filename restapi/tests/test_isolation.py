"""Another tenant's key: 404 on every endpoint and object of this tenant, and nothing changed."""

from __future__ import annotations

import pytest
from django.core import serializers as django_serializers

from calls.models import CallRecord
from calls.schema import CallRecordPayload
from calls.services import call_record_store
from calls.tests.factories import call_payload
from tenants.models import MenuCategory, MenuItem, OpeningHours, Restaurant, SpecialDate

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def _fingerprint() -> str:
    rows = [
        *Restaurant.objects.order_by("pk"),
        *OpeningHours.objects.order_by("pk"),
        *SpecialDate.objects.order_by("pk"),
        *MenuCategory.objects.order_by("pk"),
        *MenuItem.objects.order_by("pk"),
        *CallRecord.objects.order_by("pk"),
    ]
    return django_serializers.serialize("json", rows)


def _requests(world_a):
    rid = world_a.restaurant.public_id
    category = MenuCategory.objects.get(restaurant=world_a.restaurant)
    item = MenuItem.objects.get(restaurant=world_a.restaurant)
    item.external_id = "SKU-A"
    item.save()
    call = call_record_store(payload=CallRecordPayload.model_validate(call_payload(world_a.restaurant)))
    any_ = {"If-Match": "*"}
    return [
        ("get", f"{V1}/restaurants/{rid}", None, {}),
        ("patch", f"{V1}/restaurants/{rid}", {"name": "Stolen"}, any_),
        ("get", f"{V1}/restaurants/{rid}/hours", None, {}),
        ("put", f"{V1}/restaurants/{rid}/hours", {"intervals": []}, any_),
        (
            "post",
            f"{V1}/restaurants/{rid}/hours",
            {"weekday": "monday", "opens_at": "01:00", "closes_at": "02:00"},
            {},
        ),
        ("get", f"{V1}/restaurants/{rid}/special-dates", None, {}),
        ("put", f"{V1}/restaurants/{rid}/special-dates", {"special_dates": []}, any_),
        ("post", f"{V1}/restaurants/{rid}/special-dates", {"date": "2030-01-01"}, {}),
        ("get", f"{V1}/restaurants/{rid}/menu/categories", None, {}),
        ("post", f"{V1}/restaurants/{rid}/menu/categories", {"name": "Planted"}, {}),
        ("get", f"{V1}/restaurants/{rid}/menu/items", None, {}),
        (
            "post",
            f"{V1}/restaurants/{rid}/menu/items",
            {"category_id": category.pk, "name": "X", "price": "1"},
            {},
        ),
        (
            "post",
            f"{V1}/restaurants/{rid}/menu/availability",
            {"external_ids": ["SKU-A"], "available": False},
            {},
        ),
        ("get", f"{V1}/menu/categories/{category.pk}", None, {}),
        ("patch", f"{V1}/menu/categories/{category.pk}", {"name": "Stolen"}, any_),
        ("get", f"{V1}/menu/items/{item.pk}", None, {}),
        ("patch", f"{V1}/menu/items/{item.pk}", {"price": "0.01"}, any_),
        ("post", f"{V1}/menu/items/{item.pk}/availability", {"available": False}, {}),
        ("delete", f"{V1}/menu/items/{item.pk}", None, {}),
        ("get", f"{V1}/calls/{call.job_id}", None, {}),
        ("delete", f"{V1}/menu/categories/{category.pk}", None, {}),
    ]


def test_every_endpoint_and_object_of_another_tenant_is_a_404_and_nothing_changes(world_a, world_b, api_b):
    requests = _requests(world_a)
    before = _fingerprint()
    for method, path, body, headers in requests:
        response = getattr(api_b, method)(path, body, headers=headers)
        assert response.status_code == 404, (method, path, response.status_code)
        assert response.json()["error"] == "not_found"
        assert "Alpha" not in response.content.decode()
    assert _fingerprint() == before


def test_a_tenant_sees_only_its_own_lists(world_a, world_b, api_b):
    call_record_store(payload=CallRecordPayload.model_validate(call_payload(world_a.restaurant)))
    restaurants = api_b.get(f"{V1}/restaurants").json()["results"]
    assert [r["id"] for r in restaurants] == [world_b.restaurant.public_id]
    assert api_b.get(f"{V1}/calls").json()["count"] == 0
    assert api_b.get(f"{V1}/calls", {"restaurant": world_a.restaurant.public_id}).json()["count"] == 0


def test_an_item_cannot_be_moved_into_another_tenants_category(world_a, world_b, api_b):
    item_b = MenuItem.objects.get(restaurant=world_b.restaurant)
    category_a = MenuCategory.objects.get(restaurant=world_a.restaurant)
    before = _fingerprint()
    response = api_b.patch(
        f"{V1}/menu/items/{item_b.pk}", {"category_id": category_a.pk}, headers={"If-Match": "*"}
    )
    assert response.status_code == 400 and "No such category" in str(response.json()["fields"])
    response = api_b.post(
        f"{V1}/restaurants/{world_b.restaurant.public_id}/menu/items",
        {"category_id": category_a.pk, "name": "Cuckoo", "price": "1.00"},
    )
    assert response.status_code == 400
    assert _fingerprint() == before


def test_the_owner_key_works_on_the_same_requests(world_a, api_a):
    """The matrix's other half: the same requests with the owner's key are not 404 (so the test can fail)."""
    for method, path, body, headers in _requests(world_a):
        response = getattr(api_a, method)(path, body, headers=headers)
        assert response.status_code in (200, 201, 204), (method, path, response.status_code, response.content)
