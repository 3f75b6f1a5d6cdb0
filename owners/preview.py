""" "Your agent right now": what the agent would tell a diner at this instant, for one restaurant.

Nothing here words a fact itself. Every sentence comes from the agent's own tools (called as the agent
calls them, over the same snapshot), from `tenants.hours` (which the tools and the instructions use), or
from the tools' formatting module, so the preview and the agent can never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from asgiref.sync import async_to_sync

from agent_worker.instructions import build_instructions
from agent_worker.state import CallState
from agent_worker.tools import formatting as fmt
from agent_worker.tools import hours as hours_tools
from owners.checklist import dishes_without_allergen_information
from tenants import hours
from tenants.snapshot import RestaurantSnapshot
from tenants.vocabulary import LANGUAGES

PREVIEW_DAYS = 14


@dataclass(frozen=True)
class _ToolContext:
    """What a tool reads from its RunContext: the call's userdata."""

    userdata: CallState


def preview_call_state(snapshot: RestaurantSnapshot) -> CallState:
    return CallState(
        snapshot=snapshot,
        metadata=None,
        language=snapshot.language,
        job_id="preview",
        room_name="preview",
    )


@dataclass(frozen=True)
class DishLine:
    name: str
    says: str  # what the agent's tool says about it


@dataclass(frozen=True)
class AgentPreview:
    local_time: dt.datetime
    open_now: str
    today: str
    next_days: list[str]
    week: str
    sold_out: list[DishLine]
    no_allergen_information: list[DishLine]
    greeting: str
    language: str
    voice: str
    snapshot_version: str
    instructions: str


def tool_answer(tool: Any, snapshot: RestaurantSnapshot, **arguments: str) -> str:
    """Call one of the agent's tools exactly as the agent would during a call, and return its answer."""
    context = _ToolContext(userdata=preview_call_state(snapshot))

    async def call() -> str:
        return str(await tool(context, **arguments))

    return async_to_sync(call)()


def open_now_answer(snapshot: RestaurantSnapshot, now: dt.datetime) -> str:
    """check_if_open for the restaurant's local minute `now`: the agent's answer to "are you open now?"."""
    local = hours.local_now(snapshot, now)
    return tool_answer(hours_tools.check_if_open, snapshot, when=f"{local:%Y-%m-%d %H:%M}")


def agent_preview(*, snapshot: RestaurantSnapshot, now: dt.datetime | None = None) -> AgentPreview:
    now = now or dt.datetime.now(dt.UTC)
    local = hours.local_now(snapshot, now)
    categories = {item.id: c.name for c in snapshot.categories for item in c.items}
    sold_out = [i for i in snapshot.items() if not i.available_on(local.date())]
    unknown = dishes_without_allergen_information(snapshot)
    return AgentPreview(
        local_time=local,
        open_now=open_now_answer(snapshot, now),
        today=hours.describe_day(snapshot, local.date(), snapshot.language),
        next_days=[
            hours.describe_day(snapshot, local.date() + dt.timedelta(days=offset), snapshot.language)
            for offset in range(1, PREVIEW_DAYS + 1)
        ],
        week=tool_answer(hours_tools.get_opening_hours, snapshot),
        sold_out=[DishLine(i.name, fmt.item_line(i, local.date(), snapshot.language)) for i in sold_out],
        no_allergen_information=[
            DishLine(i.name, fmt.item_details(i, categories[i.id], local.date(), snapshot.language))
            for i in unknown
        ],
        greeting=snapshot.greeting_text,
        language=LANGUAGES.get(snapshot.language, snapshot.language),
        voice=snapshot.voice or "the default voice",
        snapshot_version=snapshot.version,
        instructions=build_instructions(snapshot, now, snapshot.language),
    )
