"""Phone numbers: owned by the platform, attached to at most one restaurant, provisioned in LiveKit SIP."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q

from core.phone_numbers import e164_display, validate_e164
from tenants.models import Restaurant, Tenant, TenantOwnedQuerySet, TimeStampedModel


class PhoneNumber(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending: being set up in LiveKit"
        ACTIVE = "active", "Active: calls reach the agent"
        ERROR = "error", "Error: LiveKit does not have it yet"
        UNATTACHED = "unattached", "Not attached to a restaurant"

    number = models.CharField(
        max_length=16, unique=True, validators=[validate_e164], help_text="E.164, such as +442079460000."
    )
    # Null while the number is in the platform's pool. The tenant always follows the restaurant (save()).
    restaurant = models.ForeignKey(
        Restaurant, on_delete=models.SET_NULL, null=True, blank=True, related_name="phone_numbers"
    )
    tenant = models.ForeignKey(
        Tenant, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="phone_numbers"
    )
    staff_number = models.CharField(
        max_length=16,
        blank=True,
        validators=[validate_e164],
        help_text="Where the agent hands a caller over to a person (E.164). Empty: the agent takes messages.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UNATTACHED)
    last_error = models.TextField(blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    livekit_trunk_id = models.CharField(max_length=64, blank=True)
    livekit_rule_id = models.CharField(max_length=64, blank=True)

    objects: ClassVar[TenantOwnedQuerySet] = TenantOwnedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "active", "error", "unattached"]),
                name="phone_number_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(restaurant__isnull=True) | Q(tenant__isnull=False),
                name="phone_number_attached_has_tenant",
            ),
        ]

    def __str__(self) -> str:
        return e164_display(self.number)

    def save(self, *args: object, **kwargs: object) -> None:
        self.tenant_id = self.restaurant.tenant_id if self.restaurant_id and self.restaurant else None
        super().save(*args, **kwargs)  # type: ignore[arg-type]
