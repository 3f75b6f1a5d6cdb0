"""The event types and the versioned bodies receivers get (documented in docs/webhooks.md).

Body, version 1:
    {"id": "evt_…", "type": "call.ended", "version": 1, "timestamp": "2026-…Z",
     "tenant_id": 7, "restaurant_id": "r_…", "data": {…}}
Within a version fields are only ever added; receivers must ignore fields they do not know.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tenants.models import Restaurant

BODY_VERSION = 1

CALL_ENDED = "call.ended"
CALL_REFUSED = "call.refused"
MENU_CHANGED = "menu.changed"
RESTAURANT_STATUS_CHANGED = "restaurant.status_changed"
MESSAGE_TAKEN = "message.taken"
BOOKING_CREATED = "booking.created"
BOOKING_CHANGED = "booking.changed"
BOOKING_CANCELLED = "booking.cancelled"
TEST = "webhook.test"

EVENT_TYPES: dict[str, str] = {
    CALL_ENDED: "A call finished: times, outcome, transcript.",
    CALL_REFUSED: "A call was turned away before it started (busy, closed, suspended…).",
    MENU_CHANGED: "A restaurant's menu changed (an edit, an import, an item sold out or back).",
    RESTAURANT_STATUS_CHANGED: "A restaurant started or stopped taking calls.",
    MESSAGE_TAKEN: "The agent took a message for the restaurant.",
    BOOKING_CREATED: "A table was booked.",
    BOOKING_CHANGED: "A booking changed.",
    BOOKING_CANCELLED: "A booking was cancelled.",
    TEST: "Sent by “send test event” in the admin.",
}


def iso_utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def local_iso(value: dt.datetime, zone: str) -> str:
    try:
        return value.astimezone(zoneinfo.ZoneInfo(zone)).isoformat()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return iso_utc(value)


def restaurant_ref(restaurant: Restaurant | None, fallback_name: str = "") -> dict[str, Any]:
    if restaurant is None:
        return {"id": None, "name": fallback_name}
    return {"id": restaurant.public_id, "name": restaurant.name, "timezone": restaurant.timezone}


def mask_phone(number: str) -> str:
    """+33 6 12 34 56 78 → +33••••••5678: enough to recognise a regular, not to call them."""
    digits = [c for c in number if c.isdigit()]
    if len(digits) <= 4:
        return "•" * len(digits)
    prefix = "+" + "".join(digits[:2]) if number.startswith("+") else ""
    return prefix + "•" * max(0, len(digits) - 4 - (2 if prefix else 0)) + "".join(digits[-4:])
