"""Reads for phone numbers: the agent's view of a line, and owners' lists."""

from __future__ import annotations

from dataclasses import dataclass

from telephony.models import PhoneNumber


@dataclass(frozen=True)
class PhoneLine:
    """What the agent needs to know about the number a caller dialled."""

    number: str
    restaurant_id: str | None  # public id; None when the number is not attached
    tenant_id: int | None
    staff_number: str


def phone_line_for_number(*, number: str) -> PhoneLine | None:
    """The line for a dialled E.164 number (one indexed query), or None when the platform does not have it."""
    row = (
        PhoneNumber.objects.filter(number=number)
        .values("number", "restaurant__public_id", "tenant_id", "staff_number")
        .first()
    )
    if row is None:
        return None
    return PhoneLine(
        number=row["number"],
        restaurant_id=row["restaurant__public_id"],
        tenant_id=row["tenant_id"],
        staff_number=row["staff_number"],
    )
