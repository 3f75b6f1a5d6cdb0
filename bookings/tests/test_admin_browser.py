"""The day's book in real headless Chromium at 1280 and 390 px: readable, and one click changes a status.

Screenshots land in artifacts/ (look at them). Skips without Chromium, except in CI (see web/tests).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from bookings.models import Booking
from bookings.services import booking_create
from bookings.tests.conftest import NOW, SATURDAY
from core.tests.browser import shot as browser_shot
from core.tests.browser import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_days_book_reads_well_and_one_click_seats_a_party(bookable, live_server, owner_page):
    london = ZoneInfo("Europe/London")
    for hhmm, name, party, notes in [
        ("12:30", "Lunch Lee", 2, ""),
        ("19:00", "Ada Lovelace", 4, "peanut allergy"),
    ]:
        h, m = map(int, hhmm.split(":"))
        booking_create(
            restaurant=bookable.restaurant,
            start=dt.datetime.combine(SATURDAY, dt.time(h, m), tzinfo=london),
            party_size=party,
            name=name,
            phone="+447911123456",
            notes=notes,
            now=NOW,
        )
    page = owner_page
    sign_in_as(page, live_server.url, bookable.member)
    page.goto(
        f"{live_server.url}/admin/bookings/booking/?restaurant__id__exact={bookable.restaurant.pk}&service_date={SATURDAY}"
    )
    covers = page.locator("#covers")
    assert "12:00–14:30" in covers.inner_text() and "Whole day" in covers.inner_text()
    expect(page.get_by_text("19:00–20:30")).to_be_visible()
    expect(page.get_by_text("peanut allergy")).to_be_visible()
    browser_shot(page, "bookings-day")
    row = page.locator("#result_list tbody tr", has_text="Ada Lovelace")
    row.get_by_role("button", name="Seated").click()
    page.wait_for_load_state()
    expect(page.get_by_text("1 booking is now seated.")).to_be_visible()
    assert Booking.objects.get(name="Ada Lovelace").status == Booking.Status.SEATED
    browser_shot(page, "bookings-day-seated")
