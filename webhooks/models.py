"""Webhook endpoints, the event outbox, deliveries and their attempt log.

An event is written in the same transaction as the change that caused it, together with one delivery per
endpoint that wants it. Celery sends deliveries after commit; a periodic sweep sends any delivery whose
time has come and that nobody holds, so a crash between commit and enqueue (or mid-attempt) still delivers.
"""

from __future__ import annotations

import base64
import secrets
from typing import ClassVar

from django.db import models
from django.db.models import Q

from tenants.models import Restaurant, Tenant, TenantOwnedQuerySet, TimeStampedModel


def new_secret() -> str:
    # Standard Webhooks secrets: "whsec_" + base64 of 24–64 random bytes.
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def new_event_id() -> str:
    # The webhook-id header: the same for every attempt and every endpoint, so receivers can deduplicate.
    return "evt_" + secrets.token_hex(12)


class WebhookEndpoint(TimeStampedModel):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=500, help_text="Where events are POSTed. https only in production.")
    description = models.CharField(max_length=200, blank=True)
    event_types = models.JSONField(
        default=list, blank=True, help_text="The events this endpoint wants; empty means all of them."
    )
    is_enabled = models.BooleanField(default=True, verbose_name="enabled")
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    # After a rotation the old secret signs too, until this time, so receivers can switch without a gap.
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set at the first failure after a success, cleared by the next success: "failing for how long".
    failing_since = models.DateTimeField(null=True, blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    # While failing, one delivery probes the endpoint and the others wait until this time, so a dead
    # endpoint costs one timeout per backoff step, not one per pending delivery.
    paused_until = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.CharField(max_length=200, blank=True, editable=False)

    objects: ClassVar[TenantOwnedQuerySet] = TenantOwnedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["tenant", "url"]
        indexes = [models.Index(fields=["tenant", "is_enabled"])]

    def __str__(self) -> str:
        return self.description or self.url

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


class WebhookEvent(models.Model):
    """The outbox row: what happened, as the versioned JSON body every endpoint receives."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    restaurant = models.ForeignKey(
        Restaurant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    event_id = models.CharField(max_length=40, unique=True, default=new_event_id, editable=False)
    type = models.CharField(max_length=64)
    version = models.PositiveSmallIntegerField(default=1)
    body = models.JSONField(help_text="The exact JSON sent, so a resend is byte-for-byte the same event.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects: ClassVar[TenantOwnedQuerySet] = TenantOwnedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tenant", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        SUCCEEDED = "succeeded", "delivered"
        FAILED = "failed", "gave up"

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempt_count = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # A worker holds a delivery while it sends it; a lease that runs out (a killed worker) is taken over.
    locked_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[TenantOwnedQuerySet] = TenantOwnedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="webhook_delivery_once_per_endpoint"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "succeeded", "failed"]),
                name="webhook_delivery_status_valid",
            ),
        ]
        indexes = [
            # The sweep's query: pending deliveries whose time has come.
            models.Index(
                fields=["next_attempt_at"], condition=Q(status="pending"), name="webhook_delivery_due"
            ),
            models.Index(fields=["endpoint", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"


class WebhookAttempt(models.Model):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    attempted_at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(default=0)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-attempted_at"]

    def __str__(self) -> str:
        return f"{self.status_code or self.error} at {self.attempted_at:%Y-%m-%d %H:%M:%S}"
