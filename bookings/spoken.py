"""Dates and times as a diner hears them, always in the restaurant's own time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def spoken_datetime(when: dt.datetime, timezone: str) -> str:
    """E.g. "Saturday 6 December at 19:30" (24-hour clock, no leading zero on the day)."""
    local = when.astimezone(ZoneInfo(timezone))
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"


def spoken_time(when: dt.datetime, timezone: str) -> str:
    return f"{when.astimezone(ZoneInfo(timezone)):%H:%M}"


def spoken_reference(reference: str) -> str:
    """A reference spelled for the ear: "K 7 P 2 Q X"."""
    return " ".join(reference)
