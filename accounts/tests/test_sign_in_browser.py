"""The sign-in pages in headless Chromium at desktop and phone widths: enrolment, code entry, lockout."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from core.tests.browser import shot as browser_shot
from tenants.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.two_factor, pytest.mark.django_db(transaction=True)]

PASSWORD = "Operator-pass-2026"


@pytest.fixture
def page(owner_page: Any) -> Any:
    return owner_page


def _shot(page: Any, name: str) -> None:
    browser_shot(page, f"sign-in-{name}")


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    # Each step may reuse the current code, and right after a wrong code django-otp makes one wait a second.
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )


def _sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-form [type=submit]")


def test_an_operator_enrols_then_signs_in_with_a_code(page: Any, live_server: Any) -> None:
    operator = UserFactory(username="op", is_superuser=True)
    operator.set_password(PASSWORD)
    operator.save()

    _sign_in(page, live_server.url, "op", PASSWORD)
    page.wait_for_url("**/accounts/two-factor/setup/**")
    expect(page.locator(".hl-qr svg")).to_be_visible()
    expect(page.get_by_text("Operators see every restaurant")).to_be_visible()
    _shot(page, "enrol")

    device = TOTPDevice.objects.get(user=operator, confirmed=False)
    page.fill("#id_code", "000000")
    page.click("input[type=submit]")
    page.wait_for_selector(".errorlist")
    expect(page.get_by_text("That code does not match")).to_be_visible()
    _shot(page, "enrol-wrong-code")
    page.fill("#id_code", _code(device))
    page.click("input[type=submit]")
    page.wait_for_selector("#recovery-codes li")
    codes = page.locator("#recovery-codes li")
    assert codes.count() == 10
    _shot(page, "recovery-codes")
    page.get_by_text("I have saved them").click()
    page.wait_for_url("**/admin/")
    expect(page.locator("#header-inner").get_by_text("Restaurants, hours and menus")).to_be_visible()

    # A new browser: password, then the code.
    page.context.clear_cookies()
    _sign_in(page, live_server.url, "op", PASSWORD)
    page.wait_for_url("**/accounts/two-factor/verify/**")
    _shot(page, "verify")
    page.fill("#id_code", _code(device))
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(f"{live_server.url}/accounts/two-factor/")
    expect(page.get_by_text("Operators cannot turn it off")).to_be_visible()
    _shot(page, "manage-operator")


def test_an_owner_sees_two_factor_as_an_option(page: Any, live_server: Any, world_a: Any) -> None:
    world_a.owner.set_password(PASSWORD)
    world_a.owner.save()
    _sign_in(page, live_server.url, world_a.owner.username, PASSWORD)
    page.wait_for_url("**/admin/")
    if page.width < 1024:
        # The navigation is folded away on a phone: its toggle is a named button.
        page.get_by_role("button", name="Show or hide the navigation").click()
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_text("Your password alone signs you in")).to_be_visible()
    _shot(page, "manage-owner")


def test_wrong_passwords_end_on_a_clear_lockout_page(page: Any, live_server: Any, world_a: Any) -> None:
    world_a.owner.set_password(PASSWORD)
    world_a.owner.save()
    for _ in range(5):
        _sign_in(page, live_server.url, world_a.owner.username, "not-the-password")
    _sign_in(page, live_server.url, world_a.owner.username, PASSWORD)
    heading = page.get_by_role("heading", name="Sign-in paused")
    expect(heading).to_be_visible()
    expect(page.get_by_text("Try again in 15 minutes")).to_be_visible()
    _shot(page, "locked-out")


def test_an_owner_reads_the_audit_trail(page: Any, live_server: Any, world_a: Any) -> None:
    from decimal import Decimal

    from audit.context import audit_context
    from tenants.models import MenuItem

    world_a.owner.set_password(PASSWORD)
    world_a.owner.save()
    item = MenuItem.objects.get(restaurant=world_a.restaurant)
    with audit_context(source="admin", user=world_a.member):
        item.price = Decimal("18.50")
        item.description = "Slow-cooked, with a long description that must wrap on a phone screen nicely"
        item.save()
    _sign_in(page, live_server.url, world_a.owner.username, PASSWORD)
    page.wait_for_url("**/admin/")
    page.goto(f"{live_server.url}/admin/audit/auditentry/")
    expect(page.get_by_text("alpha-staff").first).to_be_visible()
    _shot(page, "audit-list")
    page.locator("#result_list tbody tr a").first.click()
    page.wait_for_url("**/change/")
    expect(page.get_by_role("cell", name="18.50")).to_be_visible()
    _shot(page, "audit-entry")
