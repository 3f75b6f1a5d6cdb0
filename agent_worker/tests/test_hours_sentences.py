"""What a diner hears about holidays over several dates and about today's own hours, through the real agent
(agent_worker/testing.py: the scripted model speaks the tool's answer)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from agent_worker.testing import ask
from agent_worker.tools import hours as hours_tool
from tenants.snapshot import RestaurantSnapshot, SpecialDateEntry, WeeklyInterval

LONDON = ZoneInfo("Europe/London")


def _snapshot(
    special=(), weekly=tuple((d, "12:00", "22:00") for d in range(7)), language="en"
) -> RestaurantSnapshot:
    t = dt.time.fromisoformat
    return RestaurantSnapshot(
        public_id="r_hours",
        tenant_id=1,
        tenant_active=True,
        active=True,
        name="Chez Hours",
        timezone="Europe/London",
        language=language,
        currency="EUR",
        weekly_hours=tuple(WeeklyInterval(weekday=d, opens=t(o), closes=t(c)) for d, o, c in weekly),
        special_dates=tuple(special),
    )


CHRISTMAS = SpecialDateEntry(
    date=dt.date(2026, 12, 24), end_date=dt.date(2027, 1, 6), note="Christmas holidays"
)


@pytest.fixture
def now(monkeypatch):
    def set_now(local: dt.datetime) -> None:
        monkeypatch.setattr(hours_tool, "_now", lambda: local.replace(tzinfo=LONDON).astimezone(dt.UTC))

    return set_now


def test_a_holiday_over_two_weeks_is_named_whole(now):
    now(dt.datetime(2026, 12, 28, 12, 0))
    answer = ask(_snapshot([CHRISTMAS]), "Are you open?", "check_if_open", {})
    assert answer == (
        "Closed now: we're closed from 24 December to 6 January for Christmas holidays. "
        "Next opening: Thursday 7 January at 12:00."
    )


def test_asking_about_a_day_inside_the_holiday(now):
    now(dt.datetime(2026, 12, 1, 12, 0))
    answer = ask(_snapshot([CHRISTMAS]), "Open on the 30th?", "check_if_open", {"when": "2026-12-30 20:00"})
    assert "we're closed from 24 December to 6 January for Christmas holidays" in answer
    assert answer.endswith("Next opening: Thursday 7 January at 12:00.")


def test_the_week_lists_the_holiday_once_not_fourteen_times(now):
    now(dt.datetime(2026, 12, 1, 12, 0))
    answer = ask(_snapshot([CHRISTMAS]), "When are you open?", "get_opening_hours", {})
    assert answer.endswith("Special dates: Closed from 24 December to 6 January for Christmas holidays")
    assert answer.count("December") == 1


def test_the_day_after_the_holiday_is_open_again(now):
    now(dt.datetime(2026, 12, 1, 12, 0))
    answer = ask(_snapshot([CHRISTMAS]), "Open on the 7th?", "check_if_open", {"when": "2027-01-07 13:00"})
    assert answer == "Open on Thursday 7 January at 13:00, until 22:00."


def test_today_we_open_at_19_00(now):
    now(dt.datetime(2026, 11, 29, 15, 0))  # a Sunday
    today = SpecialDateEntry(
        date=dt.date(2026, 11, 29), opens=dt.time(19), closes=dt.time(1), note="Late opening"
    )
    snapshot = _snapshot([today])
    assert ask(snapshot, "Are you open?", "check_if_open", {}) == (
        "Closed now (Late opening). Today we open at 19:00."
    )
    late = ask(snapshot, "Open at midnight?", "check_if_open", {"when": "2026-11-29 23:30"})
    assert late == "Open on Sunday 29 November at 23:30 (Late opening), until 01:00 on Monday 30 November."


def test_french_dates_for_a_french_restaurant(now):
    now(dt.datetime(2026, 12, 28, 12, 0))
    answer = ask(_snapshot([CHRISTMAS], language="fr"), "Ouvert ?", "check_if_open", {})
    assert "24 décembre to 6 janvier" in answer
