"""One definition per contract: the snapshot's fields and the menu item's fields are named once and agree."""

from __future__ import annotations

import re

from calls.contract import PUBLIC_ID_PATTERN
from core.cache_keys import SNAPSHOT_SCHEMA_VERSION
from tenants.models import MENU_ITEM_CONTENT_FIELDS, MenuItem, Restaurant, new_public_id
from tenants.snapshot import RESTAURANT_FIELDS, MenuItemSnapshot, RestaurantSnapshot


def test_every_copied_restaurant_field_exists_on_the_model_and_the_snapshot():
    model_fields = {f.attname for f in Restaurant._meta.concrete_fields}
    assert set(RESTAURANT_FIELDS) <= model_fields
    assert set(RESTAURANT_FIELDS) <= set(RestaurantSnapshot.model_fields)


def test_the_cached_shape_version_is_the_one_in_the_cache_keys():
    assert RestaurantSnapshot.model_fields["schema_version"].default == SNAPSHOT_SCHEMA_VERSION


def test_menu_item_content_fields_are_model_fields_and_all_reach_the_snapshot():
    model_fields = {f.name for f in MenuItem._meta.concrete_fields}
    assert set(MENU_ITEM_CONTENT_FIELDS) <= model_fields
    row = {"pk": 1, **{f: f"x-{f}" for f in MENU_ITEM_CONTENT_FIELDS}}
    row.update(
        price="1.50", dietary_tags=["vegan"], allergens=["milk"], allergens_declared=True, is_available=False
    )
    item = MenuItemSnapshot.from_row(row)
    assert (item.name, item.currency, item.dietary_tags, item.allergens, item.available) == (
        "x-name",
        "x-currency",
        ("vegan",),
        ("milk",),
        False,
    )


def test_new_public_ids_match_the_wire_pattern():
    assert all(re.fullmatch(PUBLIC_ID_PATTERN, new_public_id()) for _ in range(50))
