"""Booking side work, after commit. Thin and idempotent: ids in, the service does the work."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(
    # Pinned: a rename must never strand messages queued by the previous release.
    name="bookings.tasks.booking_notify",
    autoretry_for=(OperationalError, InterfaceError, OSError),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
)
def booking_notify(booking_id: int, event: str) -> int:
    """Email the diner and the restaurant about a booking event (confirmed, requested, changed, cancelled)."""
    from bookings.notifications import booking_emails_send

    return booking_emails_send(booking_id=int(booking_id), event=str(event))
