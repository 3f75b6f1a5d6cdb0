"""The owners' book in the admin, and tenant isolation: nothing of another tenant shown, nothing changed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bookings.models import Booking, BookingSettings, Table
from bookings.services import booking_create
from bookings.tests.conftest import NOW, SATURDAY
from bookings.tests.factories import BookingSettingsFactory, TableFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
SEVEN_PM = dt.datetime.combine(SATURDAY, dt.time(19, 0), tzinfo=LONDON)


def _booking(world, name: str, start=SEVEN_PM, party=2, **extra) -> Booking:
    return booking_create(
        restaurant=world.restaurant,
        start=start,
        party_size=party,
        name=name,
        phone="+447911123456",
        now=NOW,
        **extra,
    )


@pytest.fixture
def two_books(bookable, world_b):
    BookingSettingsFactory(restaurant=world_b.restaurant)
    TableFactory(restaurant=world_b.restaurant, name="B1", seats=4)
    world_b.restaurant.opening_hours.update(weekday=5, opens_at=dt.time(18, 0), closes_at=dt.time(23, 0))
    a = _booking(bookable, "Alice Alpha", notes="nut allergy")
    b = booking_create(
        restaurant=world_b.restaurant,
        start=SEVEN_PM,
        party_size=3,
        name="Bob Bravo",
        phone="+447911123999",
        for_agent=False,
    )
    return bookable, world_b, a, b


BOOK = "/admin/bookings/booking/"


@pytest.mark.parametrize("role", ["owner", "member"])
def test_the_book_shows_own_bookings_by_local_time_and_never_the_other_tenants(two_books, role):
    a_world, b_world, _a, b = two_books
    client = a_world.client_for(getattr(a_world, role))
    response = client.get(
        BOOK, {"restaurant__id__exact": a_world.restaurant.pk, "service_date": SATURDAY.isoformat()}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        "Alice Alpha" in body
        and "19:00–20:30" in body
        and "Sat 12 Jan" in body
        and "nut allergy" in body
        and "T1" in body
    )
    assert "Bob Bravo" not in body and b.reference not in body and b_world.restaurant.name not in body
    # Covers per service: lunch, dinner, and the day.
    assert "12:00–14:30" in body and "18:00–01:00" in body and "Whole day" in body


def test_an_outsider_sees_no_bookings_at_all(two_books, outsider):
    a_world, _, a, _ = two_books
    client = a_world.client_for(outsider)
    assert client.get(BOOK).status_code == 403
    assert client.get(f"{BOOK}{a.pk}/change/").status_code in {403, 404}
    response = client.post(BOOK, {"_status": f"{a.pk}:cancelled"})
    assert response.status_code == 403
    a.refresh_from_db()
    assert a.status == Booking.Status.CONFIRMED


@pytest.mark.parametrize("role", ["owner", "member"])
def test_another_tenants_booking_is_404_and_posts_change_nothing(two_books, role):
    a_world, _, _, b = two_books
    client = a_world.client_for(getattr(a_world, role))
    assert client.get(f"{BOOK}{b.pk}/change/").status_code == 404
    client.post(BOOK, {"_status": f"{b.pk}:cancelled"})
    client.post(BOOK, {"action": "mark_cancelled", "_selected_action": [b.pk]})
    client.post(
        f"{BOOK}{b.pk}/change/",
        {"status": "cancelled", "name": "Hacked", "date": "2030-01-12", "time": "19:00", "party": 2},
    )
    b.refresh_from_db()
    assert b.status == Booking.Status.CONFIRMED and b.name == "Bob Bravo"


def test_one_click_status_changes_and_cancelling_frees_the_table(two_books):
    a_world, _, a, _ = two_books
    client = a_world.client_for(a_world.member)
    response = client.post(
        f"{BOOK}?restaurant__id__exact={a_world.restaurant.pk}", {"_status": f"{a.pk}:seated"}
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == Booking.Status.SEATED and a.holds.get().holds
    client.post(BOOK, {"_status": f"{a.pk}:cancelled"})
    a.refresh_from_db()
    assert a.status == Booking.Status.CANCELLED and not a.holds.get().holds


def test_a_manual_booking_and_a_walk_in_block_from_the_admin(two_books):
    a_world, b_world, _, _ = two_books
    client = a_world.client_for(a_world.owner)
    t2 = Table.objects.get(restaurant=a_world.restaurant, name="T2")
    response = client.post(
        f"{BOOK}add/",
        {
            "restaurant": a_world.restaurant.pk,
            "kind": "block",
            "date": "2030-01-12",
            "time": "19:00",
            "party_size": 4,
            "tables": [t2.pk],
            "duration_minutes": 120,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    block = Booking.objects.get(kind="block")
    assert block.name == "Walk-in" and list(block.tables.all()) == [t2]
    assert block.end_at - block.start_at == dt.timedelta(minutes=120)
    # The same table at an overlapping time is refused, with words, not a 500.
    again = client.post(
        f"{BOOK}add/",
        {
            "restaurant": a_world.restaurant.pk,
            "kind": "booking",
            "name": "Late",
            "date": "2030-01-12",
            "time": "20:00",
            "party_size": 2,
            "tables": [t2.pk],
        },
    )
    assert again.status_code == 200
    assert "already held at that time" in again.content.decode()
    # Another tenant's restaurant or tables cannot be chosen.
    b_table = Table.objects.get(restaurant=b_world.restaurant)
    foreign = client.post(
        f"{BOOK}add/",
        {
            "restaurant": b_world.restaurant.pk,
            "kind": "booking",
            "name": "X",
            "date": "2030-01-12",
            "time": "19:00",
            "party_size": 2,
            "tables": [b_table.pk],
        },
    )
    assert foreign.status_code == 200
    assert not Booking.objects.filter(name="X").exists()


def test_moving_a_booking_onto_a_held_table_is_refused_and_nothing_changes(two_books):
    a_world, _, a, _ = two_books
    other = _booking(a_world, "Other", party=4)  # T2 at 19:00
    client = a_world.client_for(a_world.owner)
    t2 = Table.objects.get(restaurant=a_world.restaurant, name="T2")
    response = client.post(
        f"{BOOK}{a.pk}/change/",
        {
            "status": "confirmed",
            "name": "Alice Alpha",
            "phone": "+447911123456",
            "notes": "",
            "date": "2030-01-12",
            "time": "19:30",
            "party": 2,
            "move_to_tables": [t2.pk],
        },
        follow=True,
    )
    assert "Not saved: One of those tables is already held at that time." in response.content.decode()
    a.refresh_from_db()
    assert a.start_at == SEVEN_PM and [t.name for t in a.tables.all()] == ["T1"]
    assert other.tables.get() == t2


def test_booking_setup_is_scoped_and_sets_a_covers_capacity(two_books):
    a_world, b_world, _, _ = two_books
    client = a_world.client_for(a_world.owner)
    setup = "/admin/bookings/bookablerestaurant/"
    body = client.get(setup).content.decode()
    assert a_world.restaurant.name in body and b_world.restaurant.name not in body
    assert client.get(f"{setup}{b_world.restaurant.pk}/change/").status_code == 404
    page = client.get(f"{setup}{a_world.restaurant.pk}/change/")
    assert page.status_code == 200 and "Booking rules" in page.content.decode()
    settings = BookingSettings.objects.get(restaurant=a_world.restaurant)
    tables = list(Table.objects.filter(restaurant=a_world.restaurant))
    data = {
        "covers_capacity": "30",
        "booking_settings-TOTAL_FORMS": "1",
        "booking_settings-INITIAL_FORMS": "1",
        "booking_settings-0-id": settings.pk,
        "booking_settings-0-restaurant": a_world.restaurant.pk,
        "booking_settings-0-enabled": "on",
        "booking_settings-0-slot_interval_minutes": "30",
        "booking_settings-0-default_duration_minutes": "90",
        "booking_settings-0-agent_min_party": "1",
        "booking_settings-0-agent_max_party": "8",
        "booking_settings-0-min_notice_minutes": "60",
        "booking_settings-0-max_days_ahead": "60",
        "booking_settings-0-last_seating_minutes": "60",
        "booking_settings-0-notify_email": "",
        "booking_durations-TOTAL_FORMS": "0",
        "booking_durations-INITIAL_FORMS": "0",
        "tables-TOTAL_FORMS": str(len(tables)),
        "tables-INITIAL_FORMS": str(len(tables)),
    }
    for i, t in enumerate(tables):
        data.update(
            {
                f"tables-{i}-id": t.pk,
                f"tables-{i}-restaurant": a_world.restaurant.pk,
                f"tables-{i}-name": t.name,
                f"tables-{i}-seats": t.seats,
                f"tables-{i}-is_active": "on",
            }
        )
    response = client.post(f"{setup}{a_world.restaurant.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Table.objects.filter(restaurant=a_world.restaurant, is_virtual=True, is_active=True).count() == 30
    assert BookingSettings.objects.get(restaurant=a_world.restaurant).slot_interval_minutes == 30
    assert not Table.objects.filter(restaurant=b_world.restaurant, is_virtual=True).exists()


def test_an_owner_corrects_the_phone_and_it_is_stored_in_e164(two_books):
    a_world, _, a, _ = two_books
    client = a_world.client_for(a_world.owner)
    form = {
        "status": "confirmed",
        "name": "Alice A.",
        "email": "",
        "notes": "",
        "date": "2030-01-12",
        "time": "19:00",
        "party": 2,
    }
    client.post(f"{BOOK}{a.pk}/change/", {**form, "phone": "020 7946 0011"})
    a.refresh_from_db()
    assert (a.name, a.phone) == ("Alice A.", "+442079460011")
    response = client.post(f"{BOOK}{a.pk}/change/", {**form, "phone": "12"}, follow=True)
    assert "Not saved: “12” is not a phone number" in response.content.decode()
    a.refresh_from_db()
    assert a.phone == "+442079460011"
