"""Owner alerts: emailed through Celery's sweep, at most one per kind per restaurant per day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from calls.refusals import call_refusal_count, call_refusals_flush
from calls.schema import CallRecordPayload
from calls.services import call_record_store
from calls.tests.factories import call_payload
from owners.alerts import owner_alerts_send
from owners.models import OwnerAlert
from owners.tasks import owner_alerts_send_task
from tenants.onboarding import tenant_reactivate, tenant_suspend

pytestmark = pytest.mark.django_db


def _send(django_capture_on_commit_callbacks, **kwargs) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return owner_alerts_send(**kwargs)


def test_refusals_from_a_website_not_allowed_alert_the_owners_once_a_day(
    world_a, world_b, django_capture_on_commit_callbacks
):
    now = dt.datetime.now(dt.UTC)
    for _ in range(3):
        call_refusal_count(public_id=world_a.restaurant.public_id, reason="origin_not_allowed", now=now)
    call_refusals_flush()
    assert _send(django_capture_on_commit_callbacks, now=now) == 1
    [email] = mail.outbox
    assert email.to == [world_a.owner.email]  # the owner, not staff, and never another tenant's owner
    assert "not on your allowed websites" in email.body and "3 call(s)" in email.body
    call_refusal_count(public_id=world_a.restaurant.public_id, reason="origin_not_allowed", now=now)
    call_refusals_flush()
    assert _send(django_capture_on_commit_callbacks, now=now) == 0
    assert len(mail.outbox) == 1  # de-duplicated for the day


def test_agent_errors_and_a_voice_outage_alert(world_a, django_capture_on_commit_callbacks):
    data = call_payload(world_a.restaurant)
    data["end_reason"] = "error"
    call_record_store(payload=CallRecordPayload.model_validate(data))
    now = dt.datetime.now(dt.UTC)
    for _ in range(3):
        call_refusal_count(public_id=world_a.restaurant.public_id, reason="voice_service_down", now=now)
    call_refusals_flush()
    assert _send(django_capture_on_commit_callbacks, now=now) == 2
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "Alpha Bistro: the agent hit errors on calls today",
        "Alpha Bistro: the voice service is unavailable",
    ]


def test_suspension_and_reactivation_are_told_once_each(world_a, django_capture_on_commit_callbacks):
    assert _send(django_capture_on_commit_callbacks) == 0  # an active tenant hears nothing
    tenant_suspend(tenant=world_a.tenant)
    assert _send(django_capture_on_commit_callbacks) == 1
    assert _send(django_capture_on_commit_callbacks) == 0
    tenant_reactivate(tenant=world_a.tenant)
    assert _send(django_capture_on_commit_callbacks) == 1
    assert [m.subject for m in mail.outbox] == [
        "Your Hostline account is suspended",
        "Your Hostline account is active again",
    ]
    assert OwnerAlert.objects.filter(tenant=world_a.tenant).count() == 2


def test_the_beat_task_runs_the_sweep(world_a):
    assert owner_alerts_send_task.delay().get() == 0
