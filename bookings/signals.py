"""The snapshot carries only "bookings enabled"; refresh it when the booking rules change."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from bookings.models import BookingSettings
from tenants.cache import restaurant_snapshot_invalidate
from tenants.models import Restaurant


@receiver([post_save, post_delete], sender=BookingSettings)
def _booking_settings_changed(sender: type, instance: BookingSettings, **kwargs: Any) -> None:
    public_id = (
        Restaurant.objects.filter(pk=instance.restaurant_id).values_list("public_id", flat=True).first()
    )
    if public_id:
        restaurant_snapshot_invalidate(public_ids=[public_id])
