"""Issue 19: the owner's admin (django-unfold) in real Chromium at 1280 and 390 px, signed in as the demo
owner: every page an owner works on fits the screen (no sideways scrolling of the page), and the tasks
themselves work: change a price, 86 a dish from the list, read a call's transcript.

Screenshots of every page land in artifacts/admin-<page>-<width>.png (look at them).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from calls.models import CallRecord
from calls.schema import CallRecordPayload
from calls.services import call_record_store
from calls.tests.factories import call_payload
from core.tests.browser import shot as browser_shot
from core.tests.browser import sign_in_as
from tenants.demo import DEMO_OWNER_USERNAME, demo_tenant_seed
from tenants.models import MenuCategory, MenuItem, Restaurant

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(600),  # a page a few seconds each in Chromium, at two widths
]


@pytest.fixture
def demo(db: None) -> Restaurant:
    demo_tenant_seed(owner_password=None)
    restaurant = Restaurant.objects.filter(tenant__slug="demo").order_by("pk").first()
    assert restaurant is not None
    return restaurant


@pytest.fixture
def page(owner_page: Any, live_server: Any, demo: Restaurant) -> Any:
    """The demo owner, signed in, at each width; a CSP violation fails the test like a script error."""
    page = owner_page
    page.on("console", lambda m: page.errors.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in_as(page, live_server.url, get_user_model().objects.get(username=DEMO_OWNER_USERNAME))
    page.base = live_server.url
    return page


def visit(page: Any, path: str, name: str) -> None:
    """Open an admin page, check it fits the screen, and keep a screenshot."""
    response = page.goto(page.base + path)
    assert response.status == 200, path
    page.locator("#content").wait_for()
    shot(page, name)


def shot(page: Any, name: str) -> None:
    browser_shot(page, f"admin-{name}")


def on_screen(page: Any, locator: Any) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.width


def test_every_owner_page_fits_the_screen(page: Any, demo: Restaurant) -> None:
    category = MenuCategory.objects.filter(restaurant=demo).order_by("pk").first()
    item = MenuItem.objects.filter(restaurant=demo).order_by("pk").first()
    assert category is not None and item is not None
    pages = {
        "index": "/admin/",
        "restaurants": "/admin/tenants/restaurant/",
        "restaurant": f"/admin/tenants/restaurant/{demo.pk}/change/",
        "agent": f"/admin/tenants/restaurant/{demo.pk}/agent/",
        "dashboard": "/admin/tenants/restaurant/dashboard/",
        "categories": "/admin/tenants/menucategory/",
        "category": f"/admin/tenants/menucategory/{category.pk}/change/",
        "items": "/admin/tenants/menuitem/",
        "item": f"/admin/tenants/menuitem/{item.pk}/change/",
        "imports": "/admin/tenants/menuimport/",
        "import": f"/admin/tenants/restaurant/{demo.pk}/menu/import/",
        "calls": "/admin/calls/callrecord/",
        "messages": "/admin/calls/message/",
        "bookings": "/admin/bookings/booking/",
        "booking-setup": "/admin/bookings/bookablerestaurant/",
        "booking-setup-page": f"/admin/bookings/bookablerestaurant/{demo.pk}/change/",
        "audit": "/admin/audit/auditentry/",
        "phone-numbers": "/admin/telephony/phonenumber/",
        "webhooks": "/admin/webhooks/webhookendpoint/",
    }
    for name, path in pages.items():
        visit(page, path, name)

    # The restaurant page shows the week's hours and leads to the week editor, both on the screen.
    visit(page, f"/admin/tenants/restaurant/{demo.pk}/change/", "restaurant")
    # Its name heads the page (the header's breadcrumbs are cut short beside the page's actions).
    expect(page.get_by_role("heading", name=demo.name, level=1, exact=True)).to_be_visible()
    edit = page.locator("#hl-hours-overview").get_by_role("link", name="Edit hours and holidays")
    edit.scroll_into_view_if_needed()
    assert on_screen(page, page.locator("#hl-hours-overview")) and on_screen(page, edit)
    edit.click()
    page.wait_for_url(f"**/admin/tenants/restaurant/{demo.pk}/hours/")


def test_the_owner_changes_a_price(page: Any, demo: Restaurant) -> None:
    item = MenuItem.objects.filter(restaurant=demo).order_by("pk").first()
    assert item is not None
    visit(page, f"/admin/tenants/menuitem/{item.pk}/change/", "item")
    price = page.locator("#id_price")
    assert on_screen(page, price)
    price.fill("23.40")
    page.locator("#submit-row [name=_save], button[name=_save]").first.click()
    page.wait_for_url("**/admin/tenants/menuitem/**")
    item.refresh_from_db()
    assert item.price == Decimal("23.40")
    expect(page.get_by_text("was changed successfully").first).to_be_visible()
    shot(page, "item-saved")


def test_the_owner_86s_a_dish_from_the_menu_list(page: Any, demo: Restaurant) -> None:
    item = MenuItem.objects.filter(restaurant=demo, is_available=True).order_by("pk").first()
    assert item is not None
    visit(page, "/admin/tenants/menuitem/", "items")
    assert page.locator("#result_list thead th", has_text="Today").count() == 1
    visit(page, f"/admin/tenants/menuitem/?restaurant__id__exact={demo.pk}", "items-filtered")
    # The dish list shows one restaurant, with what a caller hears today on the screen without scrolling.
    assert on_screen(page, page.locator("#result_list tbody tr", has_text=item.name).first)
    if page.width >= 1280:
        assert on_screen(page, page.locator("#result_list thead th", has_text="Today").first)
    # The one-tap board is an action of the restaurant's page (on a phone, behind the "more" button).
    visit(page, f"/admin/tenants/restaurant/{demo.pk}/change/", "restaurant-actions")
    if page.width < 1024:
        page.locator(
            "a", has=page.locator("span.material-symbols-outlined", has_text="more_horiz")
        ).first.click()
    page.locator(f"a[href$='/restaurant/{demo.pk}/sold-out/']", has_text="Sold out today").first.click()
    page.wait_for_url("**/sold-out/")
    visit(page, page.url.removeprefix(page.base), "items-board")
    button = page.get_by_role("button", name=f"Mark {item.name} sold out today")
    assert on_screen(page, button), "the dish's sold-out button is on the screen"
    button.click()
    page.wait_for_load_state()
    item.refresh_from_db()
    assert item.sold_out_on == demo.local_today()
    shot(page, "items-86d")


def test_the_owner_reads_a_call(page: Any, demo: Restaurant) -> None:
    data = call_payload(demo)
    data["transcript"].append(
        {
            "role": "user",
            "text": "Can I bring my dog? It is a very well-behaved one, supercalifragilisticexpialidocious.",
            "at": data["started_at"],
        }
    )
    call_record_store(payload=CallRecordPayload.model_validate(data))
    record = CallRecord.objects.get(room_name=data["room_name"])
    visit(page, "/admin/calls/callrecord/", "calls")
    page.locator("#result_list tbody tr a").first.click()
    page.wait_for_url(f"**/admin/calls/callrecord/{record.pk}/change/")
    visit(page, f"/admin/calls/callrecord/{record.pk}/change/", "call")
    expect(page.get_by_text("Do you have anything vegan?")).to_be_visible()
    expect(page.get_by_text("Yes: the bruschetta is vegan.")).to_be_visible()
