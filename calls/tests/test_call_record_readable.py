"""Call records read as an owner lives them: the restaurant's local time, end reasons and outcomes in words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from calls.schema import CallRecordPayload
from calls.services import call_record_store
from calls.tests.factories import call_payload

pytestmark = pytest.mark.django_db


def test_a_rome_call_at_01_13_reads_01_13_with_the_reason_in_words(world_a):
    restaurant = world_a.restaurant
    restaurant.timezone = "Europe/Rome"
    restaurant.save()
    data = call_payload(restaurant)
    start = dt.datetime(2026, 11, 28, 0, 13, tzinfo=dt.UTC)
    data.update(
        started_at=start.isoformat(),
        ended_at=(start + dt.timedelta(seconds=90)).isoformat(),
        unanswered_questions=[{"question": "Do you have a terrace?"}],
        transcript=[{**line, "at": start.isoformat()} for line in data["transcript"]],
    )
    record = call_record_store(payload=CallRecordPayload.model_validate(data))
    client = world_a.client_for(world_a.owner)
    listing = client.get(reverse("admin:calls_callrecord_changelist")).content.decode()
    assert "Sat 28 Nov 2026, 01:13 (Europe/Rome)" in listing
    rows = listing.split('id="result_list"')[1].split("</table>")[0]  # the list itself, not its filters
    assert "The diner hung up" in rows and "participant_disconnected" not in rows
    assert "Unanswered question" in listing
    page = client.get(reverse("admin:calls_callrecord_change", args=[record.pk])).content.decode()
    assert "Do you have a terrace?" in page
    # The transcript's times are the restaurant's too: the lines are stored in UTC (00:13).
    assert "<small>01:13:00</small>" in page and "<small>00:13:00</small>" not in page


def test_a_records_heading_is_on_the_restaurants_clock(world_a):
    """The record page's heading (its str) and its 'Started' field agree: both on the restaurant's clock."""
    import datetime as dt

    from calls.schema import CallRecordPayload
    from calls.services import call_record_store
    from calls.tests.factories import call_payload
    from tenants.models import Restaurant

    Restaurant.objects.filter(pk=world_a.restaurant.pk).update(timezone="Asia/Tokyo")
    started = dt.datetime(2030, 1, 7, 23, 30, tzinfo=dt.UTC)  # 08:30 the next morning in Tokyo
    data = call_payload(
        world_a.restaurant,
        started_at=started.isoformat(),
        ended_at=(started + dt.timedelta(minutes=2)).isoformat(),
        messages=[
            {"caller_name": "Sam", "callback_number": "", "about": "A table", "at": started.isoformat()}
        ],
    )
    record = call_record_store(payload=CallRecordPayload.model_validate(data))
    assert str(record) == f"{world_a.restaurant.name} · 2030-01-08 08:30"
    assert str(record.messages.get()) == "Sam · 2030-01-08 08:30"
