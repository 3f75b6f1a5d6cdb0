from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from calls.models import CallRecord
from calls.schema import CallRecordPayload
from calls.services import call_record_store
from calls.tests.factories import call_payload
from restapi.tests.conftest import api_for
from tenants.api_keys import api_key_revoke
from tenants.models import ApiKey, MenuItem, OpeningHours, SpecialDate
from tenants.onboarding import tenant_suspend

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def test_no_key_a_bad_key_and_a_revoked_key_get_401_in_the_error_shape(world_a, api_a):
    from django.test import Client

    response = Client().get(f"{V1}/restaurants")
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated" and response["WWW-Authenticate"].startswith(
        "Bearer"
    )
    response = Client(HTTP_AUTHORIZATION="Bearer hl_nope_nope").get(f"{V1}/restaurants")
    assert response.status_code == 401 and "Unknown or revoked" in response.json()["detail"]
    api_key_revoke(api_key=ApiKey.objects.get(tenant=world_a.tenant))
    assert api_a.get(f"{V1}/restaurants").status_code == 401


def test_a_suspended_tenants_key_is_refused(world_a, api_a):
    tenant_suspend(tenant=world_a.tenant)
    response = api_a.get(f"{V1}/restaurants")
    assert response.status_code == 403 and "suspended" in response.json()["detail"]


def test_scopes_limit_what_a_key_may_do(world_a):
    connection_only = api_for(world_a, scopes=[])
    assert connection_only.get(f"{V1}/restaurants").status_code == 403
    read_only = api_for(world_a, scopes=["read"])
    rid = world_a.restaurant.public_id
    assert read_only.get(f"{V1}/restaurants/{rid}").status_code == 200
    response = read_only.patch(f"{V1}/restaurants/{rid}", {"cuisine": "Thai"}, headers={"If-Match": "*"})
    assert response.status_code == 403 and "catalog:write" in response.json()["detail"]
    assert read_only.get(f"{V1}/calls").status_code == 403
    calls_only = api_for(world_a, scopes=["calls:read"])
    assert calls_only.get(f"{V1}/calls").status_code == 200
    assert calls_only.get(f"{V1}/restaurants").status_code == 403


def test_restaurants_read_and_update_with_etags(world_a, api_a):
    rid = world_a.restaurant.public_id
    listing = api_a.get(f"{V1}/restaurants").json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == rid
    first = api_a.get(f"{V1}/restaurants/{rid}")
    etag = first["ETag"]
    assert api_a.patch(f"{V1}/restaurants/{rid}", {"cuisine": "Thai"}).status_code == 428
    updated = api_a.patch(f"{V1}/restaurants/{rid}", {"cuisine": "Thai"}, headers={"If-Match": etag})
    assert updated.status_code == 200 and updated.json()["cuisine"] == "Thai"
    # A second integration still holding the old ETag is told, not silently overwriting.
    stale = api_a.patch(f"{V1}/restaurants/{rid}", {"cuisine": "Greek"}, headers={"If-Match": etag})
    assert stale.status_code == 412 and stale.json()["error"] == "precondition_failed"
    world_a.restaurant.refresh_from_db()
    assert world_a.restaurant.cuisine == "Thai"
    bad = api_a.patch(f"{V1}/restaurants/{rid}", {"timezone": "Mars/Olympus"}, headers={"If-Match": "*"})
    assert bad.status_code == 400 and "timezone" in bad.json()["fields"]


def test_weekly_hours_replace_and_add(world_a, api_a):
    rid = world_a.restaurant.public_id
    current = api_a.get(f"{V1}/restaurants/{rid}/hours")
    week = {
        "intervals": [
            {"weekday": "tuesday", "opens_at": "12:00", "closes_at": "14:30"},
            {"weekday": "tuesday", "opens_at": "19:00", "closes_at": "22:30"},
            {"weekday": "saturday", "opens_at": "18:00", "closes_at": "02:00"},
        ]
    }
    replaced = api_a.put(f"{V1}/restaurants/{rid}/hours", week, headers={"If-Match": current["ETag"]})
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json()["intervals"] == week["intervals"]
    assert OpeningHours.objects.filter(restaurant=world_a.restaurant).count() == 3
    added = api_a.post(
        f"{V1}/restaurants/{rid}/hours", {"weekday": "sunday", "opens_at": "11:00", "closes_at": "15:00"}
    )
    assert added.status_code == 201 and len(added.json()["intervals"]) == 4
    same = api_a.post(
        f"{V1}/restaurants/{rid}/hours", {"weekday": "sunday", "opens_at": "11:00", "closes_at": "16:00"}
    )
    assert same.status_code == 400  # the same start twice
    bad = api_a.put(
        f"{V1}/restaurants/{rid}/hours",
        {"intervals": [{"weekday": "monday", "opens_at": "12:00", "closes_at": "12:00"}]},
        headers={"If-Match": "*"},
    )
    assert bad.status_code == 400
    assert OpeningHours.objects.filter(restaurant=world_a.restaurant).count() == 4  # all or nothing


def test_special_dates_replace_from_a_date_and_add(world_a, api_a):
    rid = world_a.restaurant.public_id
    SpecialDate.objects.filter(restaurant=world_a.restaurant).delete()
    api_a.post(f"{V1}/restaurants/{rid}/special-dates", {"date": "2026-01-01", "note": "New Year"})
    current = api_a.get(f"{V1}/restaurants/{rid}/special-dates")
    body = {
        "date_from": "2026-06-01",
        "special_dates": [
            {"date": "2026-12-25", "opens_at": None, "closes_at": None, "note": "Christmas Day"},
            {"date": "2026-12-31", "opens_at": "19:00", "closes_at": "03:00", "note": "New Year's Eve"},
        ],
    }
    response = api_a.put(f"{V1}/restaurants/{rid}/special-dates", body, headers={"If-Match": current["ETag"]})
    assert response.status_code == 200, response.json()
    assert [d["date"] for d in response.json()["special_dates"]] == ["2026-01-01", "2026-12-25", "2026-12-31"]
    window = api_a.get(
        f"{V1}/restaurants/{rid}/special-dates", {"date_from": "2026-12-01", "date_to": "2026-12-26"}
    )
    assert [d["note"] for d in window.json()["special_dates"]] == ["Christmas Day"]
    assert api_a.get(f"{V1}/restaurants/{rid}/special-dates", {"date_from": "soon"}).status_code == 400


def test_a_closure_over_a_date_range_is_one_entry_and_overlaps_are_400(world_a, api_a):
    rid = world_a.restaurant.public_id
    SpecialDate.objects.filter(restaurant=world_a.restaurant).delete()
    christmas = {"date": "2030-12-24", "end_date": "2031-01-06", "note": "Christmas holidays"}
    created = api_a.post(f"{V1}/restaurants/{rid}/special-dates", christmas)
    assert created.status_code == 201, created.json()
    assert created.json()["special_dates"] == [{**christmas, "opens_at": None, "closes_at": None}]
    # A window that starts inside the closure still shows it.
    window = api_a.get(f"{V1}/restaurants/{rid}/special-dates", {"date_from": "2031-01-02"})
    assert [d["end_date"] for d in window.json()["special_dates"]] == ["2031-01-06"]
    overlap = api_a.post(f"{V1}/restaurants/{rid}/special-dates", {"date": "2031-01-01", "note": "New Year"})
    assert overlap.status_code == 400 and "overlaps another one" in str(overlap.json())
    current = api_a.get(f"{V1}/restaurants/{rid}/special-dates")
    clash = {"special_dates": [christmas, {"date": "2030-12-30", "end_date": "2031-01-02"}]}
    bad = api_a.put(f"{V1}/restaurants/{rid}/special-dates", clash, headers={"If-Match": current["ETag"]})
    assert bad.status_code == 400 and "Two closures share a day" in str(bad.json())
    timed = {"date": "2031-02-01", "end_date": "2031-02-03", "opens_at": "12:00", "closes_at": "14:00"}
    assert api_a.post(f"{V1}/restaurants/{rid}/special-dates", timed).status_code == 400
    assert SpecialDate.objects.filter(restaurant=world_a.restaurant).count() == 1


def test_menu_categories_and_items_crud(world_a, api_a):
    rid = world_a.restaurant.public_id
    category = api_a.post(f"{V1}/restaurants/{rid}/menu/categories", {"name": "Desserts", "position": 5})
    assert category.status_code == 201
    cid = category.json()["id"]
    duplicate = api_a.post(f"{V1}/restaurants/{rid}/menu/categories", {"name": "Desserts"})
    assert duplicate.status_code == 400
    item = api_a.post(
        f"{V1}/restaurants/{rid}/menu/items",
        {
            "category_id": cid,
            "name": "Tiramisu",
            "price": "7.50",
            "allergens": ["milk", "eggs"],
            "external_id": "SKU-9",
        },
    )
    assert item.status_code == 201, item.json()
    body = item.json()
    assert body["currency"] == world_a.restaurant.currency and body["price"] == "7.50"
    assert body["allergens_declared"] is True  # listing allergens declares the list
    listing = api_a.get(f"{V1}/restaurants/{rid}/menu/items", {"external_id": "SKU-9"}).json()
    assert [i["name"] for i in listing["results"]] == ["Tiramisu"]
    got = api_a.get(f"{V1}/menu/items/{body['id']}")
    changed = api_a.patch(
        f"{V1}/menu/items/{body['id']}", {"price": "8.00"}, headers={"If-Match": got["ETag"]}
    )
    assert changed.status_code == 200 and changed.json()["price"] == "8.00"
    assert api_a.delete(f"{V1}/menu/items/{body['id']}").status_code == 204
    assert not MenuItem.objects.filter(name="Tiramisu").exists()
    assert api_a.delete(f"{V1}/menu/categories/{cid}").status_code == 204
    assert api_a.get(f"{V1}/menu/categories/{cid}").status_code == 404


def test_sold_out_in_one_call_by_id_or_by_pos_id(world_a, api_a):
    rid = world_a.restaurant.public_id
    item = MenuItem.objects.get(restaurant=world_a.restaurant)
    item.external_id = "SKU-1042"
    item.save()
    response = api_a.post(
        f"{V1}/restaurants/{rid}/menu/availability",
        {"external_ids": ["SKU-1042", "SKU-0"], "available": False},
    )
    assert response.json() == {
        "changed": 1,
        "matched": 1,
        "unknown_external_ids": ["SKU-0"],
        "unknown_ids": [],
    }
    item.refresh_from_db()
    assert item.is_available is False
    back = api_a.post(f"{V1}/menu/items/{item.pk}/availability", {"available": True})
    assert back.status_code == 200 and back.json()["is_available"] is True


def test_the_till_86es_a_dish_for_today_only_and_the_api_says_what_a_diner_hears(world_a, api_a):
    rid = world_a.restaurant.public_id
    item = MenuItem.objects.get(restaurant=world_a.restaurant)
    response = api_a.post(f"{V1}/menu/items/{item.pk}/availability", {"available": False, "today_only": True})
    body = response.json()
    today = world_a.restaurant.local_today()
    assert response.status_code == 200
    assert (body["is_available"], body["sold_out_on"], body["available_now"]) == (
        True,
        today.isoformat(),
        False,
    )
    items = f"{V1}/restaurants/{rid}/menu/items"
    assert [i["id"] for i in api_a.get(items, {"available": "false"}).json()["results"]] == [item.pk]
    assert api_a.get(items, {"available": "true"}).json()["count"] == 0
    # Yesterday's mark (what today's looks like tomorrow): on sale again, nobody called the API.
    MenuItem.objects.filter(pk=item.pk).update(sold_out_on=today - dt.timedelta(days=1))
    assert api_a.get(f"{V1}/menu/items/{item.pk}").json()["available_now"] is True
    assert [i["id"] for i in api_a.get(items, {"available": "true"}).json()["results"]] == [item.pk]
    refused = api_a.post(f"{V1}/menu/items/{item.pk}/availability", {"available": True, "today_only": True})
    assert refused.status_code == 400 and "today_only" in refused.json()["fields"]


def test_calls_list_with_filters_and_detail_with_transcript(world_a, api_a):
    payload = CallRecordPayload.model_validate(call_payload(world_a.restaurant))
    record = call_record_store(payload=payload)
    old = call_payload(world_a.restaurant)
    old["started_at"] = "2025-01-01T10:00:00+00:00"
    old["ended_at"] = "2025-01-01T10:02:00+00:00"
    call_record_store(payload=CallRecordPayload.model_validate(old))
    assert api_a.get(f"{V1}/calls").json()["count"] == 2
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    recent = api_a.get(
        f"{V1}/calls", {"started_after": since, "restaurant": world_a.restaurant.public_id}
    ).json()
    assert [c["id"] for c in recent["results"]] == [record.job_id]
    assert api_a.get(f"{V1}/calls", {"started_after": "yesterday"}).status_code == 400
    detail = api_a.get(f"{V1}/calls/{record.job_id}").json()
    assert detail["transcript"][1]["text"] == "Do you have anything vegan?"
    assert CallRecord.objects.count() == 2


def test_pagination(world_a, api_a):
    from tenants.tests.factories import MenuItemFactory

    category = world_a.restaurant.menu_categories.get()
    for n in range(7):
        MenuItemFactory(category=category, name=f"Dish {n:02}")
    page = api_a.get(f"{V1}/restaurants/{world_a.restaurant.public_id}/menu/items", {"limit": 5}).json()
    assert page["count"] == 8 and len(page["results"]) == 5 and "offset=5" in page["next"]


def test_the_rate_limit_answers_429_with_retry_after(world_a, api_a, settings):
    settings.API_RATE_PER_KEY = "3/minute"
    statuses = [api_a.get(f"{V1}/restaurants").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api_a.get(f"{V1}/restaurants")
    assert response.json()["error"] == "throttled" and int(response["Retry-After"]) > 0
    # Per key: another key of the same tenant is not held up.
    assert api_for(world_a).get(f"{V1}/restaurants").status_code == 200


def test_api_writes_are_audited_as_the_key(world_a, api_a):
    from audit.models import AuditEntry

    item = MenuItem.objects.get(restaurant=world_a.restaurant)
    response = api_a.post(f"{V1}/menu/items/{item.pk}/availability", {"available": False})
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(object_id=str(item.pk)).latest("pk")
    key = ApiKey.objects.get(tenant=world_a.tenant)
    assert entry.source == "api" and entry.actor is None
    assert entry.actor_label == f"API key test ({key.prefix}…)"
    assert entry.tenant_id == world_a.tenant.pk
