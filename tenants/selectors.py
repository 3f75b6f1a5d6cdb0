"""Reads. Everything that lists or loads tenant data goes through here, scoped by tenant."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from tenants.models import Membership, MenuCategory, MenuItem, Restaurant, Tenant
from tenants.snapshot import (
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
    """Build a restaurant's snapshot from Postgres in a fixed number of queries (5, whatever the menu size)."""
    restaurant = (
        Restaurant.objects.select_related("tenant")
        .prefetch_related(
            "opening_hours",
            "special_dates",
            Prefetch(
                "menu_categories",
                queryset=MenuCategory.objects.order_by("position", "name").prefetch_related(
                    Prefetch("items", queryset=MenuItem.objects.order_by("position", "name"))
                ),
            ),
        )
        .filter(public_id=public_id)
        .first()
    )
    if restaurant is None:
        return None
    # Past special dates never matter to a caller; keep yesterday for intervals that run past midnight.
    since = timezone.now().date() - dt.timedelta(days=1)
    snapshot = RestaurantSnapshot(
        public_id=restaurant.public_id,
        tenant_id=restaurant.tenant_id,
        tenant_active=restaurant.tenant.is_active,
        active=restaurant.is_active,
        name=restaurant.name,
        cuisine=restaurant.cuisine,
        address=restaurant.address,
        phone=restaurant.phone,
        website=restaurant.website,
        timezone=restaurant.timezone,
        language=restaurant.language,
        currency=restaurant.currency,
        greeting=restaurant.greeting,
        voice=restaurant.voice,
        extra_instructions=restaurant.extra_instructions,
        weekly_hours=tuple(
            WeeklyInterval(weekday=h.weekday, opens=h.opens_at, closes=h.closes_at)
            for h in sorted(restaurant.opening_hours.all(), key=lambda h: (h.weekday, h.opens_at))
        ),
        special_dates=tuple(
            SpecialDateEntry(date=s.date, opens=s.opens_at, closes=s.closes_at, note=s.note)
            for s in sorted(restaurant.special_dates.all(), key=lambda s: (s.date, s.opens_at or dt.time.min))
            if s.date >= since
        ),
        categories=tuple(
            MenuCategorySnapshot(
                id=c.pk,
                name=c.name,
                description=c.description,
                items=tuple(
                    MenuItemSnapshot(
                        id=i.pk,
                        name=i.name,
                        description=i.description,
                        price=i.price,
                        currency=i.currency,
                        dietary_tags=tuple(i.dietary_tags),
                        allergens=tuple(i.allergens),
                        available=i.is_available,
                    )
                    for i in c.items.all()
                ),
            )
            for c in restaurant.menu_categories.all()
        ),
        built_at=timezone.now(),
    )
    return snapshot.with_content_version()
