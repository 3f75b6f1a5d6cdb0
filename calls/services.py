"""Writes for call records."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction

from calls.admission import session_slot_release
from calls.events import call_ended_emit
from calls.models import CallRecord
from calls.outcomes import call_outcome
from calls.schema import CallRecordPayload
from tenants.models import Restaurant, Tenant

logger = logging.getLogger(__name__)


def call_record_store(*, payload: CallRecordPayload) -> CallRecord | None:
    """Store a finished session once. Storing the same job again returns the existing record unchanged.

    Returns None when the tenant no longer exists (nothing to attribute the call to).
    """
    existing = CallRecord.objects.filter(job_id=payload.job_id).first()
    if existing is not None:
        return existing
    tenant = Tenant.objects.filter(pk=payload.tenant_id).first()
    if tenant is None:
        logger.warning("call record for unknown tenant dropped", extra={"job_id": payload.job_id})
        return None
    # The restaurant must belong to the tenant the job named; a mismatch is never attributed across tenants.
    restaurant = Restaurant.objects.filter(public_id=payload.restaurant_id, tenant=tenant).first()
    fields = {
        "tenant": tenant,
        "restaurant": restaurant,
        "restaurant_name": restaurant.name if restaurant else payload.restaurant_id,
        "room_name": payload.room_name,
        "started_at": payload.started_at,
        "ended_at": payload.ended_at,
        "duration_seconds": payload.duration_seconds,
        "end_reason": payload.end_reason,
        "snapshot_version": payload.snapshot_version,
        "language": payload.language,
        "transcript": [line.model_dump(mode="json") for line in payload.transcript],
        "tool_calls": [call.model_dump(mode="json") for call in payload.tool_calls],
        "llm_input_tokens": payload.usage.llm_input_tokens,
        "llm_output_tokens": payload.usage.llm_output_tokens,
        "tts_characters": payload.usage.tts_characters,
        "stt_audio_seconds": payload.usage.stt_audio_seconds,
        "channel": payload.channel,
        "outcome": call_outcome(payload=payload),
        "unanswered_questions": [q.model_dump(mode="json") for q in payload.unanswered_questions],
    }
    try:
        with transaction.atomic():
            record = CallRecord.objects.create(job_id=payload.job_id, **fields)
            # The call.ended event is stored with the record (the outbox): committed together or not at all.
            call_ended_emit(record=record)
    except IntegrityError:
        # A concurrent delivery of the same task won the race; theirs is the record.
        return CallRecord.objects.get(job_id=payload.job_id)
    if payload.channel == "test":
        return record  # a test chat never held one of the tenant's lines
    # The session is over: give its concurrency slot back to the tenant.
    transaction.on_commit(lambda: _release_slot(tenant_id=tenant.pk, room_name=payload.room_name))
    return record


def _release_slot(*, tenant_id: int, room_name: str) -> None:
    try:
        session_slot_release(tenant_id=tenant_id, room_name=room_name)
    except Exception as exc:
        logger.warning("could not release session slot of %s: %r", room_name, exc)


def call_record_test_chat_extend(*, record: CallRecord, payload: CallRecordPayload) -> CallRecord:
    """A test chat's next turn: its transcript so far, the turn's tool calls added, the outcome redone."""
    if record.channel != "test":
        raise ValueError("only test chats are extended; diners' call records are history")
    record.transcript = [line.model_dump(mode="json") for line in payload.transcript]
    record.tool_calls = [*record.tool_calls, *(c.model_dump(mode="json") for c in payload.tool_calls)]
    record.unanswered_questions = [q.model_dump(mode="json") for q in payload.unanswered_questions]
    record.ended_at = payload.ended_at
    record.duration_seconds = payload.duration_seconds
    record.snapshot_version = payload.snapshot_version
    record.outcome = call_outcome(payload=payload)
    record.save(
        update_fields=[
            "transcript",
            "tool_calls",
            "unanswered_questions",
            "ended_at",
            "duration_seconds",
            "snapshot_version",
            "outcome",
        ]
    )
    return record
