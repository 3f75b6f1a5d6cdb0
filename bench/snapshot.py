"""Restaurant snapshot load time: cache hit and cache miss, for menus of 10, 100 and 1000 items.

Run: make bench   (or: .venv/bin/python -m bench.snapshot)
Uses the real Postgres (database hostline_bench) and Redis (db 14, prefix hostline-bench).
"""

from __future__ import annotations

import time
from decimal import Decimal

from bench._setup import django_for_bench, percentiles

SIZES = (10, 100, 1000)
HIT_RUNS = 2000
MISS_RUNS = 200


def main() -> None:
    django_for_bench()
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import cache_keys
    from tenants.cache import restaurant_snapshot_get
    from tenants.models import MenuCategory, MenuItem, OpeningHours, Restaurant, Tenant

    tenant, _ = Tenant.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    print(
        f"{'items':>6} {'hit p50 ms':>11} {'hit p99 ms':>11} {'miss p50 ms':>12} {'miss p99 ms':>12} {'queries':>8}"
    )
    for size in SIZES:
        restaurant, created = Restaurant.objects.get_or_create(tenant=tenant, name=f"Bench {size}")
        if created:
            for day in range(7):
                OpeningHours.objects.create(
                    restaurant=restaurant, weekday=day, opens_at="12:00", closes_at="15:00"
                )
                OpeningHours.objects.create(
                    restaurant=restaurant, weekday=day, opens_at="18:00", closes_at="01:00"
                )
            categories = [
                MenuCategory.objects.create(restaurant=restaurant, name=f"Category {i}", position=i)
                for i in range(10)
            ]
            MenuItem.objects.bulk_create(
                MenuItem(
                    tenant=tenant,
                    restaurant=restaurant,
                    category=categories[i % 10],
                    name=f"Dish {i}",
                    description="A dish described in a sentence or two for the agent to read out.",
                    price=Decimal("12.50"),
                    currency="EUR",
                    dietary_tags=["vegetarian"],
                    allergens=["milk", "gluten"],
                )
                for i in range(size)
            )
        key = cache_keys.restaurant_snapshot_key(restaurant.public_id)
        misses = []
        for _ in range(MISS_RUNS):
            cache.delete(key)
            start = time.perf_counter()
            restaurant_snapshot_get(public_id=restaurant.public_id)
            misses.append(time.perf_counter() - start)
        cache.delete(key)
        with CaptureQueriesContext(connection) as queries:
            restaurant_snapshot_get(public_id=restaurant.public_id)
        hits = []
        for _ in range(HIT_RUNS):
            start = time.perf_counter()
            restaurant_snapshot_get(public_id=restaurant.public_id)
            hits.append(time.perf_counter() - start)
        hit50, hit99 = percentiles(hits)
        miss50, miss99 = percentiles(misses)
        print(f"{size:>6} {hit50:>11.3f} {hit99:>11.3f} {miss50:>12.2f} {miss99:>12.2f} {len(queries):>8}")


if __name__ == "__main__":
    main()
