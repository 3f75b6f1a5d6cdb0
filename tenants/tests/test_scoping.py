"""Scoping fails closed: every model with a tenant is scoped in the admin and in every form's choices.

These tests enumerate models and admin classes instead of naming them, so a model added tomorrow (a
booking's table, a phone number) is covered the day it is registered.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import ForeignKey
from django.test import RequestFactory

from tenants.models import MenuCategory, MenuItem, OpeningHours, Restaurant, SpecialDate, Tenant
from tenants.scoping import (
    OperatorOnlyMixin,
    TenantScopedMixin,
    UnscopedModel,
    is_tenant_owned,
    scope_to_tenants,
    tenant_lookup,
)

pytestmark = pytest.mark.django_db

TENANT_OWNED = [m for m in apps.get_models() if is_tenant_owned(m)]


def _admins() -> list[tuple[type, object]]:
    """Every registered ModelAdmin and each of its inlines, with the model it edits."""
    found: list[tuple[type, object]] = []
    for model, model_admin in admin.site._registry.items():
        found.append((model, model_admin))
        for inline_class in model_admin.inlines:
            found.append((inline_class.model, inline_class(model, admin.site)))
    return found


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_the_catalog_and_the_call_records_are_all_tenant_owned():
    names = {m._meta.label for m in TENANT_OWNED}
    assert {"tenants.Restaurant", "tenants.MenuItem", "tenants.MenuImport", "calls.CallRecord"} <= names
    assert all(tenant_lookup(m) == "tenant_id" for m in TENANT_OWNED)


@pytest.mark.parametrize(
    ("model", "model_admin"), _admins(), ids=lambda v: getattr(v, "__name__", type(v).__name__)
)
def test_every_admin_of_a_tenant_owned_model_is_scoped(model, model_admin):
    if is_tenant_owned(model) or model is Tenant:
        assert isinstance(model_admin, TenantScopedMixin | OperatorOnlyMixin), (
            f"{type(model_admin).__name__} edits {model.__name__} without tenant scoping"
        )


@pytest.mark.parametrize(
    ("model", "model_admin"), _admins(), ids=lambda v: getattr(v, "__name__", type(v).__name__)
)
def test_no_form_offers_another_tenants_rows(model, model_admin, world_a, world_b):
    """As tenant A's owner, every foreign-key choice in every admin form holds none of tenant B's rows."""
    request = _request(world_a.owner)
    if not model_admin.has_module_permission(request) and not isinstance(model_admin, TenantScopedMixin):
        return  # operator-only: the owner never reaches its forms (its own tests check that)
    for field in model._meta.get_fields():
        if not isinstance(field, ForeignKey):
            continue
        formfield = model_admin.formfield_for_foreignkey(field, request)
        if formfield is None:
            continue
        related = field.related_model
        offered = list(formfield.queryset)
        if tenant_lookup(related) is None:
            assert offered == [], f"{model.__name__}.{field.name} offers {related.__name__} rows to an owner"
            continue
        tenant_ids = {row.pk if related is Tenant else row.tenant_id for row in offered}
        assert world_b.tenant.pk not in tenant_ids, f"{model.__name__}.{field.name} offers tenant B's rows"


def test_scoping_a_model_without_a_tenant_is_refused_not_widened(world_a):
    from django.contrib.auth import get_user_model

    with pytest.raises(UnscopedModel):
        scope_to_tenants(get_user_model().objects.all(), [world_a.tenant.pk])


def test_bulk_create_takes_the_tenant_from_the_parent_not_the_caller(world_a, world_b):
    """A row bulk-created with another tenant's id still lands in its restaurant's tenant."""
    restaurant = world_a.restaurant
    category = MenuCategory.objects.get(restaurant=restaurant)
    OpeningHours.objects.bulk_create(
        [
            OpeningHours(
                tenant=world_b.tenant, restaurant=restaurant, weekday=3, opens_at="08:00", closes_at="09:00"
            )
        ]
    )
    SpecialDate.objects.bulk_create(
        [SpecialDate(tenant=world_b.tenant, restaurant=restaurant, date="2031-01-01", note="x")]
    )
    MenuItem.objects.bulk_create(
        [
            MenuItem(
                tenant=world_b.tenant, restaurant=world_b.restaurant, category=category, name="Bulk", price=1
            )
        ]
    )
    assert (
        OpeningHours.objects.get(restaurant=restaurant, weekday=3, opens_at="08:00").tenant_id
        == world_a.tenant.pk
    )
    assert SpecialDate.objects.get(restaurant=restaurant, date="2031-01-01").tenant_id == world_a.tenant.pk
    item = MenuItem.objects.get(name="Bulk")
    assert (item.tenant_id, item.restaurant_id) == (world_a.tenant.pk, restaurant.pk)
    assert not Restaurant.objects.filter(tenant=world_b.tenant, menu_items__name="Bulk").exists()


def test_api_views_see_only_the_callers_tenant(world_a, world_b):
    from types import SimpleNamespace

    from rest_framework import generics, serializers
    from rest_framework.test import APIRequestFactory, force_authenticate

    from tenants.scoping import TenantScopedAPIMixin

    class RestaurantNames(TenantScopedAPIMixin, generics.ListAPIView):
        queryset = Restaurant.objects.all()
        authentication_classes: list = []
        permission_classes: list = []

        class serializer_class(serializers.ModelSerializer):
            class Meta:
                model = Restaurant
                fields = ["name"]

    def names(**auth) -> list[str]:
        request = APIRequestFactory().get("/")
        if auth:
            force_authenticate(request, **auth)
        return [row["name"] for row in RestaurantNames.as_view()(request).data]

    assert names(token=SimpleNamespace(tenant_id=world_a.tenant.pk)) == [world_a.restaurant.name]
    assert names(user=world_b.member) == [world_b.restaurant.name]
    assert names() == []  # anonymous: nothing, not everything
