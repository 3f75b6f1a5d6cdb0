"""Writes of the owner's console: going live."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.errors import Conflict
from owners.checklist import golive_checklist
from tenants.cache import restaurant_snapshot_get
from tenants.models import Restaurant


class NotReadyToGoLive(Conflict):
    code = "not_ready_to_go_live"


def restaurant_go_live(*, restaurant: Restaurant) -> Restaurant:
    """Start taking calls. Allowed only when every required checklist item passes."""
    if restaurant.is_live:
        return restaurant
    snapshot = restaurant_snapshot_get(public_id=restaurant.public_id)
    if snapshot is None:
        raise NotReadyToGoLive("The restaurant could not be read. Try again.")
    checklist = golive_checklist(restaurant=restaurant, snapshot=snapshot)
    if not checklist.ready:
        missing = ", ".join(i.label.lower() for i in checklist.items if i.required and not i.done)
        raise NotReadyToGoLive(f"Not ready to go live yet: {missing}.")
    with transaction.atomic():
        restaurant.went_live_at = timezone.now()
        # update_fields: going live is not an edit, so a test chat done before it still counts. The
        # post_save signal drops the cached snapshot after commit, so the next call start sees it live.
        restaurant.save(update_fields=["went_live_at"])
    return restaurant


def restaurant_go_offline(*, restaurant: Restaurant) -> Restaurant:
    """Stop taking calls until the owner goes live again (the widget says "not taking calls yet")."""
    with transaction.atomic():
        restaurant.went_live_at = None
        restaurant.save(update_fields=["went_live_at"])
    return restaurant
