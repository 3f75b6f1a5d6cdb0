"""Catalog writes. Views, admin actions, commands and tasks call these; they hold no business logic themselves.

The menu import has its own module (tenants/menu_import.py) and the demo seed lives with its data
(tenants/demo.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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
    Weekday,
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
def menu_items_set_availability(
    *,
    items: QuerySet[MenuItem],
    available: bool,
    today_only: bool = False,
    now: dt.datetime | None = None,
) -> int:
    """Put menu items back on sale, take them off the menu, or mark them sold out today. Returns how many
    items changed (already in that state: not counted).

    - `available=True`: back on sale: on the menu, and no longer sold out today.
    - `available=False`: off the menu until someone puts it back (the "available" box).
    - `available=False, today_only=True`: sold out today, "today" being each restaurant's own local date
      at `now`. Nothing has to run at midnight: the agent compares the date with the call's local date.
    """
    if available and today_only:
        raise ValueError("today_only applies to marking items sold out")
    rows = list(items.order_by().select_related("restaurant").select_for_update(of=("self",)))
    # Group the writes by target state: a sold-out date differs between restaurants in different zones.
    writes: dict[tuple[bool, dt.date | None], list[int]] = {}
    restaurants: dict[int, str] = {}
    count = 0
    for item in rows:
        today = item.restaurant.local_today(now)
        target: tuple[bool, dt.date | None]
        if available:
            target = (True, None)
        elif today_only:
            target = (item.is_available, today)
        else:
            target = (False, None)
        before = (item.is_available, item.sold_out_on)
        if before == target:
            continue
        writes.setdefault(target, []).append(item.pk)
        # Clearing a past day's date changes nothing a diner hears: written, but neither counted nor announced.
        if (before[0], before[1] == today) != (target[0], target[1] == today):
            count += 1
            restaurants[item.restaurant_id] = item.restaurant.public_id
            changes: dict[str, Any] = {}
            if before[0] != target[0]:
                changes["is_available"] = [before[0], target[0]]
            if before[1] != target[1]:
                changes["sold_out_on"] = [
                    before[1].isoformat() if before[1] else None,
                    target[1].isoformat() if target[1] else None,
                ]
            audit_record(action="update", obj=item, changes=changes)
    for (is_available, sold_out_on), pks in writes.items():
        # .update() sends no model signals: the snapshot invalidation and the webhook signal are sent here.
        MenuItem.objects.filter(pk__in=pks).update(is_available=is_available, sold_out_on=sold_out_on)
    restaurant_snapshot_invalidate(public_ids=set(restaurants.values()))
    if restaurants:
        menu_changed.send(sender=MenuItem, restaurant_ids=list(restaurants), change="availability")
    return count


def menu_item_sold_out_today_set(*, item: MenuItem, sold_out: bool, now: dt.datetime | None = None) -> bool:
    """The sold-out board's one tap: sold out today, or back on sale. Returns whether anything changed."""
    items = MenuItem.objects.filter(pk=item.pk)
    if sold_out:
        return menu_items_set_availability(items=items, available=False, today_only=True, now=now) > 0
    return menu_items_set_availability(items=items, available=True, now=now) > 0


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
    end_date: dt.date | None = None  # the last day of a closure over several dates


def _weekly(interval: Interval) -> dict[str, Any]:
    # Missing values are left to the model's full_clean(), which says what is wrong in words.
    return {"weekday": interval.weekday, "opens_at": interval.opens_at, "closes_at": interval.closes_at}


def _special(interval: Interval) -> dict[str, Any]:
    return {
        "date": interval.date,
        "end_date": interval.end_date,
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
    existing = SpecialDate.objects.filter(restaurant=restaurant)
    if date_from is not None:
        existing = existing.filter(date__gte=date_from)
    with snapshot_signals_muted(), _closure_overlap_as_validation_error():
        # What is replaced goes first, so each row's clean() checks its closure against what stays; any
        # ValidationError below rolls the delete back with the rest (all or nothing).
        existing.delete()
        for row in rows:
            row.full_clean(exclude=["restaurant", "tenant"], validate_unique=False)
            if date_from is not None and row.date is not None and row.date < date_from:
                raise ValidationError(
                    {"date": f"{row.date} is before {date_from}, the start of what is replaced."}
                )
        _no_duplicate_starts([(r.date, r.opens_at) for r in rows], "date")
        _no_overlapping_closures([r for r in rows if r.opens_at is None])
        SpecialDate.objects.bulk_create(rows)
    restaurant_snapshot_invalidate(public_ids=[restaurant.public_id])
    return list(SpecialDate.objects.filter(restaurant=restaurant))


def _no_overlapping_closures(closures: list[SpecialDate]) -> None:
    """Two new closures never share a day (Postgres enforces it too; this says which, in words)."""
    spans = sorted([(r.date, r.last_date, r) for r in closures], key=lambda span: span[:2])
    for (_, end, first), (start, _, second) in pairwise(spans):
        if start <= end:
            raise ValidationError(
                {"date": f"Two closures share a day: {first} and {second}. A date is closed only once."}
            )


@contextmanager
def _closure_overlap_as_validation_error() -> Iterator[None]:
    # Two writers racing past the checks above: the exclusion constraint refuses the second; say so as a 400.
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        if "special_date_closures_no_overlap" in str(error) or "special_date_one_closure" in str(error):
            raise ValidationError(
                {"date": "Another closure covers one of these days. Reload the page and try again."}
            ) from error
        raise


@transaction.atomic
def special_date_add(*, restaurant: Restaurant, interval: Interval) -> SpecialDate:
    row = SpecialDate(restaurant=restaurant, **_special(interval))
    row.tenant_id = restaurant.tenant_id
    row.full_clean()
    with _closure_overlap_as_validation_error():
        row.save()
    return row


# --- The owner's week editor (tenants/admin_hours.py). Row saves and deletes go through the ORM, so each is in
# the audit trail; the snapshot is dropped once, after commit. ----------------------------------------------------


@transaction.atomic
def opening_hours_week_set(
    *, restaurant: Restaurant, week: dict[int, list[tuple[dt.time, dt.time]]]
) -> list[OpeningHours]:
    """Set the regular week, all or nothing: `week` maps each weekday (0 = Monday) to its services; a weekday
    with none is closed, a weekday not in `week` keeps its hours. Unchanged services are left alone."""
    restaurant = Restaurant.objects.select_for_update().get(pk=restaurant.pk)
    current = {(h.weekday, h.opens_at): h for h in OpeningHours.objects.filter(restaurant=restaurant)}
    wanted: dict[tuple[int, dt.time], dt.time] = {}
    for weekday, services_ in week.items():
        label = Weekday(weekday).label
        for opens, closes in services_:
            if opens == closes:
                raise ValidationError({"week": f"{label}: a service opens and closes at {opens:%H:%M}."})
            if (weekday, opens) in wanted:
                raise ValidationError({"week": f"{label}: two services start at {opens:%H:%M}."})
            wanted[(weekday, opens)] = closes
        _no_overlap(label, services_)
    with snapshot_signals_muted():
        for (weekday, opens), row in current.items():
            if weekday in week and wanted.get((weekday, opens)) != row.closes_at:
                row.delete()
        for (weekday, opens), closes in wanted.items():
            row = current.get((weekday, opens))
            if row is None or row.closes_at != closes:
                OpeningHours(restaurant=restaurant, weekday=weekday, opens_at=opens, closes_at=closes).save()
    restaurant_snapshot_invalidate(public_ids=[restaurant.public_id])
    return list(OpeningHours.objects.filter(restaurant=restaurant))


def _no_overlap(label: str, services_: list[tuple[dt.time, dt.time]]) -> None:
    def minutes(t: dt.time) -> int:
        return t.hour * 60 + t.minute

    spans = sorted((minutes(o), minutes(c) if c > o else minutes(c) + 24 * 60) for o, c in services_)
    for (_, end), (start, _) in pairwise(spans):
        if start < end:
            raise ValidationError({"week": f"{label}: two services overlap. Merge or fix them."})


@transaction.atomic
def special_hours_set(
    *,
    restaurant: Restaurant,
    date: dt.date,
    services_: list[tuple[dt.time, dt.time]],
    note: str = "",
) -> list[SpecialDate]:
    """One date's own hours ("today we open at 19:00"), replacing that date's weekly hours and any earlier
    special hours for it. No services: closed that day."""
    restaurant = Restaurant.objects.select_for_update().get(pk=restaurant.pk)
    closure = SpecialDate.objects.filter(
        restaurant=restaurant, opens_at__isnull=True, date__lte=date, end_date__gte=date
    ).first()
    if closure is not None:
        raise ValidationError(
            {"date": f"{date:%Y-%m-%d} is inside a closure ({closure}). Delete or shorten the closure first."}
        )
    _no_overlap(f"{date:%Y-%m-%d}", services_)
    with snapshot_signals_muted(), _closure_overlap_as_validation_error():
        # What this date had goes first, so the new rows' checks do not trip over it; a ValidationError
        # below rolls the deletes back with the rest.
        for old in SpecialDate.objects.filter(restaurant=restaurant, date=date):
            old.delete()
        rows = [
            SpecialDate(restaurant=restaurant, date=date, opens_at=o, closes_at=c, note=note)
            for o, c in services_
        ] or [SpecialDate(restaurant=restaurant, date=date, note=note)]
        for row in rows:
            row.tenant_id = restaurant.tenant_id
            row.full_clean(validate_unique=False)
            row.save()
    restaurant_snapshot_invalidate(public_ids=[restaurant.public_id])
    return rows


@transaction.atomic
def closure_add(
    *, restaurant: Restaurant, first_day: dt.date, last_day: dt.date, note: str = ""
) -> SpecialDate:
    """Close from `first_day` to `last_day` inclusive as one entry ("closed 24 December to 6 January"). Special
    hours already set inside the range are refused by name, never silently dropped."""
    restaurant = Restaurant.objects.select_for_update().get(pk=restaurant.pk)
    row = SpecialDate(
        restaurant=restaurant,
        date=first_day,
        end_date=last_day if last_day != first_day else None,
        note=note,
    )
    row.tenant_id = restaurant.tenant_id
    row.full_clean()  # the dates, the length and no overlap with another closure, in words
    opening = SpecialDate.objects.filter(
        restaurant=restaurant, opens_at__isnull=False, date__gte=first_day, date__lte=last_day
    ).first()
    if opening is not None:
        raise ValidationError(
            {"date": f"You have special hours on {opening.date:%Y-%m-%d} ({opening}). Delete them first."}
        )
    with snapshot_signals_muted(), _closure_overlap_as_validation_error():
        row.save()
    restaurant_snapshot_invalidate(public_ids=[restaurant.public_id])
    return row


@transaction.atomic
def special_date_delete(*, special_date: SpecialDate) -> None:
    public_id = special_date.restaurant.public_id
    with snapshot_signals_muted():
        special_date.delete()
    restaurant_snapshot_invalidate(public_ids=[public_id])


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
