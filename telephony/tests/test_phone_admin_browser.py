"""The owner's phone pages in headless Chromium at desktop and phone widths: the number, the staff line, messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from calls.tasks import call_record_save
from calls.tests.factories import call_payload
from telephony.models import PhoneNumber

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}


def _signed_in_page(browser: Any, live_server: Any, user: Any, width_name: str) -> Any:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    width, height = WIDTHS[width_name]
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
    )
    page = context.new_page()
    page.width_name = width_name
    return page


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}-{page.width_name}.png"), full_page=True)


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_the_owner_sets_the_staff_line_and_reads_a_message(browser, live_server, world_a, width_name):
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
    page = _signed_in_page(browser, live_server, world_a.owner, width_name)
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
    if width_name == "phone":
        page.get_by_role("button", name="Show or hide the navigation").click()
    expect(page.locator("#nav-sidebar-apps").get_by_role("link", name="Messages")).to_contain_text("1")
    if width_name == "phone":
        page.get_by_role("button", name="Close the navigation").click()
    expect(page.get_by_text("Sam Diner")).to_be_visible()
    _shot(page, "messages")
    page.goto(f"{live_server.url}/admin/calls/callrecord/")
    expect(page.get_by_text("+44 ••• 0123").first).to_be_visible()
    _shot(page, "calls")
    page.context.close()
