"""Writes for webhooks: store events in the outbox, send deliveries, rotate secrets, resend.

Other apps call `event_emit` inside the transaction that makes the change, and `call_refused_note` on the
call-start path (no SQL there: a Redis counter and buffer, flushed into events by Celery beat).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
from collections.abc import Iterable
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from core import cache_keys
from core.redis import CACHE_ERRORS, async_redis_client, cache_key, redis_client
from tenants.models import Membership, Restaurant
from webhooks import events
from webhooks.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    new_event_id,
    new_secret,
)
from webhooks.ssrf import PostResult, safe_post

logger = logging.getLogger(__name__)

# Seconds to wait after the 1st, 2nd, … failed attempt: about a day in all (23.9 h), then give up.
RETRY_DELAYS = (30, 120, 300, 900, 1800, 3600, 7200, 14400, 28800, 28800)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
JITTER = 0.2
USER_AGENT = "Hostline-Webhooks/1"


def retry_delay(*, failed_attempts: int, rng: random.Random | None = None) -> float:
    """Exponential backoff with ±20 % jitter, so endpoints coming back are not hit by a synchronized herd."""
    base = RETRY_DELAYS[max(1, min(failed_attempts, len(RETRY_DELAYS))) - 1]
    return base * (1 + (rng or random).uniform(-JITTER, JITTER))


def _json_ready(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def event_emit(
    *,
    tenant_id: int,
    type: str,
    data: dict[str, Any],
    restaurant: Restaurant | None = None,
    endpoints: Iterable[WebhookEndpoint] | None = None,
) -> WebhookEvent | None:
    """Store an event and its deliveries in the caller's transaction; send them once it commits.

    Returns None when no enabled endpoint of the tenant wants this type (nothing is stored). `data` must
    be JSON-ready (dates and decimals are converted). Telephony, bookings and others call this.
    """
    if type not in events.EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {type!r}")
    if endpoints is None:
        endpoints = WebhookEndpoint.objects.filter(tenant_id=tenant_id, is_enabled=True)
    wanted = [e for e in endpoints if e.tenant_id == tenant_id and e.wants(type)]
    if not wanted:
        return None
    event_id = new_event_id()
    now = timezone.now()
    body = {
        "id": event_id,
        "type": type,
        "version": events.BODY_VERSION,
        "timestamp": events.iso_utc(now),
        "tenant_id": tenant_id,
        "restaurant_id": restaurant.public_id if restaurant is not None else None,
        "data": _json_ready(data),
    }
    with transaction.atomic():
        event = WebhookEvent.objects.create(
            tenant_id=tenant_id,
            restaurant=restaurant,
            event_id=event_id,
            type=type,
            version=events.BODY_VERSION,
            body=body,
        )
        deliveries = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(tenant_id=tenant_id, event=event, endpoint=e, next_attempt_at=now) for e in wanted
        )
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: _enqueue(ids))
    return event


# The Celery task that sends one delivery (webhooks/tasks.py pins this name).
DELIVERY_TASK = "webhooks.tasks.webhook_delivery_send"


def _enqueue(delivery_ids: Iterable[int], countdown: float | None = None) -> None:
    for delivery_id in delivery_ids:
        try:
            # By name, so this module need not import the task module that imports it.
            current_app.signature(DELIVERY_TASK, args=(delivery_id,), countdown=countdown).delay()
        except Exception as exc:
            # The outbox row is committed; the sweep sends it once the broker is back.
            logger.warning("webhook delivery %s not enqueued, the sweep will send it: %r", delivery_id, exc)


def signature_headers(
    *, endpoint: WebhookEndpoint, event_id: str, payload: str, now: dt.datetime
) -> dict[str, str]:
    secrets = [endpoint.secret]
    if endpoint.previous_secret and (
        endpoint.previous_secret_expires_at and endpoint.previous_secret_expires_at > now
    ):
        secrets.append(endpoint.previous_secret)
    at = now.astimezone(dt.UTC)
    signatures = " ".join(Webhook(s).sign(msg_id=event_id, timestamp=at, data=payload) for s in secrets)
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signatures,
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


def _claim(delivery_id: int, now: dt.datetime) -> bool:
    return bool(
        WebhookDelivery.objects.filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .update(locked_until=now + dt.timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS))
    )


def _probe_claim(*, endpoint_id: int, now: dt.datetime) -> bool:
    """Become the one delivery that tries a failing endpoint now (its pause is over and nobody else is)."""
    return bool(
        WebhookEndpoint.objects.filter(pk=endpoint_id)
        .filter(Q(paused_until__isnull=True) | Q(paused_until__lte=now))
        .update(paused_until=now + dt.timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS))
    )


def delivery_attempt(*, delivery_id: int) -> WebhookDelivery | None:
    """Send one pending delivery once, if nobody else holds it. Records the attempt; schedules the next."""
    now = timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("event", "endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.is_enabled:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.last_error = "The endpoint is disabled."
        delivery.locked_until = None
        delivery.save(update_fields=["status", "last_error", "locked_until", "updated_at"])
        return delivery
    if endpoint.consecutive_failures and not _probe_claim(endpoint_id=endpoint.pk, now=now):
        # The endpoint is failing and another delivery is probing it, or its backoff has not run out:
        # wait for it rather than spend a timeout here. Not an attempt: nothing was sent.
        resume = WebhookEndpoint.objects.filter(pk=endpoint.pk).values_list("paused_until", flat=True).first()
        delivery.next_attempt_at = max(resume or now, now) + dt.timedelta(seconds=1)
        delivery.locked_until = None
        delivery.save(update_fields=["next_attempt_at", "locked_until", "updated_at"])
        return delivery
    payload = json.dumps(delivery.event.body, separators=(",", ":"), ensure_ascii=False)
    headers = signature_headers(endpoint=endpoint, event_id=delivery.event.event_id, payload=payload, now=now)
    result = safe_post(
        endpoint.url, body=payload.encode(), headers=headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
    )
    _record(delivery=delivery, result=result)
    return delivery


def _record(*, delivery: WebhookDelivery, result: PostResult) -> None:
    now = timezone.now()
    endpoint = delivery.endpoint
    error = result.error or ("" if result.ok else f"HTTP {result.status_code}")
    with transaction.atomic():
        WebhookAttempt.objects.create(
            tenant_id=delivery.tenant_id,
            delivery=delivery,
            status_code=result.status_code,
            latency_ms=result.latency_ms,
            response_excerpt=result.excerpt[:500],
            error=error[:300],
        )
        delivery.attempt_count += 1
        delivery.last_status_code = result.status_code
        delivery.last_error = error[:300]
        delivery.locked_until = None
        retry_in: float | None = None
        if result.ok:
            delivery.status = WebhookDelivery.Status.SUCCEEDED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
                failing_since=None, consecutive_failures=0, paused_until=None
            )
        else:
            if delivery.attempt_count >= MAX_ATTEMPTS:
                delivery.status = WebhookDelivery.Status.FAILED
                delivery.next_attempt_at = None
            else:
                retry_in = retry_delay(failed_attempts=delivery.attempt_count)
                delivery.next_attempt_at = now + dt.timedelta(seconds=retry_in)
            _endpoint_failed(endpoint_id=endpoint.pk, now=now)
        delivery.save()
    # Short waits are scheduled at once; long ones are left to the sweep (no day-long broker ETAs, which
    # Redis would redeliver after its visibility timeout).
    if retry_in is not None and retry_in <= settings.WEBHOOK_SWEEP_INTERVAL_SECONDS * 4:
        ids = [delivery.pk]
        transaction.on_commit(lambda: _enqueue(ids, countdown=retry_in))


def _endpoint_failed(*, endpoint_id: int, now: dt.datetime) -> None:
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)
    endpoint.consecutive_failures += 1
    endpoint.failing_since = endpoint.failing_since or now
    endpoint.paused_until = now + dt.timedelta(
        seconds=retry_delay(failed_attempts=endpoint.consecutive_failures)
    )
    fields = ["consecutive_failures", "failing_since", "paused_until", "updated_at"]
    failing_for = now - endpoint.failing_since
    if (
        endpoint.is_enabled
        and endpoint.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER_FAILURES
        and failing_for >= dt.timedelta(hours=settings.WEBHOOK_DISABLE_AFTER_HOURS)
    ):
        endpoint.is_enabled = False
        endpoint.disabled_reason = (
            f"Disabled automatically on {now:%Y-%m-%d %H:%M} UTC after {endpoint.consecutive_failures} "
            f"failed attempts over {failing_for.total_seconds() / 3600:.0f} h."
        )[:200]
        fields += ["is_enabled", "disabled_reason"]
        endpoint_id_ = endpoint.pk
        transaction.on_commit(lambda: _tell_owners_disabled(endpoint_id=endpoint_id_))
    endpoint.save(update_fields=fields)


def _tell_owners_disabled(*, endpoint_id: int) -> None:
    endpoint = WebhookEndpoint.objects.select_related("tenant").get(pk=endpoint_id)
    emails = list(
        Membership.objects.filter(tenant_id=endpoint.tenant_id, role=Membership.Role.OWNER)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if not emails:
        return
    try:
        send_mail(
            "Hostline: a webhook endpoint was disabled",
            f"Hostline stopped sending events to {endpoint.url} for {endpoint.tenant.name}.\n\n"
            f"{endpoint.disabled_reason}\n\nFix the receiver, then enable the endpoint again in the admin "
            f"({settings.PLATFORM_BASE_URL}/admin/webhooks/webhookendpoint/{endpoint.pk}/change/) and resend "
            "the deliveries you need.",
            None,
            emails,
        )
    except Exception as exc:
        logger.warning("could not email owners about disabled endpoint %s: %r", endpoint_id, exc)


def deliveries_sweep(*, limit: int = 500) -> int:
    """Enqueue due deliveries nobody holds: retries whose time came, and events whose enqueue was lost."""
    now = timezone.now()
    ids = list(
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    _enqueue(ids)
    return len(ids)


def endpoint_create(
    *, tenant_id: int, url: str, description: str = "", event_types: list[str] | None = None
) -> WebhookEndpoint:
    from webhooks.ssrf import url_check

    url_check(url)
    return WebhookEndpoint.objects.create(
        tenant_id=tenant_id, url=url, description=description, event_types=event_types or []
    )


def endpoint_secret_rotate(*, endpoint: WebhookEndpoint, grace: dt.timedelta | None = None) -> str:
    """A new signing secret; the old one keeps signing too for `grace` (default 24 h). Returns the new one."""
    grace = grace if grace is not None else dt.timedelta(hours=settings.WEBHOOK_SECRET_GRACE_HOURS)
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = timezone.now() + grace
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"])
    return endpoint.secret


def endpoint_enable(*, endpoint: WebhookEndpoint) -> None:
    endpoint.is_enabled = True
    endpoint.disabled_reason = ""
    endpoint.failing_since = endpoint.paused_until = None
    endpoint.consecutive_failures = 0
    endpoint.save(
        update_fields=[
            "is_enabled",
            "disabled_reason",
            "failing_since",
            "paused_until",
            "consecutive_failures",
            "updated_at",
        ]
    )


def delivery_resend(*, delivery: WebhookDelivery) -> None:
    """Send a delivery again (same event id), whatever became of it; its attempt log is kept."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at=timezone.now(),
        locked_until=None,
        attempt_count=0,
        updated_at=timezone.now(),
    )
    ids = [delivery.pk]
    transaction.on_commit(lambda: _enqueue(ids))


def endpoint_test_send(*, endpoint: WebhookEndpoint) -> WebhookEvent | None:
    return event_emit(
        tenant_id=endpoint.tenant_id,
        type=events.TEST,
        data={"message": "A test event from Hostline.", "endpoint": endpoint.url},
        endpoints=[endpoint],
    )


# --- call.refused: counted and buffered in Redis on the hot path, turned into events by Celery beat ----

REFUSAL_BUFFER_MAX = 10_000
REFUSAL_COUNT_TTL_SECONDS = 40 * 24 * 3600


def _call_refused_queue(
    pipe: Any,
    key: Any,
    *,
    tenant_id: int,
    restaurant_id: str,
    reason: str,
    channel: str,
    at: dt.datetime,
) -> None:
    """Queue on a Redis pipeline: count the refusal for the tenant's day, and buffer its event for the flush."""
    item = json.dumps(
        {
            "tenant_id": tenant_id,
            "restaurant_id": restaurant_id,
            "reason": reason[:64],
            "channel": channel[:16],
            "at": events.iso_utc(at),
        }
    )
    counts = key(cache_keys.call_refusal_counts_key(tenant_id, at.date()))
    buffer = key(cache_keys.call_refusal_buffer_key())
    pipe.hincrby(counts, reason[:64], 1)
    pipe.expire(counts, REFUSAL_COUNT_TTL_SECONDS)
    pipe.lpush(buffer, item)
    pipe.ltrim(buffer, 0, REFUSAL_BUFFER_MAX - 1)


def call_refused_note(
    *, tenant_id: int, restaurant_id: str, reason: str, channel: str = "web", at: dt.datetime | None = None
) -> None:
    """Count a refused call and buffer its event, in one Redis round trip and no SQL. Never raises."""
    try:
        client = redis_client()
        if client is None:
            return
        pipe = client.pipeline(transaction=False)
        _call_refused_queue(
            pipe,
            cache_key,
            tenant_id=tenant_id,
            restaurant_id=restaurant_id,
            reason=reason,
            channel=channel,
            at=at or timezone.now(),
        )
        pipe.execute()
    except CACHE_ERRORS as exc:
        logger.warning("call refusal not counted, Redis unavailable: %r", exc)


async def acall_refused_note(
    *, tenant_id: int, restaurant_id: str, reason: str, channel: str = "web", at: dt.datetime | None = None
) -> None:
    """`call_refused_note` on an event loop (the async call start, the agent worker). Never raises."""
    try:
        client = async_redis_client()
        if client is None:
            return
        pipe = client.pipeline(transaction=False)
        _call_refused_queue(
            pipe,
            cache_key,
            tenant_id=tenant_id,
            restaurant_id=restaurant_id,
            reason=reason,
            channel=channel,
            at=at or timezone.now(),
        )
        await pipe.execute()
    except CACHE_ERRORS as exc:
        logger.warning("call refusal not counted, Redis unavailable: %r", exc)


def call_refusals_flush(*, batch: int = 500) -> int:
    """Turn buffered refusals into call.refused events (oldest first). Returns how many were read."""
    client = redis_client()
    if client is None:
        return 0
    from django.core.cache import cache

    buffer = cache.make_and_validate_key(cache_keys.call_refusal_buffer_key())
    raw = client.rpop(buffer, batch) or []
    items = []
    for entry in raw:
        try:
            items.append(json.loads(entry))
        except ValueError:
            continue
    restaurants = {
        r.public_id: r
        for r in Restaurant.objects.filter(public_id__in={i.get("restaurant_id") for i in items})
    }
    endpoints: dict[int, list[WebhookEndpoint]] = {}
    for endpoint in WebhookEndpoint.objects.filter(
        tenant_id__in={r.tenant_id for r in restaurants.values()}, is_enabled=True
    ):
        endpoints.setdefault(endpoint.tenant_id, []).append(endpoint)
    with transaction.atomic():
        for item in items:
            restaurant = restaurants.get(item.get("restaurant_id"))
            # Read tolerantly: an item without a tenant id is its restaurant's tenant's; one naming another
            # tenant (the restaurant moved since) is dropped rather than told to the wrong tenant.
            if restaurant is None or item.get("tenant_id", restaurant.tenant_id) != restaurant.tenant_id:
                continue
            event_emit(
                endpoints=endpoints.get(restaurant.tenant_id, []),
                tenant_id=restaurant.tenant_id,
                type=events.CALL_REFUSED,
                restaurant=restaurant,
                data={
                    "reason": item.get("reason", ""),
                    "channel": item.get("channel", "web"),
                    "refused_at": item.get("at"),
                    "restaurant": events.restaurant_ref(restaurant),
                },
            )
    return len(raw)


# --- retention ---------------------------------------------------------------------------------------------


def webhook_events_prune(*, days: int | None = None, batch: int = 1_000) -> int:
    """Delete events older than `days` (WEBHOOK_EVENT_RETENTION_DAYS; 0 keeps them for ever) with their
    deliveries and attempts, a batch per short transaction. An event with a delivery still pending stays
    until it is delivered or given up. Returns how many events went."""
    days = settings.WEBHOOK_EVENT_RETENTION_DAYS if days is None else days
    if days <= 0:
        return 0
    before = timezone.now() - dt.timedelta(days=days)
    deleted = 0
    while ids := list(
        WebhookEvent.objects.filter(created_at__lt=before)
        .exclude(deliveries__status=WebhookDelivery.Status.PENDING)
        .order_by("created_at")
        .values_list("pk", flat=True)[:batch]
    ):
        with transaction.atomic():
            WebhookAttempt.objects.filter(delivery__event_id__in=ids).delete()
            WebhookDelivery.objects.filter(event_id__in=ids).delete()
            deleted += WebhookEvent.objects.filter(pk__in=ids).delete()[0]
    return deleted
