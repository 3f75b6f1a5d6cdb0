"""The day's book in real headless Chromium at 1280 and 390 px: readable, and one click changes a status.

Screenshots land in artifacts/ (look at them). Skips without Chromium, except in CI (see web/tests).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from bookings.models import Booking
from bookings.services import booking_create
from bookings.tests.conftest import NOW, SATURDAY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_days_book_reads_well_and_one_click_seats_a_party(bookable, live_server, browser, width):
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
    client = Client()
    client.force_login(bookable.member)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(
        f"{live_server.url}/admin/bookings/booking/?restaurant__id__exact={bookable.restaurant.pk}&service_date={SATURDAY}"
    )
    covers = page.locator("#covers")
    assert "12:00–14:30" in covers.inner_text() and "Whole day" in covers.inner_text()
    expect(page.get_by_text("19:00–20:30")).to_be_visible()
    expect(page.get_by_text("peanut allergy")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"bookings-day-{width}.png"), full_page=True)
    row = page.locator("#result_list tbody tr", has_text="Ada Lovelace")
    row.get_by_role("button", name="Seated").click()
    page.wait_for_load_state()
    expect(page.get_by_text("1 booking(s) now seated.")).to_be_visible()
    assert Booking.objects.get(name="Ada Lovelace").status == Booking.Status.SEATED
    page.screenshot(path=str(ARTIFACTS / f"bookings-day-{width}-seated.png"), full_page=True)
    context.close()
