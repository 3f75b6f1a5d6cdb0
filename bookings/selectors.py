"""Reads. Availability is read live from Postgres, never from the snapshot cache: a booking made in the
admin is seen by the next question, and one made by the agent is in the admin at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import unicodedata
from collections.abc import Iterator
from typing import Any

import phonenumbers
from django.db import connection, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from bookings.availability import BookingContext, Rules, Span, TableInfo
from bookings.models import Booking, BookingSettings, BookingTable, DurationRule, Table
from tenants.hours import intervals_on
from tenants.models import OpeningHours, Restaurant, SpecialDate, Tenant
from tenants.snapshot import RestaurantSnapshot, SpecialDateEntry, WeeklyInterval


@contextlib.contextmanager
def consistent_read() -> Iterator[None]:
    """One transaction whose reads all see the same moment (Postgres REPEATABLE READ, read only).

    Inside an outer transaction (a booking being written) the outer one is used as it is.
    """
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _region_of(phone: str) -> str | None:
    """The country a restaurant's own phone number is in: the default for diners' local numbers."""
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(phone, None))
    except phonenumbers.NumberParseException:
        return None
    return region if region and region != "ZZ" else None


def booking_context(*, restaurant_id: int) -> BookingContext | None:
    """A restaurant's calendar, rules and tables, read from the database (five small queries)."""
    row = (
        Restaurant.objects.filter(pk=restaurant_id)
        .values(
            "pk",
            "public_id",
            "tenant_id",
            "tenant__status",
            "is_active",
            "name",
            "timezone",
            "language",
            "currency",
            "phone",
        )
        .first()
    )
    if row is None:
        return None
    # Special dates from two days back: enough for a service that began yesterday and runs past midnight.
    since = timezone.now().date() - dt.timedelta(days=2)
    settings = BookingSettings.objects.filter(restaurant_id=restaurant_id).first()
    durations = tuple(
        (size, dt.timedelta(minutes=minutes))
        for size, minutes in DurationRule.objects.filter(restaurant_id=restaurant_id)
        .order_by("max_party_size")
        .values_list("max_party_size", "minutes")
    )
    rules = (
        Rules(
            enabled=settings.enabled and row["is_active"] and row["tenant__status"] == Tenant.Status.ACTIVE,
            slot_interval=dt.timedelta(minutes=settings.slot_interval_minutes),
            default_duration=dt.timedelta(minutes=settings.default_duration_minutes),
            durations=durations,
            agent_min_party=settings.agent_min_party,
            agent_max_party=settings.agent_max_party,
            max_days_ahead=settings.max_days_ahead,
            min_notice=dt.timedelta(minutes=settings.min_notice_minutes),
            last_seating=dt.timedelta(minutes=settings.last_seating_minutes),
        )
        if settings
        else Rules(enabled=False, durations=durations)
    )
    calendar = RestaurantSnapshot(
        public_id=row["public_id"],
        tenant_id=row["tenant_id"],
        tenant_active=row["tenant__status"] == Tenant.Status.ACTIVE,
        active=row["is_active"],
        name=row["name"],
        timezone=row["timezone"],
        language=row["language"],
        currency=row["currency"],
        weekly_hours=tuple(
            WeeklyInterval(weekday=w, opens=o, closes=c)
            for w, o, c in OpeningHours.objects.filter(restaurant_id=restaurant_id).values_list(
                "weekday", "opens_at", "closes_at"
            )
        ),
        special_dates=tuple(
            SpecialDateEntry(date=d, opens=o, closes=c, note=n)
            for d, o, c, n in SpecialDate.objects.filter(
                restaurant_id=restaurant_id, date__gte=since
            ).values_list("date", "opens_at", "closes_at", "note")
        ),
    )
    tables = tuple(
        TableInfo(id=pk, name=name, seats=seats, combinable=combinable, virtual=virtual)
        for pk, name, seats, combinable, virtual in Table.objects.filter(
            restaurant_id=restaurant_id, is_active=True
        ).values_list("pk", "name", "seats", "combinable", "is_virtual")
    )
    return BookingContext(
        restaurant_id=row["pk"],
        tenant_id=row["tenant_id"],
        calendar=calendar,
        rules=rules,
        tables=tables,
        notify_email=settings.notify_email if settings else "",
        phone_region=_region_of(row["phone"]),
    )


def holds_between(
    *, restaurant_id: int, start: dt.datetime, end: dt.datetime, exclude_booking_id: int | None = None
) -> dict[int, list[Span]]:
    """Every table's held spans that overlap [start, end), by table id."""
    rows = BookingTable.objects.filter(
        restaurant_id=restaurant_id, holds=True, start_at__lt=end, end_at__gt=start
    )
    if exclude_booking_id is not None:
        rows = rows.exclude(booking_id=exclude_booking_id)
    result: dict[int, list[Span]] = {}
    for table_id, s, e in rows.values_list("table_id", "start_at", "end_at"):
        result.setdefault(table_id, []).append((s, e))
    return result


def holds_around(
    ctx: BookingContext, when: dt.datetime, *, days_after: int = 8, exclude_booking_id: int | None = None
) -> dict[int, list[Span]]:
    """Holds from the day before `when` to `days_after` days after it: enough for nearest alternatives."""
    return holds_between(
        restaurant_id=ctx.restaurant_id,
        start=when - dt.timedelta(days=2),
        end=when + dt.timedelta(days=days_after + 1),
        exclude_booking_id=exclude_booking_id,
    )


def fold(text: str) -> str:
    """Case- and accent-insensitive, single-spaced: how names are compared."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return " ".join(plain.split())


def reference_normalise(reference: str) -> str:
    return "".join(c for c in reference.upper() if c.isalnum())


def booking_find(
    *,
    restaurant_id: int,
    reference: str = "",
    name: str = "",
    phone_e164: str = "",
    upcoming_after: dt.datetime | None = None,
) -> list[Booking]:
    """A caller's own bookings: by reference, or by name AND phone together. Nothing for anything less.

    The reference is a secret the diner was given; name and phone must both match one booking, so a caller
    who knows only someone's name (or only a number) learns nothing.
    """
    qs = Booking.objects.filter(restaurant_id=restaurant_id, kind=Booking.Kind.BOOKING)
    if upcoming_after is not None:
        qs = qs.filter(end_at__gt=upcoming_after)
    ref = reference_normalise(reference)
    if ref:
        return list(qs.filter(reference=ref))
    if not (name.strip() and phone_e164):
        return []
    wanted = fold(name)
    return [
        b
        for b in qs.filter(phone=phone_e164).order_by("start_at")
        if fold(b.name) == wanted or fold(b.name).split(" ")[-1:] == wanted.split(" ")[-1:]
    ]


def bookings_on(*, restaurant_id: int, day: dt.date) -> QuerySet[Booking]:
    """A restaurant's book for one local service date, in time order, with tables."""
    return (
        Booking.objects.filter(restaurant_id=restaurant_id, service_date=day)
        .order_by("start_at", "pk")
        .prefetch_related("tables")
    )


def covers_by_service(*, restaurant_id: int, day: dt.date) -> list[dict[str, Any]]:
    """Covers booked per service (opening interval) on a local date; blocks and cancellations not counted."""
    ctx = booking_context(restaurant_id=restaurant_id)
    if ctx is None:
        return []
    held = Booking.objects.filter(
        restaurant_id=restaurant_id,
        service_date=day,
        kind=Booking.Kind.BOOKING,
        status__in=Booking.HOLDING,
    ).values_list("start_at", "party_size")
    services = []
    zone = ctx.zone
    for opens, closes in intervals_on(ctx.calendar, day):
        covers = sum(p for s, p in held if opens <= s < closes)
        count = sum(1 for s, _ in held if opens <= s < closes)
        services.append(
            {
                "label": f"{opens.astimezone(zone):%H:%M}–{closes.astimezone(zone):%H:%M}",
                "covers": covers,
                "bookings": count,
            }
        )
    total = held.aggregate(total=Sum("party_size"))["total"] or 0
    services.append({"label": "Whole day", "covers": total, "bookings": held.count()})
    return services
