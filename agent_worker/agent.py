"""The one generic restaurant agent. It becomes a given restaurant from the call's state (its snapshot)."""

from __future__ import annotations

import datetime as dt

from livekit.agents import Agent

from agent_worker.instructions import build_instructions
from agent_worker.state import CallState
from agent_worker.tools import tools_for


class RestaurantAgent(Agent):
    """Instructions and tools for one call. The session that runs it must carry the same `state` as userdata."""

    def __init__(self, state: CallState, now: dt.datetime | None = None) -> None:
        self.state = state
        super().__init__(
            instructions=build_instructions(state.snapshot, now or dt.datetime.now(dt.UTC), state.language),
            tools=tools_for(state),
        )
