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
from django.db.models import Q, QuerySet, Sum
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
            SpecialDateEntry(date=d, end_date=e, opens=o, closes=c, note=n)
            for d, e, o, c, n in SpecialDate.objects.filter(restaurant_id=restaurant_id)
            # A closure over several dates that began before `since` still closes the days after it.
            .filter(Q(date__gte=since) | Q(end_date__gte=since))
            .values_list("date", "end_date", "opens_at", "closes_at", "note")
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


# One statement, one round trip, one consistent snapshot: everything a question needs, as JSON columns.
# A question is ~8 queries through the ORM; on a busy database each round trip costs more than the
# availability arithmetic itself, so the Postgres path reads it all at once (bench/bookings_availability.py).
_LIVE_SQL = """
SELECT r.id, r.public_id, r.tenant_id, t.status, r.is_active, r.name, r.timezone, r.language, r.currency, r.phone,
  (SELECT row_to_json(s) FROM bookings_bookingsettings s WHERE s.restaurant_id = r.id),
  (SELECT coalesce(json_agg(json_build_array(d.max_party_size, d.minutes) ORDER BY d.max_party_size), '[]')
     FROM bookings_durationrule d WHERE d.restaurant_id = r.id),
  (SELECT coalesce(json_agg(json_build_array(h.weekday, h.opens_at, h.closes_at) ORDER BY h.weekday, h.opens_at), '[]')
     FROM tenants_openinghours h WHERE h.restaurant_id = r.id),
  (SELECT coalesce(json_agg(json_build_array(sd.date, sd.opens_at, sd.closes_at, sd.note, sd.end_date) ORDER BY sd.date, sd.opens_at), '[]')
     FROM tenants_specialdate sd WHERE sd.restaurant_id = r.id AND COALESCE(sd.end_date, sd.date) >= %(since)s),
  (SELECT coalesce(json_agg(json_build_array(tb.id, tb.name, tb.seats, tb.combinable, tb.is_virtual) ORDER BY tb.name), '[]')
     FROM bookings_table tb WHERE tb.restaurant_id = r.id AND tb.is_active),
  (SELECT coalesce(json_agg(json_build_array(bt.table_id, bt.start_at, bt.end_at)), '[]')
     FROM bookings_bookingtable bt WHERE bt.restaurant_id = r.id AND bt.holds
       AND bt.start_at < %(until)s AND bt.end_at > %(from)s
       AND (%(exclude)s::bigint IS NULL OR bt.booking_id <> %(exclude)s::bigint))
FROM tenants_restaurant r JOIN tenants_tenant t ON t.id = r.tenant_id
WHERE r.id = %(restaurant)s
"""


def _time(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


def _live_postgres(
    restaurant_id: int, start: dt.datetime, end: dt.datetime, exclude_booking_id: int | None
) -> tuple[BookingContext, dict[int, list[Span]]] | None:
    params: dict[str, Any] = {
        "restaurant": restaurant_id,
        "since": timezone.now().date() - dt.timedelta(days=2),
        "from": start,
        "until": end,
        "exclude": exclude_booking_id,
    }
    with connection.cursor() as cursor:
        cursor.execute(_LIVE_SQL, params)
        row = cursor.fetchone()
    if row is None:
        return None
    (pk, public_id, tenant_id, status, is_active, name, zone, language, currency, phone) = row[:10]
    settings, durations, weekly, specials, tables, holds = row[10:]
    active = is_active and status == Tenant.Status.ACTIVE
    rule_durations = tuple((size, dt.timedelta(minutes=minutes)) for size, minutes in durations)
    rules = (
        Rules(
            enabled=bool(settings["enabled"]) and active,
            slot_interval=dt.timedelta(minutes=settings["slot_interval_minutes"]),
            default_duration=dt.timedelta(minutes=settings["default_duration_minutes"]),
            durations=rule_durations,
            agent_min_party=settings["agent_min_party"],
            agent_max_party=settings["agent_max_party"],
            max_days_ahead=settings["max_days_ahead"],
            min_notice=dt.timedelta(minutes=settings["min_notice_minutes"]),
            last_seating=dt.timedelta(minutes=settings["last_seating_minutes"]),
        )
        if settings
        else Rules(enabled=False, durations=rule_durations)
    )
    calendar = RestaurantSnapshot(
        public_id=public_id,
        tenant_id=tenant_id,
        tenant_active=status == Tenant.Status.ACTIVE,
        active=is_active,
        name=name,
        timezone=zone,
        language=language,
        currency=currency,
        weekly_hours=tuple(
            WeeklyInterval(weekday=w, opens=dt.time.fromisoformat(o), closes=dt.time.fromisoformat(c))
            for w, o, c in weekly
        ),
        special_dates=tuple(
            SpecialDateEntry(
                date=dt.date.fromisoformat(d),
                end_date=dt.date.fromisoformat(e) if e else None,
                opens=_time(o),
                closes=_time(c),
                note=n,
            )
            for d, o, c, n, e in specials
        ),
    )
    ctx = BookingContext(
        restaurant_id=pk,
        tenant_id=tenant_id,
        calendar=calendar,
        rules=rules,
        tables=tuple(TableInfo(id=i, name=n, seats=s, combinable=c, virtual=v) for i, n, s, c, v in tables),
        notify_email=settings["notify_email"] if settings else "",
        phone_region=_region_of(phone),
    )
    spans: dict[int, list[Span]] = {}
    for table_id, s, e in holds:
        spans.setdefault(table_id, []).append((dt.datetime.fromisoformat(s), dt.datetime.fromisoformat(e)))
    return ctx, spans


def availability_inputs(
    *, restaurant_id: int, around: dt.datetime, days_after: int = 8, exclude_booking_id: int | None = None
) -> tuple[BookingContext, dict[int, list[Span]]] | None:
    """The rules, calendar, tables and the holds around `around`, read live and consistently.

    On Postgres one statement (its own snapshot); elsewhere (the SQLite demo) the ORM in one transaction.
    """
    start, end = around - dt.timedelta(days=2), around + dt.timedelta(days=days_after + 1)
    if connection.vendor == "postgresql":
        return _live_postgres(restaurant_id, start, end, exclude_booking_id)
    with consistent_read():
        ctx = booking_context(restaurant_id=restaurant_id)
        if ctx is None:
            return None
        return ctx, holds_between(
            restaurant_id=restaurant_id, start=start, end=end, exclude_booking_id=exclude_booking_id
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
