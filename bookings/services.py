"""Writes: create, change, cancel and re-status bookings; tables and covers capacity.

Every write runs in one transaction that reads the live holds and inserts the new ones. Two writers that
both saw a table free cannot both keep it: Postgres' exclusion constraint rejects the second insert, the
service re-reads and tries the next free table(s) once more, and only then says the time is taken.
Emails go out after commit, through Celery.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Sequence

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from bookings import availability
from bookings.availability import Availability, BookingContext
from bookings.models import NO_OVERLAP_CONSTRAINT, Booking, BookingTable, Table
from bookings.selectors import booking_context, holds_around
from core.errors import ApplicationError, Conflict, NotFound
from tenants.models import Restaurant

logger = logging.getLogger(__name__)

# Read aloud without confusion: no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
REFERENCE_LENGTH = 6
# A lost race is retried against the fresh holds; every round of a burst seats at least one writer, so
# this bounds how many simultaneous callers can be told "just taken" while a table is still free.
ATTEMPTS = 8


class BookingInvalid(ApplicationError):
    code, http_status = "invalid_booking", 400


class BookingUnavailable(Conflict):
    """The time cannot be booked; `availability` says why and what else is free."""

    code = "unavailable"

    def __init__(self, detail: str, result: Availability | None = None) -> None:
        super().__init__(detail)
        self.availability = result


def phone_normalise(raw: str, *, region: str | None) -> str:
    """A phone number in E.164 (+442079460000). Local numbers are read in the restaurant's country."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise BookingInvalid(
            f"“{raw}” is not a phone number we can call back. Give it with the country code, e.g. +44 20 7946 0000."
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def _context_or_404(restaurant_id: int) -> BookingContext:
    ctx = booking_context(restaurant_id=restaurant_id)
    if ctx is None:
        raise NotFound("No such restaurant.")
    return ctx


def _is_overlap(exc: Exception) -> bool:
    """A lost race for a table: the exclusion constraint refused the hold, or two writers inserting
    conflicting holds at once waited on each other and Postgres aborted one (deadlock_detected, 40P01,
    which exclusion constraints can cause where a unique index would not)."""
    if isinstance(exc, IntegrityError):
        return NO_OVERLAP_CONSTRAINT in str(exc)
    return getattr(exc.__cause__, "sqlstate", None) == "40P01"


def _validate_contact(name: str, email: str) -> tuple[str, str]:
    name = " ".join(name.split())
    if not name:
        raise BookingInvalid("A booking needs a name.")
    if len(name) > 120:
        raise BookingInvalid("That name is too long (120 characters at most).")
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise BookingInvalid(f"“{email}” is not an email address.") from None
    return name, email


def _hold(booking: Booking, table_ids: Sequence[int]) -> None:
    BookingTable.objects.bulk_create(
        BookingTable(
            tenant_id=booking.tenant_id,
            restaurant_id=booking.restaurant_id,
            booking=booking,
            table_id=table_id,
            start_at=booking.start_at,
            end_at=booking.end_at,
            holds=booking.holds_tables,
        )
        for table_id in table_ids
    )


def _explicit_tables(ctx: BookingContext, table_ids: Sequence[int]) -> tuple[int, ...]:
    own = {t.id for t in ctx.tables}
    if not set(table_ids) <= own:
        raise BookingInvalid("Those tables are not this restaurant's (or are not in use).")
    return tuple(table_ids)


def booking_create(
    *,
    restaurant: Restaurant,
    start: dt.datetime,
    party_size: int,
    name: str,
    phone: str = "",
    email: str = "",
    notes: str = "",
    channel: str = Booking.Channel.ADMIN,
    call_job_id: str = "",
    kind: str = Booking.Kind.BOOKING,
    table_ids: Sequence[int] | None = None,
    duration: dt.timedelta | None = None,
    for_agent: bool = True,
    now: dt.datetime | None = None,
) -> Booking:
    """Book a table. `for_agent` applies every rule (agent, API); the admin may book outside them.

    A party above the agent's range becomes a *requested* booking for the restaurant to confirm, holding
    tables when some are free. Raises BookingUnavailable (with alternatives) or BookingInvalid.
    """
    now = now or timezone.now()
    if start.tzinfo is None:
        raise BookingInvalid("A start time needs its time zone.")
    start = start.astimezone(dt.UTC)
    ctx = _context_or_404(restaurant.pk)
    name, email = _validate_contact(name, email)
    phone_e164 = phone_normalise(phone, region=ctx.phone_region) if phone.strip() else ""
    if kind == Booking.Kind.BOOKING and for_agent and not phone_e164:
        raise BookingInvalid("A booking needs a phone number to reach the diner.")
    if party_size < 1 or party_size > 100:
        raise BookingInvalid("A party is 1 to 100 people.")
    status = Booking.Status.CONFIRMED
    if for_agent and party_size > ctx.rules.agent_max_party and ctx.rules.enabled:
        status = Booking.Status.REQUESTED
    end = start + (duration or ctx.rules.duration_for(party_size))

    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                holds = holds_around(ctx, start, days_after=availability.SEARCH_DAYS_AFTER)
                tables: tuple[int, ...] | None
                if table_ids:
                    tables = _explicit_tables(ctx, table_ids)
                    if availability.busy_tables(holds, start, end) & set(tables):
                        raise BookingUnavailable("One of those tables is already held at that time.")
                elif status == Booking.Status.REQUESTED:
                    # Too large for the agent to confirm, but still only when the restaurant takes bookings.
                    if availability.service_day_of(ctx, start) is None:
                        raise BookingUnavailable(availability.REASONS["closed"])
                    if not availability.within_notice(ctx, start, now):
                        too_soon = start < now + ctx.rules.min_notice
                        raise BookingUnavailable(availability.REASONS["too_soon" if too_soon else "too_far"])
                    tables = availability.tables_for(ctx, holds, start, party_size) or ()
                else:
                    result = availability.check(ctx, holds, start, party_size, now, for_agent=for_agent)
                    if for_agent and not result.available:
                        raise BookingUnavailable(availability.REASONS[result.reason], result)
                    tables = availability.tables_for(ctx, holds, start, party_size)
                    if tables is None:
                        raise BookingUnavailable(availability.REASONS["full"], result)
                booking = Booking(
                    restaurant=restaurant,
                    reference=_unused_reference(),
                    kind=kind,
                    party_size=party_size,
                    start_at=start,
                    end_at=end,
                    service_date=availability.service_day_of(ctx, start)
                    or availability.local_day(ctx, start),
                    name=name,
                    phone=phone_e164,
                    email=email,
                    notes=notes.strip()[:500],
                    status=status,
                    channel=channel,
                    call_job_id=call_job_id[:100],
                )
                booking.save()
                _hold(booking, tables)
        except (IntegrityError, OperationalError) as exc:
            if not _is_overlap(exc):
                raise
            logger.info("booking race lost at %s (attempt %s), re-reading", start, attempt + 1)
            if table_ids:
                break
            continue
        if kind == Booking.Kind.BOOKING:
            _notify_after_commit(
                booking.pk, "requested" if status == Booking.Status.REQUESTED else "confirmed"
            )
        return booking
    raise BookingUnavailable("That table was just taken by someone else.")


def _unused_reference() -> str:
    for _ in range(10):
        reference = _new_reference()
        if not Booking.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("could not find an unused booking reference")


def booking_change(
    *,
    booking: Booking,
    start: dt.datetime | None = None,
    party_size: int | None = None,
    table_ids: Sequence[int] | None = None,
    for_agent: bool = True,
    now: dt.datetime | None = None,
) -> Booking:
    """Move a booking to another time and/or party size (and tables). All or nothing: if the new time
    cannot be had, the booking keeps its old time and tables."""
    now = now or timezone.now()
    if booking.status not in Booking.HOLDING:
        raise BookingInvalid("A cancelled booking cannot be changed; make a new one.")
    new_start = (start or booking.start_at).astimezone(dt.UTC)
    new_party = party_size or booking.party_size
    ctx = _context_or_404(booking.restaurant_id)
    duration = (
        booking.end_at - booking.start_at
        if booking.kind == Booking.Kind.BLOCK
        else ctx.rules.duration_for(new_party)
    )
    for _attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                locked = Booking.objects.select_for_update().get(pk=booking.pk)
                if locked.status not in Booking.HOLDING:
                    raise BookingInvalid("That booking was cancelled meanwhile.")
                holds = holds_around(
                    ctx, new_start, days_after=availability.SEARCH_DAYS_AFTER, exclude_booking_id=booking.pk
                )
                end = new_start + duration
                if table_ids is not None:
                    tables: tuple[int, ...] | None = _explicit_tables(ctx, table_ids)
                    if availability.busy_tables(holds, new_start, end) & set(tables or ()):
                        raise BookingUnavailable("One of those tables is already held at that time.")
                else:
                    result = availability.check(ctx, holds, new_start, new_party, now, for_agent=for_agent)
                    if for_agent and not result.available:
                        raise BookingUnavailable(availability.REASONS[result.reason], result)
                    tables = availability.tables_for(ctx, holds, new_start, new_party)
                    if tables is None:
                        raise BookingUnavailable(availability.REASONS["full"], result)
                assert tables is not None
                locked.holds.all().delete()
                locked.start_at, locked.end_at, locked.party_size = new_start, end, new_party
                locked.service_date = availability.service_day_of(ctx, new_start) or availability.local_day(
                    ctx, new_start
                )
                locked.save()
                _hold(locked, tables)
        except (IntegrityError, OperationalError) as exc:
            if not _is_overlap(exc):
                raise
            if table_ids is not None:
                break  # the tables asked for are taken: nothing else to try
            continue
        if locked.kind == Booking.Kind.BOOKING:
            _notify_after_commit(locked.pk, "changed")
        return locked
    raise BookingUnavailable("That table was just taken by someone else.")


def booking_status_set(*, booking: Booking, status: str) -> Booking:
    """Confirm, seat, cancel or mark a no-show. Cancelled and no-show bookings free their tables at once."""
    if status not in Booking.Status.values:
        raise BookingInvalid(f"Unknown status {status}.")
    try:
        with transaction.atomic():
            locked = Booking.objects.select_for_update().get(pk=booking.pk)
            previous = locked.status
            if previous == status:
                return locked
            locked.status = status
            locked.save(update_fields=["status", "updated_at"])
            BookingTable.objects.filter(booking=locked).update(holds=locked.holds_tables)
    except (IntegrityError, OperationalError) as exc:
        if _is_overlap(exc):
            raise BookingUnavailable(
                "Its table has been given to another booking at that time meanwhile; move it first."
            ) from None
        raise
    if locked.kind == Booking.Kind.BOOKING:
        if status == Booking.Status.CANCELLED:
            _notify_after_commit(locked.pk, "cancelled")
        elif status == Booking.Status.CONFIRMED and previous == Booking.Status.REQUESTED:
            _notify_after_commit(locked.pk, "confirmed")
    return locked


def booking_cancel(*, booking: Booking) -> Booking:
    return booking_status_set(booking=booking, status=Booking.Status.CANCELLED)


def covers_capacity_set(*, restaurant: Restaurant, covers: int) -> int:
    """A restaurant without a table plan: at most `covers` diners at once, as one-seat virtual tables.

    Growing adds seats; shrinking deactivates the highest ones (bookings already holding them stay).
    Returns the number of active virtual seats.
    """
    if covers < 0 or covers > 1000:
        raise BookingInvalid("Covers capacity is 0 to 1000.")
    with transaction.atomic():
        existing = {
            t.name: t
            for t in Table.objects.select_for_update().filter(restaurant=restaurant, is_virtual=True)
        }
        for n in range(1, max(covers, len(existing)) + 1):
            name = f"Cover {n:03d}"
            table = existing.get(name)
            if table is None and n <= covers:
                Table.objects.create(
                    restaurant=restaurant, name=name, seats=1, combinable=True, is_virtual=True
                )
            elif table is not None and table.is_active != (n <= covers):
                table.is_active = n <= covers
                table.save(update_fields=["is_active", "updated_at"])
    return covers


def _notify_after_commit(booking_id: int, event: str) -> None:
    from bookings.tasks import booking_notify

    transaction.on_commit(lambda: booking_notify.delay(booking_id, event))


def booking_notes_set(*, booking: Booking, notes: str) -> Booking:
    """Replace a booking's notes (allergies, high chair, occasion), as the diner said them."""
    booking.notes = " ".join(notes.split())[:500]
    booking.save(update_fields=["notes", "updated_at"])
    return booking


def booking_contact_set(*, booking: Booking, name: str, phone: str, email: str, notes: str) -> Booking:
    """Correct the diner's details (the admin). The phone is stored in E.164, like every other booking's."""
    name, email = _validate_contact(name, email)
    ctx = _context_or_404(booking.restaurant_id)
    booking.name, booking.email = name, email
    booking.phone = phone_normalise(phone, region=ctx.phone_region) if phone.strip() else ""
    booking.notes = " ".join(notes.split())[:500]
    booking.save(update_fields=["name", "phone", "email", "notes", "updated_at"])
    return booking
