"""Writes for call records."""

from __future__ import annotations

import datetime as dt
import functools
import logging

from celery import current_app
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from calls.admission import session_slot_release
from calls.events import call_ended_emit
from calls.models import CallRecord, Message
from calls.outcomes import call_outcome
from calls.schema import CallRecordPayload
from tenants.models import Membership, Restaurant, Tenant

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
        "channel": payload.channel,
        "caller_number": payload.caller_number,
        "transcript": [line.model_dump(mode="json") for line in payload.transcript],
        "tool_calls": [call.model_dump(mode="json") for call in payload.tool_calls],
        "llm_input_tokens": payload.usage.llm_input_tokens,
        "llm_output_tokens": payload.usage.llm_output_tokens,
        "tts_characters": payload.usage.tts_characters,
        "stt_audio_seconds": payload.usage.stt_audio_seconds,
        "outcome": call_outcome(payload=payload, messages_taken=len(payload.messages)),
        "unanswered_questions": [q.model_dump(mode="json") for q in payload.unanswered_questions],
    }
    try:
        with transaction.atomic():
            record = CallRecord.objects.create(job_id=payload.job_id, **fields)
            messages = Message.objects.bulk_create(
                Message(
                    tenant=tenant,
                    restaurant=restaurant,
                    call_record=record,
                    caller_name=message.caller_name,
                    callback_number=message.callback_number,
                    about=message.about,
                    received_at=message.at,
                )
                for message in payload.messages
            )
            # The call.ended event is stored with the record (the outbox): committed together or not at all.
            call_ended_emit(record=record)
    except IntegrityError:
        # A concurrent delivery of the same task won the race; theirs is the record.
        return CallRecord.objects.get(job_id=payload.job_id)
    if payload.channel == "test":
        return record  # a test chat never held one of the tenant's lines
    # The session is over: give its concurrency slot back to the tenant.
    transaction.on_commit(lambda: _release_slot(tenant_id=tenant.pk, room_name=payload.room_name))
    for message_id in [m.pk for m in messages]:
        transaction.on_commit(functools.partial(_enqueue_message_email, message_id))
    return record


# The Celery task that runs `message_email_send_once` (calls/tasks.py pins this name).
MESSAGE_EMAIL_TASK = "calls.tasks.message_email_send"


def _enqueue_message_email(message_id: int) -> None:
    try:
        # By name, so this module need not import the task module that imports it.
        current_app.signature(MESSAGE_EMAIL_TASK, args=(message_id,)).delay()
    except Exception as exc:
        # The message is stored and listed as unread in the admin; only the email is late.
        logger.warning("could not enqueue the email for message %s: %r", message_id, exc)


def message_email_send_once(*, message_id: int) -> bool:
    """Email a caller's message to the restaurant's owners, once. Returns whether an email went out now."""
    message = Message.objects.select_related("restaurant", "call_record").filter(pk=message_id).first()
    if message is None or message.emailed_at is not None:
        return False
    recipients = message_recipients(tenant_id=message.tenant_id)
    if not recipients:
        logger.warning("message %s: the tenant has no owner with an email address", message_id)
        return False
    where = message.restaurant.name if message.restaurant else message.call_record.restaurant_name
    body = (
        f"{message.caller_name} left a message for {where} with the phone agent.\n\n"
        f"Call back: {message.callback_number or 'no number given'}\n"
        f"About: {message.about}\n\n"
        f"Received {message.received_local()}. It is listed under Messages in the admin: "
        f"{settings.PLATFORM_BASE_URL}/admin/calls/message/{message.pk}/change/\n"
    )
    # Claim first, so two deliveries of the task never send it twice; give the claim back if sending fails.
    if not Message.objects.filter(pk=message.pk, emailed_at__isnull=True).update(emailed_at=timezone.now()):
        return False
    try:
        send_mail(f"Phone message for {where} from {message.caller_name}", body, None, recipients)
    except Exception:
        Message.objects.filter(pk=message.pk).update(emailed_at=None)
        raise
    return True


def message_recipients(*, tenant_id: int) -> list[str]:
    """The restaurant group's contact addresses: its owners' email addresses."""
    return sorted(
        set(
            Membership.objects.filter(tenant_id=tenant_id, role=Membership.Role.OWNER, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def message_mark_read(*, message_ids: list[int], tenant_ids: list[int] | None) -> int:
    """Mark messages read; `tenant_ids` None means an operator (any tenant). Returns how many changed."""
    qs = Message.objects.filter(pk__in=message_ids, read_at__isnull=True)
    if tenant_ids is not None:
        qs = qs.filter(tenant_id__in=tenant_ids)
    return qs.update(read_at=timezone.now())


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


def call_transcripts_redact(*, days: int | None = None, batch: int = 1_000) -> int:
    """Remove what callers said from calls older than `days` (CALL_TRANSCRIPT_RETENTION_DAYS; 0 keeps it for
    ever): the transcript, the tool calls (names and numbers given to take a message or book), the caller's
    number, and the messages they left. Times, outcome, unanswered questions and usage stay. A batch per
    short transaction; returns how many records were redacted."""
    days = settings.CALL_TRANSCRIPT_RETENTION_DAYS if days is None else days
    if days <= 0:
        return 0
    now = timezone.now()
    before = now - dt.timedelta(days=days)
    redacted = 0
    while ids := list(
        CallRecord.objects.filter(started_at__lt=before, redacted_at__isnull=True)
        .order_by("started_at")
        .values_list("pk", flat=True)[:batch]
    ):
        with transaction.atomic():
            Message.objects.filter(call_record_id__in=ids).delete()
            redacted += CallRecord.objects.filter(pk__in=ids).update(
                transcript=[], tool_calls=[], caller_number="", redacted_at=now
            )
    return redacted
