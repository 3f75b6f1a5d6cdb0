"""The week-view hours editor in real headless Chromium at 1280 and 390 px: an owner sets today's hours
with "7pm"-style input, sees "(next day)" on a 01:00 close, closes a date range in one entry, and reads
what to type after a bad time, with no horizontal scroll at any step.

Screenshots land in artifacts/hours-*.png (look at them). Skips without Chromium, except in CI.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from core.tests.browser import shot as browser_shot
from core.tests.browser import sign_in_as
from tenants.models import OpeningHours, SpecialDate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_owner_sets_todays_hours_and_closes_a_holiday_on_a_phone_or_a_desk(
    world_a, live_server, owner_page
):
    restaurant = world_a.restaurant
    page, width = owner_page, owner_page.width
    sign_in_as(page, live_server.url, world_a.owner)
    page.goto(f"{live_server.url}/admin/tenants/restaurant/{restaurant.pk}/change/")
    link = page.get_by_role("link", name="Hours (week)")
    if width < 1024:
        # On a phone unfold folds the page's actions into the "more" menu in the header.
        page.locator(
            "a", has=page.locator("span.material-symbols-outlined", has_text="more_horiz")
        ).first.click()
    link.click()
    page.wait_for_load_state()
    assert page.locator("li.hl-day").count() == 7
    browser_shot(page, "hours-week")

    # Today's own hours, typed the way people say them.
    special = page.locator("#special-hours")
    special.get_by_label("Opens").fill("7pm")
    special.get_by_label("Closes").fill("1am")
    special.get_by_label("Note for diners").fill("Late opening")
    special.get_by_role("button", name="Save hours for this date").click()
    page.wait_for_load_state()
    today_text = page.locator("#today-hours").inner_text()
    assert "19:00" in today_text and "01:00 (next day)" in today_text, today_text
    row = SpecialDate.objects.get(restaurant=restaurant, opens_at__isnull=False)
    assert (row.opens_at, row.closes_at) == (dt.time(19), dt.time(1))

    # Friday: a split shift with a past-midnight close, in 12- and 24-hour forms.
    friday = page.locator('li.hl-day[data-weekday="4"]')
    friday.get_by_label("Friday, service 1, opens").fill("noon")
    friday.get_by_label("Friday, service 1, closes").fill("3pm")
    friday.get_by_label("Friday, service 2, opens").fill("19:00")
    friday.get_by_label("Friday, service 2, closes").fill("1am")
    page.get_by_role("button", name="Save the week").click()
    page.wait_for_load_state()
    friday = page.locator('li.hl-day[data-weekday="4"] .hl-day-now')
    assert "01:00 (next day)" in friday.inner_text()
    assert OpeningHours.objects.filter(restaurant=restaurant, weekday=4).count() == 2

    # A bad time says what to type, and nothing changes.
    page.locator('li.hl-day[data-weekday="4"]').get_by_label("Friday, service 2, closes").fill("1 o'clock")
    page.get_by_role("button", name="Save the week").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Type a time like 19:00 or 7pm.").first).to_be_visible()
    browser_shot(page, "hours-error")
    assert OpeningHours.objects.get(
        restaurant=restaurant, weekday=4, opens_at=dt.time(19)
    ).closes_at == dt.time(1)

    # Two weeks of holiday in one entry.
    page.goto(f"{live_server.url}/admin/tenants/restaurant/{restaurant.pk}/hours/")
    closure = page.locator("#closure")
    closure.get_by_label("Closed from").fill("2030-12-24")
    closure.get_by_label("to (last day closed)").fill("2031-01-06")
    closure.get_by_label("Note for diners").fill("Christmas holidays")
    closure.get_by_role("button", name="Close these days").click()
    page.wait_for_load_state()
    upcoming = page.locator("#upcoming li.hl-special", has_text="Christmas holidays")
    assert upcoming.count() == 1
    assert "Closed (14 days)" in upcoming.inner_text()
    entry = SpecialDate.objects.get(restaurant=restaurant, note="Christmas holidays")
    assert (entry.date, entry.end_date) == (dt.date(2030, 12, 24), dt.date(2031, 1, 6))
    browser_shot(page, "hours-saved")
