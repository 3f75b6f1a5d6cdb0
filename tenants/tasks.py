"""Periodic and slow work for the catalog. Tasks stay thin: they call services and selectors."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from tenants import menu_import
from tenants.cache import restaurant_snapshots_warm
from tenants.models import MenuImport
from tenants.selectors import restaurant_public_ids_taking_calls


@shared_task(name="tenants.tasks.snapshot_cache_warm", acks_late=True, soft_time_limit=120, time_limit=150)
def snapshot_cache_warm() -> int:
    """Rebuild the cached snapshot of every restaurant that takes calls, so first calls hit the cache."""
    return restaurant_snapshots_warm(public_ids=restaurant_public_ids_taking_calls())


@shared_task(name=menu_import.MENU_IMPORT_TASK, acks_late=True, soft_time_limit=300, time_limit=330)
def menu_import_apply(menu_import_id: int | str, *args: Any, **kwargs: Any) -> str:
    """Apply a large, previewed and confirmed menu file. Safe to run twice: only a pending import runs.

    Read tolerantly (a message may outlive the code that sent it): an id as a string is fine, extra
    arguments are ignored, and an import that no longer exists (its restaurant was deleted) is "missing".
    """
    try:
        pk = int(menu_import_id)
    except (TypeError, ValueError):
        return "missing"
    if not MenuImport.objects.filter(pk=pk).exists():
        return "missing"
    return menu_import.menu_import_apply(menu_import_id=pk).status
