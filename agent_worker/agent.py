"""The one generic restaurant agent. It becomes a given restaurant from the call's state (its snapshot)."""

from __future__ import annotations

import datetime as dt

from livekit.agents import Agent

from agent_worker.instructions import build_instructions, phone_instructions
from agent_worker.phone_words import phone_greeting
from agent_worker.state import CallState
from agent_worker.tools import tools_for


class RestaurantAgent(Agent):
    """Instructions and tools for one call. The session that runs it must carry the same `state` as userdata."""

    def __init__(self, state: CallState, now: dt.datetime | None = None) -> None:
        self.state = state
        instructions = build_instructions(state.snapshot, now or dt.datetime.now(dt.UTC), state.language)
        if state.phone is not None:
            instructions += phone_instructions(
                can_transfer=state.can_transfer,
                caller_number_known=bool(state.phone.caller_number),
                greeting=phone_greeting(state.snapshot, state.language),
            )
        super().__init__(instructions=instructions, tools=tools_for(state))
