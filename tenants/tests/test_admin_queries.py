"""Owner pages stay fast on a real menu: the query count does not grow with the number of dishes.

Each page is read with 10 dishes and again with 500 (over several categories); the number of queries must
be the same. Server times at 500 dishes are measured, not asserted: docs/performance.md.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenants.models import MenuCategory, MenuItem

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def _grow_menu(world, total: int) -> None:
    """Bring the restaurant's menu to `total` dishes, spread over its first category and five more."""
    restaurant = world.restaurant
    categories = [MenuCategory.objects.get(restaurant=restaurant, name=f"{world.tenant.name} Mains")] + [
        MenuCategory.objects.get_or_create(
            restaurant=restaurant, name=f"Section {n}", defaults={"position": n + 1, "tenant": world.tenant}
        )[0]
        for n in range(5)
    ]
    have = MenuItem.objects.filter(restaurant=restaurant).count()
    MenuItem.objects.bulk_create(
        MenuItem(
            category=categories[n % len(categories)],
            restaurant=restaurant,
            name=f"Dish {n:04}",
            price="12.50",
            currency="EUR",
            is_available=n % 7 != 0,
        )
        for n in range(have, total)
    )


PAGES = {
    "menu item list": lambda w: reverse("admin:tenants_menuitem_changelist"),
    "category page": lambda w: reverse(
        "admin:tenants_menucategory_change",
        args=[MenuCategory.objects.get(restaurant=w.restaurant, name=f"{w.tenant.name} Mains").pk],
    ),
    "restaurant page": lambda w: reverse("admin:tenants_restaurant_change", args=[w.restaurant.pk]),
    "sold-out board": lambda w: reverse("admin:tenants_restaurant_sold_out", args=[w.restaurant.pk]),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_the_page_costs_the_same_queries_for_10_or_500_dishes(world_a, world_b, page):
    client = world_a.client_for(world_a.owner)
    _grow_menu(world_a, 10)
    url = PAGES[page](world_a)
    client.get(url)  # warm the process-wide caches (content types) so both reads start equal
    few, body = _queries(client, url)
    assert "Dish 0006" in body  # dishes 0, 6, 12… are in the first category
    _grow_menu(world_a, 500)
    many, body = _queries(client, url)
    assert many == few
    # What the owner sees is the bigger menu (the list pages 100 dishes at a time, in menu order)...
    assert "Dish 0096" in body
    assert "Dish 0498" in body or page == "menu item list"
    # ...and never another tenant's dishes.
    assert "Bravo Secret Dish" not in body
