"""Issue 19 (5) in Chromium at 1280 and 390 px: the onboarding form fills in the country's defaults, the
set-password page says Hostline, and the confirmation pages fit a phone. Screenshots: artifacts/onboard-*.png."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from core.tests.browser import shot as browser_shot
from tenants.api_keys import api_key_create
from tenants.models import Restaurant, Tenant
from tenants.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Operator-pass-2026"


@pytest.fixture
def page(owner_page: Any) -> Any:
    return owner_page


def _shot(page: Any, name: str) -> None:
    browser_shot(page, f"onboard-{name}")


def _sign_in_operator(page: Any, base: str) -> Any:
    operator = UserFactory(username="op", is_superuser=True)
    operator.set_password(PASSWORD)
    operator.save()
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", "op")
    page.fill("#id_password", PASSWORD)
    page.click("[type=submit]")
    page.wait_for_url("**/admin/")
    return operator


def test_an_operator_onboards_a_lisbon_restaurant_from_the_country(page: Any, live_server: Any) -> None:
    _sign_in_operator(page, live_server.url)
    page.goto(f"{live_server.url}/admin/tenants/tenant/onboard/")
    page.fill("#id_tenant_name", "Casa Nova")
    page.fill("#id_owner_email", "owner@casanova.example")
    page.fill("#id_restaurant_name", "Casa Nova Alfama")
    page.select_option("#id_restaurant_country", "PT")
    # The country filled in the rest.
    assert page.input_value("#id_restaurant_timezone") == "Europe/Lisbon"
    assert page.input_value("#id_restaurant_language") == "pt"
    assert page.input_value("#id_restaurant_currency") == "EUR"
    # The operator's own choice is kept when the country changes again.
    page.fill("#id_restaurant_currency", "GBP")
    page.select_option("#id_restaurant_country", "JP")
    assert page.input_value("#id_restaurant_timezone") == "Asia/Tokyo"
    assert page.input_value("#id_restaurant_currency") == "GBP"
    page.select_option("#id_restaurant_country", "PT")
    page.fill("#id_restaurant_currency", "EUR")
    # Typed as a city, searchable in the list.
    page.fill("#id_restaurant_timezone", "Lisbon")
    assert page.locator('#hl-timezones option[value="Europe/Lisbon"]').count() == 1
    _shot(page, "form")

    page.click("input[type=submit][value=Onboard]")
    page.wait_for_selector("#api-key")
    expect(page.get_by_text("is on board").first).to_be_visible()
    _shot(page, "done")
    restaurant = Restaurant.objects.get(name="Casa Nova Alfama")
    assert (restaurant.timezone, restaurant.language, restaurant.currency) == ("Europe/Lisbon", "pt", "EUR")


def test_a_wrong_time_zone_is_explained_on_the_form(page: Any, live_server: Any) -> None:
    _sign_in_operator(page, live_server.url)
    page.goto(f"{live_server.url}/admin/tenants/tenant/onboard/")
    page.fill("#id_tenant_name", "Casa Nova")
    page.fill("#id_owner_email", "owner@casanova.example")
    page.fill("#id_restaurant_name", "Casa Nova Alfama")
    page.fill("#id_restaurant_timezone", "Spain")
    page.click("input[type=submit][value=Onboard]")
    # Said under the field, naming the zones to choose from.
    expect(page.get_by_text("“Spain” has several time zones: Europe/Madrid")).to_be_visible()
    _shot(page, "form-error")
    assert not Tenant.objects.exists()


def test_the_owner_sets_a_password_on_a_hostline_page(page: Any, live_server: Any) -> None:
    from tenants.onboarding import tenant_onboard

    tenant_onboard(
        tenant_name="Casa Nova",
        owner_email="owner@casanova.example",
        restaurant_name="Casa Nova Alfama",
        restaurant_country="PT",
        allowed_origins=[],
    )
    [email] = mail.outbox
    path = re.search(r"https?://\S+?(/accounts/reset/\S+/)", email.body).group(1)
    page.goto(f"{live_server.url}{path}")
    assert page.title().startswith("Set your Hostline password")
    expect(page.get_by_role("heading", name="Set your Hostline password")).to_be_visible()
    assert page.locator("#set-password-username").inner_text() == "owner@casanova.example"
    assert "Django" not in page.content()
    _shot(page, "set-password")

    page.fill("#id_new_password1", "a-long-Password-42")
    page.fill("#id_new_password2", "a-long-Password-42")
    page.click("[type=submit]")
    page.wait_for_url("**/accounts/reset/done/")
    expect(page.get_by_role("heading", name="Your Hostline password is set")).to_be_visible()
    _shot(page, "password-set")
    page.get_by_role("link", name="Sign in to Hostline").click()
    page.fill("#id_username", "owner@casanova.example")
    page.fill("#id_password", "a-long-Password-42")
    page.click("[type=submit]")
    page.wait_for_url("**/admin/")
    # "View site" goes to the owner's own restaurant.
    page.goto(f"{live_server.url}/your-restaurants/")
    expect(page.get_by_role("heading", name="Casa Nova Alfama")).to_be_visible()
    _shot(page, "your-restaurants")


def test_suspension_and_key_revocation_ask_first(page: Any, live_server: Any, world_a: Any) -> None:
    api_key, _ = api_key_create(tenant=world_a.tenant, name="pos")
    _sign_in_operator(page, live_server.url)
    page.goto(f"{live_server.url}/admin/tenants/tenant/{world_a.tenant.pk}/change/")
    page.get_by_role("link", name="Revoke…").click()
    page.wait_for_selector("#confirm-revoke")
    _shot(page, "revoke-key")
    page.click("#confirm-revoke")
    page.wait_for_url(f"**/admin/tenants/tenant/{world_a.tenant.pk}/change/")
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None

    page.goto(f"{live_server.url}/admin/tenants/tenant/{world_a.tenant.pk}/suspend/")
    expect(page.get_by_text("Every new call is refused")).to_be_visible()
    _shot(page, "suspend")
    assert Tenant.objects.get(pk=world_a.tenant.pk).status == "active"
    page.fill("#id_reason", "Unpaid invoice")
    page.click("#confirm-suspend")
    page.wait_for_url(f"**/admin/tenants/tenant/{world_a.tenant.pk}/change/")
    assert Tenant.objects.get(pk=world_a.tenant.pk).status == "suspended"
