"""Invalidate cached snapshots whenever a committed change touches what a snapshot contains."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from tenants.cache import (
    allowed_origins_invalidate,
    restaurant_snapshot_invalidate,
    tenant_snapshots_invalidate,
)
from tenants.models import (
    AllowedOrigin,
    MenuCategory,
    MenuItem,
    OpeningHours,
    Restaurant,
    SpecialDate,
    Tenant,
)

CHILD_MODELS = (OpeningHours, SpecialDate, MenuCategory, MenuItem)

_muted: ContextVar[bool] = ContextVar("snapshot_signals_muted", default=False)

# Sent inside the transaction by bulk menu writes that bypass model signals (sold-out toggles, imports),
# with `restaurant_ids` (pks) and `change` (a word: "availability", "import"). Webhooks listen.
menu_changed = Signal()
# Sent inside the transaction when an operator suspends or reactivates a tenant, with `tenant`.
tenant_status_changed = Signal()


def snapshot_signals_muted_now() -> bool:
    return _muted.get()


@contextmanager
def snapshot_signals_muted() -> Iterator[None]:
    """For bulk writes (a menu import) that invalidate once at the end instead of once per row."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


@receiver([post_save, post_delete], sender=Restaurant)
def _restaurant_changed(sender: type, instance: Restaurant, **kwargs: Any) -> None:
    restaurant_snapshot_invalidate(public_ids=[instance.public_id])


def _child_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    if _muted.get():
        return
    # Inline formsets and cascades usually have the restaurant cached on the instance; look it up otherwise.
    restaurant = instance._state.fields_cache.get("restaurant")
    if restaurant is not None:
        public_id = restaurant.public_id
    else:
        public_id = (
            Restaurant.objects.filter(pk=instance.restaurant_id).values_list("public_id", flat=True).first()
        )
    restaurant_snapshot_invalidate(public_ids=[public_id] if public_id else [])


for _model in CHILD_MODELS:
    post_save.connect(_child_changed, sender=_model, dispatch_uid=f"snapshot-{_model.__name__}-save")
    post_delete.connect(_child_changed, sender=_model, dispatch_uid=f"snapshot-{_model.__name__}-delete")


@receiver(post_save, sender=Tenant)
def _tenant_changed(sender: type, instance: Tenant, created: bool, **kwargs: Any) -> None:
    if not created:
        tenant_snapshots_invalidate(tenant_id=instance.pk)


@receiver([post_save, post_delete], sender=AllowedOrigin)
def _allowed_origin_changed(sender: type, instance: AllowedOrigin, **kwargs: Any) -> None:
    # The tenant's snapshots carry its origins (the call start's check) and the platform-wide set
    # answers CORS: both are dropped after commit, so the very next request obeys the edit.
    tenant_snapshots_invalidate(tenant_id=instance.tenant_id)
    allowed_origins_invalidate()
