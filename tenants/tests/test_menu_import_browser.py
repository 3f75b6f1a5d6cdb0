"""An owner imports the shipped example menu in real Chromium at 1280 and 390 px: upload, read the
preview, confirm; and manages the allowed websites. No page scrolls sideways. Screenshots go to
artifacts/import-*.png."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import expect

from core.tests.browser import shot as browser_shot
from tenants.models import AllowedOrigin, MenuImport, MenuItem
from tenants.tests.factories import (
    MembershipFactory,
    MenuCategoryFactory,
    MenuItemFactory,
    RestaurantFactory,
    TenantFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLE = Path(settings.BASE_DIR) / "docs" / "examples" / "menu.csv"


def shot(page: Any, name: str) -> None:
    browser_shot(page, f"import-{name}")


@pytest.fixture
def trattoria() -> Any:
    tenant = TenantFactory(name="Casa Group", slug="casa")
    owner = MembershipFactory(tenant=tenant, user__username="casa-owner").user
    restaurant = RestaurantFactory(tenant=tenant, name="Trattoria Casa")
    antipasti = MenuCategoryFactory(restaurant=restaurant, name="Antipasti", position=0)
    primi = MenuCategoryFactory(restaurant=restaurant, name="Primi", position=1)
    dolci = MenuCategoryFactory(restaurant=restaurant, name="Dolci", description="Sweet things", position=2)
    MenuItemFactory(
        category=antipasti,
        name="Burrata",
        description="Apulian burrata, cherry tomatoes, olive oil",
        price=Decimal("11.00"),
        dietary_tags=["vegetarian", "gluten-free"],
        allergens=["milk", "tree-nuts"],
    )
    MenuItemFactory(
        category=primi,
        name="Tagliatelle al ragù",
        description="Slow-cooked beef and pork ragù",
        price=Decimal("16.00"),
        allergens=["gluten", "eggs", "celery"],
        is_available=True,
    )
    MenuItemFactory(category=dolci, name="Panna cotta", price=Decimal("6.50"), allergens=["milk"])
    return owner, restaurant


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state()


def test_owner_previews_and_confirms_the_shipped_example(owner_page, live_server, trattoria):
    page, (owner, restaurant) = owner_page, trattoria
    sign_in(page, live_server.url, owner.username)

    page.goto(f"{live_server.url}/admin/tenants/restaurant/{restaurant.pk}/menu/import/")
    assert page.is_checked("input[name=mode][value=update]"), "update is the default"
    shot(page, "upload")
    page.click("text=the menu file format")
    page.wait_for_selector("#menu-format")
    assert "molluscs" in page.inner_text("#menu-format")
    shot(page, "format")
    page.go_back()

    page.set_input_files("input[name=file]", str(EXAMPLE))
    # The picker shows the chosen file's name before the owner sends it.
    expect(page.get_by_label("Choose file to upload", exact=True)).to_have_value("menu.csv")
    shot(page, "chosen")
    page.click("#import-upload")
    page.wait_for_selector("#import-preview")
    counts = page.inner_text("#import-counts")
    assert "3\ndishes added" in counts and "2\ndishes changed" in counts and "0\ndishes removed" in counts
    changed = page.inner_text("#import-changed")
    assert "Burrata" in changed and "11.00" in changed and "12.00" in changed
    assert "Tagliatelle al ragù" in changed and "available: yes → no" in changed
    assert "tree-nuts" in page.inner_text("#import-cleared")
    assert MenuItem.objects.get(restaurant=restaurant, name="Burrata").price == Decimal("11.00"), "not yet"
    shot(page, "preview")

    page.click("#import-confirm")
    page.wait_for_url(f"**/restaurant/{restaurant.pk}/change/")
    assert "Menu imported" in page.content()
    shot(page, "done")
    assert MenuItem.objects.get(restaurant=restaurant, name="Burrata").price == Decimal("12.00")
    assert MenuItem.objects.filter(restaurant=restaurant, name="Panna cotta").exists(), (
        "update removes nothing"
    )
    assert MenuImport.objects.get(restaurant=restaurant).status == MenuImport.Status.SUCCEEDED

    page.goto(f"{live_server.url}/admin/tenants/restaurant/{restaurant.pk}/history/")
    assert "Imported the menu from menu.csv" in page.content()
    shot(page, "history")


def test_owner_adds_an_allowed_website(owner_page, live_server, trattoria):
    page, (owner, restaurant) = owner_page, trattoria
    sign_in(page, live_server.url, owner.username)

    page.goto(f"{live_server.url}/admin/tenants/restaurant/{restaurant.pk}/change/")
    page.click("text=your allowed websites")
    page.wait_for_url("**/tenants/allowedorigin/")
    page.click("#content a[href$='/allowedorigin/add/']")
    page.fill("input[name=origin]", "www.trattoria-casa.example/menu")
    page.click("input[name=_save], button[name=_save]")
    page.wait_for_selector("text=has no https://")
    shot(page, "origin-error")
    page.fill("input[name=origin]", "HTTPS://www.Trattoria-Casa.example/")
    page.click("input[name=_save], button[name=_save]")
    page.wait_for_selector("text=https://www.trattoria-casa.example")
    shot(page, "origins")
    assert list(AllowedOrigin.objects.values_list("origin", flat=True)) == [
        "https://www.trattoria-casa.example"
    ]
