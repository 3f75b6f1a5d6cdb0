"""Opening hours in the restaurant's own time zone: split shifts, past midnight, special dates, DST."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tenants import hours
from tenants.snapshot import RestaurantSnapshot, SpecialDateEntry, WeeklyInterval

PARIS = ZoneInfo("Europe/Paris")


def _t(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def snapshot(weekly=(), special=(), tz="Europe/Paris") -> RestaurantSnapshot:
    return RestaurantSnapshot(
        public_id="r_test",
        tenant_id=1,
        tenant_active=True,
        active=True,
        name="Test",
        timezone=tz,
        language="en",
        currency="EUR",
        weekly_hours=tuple(WeeklyInterval(weekday=d, opens=_t(o), closes=_t(c)) for d, o, c in weekly),
        special_dates=tuple(
            SpecialDateEntry(date=day, opens=_t(o) if o else None, closes=_t(c) if c else None, note=note)
            for day, o, c, note in special
        ),
    )


def paris(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)


# 2026-11-23 is a Monday.
SPLIT = snapshot(weekly=[(0, "12:00", "14:30"), (0, "19:00", "23:00")])
LATE = snapshot(weekly=[(4, "18:00", "02:00")])  # Friday night into Saturday


def test_split_shift_is_open_for_lunch_and_dinner_but_not_between():
    assert hours.is_open_at(SPLIT, paris(2026, 11, 23, 13, 0))
    assert not hours.is_open_at(SPLIT, paris(2026, 11, 23, 16, 0))
    assert hours.is_open_at(SPLIT, paris(2026, 11, 23, 20, 0))
    assert hours.next_opening(SPLIT, paris(2026, 11, 23, 16, 0)) == paris(2026, 11, 23, 19, 0)
    assert hours.closing_time(SPLIT, paris(2026, 11, 23, 13, 0)) == paris(2026, 11, 23, 14, 30)


def test_the_time_zone_is_the_restaurants_not_the_callers():
    tokyo = snapshot(weekly=[(0, "11:30", "14:00")], tz="Asia/Tokyo")
    # 03:00 UTC on Monday is 12:00 in Tokyo.
    assert hours.is_open_at(tokyo, dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC))
    assert not hours.is_open_at(tokyo, dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC))


def test_past_midnight_interval_is_open_early_on_the_next_day():
    assert hours.is_open_at(LATE, paris(2026, 11, 28, 1, 0))  # Saturday 01:00
    assert not hours.is_open_at(LATE, paris(2026, 11, 28, 2, 0))
    assert hours.closing_time(LATE, paris(2026, 11, 27, 23, 0)) == paris(2026, 11, 28, 2, 0)
    assert hours.describe_week(LATE)[4] == "Friday: 18:00 to 02:00 (next day)"
    assert hours.describe_week(LATE)[5] == "Saturday: closed"


def test_next_opening_skips_closed_days():
    # Closed Saturday to Thursday: from Saturday morning the next opening is Friday evening.
    assert hours.next_opening(LATE, paris(2026, 11, 28, 9, 0)) == paris(2026, 12, 4, 18, 0)
    status = hours.opening_status(LATE, paris(2026, 11, 28, 9, 0))
    assert not status.open and status.next_opening == paris(2026, 12, 4, 18, 0)


def test_a_holiday_closure_overrides_the_week():
    closed = snapshot(
        weekly=[(0, "12:00", "14:30")], special=[(dt.date(2026, 11, 23), None, None, "Staff party")]
    )
    assert not hours.is_open_at(closed, paris(2026, 11, 23, 13, 0))
    status = hours.opening_status(closed, paris(2026, 11, 23, 13, 0))
    assert status.note == "Staff party"
    assert status.next_opening == paris(2026, 11, 30, 12, 0)
    assert hours.describe_special_dates(closed, dt.date(2026, 11, 20)) == [
        "Monday 23 November: closed (Staff party)"
    ]


def test_special_hours_replace_the_week_on_that_date():
    eve = snapshot(
        weekly=[(3, "12:00", "22:00")], special=[(dt.date(2026, 12, 31), "19:00", "02:00", "New Year's Eve")]
    )
    assert not hours.is_open_at(eve, paris(2026, 12, 31, 13, 0))  # the usual lunch is replaced
    assert hours.is_open_at(eve, paris(2027, 1, 1, 1, 30))
    assert (
        hours.describe_day(eve, dt.date(2026, 12, 31))
        == "Thursday 31 December: 19:00 to 02:00 (next day) (New Year's Eve)"
    )


def test_spring_forward_night_does_not_crash_and_keeps_real_durations():
    # 2026-03-29: clocks in Paris jump from 02:00 to 03:00. A Saturday 22:00–04:00 night lasts 5 real hours.
    night = snapshot(weekly=[(5, "22:00", "04:00"), (6, "02:30", "05:00")])
    start, end = hours.intervals_on(night, dt.date(2026, 3, 28))[0]
    assert end - start == dt.timedelta(hours=5)
    assert hours.is_open_at(night, paris(2026, 3, 29, 3, 30))
    # 02:30 does not exist that Sunday: the interval starts when the clocks jump, when they read 03:00
    # (not at 03:30, as a fold=0 reading had it: the minute-by-minute reference found that).
    gap_start, _ = hours.intervals_on(night, dt.date(2026, 3, 29))[0]
    assert gap_start.astimezone(dt.UTC) == dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)
    assert hours.describe_day(night, dt.date(2026, 3, 29)) == "Sunday 29 March: 03:00 to 05:00"


def test_fall_back_night_counts_the_repeated_hour():
    # 2026-10-25: clocks go back from 03:00 to 02:00. A Saturday 22:00–04:00 night lasts 7 real hours.
    night = snapshot(weekly=[(5, "22:00", "04:00")])
    start, end = hours.intervals_on(night, dt.date(2026, 10, 24))[0]
    assert end - start == dt.timedelta(hours=7)
    second_two_thirty = dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)  # 02:30 CET, the repeated hour
    assert hours.is_open_at(night, second_two_thirty)


def test_week_description_lists_every_day_with_split_shifts():
    week = hours.describe_week(SPLIT)
    assert week[0] == "Monday: 12:00 to 14:30 and 19:00 to 23:00"
    assert week[1:] == [f"{day}: closed" for day in hours.WEEKDAYS[1:]]
