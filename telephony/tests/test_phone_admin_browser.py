"""The owner's phone pages in headless Chromium at desktop and phone widths: the number, the staff line, messages."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from calls.tasks import call_record_save
from calls.tests.factories import call_payload
from core.tests.browser import shot as browser_shot
from core.tests.browser import sign_in_as
from telephony.models import PhoneNumber

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page: Any, name: str) -> None:
    browser_shot(page, f"phone-{name}")


def test_the_owner_sets_the_staff_line_and_reads_a_message(owner_page, live_server, world_a):
    phone = PhoneNumber.objects.create(number="+442079460123", restaurant=world_a.restaurant, status="active")
    call_record_save.delay(
        call_payload(
            world_a.restaurant,
            channel="phone",
            caller_number="+447700900123",
            messages=[
                {
                    "caller_name": "Sam Diner",
                    "callback_number": "+447700900123",
                    "about": "Lost a scarf on Friday",
                    "at": "2030-01-07T18:00:00+00:00",
                }
            ],
        )
    ).get()
    page = owner_page
    sign_in_as(page, live_server.url, world_a.owner)
    page.goto(f"{live_server.url}/admin/telephony/phonenumber/")
    expect(page.get_by_text("+44 20 7946 0123")).to_be_visible()
    _shot(page, "numbers")
    page.get_by_text("+44 20 7946 0123").click()
    page.fill("input[name=staff_number]", "+44 20 7946 0999")
    _shot(page, "number")
    page.locator("button[name=_save]").click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    phone.refresh_from_db()
    assert phone.staff_number == "+442079460999"

    page.goto(f"{live_server.url}/admin/calls/message/")
    # The sidebar counts the unread message (on a phone, once the navigation is opened).
    if page.width < 1024:
        page.get_by_role("button", name="Show or hide the navigation").click()
    expect(page.locator("#nav-sidebar-apps").get_by_role("link", name="Messages")).to_contain_text("1")
    if page.width < 1024:
        page.get_by_role("button", name="Close the navigation").click()
    expect(page.get_by_text("Sam Diner")).to_be_visible()
    _shot(page, "messages")
    page.goto(f"{live_server.url}/admin/calls/callrecord/")
    expect(page.get_by_text("+44 ••• 0123").first).to_be_visible()
    _shot(page, "calls")
