"""Availability against the hours: split shifts, past midnight, holidays, last seating, notice, DST days."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bookings import availability
from bookings.models import Booking, BookingSettings
from bookings.selectors import availability_inputs, booking_context, holds_around
from bookings.services import BookingUnavailable, booking_create
from bookings.tests.conftest import NOW, SATURDAY
from tenants.models import OpeningHours, SpecialDate

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(day: dt.date, hhmm: str, zone=LONDON) -> dt.datetime:
    h, m = map(int, hhmm.split(":"))
    return dt.datetime(day.year, day.month, day.day, h, m, tzinfo=zone)


def ask(world, when: dt.datetime, party: int = 2, now: dt.datetime = NOW) -> availability.Availability:
    ctx = booking_context(restaurant_id=world.restaurant.pk)
    return availability.check(ctx, holds_around(ctx, when), when, party, now)


def local_times(result) -> list[str]:
    return [f"{t.astimezone(LONDON):%a %H:%M}" for t in result.alternatives]


def book(world, when, party=2, **extra):
    return booking_create(
        restaurant=world.restaurant,
        start=when,
        party_size=party,
        name="Ada Lovelace",
        phone="020 7946 0001",
        now=NOW,
        **extra,
    )


def test_split_shift_times_are_bookable_and_the_gap_between_is_not(bookable):
    assert ask(bookable, at(SATURDAY, "12:00")).available
    assert ask(bookable, at(SATURDAY, "13:30")).available  # last seating: 14:30 close minus 60 min
    gap = ask(bookable, at(SATURDAY, "16:00"))
    assert gap.reason == "closed"
    # The nearest times around the afternoon gap: the end of lunch and the start of dinner.
    assert local_times(gap) == [
        "Sat 13:30",
        "Sat 18:00",
        "Sat 18:15",
    ]  # nearest first: 2 h 30, 2 h, 2 h 15 away


def test_last_seating_is_an_hour_before_closing(bookable):
    assert not ask(bookable, at(SATURDAY, "13:45")).available
    assert ask(bookable, at(SATURDAY, "13:30")).available


def test_a_past_midnight_service_books_after_midnight_on_the_previous_days_service(bookable):
    late = at(SATURDAY + dt.timedelta(days=1), "00:00")  # Saturday's dinner service, which closes at 01:00
    result = ask(bookable, late)
    assert result.available
    booking = book(bookable, late)
    assert booking.service_date == SATURDAY
    assert not ask(bookable, at(SATURDAY + dt.timedelta(days=1), "00:15")).available  # after last seating


def test_a_holiday_closes_bookings_and_offers_the_next_days_times(bookable):
    SpecialDate.objects.create(restaurant=bookable.restaurant, date=SATURDAY, note="Staff party")
    result = ask(bookable, at(SATURDAY, "19:00"))
    assert result.reason == "closed"
    assert local_times(result) == ["Sun 12:00", "Sun 12:15", "Sun 12:30"]


def test_special_hours_replace_the_week(bookable):
    SpecialDate.objects.create(
        restaurant=bookable.restaurant, date=SATURDAY, opens_at=dt.time(10, 0), closes_at=dt.time(12, 0)
    )
    assert ask(bookable, at(SATURDAY, "10:00")).available
    assert ask(bookable, at(SATURDAY, "19:00")).reason == "closed"


def test_minimum_notice_and_how_far_ahead(bookable):
    now = at(SATURDAY, "18:30")
    assert ask(bookable, at(SATURDAY, "19:00"), now=now).reason == "too_soon"
    assert ask(bookable, at(SATURDAY, "19:30"), now=now).available
    assert ask(bookable, at(SATURDAY + dt.timedelta(days=61), "19:00"), now=now).reason == "too_far"
    assert ask(bookable, at(SATURDAY + dt.timedelta(days=60), "19:00"), now=now).available


def test_a_full_time_offers_the_nearest_free_times(bookable):
    for _ in range(4):  # every table at 20:00 (two 4-tops, a 2-top, and the pair of combinables)
        book(bookable, at(SATURDAY, "20:00"), party=2)
    result = ask(bookable, at(SATURDAY, "20:00"))
    assert result.reason == "full"
    # 90 minutes a table: the earliest start that ends by 20:00 is 18:30; the first free after is 21:30.
    assert local_times(result) == ["Sat 18:15", "Sat 18:30", "Sat 21:30"]


def test_a_large_party_gets_combined_tables_and_too_large_a_party_gets_none(bookable):
    booking = book(bookable, at(SATURDAY, "19:00"), party=8)
    assert sorted(t.name for t in booking.tables.all()) == ["T3", "T4"]
    assert ask(bookable, at(SATURDAY, "19:00"), party=9).reason == "no_table_that_size"
    settings = BookingSettings.objects.get(restaurant=bookable.restaurant)
    settings.agent_max_party = 6
    settings.save()
    assert ask(bookable, at(SATURDAY, "21:00"), party=7).reason == "party_too_large"
    request = book(bookable, at(SATURDAY, "21:00"), party=7)
    assert request.status == Booking.Status.REQUESTED


def test_the_smallest_table_that_fits_is_given(bookable):
    assert [t.name for t in book(bookable, at(SATURDAY, "19:00"), party=2).tables.all()] == ["T1"]
    assert [t.name for t in book(bookable, at(SATURDAY, "19:00"), party=2).tables.all()] == ["T2"]


def test_bookings_off_answers_so(bookable):
    BookingSettings.objects.filter(restaurant=bookable.restaurant).update(enabled=False)
    assert ask(bookable, at(SATURDAY, "19:00")).reason == "bookings_off"
    with pytest.raises(BookingUnavailable):
        book(bookable, at(SATURDAY, "19:00"))


@pytest.mark.parametrize(
    ("day", "hhmm", "utc"),
    [
        # Europe/London springs forward on 31 March 2030 (01:00 -> 02:00) and falls back on 27 October.
        (dt.date(2030, 3, 31), "19:00", "18:00"),
        (dt.date(2030, 3, 30), "19:00", "19:00"),
        (dt.date(2030, 10, 27), "19:00", "19:00"),
    ],
)
def test_dst_days_keep_local_wall_clock_times(bookable, day, hhmm, utc):
    result = ask(bookable, at(day, hhmm), now=at(day, "08:00"))
    assert result.available
    assert f"{result.start.astimezone(dt.UTC):%H:%M}" == utc
    slots = availability.slots_on(booking_context(restaurant_id=bookable.restaurant.pk), day)
    assert [f"{s.astimezone(LONDON):%H:%M}" for s in slots][:2] == ["12:00", "12:15"]
    assert f"{slots[-1].astimezone(LONDON):%H:%M}" == "00:00"


def test_a_service_across_the_spring_forward_gap_is_an_hour_shorter(bookable):
    restaurant = bookable.restaurant
    OpeningHours.objects.filter(restaurant=restaurant).delete()
    OpeningHours.objects.create(
        restaurant=restaurant, weekday=5, opens_at=dt.time(22, 0), closes_at=dt.time(4, 0)
    )
    ctx = booking_context(restaurant_id=restaurant.pk)
    normal = availability.slots_on(ctx, dt.date(2030, 3, 23))
    short = availability.slots_on(ctx, dt.date(2030, 3, 30))
    assert len(normal) - len(short) == 4  # one hour of 15-minute slots does not exist that night
    assert f"{short[-1].astimezone(LONDON):%H:%M}" == "03:00"


def test_the_one_statement_read_agrees_with_the_orm_read(bookable):
    """The Postgres fast path (one statement) and the ORM path (the SQLite demo) see the same world."""
    from bookings import selectors
    from bookings.models import DurationRule

    DurationRule.objects.create(restaurant=bookable.restaurant, max_party_size=2, minutes=75)
    SpecialDate.objects.create(
        restaurant=bookable.restaurant,
        date=SATURDAY,
        opens_at=dt.time(17, 0),
        closes_at=dt.time(23, 0),
        note="Gala",
    )
    keep = book(bookable, at(SATURDAY, "19:00"), party=2)
    moved = book(bookable, at(SATURDAY, "20:00"), party=8)
    fast = selectors.availability_inputs(restaurant_id=bookable.restaurant.pk, around=at(SATURDAY, "19:00"))
    ctx = booking_context(restaurant_id=bookable.restaurant.pk)
    orm = (ctx, holds_around(ctx, at(SATURDAY, "19:00")))
    assert fast is not None
    assert fast[0] == orm[0]
    assert {k: sorted(v) for k, v in fast[1].items()} == {k: sorted(v) for k, v in orm[1].items()}
    without = selectors.availability_inputs(
        restaurant_id=bookable.restaurant.pk, around=at(SATURDAY, "19:00"), exclude_booking_id=moved.pk
    )
    assert without is not None
    assert sum(len(v) for v in without[1].values()) == keep.holds.count() == 1


def test_a_holiday_over_several_dates_closes_every_day_of_it_on_both_read_paths(bookable):
    # One entry over ten days to Monday: the ORM read and the one-statement Postgres read both close
    # Saturday, and Tuesday is bookable again.
    SpecialDate.objects.create(
        restaurant=bookable.restaurant,
        date=SATURDAY - dt.timedelta(days=8),
        end_date=SATURDAY + dt.timedelta(days=2),
        note="Winter holidays",
    )
    assert ask(bookable, at(SATURDAY, "19:00")).reason == "closed"
    inputs = availability_inputs(restaurant_id=bookable.restaurant.pk, around=at(SATURDAY, "19:00"))
    assert inputs is not None
    assert availability.check(inputs[0], inputs[1], at(SATURDAY, "19:00"), 2, NOW).reason == "closed"
    assert local_times(ask(bookable, at(SATURDAY, "19:00")))[0] == "Tue 12:00"
    assert ask(bookable, at(SATURDAY + dt.timedelta(days=3), "19:00")).available
