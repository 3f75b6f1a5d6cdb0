"""The embeddable widget in real headless Chromium, on restaurant pages served from other origins.

No LiveKit media server runs in tests: the platform dispatches to the local fake of LiveKit's server API,
so a real call gets as far as joining the room and must then show a clear "couldn't connect" error.
The agent-side states (listening, thinking, speaking, transcript) are driven by a scripted call bundle.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import expect

from calls.contract import parse_job_metadata
from tenants.tests.factories import AllowedOriginFactory, RestaurantFactory, TenantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"
STATE_TIMEOUT_MS = 20_000


@pytest.fixture(scope="module", autouse=True)
def _widget_built() -> None:
    if not (Path(settings.BASE_DIR) / "static" / "widget.js").exists():
        pytest.fail("static/widget.js is missing: build it with `make widget`.")


HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Trattoria Example</title>
<style>
  body {{ font-family: Georgia, serif; color: rgb(10, 20, 30); }}
  button {{ background: rgb(255, 0, 0); color: rgb(255, 255, 0); font-size: 31px; }}
  * {{ letter-spacing: 3px; }}
</style></head>
<body>
  <h1>Trattoria Example</h1>
  <button id="own-button">Book a table</button>
  <script src="{platform}/widget.js" data-restaurant="{restaurant}" {extra} async></script>
</body></html>
"""


def host_page(platform: str, restaurant: str, extra: str = "") -> str:
    return HOST_PAGE.format(platform=platform, restaurant=restaurant, extra=extra)


@pytest.fixture
def restaurant(db: None) -> Any:
    tenant = TenantFactory(name="Trattoria Group", slug="trattoria")
    return RestaurantFactory(tenant=tenant, name="Trattoria Example", language="en")


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(STATE_TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Every state the widget announces, in order, for assertions on the whole sequence.
    page.add_init_script(
        "window.__states = []; addEventListener('hostline:state', (e) => window.__states.push(e.detail));"
    )
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"widget-{request.node.name}.png"))
    context.close()
    assert errors == [], f"uncaught errors on the page: {errors}"


def widget(page: Any) -> Any:
    return page.locator("[data-hostline-widget]")


def wait_for_state(page: Any, state: str) -> None:
    page.locator(f"[data-hostline-widget] .root[data-state='{state}']").wait_for(state="attached")


def states(page: Any) -> list[str]:
    return [entry["state"] for entry in page.evaluate("window.__states")]


# A stand-in for the call bundle (livekit-client): plays the states a real agent goes through.
SCRIPTED_CALL = """
window.__hostlineCall = { CallSession: class {
  constructor(options, events) { this.events = events; this.state = 'idle'; this.muted = false; window.__call = this; }
  emit(state) { this.state = state; this.events.state(state); }
  async start() {
    this.emit('connecting');
    await new Promise(r => setTimeout(r, 50)); this.emit('waiting');
    await new Promise(r => setTimeout(r, 50)); this.emit('speaking');
    this.events.transcript({ id: 'a1', speaker: 'agent', text: 'Hello, Trattoria Example here.', final: true });
    await new Promise(r => setTimeout(r, 50)); this.emit('listening');
    this.events.transcript({ id: 'u1', speaker: 'user', text: 'Are you open tonight?', final: false });
    await new Promise(r => setTimeout(r, 50)); this.emit('thinking');
    this.events.transcript({ id: 'u1', speaker: 'user', text: 'Are you open tonight?', final: true });
  }
  async setMuted(muted) { this.muted = muted; this.events.muted(muted); }
  end() { this.emit('ended'); }
  fail() {}
}};
"""


def test_on_an_allowed_site_a_call_dispatches_the_agent_and_says_clearly_when_the_room_is_unreachable(
    page, live_server, host_site, restaurant, fake_livekit
):
    site = host_site({"/": host_page(live_server.url, restaurant.public_id)})
    AllowedOriginFactory(tenant=restaurant.tenant, origin=site.origin)
    requests: list[Any] = []
    page.on("request", lambda r: requests.append(r) if r.url.endswith("/api/connection-details") else None)

    page.goto(site.origin + "/")
    launch = widget(page).get_by_role("button", name="Talk to us")
    launch.click()
    wait_for_state(page, "error")

    assert page.evaluate("window.__states")[-1] == {"state": "error", "error": "room_unreachable"}
    assert states(page)[:2] == ["idle", "connecting"]
    alert = widget(page).get_by_role("alert")
    assert "couldn't connect the call" in alert.inner_text()
    expect(widget(page).get_by_role("button", name="Try again")).to_be_visible()

    [sent] = [r for r in requests if r.method == "POST"]
    assert json.loads(sent.post_data) == {"restaurant_id": restaurant.public_id}, (
        "no language: the restaurant's own setting decides what the agent speaks"
    )
    assert sent.header_value("origin") == site.origin
    [dispatch] = fake_livekit.dispatches
    assert parse_job_metadata(dispatch.message["metadata"]).restaurant_id == restaurant.public_id


def test_try_again_starts_a_fresh_call(page, live_server, host_site, restaurant, fake_livekit):
    site = host_site({"/": host_page(live_server.url, restaurant.public_id)})
    AllowedOriginFactory(tenant=restaurant.tenant, origin=site.origin)
    page.goto(site.origin + "/")
    widget(page).get_by_role("button", name="Talk to us").click()
    wait_for_state(page, "error")
    page.evaluate("window.__states = []")

    widget(page).get_by_role("button", name="Try again").click()
    wait_for_state(page, "error")

    assert states(page)[0] == "connecting"
    assert len(fake_livekit.dispatches) == 2
    rooms = {d.message["room"] for d in fake_livekit.dispatches}
    assert len(rooms) == 2, "each attempt must get its own room"


def test_on_a_site_the_tenant_does_not_allow_no_launcher_shows_and_the_console_tells_the_owner(
    page, live_server, host_site, restaurant, fake_livekit
):
    site = host_site({"/": host_page(live_server.url, restaurant.public_id)})
    AllowedOriginFactory(tenant=restaurant.tenant, origin="https://trattoria.example")
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    calls: list[str] = []
    page.on("request", lambda r: calls.append(r.url) if "/api/connection-details" in r.url else None)

    page.goto(site.origin + "/")
    page.locator("[data-hostline-widget] .root[data-availability='hidden']").wait_for(state="attached")

    assert widget(page).get_by_role("button").count() == 0, "a diner is not offered a call that cannot work"
    assert any("allowed websites" in w and site.origin in w for w in warnings), warnings
    assert calls == [] and fake_livekit.dispatches == []


def test_a_diner_who_blocks_the_microphone_is_told_how_to_fix_it_after_the_call_was_accepted(
    page, live_server, host_site, restaurant, fake_livekit
):
    site = host_site({"/": host_page(live_server.url, restaurant.public_id)})
    AllowedOriginFactory(tenant=restaurant.tenant, origin=site.origin)
    page.add_init_script(
        "window.__asked = [];"
        "navigator.mediaDevices.getUserMedia = () => { window.__asked.push(performance.now());"
        " return Promise.reject(new DOMException('Permission denied', 'NotAllowedError')); };"
    )
    accepted: list[float] = []
    page.on(
        "response",
        lambda r: (
            accepted.append(1) if r.url.endswith("/api/connection-details") and r.status == 200 else None
        ),
    )

    page.goto(site.origin + "/")
    widget(page).get_by_role("button", name="Talk to us").click()
    wait_for_state(page, "error")

    assert "Microphone access was blocked" in widget(page).get_by_role("alert").inner_text()
    expect(
        widget(page).get_by_role("button", name="Try again")
    ).to_be_visible()  # allowing it and retrying helps
    assert accepted == [1] and len(page.evaluate("window.__asked")) == 1, (
        "the microphone is asked for once, after the platform accepted the call"
    )
    assert len(fake_livekit.dispatches) == 1


def test_busy_lines_tell_the_diner_when_to_try_again(page, live_server, host_site, restaurant):
    site = host_site({"/": host_page(live_server.url, restaurant.public_id)})
    AllowedOriginFactory(tenant=restaurant.tenant, origin=site.origin)
    restaurant.tenant.max_concurrent_sessions = 1
    restaurant.tenant.save()
    # Another diner holds the only line.
    from calls.admission import session_slot_acquire

    if not session_slot_acquire(tenant_id=restaurant.tenant_id, room_name="hl-other-diner", limit=1):
        pytest.fail("the test could not take the tenant's only line")

    page.goto(site.origin + "/")
    widget(page).get_by_role("button", name="Talk to us").click()
    wait_for_state(page, "error")

    assert page.evaluate("window.__states")[-1]["error"] == "busy"
    assert "try again in 30 seconds" in widget(page).get_by_role("alert").inner_text()


def test_the_host_pages_styles_and_the_widgets_styles_do_not_leak_into_each_other(
    page, live_server, host_site, restaurant
):
    site = host_site({"/": host_page(live_server.url, restaurant.public_id, 'data-accent="#123456"')})
    AllowedOriginFactory(tenant=restaurant.tenant, origin=site.origin)
    page.goto(site.origin + "/")
    own = page.locator("#own-button")
    before = own.evaluate(
        "b => { const s = getComputedStyle(b); return [s.backgroundColor, s.color, s.fontSize] }"
    )
    launch = widget(page).get_by_role("button", name="Talk to us")
    launch.wait_for()

    after = own.evaluate(
        "b => { const s = getComputedStyle(b); return [s.backgroundColor, s.color, s.fontSize] }"
    )
    assert before == after == ["rgb(255, 0, 0)", "rgb(255, 255, 0)", "31px"]
    inside = launch.evaluate(
        "b => { const s = getComputedStyle(b);"
        " return [s.backgroundColor, s.fontSize, s.letterSpacing, s.fontFamily] }"
    )
    assert inside[0] == "rgb(18, 52, 86)", "data-accent colours the button"
    assert inside[1] != "31px" and inside[2] == "normal"
    assert "Georgia" not in inside[3]
    assert page.evaluate("document.querySelectorAll('style').length") == 1, (
        "nothing added to the host's <head>"
    )


def test_options_position_button_text_and_language(page, live_server, host_site, restaurant, fake_livekit):
    extra = 'data-position="bottom-left" data-button-text="Parlez-nous" data-language="fr"'
    site = host_site({"/": host_page(live_server.url, restaurant.public_id, extra)})
    AllowedOriginFactory(tenant=restaurant.tenant, origin=site.origin)
    page.goto(site.origin + "/")
    launch = widget(page).get_by_role("button", name="Parlez-nous")
    box = launch.bounding_box()

    assert box["x"] < 100, "bottom-left puts the button on the left"
    assert box["y"] > 800 - 150, "and at the bottom"
    with page.expect_request("**/api/connection-details") as sent:
        launch.click()
    assert json.loads(sent.value.post_data)["language"] == "fr", "data-language asks the agent for French"
    wait_for_state(page, "error")
    panel = widget(page).get_by_role("dialog", name="Assistant vocal")
    assert "L'appel n'a pas pu être établi" in panel.get_by_role("alert").inner_text()
    assert parse_job_metadata(fake_livekit.dispatches[0].message["metadata"]).language == "fr"


def test_keyboard_only_diners_can_open_and_close_the_widget(page, live_server, host_site, restaurant):
    site = host_site({"/": host_page(live_server.url, restaurant.public_id)})
    AllowedOriginFactory(tenant=restaurant.tenant, origin=site.origin)
    page.add_init_script(SCRIPTED_CALL)
    page.goto(site.origin + "/")
    launch = widget(page).get_by_role("button", name="Talk to us")
    launch.wait_for()
    assert launch.get_attribute("aria-expanded") == "false"

    page.keyboard.press("Tab")  # the host's own button
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    dialog = widget(page).get_by_role("dialog", name="Voice assistant")
    dialog.wait_for()
    page.keyboard.press("Escape")

    assert dialog.is_hidden()
    assert launch.get_attribute("aria-expanded") == "false"
    assert launch.evaluate("b => b.getRootNode().activeElement === b"), "focus returns to the button"


def test_a_call_shows_the_agents_states_the_transcript_mute_and_hang_up(
    page, live_server, host_site, restaurant
):
    site = host_site({"/": host_page(live_server.url, restaurant.public_id)})
    AllowedOriginFactory(tenant=restaurant.tenant, origin=site.origin)
    page.add_init_script(SCRIPTED_CALL)
    page.goto(site.origin + "/")
    widget(page).get_by_role("button", name="Talk to us").click()
    wait_for_state(page, "thinking")

    assert states(page) == ["idle", "connecting", "waiting", "speaking", "listening", "thinking"]
    transcript = widget(page).get_by_role("list", name="Transcript")
    lines = transcript.get_by_role("listitem")
    assert [line.inner_text().split("\n") for line in lines.all()] == [
        ["Assistant:", "Hello, Trattoria Example here."],
        ["You:", "Are you open tonight?"],
    ], "one line per utterance, the interim words replaced by the final ones, each saying who spoke"
    assert widget(page).get_by_role("status").inner_text() == "Thinking…"

    widget(page).get_by_role("button", name="Mute microphone").click()
    unmute = widget(page).get_by_role("button", name="Unmute microphone")
    assert unmute.get_attribute("aria-pressed") == "true"

    widget(page).get_by_role("button", name="Hang up").click()
    wait_for_state(page, "ended")
    assert "Call ended" in widget(page).get_by_role("status").inner_text()
    expect(widget(page).get_by_role("button", name="Call again")).to_be_visible()
    assert widget(page).get_by_role("button", name="Hang up").is_hidden()


def test_the_widget_fits_a_phone_screen(browser, live_server, host_site, restaurant):
    site = host_site({"/": host_page(live_server.url, restaurant.public_id)})
    AllowedOriginFactory(tenant=restaurant.tenant, origin=site.origin)
    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.add_init_script(SCRIPTED_CALL)
    phone.goto(site.origin + "/")
    widget(phone).get_by_role("button", name="Talk to us").click()
    panel = widget(phone).get_by_role("dialog")
    panel.wait_for()
    box = panel.bounding_box()
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "widget-phone.png"))
    context.close()

    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert box["y"] >= 0 and box["y"] + box["height"] <= 640


def test_the_demo_page_lets_a_visitor_call_each_demo_restaurant(page, live_server, fake_livekit):
    from tenants.demo import demo_tenant_seed

    demo_tenant_seed(owner_password=None)
    page.goto(live_server.url + "/")
    buttons = page.locator("[data-hostline-widget]")
    buttons.first.wait_for()
    names = page.locator("li h2").all_inner_texts()
    assert len(names) >= 2 and buttons.count() == len(names)

    buttons.nth(1).get_by_role("button", name=f"Talk to {names[1]}").click()
    page.locator("[data-hostline-widget] .root[data-state='error']").wait_for(state="attached")

    [dispatch] = fake_livekit.dispatches
    from tenants.models import Restaurant

    called = Restaurant.objects.get(public_id=parse_job_metadata(dispatch.message["metadata"]).restaurant_id)
    assert called.name == names[1]


def test_when_the_platform_cannot_be_reached_the_diner_is_told_to_check_the_connection(
    page, live_server, host_site, restaurant, fake_livekit
):
    site = host_site({"/": host_page(live_server.url, restaurant.public_id)})
    AllowedOriginFactory(tenant=restaurant.tenant, origin=site.origin)
    page.goto(site.origin + "/")
    launch = widget(page).get_by_role("button", name="Talk to us")
    launch.wait_for()
    # The diner's connection drops after the page loaded: nothing reaches the platform any more.
    page.route(f"{live_server.url}/api/**", lambda route: route.abort("internetdisconnected"))
    page.route(f"{live_server.url}/healthz", lambda route: route.abort("internetdisconnected"))

    launch.click()
    wait_for_state(page, "error")

    assert page.evaluate("window.__states")[-1]["error"] == "network"
    assert "Check your connection" in widget(page).get_by_role("alert").inner_text()
    assert fake_livekit.dispatches == []


def test_when_livekit_is_down_the_diner_reads_that_the_service_is_unavailable(
    page, live_server, host_site, restaurant, fake_livekit
):
    fake_livekit.fail_status = 500
    site = host_site({"/": host_page(live_server.url, restaurant.public_id)})
    AllowedOriginFactory(tenant=restaurant.tenant, origin=site.origin)
    page.goto(site.origin + "/")

    widget(page).get_by_role("button", name="Talk to us").click()
    wait_for_state(page, "error")

    assert page.evaluate("window.__states")[-1]["error"] == "unavailable"
    assert "voice service is unavailable right now" in widget(page).get_by_role("alert").inner_text()
    expect(widget(page).get_by_role("button", name="Try again")).to_be_visible()
