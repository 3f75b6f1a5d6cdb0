"""A large menu file through a real Celery worker process, the Redis broker and Postgres."""

from __future__ import annotations

import time

import pytest

from tenants import menu_import
from tenants.cache import restaurant_snapshot_get
from tenants.menu_import import menu_import_create
from tenants.models import MenuImport, MenuItem
from tenants.tasks import menu_import_apply

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

HEADER = "category,name,price,allergens\n"


def test_a_queued_import_is_applied_once_by_the_worker_and_the_next_call_hears_it(
    world_a, celery_queue, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(menu_import, "SYNC_IMPORT_MAX_ITEMS", 10)
    restaurant = world_a.restaurant
    assert restaurant_snapshot_get(public_id=restaurant.public_id).categories[0].name == "Alpha Mains"
    rows = "".join(f"Specials,Dish {n},{n}.50,milk\n" for n in range(40))
    with django_capture_on_commit_callbacks(execute=False):  # sent below, to this test's own queue
        record = menu_import_create(
            restaurant=restaurant,
            data=(HEADER + rows).encode(),
            file_format="csv",
            mode=MenuImport.Mode.REPLACE,
        )
    assert record.status == MenuImport.Status.PENDING

    menu_import_apply.apply_async(args=[record.pk], queue=celery_queue)
    menu_import_apply.apply_async(args=[record.pk], queue=celery_queue)  # a redelivery

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        record.refresh_from_db()
        if record.status in (MenuImport.Status.SUCCEEDED, MenuImport.Status.FAILED):
            break
        time.sleep(0.2)
    assert record.status == MenuImport.Status.SUCCEEDED, record.problems
    assert MenuItem.objects.filter(restaurant=restaurant).count() == 40
    snapshot = restaurant_snapshot_get(public_id=restaurant.public_id)
    assert [c.name for c in snapshot.categories] == ["Specials"]
    assert snapshot.categories[0].items[3].price == 3.5
