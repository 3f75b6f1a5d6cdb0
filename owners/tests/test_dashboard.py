"""Dashboard numbers from seeded calls in two time zones around midnight, and outcomes from what happened."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from calls.models import CallRecord
from calls.refusals import call_refusal_count, call_refusals_flush
from calls.schema import CallRecordPayload
from calls.services import call_record_store
from calls.tests.factories import call_payload
from owners.dashboard import calls_dashboard
from tenants.tests.factories import RestaurantFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def _call(restaurant, started: dt.datetime, seconds: int = 120, **extra) -> CallRecord:
    data = call_payload(restaurant)
    data.update(
        started_at=started.isoformat(),
        ended_at=(started + dt.timedelta(seconds=seconds)).isoformat(),
        **extra,
    )
    record = call_record_store(payload=CallRecordPayload.model_validate(data))
    assert record is not None
    return record


@pytest.fixture
def two_zones(world_a):
    rome = RestaurantFactory(tenant=world_a.tenant, name="Roma", timezone="Europe/Rome")
    york = RestaurantFactory(tenant=world_a.tenant, name="New York", timezone="America/New_York")
    return rome, york


def test_a_call_at_01_13_rome_time_counts_for_that_rome_date(world_a, two_zones):
    rome, york = two_zones
    now = dt.datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    # 00:13 UTC on the 28th is 01:13 on the 28th in Rome, but 19:13 on the 27th in New York.
    _call(rome, dt.datetime(2026, 11, 28, 0, 13, tzinfo=UTC))
    _call(york, dt.datetime(2026, 11, 28, 0, 13, tzinfo=UTC))
    # 23:30 UTC on the 28th: the 29th in Rome (00:30), still the 28th in New York (18:30).
    _call(rome, dt.datetime(2026, 11, 28, 23, 30, tzinfo=UTC), seconds=60)
    _call(york, dt.datetime(2026, 11, 28, 23, 30, tzinfo=UTC), seconds=300)
    only_rome = calls_dashboard(restaurants=[rome], now=now)
    by_day = dict(zip(only_rome.days, only_rome.calls_per_day, strict=True))
    assert by_day[dt.date(2026, 11, 28)] == 1 and by_day[dt.date(2026, 11, 29)] == 1
    assert by_day[dt.date(2026, 11, 27)] == 0
    only_york = calls_dashboard(restaurants=[york], now=now)
    by_day = dict(zip(only_york.days, only_york.calls_per_day, strict=True))
    assert by_day[dt.date(2026, 11, 27)] == 1 and by_day[dt.date(2026, 11, 28)] == 1
    both = calls_dashboard(restaurants=[rome, york], now=now)
    assert both.calls == 4
    assert both.total_minutes == round((120 + 120 + 60 + 300) / 60, 1)
    assert both.median_minutes == 2.0
    # The recent list shows local times: the Rome call at 01:13, the New York one at 19:13.
    starts = {(c.restaurant, c.local_start.strftime("%d %H:%M")) for c in both.recent}
    assert ("Roma", "28 01:13") in starts and ("New York", "27 19:13") in starts


def test_the_page_shows_each_calls_local_time(world_a, two_zones):
    rome, _ = two_zones
    started = dt.datetime.now(UTC).replace(hour=0, minute=13, second=0, microsecond=0) - dt.timedelta(days=1)
    _call(rome, started)
    body = (
        world_a.client_for(world_a.owner).get(reverse("admin:tenants_restaurant_dashboard")).content.decode()
    )
    # 00:13 UTC is 01:13 (winter) or 02:13 (summer) in Rome, as the owner lives it; never 00:13.
    local = started.astimezone(ZoneInfo("Europe/Rome"))
    assert f", {local:%H:%M}</a>" in body and ", 00:13</a>" not in body


def test_the_30_day_window_ends_on_the_restaurants_today(world_a, two_zones):
    rome, _ = two_zones
    now = dt.datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # already the 30th in Rome
    _call(rome, dt.datetime(2026, 10, 31, 22, 59, tzinfo=UTC))  # 31 Oct 23:59 Rome: outside
    _call(rome, dt.datetime(2026, 10, 31, 23, 1, tzinfo=UTC))  # 1 Nov 00:01 Rome: the first day
    data = calls_dashboard(restaurants=[rome], now=now)
    assert data.days[0] == dt.date(2026, 11, 1) and data.days[-1] == dt.date(2026, 11, 30)
    assert data.calls == 1


def test_refusals_by_reason_on_local_dates(world_a, two_zones):
    rome, _ = two_zones
    now = dt.datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    for reason in ("origin_not_allowed", "origin_not_allowed", "busy", "voice_service_down"):
        call_refusal_count(
            public_id=rome.public_id, reason=reason, now=dt.datetime(2026, 11, 28, 23, 50, tzinfo=UTC)
        )
    call_refusals_flush()
    data = calls_dashboard(restaurants=[rome], now=now)
    assert data.refused == 4
    assert dict(data.refusals) == {"Website not allowed": 2, "All lines busy": 1, "Voice service down": 1}


def test_outcomes_and_unanswered_questions_are_grouped(world_a, two_zones):
    rome, _ = two_zones
    now = dt.datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    at = dt.datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    q = [{"question": "Is there parking?", "at": at.isoformat()}]
    _call(rome, at, unanswered_questions=q)
    _call(rome, at + dt.timedelta(hours=1), unanswered_questions=[{"question": "is there parking"}])
    _call(rome, at, seconds=5, transcript=[])  # nobody spoke, gone in 5 s
    _call(rome, at, end_reason="error")
    _call(rome, at)
    data = calls_dashboard(restaurants=[rome], now=now)
    assert dict(data.outcomes) == {
        "Answered": 1,
        "Unanswered question": 2,
        "Hung up early": 1,
        "Agent error": 1,
    }
    assert len(data.unanswered) == 1 and data.unanswered[0].times == 2
    assert data.unanswered[0].last_asked.strftime("%H:%M") == "12:00"  # 11:00 UTC in Rome


def test_dashboard_page_is_scoped_to_the_owners_tenant(world_a, world_b, operator):
    _call(
        world_b.restaurant,
        dt.datetime.now(UTC) - dt.timedelta(hours=1),
        unanswered_questions=[{"question": "Bravo secret?"}],
    )
    _call(world_a.restaurant, dt.datetime.now(UTC) - dt.timedelta(hours=1))
    url = reverse("admin:tenants_restaurant_dashboard")
    body = world_a.client_for(world_a.owner).get(url).content.decode()
    assert "Bravo" not in body and 'id="hl-calls">1<' in body
    assert (
        world_a.client_for(world_a.owner).get(url, {"restaurant": world_b.restaurant.pk}).status_code == 404
    )
    everything = world_a.client_for(operator).get(url).content.decode()
    assert 'id="hl-calls">2<' in everything and "Bravo secret?" in everything
    assert "The diner hung up" in everything  # end reasons in words
