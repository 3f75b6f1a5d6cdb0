"""Catalog writes. Views, admin actions, commands and tasks call these; they hold no business logic themselves.

The menu import has its own module (tenants/menu_import.py) and the demo seed lives with its data
(tenants/demo.py).
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.db.models import SET_NULL, ForeignKey, Model, QuerySet

from audit.services import audit_record
from tenants.cache import restaurant_snapshot_invalidate
from tenants.models import MenuItem, Restaurant, Tenant


def restaurant_child_models() -> list[type[Model]]:
    """Every model (any app) whose rows belong to a restaurant and carry a tenant of their own."""
    found = []
    for model in apps.get_models():
        fields = {f.name: f for f in model._meta.get_fields() if isinstance(f, ForeignKey)}
        restaurant, tenant = fields.get("restaurant"), fields.get("tenant")
        if (
            restaurant
            and tenant
            and restaurant.related_model is Restaurant
            and tenant.related_model is Tenant
        ):
            found.append(model)
    return found


@transaction.atomic
def restaurant_tenant_change(*, restaurant: Restaurant, tenant: Tenant) -> None:
    """Move a restaurant to another tenant: an operator's decision, never an owner's.

    Everything that belongs to the restaurant moves with it (hours, dates, menu, imports, refusal counts,
    alerts). Records kept when a restaurant is deleted (`on_delete=SET_NULL`: call records) stay with the
    tenant they happened under and are detached from the restaurant, keeping its name, so the new tenant
    never reads the old one's calls. The database's composite keys check the result when the transaction commits.
    """
    if restaurant.tenant_id == tenant.pk:
        return
    Restaurant.objects.filter(pk=restaurant.pk).update(tenant=tenant)
    for model in restaurant_child_models():
        rows = model._default_manager.filter(restaurant_id=restaurant.pk)
        field = model._meta.get_field("restaurant")
        if getattr(getattr(field, "remote_field", None), "on_delete", None) is SET_NULL:
            rows.update(restaurant=None)
        else:
            rows.update(tenant=tenant)
    restaurant.tenant = tenant
    restaurant_snapshot_invalidate(public_ids=[restaurant.public_id])


@transaction.atomic
def menu_items_set_availability(*, items: QuerySet[MenuItem], available: bool) -> int:
    """Mark menu items available or sold out in one statement. Returns how many rows changed."""
    changing = items.exclude(is_available=available)
    # .update() sends no signals, so say which snapshots it changes and write the audit trail here.
    restaurant_snapshot_invalidate(public_ids=set(changing.values_list("restaurant__public_id", flat=True)))
    for item in changing.select_for_update():
        audit_record(action="update", obj=item, changes={"is_available": [not available, available]})
    return changing.update(is_available=available)
