"""A sold-out toggle through the API is heard by the next call: a real job, through the snapshot cache."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from livekit.agents import AgentSession, TurnHandlingOptions
from livekit.agents.testing import fake_job_context

from agent_worker.job import run_job
from agent_worker.testing import ScriptedLLM, ToolCall, last_tool_output
from calls.contract import JobMetadata
from core import cache_keys
from restapi.tests.conftest import api_for
from tenants.models import MenuItem

# Committed transactions: the cache is invalidated on commit, exactly as in production.
pytestmark = pytest.mark.django_db(transaction=True)
TEXT_ONLY: dict[str, Any] = {"vad": None, "turn_handling": TurnHandlingOptions(turn_detection=None)}


def ask_in_a_new_call(world: Any, question: str, tool: str, arguments: dict[str, Any]) -> str:
    metadata = JobMetadata(restaurant_id=world.restaurant.public_id, tenant_id=world.tenant.pk).to_json()

    async def main() -> str:
        with fake_job_context(job_metadata=metadata, job_id=f"job-{uuid.uuid4().hex[:8]}") as ctx:
            session, plan = await run_job(
                ctx,
                make_session=lambda plan, state: AgentSession(
                    llm=ScriptedLLM([ToolCall(tool, arguments), lambda c: last_tool_output(c)]),
                    userdata=state,
                    **TEXT_ONLY,
                ),
            )
            assert plan.refusal is None
            result: Any = await session.run(user_input=question)
            result.expect.next_event().is_function_call(name=tool)
            output = result.expect.next_event().is_function_call_output().event().item.output
            await session.aclose()
            return output

    return asyncio.run(main())


def test_the_pos_marks_an_item_sold_out_and_the_next_caller_hears_it(world_a):
    from django.core.cache import cache

    from core.redis import redis_client

    item = MenuItem.objects.get(restaurant=world_a.restaurant)
    item.external_id = "SKU-SALMON"
    item.save()
    question = ("Do you have the secret dish tonight?", "get_item_details", {"dish": item.name})
    assert "It is available." in ask_in_a_new_call(world_a, *question)
    # That call filled the cache: the next one would be served from Redis unless the write invalidates it.
    key = cache.make_and_validate_key(cache_keys.restaurant_snapshot_key(world_a.restaurant.public_id))
    assert redis_client().exists(key)

    api = api_for(world_a, scopes=["catalog:write"])
    response = api.post(
        f"/api/v1/restaurants/{world_a.restaurant.public_id}/menu/availability",
        {"external_ids": ["SKU-SALMON"], "available": False, "today_only": True},
    )
    assert response.status_code == 200 and response.json()["changed"] == 1

    answer = ask_in_a_new_call(world_a, *question)
    assert "sold out today" in answer
