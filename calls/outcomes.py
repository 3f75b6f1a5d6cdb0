"""What became of a call, in one word an owner understands, derived from what happened in it."""

from __future__ import annotations

from calls.models import Outcome
from calls.schema import CallRecordPayload

# A diner who leaves this soon without saying anything hung up early.
HUNG_UP_EARLY_SECONDS = 15.0

# End reasons (livekit-agents' CloseReason values and the job's own) that mean the agent failed.
AGENT_ERROR_END_REASONS = frozenset({"error", "agent_error", "snapshot_unavailable", "job_error"})

END_REASON_WORDS = {
    "participant_disconnected": "The diner hung up",
    "user_initiated": "The diner hung up",
    "agent_hung_up": "The agent ended the call",
    "transferred": "Transferred to staff",
    "job_shutdown": "The call was ended by the platform",
    "task_completed": "The agent ended the call",
    "error": "The agent hit an error",
    "agent_error": "The agent hit an error",
    "snapshot_unavailable": "The restaurant's record could not be loaded",
    "not_taking_calls": "The restaurant was not taking calls",
    "test_chat": "Test chat ended",
}


def end_reason_words(code: str) -> str:
    """An end reason in words: "participant_disconnected" → "The diner hung up"."""
    return END_REASON_WORDS.get(code) or (code.replace("_", " ").capitalize() if code else "Unknown")


def call_outcome(*, payload: CallRecordPayload, messages_taken: int = 0) -> str:
    """The outcome of a finished call. Errors win; a question left unanswered matters more than a chat."""
    if payload.end_reason in AGENT_ERROR_END_REASONS or any(c.is_error for c in payload.tool_calls):
        return Outcome.AGENT_ERROR
    names = {c.name for c in payload.tool_calls}
    if "transfer_to_staff" in names or payload.end_reason == "transferred":
        return Outcome.TRANSFERRED
    if "book_table" in names:
        return Outcome.BOOKED
    if messages_taken or "take_message" in names:
        return Outcome.MESSAGE_TAKEN
    if payload.unanswered_questions:
        return Outcome.UNANSWERED_QUESTION
    diner_spoke = any(line.role == "user" for line in payload.transcript)
    if not diner_spoke and payload.duration_seconds < HUNG_UP_EARLY_SECONDS:
        return Outcome.HUNG_UP_EARLY
    return Outcome.ANSWERED
