"""No double booking, on real Postgres, under real concurrency (threads, each with its own connection)."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, connections, transaction

from bookings.models import Booking, BookingTable, Table
from bookings.services import BookingUnavailable, booking_change, booking_create, booking_status_set
from bookings.tests.conftest import NOW, SATURDAY

pytestmark = pytest.mark.django_db(transaction=True)
LONDON = ZoneInfo("Europe/London")
SEVEN_PM = dt.datetime.combine(SATURDAY, dt.time(19, 0), tzinfo=LONDON)


def _race(callables: list) -> list:
    """Run every callable at the same moment in its own thread; return what each returned or raised."""
    barrier = threading.Barrier(len(callables))
    results: list = [None] * len(callables)

    def run(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(callables)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _book(world, name: str, start=SEVEN_PM, party=2):
    return lambda: booking_create(
        restaurant=world.restaurant, start=start, party_size=party, name=name, phone="+447911123123", now=NOW
    )


def test_many_simultaneous_bookings_for_the_last_free_table_make_exactly_one(bookable):
    # Leave exactly one table: everything but T2 is out of use.
    Table.objects.filter(restaurant=bookable.restaurant).exclude(name="T2").update(is_active=False)
    results = _race([_book(bookable, f"Diner {i}") for i in range(8)])
    won = [r for r in results if isinstance(r, Booking)]
    lost = [r for r in results if isinstance(r, BookingUnavailable)]
    assert len(won) == 1, results
    assert len(lost) == 7, results
    assert Booking.objects.filter(restaurant=bookable.restaurant, status="confirmed").count() == 1
    assert BookingTable.objects.filter(table__name="T2", holds=True).count() == 1


def test_simultaneous_bookings_share_out_the_tables_and_never_overlap(bookable):
    results = _race([_book(bookable, f"Diner {i}", party=2) for i in range(6)])
    won = [r for r in results if isinstance(r, Booking)]
    assert len(won) == 4, results  # four tables, whatever order the threads ran in
    held = list(BookingTable.objects.filter(holds=True).values_list("table_id", flat=True))
    assert len(held) == len(set(held)) == 4


def test_a_booking_racing_an_admin_move_onto_the_same_table_only_one_wins(bookable):
    Table.objects.filter(restaurant=bookable.restaurant).exclude(name="T2").update(is_active=False)
    t2 = Table.objects.get(restaurant=bookable.restaurant, name="T2")
    earlier = booking_create(
        restaurant=bookable.restaurant,
        start=SEVEN_PM + dt.timedelta(hours=2),
        party_size=2,
        name="Moved by the owner",
        phone="+447911123124",
        now=NOW,
    )
    results = _race(
        [
            _book(bookable, "Agent caller"),
            lambda: booking_change(
                booking=earlier, start=SEVEN_PM, table_ids=[t2.pk], for_agent=False, now=NOW
            ),
        ]
    )
    assert sum(isinstance(r, Booking) for r in results) == 1, results
    assert sum(isinstance(r, BookingUnavailable) for r in results) == 1, results
    at_seven = BookingTable.objects.filter(table=t2, holds=True, start_at=SEVEN_PM)
    assert at_seven.count() == 1
    if isinstance(results[1], BookingUnavailable):  # the move lost: the booking kept its old time
        earlier.refresh_from_db()
        assert earlier.start_at == SEVEN_PM + dt.timedelta(hours=2)


def test_the_database_itself_refuses_an_overlapping_hold(bookable):
    booking = booking_create(
        restaurant=bookable.restaurant, start=SEVEN_PM, party_size=2, name="A", phone="+447911123125", now=NOW
    )
    hold = booking.holds.get()
    with pytest.raises(IntegrityError, match="booking_table_no_overlap"), transaction.atomic():
        BookingTable.objects.create(
            restaurant=bookable.restaurant,
            booking=Booking.objects.create(
                restaurant=bookable.restaurant,
                reference="TEST01",
                party_size=2,
                start_at=SEVEN_PM + dt.timedelta(minutes=30),
                end_at=SEVEN_PM + dt.timedelta(hours=2),
                service_date=SATURDAY,
                name="Sneaky",
            ),
            table=hold.table,
            start_at=SEVEN_PM + dt.timedelta(minutes=30),
            end_at=SEVEN_PM + dt.timedelta(hours=2),
        )
    # Back to back is fine: a table is free again the moment the previous booking ends.
    assert hold.end_at - hold.start_at == dt.timedelta(minutes=90)
    follow = booking_create(
        restaurant=bookable.restaurant,
        start=hold.end_at,
        party_size=2,
        name="B",
        phone="+447911123126",
        table_ids=[hold.table_id],
        for_agent=False,
        now=NOW,
    )
    assert follow.holds.get().table_id == hold.table_id
    assert connection.vendor == "postgresql"


def test_cancelling_frees_the_table_and_reinstating_a_taken_one_is_refused(bookable):
    Table.objects.filter(restaurant=bookable.restaurant).exclude(name="T2").update(is_active=False)
    first = _book(bookable, "First")()
    booking_status_set(booking=first, status=Booking.Status.CANCELLED)
    second = _book(bookable, "Second")()
    assert second.tables.get().name == "T2"
    with pytest.raises(BookingUnavailable):
        booking_status_set(booking=first, status=Booking.Status.CONFIRMED)
    first.refresh_from_db()
    assert first.status == Booking.Status.CANCELLED
