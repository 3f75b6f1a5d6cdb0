"""Retention: what callers said, the audit trail and webhook events are removed after their configured days
(docs/operations.md), in batches; what dashboards and billing need stays; 0 keeps everything."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.tasks import sessions_clear_expired
from audit.models import AuditEntry
from audit.tasks import audit_entries_prune
from calls.models import CallRecord, Message
from calls.schema import CallRecordPayload
from calls.services import call_record_store
from calls.tasks import call_transcripts_redact
from calls.tests.factories import call_payload
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from webhooks.services import event_emit
from webhooks.tasks import webhook_events_prune

pytestmark = pytest.mark.django_db


def _call(world, days_ago: int) -> CallRecord:
    started = timezone.now().replace(microsecond=0) - dt.timedelta(days=days_ago)
    data = call_payload(
        world.restaurant,
        channel="phone",
        caller_number="+447700900123",
        started_at=started.isoformat(),
        ended_at=(started + dt.timedelta(seconds=90)).isoformat(),
        messages=[
            {
                "caller_name": "Sam",
                "callback_number": "+447700900123",
                "about": "A scarf",
                "at": started.isoformat(),
            }
        ],
    )
    record = call_record_store(payload=CallRecordPayload.model_validate(data))
    assert record is not None
    return record


def test_what_callers_said_goes_after_a_year_and_the_call_itself_stays(world_a, settings):
    settings.CALL_TRANSCRIPT_RETENTION_DAYS = 365
    old, recent = _call(world_a, days_ago=400), _call(world_a, days_ago=10)

    assert call_transcripts_redact.delay().get() == 1
    assert call_transcripts_redact.delay().get() == 0  # idempotent

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.transcript, old.tool_calls, old.caller_number) == ([], [], "")
    assert old.redacted_at is not None and old.duration_seconds == 90 and old.outcome
    assert not Message.objects.filter(call_record=old).exists()
    assert recent.transcript and recent.caller_number == "+447700900123" and recent.redacted_at is None
    assert Message.objects.filter(call_record=recent).count() == 1

    # The owner reads why the transcript is gone.
    page = world_a.client_for(world_a.owner).get(reverse("admin:calls_callrecord_change", args=[old.pk]))
    assert "what callers say is kept 365 days" in page.content.decode()


def test_zero_days_keeps_everything(world_a, settings):
    settings.CALL_TRANSCRIPT_RETENTION_DAYS = 0
    settings.AUDIT_RETENTION_DAYS = 0
    settings.WEBHOOK_EVENT_RETENTION_DAYS = 0
    record = _call(world_a, days_ago=4000)
    AuditEntry.objects.update(at=timezone.now() - dt.timedelta(days=4000))
    entries = AuditEntry.objects.count()

    assert call_transcripts_redact.delay().get() == 0
    assert audit_entries_prune.delay().get() == 0
    assert webhook_events_prune.delay().get() == 0
    record.refresh_from_db()
    assert record.transcript and AuditEntry.objects.count() == entries > 0


def test_old_audit_entries_are_pruned_and_recent_ones_kept(world_a, settings):
    settings.AUDIT_RETENTION_DAYS = 730
    world_a.restaurant.name = "Renamed Bistro"
    world_a.restaurant.save()
    recent = AuditEntry.objects.count()
    assert recent > 0
    old = AuditEntry.objects.create(at=timezone.now() - dt.timedelta(days=800), tenant=world_a.tenant)

    assert audit_entries_prune.delay().get() == 1
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.count() == recent


def test_old_webhook_events_go_with_their_attempts_unless_one_is_still_pending(world_a, settings):
    settings.WEBHOOK_EVENT_RETENTION_DAYS = 30
    endpoint = WebhookEndpoint.objects.create(tenant=world_a.tenant, url="https://hooks.alpha.example/h")
    done = event_emit(tenant_id=world_a.tenant.pk, type="call.ended", data={})
    pending = event_emit(tenant_id=world_a.tenant.pk, type="call.ended", data={})
    fresh = event_emit(tenant_id=world_a.tenant.pk, type="call.ended", data={})
    WebhookDelivery.objects.filter(event=done).update(status=WebhookDelivery.Status.SUCCEEDED)
    WebhookAttempt.objects.create(
        tenant=world_a.tenant, delivery=done.deliveries.get(), status_code=200, latency_ms=5
    )
    WebhookEvent.objects.filter(pk__in=[done.pk, pending.pk]).update(
        created_at=timezone.now() - dt.timedelta(days=40)
    )

    assert webhook_events_prune.delay().get() == 1
    assert set(WebhookEvent.objects.values_list("pk", flat=True)) == {pending.pk, fresh.pk}
    assert not WebhookAttempt.objects.exists()
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 2


def test_expired_sign_in_sessions_are_deleted():
    store = import_module(django_settings.SESSION_ENGINE).SessionStore
    live, stale = store(), store()
    live.create()
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(
        expire_date=timezone.now() - dt.timedelta(days=1)
    )
    sessions_clear_expired.delay().get()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
