"""Which start times can take a party: pure functions over the hours, the rules, the tables and the holds.

"Open" has one definition, tenants/hours.py: bookable times are laid on the opening intervals it returns
(split shifts, past midnight, special dates, the restaurant's time zone and its DST days included). A slot
starts at an opening time and every `slot_interval` after it, up to `last_seating` before that interval's
closing time. All instants are UTC; local time is only for display and for "which day".

Nothing here touches the database: bookings/selectors.py loads a `BookingContext` and the holds, inside
one transaction, and hands them here. That keeps the logic easy to check against a simple reference
(bookings/tests/test_availability_properties.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from tenants import hours
from tenants.snapshot import RestaurantSnapshot

Span = tuple[dt.datetime, dt.datetime]
MAX_ALTERNATIVES = 3
SEARCH_DAYS_AFTER = 7  # when the asked-for day is full, look this many days ahead for the first times


@dataclass(frozen=True)
class Rules:
    enabled: bool = False
    slot_interval: dt.timedelta = dt.timedelta(minutes=15)
    default_duration: dt.timedelta = dt.timedelta(minutes=90)
    # (max party size, duration), sorted by size: the first rule the party fits in wins.
    durations: tuple[tuple[int, dt.timedelta], ...] = ()
    agent_min_party: int = 1
    agent_max_party: int = 8
    max_days_ahead: int = 60
    min_notice: dt.timedelta = dt.timedelta(minutes=60)
    last_seating: dt.timedelta = dt.timedelta(minutes=60)

    def duration_for(self, party_size: int) -> dt.timedelta:
        for max_party, duration in self.durations:
            if party_size <= max_party:
                return duration
        return self.default_duration


@dataclass(frozen=True)
class TableInfo:
    id: int
    name: str
    seats: int
    combinable: bool
    virtual: bool = False


@dataclass(frozen=True)
class BookingContext:
    """Everything but the holds: read in the same transaction as them."""

    restaurant_id: int
    tenant_id: int
    calendar: RestaurantSnapshot  # hours and special dates only; the menu is not needed here
    rules: Rules
    tables: tuple[TableInfo, ...]
    notify_email: str = ""
    phone_region: str | None = None

    @property
    def zone(self) -> dt.tzinfo:
        return hours.local_now(self.calendar).tzinfo  # type: ignore[return-value]

    @property
    def largest_party(self) -> int:
        """The largest party the tables can seat at all (one table, or every combinable table together)."""
        single = max((t.seats for t in self.tables), default=0)
        return max(single, sum(t.seats for t in self.tables if t.combinable))


def local_day(ctx: BookingContext, when: dt.datetime) -> dt.date:
    return when.astimezone(ctx.zone).date()


def service_windows(ctx: BookingContext, day: dt.date) -> list[Span]:
    """The spans in which a booking may start, for the services that open on local date `day`."""
    windows = []
    for opens, closes in hours.intervals_on(ctx.calendar, day):
        last = closes - ctx.rules.last_seating
        if last >= opens:
            windows.append((opens, last))
    return windows


def slots_on(ctx: BookingContext, day: dt.date) -> list[dt.datetime]:
    """Every bookable start on the grid for the services that open on `day`, in order."""
    starts: list[dt.datetime] = []
    for opens, last in service_windows(ctx, day):
        t = opens
        while t <= last:
            starts.append(t)
            t += ctx.rules.slot_interval
    return sorted(set(starts))


def service_day_of(ctx: BookingContext, when: dt.datetime) -> dt.date | None:
    """The local date of the service a start time belongs to (yesterday's, after midnight), or None."""
    day = local_day(ctx, when)
    for candidate in (day, day - dt.timedelta(days=1)):
        if any(opens <= when <= last for opens, last in service_windows(ctx, candidate)):
            return candidate
    return None


def within_notice(ctx: BookingContext, start: dt.datetime, now: dt.datetime) -> bool:
    """Neither too soon nor too far ahead (counted in local days from today)."""
    if start < now + ctx.rules.min_notice:
        return False
    return (local_day(ctx, start) - local_day(ctx, now)).days <= ctx.rules.max_days_ahead


def _overlaps(spans: Iterable[Span], start: dt.datetime, end: dt.datetime) -> bool:
    return any(s < end and start < e for s, e in spans)


def busy_tables(holds: Mapping[int, Sequence[Span]], start: dt.datetime, end: dt.datetime) -> set[int]:
    return {table_id for table_id, spans in holds.items() if _overlaps(spans, start, end)}


def pick_tables(tables: Sequence[TableInfo], busy: set[int], party_size: int) -> tuple[int, ...] | None:
    """The tables to give a party, or None. The smallest single table that seats it; otherwise combinable
    tables, largest first, until they seat it (virtual one-seat tables are a covers capacity)."""
    free = [t for t in tables if t.id not in busy]
    singles = [t for t in free if t.seats >= party_size and not t.virtual]
    if singles:
        best = min(singles, key=lambda t: (t.seats, t.name))
        return (best.id,)
    chosen: list[TableInfo] = []
    seats = 0
    for table in sorted((t for t in free if t.combinable), key=lambda t: (-t.seats, t.name)):
        if seats >= party_size:
            break
        chosen.append(table)
        seats += table.seats
    if seats < party_size:
        return None
    # Drop any table the others do not need (largest-first can overshoot with a small one at the end).
    for table in sorted(chosen, key=lambda t: t.seats):
        if seats - table.seats >= party_size:
            chosen.remove(table)
            seats -= table.seats
    return tuple(t.id for t in chosen)


def tables_for(
    ctx: BookingContext, holds: Mapping[int, Sequence[Span]], start: dt.datetime, party_size: int
) -> tuple[int, ...] | None:
    end = start + ctx.rules.duration_for(party_size)
    return pick_tables(ctx.tables, busy_tables(holds, start, end), party_size)


@dataclass(frozen=True)
class Availability:
    """The answer to "a table for N at T?": either yes (with the tables), or why not and what else."""

    start: dt.datetime
    party_size: int
    tables: tuple[int, ...] | None = None
    reason: str = ""  # empty when available; else a code, see `REASONS`
    alternatives: tuple[dt.datetime, ...] = field(default=())

    @property
    def available(self) -> bool:
        return not self.reason


REASONS = {
    "bookings_off": "This restaurant does not take bookings through the agent.",
    "party_too_small": "That party size cannot be booked.",
    "party_too_large": "Parties that large are booked by request, for the restaurant to confirm.",
    "no_table_that_size": "No table, even combined, seats a party that large.",
    "too_soon": "That is too soon to book.",
    "too_far": "That is too far ahead to book.",
    "closed": "The restaurant is not open for bookings at that time.",
    "full": "No table is free for that party at that time.",
}


def _free_slots(
    ctx: BookingContext,
    holds: Mapping[int, Sequence[Span]],
    candidates: Iterable[dt.datetime],
    party_size: int,
    now: dt.datetime,
) -> list[dt.datetime]:
    return [
        s
        for s in candidates
        if within_notice(ctx, s, now) and tables_for(ctx, holds, s, party_size) is not None
    ]


def _refusal(ctx: BookingContext, party_size: int, *, for_agent: bool) -> str:
    """Why this party cannot be booked at any time at all, or ""."""
    rules = ctx.rules
    if for_agent and not rules.enabled:
        return "bookings_off"
    if party_size < max(1, rules.agent_min_party if for_agent else 1):
        return "party_too_small"
    if party_size > ctx.largest_party:
        return "no_table_that_size"
    if for_agent and party_size > rules.agent_max_party:
        return "party_too_large"
    return ""


def check(
    ctx: BookingContext,
    holds: Mapping[int, Sequence[Span]],
    start: dt.datetime,
    party_size: int,
    now: dt.datetime,
    *,
    for_agent: bool = True,
) -> Availability:
    """Can `party_size` start at `start`? If not, the nearest bookable times (same service day first)."""
    start = start.astimezone(dt.UTC)
    rules = ctx.rules
    refusal = _refusal(ctx, party_size, for_agent=for_agent)
    if refusal:
        return Availability(start, party_size, reason=refusal)
    service_day = service_day_of(ctx, start)
    reason = ""
    if service_day is None:
        reason = "closed"
    elif start < now + rules.min_notice:
        reason = "too_soon"
    elif not within_notice(ctx, start, now):
        return Availability(start, party_size, reason="too_far")
    if not reason:
        tables = tables_for(ctx, holds, start, party_size)
        if tables is not None:
            return Availability(start, party_size, tables=tables)
        reason = "full"
    return Availability(
        start, party_size, reason=reason, alternatives=alternatives(ctx, holds, start, party_size, now)
    )


def alternatives(
    ctx: BookingContext,
    holds: Mapping[int, Sequence[Span]],
    start: dt.datetime,
    party_size: int,
    now: dt.datetime,
    limit: int = MAX_ALTERNATIVES,
) -> tuple[dt.datetime, ...]:
    """The bookable times nearest to `start` on its day; if that day has none, the first ones after it."""
    if _refusal(ctx, party_size, for_agent=True):
        return ()
    day = service_day_of(ctx, start) or local_day(ctx, start)
    same_day = _free_slots(ctx, holds, slots_on(ctx, day), party_size, now)
    if same_day:
        nearest = sorted(same_day, key=lambda s: (abs(s - start), s))[:limit]
        return tuple(sorted(nearest))
    for offset in range(1, SEARCH_DAYS_AFTER + 1):
        later = _free_slots(ctx, holds, slots_on(ctx, day + dt.timedelta(days=offset)), party_size, now)
        if later:
            return tuple(later[:limit])
    return ()


def day_slots(
    ctx: BookingContext, holds: Mapping[int, Sequence[Span]], day: dt.date, party_size: int, now: dt.datetime
) -> list[dt.datetime]:
    """Every time on `day` the agent may offer `party_size` (used by the benchmark and property tests)."""
    if _refusal(ctx, party_size, for_agent=True):
        return []
    return _free_slots(ctx, holds, slots_on(ctx, day), party_size, now)
