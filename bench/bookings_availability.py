"""Availability on a busy Saturday: 40 tables, 200 bookings. Target: p50 <= 20 ms for one question.

Run: .venv/bin/python -m bench.bookings_availability
Uses the real Postgres (database hostline_bench unless DATABASE_URL says otherwise) and Redis (db 14).

What is timed is what the agent's check_availability tool does per question, minus the event loop hop:
one REPEATABLE READ transaction that loads the rules, hours and tables (five small queries) and the holds
around the day (one query), then the pure availability check with up to three nearest alternatives.
Measured sequentially (latency) and from 8 threads at once (each its own connection, as the worker's
thread pool runs them). No peer in /work/shared/peers takes bookings, so the side-by-side figure is the
floor Postgres itself sets: one indexed overlap query ("is table T free at 19:00?") on the same data.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from zoneinfo import ZoneInfo

from bench._setup import django_for_bench, percentiles

TABLES = 40
BOOKINGS = 200
QUESTIONS = 1000
THREADS = 8
PER_THREAD = 250


def _saturday(zone: ZoneInfo) -> dt.date:
    today = dt.datetime.now(zone).date()
    return today + dt.timedelta(days=(5 - today.weekday()) % 7 + 14)


def main() -> None:
    django_for_bench()
    from django.db import connection, connections

    from bookings import availability
    from bookings.models import Booking, BookingSettings, Table
    from bookings.selectors import availability_inputs, booking_context
    from bookings.services import booking_create
    from tenants.models import OpeningHours, Restaurant, Tenant

    zone = ZoneInfo("Europe/Paris")
    day = _saturday(zone)
    tenant, _ = Tenant.objects.get_or_create(slug="bench-bookings", defaults={"name": "Bench bookings"})
    restaurant, created = Restaurant.objects.get_or_create(
        tenant=tenant,
        name="Busy Saturday",
        defaults={"timezone": "Europe/Paris", "phone": "+33 1 42 00 00 00"},
    )
    if created:
        for weekday in range(7):
            OpeningHours.objects.create(
                restaurant=restaurant, weekday=weekday, opens_at=dt.time(12, 0), closes_at=dt.time(15, 0)
            )
            OpeningHours.objects.create(
                restaurant=restaurant, weekday=weekday, opens_at=dt.time(18, 30), closes_at=dt.time(0, 30)
            )
        BookingSettings.objects.create(restaurant=restaurant, enabled=True, max_days_ahead=90)
        for i in range(TABLES):
            seats = (2, 2, 4, 4, 4, 6, 8)[i % 7]
            Table.objects.create(
                restaurant=restaurant, name=f"T{i + 1:02d}", seats=seats, combinable=i % 3 == 0
            )
    Booking.objects.filter(restaurant=restaurant).delete()
    rng = random.Random(42)
    starts = availability.slots_on(booking_context(restaurant_id=restaurant.pk), day)  # type: ignore[arg-type]
    # Six sittings a table (two at lunch, four at dinner) with about one in seven left free at random:
    # exactly 200 bookings on 40 tables, a full house in which some answers are still yes.
    sittings = ["12:00", "13:30", "18:30", "20:00", "21:30", "23:00"]
    tables = list(Table.objects.filter(restaurant=restaurant).order_by("name"))
    made = 0
    for n in range(len(sittings) * TABLES):
        table, sitting = tables[n % TABLES], sittings[n // TABLES]
        if made == BOOKINGS or rng.random() < 1 / 7:
            continue  # this one stays free
        hour, minute = map(int, sitting.split(":"))
        booking_create(
            restaurant=restaurant,
            start=dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone),
            party_size=min(table.seats, rng.choice([2, 2, 3, 4, 4, 5, 6])),
            name=f"Diner {n}",
            phone="+33612345678",
            table_ids=[table.pk],
            for_agent=False,
        )
        made += 1

    def ask(start: dt.datetime, party: int) -> availability.Availability:
        live = availability_inputs(restaurant_id=restaurant.pk, around=start)
        assert live is not None
        ctx, holds = live
        return availability.check(ctx, holds, start, party, dt.datetime.now(dt.UTC))

    questions = [(rng.choice(starts), rng.choice([2, 4, 6])) for _ in range(QUESTIONS)]
    for start, party in questions[:50]:  # warm up connections and caches
        ask(start, party)
    samples, answered = [], {"yes": 0, "no": 0}
    for start, party in questions:
        t0 = time.perf_counter()
        result = ask(start, party)
        samples.append(time.perf_counter() - t0)
        answered["yes" if result.available else "no"] += 1
    p50, p99 = percentiles(samples)

    floor = []
    table_id = Table.objects.filter(restaurant=restaurant).values_list("pk", flat=True).first()
    with connection.cursor() as cursor:
        for start, _ in questions:
            t0 = time.perf_counter()
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM bookings_bookingtable WHERE table_id = %s AND holds "
                "AND tstzrange(start_at, end_at) && tstzrange(%s, %s))",
                [table_id, start, start + dt.timedelta(minutes=90)],
            )
            cursor.fetchone()
            floor.append(time.perf_counter() - t0)
    floor50, floor99 = percentiles(floor)

    concurrent: list[float] = []
    lock = threading.Lock()

    def worker(seed: int) -> None:
        local = random.Random(seed)
        mine = []
        for _ in range(PER_THREAD):
            start, party = local.choice(questions)
            t0 = time.perf_counter()
            ask(start, party)
            mine.append(time.perf_counter() - t0)
        connections.close_all()
        with lock:
            concurrent.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall
    c50, c99 = percentiles(concurrent)

    held = Booking.objects.filter(restaurant=restaurant, service_date=day).count()
    print(
        f"busy Saturday {day}: {TABLES} tables, {held} bookings; {answered['yes']} yes / {answered['no']} no"
    )
    print(f"{'':>34} {'p50 ms':>8} {'p99 ms':>8}")
    print(f"{'availability, one client':>34} {p50:>8.2f} {p99:>8.2f}")
    print(
        f"{f'availability, {THREADS} threads at once':>34} {c50:>8.2f} {c99:>8.2f}   {len(concurrent) / wall:.0f} answers/s"
    )
    print(
        f"{'floor: one overlap query':>34} {floor50:>8.2f} {floor99:>8.2f}   ratio p50 {p50 / floor50:.1f}x"
    )


if __name__ == "__main__":
    main()
