"""An evaluation against the real model, run only when OPENAI_API_KEY is set (skipped otherwise)."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest
from livekit.agents import AgentSession, TurnHandlingOptions

from agent_worker.agent import RestaurantAgent
from agent_worker.testing import call_state_for
from tenants.models import MenuItem
from tenants.selectors import restaurant_snapshot_from_db

pytestmark = [
    pytest.mark.real_llm,
    pytest.mark.django_db,
    pytest.mark.skipif(not os.environ.get("OPENAI_API_KEY"), reason="needs OPENAI_API_KEY"),
]


def test_the_real_model_looks_up_the_menu_instead_of_inventing_it(world_a, settings):
    from livekit.plugins import openai

    MenuItem.objects.filter(restaurant=world_a.restaurant).update(dietary_tags=["vegan"])
    state = call_state_for(restaurant_snapshot_from_db(public_id=world_a.restaurant.public_id))

    async def main() -> None:
        llm = openai.LLM(model=settings.OPENAI_MODEL)
        async with AgentSession(
            llm=llm, vad=None, userdata=state, turn_handling=TurnHandlingOptions(turn_detection=None)
        ) as session:
            await session.start(RestaurantAgent(state))
            result: Any = await session.run(user_input="Do you have any vegan dishes?")
            result.expect.contains_function_call()
            answer = result.expect[-1].is_message(role="assistant").event().item.text_content
            assert "Alpha Secret Dish" in answer

    asyncio.run(main())
