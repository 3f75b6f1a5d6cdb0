"""A deleted restaurant's numbers go back to the pool, and LiveKit stops sending their calls to the agent."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from telephony.services import restaurant_numbers_detach
from tenants.models import Restaurant


@receiver(pre_delete, sender=Restaurant, dispatch_uid="telephony_restaurant_numbers_detach")
def _restaurant_deleted(sender: type[Restaurant], instance: Restaurant, **kwargs: Any) -> None:
    # Also runs for restaurants deleted with their tenant (the cascade sends pre_delete for each).
    restaurant_numbers_detach(restaurant=instance)
