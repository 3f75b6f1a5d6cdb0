"""Hypothesis: over random schedules, tables and bookings, no slot offered is outside the hours, overlaps a
held table, or is for a table too small. Checked against a deliberately simple reference: minute by minute
in local wall-clock time, with no interval arithmetic shared with the code under test."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bookings import availability
from bookings.availability import BookingContext, Rules, TableInfo
from tenants.snapshot import RestaurantSnapshot, SpecialDateEntry, WeeklyInterval

ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Tokyo", "Europe/Paris"]
# Around a DST change in each hemisphere, and a quiet week.
DAYS = [
    dt.date(2030, 3, 30),
    dt.date(2030, 3, 31),
    dt.date(2030, 10, 6),
    dt.date(2030, 10, 27),
    dt.date(2030, 7, 3),
]
NOW = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)

times = st.builds(dt.time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))


@st.composite
def schedules(draw):
    weekly = []
    for weekday in range(7):
        for opens, closes in draw(st.lists(st.tuples(times, times), max_size=2)):
            if opens != closes:
                weekly.append(WeeklyInterval(weekday=weekday, opens=opens, closes=closes))
    specials = []
    day = draw(st.sampled_from(DAYS))
    if draw(st.booleans()):
        if draw(st.booleans()):
            specials.append(SpecialDateEntry(date=day, note="closed"))
        else:
            opens, closes = draw(st.tuples(times, times).filter(lambda p: p[0] != p[1]))
            specials.append(SpecialDateEntry(date=day, opens=opens, closes=closes))
    return weekly, specials, day


@st.composite
def worlds(draw):
    weekly, specials, day = draw(schedules())
    zone = draw(st.sampled_from(ZONES))
    calendar = RestaurantSnapshot(
        public_id="r_prop",
        tenant_id=1,
        tenant_active=True,
        active=True,
        name="Prop",
        timezone=zone,
        language="en",
        currency="EUR",
        weekly_hours=tuple(weekly),
        special_dates=tuple(specials),
    )
    tables = tuple(
        TableInfo(id=i + 1, name=f"T{i + 1}", seats=draw(st.integers(1, 8)), combinable=draw(st.booleans()))
        for i in range(draw(st.integers(1, 6)))
    )
    rules = Rules(
        enabled=True,
        slot_interval=dt.timedelta(minutes=draw(st.sampled_from([15, 30, 45]))),
        default_duration=dt.timedelta(minutes=draw(st.sampled_from([60, 90, 120]))),
        min_notice=dt.timedelta(0),
        last_seating=dt.timedelta(minutes=draw(st.sampled_from([0, 30, 60]))),
        max_days_ahead=3650,
    )
    ctx = BookingContext(restaurant_id=1, tenant_id=1, calendar=calendar, rules=rules, tables=tables)
    base = dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)
    holds: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for _ in range(draw(st.integers(0, 12))):
        table = draw(st.sampled_from(tables))
        start = base + dt.timedelta(minutes=15 * draw(st.integers(-8, 120)))
        holds.setdefault(table.id, []).append(
            (start, start + dt.timedelta(minutes=draw(st.sampled_from([60, 90]))))
        )
    return ctx, holds, day, draw(st.integers(1, 10))


def _first_instant(naive: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The first real minute at which the wall clock reads `naive` or later (a time in the spring-forward
    gap: the moment the clocks jump), found by stepping back a minute at a time."""
    t = naive.replace(tzinfo=zone, fold=0).astimezone(dt.UTC)
    step = dt.timedelta(minutes=1)
    while (t - step).astimezone(zone).replace(tzinfo=None) >= naive:
        t -= step
    return t


def _reference_open_starts(ctx: BookingContext, day: dt.date) -> set[tuple[dt.date, dt.time]]:
    """Local (date, time) pairs at which a service that opens on `day` may take a booking: walked minute by
    minute in wall-clock time from each opening time, as a person reading the hours would."""
    specials = [s for s in ctx.calendar.special_dates if s.date == day]
    if specials:
        closed = any(s.is_closure for s in specials)
        spans = [] if closed else [(s.opens, s.closes) for s in specials if s.opens and s.closes]
    else:
        spans = [(w.opens, w.closes) for w in ctx.calendar.weekly_hours if w.weekday == day.weekday()]
    zone = ZoneInfo(ctx.calendar.timezone)
    allowed = set()
    for opens, closes in spans:
        start = dt.datetime.combine(day, opens)
        end = dt.datetime.combine(day + dt.timedelta(days=closes <= opens), closes)
        # Real elapsed minutes from opening to closing, so a DST change shortens or lengthens the night.
        real_start, real_end = _first_instant(start, zone), _first_instant(end, zone)
        t = real_start
        while t <= real_end - ctx.rules.last_seating:
            local = t.astimezone(zone)
            allowed.add((local.date(), local.time().replace(tzinfo=None)))
            t += dt.timedelta(minutes=1)
    return allowed


@settings(max_examples=300, deadline=None)
@given(worlds())
def test_no_offered_slot_is_outside_the_hours_on_a_held_table_or_too_small(world):
    ctx, holds, day, party = world
    zone = ZoneInfo(ctx.calendar.timezone)
    allowed = _reference_open_starts(ctx, day)
    for start in availability.day_slots(ctx, holds, day, party, NOW):
        local = start.astimezone(zone)
        assert (local.date(), local.time().replace(tzinfo=None)) in allowed, f"{local} is outside the hours"
        tables = availability.tables_for(ctx, holds, start, party)
        assert tables is not None
        end = start + ctx.rules.duration_for(party)
        for table_id in tables:
            for s, e in holds.get(table_id, []):
                assert not (s < end and start < e), f"table {table_id} is held {s}–{e}"
        chosen = [t for t in ctx.tables if t.id in tables]
        assert sum(t.seats for t in chosen) >= party
        assert len(chosen) == 1 or all(t.combinable for t in chosen)


@settings(max_examples=200, deadline=None)
@given(worlds())
def test_check_agrees_with_the_slots_it_offers(world):
    ctx, holds, day, party = world
    slots = availability.day_slots(ctx, holds, day, party, NOW)
    for start in slots[:5]:
        assert availability.check(ctx, holds, start, party, NOW).available
    for alt in availability.alternatives(ctx, holds, slots[0] if slots else NOW, party, NOW):
        assert availability.check(ctx, holds, alt, party, NOW).available
