"""Owner admin pages on a 500-dish menu: server time per page (target < 200 ms) and queries per page.

Run: .venv/bin/python -m bench.owner_pages
Uses the real Postgres (database hostline_bench unless DATABASE_URL says otherwise) and Redis (db 14).

Times the whole Django request in-process (Django's test client: middleware, admin, template rendering,
no network), signed in as the restaurant's owner: the menu item list (first page, 100 dishes), a
category page (100 dishes), the restaurant page (the whole menu listed) and the sold-out board (500
one-tap forms). The query counts are asserted by tenants/tests/test_admin_queries.py; here they are
printed beside the times (queries: one read, after a warm-up read).
"""

from __future__ import annotations

import gzip
import time
from decimal import Decimal

from bench._setup import django_for_bench, percentiles

DISHES = 500
CATEGORIES = 5
ROUNDS = 30


def main() -> None:
    django_for_bench()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tenants.models import Membership, MenuCategory, MenuItem, Restaurant, Tenant

    tenant, _ = Tenant.objects.get_or_create(slug="bench-owner-pages", defaults={"name": "Bench owner pages"})
    restaurant, created = Restaurant.objects.get_or_create(
        tenant=tenant, name="Big Menu", defaults={"timezone": "Europe/Paris"}
    )
    if created or MenuItem.objects.filter(restaurant=restaurant).count() != DISHES:
        MenuCategory.objects.filter(restaurant=restaurant).delete()
        categories = [
            MenuCategory.objects.create(restaurant=restaurant, name=f"Section {n}", position=n)
            for n in range(CATEGORIES)
        ]
        MenuItem.objects.bulk_create(
            MenuItem(
                category=categories[n % CATEGORIES],
                restaurant=restaurant,
                name=f"Dish {n:03}",
                description="Slow-cooked, with seasonal vegetables",
                price=Decimal("12.50") + n % 9,
                currency="EUR",
                allergens=["milk"] if n % 3 else [],
                allergens_declared=True,
                is_available=n % 11 != 0,
                sold_out_on=restaurant.local_today() if n % 13 == 0 else None,
            )
            for n in range(DISHES)
        )
    user, _ = get_user_model().objects.get_or_create(
        username="bench-owner", defaults={"is_staff": True, "email": "bench@example.com"}
    )
    Membership.objects.get_or_create(user=user, tenant=tenant, defaults={"role": Membership.Role.OWNER})
    # The test settings allow localhost, not "testserver"; every browser asks for gzip, so the time includes it.
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_ENCODING="gzip")
    client.force_login(user)
    category = MenuCategory.objects.filter(restaurant=restaurant).order_by("position").first()
    assert category is not None
    pages = {
        "menu item list (100 per page)": reverse("admin:tenants_menuitem_changelist")
        + f"?restaurant__id__exact={restaurant.pk}",
        "category page (100 dishes)": reverse("admin:tenants_menucategory_change", args=[category.pk]),
        "restaurant page (500 listed)": reverse("admin:tenants_restaurant_change", args=[restaurant.pk]),
        "sold-out board (500 toggles)": reverse("admin:tenants_restaurant_sold_out", args=[restaurant.pk]),
    }
    # CPU ms: this process's CPU time per request (the machine may be shared; wall time then includes waits).
    print(f"{'page':32} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms':>8} {'queries':>8} {'KB':>6} {'KB gz':>6}")
    for name, url in pages.items():
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        queries = len(ctx.captured_queries)  # now: the next request resets the connection's query log
        assert response.status_code == 200, (name, response.status_code)
        samples, cpu = [], []
        for _ in range(ROUNDS):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            samples.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        p50, p99 = percentiles(samples)
        cpu50, _ = percentiles(cpu)
        sent = len(response.content) / 1024
        html = len(gzip.decompress(response.content)) / 1024 if response.get("Content-Encoding") else sent
        print(f"{name:32} {p50:8.1f} {p99:8.1f} {cpu50:8.1f} {queries:8} {html:6.0f} {sent:6.0f}")


if __name__ == "__main__":
    main()
