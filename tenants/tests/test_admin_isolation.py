"""Tenant isolation in the admin: an owner, a member and an outsider, across two tenants.

Every test asserts both halves of isolation: the other tenant's data is not shown, and nothing of it changed.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tenants.models import MenuCategory, MenuItem, Restaurant

pytestmark = pytest.mark.django_db

MODELS = ["restaurant", "menucategory", "menuitem"]


def _objects(world):
    category = MenuCategory.objects.get(restaurant=world.restaurant)
    item = MenuItem.objects.get(category=category)
    return {"restaurant": world.restaurant, "menucategory": category, "menuitem": item}


def _secret_names(world):
    return [world.restaurant.name, f"{world.tenant.name} Mains", f"{world.tenant.name} Secret Dish"]


@pytest.mark.parametrize("role", ["owner", "member"])
@pytest.mark.parametrize("model", MODELS)
def test_changelist_shows_own_rows_and_never_the_other_tenants(world_a, world_b, role, model):
    client = world_a.client_for(getattr(world_a, role))
    response = client.get(reverse(f"admin:tenants_{model}_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    own = {
        "restaurant": world_a.restaurant.name,
        "menucategory": "Alpha Mains",
        "menuitem": "Alpha Secret Dish",
    }
    assert own[model] in body
    for name in _secret_names(world_b):
        assert name not in body  # neither the rows nor the filter sidebar mention tenant B


@pytest.mark.parametrize("role", ["owner", "member"])
@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_other_tenants_object_pages_are_404(world_a, world_b, role, model, view):
    client = world_a.client_for(getattr(world_a, role))
    obj = _objects(world_b)[model]
    response = client.get(reverse(f"admin:tenants_{model}_{view}", args=[obj.pk]))
    # A member may not delete restaurants at all (403); everything else is "no such object" (404).
    assert response.status_code in {403, 404}
    assert obj.name not in response.content.decode()


@pytest.mark.parametrize("role", ["owner", "member"])
def test_posting_a_change_to_another_tenants_restaurant_changes_nothing(world_a, world_b, role):
    client = world_a.client_for(getattr(world_a, role))
    target = world_b.restaurant
    response = client.post(
        reverse("admin:tenants_restaurant_change", args=[target.pk]),
        {"name": "Hijacked", "timezone": "UTC", "language": "en", "currency": "EUR"},
    )
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.name == "Bravo Bistro"


def test_posting_a_delete_of_another_tenants_restaurant_deletes_nothing(world_a, world_b):
    client = world_a.client_for(world_a.owner)
    response = client.post(
        reverse("admin:tenants_restaurant_delete", args=[world_b.restaurant.pk]), {"post": "yes"}
    )
    assert response.status_code == 404
    assert Restaurant.objects.filter(pk=world_b.restaurant.pk).exists()


def test_bulk_actions_with_foreign_ids_touch_nothing(world_a, world_b):
    client = world_a.client_for(world_a.owner)
    b_item = _objects(world_b)["menuitem"]
    a_item = _objects(world_a)["menuitem"]
    client.post(
        reverse("admin:tenants_menuitem_changelist"),
        {"action": "mark_sold_out", "_selected_action": [b_item.pk, a_item.pk]},
    )
    b_item.refresh_from_db()
    a_item.refresh_from_db()
    assert b_item.is_available is True
    assert a_item.is_available is False  # the owner's own row did change: the action works

    client.post(
        reverse("admin:tenants_restaurant_changelist"),
        {"action": "delete_selected", "_selected_action": [world_b.restaurant.pk], "post": "yes"},
    )
    assert Restaurant.objects.filter(pk=world_b.restaurant.pk).exists()


def test_sold_out_today_action_in_the_list_ignores_foreign_rows(world_a, world_b):
    # The list has no editable column any more (the sold-out board is the one-tap toggle): its actions
    # are the bulk path, and they only ever reach the user's own rows.
    client = world_a.client_for(world_a.owner)
    b_item = _objects(world_b)["menuitem"]
    a_item = _objects(world_a)["menuitem"]
    response = client.post(
        reverse("admin:tenants_menuitem_changelist"),
        {"action": "mark_sold_out_today", "_selected_action": [b_item.pk, a_item.pk]},
    )
    assert response.status_code == 302
    b_item.refresh_from_db()
    a_item.refresh_from_db()
    assert b_item.sold_out_on is None
    assert a_item.sold_out_on == world_a.restaurant.local_today() and a_item.is_available is True


@pytest.mark.parametrize(
    ("model_name", "field_name"), [("menuitem", "category"), ("menucategory", "restaurant")]
)
def test_autocomplete_offers_only_own_tenants_choices(world_a, world_b, model_name, field_name):
    client = world_a.client_for(world_a.owner)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "tenants", "model_name": model_name, "field_name": field_name, "term": ""},
    )
    assert response.status_code == 200
    texts = " ".join(r["text"] for r in response.json()["results"])
    assert "Alpha" in texts
    assert "Bravo" not in texts


def test_raw_id_popup_lists_only_own_rows(world_a, world_b):
    client = world_a.client_for(world_a.owner)
    response = client.get(
        reverse("admin:tenants_menucategory_changelist"), {"_popup": "1", "_to_field": "id"}
    )
    assert response.status_code == 200
    assert "Alpha Mains" in response.content.decode()
    assert "Bravo Mains" not in response.content.decode()


def test_add_form_with_a_foreign_parent_id_neither_shows_nor_accepts_it(world_a, world_b):
    client = world_a.client_for(world_a.owner)
    foreign_category = _objects(world_b)["menucategory"]
    response = client.get(reverse("admin:tenants_menuitem_add"), {"category": foreign_category.pk})
    assert response.status_code == 200
    assert "Bravo" not in response.content.decode()

    response = client.post(
        reverse("admin:tenants_menuitem_add"),
        {
            "category": foreign_category.pk,
            "name": "Smuggled",
            "price": "1.00",
            "position": "0",
            "is_available": "on",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not MenuItem.objects.filter(name="Smuggled").exists()


def test_new_restaurant_lands_in_the_owners_tenant(world_a, world_b):
    client = world_a.client_for(world_a.owner)
    response = client.post(
        reverse("admin:tenants_restaurant_add"),
        {
            "name": "Alpha Annex",
            "timezone": "Europe/Paris",
            "language": "fr",
            "currency": "EUR",
            "is_active": "on",
            **_empty_inlines(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Restaurant.objects.get(name="Alpha Annex").tenant == world_a.tenant
    assert world_b.tenant.restaurants.count() == 1


def test_member_may_edit_menus_but_not_delete_restaurants(world_a):
    client = world_a.client_for(world_a.member)
    url = reverse("admin:tenants_restaurant_delete", args=[world_a.restaurant.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Restaurant.objects.filter(pk=world_a.restaurant.pk).exists()

    item = _objects(world_a)["menuitem"]
    response = client.post(
        reverse("admin:tenants_menuitem_change", args=[item.pk]),
        {
            "category": item.category_id,
            "name": item.name,
            "price": "11.00",
            "currency": "EUR",
            "position": "0",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.price == Decimal("11.00")


def test_outsider_sees_no_tenant_data_at_all(world_a, world_b, outsider):
    client = world_b.client_for(outsider)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert "/admin/tenants/" not in index.content.decode()
    assert "Alpha" not in index.content.decode()
    for model in MODELS:
        assert client.get(reverse(f"admin:tenants_{model}_changelist")).status_code == 403
    assert (
        client.get(reverse("admin:tenants_restaurant_change", args=[world_a.restaurant.pk])).status_code
        == 403
    )


def test_owner_cannot_reach_operator_pages(world_a):
    client = world_a.client_for(world_a.owner)
    assert client.get(reverse("admin:tenants_tenant_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_operator_sees_every_tenant(world_a, world_b, operator):
    client = world_a.client_for(operator)
    body = client.get(reverse("admin:tenants_restaurant_changelist")).content.decode()
    assert world_a.restaurant.name in body
    assert world_b.restaurant.name in body


def _empty_inlines() -> dict[str, str]:
    data = {}
    for prefix in ["opening_hours", "special_dates", "menu_categories"]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data
