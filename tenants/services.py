"""Catalog writes. Views, admin actions, commands and tasks call these; they hold no business logic themselves.

The menu import has its own module (tenants/menu_import.py) and the demo seed lives with its data
(tenants/demo.py).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from audit.services import audit_record
from tenants.cache import restaurant_snapshot_invalidate
from tenants.models import MenuItem


@transaction.atomic
def menu_items_set_availability(*, items: QuerySet[MenuItem], available: bool) -> int:
    """Mark menu items available or sold out in one statement. Returns how many rows changed."""
    changing = items.exclude(is_available=available)
    # .update() sends no signals, so say which snapshots it changes and write the audit trail here.
    restaurant_snapshot_invalidate(public_ids=set(changing.values_list("restaurant__public_id", flat=True)))
    for item in changing.select_for_update():
        audit_record(action="update", obj=item, changes={"is_available": [not available, available]})
    return changing.update(is_available=available)
