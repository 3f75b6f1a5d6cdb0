"""The widget never leaves a diner at a dead end, in every language, on a phone (390 px) and a desktop (1280 px).

Each error state comes from the real platform where it can (a restaurant not live, every line busy, the
voice service down through the stand-in LiveKit), and from the browser where only the browser knows
(a website the restaurant does not allow is a CORS refusal; a lost connection). For each: the diner
reads the message in the page's language, gets "Try again" only when trying again can help, and always
gets the restaurant's phone number as a tel: link.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import expect

from calls.admission import session_slot_acquire
from tenants.cache import restaurant_snapshot_invalidate
from tenants.models import Restaurant, Tenant
from tenants.tests.factories import AllowedOriginFactory, RestaurantFactory, TenantFactory
from web.tests.test_widget_browser import SCRIPTED_CALL
from web.tests.widget_strings import strings_table

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"
TIMEOUT_MS = 20_000
PHONE = "+39 06 1234 5678"
TEL = "tel:+390612345678"
WIDTHS = {"phone": 390, "desktop": 1280}
LANGUAGES = list(strings_table())
STATES = ["not_live", "not_allowed", "busy", "unavailable", "network"]
# A representative set of screenshots: every state in English at both widths, and one state per other
# language at phone width (all at both widths would be 80 pictures saying the same thing).
SHOT_LANGUAGE_STATE = {
    "fr": "not_live",
    "es": "not_allowed",
    "de": "busy",
    "it": "unavailable",
    "pt": "network",
    "nl": "not_live",
    "ja": "busy",
}

PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Trattoria Example</title></head>
<body style="font-family: Georgia, serif; margin: 24px">
  <h1>Trattoria Example</h1>
  <p>Fresh pasta every day.</p>
  {body}
  <script src="{platform}/widget.js" {script_attrs} async></script>
</body></html>
"""


def floating_page(platform: str, restaurant: str, lang: str = "en") -> str:
    return PAGE.format(lang=lang, platform=platform, body="", script_attrs=f'data-restaurant="{restaurant}"')


def inline_page(platform: str, restaurants: list[str], lang: str = "en") -> str:
    body = "".join(
        f'<p style="margin: 0 0 320px"><span data-hostline-restaurant="{r}"></span></p>' for r in restaurants
    )
    return PAGE.format(lang=lang, platform=platform, body=body, script_attrs="")


@pytest.fixture
def restaurant(db: None) -> Restaurant:
    tenant = TenantFactory(name="Trattoria Group", slug="trattoria")
    return RestaurantFactory(tenant=tenant, name="Trattoria Example", language="en", phone=PHONE)


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_(width: int) -> Any:
        context = browser.new_context(viewport={"width": width, "height": 800 if width > 500 else 844})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.warnings = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("console", lambda m: page.warnings.append(m.text) if m.type == "warning" else None)
        page.add_init_script(
            "window.__mic = 0; const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);"
            "navigator.mediaDevices.getUserMedia = (c) => { window.__mic += 1; return gum(c); };"
        )
        return page

    yield open_
    for context in contexts:
        context.close()


def shadow_active(page: Any) -> str:
    """The class of the focused control inside the (first open) widget's shadow root."""
    return page.evaluate(
        "() => { for (const h of document.querySelectorAll('[data-hostline-widget]')) {"
        " const a = h.shadowRoot.activeElement; if (a) return a.className; } return null; }"
    )


def status_as_cached(page: Any, origin: str) -> None:
    """The status the browser cached a minute ago said "taking calls": the call start is the one to refuse."""

    def answer(route: Any) -> None:
        route.fulfill(
            status=200,
            content_type="application/json",
            headers={"Access-Control-Allow-Origin": origin},
            body=json.dumps({"status": "taking_calls", "name": "Trattoria Example", "phone": PHONE}),
        )

    page.route("**/api/restaurant-status*", answer)


def arrange(state: str, restaurant: Restaurant, site_origin: str, fake_livekit: Any) -> None:
    if state == "not_allowed":
        AllowedOriginFactory(tenant=restaurant.tenant, origin="https://trattoria.example")
        return
    AllowedOriginFactory(tenant=restaurant.tenant, origin=site_origin)
    if state == "not_live":
        Restaurant.objects.filter(pk=restaurant.pk).update(went_live_at=None)
    elif state == "busy":
        Tenant.objects.filter(pk=restaurant.tenant_id).update(max_concurrent_sessions=1)
        # Another diner holds the only line.
        assert session_slot_acquire(tenant_id=restaurant.tenant_id, room_name="hl-other-diner", limit=1)
    elif state == "unavailable":
        fake_livekit.fail_status = 500
    restaurant_snapshot_invalidate(public_ids=[restaurant.public_id])


EXPECTED = {
    # state: (the failure the widget announces, the string key, may the diner retry?)
    "not_live": ("not_live", "notLive", False),
    "not_allowed": ("not_allowed", "notAllowed", False),
    "busy": ("busy", "busyIn", True),
    "unavailable": ("unavailable", "unavailable", True),
    "network": ("network", "network", True),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", STATES)
def test_every_error_state_in_every_language_offers_the_phone_and_retry_only_when_it_can_help(
    open_page, live_server, host_site, restaurant, fake_livekit, state, language
):
    strings = strings_table()[language]
    site = host_site({"/": floating_page(live_server.url, restaurant.public_id, language)})
    arrange(state, restaurant, site.origin, fake_livekit)
    kind, key, retryable = EXPECTED[state]
    expected_text = strings[key].format(30)  # the platform's Retry-After for busy lines is 30 s

    for size, width in WIDTHS.items():
        page = open_page(width)
        if state in ("not_live", "not_allowed"):
            status_as_cached(page, site.origin)
        page.goto(site.origin + "/")
        launch = page.locator("[data-hostline-widget]").get_by_role("button", name=strings["button"])
        launch.wait_for()
        if state == "network":
            # The diner's connection drops after the page loaded.
            page.route(f"{live_server.url}/**", lambda route: route.abort("internetdisconnected"))
        launch.click()
        root = page.locator(f"[data-hostline-widget] .root[data-state='error'][data-error='{kind}']")
        root.wait_for(state="attached")
        panel = page.locator("[data-hostline-widget]").get_by_role("dialog")
        alert = panel.get_by_role("alert")

        assert expected_text in alert.inner_text(), f"{language}/{size}: {alert.inner_text()!r}"
        assert "Trattoria Example" in panel.locator(".title").inner_text(), "the panel names its restaurant"
        retry = panel.get_by_role("button", name=strings["retry"])
        assert retry.is_visible() is retryable, f"{language}/{size}: retry shown={retry.is_visible()}"
        phone = alert.get_by_role("link", name=strings["callPhone"].format(PHONE))
        assert phone.get_attribute("href") == TEL
        expect(phone).to_be_visible()
        box = panel.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, "the panel fits the screen"
        if state != "network":
            assert page.evaluate("window.__mic") == 0, "no microphone prompt for a call the platform refused"
        if state == "not_allowed":
            assert any("allowed websites" in w for w in page.warnings), (
                "the site's owner is told in the console"
            )
        assert page.errors == []
        if (language == "en") or (SHOT_LANGUAGE_STATE.get(language) == state and size == "phone"):
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"widget-{state}-{language}-{width}.png"))
        page.context.close()


@pytest.mark.parametrize("size", list(WIDTHS))
def test_a_restaurant_not_taking_calls_shows_a_marked_launcher_with_its_phone_and_no_call_button(
    open_page, live_server, host_site, restaurant, size
):
    site = host_site({"/": floating_page(live_server.url, restaurant.public_id, "fr")})
    AllowedOriginFactory(tenant=restaurant.tenant, origin=site.origin)
    Tenant.objects.filter(pk=restaurant.tenant_id).update(status=Tenant.Status.SUSPENDED)
    restaurant_snapshot_invalidate(public_ids=[restaurant.public_id])
    page = open_page(WIDTHS[size])
    calls: list[str] = []
    page.on("request", lambda r: calls.append(r.url) if "/api/connection-details" in r.url else None)

    page.goto(site.origin + "/")
    page.locator("[data-hostline-widget] .root[data-availability='closed']").wait_for(state="attached")
    host = page.locator("[data-hostline-widget]")

    fr = strings_table()["fr"]
    assert fr["closedLauncher"] in host.get_by_role("note").inner_text()
    assert host.get_by_role("link", name=fr["callPhone"].format(PHONE)).get_attribute("href") == TEL
    assert host.get_by_role("button").count() == 0, "no call button for a restaurant not taking calls"
    assert calls == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"widget-launcher-not-taking-calls-{WIDTHS[size]}.png"))


def test_without_a_phone_number_a_restaurant_not_taking_calls_shows_no_launcher_at_all(
    open_page, live_server, host_site, restaurant
):
    site = host_site({"/": floating_page(live_server.url, restaurant.public_id)})
    AllowedOriginFactory(tenant=restaurant.tenant, origin=site.origin)
    Restaurant.objects.filter(pk=restaurant.pk).update(phone="", went_live_at=None)
    restaurant_snapshot_invalidate(public_ids=[restaurant.public_id])
    page = open_page(1280)
    page.goto(site.origin + "/")
    page.locator("[data-hostline-widget] .root[data-availability='hidden']").wait_for(state="attached")
    assert page.locator("[data-hostline-widget]").get_by_role("button").count() == 0
    assert any("Go live" in w for w in page.warnings), "the owner testing their page learns why"


@pytest.mark.parametrize("size", list(WIDTHS))
def test_the_keyboard_stays_in_the_open_panel_and_escape_returns_to_the_launcher(
    open_page, live_server, host_site, restaurant, fake_livekit, size
):
    fake_livekit.fail_status = 500  # an error panel: close, the phone number and "Try again"
    site = host_site({"/": floating_page(live_server.url, restaurant.public_id)})
    AllowedOriginFactory(tenant=restaurant.tenant, origin=site.origin)
    page = open_page(WIDTHS[size])
    page.goto(site.origin + "/")
    launch = page.locator("[data-hostline-widget]").get_by_role("button", name="Talk to us")
    launch.wait_for()

    page.keyboard.press("Tab")
    assert shadow_active(page) == "launch"
    page.keyboard.press("Enter")
    page.locator("[data-hostline-widget] .root[data-state='error']").wait_for(state="attached")
    assert shadow_active(page) == "retry", "the error's way forward has the focus"

    forward = []
    for _ in range(4):
        page.keyboard.press("Tab")
        forward.append(shadow_active(page))
    assert forward == ["close", "phone", "retry", "close"], "Tab cycles inside the panel"
    backward = []
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
        backward.append(shadow_active(page))
    assert backward == ["retry", "phone", "close"], "and so does Shift+Tab"

    page.keyboard.press("Escape")
    assert page.locator("[data-hostline-widget]").get_by_role("dialog").is_hidden()
    assert shadow_active(page) == "launch", "focus returns to the launcher"
    assert launch.get_attribute("aria-expanded") == "false"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"widget-keyboard-closed-{WIDTHS[size]}.png"))


@pytest.mark.parametrize("size", list(WIDTHS))
def test_one_panel_is_open_at_a_time_and_each_names_its_restaurant(
    open_page, live_server, host_site, restaurant, size
):
    sushi = RestaurantFactory(
        tenant=restaurant.tenant, name="Sushi Bar", language="en", phone="+81 3 1234 5678"
    )
    site = host_site(
        {"/": inline_page(live_server.url, [restaurant.public_id, sushi.public_id, sushi.public_id])}
    )
    AllowedOriginFactory(tenant=restaurant.tenant, origin=site.origin)
    page = open_page(WIDTHS[size])
    page.add_init_script(SCRIPTED_CALL)
    statuses: list[str] = []
    page.on("request", lambda r: statuses.append(r.url) if "/api/restaurant-status" in r.url else None)
    page.goto(site.origin + "/")
    first, second, third = (page.locator("[data-hostline-widget]").nth(i) for i in range(3))
    first.get_by_role("button", name="Talk to us").click()
    first.locator(".root[data-state='thinking']").wait_for(state="attached")
    expect(first.get_by_role("dialog", name="Trattoria Example")).to_be_visible()

    second.get_by_role("button", name="Talk to us").click()
    second.locator(".root[data-state='thinking']").wait_for(state="attached")

    expect(second.get_by_role("dialog", name="Sushi Bar")).to_be_visible()
    assert first.get_by_role("dialog").is_hidden(), "opening a panel closes the other"
    assert first.locator(".root").get_attribute("data-state") == "ended", "and ends its call"
    assert page.locator("[data-hostline-widget] [role=dialog]:visible").count() == 1
    assert len(statuses) == 2, "one status request per restaurant, however many buttons name it"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"widget-one-panel-{WIDTHS[size]}.png"))

    third.get_by_role("button", name="Talk to us").click()
    assert second.get_by_role("dialog").is_hidden()
    assert page.locator("[data-hostline-widget] [role=dialog]:visible").count() == 1
