"""Owner pages stay fast on a real menu: the query count does not grow with the number of dishes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenants.models import MenuCategory
from tenants.tests.factories import MenuItemFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_menu_item_list_costs_the_same_queries_for_10_or_60_dishes(world_a):
    client = world_a.client_for(world_a.owner)
    category = MenuCategory.objects.get(restaurant=world_a.restaurant)
    url = reverse("admin:tenants_menuitem_changelist")
    for n in range(9):
        MenuItemFactory(category=category, name=f"Dish {n}")
    few = _queries(client, url)
    for n in range(50):
        MenuItemFactory(category=category, name=f"More {n}")
    assert _queries(client, url) == few
