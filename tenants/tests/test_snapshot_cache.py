"""The snapshot cache: fast reads, fresh after every committed edit, graceful when a service is down."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import cache_keys
from tenants import cache as cache_module
from tenants.cache import restaurant_snapshot_get
from tenants.models import MenuCategory, MenuItem, OpeningHours, Restaurant, SpecialDate, Tenant
from tenants.selectors import restaurant_snapshot_from_db
from tenants.services import menu_items_set_availability
from tenants.snapshot import RestaurantSnapshot
from tenants.tests.factories import MenuCategoryFactory, RestaurantFactory

pytestmark = pytest.mark.django_db(transaction=True)

DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def _get(restaurant: Restaurant) -> RestaurantSnapshot:
    snapshot = restaurant_snapshot_get(public_id=restaurant.public_id)
    assert snapshot is not None
    return snapshot


def _cached(restaurant: Restaurant) -> bool:
    return bool(cache.has_key(cache_keys.restaurant_snapshot_key(restaurant.public_id)))


def _menu(items: int) -> Restaurant:
    restaurant = RestaurantFactory()
    category = MenuCategoryFactory(restaurant=restaurant)
    MenuItem.objects.bulk_create(
        MenuItem(
            tenant=restaurant.tenant,
            restaurant=restaurant,
            category=category,
            name=f"Dish {i}",
            price=Decimal("5.00"),
            currency="EUR",
            dietary_tags=["vegan"],
            allergens=["gluten"],
        )
        for i in range(items)
    )
    return restaurant


def test_query_count_does_not_grow_with_the_menu(django_assert_num_queries):
    small, large = _menu(5), _menu(500)
    with CaptureQueriesContext(connection) as small_queries:
        assert len(restaurant_snapshot_from_db(public_id=small.public_id).items()) == 5
    with django_assert_num_queries(len(small_queries)):
        assert len(restaurant_snapshot_from_db(public_id=large.public_id).items()) == 500


def test_second_read_comes_from_redis_and_round_trips(django_assert_num_queries, world_a):
    first = _get(world_a.restaurant)
    with django_assert_num_queries(0):
        second = _get(world_a.restaurant)
    assert second == first
    assert _cached(world_a.restaurant)


def test_unknown_restaurant_is_none():
    assert restaurant_snapshot_get(public_id="r_doesnotexist") is None


@pytest.mark.parametrize(
    "edit",
    [
        "restaurant_field",
        "hours_added",
        "hours_deleted",
        "special_date",
        "category_renamed",
        "item_price",
        "item_deleted",
        "sold_out_service",
        "tenant_suspended",
    ],
)
def test_every_committed_edit_is_what_the_next_read_returns(world_a, edit):
    restaurant = world_a.restaurant
    before = _get(restaurant)
    item = MenuItem.objects.get(restaurant=restaurant)
    if edit == "restaurant_field":
        r = Restaurant.objects.get(pk=restaurant.pk)
        r.phone = "+44 1 2345 6789"
        r.save()
        assert _get(restaurant).phone == "+44 1 2345 6789"
    elif edit == "hours_added":
        OpeningHours.objects.create(
            restaurant=restaurant, weekday=5, opens_at=dt.time(10), closes_at=dt.time(11)
        )
        assert len(_get(restaurant).weekly_hours) == len(before.weekly_hours) + 1
    elif edit == "hours_deleted":
        OpeningHours.objects.filter(restaurant=restaurant).delete()
        assert _get(restaurant).weekly_hours == ()
    elif edit == "special_date":
        SpecialDate.objects.create(
            restaurant=restaurant, date=dt.date.today() + dt.timedelta(days=3), note="Closed"
        )
        assert any(s.note == "Closed" for s in _get(restaurant).special_dates)
    elif edit == "category_renamed":
        category = MenuCategory.objects.get(restaurant=restaurant)
        category.name = "Mains, renamed"
        category.save()
        assert _get(restaurant).categories[0].name == "Mains, renamed"
    elif edit == "item_price":
        item.price = Decimal("12.25")
        item.save()
        assert _get(restaurant).items()[0].price == Decimal("12.25")
    elif edit == "item_deleted":
        item.delete()
        assert _get(restaurant).items() == []
    elif edit == "sold_out_service":
        menu_items_set_availability(items=MenuItem.objects.filter(pk=item.pk), available=False)
        assert _get(restaurant).items()[0].available is False
    elif edit == "tenant_suspended":
        tenant = Tenant.objects.get(pk=world_a.tenant.pk)
        tenant.status = Tenant.Status.SUSPENDED
        tenant.save()
        assert _get(restaurant).can_take_calls is False


def test_deleting_a_restaurant_drops_its_snapshot(world_a):
    _get(world_a.restaurant)
    Restaurant.objects.filter(pk=world_a.restaurant.pk).delete()
    assert restaurant_snapshot_get(public_id=world_a.restaurant.public_id) is None


def test_admin_edits_and_bulk_actions_are_heard_on_the_next_read(world_a):
    client = world_a.client_for(world_a.owner)
    item = MenuItem.objects.get(restaurant=world_a.restaurant)
    assert _get(world_a.restaurant).items()[0].available is True
    client.post(
        reverse("admin:tenants_menuitem_changelist"),
        {"action": "mark_sold_out", "_selected_action": [item.pk]},
    )
    assert _get(world_a.restaurant).items()[0].available is False
    client.post(
        reverse("admin:tenants_menuitem_changelist"),
        {"action": "mark_available", "_selected_action": [item.pk]},
    )
    assert _get(world_a.restaurant).items()[0].available is True


def test_a_rolled_back_edit_leaves_the_cache_as_it_was(world_a):
    restaurant = world_a.restaurant
    before = _get(restaurant)
    with pytest.raises(RuntimeError), transaction.atomic():
        MenuItem.objects.filter(restaurant=restaurant).update(price=Decimal("99.00"))
        item = MenuItem.objects.get(restaurant=restaurant)
        item.name = "Never happened"
        item.save()
        raise RuntimeError("owner cancelled")
    assert _cached(restaurant)  # not invalidated
    assert _get(restaurant) == before


def test_invalidation_waits_for_the_commit(world_a):
    restaurant = world_a.restaurant
    _get(restaurant)
    with transaction.atomic():
        item = MenuItem.objects.get(restaurant=restaurant)
        item.name = "Renamed"
        item.save()
        # Not yet committed: the cached entry is still there for readers outside this transaction.
        assert _cached(restaurant)
    assert _get(restaurant).items()[0].name == "Renamed"


def test_redis_down_reads_fall_back_to_postgres(world_a, caplog):
    with override_settings(CACHES=DEAD_REDIS):
        snapshot = restaurant_snapshot_get(public_id=world_a.restaurant.public_id)
    assert snapshot is not None and snapshot.name == world_a.restaurant.name
    assert "snapshot cache read failed" in caplog.text


def test_postgres_down_serves_the_last_known_snapshot_marked_stale(world_a, caplog):
    fresh = _get(world_a.restaurant)
    cache.delete(cache_keys.restaurant_snapshot_key(world_a.restaurant.public_id))  # e.g. after an edit
    # A real dead database: point the connection at a port nothing listens on.
    real_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = 1
    try:
        stale = restaurant_snapshot_get(public_id=world_a.restaurant.public_id)
    finally:
        connection.close()
        connection.settings_dict["PORT"] = real_port
    assert stale is not None and stale.stale is True
    assert stale.name == fresh.name
    assert "serving the last known snapshot" in caplog.text


def test_postgres_down_with_nothing_cached_is_an_error_not_a_made_up_answer(world_a):
    with (
        mock.patch("tenants.cache.restaurant_snapshot_from_db", side_effect=OperationalError("down")),
        pytest.raises(OperationalError),
    ):
        restaurant_snapshot_get(public_id=world_a.restaurant.public_id)


def test_concurrent_misses_build_the_snapshot_once(world_a):
    calls = []
    real = restaurant_snapshot_from_db

    def slow_build(*, public_id):
        calls.append(public_id)
        import time

        time.sleep(0.2)
        return real(public_id=public_id)

    results = []

    def read() -> None:
        try:
            results.append(_get(world_a.restaurant))
        finally:
            connection.close()

    with mock.patch("tenants.cache.restaurant_snapshot_from_db", side_effect=slow_build):
        threads = [threading.Thread(target=read) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(results) == 8
    assert len(calls) == 1


def test_warming_caches_only_restaurants_that_take_calls(world_a, world_b):
    from tenants.tasks import snapshot_cache_warm

    Tenant.objects.filter(pk=world_b.tenant.pk).update(status=Tenant.Status.SUSPENDED)
    assert snapshot_cache_warm.delay().get() == 1
    assert _cached(world_a.restaurant)
    assert not _cached(world_b.restaurant)


def test_an_edit_committed_during_a_rebuild_is_not_overwritten_by_the_older_copy(world_a):
    """A reader reads Postgres, then an owner's edit commits and drops the entry, then the reader
    would store what it read: the next call must still hear the edit."""
    restaurant = world_a.restaurant
    real = restaurant_snapshot_from_db

    def build_then_an_edit_commits(*, public_id):
        before_the_edit = real(public_id=public_id)
        Restaurant.objects.filter(pk=restaurant.pk).update(greeting="Now open on Mondays!")
        cache_module._delete({public_id})  # what the edit's after-commit hook does
        return before_the_edit

    with mock.patch("tenants.cache.restaurant_snapshot_from_db", side_effect=build_then_an_edit_commits):
        raced = _get(restaurant)

    assert raced.greeting != "Now open on Mondays!", "the racing reader itself saw the old row"
    assert _get(restaurant).greeting == "Now open on Mondays!"
