"""The owner's "sold out today" board: one tap per dish, sold out for the restaurant's local day only.

The agent's side is asserted as the sentence a diner hears (agent_worker.testing.ask), today and tomorrow,
from the same cached snapshot: nothing runs at midnight and nothing has to flush the cache.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from agent_worker.testing import ask
from audit.models import AuditEntry
from tenants.cache import restaurant_snapshot_get
from tenants.models import MenuItem
from tenants.services import menu_item_sold_out_today_set, menu_items_set_availability
from tenants.tests.factories import MenuCategoryFactory, MenuItemFactory

pytestmark = pytest.mark.django_db


def _board(world) -> str:
    return reverse("admin:tenants_restaurant_sold_out", args=[world.restaurant.pk])


def _dish(world) -> MenuItem:
    return MenuItem.objects.get(restaurant=world.restaurant)


@pytest.mark.parametrize("role", ["owner", "member"])
def test_an_owner_86es_a_dish_for_today_in_one_tap_and_puts_it_back(world_a, role):
    client = world_a.client_for(getattr(world_a, role))
    dish = _dish(world_a)
    body = client.get(_board(world_a)).content.decode()
    assert "Alpha Mains" in body and "Alpha Secret Dish" in body and "On sale" in body

    response = client.post(_board(world_a), {"toggle": f"{dish.pk}:sold_out"})
    assert response.status_code == 302 and response["Location"].endswith(f"#dish-{dish.pk}")
    dish.refresh_from_db()
    assert dish.sold_out_on == world_a.restaurant.local_today() and dish.is_available is True
    body = client.get(_board(world_a)).content.decode()
    assert "Sold out today ✓" in body and "1 sold out today" in body
    entry = AuditEntry.objects.filter(object_id=str(dish.pk)).latest("pk")
    assert entry.changes == {"sold_out_on": [None, dish.sold_out_on.isoformat()]}

    client.post(_board(world_a), {"toggle": f"{dish.pk}:available"})
    dish.refresh_from_db()
    assert dish.sold_out_on is None
    assert "0 sold out today" in client.get(_board(world_a)).content.decode()


def test_the_board_lists_dishes_by_category_with_prices_in_the_restaurants_currency(world_a):
    restaurant = world_a.restaurant
    restaurant.currency, restaurant.language = "JPY", "ja"
    restaurant.save()
    desserts = MenuCategoryFactory(restaurant=restaurant, name="Desserts", position=9)
    MenuItemFactory(category=desserts, name="Matcha pudding", price=Decimal("650"), currency="JPY")
    off = MenuItemFactory(category=desserts, name="Yuzu tart", is_available=False)
    body = world_a.client_for(world_a.owner).get(_board(world_a)).content.decode()
    assert body.index("Alpha Mains") < body.index("Desserts") < body.index("Matcha pudding")
    assert "￥650" in body
    assert "1 off the menu" in body and f'id="dish-{off.pk}" data-state="off_menu"' in body


@pytest.mark.parametrize("who", ["other_owner", "other_member", "outsider"])
def test_an_outsider_sees_nothing_and_changes_nothing(world_a, world_b, outsider, who):
    user = {"other_owner": world_b.owner, "other_member": world_b.member, "outsider": outsider}[who]
    client = world_a.client_for(user)
    dish = _dish(world_a)
    response = client.get(_board(world_a))
    assert response.status_code in {302, 404}  # 302: a user with no tenant is sent to sign in
    assert "Alpha Secret Dish" not in response.content.decode()
    response = client.post(_board(world_a), {"toggle": f"{dish.pk}:sold_out"})
    assert response.status_code in {302, 404}
    dish.refresh_from_db()
    assert dish.sold_out_on is None and dish.is_available is True


def test_a_dish_of_another_restaurant_cannot_be_toggled_through_your_own_board(world_a, world_b):
    client = world_a.client_for(world_a.owner)
    theirs = _dish(world_b)
    response = client.post(_board(world_a), {"toggle": f"{theirs.pk}:sold_out"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.sold_out_on is None


def test_a_bad_action_is_refused_and_changes_nothing(world_a):
    client = world_a.client_for(world_a.owner)
    dish = _dish(world_a)
    assert client.post(_board(world_a), {"toggle": f"{dish.pk}:delete"}).status_code == 400
    assert client.post(_board(world_a), {"toggle": "x:sold_out"}).status_code == 404
    dish.refresh_from_db()
    assert dish.sold_out_on is None


def test_today_is_the_restaurants_local_date_not_the_servers(world_a):
    restaurant = world_a.restaurant
    restaurant.timezone = "Pacific/Auckland"  # UTC+13 in November
    restaurant.save()
    dish = _dish(world_a)
    late_evening_utc = dt.datetime(2026, 11, 29, 20, 0, tzinfo=dt.UTC)  # already 30 Nov, 09:00 in Auckland
    menu_item_sold_out_today_set(item=dish, sold_out=True, now=late_evening_utc)
    dish.refresh_from_db()
    assert dish.sold_out_on == dt.date(2026, 11, 30)


def test_putting_a_dish_back_on_sale_from_the_board_also_puts_an_off_menu_dish_back(world_a):
    dish = _dish(world_a)
    MenuItem.objects.filter(pk=dish.pk).update(is_available=False)
    assert menu_item_sold_out_today_set(item=dish, sold_out=False) is True
    dish.refresh_from_db()
    assert dish.is_available is True and dish.sold_out_on is None


def test_clearing_yesterdays_mark_is_not_counted_as_a_change(world_a):
    dish = _dish(world_a)
    yesterday = world_a.restaurant.local_today() - dt.timedelta(days=1)
    MenuItem.objects.filter(pk=dish.pk).update(sold_out_on=yesterday)
    assert menu_items_set_availability(items=MenuItem.objects.filter(pk=dish.pk), available=True) == 0
    dish.refresh_from_db()
    assert dish.sold_out_on is None


# --- what the diner hears ------------------------------------------------------------------------------------


def test_the_diner_hears_sold_out_today_and_tomorrow_hears_it_is_available(
    world_a, monkeypatch, django_capture_on_commit_callbacks
):
    from agent_worker.tools import menu as menu_tools
    from tenants import hours

    dish = _dish(world_a)
    snapshot = restaurant_snapshot_get(public_id=world_a.restaurant.public_id)
    question = ("Is the secret dish on tonight?", "get_item_details", {"dish": dish.name})
    assert "It is available." in ask(snapshot, *question)

    with django_capture_on_commit_callbacks(execute=True):  # the cached snapshot is dropped after commit
        menu_item_sold_out_today_set(item=dish, sold_out=True)
    snapshot = restaurant_snapshot_get(public_id=world_a.restaurant.public_id)
    assert "It is sold out today." in ask(snapshot, *question)
    listed = ask(snapshot, "What mains do you have?", "list_items_in_category", {"category": "Alpha Mains"})
    assert "Alpha Secret Dish, €9.50 (sold out today)." in listed

    # The next day, with the very same cached snapshot and nobody touching anything: back on the menu.
    tomorrow = hours.local_now(snapshot) + dt.timedelta(days=1)
    monkeypatch.setattr(menu_tools, "local_now", lambda snap, now=None: tomorrow)
    assert "It is available." in ask(snapshot, *question)
    listed = ask(snapshot, "What mains do you have?", "list_items_in_category", {"category": "Alpha Mains"})
    assert "Alpha Secret Dish, €9.50." in listed and "sold out" not in listed


def test_an_off_menu_dish_is_not_promised_for_tomorrow(world_a, django_capture_on_commit_callbacks):
    dish = _dish(world_a)
    restaurant_snapshot_get(public_id=world_a.restaurant.public_id)
    with django_capture_on_commit_callbacks(execute=True):
        menu_items_set_availability(items=MenuItem.objects.filter(pk=dish.pk), available=False)
    snapshot = restaurant_snapshot_get(public_id=world_a.restaurant.public_id)
    answer = ask(snapshot, "Do you have the secret dish?", "get_item_details", {"dish": dish.name})
    assert "It is not available at the moment." in answer and "today" not in answer
