"""Opening-hours logic over a restaurant snapshot, always in the restaurant's own time zone.

Hours are stored as local wall-clock times. Turning them into real instants needs care twice a year:
- a time that does not exist (the spring-forward gap, e.g. 02:30 in Europe/Paris on the last Sunday of
  March) is read with the offset in force before the gap, which lands it just after the gap (03:30);
- a time that happens twice (the autumn fall-back hour) means its first occurrence.
Both follow from zoneinfo's fold=0 semantics, normalised through UTC.

Instants are computed and returned in UTC: Python compares and subtracts two datetimes that share a
tzinfo by wall clock, which is wrong across a DST change. Convert with `.astimezone()` only to display.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from tenants.snapshot import RestaurantSnapshot

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
Interval = tuple[dt.datetime, dt.datetime]


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _at(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    # In UTC, a nonexistent (gap) time becomes the real instant just after the gap.
    return dt.datetime.combine(day, time).replace(tzinfo=zone, fold=0).astimezone(dt.UTC)


def local_now(snapshot: RestaurantSnapshot, now: dt.datetime | None = None) -> dt.datetime:
    return (now or dt.datetime.now(dt.UTC)).astimezone(_zone(snapshot.timezone))


def _raw_intervals(snapshot: RestaurantSnapshot, day: dt.date) -> tuple[list[tuple[dt.time, dt.time]], str]:
    """Wall-clock intervals that start on `day` and that day's special note: special dates win."""
    specials = [s for s in snapshot.special_dates if s.date == day]
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


def closing_time(snapshot: RestaurantSnapshot, when: dt.datetime) -> dt.datetime | None:
    """When the restaurant closes, if it is open at `when`. Back-to-back intervals count as one."""
    when = when.astimezone(dt.UTC)
    spans = _intervals_around(snapshot, when, days_after=1)
    current = next((end for start, end in spans if start <= when < end), None)
    if current is None:
        return None
    for start, end in spans:
        if start <= current < end:
            current = end
    return current


def next_opening(
    snapshot: RestaurantSnapshot, after: dt.datetime, horizon_days: int = 14
) -> dt.datetime | None:
    """The next moment strictly after `after` at which the restaurant opens, within the horizon."""
    after = after.astimezone(dt.UTC)
    for start, _ in _intervals_around(snapshot, after, days_after=horizon_days):
        if start > after:
            return start
    return None


@dataclass(frozen=True)
class OpeningStatus:
    open: bool
    closes_at: dt.datetime | None
    next_opening: dt.datetime | None
    note: str


def opening_status(snapshot: RestaurantSnapshot, when: dt.datetime) -> OpeningStatus:
    is_open = is_open_at(snapshot, when)
    return OpeningStatus(
        open=is_open,
        closes_at=closing_time(snapshot, when) if is_open else None,
        next_opening=None if is_open else next_opening(snapshot, when),
        note=_raw_intervals(snapshot, local_now(snapshot, when).date())[1],
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


def describe_day(snapshot: RestaurantSnapshot, day: dt.date) -> str:
    intervals, note = _raw_intervals(snapshot, day)
    line = f"{WEEKDAYS[day.weekday()]} {day.day} {day:%B}: {_spoken(intervals)}"
    return f"{line} ({note})" if note else line


def describe_special_dates(snapshot: RestaurantSnapshot, from_date: dt.date, days: int = 60) -> list[str]:
    """Upcoming exceptions to the regular week, one speakable line per date."""
    until = from_date + dt.timedelta(days=days)
    dates = sorted({s.date for s in snapshot.special_dates if from_date <= s.date <= until})
    return [describe_day(snapshot, day) for day in dates]
