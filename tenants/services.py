"""Catalog writes. Views, admin actions, commands and tasks call these; they hold no business logic themselves.

The menu import has its own module (tenants/menu_import.py) and the demo seed lives with its data
(tenants/demo.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import SET_NULL, ForeignKey, Model, QuerySet

from audit.services import audit_record
from tenants.cache import restaurant_snapshot_invalidate
from tenants.models import (
    MENU_ITEM_CONTENT_FIELDS,
    AllowedOrigin,
    MenuCategory,
    MenuItem,
    OpeningHours,
    Restaurant,
    SpecialDate,
    Tenant,
    origin_normalise,
)
from tenants.signals import menu_changed, snapshot_signals_muted


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
    restaurants = dict(changing.values_list("restaurant_id", "restaurant__public_id").distinct())
    restaurant_snapshot_invalidate(public_ids=set(restaurants.values()))
    for item in changing.select_for_update():
        audit_record(action="update", obj=item, changes={"is_available": [not available, available]})
    count = changing.update(is_available=available)
    if count:
        menu_changed.send(sender=MenuItem, restaurant_ids=list(restaurants), change="availability")
    return count


# --- Catalog writes for the tenant REST API (the admin's forms save the same models, with the same checks and
# the same signals, so the snapshot cache and webhooks follow either way). ----------------------------------

RESTAURANT_OWNER_FIELDS = (
    "name",
    "cuisine",
    "address",
    "phone",
    "website",
    "timezone",
    "language",
    "currency",
    "greeting",
    "voice",
    "extra_instructions",
    "is_active",
)
MENU_CATEGORY_FIELDS = ("name", "description", "position")
MENU_ITEM_FIELDS = (*MENU_ITEM_CONTENT_FIELDS, "position", "external_id")


def _save_checked(obj: Any, fields: dict[str, Any], allowed: tuple[str, ...]) -> Any:
    for name, value in fields.items():
        if name in allowed:
            setattr(obj, name, value)
    if hasattr(obj, "tenant_inherit"):
        obj.tenant_inherit()  # what save() derives (tenant, currency, declared allergens), before the checks
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def restaurant_update(*, restaurant: Restaurant, fields: dict[str, Any]) -> Restaurant:
    """Change the owner-editable fields of a restaurant (raises ValidationError, nothing saved)."""
    restaurant = Restaurant.objects.select_for_update().get(pk=restaurant.pk)
    return _save_checked(restaurant, fields, RESTAURANT_OWNER_FIELDS)


@dataclass(frozen=True)
class Interval:
    opens_at: dt.time | None
    closes_at: dt.time | None
    weekday: int | None = None
    date: dt.date | None = None
    note: str = ""


def _weekly(interval: Interval) -> dict[str, Any]:
    # Missing values are left to the model's full_clean(), which says what is wrong in words.
    return {"weekday": interval.weekday, "opens_at": interval.opens_at, "closes_at": interval.closes_at}


def _special(interval: Interval) -> dict[str, Any]:
    return {
        "date": interval.date,
        "opens_at": interval.opens_at,
        "closes_at": interval.closes_at,
        "note": interval.note,
    }


@transaction.atomic
def opening_hours_replace(*, restaurant: Restaurant, intervals: list[Interval]) -> list[OpeningHours]:
    """Replace the whole weekly schedule, all or nothing. A weekday without intervals is closed."""
    restaurant = Restaurant.objects.select_for_update().get(pk=restaurant.pk)
    rows = [
        OpeningHours(restaurant=restaurant, tenant_id=restaurant.tenant_id, **_weekly(i)) for i in intervals
    ]
    for row in rows:
        row.full_clean(exclude=["restaurant", "tenant"], validate_unique=False)
    _no_duplicate_starts([(r.weekday, r.opens_at) for r in rows], "weekday")
    with snapshot_signals_muted():
        OpeningHours.objects.filter(restaurant=restaurant).delete()
        OpeningHours.objects.bulk_create(rows)
    restaurant_snapshot_invalidate(public_ids=[restaurant.public_id])
    return list(OpeningHours.objects.filter(restaurant=restaurant))


def opening_hours_add(*, restaurant: Restaurant, interval: Interval) -> OpeningHours:
    row = OpeningHours(restaurant=restaurant, **_weekly(interval))
    row.tenant_id = restaurant.tenant_id
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def special_dates_replace(
    *, restaurant: Restaurant, intervals: list[Interval], date_from: dt.date | None = None
) -> list[SpecialDate]:
    """Replace special dates (from `date_from` on, when given: past holidays stay), all or nothing."""
    restaurant = Restaurant.objects.select_for_update().get(pk=restaurant.pk)
    rows = [
        SpecialDate(restaurant=restaurant, tenant_id=restaurant.tenant_id, **_special(i)) for i in intervals
    ]
    for row in rows:
        row.full_clean(exclude=["restaurant", "tenant"], validate_unique=False)
        if date_from is not None and row.date is not None and row.date < date_from:
            raise ValidationError(
                {"date": f"{row.date} is before {date_from}, the start of what is replaced."}
            )
    _no_duplicate_starts([(r.date, r.opens_at) for r in rows], "date")
    closures = [r.date for r in rows if r.opens_at is None]
    if len(closures) != len(set(closures)):
        raise ValidationError({"date": "A date is closed twice."})
    with snapshot_signals_muted():
        existing = SpecialDate.objects.filter(restaurant=restaurant)
        if date_from is not None:
            existing = existing.filter(date__gte=date_from)
        existing.delete()
        SpecialDate.objects.bulk_create(rows)
    restaurant_snapshot_invalidate(public_ids=[restaurant.public_id])
    return list(SpecialDate.objects.filter(restaurant=restaurant))


def special_date_add(*, restaurant: Restaurant, interval: Interval) -> SpecialDate:
    row = SpecialDate(restaurant=restaurant, **_special(interval))
    row.tenant_id = restaurant.tenant_id
    row.full_clean()
    row.save()
    return row


def _no_duplicate_starts(starts: list[tuple[Any, Any]], field: str) -> None:
    if len(starts) != len(set(starts)):
        raise ValidationError({field: "Two intervals start at the same time on the same day."})


def menu_category_create(*, restaurant: Restaurant, fields: dict[str, Any]) -> MenuCategory:
    category = MenuCategory(restaurant=restaurant)
    category.tenant_id = restaurant.tenant_id
    return _save_checked(category, fields, MENU_CATEGORY_FIELDS)


def menu_category_update(*, category: MenuCategory, fields: dict[str, Any]) -> MenuCategory:
    return _save_checked(category, fields, MENU_CATEGORY_FIELDS)


def menu_category_delete(*, category: MenuCategory) -> None:
    """Delete a category and its items (one snapshot invalidation per row, after commit, as in the admin)."""
    with transaction.atomic():
        category.delete()


def menu_item_create(*, category: MenuCategory, fields: dict[str, Any]) -> MenuItem:
    item = MenuItem(category=category, restaurant_id=category.restaurant_id)
    item.tenant_id = category.tenant_id
    if not fields.get("currency"):
        item.currency = category.restaurant.currency
    return _save_checked(item, fields, MENU_ITEM_FIELDS)


def menu_item_update(
    *, item: MenuItem, fields: dict[str, Any], category: MenuCategory | None = None
) -> MenuItem:
    if category is not None:
        if category.restaurant_id != item.restaurant_id:
            raise ValidationError({"category": "The category belongs to another restaurant."})
        item.category = category
    return _save_checked(item, fields, MENU_ITEM_FIELDS)


def menu_item_delete(*, item: MenuItem) -> None:
    with transaction.atomic():
        item.delete()


def allowed_origin_save(*, allowed_origin: AllowedOrigin) -> AllowedOrigin:
    """Add or change one of a tenant's allowed websites, in the one spelling browsers send.

    The tenant's cached snapshots (which carry its origins for the call start) and the platform-wide
    set (CORS) are dropped after commit by tenants/signals.py, so the next call start obeys the edit.
    """
    allowed_origin.origin = origin_normalise(allowed_origin.origin)
    duplicate = (
        AllowedOrigin.objects.filter(tenant_id=allowed_origin.tenant_id, origin=allowed_origin.origin)
        .exclude(pk=allowed_origin.pk)
        .exists()
    )
    if duplicate:
        raise ValidationError({"origin": f"{allowed_origin.origin} is already allowed."})
    allowed_origin.full_clean()
    allowed_origin.save()
    return allowed_origin


def allowed_origin_delete(*, allowed_origin: AllowedOrigin) -> None:
    allowed_origin.delete()  # the same signals drop the cached origins after commit
