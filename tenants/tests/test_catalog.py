"""The catalog keeps itself valid: database constraints, owner-facing validation, and the demo data."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from tenants.models import MenuItem, OpeningHours, Restaurant, SpecialDate, Tenant
from tenants.tests.factories import MenuCategoryFactory, MenuItemFactory, RestaurantFactory

pytestmark = pytest.mark.django_db


def test_database_rejects_a_negative_price():
    item = MenuItemFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MenuItem.objects.filter(pk=item.pk).update(price=Decimal("-1.00"))
    item.refresh_from_db()
    assert item.price == Decimal("9.50")


def test_database_rejects_an_empty_interval_and_half_a_special_date():
    restaurant = RestaurantFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(
            restaurant=restaurant, weekday=1, opens_at=dt.time(9), closes_at=dt.time(9)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        SpecialDate.objects.create(restaurant=restaurant, date=dt.date(2030, 1, 1), opens_at=dt.time(9))
    assert not OpeningHours.objects.filter(restaurant=restaurant).exists()
    assert not SpecialDate.objects.filter(restaurant=restaurant).exists()


def test_public_ids_are_opaque_unique_and_not_the_pk():
    first, second = RestaurantFactory(), RestaurantFactory()
    assert first.public_id != second.public_id
    assert str(first.pk) not in first.public_id.removeprefix("r_")[:1]
    assert first.public_id.startswith("r_") and len(first.public_id) == 18
    with pytest.raises(IntegrityError), transaction.atomic():
        Restaurant.objects.filter(pk=second.pk).update(public_id=first.public_id)


def test_child_rows_always_carry_their_restaurants_tenant():
    restaurant = RestaurantFactory()
    other_tenant = Tenant.objects.create(name="Other", slug="other")
    hours = OpeningHours(restaurant=restaurant, weekday=2, opens_at=dt.time(12), closes_at=dt.time(14))
    hours.tenant = other_tenant  # must be ignored: the tenant follows the restaurant
    hours.save()
    item = MenuItemFactory(category=MenuCategoryFactory(restaurant=restaurant))
    assert hours.tenant_id == restaurant.tenant_id
    assert item.tenant_id == restaurant.tenant_id
    assert item.currency == restaurant.currency


def test_owner_facing_validation_explains_bad_values():
    restaurant = RestaurantFactory.build(timezone="Mars/Olympus", tenant=Tenant(name="x", slug="x"))
    with pytest.raises(ValidationError) as excinfo:
        restaurant.full_clean(exclude=["tenant"])
    assert "IANA name such as Europe/Paris" in str(excinfo.value)

    item = MenuItemFactory.build(dietary_tags=["vegetarian", "carnivore"], price=Decimal("-2"))
    with pytest.raises(ValidationError) as excinfo:
        item.full_clean(exclude=["category", "restaurant", "tenant"])
    errors = excinfo.value.message_dict
    assert "Unknown dietary tag: carnivore" in errors["dietary_tags"][0]
    assert "price" in errors


def test_admin_rejects_overlapping_shifts_with_a_clear_message(world_a):
    # A new restaurant's hours are entered as it is added (later, in the week editor: test_admin_hours).
    client = world_a.client_for(world_a.owner)
    data = {
        "name": "Second Bistro",
        "timezone": "Europe/Paris",
        "language": "fr",
        "currency": "EUR",
        "is_active": "on",
        "opening_hours-TOTAL_FORMS": "2",
        "opening_hours-INITIAL_FORMS": "0",
        "opening_hours-0-weekday": "3",
        "opening_hours-0-opens_at": "12:00",
        "opening_hours-0-closes_at": "15:00",
        "opening_hours-1-weekday": "3",
        "opening_hours-1-opens_at": "14:00",
        "opening_hours-1-closes_at": "22:00",
        "special_dates-TOTAL_FORMS": "0",
        "special_dates-INITIAL_FORMS": "0",
        "menu_categories-TOTAL_FORMS": "0",
        "menu_categories-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:tenants_restaurant_add"), data)
    assert response.status_code == 200
    assert "Thursday: two opening intervals overlap" in response.content.decode()
    assert not Restaurant.objects.filter(name="Second Bistro").exists()

    # Lunch and a dinner that runs past midnight are fine.
    data["opening_hours-1-opens_at"] = "18:00"
    data["opening_hours-1-closes_at"] = "02:00"
    response = client.post(reverse("admin:tenants_restaurant_add"), data)
    assert response.status_code == 302
    added = Restaurant.objects.get(name="Second Bistro")
    assert added.tenant == world_a.tenant
    assert added.opening_hours.filter(weekday=3).count() == 2


def test_the_restaurant_page_shows_the_week_and_sends_edits_to_the_week_editor(world_a):
    restaurant = world_a.restaurant
    OpeningHours.objects.filter(restaurant=restaurant).delete()
    OpeningHours.objects.create(restaurant=restaurant, weekday=4, opens_at=dt.time(12), closes_at=dt.time(15))
    OpeningHours.objects.create(restaurant=restaurant, weekday=4, opens_at=dt.time(19), closes_at=dt.time(1))
    SpecialDate.objects.create(
        restaurant=restaurant,
        date=dt.date(2099, 12, 24),
        end_date=dt.date(2100, 1, 6),
        note="Christmas holidays",
    )
    client = world_a.client_for(world_a.owner)
    html = client.get(reverse("admin:tenants_restaurant_change", args=[restaurant.pk])).content.decode()

    overview = html.split('id="hl-hours-overview"')[1].split("</div>")[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", overview))
    assert "Friday 12:00 – 15:00, 19:00 – 01:00 (next day)" in text
    assert "Monday Closed" in text
    assert "Closed (14 days) · Christmas holidays" in text
    assert reverse("admin:tenants_restaurant_hours", args=[restaurant.pk]) in overview
    # One place to edit hours: no hours rows to edit on this page.
    assert "opening_hours-TOTAL_FORMS" not in html and "special_dates-TOTAL_FORMS" not in html


def test_seed_demo_is_idempotent_and_varied(capsys):
    call_command("seed_demo", "--password", "demo-pass-123")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "demo-owner / demo-pass-123" in out
    tenant = Tenant.objects.get(slug="demo")
    restaurants = list(tenant.restaurants.all())
    assert len(restaurants) == 6
    assert len({r.timezone for r in restaurants}) == 6
    assert len({r.language for r in restaurants}) == 6
    hours = OpeningHours.objects.filter(tenant=tenant)
    assert any(h.closes_at < h.opens_at for h in hours), "a past-midnight interval"
    assert hours.filter(restaurant__name="Trattoria Bella", weekday=2).count() == 2, "split shifts"
    assert not hours.filter(restaurant__name="Trattoria Bella", weekday=0).exists(), "a closed day"
    assert SpecialDate.objects.filter(tenant=tenant, opens_at__isnull=True).exists(), "a holiday closure"
    assert MenuItem.objects.filter(tenant=tenant, is_available=False).exists(), "sold-out items"
    assert MenuItem.objects.filter(tenant=tenant, dietary_tags__contains=["vegan"]).exists()
    assert MenuItem.objects.filter(tenant=tenant).count() == 31


def test_demo_owner_sees_their_restaurants_in_the_admin(client):
    call_command("seed_demo", "--password", "demo-pass-123")
    assert client.login(username="demo-owner", password="demo-pass-123")
    body = client.get(reverse("admin:tenants_restaurant_changelist")).content.decode()
    assert "Sakura Sushi" in body and "Midnight Diner" in body


def test_home_page_lists_demo_restaurants(client, fake_livekit):
    call_command("seed_demo", "--password", "demo-pass-123")
    body = client.get("/").content.decode()
    assert body.count('data-hostline-restaurant="r_') == 6, "one call button per demo restaurant"
    assert '<script src="/widget.js" async></script>' in body
