"""Webhook delivery. Thin, idempotent tasks taking ids; the services hold the logic."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from webhooks import services

# Each attempt is bounded by WEBHOOK_TIMEOUT_SECONDS; the time limits (45 s soft, 60 s) only catch the unforeseen.


@shared_task(
    name=services.DELIVERY_TASK,  # pinned: deliveries already queued name it
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=5,
    soft_time_limit=45,
    time_limit=60,
)
def webhook_delivery_send(delivery_id: int) -> str:
    """Attempt one delivery. Safe to run twice: only the worker that claims a pending delivery sends it."""
    delivery = services.delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery is not None else "not-due"


@shared_task(
    name="webhooks.tasks.webhook_deliveries_sweep", acks_late=True, soft_time_limit=45, time_limit=60
)
def webhook_deliveries_sweep() -> int:
    """Beat: enqueue due retries and any delivery whose enqueue was lost (a crash after commit)."""
    return services.deliveries_sweep()


@shared_task(name="webhooks.tasks.call_refusals_flush", acks_late=True, soft_time_limit=45, time_limit=60)
def call_refusals_flush() -> int:
    """Beat: turn the refused calls buffered in Redis into call.refused events."""
    return services.call_refusals_flush()


@shared_task(name="webhooks.tasks.webhook_events_prune", soft_time_limit=600, time_limit=660)
def webhook_events_prune() -> int:
    """Beat: delete events (and their deliveries and attempts) past WEBHOOK_EVENT_RETENTION_DAYS."""
    return services.webhook_events_prune()
