"""Per-call state, the session's typed userdata: every tool reads the restaurant from here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from calls.contract import JobMetadata
from calls.schema import UnansweredQuestion
from tenants.snapshot import RestaurantSnapshot


@dataclass
class CallState:
    """What this call is about, and when it started. One per session, never shared between calls."""

    snapshot: RestaurantSnapshot
    metadata: JobMetadata | None
    language: str
    job_id: str
    room_name: str
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    # Filled by the record_unanswered_question tool; stored with the call record.
    unanswered_questions: list[UnansweredQuestion] = field(default_factory=list)
