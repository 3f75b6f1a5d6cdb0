"""Celery tasks of the owner's console. Thin: the work is in owners/alerts.py."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from owners.alerts import owner_alerts_send


@shared_task(
    name="owners.tasks.owner_alerts_send", autoretry_for=(OperationalError, InterfaceError), max_retries=3
)
def owner_alerts_send_task() -> int:
    """Celery beat, every 5 minutes: email owners what they should know, once per kind per day."""
    return owner_alerts_send()
