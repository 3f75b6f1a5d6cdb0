"""Owner alerts that were sent: one row per kind per restaurant (or tenant) per day, the de-duplication key."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from tenants.models import Restaurant, Tenant


class OwnerAlert(models.Model):
    class Kind(models.TextChoices):
        ORIGIN_NOT_ALLOWED = "origin_not_allowed", "Calls refused: website not allowed"
        AGENT_ERROR = "agent_error", "Agent errors on calls"
        VOICE_SERVICE_DOWN = "voice_service_down", "Voice service unavailable"
        TENANT_SUSPENDED = "tenant_suspended", "Account suspended"
        TENANT_REACTIVATED = "tenant_reactivated", "Account reactivated"

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    # Empty for alerts about the whole tenant (suspension).
    restaurant = models.ForeignKey(
        Restaurant, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # The restaurant's local date (UTC for tenant alerts): "at most one per kind per restaurant per day".
    day = models.DateField()
    detail = models.CharField(max_length=500, blank=True)
    recipients = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["restaurant", "kind", "day"],
                condition=Q(restaurant__isnull=False),
                name="owner_alert_once_per_restaurant_kind_day",
            ),
            models.UniqueConstraint(
                fields=["tenant", "kind", "day"],
                condition=Q(restaurant__isnull=True),
                name="owner_alert_once_per_tenant_kind_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.day}"
