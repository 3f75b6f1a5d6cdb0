"""Demo booking setup: every demo restaurant takes bookings, so `make demo` shows the book and the tools.

Idempotent: rules and tables are created once and never overwritten, so an owner's edits survive a re-seed.
"""

from __future__ import annotations

from django.db import transaction

from bookings.models import BookingSettings, Table
from bookings.services import covers_capacity_set
from tenants.selectors import demo_restaurant_list

DEMO_TABLES = [
    ("1", 2, False),
    ("2", 2, False),
    ("3", 4, True),
    ("4", 4, True),
    ("5", 4, True),
    ("6", 6, False),
]


@transaction.atomic
def demo_bookings_seed() -> int:
    """Switch bookings on for the demo restaurants; the last one gets a covers capacity instead of tables."""
    restaurants = list(demo_restaurant_list())
    for index, restaurant in enumerate(restaurants):
        BookingSettings.objects.get_or_create(
            restaurant=restaurant, defaults={"enabled": True, "notify_email": "bookings@demo.hostline.local"}
        )
        if Table.objects.filter(restaurant=restaurant).exists():
            continue
        if index == len(restaurants) - 1:
            covers_capacity_set(restaurant=restaurant, covers=30)
            continue
        for name, seats, combinable in DEMO_TABLES:
            Table.objects.create(
                restaurant=restaurant, name=f"Table {name}", seats=seats, combinable=combinable
            )
    return len(restaurants)
