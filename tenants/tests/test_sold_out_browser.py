"""The sold-out board in real Chromium at 1280 and 390 px: an owner 86es a dish in one tap and sees it.

Screenshots go to artifacts/soldout-*.png (kept by CI). No horizontal scroll on the board at either width.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from core.tests.browser import shot as browser_shot
from tenants.models import MenuItem, Restaurant
from tenants.tests.factories import (
    MembershipFactory,
    MenuCategoryFactory,
    MenuItemFactory,
    TenantFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Any, name: str) -> None:
    browser_shot(page, f"soldout-{name}")


def _restaurant_with_a_menu() -> tuple[Any, Restaurant]:
    tenant = TenantFactory(name="Trattoria Group", slug="trattoria")
    owner = MembershipFactory(tenant=tenant, user__username="trattoria-owner").user
    restaurant = Restaurant.objects.create(
        tenant=tenant, name="Trattoria da Ana", timezone="Europe/Lisbon", currency="EUR", language="pt"
    )
    starters = MenuCategoryFactory(restaurant=restaurant, name="Antipasti", position=0)
    mains = MenuCategoryFactory(restaurant=restaurant, name="Secondi", position=1)
    MenuItemFactory(category=starters, name="Burrata", price=Decimal("11.00"))
    MenuItemFactory(category=starters, name="Vitello tonnato", price=Decimal("13.50"))
    MenuItemFactory(
        category=mains,
        name="Grilled sea bass with lemon, capers and a very long description-like name",
        price=Decimal("24.00"),
    )
    MenuItemFactory(category=mains, name="Ossobuco alla milanese", price=Decimal("26.00"))
    MenuItemFactory(category=mains, name="Porchetta", price=Decimal("19.00"), is_available=False)
    return owner, restaurant


def test_an_owner_86es_a_dish_on_the_board_and_sees_it_sold_out(owner_page, live_server):
    page = owner_page
    owner, restaurant = _restaurant_with_a_menu()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", owner.username)
    page.fill("#id_password", "pw")
    page.click("#login-form [type=submit]")
    page.wait_for_selector("#hl-owner-panel")

    # From the restaurant page: its menu is listed, and the board is one tap away.
    page.goto(live_server.url + f"/admin/tenants/restaurant/{restaurant.pk}/change/")
    menu = page.locator("#hl-menu")
    assert "Antipasti (2)" in menu.inner_text() and "Ossobuco alla milanese" in menu.inner_text()
    shot(page, "1-restaurant-page")
    page.locator("#hl-menu").get_by_role("link", name="Sold out today board").click()
    page.wait_for_selector("#hl-board-counts")
    assert page.inner_text("#hl-board-counts") == "0 sold out today · 1 off the menu."
    shot(page, "2-board")

    sea_bass = MenuItem.objects.get(name__startswith="Grilled sea bass")
    row = page.locator(f"#dish-{sea_bass.pk}")
    row.get_by_role("button", name="Sold out today").click()
    page.wait_for_selector(f"#dish-{sea_bass.pk}[data-state=sold_out]")
    text = row.inner_text().replace("\xa0", " ")
    assert "Sold out today" in text and "€ 24,00" in text  # in pt, the restaurant's language
    assert row.get_by_role("button").get_attribute("aria-pressed") == "true"
    assert page.inner_text("#hl-board-counts") == "1 sold out today · 1 off the menu."
    assert "sold out today, back on sale tomorrow" in page.inner_text("body")
    sea_bass.refresh_from_db()
    assert sea_bass.sold_out_on == restaurant.local_today()
    shot(page, "3-board-after-86")

    # One more tap puts it back.
    row.get_by_role("button").click()
    page.wait_for_selector(f"#dish-{sea_bass.pk}[data-state=on_sale]")
    sea_bass.refresh_from_db()
    assert sea_bass.sold_out_on is None

    # The category page lists its dishes with links, no inline forms.
    page.goto(live_server.url + f"/admin/tenants/menucategory/{sea_bass.category_id}/change/")
    assert page.locator("input[name^=items-]").count() == 0
    assert page.get_by_role("link", name="Ossobuco alla milanese").count() == 1
    shot(page, "4-category-page")

    # The dish list shows one restaurant, with the price in its currency.
    page.goto(live_server.url + "/admin/tenants/menuitem/")
    assert "Dishes of Trattoria da Ana" in page.inner_text("body")
    shot(page, "5-dish-list")
