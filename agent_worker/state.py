"""Per-call state, the session's typed userdata: every tool reads the restaurant from here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from calls.contract import JobMetadata
from calls.schema import CallerMessage, UnansweredQuestion
from tenants.snapshot import RestaurantSnapshot


@dataclass(frozen=True)
class PhoneCall:
    """What a phone call adds: who is calling (as LiveKit's SIP participant), the line and its hand-over."""

    participant_identity: str
    caller_number: str | None  # E.164; None when withheld (and then never guessed or spoken)
    dialled_number: str | None
    staff_number: str  # empty: no hand-over, the agent takes messages


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
    phone: PhoneCall | None = None
    messages: list[CallerMessage] = field(default_factory=list)
    # How the call ended when the agent ended it ("agent_hung_up", "transferred"); None otherwise.
    ended_by: str | None = None
    # Hangs up the phone call (set by the job; tests observe it). None on web calls.
    hang_up: Callable[[], Awaitable[None]] | None = None

    @property
    def channel(self) -> str:
        return "phone" if self.phone is not None else "web"

    @property
    def can_transfer(self) -> bool:
        return self.phone is not None and bool(self.phone.staff_number)
