"""Reads. Everything that lists or loads tenant data goes through here, scoped by tenant."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tenants.menu_io import CategoryRows, Format, ItemRow, ParsedMenu, menu_render
from tenants.models import (
    MENU_ITEM_CONTENT_FIELDS,
    AllowedOrigin,
    ApiKey,
    Membership,
    MenuCategory,
    MenuItem,
    OpeningHours,
    Restaurant,
    SpecialDate,
    Tenant,
)
from tenants.snapshot import (
    RESTAURANT_FIELDS,
    MenuCategorySnapshot,
    MenuItemSnapshot,
    RestaurantSnapshot,
    SpecialDateEntry,
    WeeklyInterval,
)

DEMO_TENANT_SLUG = "demo"


def user_tenant_ids(*, user: AbstractBaseUser | AnonymousUser) -> list[int]:
    """The tenants a user belongs to. Empty for anyone without a membership: scoping fails closed."""
    if not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user_id=user.pk).values_list("tenant_id", flat=True))


def user_owner_tenant_ids(*, user: AbstractBaseUser | AnonymousUser) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user_id=user.pk, role=Membership.Role.OWNER).values_list(
            "tenant_id", flat=True
        )
    )


def demo_restaurant_list() -> QuerySet[Restaurant]:
    return Restaurant.objects.filter(
        tenant__slug=DEMO_TENANT_SLUG, tenant__status=Tenant.Status.ACTIVE, is_active=True
    ).order_by("name")


def restaurant_snapshot_from_db(*, public_id: str) -> RestaurantSnapshot | None:
    """Build a restaurant's snapshot from Postgres in six queries, whatever the menu size.

    Plain value rows instead of model instances: this runs on every cache miss, before a greeting.
    """
    row = (
        Restaurant.objects.filter(public_id=public_id)
        # booking_settings__enabled: a reverse one-to-one (bookings app) read by name, one LEFT JOIN,
        # so the catalog does not import bookings; the agent only needs to know whether to offer them.
        .values(
            "pk",
            "tenant__status",
            "tenant__max_concurrent_sessions",
            "is_active",
            "went_live_at",
            "booking_settings__enabled",
            *RESTAURANT_FIELDS,
        )
        .first()
    )
    if row is None:
        return None
    pk = row["pk"]
    # Past special dates never matter to a caller; keep yesterday for intervals that run past midnight.
    since = timezone.now().date() - dt.timedelta(days=1)
    hours = OpeningHours.objects.filter(restaurant_id=pk).order_by("weekday", "opens_at")
    specials = (
        SpecialDate.objects.filter(restaurant_id=pk)
        .filter(Q(date__gte=since) | Q(end_date__gte=since))  # a closure that began earlier still runs
        .order_by("date", "opens_at")
    )
    categories = MenuCategory.objects.filter(restaurant_id=pk).order_by("position", "name")
    items_by_category: dict[int, list[MenuItemSnapshot]] = {}
    for item in (
        MenuItem.objects.filter(restaurant_id=pk)
        .order_by("position", "name")
        .values("pk", "category_id", "sold_out_on", *MENU_ITEM_CONTENT_FIELDS)
    ):
        items_by_category.setdefault(item["category_id"], []).append(MenuItemSnapshot.from_row(item))
    snapshot = RestaurantSnapshot(
        **{field: row[field] for field in RESTAURANT_FIELDS},
        tenant_active=row["tenant__status"] == Tenant.Status.ACTIVE,
        active=row["is_active"],
        live=row["went_live_at"] is not None,
        bookings_enabled=bool(row["booking_settings__enabled"]),
        weekly_hours=tuple(
            WeeklyInterval(weekday=h["weekday"], opens=h["opens_at"], closes=h["closes_at"])
            for h in hours.values("weekday", "opens_at", "closes_at")
        ),
        special_dates=tuple(
            SpecialDateEntry(
                date=s["date"],
                end_date=s["end_date"],
                opens=s["opens_at"],
                closes=s["closes_at"],
                note=s["note"],
            )
            for s in specials.values("date", "end_date", "opens_at", "closes_at", "note")
        ),
        categories=tuple(
            MenuCategorySnapshot(
                id=c["pk"],
                name=c["name"],
                description=c["description"],
                items=tuple(items_by_category.get(c["pk"], ())),
            )
            for c in categories.values("pk", "name", "description")
        ),
        max_concurrent_sessions=row["tenant__max_concurrent_sessions"],
        allowed_origins=tuple(
            AllowedOrigin.objects.filter(tenant_id=row["tenant_id"])
            .order_by("origin")
            .values_list("origin", flat=True)
        ),
        built_at=timezone.now(),
    )
    return snapshot.with_content_version()


def restaurant_public_ids_taking_calls() -> list[str]:
    return list(
        Restaurant.objects.filter(
            is_active=True, went_live_at__isnull=False, tenant__status=Tenant.Status.ACTIVE
        ).values_list("public_id", flat=True)
    )


def menu_as_rows(*, restaurant: Restaurant) -> ParsedMenu:
    """The restaurant's menu in the shape menu files have, in the order diners hear it."""
    categories = [
        CategoryRows(name=c.name, description=c.description)
        for c in MenuCategory.objects.filter(restaurant=restaurant).order_by("position", "name", "pk")
    ]
    by_name = {c.name: c for c in categories}
    items = (
        MenuItem.objects.filter(restaurant=restaurant)
        .order_by("category__position", "category__name", "position", "name", "pk")
        .values_list("category__name", *MENU_ITEM_CONTENT_FIELDS)
    )
    for category_name, name, description, price, currency, tags, allergens, declared, available in items:
        by_name[category_name].items.append(
            ItemRow(
                name=name,
                description=description,
                price=price,
                currency=currency,
                dietary_tags=list(tags),
                allergens=list(allergens),
                allergens_declared=declared,
                available=available,
            )
        )
    return ParsedMenu(categories=categories)


def menu_export(*, restaurant: Restaurant, file_format: Format) -> bytes:
    return menu_render(menu_as_rows(restaurant=restaurant), file_format, currency=restaurant.currency)


# The example files the documentation links to are the ones the app serves: one copy, tested to import.
MENU_EXAMPLES_DIR = Path(settings.BASE_DIR) / "docs" / "examples"


def menu_example(*, file_format: Format) -> bytes:
    return (MENU_EXAMPLES_DIR / f"menu.{file_format}").read_bytes()


# --- Tenant-scoped reads for the REST API: every lookup names the tenant, so another tenant's id is a miss.


def restaurant_list(*, tenant_id: int) -> QuerySet[Restaurant]:
    return Restaurant.objects.filter(tenant_id=tenant_id).order_by("name", "pk")


def restaurant_get(*, tenant_id: int, public_id: str) -> Restaurant | None:
    return Restaurant.objects.filter(tenant_id=tenant_id, public_id=public_id).first()


def opening_hours_list(*, restaurant: Restaurant) -> QuerySet[OpeningHours]:
    return OpeningHours.objects.filter(restaurant=restaurant).order_by("weekday", "opens_at")


def special_date_list(
    *, restaurant: Restaurant, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet[SpecialDate]:
    qs = SpecialDate.objects.filter(restaurant=restaurant)
    if date_from is not None:
        # A closure that began before `date_from` and runs into it is in the window too.
        qs = qs.filter(Q(date__gte=date_from) | Q(end_date__gte=date_from))
    if date_to is not None:
        qs = qs.filter(date__lte=date_to)
    return qs.order_by("date", "opens_at")


def menu_category_list(*, restaurant: Restaurant) -> QuerySet[MenuCategory]:
    return MenuCategory.objects.filter(restaurant=restaurant).order_by("position", "name", "pk")


def menu_category_get(*, tenant_id: int, category_id: int) -> MenuCategory | None:
    return (
        MenuCategory.objects.select_related("restaurant").filter(tenant_id=tenant_id, pk=category_id).first()
    )


def menu_item_list(
    *,
    restaurant: Restaurant,
    category_id: int | None = None,
    available: bool | None = None,
    external_id: str | None = None,
) -> QuerySet[MenuItem]:
    qs = MenuItem.objects.filter(restaurant=restaurant).select_related("category", "restaurant")
    if category_id is not None:
        qs = qs.filter(category_id=category_id)
    if available is not None:
        # What a diner hears now: "sold out today" counts as not available, on the restaurant's local date.
        on_sale = Q(is_available=True) & ~Q(sold_out_on=restaurant.local_today())
        qs = qs.filter(on_sale if available else ~on_sale)
    if external_id:
        qs = qs.filter(external_id=external_id)
    return qs.order_by("category__position", "position", "name", "pk")


def menu_item_get(*, tenant_id: int, item_id: int) -> MenuItem | None:
    return (
        MenuItem.objects.select_related("category", "restaurant")
        .filter(tenant_id=tenant_id, pk=item_id)
        .first()
    )


def menu_by_category(*, restaurant: Restaurant) -> list[tuple[MenuCategory, list[MenuItem]]]:
    """A restaurant's menu as diners hear it, category by category, in two queries whatever its size.

    Categories without dishes are kept (an owner sees the empty section). The items carry no restaurant or
    category objects: pages that list them print the restaurant's currency and zone from `restaurant`.
    """
    categories = list(MenuCategory.objects.filter(restaurant=restaurant).order_by("position", "name", "pk"))
    by_category: dict[int, list[MenuItem]] = {c.pk: [] for c in categories}
    for item in MenuItem.objects.filter(restaurant=restaurant).order_by("position", "name", "pk"):
        by_category.setdefault(item.category_id, []).append(item)
    return [(c, by_category[c.pk]) for c in categories]


@dataclass(frozen=True)
class SuspendImpact:
    tenant: Tenant
    restaurants: list[str]
    active_api_keys: int
    owners: int


def suspend_impact(*, tenants: list[Tenant]) -> list[SuspendImpact]:
    """What suspending each tenant stops, for the operator's confirmation page: three queries in all."""
    ids = [t.pk for t in tenants]
    names: dict[int, list[str]] = {}
    for tenant_id, name in Restaurant.objects.filter(tenant_id__in=ids).values_list("tenant_id", "name"):
        names.setdefault(tenant_id, []).append(name)
    keys = dict(
        ApiKey.objects.filter(tenant_id__in=ids, revoked_at__isnull=True)
        .values("tenant_id")
        .annotate(n=Count("pk"))
        .values_list("tenant_id", "n")
    )
    owners = dict(
        Membership.objects.filter(tenant_id__in=ids, role=Membership.Role.OWNER)
        .values("tenant_id")
        .annotate(n=Count("pk"))
        .values_list("tenant_id", "n")
    )
    return [
        SuspendImpact(
            tenant=t,
            restaurants=sorted(names.get(t.pk, [])),
            active_api_keys=keys.get(t.pk, 0),
            owners=owners.get(t.pk, 0),
        )
        for t in tenants
    ]
