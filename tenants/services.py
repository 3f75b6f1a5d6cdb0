"""Writes. Views, admin actions, commands and tasks call these; they hold no business logic themselves."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tenants import demo
from tenants.cache import restaurant_snapshot_invalidate
from tenants.models import (
    AllowedOrigin,
    Membership,
    MenuCategory,
    MenuItem,
    OpeningHours,
    Restaurant,
    SpecialDate,
    Tenant,
)
from tenants.selectors import DEMO_TENANT_SLUG


@transaction.atomic
def menu_items_set_availability(*, items: QuerySet[MenuItem], available: bool) -> int:
    """Mark menu items available or sold out in one statement. Returns how many rows changed."""
    changing = items.exclude(is_available=available)
    # .update() sends no signals, so say which snapshots it changes.
    restaurant_snapshot_invalidate(public_ids=set(changing.values_list("restaurant__public_id", flat=True)))
    return changing.update(is_available=available)


@dataclass(frozen=True)
class DemoSeedResult:
    tenant: Tenant
    owner_username: str
    created_restaurants: int


DEMO_OWNER_USERNAME = "demo-owner"
DEMO_ORIGINS = ["http://127.0.0.1:8000", "http://localhost:8000"]


@transaction.atomic
def demo_tenant_seed(*, owner_password: str | None, today: dt.date | None = None) -> DemoSeedResult:
    """Create the demo tenant, its owner and six restaurants. Running it again changes nothing.

    `owner_password` is set only when the owner account is created, or when given explicitly again.
    """
    today = today or timezone.localdate()
    tenant, _ = Tenant.objects.get_or_create(slug=DEMO_TENANT_SLUG, defaults={"name": "Hostline Demo Group"})
    User = get_user_model()
    owner, created_owner = User.objects.get_or_create(
        username=DEMO_OWNER_USERNAME, defaults={"email": "owner@demo.hostline.local", "is_staff": True}
    )
    if created_owner or owner_password:
        owner.set_password(owner_password or secrets.token_urlsafe(12))
        owner.save()
    Membership.objects.get_or_create(tenant=tenant, user=owner, defaults={"role": Membership.Role.OWNER})
    for origin in DEMO_ORIGINS:
        AllowedOrigin.objects.get_or_create(tenant=tenant, origin=origin)

    created_restaurants = 0
    for spec in demo.restaurants(today):
        fields = {k: v for k, v in spec.items() if k not in {"name", "hours", "special", "menu"}}
        restaurant, created = Restaurant.objects.get_or_create(
            tenant=tenant, name=spec["name"], defaults=fields
        )
        if not created:
            continue
        created_restaurants += 1
        OpeningHours.objects.bulk_create(
            OpeningHours(tenant=tenant, restaurant=restaurant, weekday=day, opens_at=opens, closes_at=closes)
            for day, opens, closes in spec["hours"]
        )
        SpecialDate.objects.bulk_create(
            SpecialDate(
                tenant=tenant, restaurant=restaurant, date=date, opens_at=opens, closes_at=closes, note=note
            )
            for date, opens, closes, note in spec["special"]
        )
        for position, (category_name, items) in enumerate(spec["menu"]):
            category = MenuCategory.objects.create(
                restaurant=restaurant, name=category_name, position=position
            )
            MenuItem.objects.bulk_create(
                MenuItem(
                    tenant=tenant,
                    restaurant=restaurant,
                    category=category,
                    name=name,
                    description=description,
                    price=Decimal(price),
                    currency=restaurant.currency,
                    dietary_tags=tags,
                    allergens=allergens,
                    is_available=available,
                    position=item_position,
                )
                for item_position, (name, description, price, tags, allergens, available) in enumerate(items)
            )
    return DemoSeedResult(
        tenant=tenant, owner_username=owner.get_username(), created_restaurants=created_restaurants
    )
