"""Opening hours: the week, special dates, and "are you open at …?", in the restaurant's local time.

Dates are named with the weekday and the date in the restaurant's language ("Saturday 20 February"),
so a diner is never sent to a closed holiday by a bare weekday.
"""

from __future__ import annotations

import datetime as dt

from livekit.agents import RunContext, function_tool
from livekit.agents.llm import Tool

from agent_worker.state import CallState
from tenants import hours
from tenants.snapshot import RestaurantSnapshot


def _now() -> dt.datetime:
    # One place for "now", so a test can say which day it is (the diner's "today").
    return dt.datetime.now(dt.UTC)


def when_opens(snapshot: RestaurantSnapshot, opening: dt.datetime, now: dt.datetime) -> str:
    """ "today at 18:00", "tomorrow (Saturday 20 February) at 10:00", or "Monday 22 February at 12:00"."""
    zone = hours.local_now(snapshot).tzinfo
    local, today = opening.astimezone(zone), now.astimezone(zone).date()
    date = hours.spoken_date(local.date(), snapshot.language)
    if local.date() == today:
        return f"today at {local:%H:%M}"
    if local.date() == today + dt.timedelta(days=1):
        return f"tomorrow ({date}) at {local:%H:%M}"
    return f"{date} at {local:%H:%M}"


@function_tool
async def get_opening_hours(context: RunContext[CallState]) -> str:
    """Get the restaurant's regular opening hours for every day of the week, and upcoming holidays or
    special dates when the hours differ. Times are the restaurant's local time."""
    snapshot = context.userdata.snapshot
    week = "; ".join(hours.describe_week(snapshot))
    today = hours.local_now(snapshot, _now()).date()
    special = hours.describe_special_dates(snapshot, today, days=60, language=snapshot.language)
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
    now = _now()
    if when.strip():
        try:
            moment = dt.datetime.fromisoformat(when.strip()).replace(tzinfo=zone)
        except ValueError:
            return 'I could not read that time. Use "YYYY-MM-DD HH:MM".'
        # Through UTC and back: a clock time skipped by a spring-forward change reads as the real one.
        moment = moment.astimezone(dt.UTC).astimezone(zone)
    else:
        moment = now
    status = hours.opening_status(snapshot, moment)
    local = moment.astimezone(zone)
    label = (
        "now"
        if not when.strip()
        else f"on {hours.spoken_date(local.date(), snapshot.language)} at {local:%H:%M}"
    )
    note = f" ({status.note})" if status.note else ""
    closure = None if status.open else hours.closure_on(snapshot, local.date())
    if closure is not None:
        # A holiday over several dates is named whole, so the diner does not ask again for each day.
        note = f": we're {hours.describe_closure(closure, snapshot.language)}"
    if status.open:
        if status.closes_at is None:
            return f"Open {label}{note}, without a break for at least the next two weeks."
        closes = status.closes_at.astimezone(zone)
        day = (
            ""
            if closes.date() == local.date()
            else f" on {hours.spoken_date(closes.date(), snapshot.language)}"
        )
        return f"Open {label}{note}, until {closes:%H:%M}{day}."
    if status.next_opening:
        opening = when_opens(snapshot, status.next_opening, now)
        if opening.startswith("today at "):
            return f"Closed {label}{note}. Today we open at {opening.removeprefix('today at ')}."
        return f"Closed {label}{note}. Next opening: {opening}."
    return f"Closed {label}{note}, and not open at any time in the coming year."


TOOLS: list[Tool] = [get_opening_hours, check_if_open]
