"""After-call work. Tasks are thin: validate, call the service, retry on database trouble."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError
from pydantic import ValidationError

from calls.refusals import call_refusals_flush
from calls.schema import CallRecordPayload
from calls.services import (
    MESSAGE_EMAIL_TASK,
    call_record_store,
    message_email_send_once,
)
from calls.services import call_transcripts_redact as _redact

logger = logging.getLogger(__name__)


@shared_task(
    name="calls.tasks.call_record_save",  # pinned: workers of the previous release consume this name
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=10,
    acks_late=True,
)
def call_record_save(payload: dict[str, Any]) -> int | None:
    """Store a finished session's record. Idempotent: the job id is the key, so redelivery stores one row."""
    try:
        parsed = CallRecordPayload.model_validate(payload)
    except ValidationError as exc:
        # A malformed record will never become valid by retrying; keep it in the logs instead.
        logger.error("invalid call record dropped: %s", exc.errors(include_url=False, include_input=False))
        return None
    record = call_record_store(payload=parsed)
    return record.pk if record else None


@shared_task(
    name="calls.tasks.call_refusals_flush", autoretry_for=(OperationalError, InterfaceError), max_retries=3
)
def call_refusals_flush_task() -> int:
    """Celery beat, every minute: refused call starts from the Redis counter into Postgres."""
    return call_refusals_flush()


@shared_task(
    name=MESSAGE_EMAIL_TASK,
    autoretry_for=(OperationalError, InterfaceError, OSError),  # OSError: SMTP connection trouble
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=10,
    acks_late=True,
)
def message_email_send(message_id: int) -> bool:
    """Email a caller's message to the restaurant's owners. Idempotent: a message is emailed once."""
    return message_email_send_once(message_id=message_id)


@shared_task(name="calls.tasks.call_transcripts_redact", soft_time_limit=600, time_limit=660)
def call_transcripts_redact() -> int:
    """Beat: remove what callers said from calls past CALL_TRANSCRIPT_RETENTION_DAYS."""
    return _redact()
