"""Opening-hours logic over a restaurant snapshot, always in the restaurant's own time zone.

Hours are stored as local wall-clock times. A wall-clock time T on date D becomes the first instant at
which the restaurant's clock reads T or later on D; that is what staff and diners go by. Twice a year it
needs care:
- a time that does not exist (the spring-forward gap, e.g. 02:30 in Europe/Paris on the last Sunday of
  March) is the instant the clocks jump (shown as 03:00): a restaurant opening at 02:30 is open as soon as
  the clock reads 03:00, not half an hour later;
- a time that happens twice (the autumn fall-back hour) means its first occurrence.
tenants/tests/test_hours_reference.py checks this module against a minute-by-minute walk of the clock.

Instants are computed and returned in UTC: Python compares and subtracts two datetimes that share a
tzinfo by wall clock, which is wrong across a DST change. Convert with `.astimezone()` only to display.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date

from tenants.snapshot import RestaurantSnapshot, SpecialDateEntry

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
Interval = tuple[dt.datetime, dt.datetime]


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


# How long the year's horizon for "when do you next open?" is: a restaurant closed for a long holiday still
# has its reopening named.
NEXT_OPENING_HORIZON_DAYS = 366

# Dates as a diner hears them, per language ("Saturday 20 February", "samedi 20 février").
DATE_PATTERNS = {
    "en": "EEEE d MMMM",
    "fr": "EEEE d MMMM",
    "de": "EEEE, d. MMMM",
    "es": "EEEE, d 'de' MMMM",
    "it": "EEEE d MMMM",
    "pt": "EEEE, d 'de' MMMM",
    "nl": "EEEE d MMMM",
    "ja": "M月d日EEEE",
}


# Dates without the weekday, for the two ends of a closure ("24 December", "24 décembre").
SHORT_DATE_PATTERNS = {
    "en": "d MMMM",
    "fr": "d MMMM",
    "de": "d. MMMM",
    "es": "d 'de' MMMM",
    "it": "d MMMM",
    "pt": "d 'de' MMMM",
    "nl": "d MMMM",
    "ja": "M月d日",
}


def spoken_date(day: dt.date, language: str = "en") -> str:
    """A date with its weekday in the restaurant's language, e.g. "Saturday 20 February"."""
    language = (language or "en").split("-")[0]
    return format_date(day, DATE_PATTERNS.get(language, DATE_PATTERNS["en"]), locale=language)


def short_date(day: dt.date, language: str = "en") -> str:
    """A date without its weekday, e.g. "24 December"."""
    language = (language or "en").split("-")[0]
    return format_date(day, SHORT_DATE_PATTERNS.get(language, SHORT_DATE_PATTERNS["en"]), locale=language)


def _wall(instant: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def _at(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The first instant (UTC) at which the local clock reads `time` on `day`, or later."""
    naive = dt.datetime.combine(day, time)
    first = naive.replace(tzinfo=zone, fold=0).astimezone(dt.UTC)  # the earlier one when it happens twice
    if _wall(first, zone) == naive:
        return first
    # In a spring-forward gap: fold=0 reads the time with the offset before the gap (after the jump),
    # fold=1 with the one after it (before the jump). The clocks jump between the two; find that instant.
    low = naive.replace(tzinfo=zone, fold=1).astimezone(dt.UTC)
    low, high = min(low, first), max(low, first)
    while high - low > dt.timedelta(seconds=1):
        middle = low + (high - low) / 2
        if _wall(middle, zone) >= naive:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def local_now(snapshot: RestaurantSnapshot, now: dt.datetime | None = None) -> dt.datetime:
    return (now or dt.datetime.now(dt.UTC)).astimezone(_zone(snapshot.timezone))


def _raw_intervals(snapshot: RestaurantSnapshot, day: dt.date) -> tuple[list[tuple[dt.time, dt.time]], str]:
    """Wall-clock intervals that start on `day` and that day's special note: special dates win."""
    specials = [s for s in snapshot.special_dates if s.covers(day)]
    if specials:
        note = "; ".join(s.note for s in specials if s.note)
        if any(s.is_closure for s in specials):
            return [], note
        return sorted((s.opens, s.closes) for s in specials if s.opens and s.closes), note
    return sorted((w.opens, w.closes) for w in snapshot.weekly_hours if w.weekday == day.weekday()), ""


def intervals_on(snapshot: RestaurantSnapshot, day: dt.date) -> list[Interval]:
    """The opening intervals that start on local date `day`, as UTC instants."""
    zone = _zone(snapshot.timezone)
    result = []
    for opens, closes in _raw_intervals(snapshot, day)[0]:
        end_day = day + dt.timedelta(days=1) if closes <= opens else day
        start, end = _at(day, opens, zone), _at(end_day, closes, zone)
        if end > start:
            result.append((start, end))
    return result


def _intervals_around(snapshot: RestaurantSnapshot, when: dt.datetime, days_after: int = 0) -> list[Interval]:
    today = local_now(snapshot, when).date()
    spans: list[Interval] = []
    for offset in range(-1, days_after + 1):
        spans.extend(intervals_on(snapshot, today + dt.timedelta(days=offset)))
    return sorted(spans)


def is_open_at(snapshot: RestaurantSnapshot, when: dt.datetime) -> bool:
    when = when.astimezone(dt.UTC)
    return any(start <= when < end for start, end in _intervals_around(snapshot, when))


def closing_time(
    snapshot: RestaurantSnapshot, when: dt.datetime, horizon_days: int = 14
) -> dt.datetime | None:
    """When the restaurant closes, if it is open at `when`. Back-to-back intervals count as one, over
    several days if need be; None when it is closed, or open without a break for the whole horizon."""
    when = when.astimezone(dt.UTC)
    today = local_now(snapshot, when).date()
    zone = _zone(snapshot.timezone)
    current = next((end for start, end in _intervals_around(snapshot, when) if start <= when < end), None)
    if current is None:
        return None
    for offset in range(-1, horizon_days + 1):
        day = today + dt.timedelta(days=offset)
        if _at(day, dt.time(0), zone) > current:
            return current  # nothing that starts on this day or later can extend the run
        for start, end in intervals_on(snapshot, day):
            if start <= current < end:
                current = end
    return None


def next_opening(
    snapshot: RestaurantSnapshot, after: dt.datetime, horizon_days: int = NEXT_OPENING_HORIZON_DAYS
) -> dt.datetime | None:
    """The next moment strictly after `after` at which the restaurant opens, within the horizon (a year)."""
    after = after.astimezone(dt.UTC)
    today = local_now(snapshot, after).date()
    if not snapshot.weekly_hours and not snapshot.special_dates:
        return None
    for offset in range(-1, horizon_days + 1):
        # Day by day, so a restaurant that opens tonight costs two days of work, not a year's.
        starts = [
            start for start, _ in intervals_on(snapshot, today + dt.timedelta(days=offset)) if start > after
        ]
        if starts:
            return min(starts)
    return None


@dataclass(frozen=True)
class OpeningStatus:
    open: bool
    closes_at: dt.datetime | None
    next_opening: dt.datetime | None
    note: str


def opening_status(snapshot: RestaurantSnapshot, when: dt.datetime) -> OpeningStatus:
    when = when.astimezone(dt.UTC)
    today = local_now(snapshot, when).date()
    # While open, the note is that of the day whose service is running: Friday's late service is not
    # labelled with Saturday's holiday just because it runs past midnight.
    service_day = next(
        (
            day
            for day in (today, today - dt.timedelta(days=1))
            if any(start <= when < end for start, end in intervals_on(snapshot, day))
        ),
        None,
    )
    is_open = service_day is not None
    return OpeningStatus(
        open=is_open,
        closes_at=closing_time(snapshot, when) if is_open else None,
        next_opening=None if is_open else next_opening(snapshot, when),
        note=_raw_intervals(snapshot, service_day or today)[1],
    )


def _spoken(intervals: list[tuple[dt.time, dt.time]]) -> str:
    if not intervals:
        return "closed"
    parts = [
        f"{opens:%H:%M} to {closes:%H:%M}" + (" (next day)" if closes <= opens else "")
        for opens, closes in intervals
    ]
    return " and ".join(parts)


def describe_week(snapshot: RestaurantSnapshot) -> list[str]:
    """The regular week, one speakable line a day, e.g. "Friday: 18:00 to 02:00 (next day)"."""
    return [
        f"{name}: {_spoken(sorted((w.opens, w.closes) for w in snapshot.weekly_hours if w.weekday == index))}"
        for index, name in enumerate(WEEKDAYS)
    ]


def _spoken_on(snapshot: RestaurantSnapshot, day: dt.date) -> str:
    """One date's intervals in clock times that exist that day (a spring-forward gap moves an opening)."""
    zone = _zone(snapshot.timezone)
    parts = []
    for start, end in intervals_on(snapshot, day):
        opens, closes = start.astimezone(zone), end.astimezone(zone)
        next_day = " (next day)" if closes.date() > day else ""
        parts.append(f"{opens:%H:%M} to {closes:%H:%M}{next_day}")
    return " and ".join(parts) or "closed"


def describe_day(snapshot: RestaurantSnapshot, day: dt.date, language: str = "en") -> str:
    """One date, e.g. "Thursday 31 December: 19:00 to 02:00 (next day) (New Year's Eve)"."""
    note = _raw_intervals(snapshot, day)[1]
    line = f"{spoken_date(day, language)}: {_spoken_on(snapshot, day)}"
    return f"{line} ({note})" if note else line


def closure_on(snapshot: RestaurantSnapshot, day: dt.date) -> SpecialDateEntry | None:
    """The closure over several dates that covers `day`, if any (a one-day closure is not a range)."""
    return next(
        (s for s in snapshot.special_dates if s.is_closure and s.last_date > s.date and s.covers(day)), None
    )


def describe_closure(entry: SpecialDateEntry, language: str = "en") -> str:
    """ "closed from 24 December to 6 January for Christmas holidays"."""
    first, last = short_date(entry.date, language), short_date(entry.last_date, language)
    note = f" for {entry.note}" if entry.note else ""
    return f"closed from {first} to {last}{note}"


def describe_special_dates(
    snapshot: RestaurantSnapshot, from_date: dt.date, days: int = 60, language: str = "en"
) -> list[str]:
    """Upcoming exceptions to the regular week, one speakable line per date, and one per closure over
    several dates ("Closed from 24 December to 6 January for Christmas holidays"), in date order."""
    until = from_date + dt.timedelta(days=days)
    ranges = [
        s
        for s in snapshot.special_dates
        if s.is_closure and s.last_date > s.date and s.date <= until and s.last_date >= from_date
    ]
    lines: list[tuple[dt.date, str]] = []
    for entry in ranges:
        text = describe_closure(entry, language)
        lines.append((max(entry.date, from_date), text[0].upper() + text[1:]))
    dates = sorted(
        {
            s.date
            for s in snapshot.special_dates
            if from_date <= s.date <= until and not any(r.covers(s.date) for r in ranges)
        }
    )
    lines.extend((day, describe_day(snapshot, day, language)) for day in dates)
    return [text for _, text in sorted(lines, key=lambda pair: pair[0])]
