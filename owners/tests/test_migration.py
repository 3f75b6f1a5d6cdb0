"""Restaurants that existed before go-live was introduced keep taking calls: they migrate as live."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_existing_restaurants_migrate_as_live_new_ones_start_not_live():
    before = [("tenants", "0003_menuitem_allergens_declared")]
    after = [("tenants", "0004_go_live_and_suspension_reason")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    tenant = old_apps.get_model("tenants", "Tenant").objects.create(name="Old", slug="old")
    old_apps.get_model("tenants", "Restaurant").objects.create(
        tenant=tenant, name="Been here for years", public_id="r_00000000000000aa"
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new_apps = executor.loader.project_state(after).apps
    Restaurant = new_apps.get_model("tenants", "Restaurant")
    assert Restaurant.objects.get(name="Been here for years").went_live_at is not None
    assert Restaurant.objects.create(tenant_id=tenant.pk, name="Brand new").went_live_at is None
    # Back to the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
