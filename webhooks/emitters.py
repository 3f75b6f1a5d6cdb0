"""Small entry points other domains call to announce what happened (inside their own transaction)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from webhooks import events
from webhooks.services import call_refused_note, event_emit

if TYPE_CHECKING:
    from calls.models import CallRecord

__all__ = ["call_ended_emit", "call_refused_note", "event_emit"]


def call_ended_emit(*, record: CallRecord) -> None:
    event_emit(
        tenant_id=record.tenant_id,
        type=events.CALL_ENDED,
        restaurant=record.restaurant,
        data=events.call_ended_data(record),
    )
