"""Catalog changes become outbox events in the transaction that made them.

The catalog (tenants) knows nothing of webhooks: this module listens to its model signals and to the two
signals it sends for bulk writes (`menu_changed`, `tenant_status_changed`).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from tenants.models import MenuCategory, MenuItem, Restaurant, Tenant
from tenants.signals import menu_changed, snapshot_signals_muted_now, tenant_status_changed
from webhooks import events
from webhooks.services import event_emit

# (transaction, innermost savepoint, restaurant pk) already announced: an admin form saving ten items in
# one atomic block sends one event.
_announced: set[tuple[int, str, int]] = set()


def _atomic_block() -> tuple[int, str] | None:
    if not connection.in_atomic_block or connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        txid = int(cursor.fetchone()[0])
    return txid, connection.savepoint_ids[-1] if connection.savepoint_ids else ""


def _menu_changed(restaurant: Restaurant, change: str) -> None:
    block = _atomic_block()
    if block is not None:
        key = (*block, restaurant.pk)
        if key in _announced:
            return
        if len(_announced) > 10_000:
            _announced.clear()
        _announced.add(key)
    event_emit(
        tenant_id=restaurant.tenant_id,
        type=events.MENU_CHANGED,
        restaurant=restaurant,
        data={"change": change, "restaurant": events.restaurant_ref(restaurant)},
    )


def _menu_row_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    if snapshot_signals_muted_now():
        return
    restaurant = (
        instance._state.fields_cache.get("restaurant")
        or Restaurant.objects.filter(pk=instance.restaurant_id).first()
    )
    if restaurant is not None:
        _menu_changed(restaurant, "edited")


for _model in (MenuCategory, MenuItem):
    post_save.connect(_menu_row_changed, sender=_model, dispatch_uid=f"webhooks-{_model.__name__}-save")
    post_delete.connect(_menu_row_changed, sender=_model, dispatch_uid=f"webhooks-{_model.__name__}-delete")


@receiver(menu_changed)
def _menu_bulk_changed(sender: Any, restaurant_ids: list[int], change: str, **kwargs: Any) -> None:
    for restaurant in Restaurant.objects.filter(pk__in=restaurant_ids):
        _menu_changed(restaurant, change)


@receiver(pre_save, sender=Restaurant)
def _restaurant_before(sender: type, instance: Restaurant, **kwargs: Any) -> None:
    if instance.pk is not None:
        instance._webhooks_was_active = (  # type: ignore[attr-defined]
            Restaurant.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
        )


@receiver(post_save, sender=Restaurant)
def _restaurant_after(sender: type, instance: Restaurant, created: bool, **kwargs: Any) -> None:
    was = getattr(instance, "_webhooks_was_active", None)
    if created or was is None or was == instance.is_active:
        return
    _status_event(instance, reason="restaurant_activated" if instance.is_active else "restaurant_deactivated")


def _status_event(restaurant: Restaurant, *, reason: str, tenant_active: bool | None = None) -> None:
    tenant_active = restaurant.tenant.is_active if tenant_active is None else tenant_active
    event_emit(
        tenant_id=restaurant.tenant_id,
        type=events.RESTAURANT_STATUS_CHANGED,
        restaurant=restaurant,
        data={
            "taking_calls": restaurant.is_active and tenant_active,
            "is_active": restaurant.is_active,
            "tenant_active": tenant_active,
            "reason": reason,
            "restaurant": events.restaurant_ref(restaurant),
        },
    )


@receiver(tenant_status_changed)
def _tenant_status(sender: Any, tenant: Tenant, **kwargs: Any) -> None:
    reason = "tenant_reactivated" if tenant.is_active else "tenant_suspended"
    for restaurant in Restaurant.objects.filter(tenant=tenant):
        _status_event(restaurant, reason=reason, tenant_active=tenant.is_active)
