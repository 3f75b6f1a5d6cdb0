"""The generic agent, in-process: metadata handling, greeting, tools over the live database."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from livekit.agents import AgentSession, TurnHandlingOptions
from livekit.agents.testing import fake_job_context
from prometheus_client import REGISTRY

from agent_worker.instructions import APOLOGIES, build_instructions
from agent_worker.job import plan_job, run_job
from agent_worker.testing import ScriptedLLM, ask
from calls.contract import AGENT_NAME, JobMetadata
from tenants.models import MenuItem, Tenant
from tenants.selectors import restaurant_snapshot_from_db

pytestmark = pytest.mark.django_db(transaction=True)
TEXT_ONLY: dict[str, Any] = {"vad": None, "turn_handling": TurnHandlingOptions(turn_detection=None)}


def metadata_for(world, **extra) -> str:
    return JobMetadata(restaurant_id=world.restaurant.public_id, tenant_id=world.tenant.pk, **extra).to_json()


def run_one_job(raw: str, steps=()):
    """Run a job through run_job with a text-only session; return (history texts, plan)."""

    async def main():
        with fake_job_context(job_metadata=raw, job_id="job-test") as ctx:
            session, plan = await run_job(
                ctx,
                make_session=lambda plan, state: AgentSession(
                    llm=ScriptedLLM(list(steps)), userdata=state, **TEXT_ONLY
                ),
            )
            for _ in range(200):  # the greeting is issued, not awaited: give it a moment to play out
                if session.history.messages():
                    break
                await asyncio.sleep(0.01)
            texts = [m.text_content for m in session.history.messages()]
            await session.aclose()
            return texts, plan

    return asyncio.run(main())


def test_the_worker_registers_under_exactly_the_name_the_backend_dispatches_to(monkeypatch):
    monkeypatch.delenv("LIVEKIT_AGENT_NAME_OVERRIDE", raising=False)
    from agent_worker.worker import server

    assert server._agent_name == AGENT_NAME  # livekit-agents keeps it private; there is no getter
    from calls import sessions

    assert sessions.AGENT_NAME is AGENT_NAME  # the endpoint imports the same constant


def test_a_good_job_greets_from_the_persona_without_the_llm(world_a):
    world_a.restaurant.greeting = ""
    world_a.restaurant.save()
    texts, plan = run_one_job(metadata_for(world_a))
    assert plan.refusal is None
    assert texts == [f"Welcome to {world_a.restaurant.name}. How can I help you?"]


@pytest.mark.parametrize(
    ("raw", "refusal"),
    [
        ("", "metadata_empty"),
        ("{not json", "metadata_not_json"),
        ("[1, 2]", "metadata_wrong_shape"),
        ('{"restaurant_id": "r_x"}', "metadata_wrong_shape"),
        ('{"version": 9, "restaurant_id": "r_x", "tenant_id": 1}', "metadata_unsupported_version"),
        ('{"version": 1, "restaurant_id": "r_0000000000000000", "tenant_id": 1}', "unknown_restaurant"),
    ],
)
def test_unusable_metadata_gets_an_apology_and_the_session_ends(world_a, raw, refusal):
    refused_before = REGISTRY.get_sample_value("hostline_agent_jobs_total", {"outcome": refusal}) or 0
    texts, plan = run_one_job(raw)
    assert plan.refusal == refusal
    assert texts == [APOLOGIES["en"]]
    assert REGISTRY.get_sample_value("hostline_agent_jobs_total", {"outcome": refusal}) == refused_before + 1


def test_a_restaurant_of_another_tenant_is_never_spoken_for(world_a, world_b):
    raw = JobMetadata(restaurant_id=world_b.restaurant.public_id, tenant_id=world_a.tenant.pk).to_json()
    texts, plan = run_one_job(raw)
    assert plan.refusal == "tenant_mismatch"
    assert not any(world_b.restaurant.name in t for t in texts)


def test_a_suspended_tenant_gets_an_apology_in_the_restaurants_language(world_a):
    world_a.restaurant.language = "fr"
    world_a.restaurant.save()
    tenant = Tenant.objects.get(pk=world_a.tenant.pk)
    tenant.status = Tenant.Status.SUSPENDED
    tenant.save()
    texts, plan = run_one_job(metadata_for(world_a))
    assert plan.refusal == "not_taking_calls"
    assert texts == [APOLOGIES["fr"]]


def test_console_runs_use_the_configured_restaurant(world_a, settings):
    settings.AGENT_CONSOLE_RESTAURANT = world_a.restaurant.public_id
    texts, plan = run_one_job("")
    assert plan.refusal is None and plan.snapshot.public_id == world_a.restaurant.public_id
    assert texts == [f"Welcome to {world_a.restaurant.name}. How can I help you?"]


def _ask(world, question: str, tool: str, arguments: dict) -> str:
    """One diner turn in which the scripted model calls `tool`; returns what the tool answered."""
    return ask(restaurant_snapshot_from_db(public_id=world.restaurant.public_id), question, tool, arguments)


def test_every_tool_answers_from_the_restaurants_record(world_a):
    item = MenuItem.objects.get(restaurant=world_a.restaurant)
    item.dietary_tags, item.allergens = ["vegan"], ["peanuts"]
    item.save()
    assert "Monday: 12:00 to 22:00" in _ask(world_a, "When are you open?", "get_opening_hours", {})
    assert (
        _ask(world_a, "Open Monday noon?", "check_if_open", {"when": "2030-01-07 13:00"})
        == "Open on Monday 7 January at 13:00, until 22:00."
    )
    assert _ask(world_a, "Open Sunday?", "check_if_open", {"when": "2030-01-06 13:00"}) == (
        "Closed on Sunday 6 January at 13:00. Next opening: Monday 7 January at 12:00."
    )
    assert "+44 20 7946 0000" in _ask(world_a, "Your number?", "get_contact_details", {})
    assert _ask(world_a, "What's on the menu?", "list_menu_categories", {}) == "Alpha Mains (1 dish)."
    assert (
        _ask(world_a, "Mains?", "list_items_in_category", {"category": "alpha mains"})
        == "Alpha Secret Dish, €9.50, vegan."
    )
    assert "Alpha Secret Dish" in _ask(world_a, "Anything vegan?", "search_menu", {"dietary_need": "vegan"})
    assert "No dish on the menu is declared free of peanuts" in _ask(
        world_a, "Peanut allergy", "search_menu", {"avoid_allergen": "peanut"}
    )
    details = _ask(world_a, "Tell me about it", "get_item_details", {"dish": "alpha secret dish"})
    assert "Allergens: peanuts." in details and "It is available." in details


def test_tools_reflect_the_live_database_on_the_next_job(world_a):
    assert "Price: €9.50." in _ask(world_a, "Price?", "get_item_details", {"dish": "Alpha Secret Dish"})
    item = MenuItem.objects.get(restaurant=world_a.restaurant)
    item.price, item.is_available = Decimal("11.00"), False
    item.save()
    answer = _ask(world_a, "Price?", "get_item_details", {"dish": "Alpha Secret Dish"})
    assert "Price: €11.00." in answer and "It is not available at the moment." in answer


def test_instructions_do_not_grow_with_the_menu(world_a):
    snapshot = restaurant_snapshot_from_db(public_id=world_a.restaurant.public_id)
    category = snapshot.categories[0]
    many = [category.items[0].model_copy(update={"id": i, "name": f"Dish {i}"}) for i in range(1000)]
    big = snapshot.model_copy(update={"categories": (category.model_copy(update={"items": tuple(many)}),)})
    now = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
    assert len(build_instructions(big, now, "en")) == len(build_instructions(snapshot, now, "en"))
    assert "Never invent dishes" in build_instructions(snapshot, now, "en")


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        st.text(max_size=300),
        st.builds(
            json.dumps,
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=12), c, max_size=5),
                max_leaves=20,
            ),
        ),
        st.builds(
            lambda v, r, t: json.dumps({"version": v, "restaurant_id": r, "tenant_id": t}),
            st.integers(-5, 5),
            st.text(max_size=40),
            st.integers(-(2**70), 2**70),
        ),
    )
)
def test_fuzzed_metadata_never_crashes_the_job(world_a, raw):
    plan = asyncio.run(plan_job(raw))
    assert plan.refusal is not None or plan.snapshot is not None
    if plan.snapshot is not None:
        assert plan.snapshot.tenant_id == world_a.tenant.pk


def test_a_finished_call_becomes_a_call_record_and_frees_its_slot(world_a):
    from agent_worker.job import record_call
    from calls.admission import session_slot_acquire, session_slots_in_use
    from calls.models import CallRecord

    async def main() -> None:
        with fake_job_context(job_metadata=metadata_for(world_a), job_id="job-rec") as ctx:
            session, plan = await run_job(
                ctx,
                make_session=lambda plan, state: AgentSession(
                    llm=ScriptedLLM([]), userdata=state, **TEXT_ONLY
                ),
            )
            for _ in range(200):
                if session.history.messages():
                    break
                await asyncio.sleep(0.01)
            await record_call(session, plan, session.userdata, end_reason="participant_disconnected")
            await session.aclose()

    state_room = "fake-room"
    assert session_slot_acquire(tenant_id=world_a.tenant.pk, room_name=state_room, limit=5)
    asyncio.run(main())
    record = CallRecord.objects.get(job_id="job-rec")
    assert record.restaurant == world_a.restaurant
    assert record.transcript[0]["text"].startswith("Welcome to")
    assert record.end_reason == "participant_disconnected"
    assert session_slots_in_use(tenant_id=world_a.tenant.pk) == 0
