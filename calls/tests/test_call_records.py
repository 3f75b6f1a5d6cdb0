from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from calls.models import CallRecord
from calls.selectors import usage_by_tenant_month
from calls.tasks import call_record_save
from calls.tests.factories import call_payload

pytestmark = pytest.mark.django_db


def test_a_finished_session_becomes_one_readable_record(world_a):
    payload = call_payload(world_a.restaurant)
    pk = call_record_save.delay(payload).get()
    record = CallRecord.objects.get(pk=pk)
    assert record.tenant == world_a.tenant
    assert record.restaurant == world_a.restaurant
    assert record.duration_seconds == 125
    assert record.transcript[1]["text"] == "Do you have anything vegan?"
    assert record.tool_calls[0]["arguments"] == {"dietary_need": "vegan"}
    assert (record.llm_input_tokens, record.tts_characters, record.stt_audio_seconds) == (1200, 140, 61.5)


def test_the_same_job_delivered_twice_is_stored_once(world_a):
    payload = call_payload(world_a.restaurant)
    first = call_record_save.delay(payload).get()
    second = call_record_save.delay(payload).get()
    assert first == second
    assert CallRecord.objects.filter(job_id=payload["job_id"]).count() == 1


def test_a_database_error_is_retried_and_the_record_still_lands(world_a):
    from calls import services

    real = services.call_record_store
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    payload = call_payload(world_a.restaurant)
    with mock.patch("calls.tasks.call_record_store", side_effect=flaky):
        call_record_save.apply(args=[payload], throw=False)
    assert calls["n"] == 2
    assert CallRecord.objects.filter(job_id=payload["job_id"]).count() == 1


def test_a_malformed_record_is_dropped_without_retrying(world_a, caplog):
    payload = call_payload(world_a.restaurant, ended_at="2000-01-01T00:00:00+00:00")
    assert call_record_save.delay(payload).get() is None
    assert not CallRecord.objects.exists()
    assert "invalid call record dropped" in caplog.text


def test_a_job_naming_another_tenants_restaurant_is_not_attributed_to_it(world_a, world_b):
    payload = call_payload(world_b.restaurant, tenant_id=world_a.tenant.pk)
    pk = call_record_save.delay(payload).get()
    record = CallRecord.objects.get(pk=pk)
    assert record.tenant == world_a.tenant
    assert record.restaurant is None  # never linked to tenant B's restaurant


def test_usage_per_tenant_per_month(world_a, world_b):
    for _ in range(2):
        call_record_save.delay(call_payload(world_a.restaurant)).get()
    call_record_save.delay(call_payload(world_b.restaurant)).get()
    usage = {row.tenant_name: row for row in usage_by_tenant_month()}
    assert usage["Alpha"].calls == 2
    assert usage["Alpha"].minutes == round(250 / 60, 1)
    assert usage["Alpha"].llm_input_tokens == 2400
    assert usage["Bravo"].calls == 1


@pytest.mark.parametrize("role", ["owner", "member"])
def test_owners_read_their_own_calls_and_never_another_tenants(world_a, world_b, role):
    own = CallRecord.objects.get(pk=call_record_save.delay(call_payload(world_a.restaurant)).get())
    other = CallRecord.objects.get(pk=call_record_save.delay(call_payload(world_b.restaurant)).get())
    client = world_a.client_for(getattr(world_a, role))

    listing = client.get(reverse("admin:calls_callrecord_changelist")).content.decode()
    assert "Alpha Bistro" in listing
    assert "Bravo Bistro" not in listing

    detail = client.get(reverse("admin:calls_callrecord_change", args=[own.pk]))
    assert detail.status_code == 200
    assert "Do you have anything vegan?" in detail.content.decode()
    assert "Diner" in detail.content.decode()

    assert client.get(reverse("admin:calls_callrecord_change", args=[other.pk])).status_code == 404
    assert client.post(
        reverse("admin:calls_callrecord_delete", args=[other.pk]), {"post": "yes"}
    ).status_code in {
        403,
        404,
    }
    assert CallRecord.objects.filter(pk=other.pk).exists()
    assert client.get(reverse("admin:calls_callrecord_usage")).status_code == 403


def test_outsider_sees_no_calls(world_a, outsider):
    call_record_save.delay(call_payload(world_a.restaurant)).get()
    client = world_a.client_for(outsider)
    assert client.get(reverse("admin:calls_callrecord_changelist")).status_code == 403


def test_operators_see_usage_per_tenant(world_a, world_b, operator):
    call_record_save.delay(call_payload(world_a.restaurant)).get()
    client = world_a.client_for(operator)
    body = client.get(reverse("admin:calls_callrecord_usage")).content.decode()
    assert "Alpha" in body
    assert "1200" in body


def test_the_call_record_gives_the_sessions_slot_back(world_a, django_capture_on_commit_callbacks):
    from calls.admission import session_slot_acquire, session_slots_in_use

    payload = call_payload(world_a.restaurant)
    assert session_slot_acquire(tenant_id=world_a.tenant.pk, room_name=payload["room_name"], limit=5)
    assert session_slots_in_use(tenant_id=world_a.tenant.pk) == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_record_save.delay(payload).get()
    assert session_slots_in_use(tenant_id=world_a.tenant.pk) == 0
