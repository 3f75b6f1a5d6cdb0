"""The owner's path in real Chromium at 1280 and 390 px: not live, fix the checklist, test chat, go live,
and the widget on the restaurant's own site turns from "not taking calls yet" into a call start.

Screenshots of every page go to artifacts/ (kept by CI).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from agent_worker.testing import ScriptedLLM, ToolCall, last_tool_output
from calls.schema import CallRecordPayload
from calls.services import call_record_store
from calls.tests.factories import call_payload
from core.tests.browser import shot as browser_shot
from owners import chat
from tenants.models import Restaurant
from tenants.tests.factories import (
    AllowedOriginFactory,
    MembershipFactory,
    MenuCategoryFactory,
    MenuItemFactory,
    OpeningHoursFactory,
    TenantFactory,
)
from web.tests.conftest import host_site  # noqa: F401 (a fixture)
from web.tests.test_widget_browser import (
    ARTIFACTS,
    host_page,
    wait_for_state,
    widget,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Any, name: str) -> None:
    browser_shot(page, f"owner-{name}")


def test_owner_goes_live_and_the_widget_starts_taking_calls(
    owner_page,
    live_server,
    host_site,  # noqa: F811 (the imported fixture)
    fake_livekit,
    settings,
    monkeypatch,
):
    page = owner_page
    tenant = TenantFactory(name="Fresh Group", slug="fresh")
    owner = MembershipFactory(tenant=tenant, user__username="fresh-owner").user
    restaurant = Restaurant.objects.create(tenant=tenant, name="Fresh Start", timezone="Europe/Rome")
    site = host_site({"/": host_page(live_server.url, restaurant.public_id)})

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", owner.username)
    page.fill("#id_password", "pw")
    page.click("#login-form [type=submit]")
    page.wait_for_selector("#hl-owner-panel")
    assert "Not live (4 items left)" in page.inner_text("#hl-owner-panel")
    shot(page, "1-index-not-live")

    page.click("text=Fresh Start")
    assert page.inner_text("#hl-status") == "Not live (4 items left)"
    assert page.locator("button:has-text('Go live')").is_disabled()
    assert "OPENAI_API_KEY" in page.inner_text("#test-chat")
    shot(page, "2-agent-not-live")

    # The diner's side before going live: no call button (no phone number to offer either), no call;
    # the owner trying their page reads why in the console.
    AllowedOriginFactory(tenant=tenant, origin=site.origin)
    diner = page.context.new_page()
    hints: list[str] = []
    diner.on("console", lambda m: hints.append(m.text) if m.type == "warning" else None)
    diner.goto(site.origin + "/")
    diner.locator("[data-hostline-widget] .root[data-availability='hidden']").wait_for(state="attached")
    assert widget(diner).get_by_role("button").count() == 0
    assert any("Go live" in hint for hint in hints)
    assert fake_livekit.dispatches == []
    diner.screenshot(path=str(ARTIFACTS / f"owner-3-widget-not-live-{page.width}.png"))

    # The owner fixes each item (hours, a dish with its allergens, a greeting; the website was added).
    with transaction.atomic():
        OpeningHoursFactory(restaurant=restaurant, weekday=0)
        item = MenuItemFactory(
            category=MenuCategoryFactory(restaurant=restaurant, name="Primi"), name="Risotto"
        )
        item.allergens = ["milk"]
        item.save()
        restaurant.greeting = "Buongiorno, Fresh Start."
        restaurant.save()
    page.reload()
    assert page.inner_text("#hl-status") == "Not live (ready to go live)"

    # A test chat on the scripted model, with the agent's real tools.
    settings.OPENAI_API_KEY = "sk-test"
    scripted = ScriptedLLM(
        [ToolCall("get_opening_hours", {}), lambda ctx: "Hours: " + last_tool_output(ctx)[:40]]
    )
    monkeypatch.setattr(chat, "chat_llm", lambda: scripted)
    page.reload()
    page.fill("input[name=message]", "When are you open?")
    page.click("#test-chat button:has-text('Send')")
    page.wait_for_selector(".hl-msg-assistant")
    assert "Hours: Monday: 12:00 to 22:00" in page.inner_text("#hl-chat-log")
    assert "tool get_opening_hours" in page.inner_text("#hl-chat-log")
    shot(page, "4-test-chat")

    page.click("button:has-text('Go live')")
    page.wait_for_selector("text=Fresh Start is live")
    assert page.inner_text("#hl-status") == "Live"
    shot(page, "5-live")

    # A new visit (a reload within seconds may reuse the browser's cached status answer).
    diner = page.context.browser.new_context().new_page()
    diner.goto(site.origin + "/")
    widget(diner).get_by_role("button", name="Talk to us").click()
    diner.wait_for_function("() => document.querySelector('[data-hostline-widget]') !== null")
    wait_for_state(diner, "error")  # the fake LiveKit has no media server: the room is unreachable
    assert len(fake_livekit.dispatches) == 1  # but the call did start

    for hours_ago, question in ((30, "Do you have a terrace?"), (5, "Is there parking?"), (2, "")):
        data = call_payload(restaurant)
        start = timezone.now() - dt.timedelta(hours=hours_ago)
        data.update(
            started_at=start.isoformat(),
            ended_at=(start + dt.timedelta(seconds=150)).isoformat(),
            unanswered_questions=[{"question": question}] if question else [],
        )
        call_record_store(payload=CallRecordPayload.model_validate(data))
    page.goto(live_server.url + "/admin/tenants/restaurant/dashboard/")
    page.wait_for_selector("svg.hl-chart")
    assert page.inner_text("#hl-calls") == "3"
    assert "Is there parking?" in page.inner_text("#hl-unanswered")
    shot(page, "6-dashboard")
    page.goto(live_server.url + "/admin/tenants/restaurant/")
    assert "Live" in page.inner_text("#result_list")
    shot(page, "7-restaurant-list")
