"""Opening hours: the week, special dates, and "are you open at …?", in the restaurant's local time."""

from __future__ import annotations

import datetime as dt

from livekit.agents import RunContext, function_tool
from livekit.agents.llm import Tool

from agent_worker.state import CallState
from tenants import hours


@function_tool
async def get_opening_hours(context: RunContext[CallState]) -> str:
    """Get the restaurant's regular opening hours for every day of the week, and upcoming holidays or
    special dates when the hours differ. Times are the restaurant's local time."""
    snapshot = context.userdata.snapshot
    week = "; ".join(hours.describe_week(snapshot))
    today = hours.local_now(snapshot).date()
    special = hours.describe_special_dates(snapshot, today, days=60)
    return week + (". Special dates: " + "; ".join(special) if special else ". No special dates coming up.")


@function_tool
async def check_if_open(context: RunContext[CallState], when: str = "") -> str:
    """Check whether the restaurant is open now, or at a given local date and time, and when it next opens.

    Args:
        when: Local date and time to check, as "YYYY-MM-DD HH:MM" (the restaurant's time zone).
            Leave empty for right now.
    """
    snapshot = context.userdata.snapshot
    zone = hours.local_now(snapshot).tzinfo
    if when.strip():
        try:
            moment = dt.datetime.fromisoformat(when.strip()).replace(tzinfo=zone)
        except ValueError:
            return 'I could not read that time. Use "YYYY-MM-DD HH:MM".'
    else:
        moment = dt.datetime.now(dt.UTC)
    status = hours.opening_status(snapshot, moment)
    label = "now" if not when.strip() else f"at {moment:%A %d %B %H:%M}"
    note = f" ({status.note})" if status.note else ""
    if status.open and status.closes_at:
        return f"Open {label}, until {status.closes_at.astimezone(zone):%H:%M}{note}."
    if status.next_opening:
        return (
            f"Closed {label}{note}. Next opening: {status.next_opening.astimezone(zone):%A %d %B at %H:%M}."
        )
    return f"Closed {label}{note}, and not open in the next two weeks."


TOOLS: list[Tool] = [get_opening_hours, check_if_open]
