"""The call.ended webhook event: built from the stored record, written in the record's transaction."""

from __future__ import annotations

from typing import Any

from calls.models import CallRecord, Channel
from webhooks import events
from webhooks.emitters import event_emit


def call_ended_data(record: CallRecord) -> dict[str, Any]:
    zone = record.restaurant.timezone if record.restaurant else "UTC"
    transcript = record.transcript if isinstance(record.transcript, list) else []
    questions = record.unanswered_questions if isinstance(record.unanswered_questions, list) else []
    unanswered = [q.get("question") if isinstance(q, dict) else q for q in questions]
    return {
        "call": {
            "id": record.job_id,
            "channel": record.channel or Channel.WEB,
            "started_at": events.iso_utc(record.started_at),
            "ended_at": events.iso_utc(record.ended_at),
            "started_at_local": events.local_iso(record.started_at, zone),
            "ended_at_local": events.local_iso(record.ended_at, zone),
            "duration_seconds": round(record.duration_seconds, 1),
            "outcome": record.outcome or None,
            "end_reason": record.end_reason,
            "language": record.language,
            "snapshot_version": record.snapshot_version,
            # Web calls carry no number. A phone call's is masked (+44••••••0123): enough to recognise a
            # regular caller, not to call them; owners read the whole number in the admin.
            "caller": (
                events.mask_phone(record.caller_number)
                if record.channel == Channel.PHONE and record.caller_number
                else None
            ),
            "unanswered_questions": [q for q in unanswered if isinstance(q, str)],
            "transcript": [
                {"role": line.get("role", ""), "text": line.get("text", ""), "at": line.get("at")}
                for line in transcript
                if isinstance(line, dict)
            ],
        },
        "restaurant": events.restaurant_ref(record.restaurant, record.restaurant_name),
    }


def call_ended_emit(*, record: CallRecord) -> None:
    """Store the call.ended event with the record (call inside the record's transaction).

    An owner's test chat in the admin is not a diner's call: it sends nothing.
    """
    if record.channel == Channel.TEST:
        return
    event_emit(
        tenant_id=record.tenant_id,
        type=events.CALL_ENDED,
        restaurant=record.restaurant,
        data=call_ended_data(record),
    )
