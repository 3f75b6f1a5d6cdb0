"""The agent's tools, one module per domain. Each tool is a module-level `@function_tool` whose docstring is
what the model reads; it takes the call's `RunContext[CallState]` and answers from `context.userdata`.

`tools_for` decides per call which tools the agent gets, so a domain adds its module here and nothing else
changes (a restaurant without bookings, or a web call without a phone line, simply gets fewer tools).
"""

from __future__ import annotations

from livekit.agents.llm import Tool, Toolset

from agent_worker.state import CallState
from agent_worker.tools import bookings, contact, feedback, hours, menu, phone


def tools_for(state: CallState) -> list[Tool | Toolset]:
    # Bookings only where the owner switched them on; the snapshot carries just that flag, the tools read
    # availability live from Postgres. Phone tools only on phone calls (phone.tools_for_call decides).
    booking_tools = bookings.TOOLS if state.snapshot.bookings_enabled else []
    return [
        *hours.TOOLS,
        *menu.TOOLS,
        *contact.TOOLS,
        *feedback.TOOLS,
        *booking_tools,
        *phone.tools_for_call(state),
    ]
