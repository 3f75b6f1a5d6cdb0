"""The preview says what the agent's tools say; the test chat runs the real agent on the scripted model."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from agent_worker.testing import ScriptedLLM, ToolCall, last_tool_output
from agent_worker.tools import formatting as fmt
from agent_worker.tools import hours as hours_tools
from calls.models import CallRecord, Channel, Outcome
from calls.selectors import usage_by_tenant_month
from owners import chat
from owners.preview import agent_preview, tool_answer
from tenants import hours
from tenants.models import MenuItem
from tenants.selectors import restaurant_snapshot_from_db
from tenants.snapshot import (
    MenuCategorySnapshot,
    MenuItemSnapshot,
    RestaurantSnapshot,
    SpecialDateEntry,
    WeeklyInterval,
)

pytestmark = pytest.mark.django_db


def test_the_page_shows_what_the_agent_would_say(world_a):
    item = MenuItem.objects.get(restaurant=world_a.restaurant)
    item.sold_out_on = world_a.restaurant.local_today()
    item.save()
    client = world_a.client_for(world_a.owner)
    body = client.get(
        reverse("admin:tenants_restaurant_agent", args=[world_a.restaurant.pk])
    ).content.decode()
    snapshot = restaurant_snapshot_from_db(public_id=world_a.restaurant.public_id)
    assert "Alpha Secret Dish" in body and "(sold out today)" in body
    assert "The agent will say it cannot confirm the allergens" in body  # nobody declared them
    assert "not declared" in body  # in the agent's own words
    assert f"Welcome to {world_a.restaurant.name}. How can I help you?" in body
    assert snapshot.version in body
    assert "You are the voice host of the restaurant" in body  # the instructions, folded away
    assert "Restaurant name: &quot;Alpha Bistro&quot;" in body  # escaped as the page shows it
    # No key on this platform: the page names the missing setting and the preview still works.
    assert "OPENAI_API_KEY" in body


def test_other_tenants_and_outsiders_get_nothing(world_a, world_b, outsider):
    url = reverse("admin:tenants_restaurant_agent", args=[world_b.restaurant.pk])
    response = world_a.client_for(world_a.owner).get(url)
    assert response.status_code == 404 and "Bravo" not in response.content.decode()
    response = world_a.client_for(world_a.member).get(url)
    assert response.status_code == 404
    client = world_a.client_for(outsider)
    assert client.get(url).status_code in {302, 403, 404}
    chat_url = reverse("admin:tenants_restaurant_test_chat", args=[world_b.restaurant.pk])
    assert world_a.client_for(world_a.owner).post(chat_url, {"message": "hi"}).status_code == 404
    assert not CallRecord.objects.exists()  # nothing changed


def _snapshot(weekly, specials, items) -> RestaurantSnapshot:
    return RestaurantSnapshot(
        public_id="r_0123456789abcdef",
        tenant_id=1,
        tenant_active=True,
        active=True,
        name="Hypo",
        timezone="Europe/Rome",
        language="en",
        currency="EUR",
        weekly_hours=tuple(weekly),
        special_dates=tuple(specials),
        categories=(MenuCategorySnapshot(id=1, name="Mains", items=tuple(items)),),
    ).with_content_version()


_time = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@st.composite
def _restaurants(draw):
    weekly = [
        WeeklyInterval(weekday=d, opens=o, closes=c)
        for d, o, c in draw(st.lists(st.tuples(st.integers(0, 6), _time, _time), max_size=5))
        if o != c
    ]
    base = dt.date(2026, 11, 20)
    specials = [
        SpecialDateEntry(date=base + dt.timedelta(days=n), note="Holiday")
        for n in draw(st.lists(st.integers(0, 30), max_size=3, unique=True))
    ]
    items = [
        MenuItemSnapshot(
            id=i,
            name=f"Dish {i}",
            price=Decimal("9.50"),
            currency="EUR",
            **draw(
                st.sampled_from(
                    [
                        {"allergens": (), "allergens_declared": False},  # nobody said
                        {"allergens": (), "allergens_declared": True},  # declared: none
                        {"allergens": ("milk",), "allergens_declared": True},
                    ]
                )
            ),
            available=draw(st.booleans()),
            # Sold out on a date before, inside or after the drawn instants' range.
            sold_out_on=draw(st.sampled_from([None, dt.date(2026, 11, 10), dt.date(2026, 11, 25)])),
        )
        for i in range(draw(st.integers(0, 4)))
    ]
    return _snapshot(weekly, specials, items)


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    snapshot=_restaurants(),
    moment=st.datetimes(min_value=dt.datetime(2026, 11, 20), max_value=dt.datetime(2026, 12, 20)).map(
        lambda m: m.replace(second=0, microsecond=0, tzinfo=dt.UTC)
    ),
)
def test_preview_and_tools_agree_for_any_restaurant_and_instant(snapshot, moment):
    preview = agent_preview(snapshot=snapshot, now=moment)
    local = hours.local_now(snapshot, moment)
    asked = tool_answer(hours_tools.check_if_open, snapshot, when=f"{local:%Y-%m-%d %H:%M}")
    assert preview.open_now == asked
    # And against a deliberately simple reference: open iff some interval of yesterday or today covers it.
    assert preview.open_now.startswith("Open ") == any(
        start <= moment < end
        for offset in (-1, 0)
        for start, end in hours.intervals_on(snapshot, local.date() + dt.timedelta(days=offset))
    )
    today = local.date()
    assert [d.name for d in preview.sold_out] == [
        i.name for i in snapshot.items() if not i.available or i.sold_out_on == today
    ]
    assert [d.says for d in preview.no_allergen_information] == [
        fmt.item_details(i, "Mains", today, "en") for i in snapshot.items() if not i.allergens_known
    ]


def test_test_chat_runs_the_agent_with_its_tools_and_is_stored_apart(world_a, settings, monkeypatch):
    settings.OPENAI_API_KEY = "sk-test"  # a key is "configured"; the scripted model stands in for it
    steps = [
        ToolCall("get_opening_hours", {}),
        lambda ctx: "We open Monday " + last_tool_output(ctx).split(";")[0],
        ToolCall("record_unanswered_question", {"question": "Is there parking?"}),
        "I don't know, sorry. Please call us.",
    ]
    scripted = ScriptedLLM(steps)
    monkeypatch.setattr(chat, "chat_llm", lambda: scripted)
    client = world_a.client_for(world_a.owner)
    url = reverse("admin:tenants_restaurant_test_chat", args=[world_a.restaurant.pk])
    response = client.post(url, {"message": "When are you open?"})
    assert response.status_code == 302
    record = CallRecord.objects.get()
    assert record.channel == Channel.TEST
    page = client.get(response["Location"]).content.decode()
    assert "When are you open?" in page
    assert "We open Monday Monday: 12:00 to 22:00" in page
    assert "tool get_opening_hours" in page

    client.post(url, {"message": "Is there parking?", "chat": record.pk})
    record.refresh_from_db()
    assert [line["role"] for line in record.transcript] == ["user", "assistant", "user", "assistant"]
    assert record.unanswered_questions[0]["question"] == "Is there parking?"
    assert record.outcome == Outcome.UNANSWERED_QUESTION
    # Test chats never count: not in usage, not in the dashboard.
    assert usage_by_tenant_month() == []
    assert CallRecord.objects.counted().count() == 0


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 11, 28, 23, 30, tzinfo=dt.UTC),  # around midnight in Europe
        dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC),  # lunch in Europe, early morning in America
        dt.datetime(2026, 12, 24, 19, 0, tzinfo=dt.UTC),  # near the demo's special dates
    ],
)
def test_the_demo_restaurants_preview_says_what_their_tools_say(moment):
    from tenants.demo import demo_tenant_seed

    seeded = demo_tenant_seed(owner_password="pw", today=dt.date(2026, 11, 28))
    for restaurant in seeded.tenant.restaurants.all():
        snapshot = restaurant_snapshot_from_db(public_id=restaurant.public_id)
        preview = agent_preview(snapshot=snapshot, now=moment)
        local = hours.local_now(snapshot, moment)
        assert preview.open_now == tool_answer(
            hours_tools.check_if_open, snapshot, when=f"{local:%Y-%m-%d %H:%M}"
        )
        assert preview.week == tool_answer(hours_tools.get_opening_hours, snapshot)
        sold_out = {i.name for i in snapshot.items() if not i.available_on(local.date())}
        assert {d.name for d in preview.sold_out} == sold_out
        for dish in preview.sold_out:
            # The demo's unavailable dishes are off the menu (not "sold out today"): never promised back.
            assert "(not available at the moment)" in dish.says or "(sold out today)" in dish.says
