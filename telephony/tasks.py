"""Provisioning in LiveKit after commit. Thin: the service reconciles and records the outcome on the number."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from core.livekit import LiveKitUnavailable
from telephony.services import PHONE_NUMBER_SYNC_TASK
from telephony.services import phone_number_sync as _sync


@shared_task(
    name=PHONE_NUMBER_SYNC_TASK,
    autoretry_for=(LiveKitUnavailable, OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=12,  # about an hour of backoff; after that `manage.py sync_phone_numbers` repairs it
    acks_late=True,
)
def phone_number_sync(number: str) -> list[str]:
    """Make LiveKit match the database for one number (E.164). Idempotent: run twice, change once."""
    return [str(change) for change in _sync(number=number)]
