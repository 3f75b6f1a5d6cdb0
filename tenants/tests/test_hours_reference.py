"""tenants/hours.py against a deliberately simple reference that walks the restaurant's clock minute by minute.

The reference knows one rule and no zoneinfo subtleties: an opening time T on local date D is the first
minute at which the restaurant's clock reads T or later on D (so in a spring-forward gap it is the jump,
and in a fall-back hour the first occurrence). It then answers "open at t?", "closes when?" and "next
opens when?" by brute force over those intervals. hypothesis draws weekly schedules (split shifts, past
midnight, empty days), special dates (closures, closures over a range of dates, short days, openings on
closed days), zones with half-hour,
45-minute, southern-hemisphere, midnight and 30-minute clock changes, and instants, with the clock-change
days of 2026–2030 oversampled.

What it found: a time inside a spring-forward gap used to be read with fold=0, which opened the
restaurant at 03:30 instead of when the clocks jumped to 03:00 (Paris, 02:30 opening); hours.py was wrong.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tenants import hours
from tenants.snapshot import RestaurantSnapshot, SpecialDateEntry, WeeklyInterval

MINUTE = dt.timedelta(minutes=1)
ZONES = [
    "Europe/Paris",
    "Europe/London",
    "America/New_York",
    "America/St_Johns",  # -03:30, with DST
    "America/Havana",  # clocks change at midnight: 00:00 does not exist on spring-forward day
    "America/Santiago",  # southern hemisphere, changes at midnight
    "Australia/Sydney",  # southern hemisphere
    "Australia/Adelaide",  # +09:30 / +10:30
    "Australia/Lord_Howe",  # a 30-minute clock change
    "Pacific/Auckland",
    "Pacific/Chatham",  # +12:45 / +13:45
    "Asia/Kolkata",  # +05:30, no DST
    "Asia/Kathmandu",  # +05:45
    "Asia/Tokyo",
    "Africa/Casablanca",  # clocks move around Ramadan
    "UTC",
]


# --- the reference -------------------------------------------------------------------------------------


def ref_instant(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The first whole minute (UTC) at which the clock in `zone` reads `day` `time` or later."""
    target = dt.datetime.combine(day, time)
    noon_offset = dt.datetime.combine(day, dt.time(12)).replace(tzinfo=zone).utcoffset()
    assert noon_offset is not None
    # Clock changes are at most two hours, so three hours before the naive instant is before the target.
    t = (target - noon_offset - dt.timedelta(hours=3)).replace(tzinfo=dt.UTC)
    assert t.astimezone(zone).replace(tzinfo=None) < target
    while t.astimezone(zone).replace(tzinfo=None) < target:
        t += MINUTE
    return t


def ref_one_day_entries(snapshot: RestaurantSnapshot) -> list[SpecialDateEntry]:
    """A closure over several dates is the same as one closure row per date (how the admin stored it
    before ranges existed): expand it, and the rest of the reference knows only single dates."""
    entries = []
    for s in snapshot.special_dates:
        day = s.date
        while True:
            entries.append(SpecialDateEntry(date=day, opens=s.opens, closes=s.closes, note=s.note))
            if s.end_date is None or day >= s.end_date:
                break
            day += dt.timedelta(days=1)
    return entries


def ref_hours_of(snapshot: RestaurantSnapshot, day: dt.date) -> list[tuple[dt.time, dt.time]]:
    specials = [s for s in ref_one_day_entries(snapshot) if s.date == day]
    if specials:
        if any(s.opens is None for s in specials):
            return []
        return [(s.opens, s.closes) for s in specials if s.opens and s.closes]
    return [(w.opens, w.closes) for w in snapshot.weekly_hours if w.weekday == day.weekday()]


def ref_intervals(snapshot: RestaurantSnapshot, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    zone = ZoneInfo(snapshot.timezone)
    result = []
    for opens, closes in ref_hours_of(snapshot, day):
        start = ref_instant(day, opens, zone)
        end = ref_instant(day + dt.timedelta(days=1) if closes <= opens else day, closes, zone)
        if end > start:
            result.append((start, end))
    return result


def ref_local_date(snapshot: RestaurantSnapshot, t: dt.datetime) -> dt.date:
    return t.astimezone(ZoneInfo(snapshot.timezone)).date()


def ref_is_open(snapshot: RestaurantSnapshot, t: dt.datetime) -> bool:
    today = ref_local_date(snapshot, t)
    days = [today + dt.timedelta(days=k) for k in (-1, 0)]
    return any(start <= t < end for day in days for start, end in ref_intervals(snapshot, day))


def ref_closing(snapshot: RestaurantSnapshot, t: dt.datetime) -> dt.datetime | None:
    today = ref_local_date(snapshot, t)
    spans = sorted(
        span for k in range(-1, 16) for span in ref_intervals(snapshot, today + dt.timedelta(days=k))
    )
    if not any(start <= t < end for start, end in spans):
        return None
    close = t
    for start, end in spans:  # sorted by start: extend the run while the next interval touches it
        if start <= close < end:
            close = end
    return close


def ref_next_opening(snapshot: RestaurantSnapshot, t: dt.datetime) -> dt.datetime | None:
    today = ref_local_date(snapshot, t)
    for k in range(-1, hours.NEXT_OPENING_HORIZON_DAYS + 1):
        starts = [s for s, _ in ref_intervals(snapshot, today + dt.timedelta(days=k)) if s > t]
        if starts:
            return min(starts)
    return None


# --- what hypothesis draws -----------------------------------------------------------------------------


@cache
def clock_changes(zone_name: str) -> tuple[dt.datetime, ...]:
    """Approximate instants of every offset change in 2026–2030 (within six hours)."""
    zone = ZoneInfo(zone_name)
    t = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    changes, previous = [], t.astimezone(zone).utcoffset()
    while t.year < 2031:
        t += dt.timedelta(hours=6)
        offset = t.astimezone(zone).utcoffset()
        if offset != previous:
            changes.append(t)
        previous = offset
    return tuple(changes)


# Opening times cluster around midnight and the small hours, where clock changes happen.
times = st.one_of(
    st.builds(dt.time, st.integers(0, 4), st.sampled_from([0, 15, 30, 45])),
    st.builds(dt.time, st.integers(0, 23), st.sampled_from([0, 30])),
    st.builds(dt.time, st.integers(0, 23), st.integers(0, 59)),
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[RestaurantSnapshot, dt.datetime]:
    zone_name = draw(st.sampled_from(ZONES))
    changes = clock_changes(zone_name)
    if changes and draw(st.booleans()):  # half the examples sit within two days of a clock change
        instant = draw(st.sampled_from(changes)) + dt.timedelta(minutes=draw(st.integers(-2880, 2880)))
    else:
        instant = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
            minutes=draw(st.integers(0, 5 * 365 * 24 * 60))
        )
    weekly = draw(
        st.lists(st.tuples(st.integers(0, 6), times, times).filter(lambda w: w[1] != w[2]), max_size=8)
    )
    local = instant.astimezone(ZoneInfo(zone_name)).date()
    special_day = st.builds(lambda k: local + dt.timedelta(days=k), st.integers(-2, 9))
    specials = draw(
        st.lists(
            st.one_of(
                st.builds(lambda d: SpecialDateEntry(date=d, note="Closed"), special_day),
                st.builds(
                    lambda d, o, c: SpecialDateEntry(date=d, opens=o, closes=c, note="Special hours"),
                    special_day,
                    times,
                    times,
                ).filter(lambda s: s.opens != s.closes),
                # A holiday over several dates, possibly begun before the instant's day or running on past it.
                st.builds(
                    lambda d, n: SpecialDateEntry(date=d, end_date=d + dt.timedelta(days=n), note="Holiday"),
                    st.builds(lambda k: local + dt.timedelta(days=k), st.integers(-20, 9)),
                    st.integers(0, 20),
                ),
            ),
            max_size=4,
        )
    )
    snapshot = RestaurantSnapshot(
        public_id="r_ref",
        tenant_id=1,
        tenant_active=True,
        active=True,
        name="Reference",
        timezone=zone_name,
        language="en",
        currency="EUR",
        weekly_hours=tuple(WeeklyInterval(weekday=d, opens=o, closes=c) for d, o, c in weekly),
        special_dates=tuple(specials),
    )
    # Whole minutes: the reference walks minutes.
    return snapshot, instant.replace(second=0, microsecond=0)


def _snap(zone: str, weekly: list[tuple[int, str, str]]) -> RestaurantSnapshot:
    return RestaurantSnapshot(
        public_id="r_ref",
        tenant_id=1,
        tenant_active=True,
        active=True,
        name="Reference",
        timezone=zone,
        language="en",
        currency="EUR",
        weekly_hours=tuple(
            WeeklyInterval(weekday=d, opens=dt.time.fromisoformat(o), closes=dt.time.fromisoformat(c))
            for d, o, c in weekly
        ),
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
# Paris, Sunday 2026-03-29: 02:30 does not exist; the reference opens at the jump (01:00 UTC).
@example((_snap("Europe/Paris", [(6, "02:30", "05:00")]), dt.datetime(2026, 3, 29, 1, 10, tzinfo=dt.UTC)))
# Havana, Sunday 2026-03-08: midnight does not exist; a Saturday night run into Sunday still closes.
@example(
    (
        _snap("America/Havana", [(5, "20:00", "00:00"), (6, "00:00", "02:00")]),
        dt.datetime(2026, 3, 8, 4, 30, tzinfo=dt.UTC),
    )
)
def test_hours_agree_with_the_minute_by_minute_reference(case):
    snapshot, t = case
    assert hours.is_open_at(snapshot, t) == ref_is_open(snapshot, t)
    assert hours.closing_time(snapshot, t) == ref_closing(snapshot, t)
    if not ref_is_open(snapshot, t):
        assert hours.next_opening(snapshot, t) == ref_next_opening(snapshot, t)
        status = hours.opening_status(snapshot, t)
        assert not status.open and status.next_opening == ref_next_opening(snapshot, t)


@settings(max_examples=150, deadline=None)
@given(cases())
def test_a_dates_listing_names_only_clock_times_that_exist(case):
    snapshot, t = case
    zone = ZoneInfo(snapshot.timezone)
    day = t.astimezone(zone).date()
    line = hours.describe_day(snapshot, day)
    for start, end in ref_intervals(snapshot, day):
        assert f"{start.astimezone(zone):%H:%M} to {end.astimezone(zone):%H:%M}" in line
    if not ref_intervals(snapshot, day):
        assert line.split(": ", 1)[1].startswith("closed")
