"""How to reach the restaurant."""

from __future__ import annotations

from livekit.agents import RunContext, function_tool
from livekit.agents.llm import Tool

from agent_worker.state import CallState


@function_tool
async def get_contact_details(context: RunContext[CallState]) -> str:
    """Get the restaurant's address, phone number and website."""
    s = context.userdata.snapshot
    return f"Address: {s.address or 'not listed'}. Phone: {s.phone or 'not listed'}. Website: {s.website or 'none'}."


TOOLS: list[Tool] = [get_contact_details]
