"""Clock times as owners type them: "7pm", "7:30 pm", "19:00", "1900", "24:00", "noon", "midnight" (and
"19:00:00", as a browser or an old form may send it).

A pure function, so the owner's week editor, and anything else that takes a typed time, reads the same
forms and says the same thing when it cannot: what to type instead. "24:00" and "midnight" are the end of
the day, stored as 00:00 like every close at midnight (a close earlier than the opening runs past
midnight; tenants/hours.py).
"""

from __future__ import annotations

import datetime as dt
import re

HINT = "Type a time like 19:00 or 7pm."

_WORDS = {"noon": dt.time(12), "midday": dt.time(12), "midnight": dt.time(0)}

# hour, optional minutes after ":", "." or "h", optional am/pm ("pm", "p.m.", "p").
_CLOCK = re.compile(
    r"""^(?P<hour>\d{1,2})
        (?:\s*[:.h]\s*(?P<minute>\d{2})(?::00)?|\s*h)?
        \s*(?:(?P<half>[ap])\.?\s*(?:m\.?)?)?$""",
    re.VERBOSE,
)
# "1900", "730": hours and minutes run together (24-hour clock, or with am/pm: "730pm").
_RUN_TOGETHER = re.compile(r"^(?P<hour>\d{1,2})(?P<minute>\d{2})\s*(?:(?P<half>[ap])\.?\s*(?:m\.?)?)?$")


class TimeInputError(ValueError):
    """What the owner typed is not a time; the message says what to type."""


def parse_clock_time(text: str) -> dt.time:
    """The time `text` names, or TimeInputError with a message for the owner. Midnight is 00:00."""
    cleaned = " ".join((text or "").strip().lower().split())
    if not cleaned:
        raise TimeInputError(f"Enter a time. {HINT}")
    if cleaned in _WORDS:
        return _WORDS[cleaned]
    # "12 noon", "12 midnight"
    for word, value in _WORDS.items():
        if cleaned in (f"12 {word}", f"12:00 {word}"):
            return value
    match = _CLOCK.match(cleaned) or _RUN_TOGETHER.match(cleaned)
    if match is None:
        raise TimeInputError(f"“{text.strip()[:20]}” is not a time. {HINT}")
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    half = match["half"]
    if minute > 59:
        raise TimeInputError(f"Minutes go from 00 to 59. {HINT}")
    if half is not None:
        if not 1 <= hour <= 12:
            raise TimeInputError(f"With am or pm the hour is 1 to 12 (or write {hour}:{minute:02d}). {HINT}")
        hour = hour % 12 + (12 if half == "p" else 0)
        return dt.time(hour, minute)
    if hour == 24 and minute == 0:
        return dt.time(0)  # the end of the day: a close at midnight
    if hour > 23:
        raise TimeInputError(f"Hours go from 0 to 23, or 24:00 for midnight. {HINT}")
    return dt.time(hour, minute)


def format_clock_time(value: dt.time | None) -> str:
    """The 24-hour form the editor shows back ("19:00"); empty for no time."""
    return "" if value is None else f"{value:%H:%M}"
