"""Migration 0003: dishes that list allergens become declared; dishes with an empty list become "not
declared", because nobody ever said they have none (the agent used to call them allergen-free)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("tenants", "0002_menu_import")]
AFTER = [("tenants", "0003_menuitem_allergens_declared")]


@pytest.mark.django_db(transaction=True)
def test_existing_dishes_are_declared_only_when_they_list_allergens():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        tenant = old.get_model("tenants", "Tenant").objects.create(name="Old", slug="old")
        restaurant = old.get_model("tenants", "Restaurant").objects.create(
            tenant=tenant, name="Old Bistro", public_id="r_0000000000000old"
        )
        category = old.get_model("tenants", "MenuCategory").objects.create(
            tenant=tenant, restaurant=restaurant, name="Mains"
        )
        item = old.get_model("tenants", "MenuItem")
        for name, allergens in [("Sea Bass", ["fish"]), ("Mystery Stew", [])]:
            item.objects.create(
                tenant=tenant,
                restaurant=restaurant,
                category=category,
                name=name,
                price=Decimal("10.00"),
                currency="EUR",
                allergens=allergens,
            )

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)

        new = executor.loader.project_state(AFTER).apps.get_model("tenants", "MenuItem")
        assert dict(new.objects.values_list("name", "allergens_declared")) == {
            "Sea Bass": True,
            "Mystery Stew": False,
        }
    finally:
        MigrationExecutor(connection).migrate(latest)
