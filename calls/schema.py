"""The call record the worker hands to Celery when a session ends: defined once, for both sides.

It travels as JSON through the broker, so it is bounded: a runaway session cannot enqueue megabytes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

CALL_RECORD_SCHEMA_VERSION = 1
MAX_TRANSCRIPT_LINES = 2000
MAX_TOOL_CALLS = 500
MAX_TEXT_CHARS = 4000


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class TranscriptLine(_Model):
    role: str = Field(max_length=32)
    text: str = Field(max_length=MAX_TEXT_CHARS)
    at: dt.datetime | None = None


class ToolCallRecord(_Model):
    name: str = Field(max_length=100)
    arguments: dict[str, Any] = Field(default_factory=dict)
    output: str = Field(default="", max_length=MAX_TEXT_CHARS)
    is_error: bool = False
    at: dt.datetime | None = None


class CallUsage(_Model):
    llm_input_tokens: int = Field(default=0, ge=0)
    llm_output_tokens: int = Field(default=0, ge=0)
    tts_characters: int = Field(default=0, ge=0)
    stt_audio_seconds: float = Field(default=0.0, ge=0)


class UnansweredQuestion(_Model):
    question: str = Field(max_length=500)
    at: dt.datetime | None = None


MAX_UNANSWERED_QUESTIONS = 20


class CallerMessage(_Model):
    caller_name: str = Field(max_length=120)
    callback_number: str = Field(default="", max_length=32)
    about: str = Field(max_length=1000)
    at: dt.datetime


MAX_MESSAGES = 5


class CallRecordPayload(_Model):
    version: Literal[1] = 1  # == CALL_RECORD_SCHEMA_VERSION
    job_id: str = Field(min_length=1, max_length=100)
    room_name: str = Field(max_length=200)
    restaurant_id: str = Field(max_length=32)
    tenant_id: int = Field(ge=1)
    started_at: dt.datetime
    ended_at: dt.datetime
    end_reason: str = Field(max_length=64)
    snapshot_version: str = Field(default="", max_length=64)
    language: str = Field(default="", max_length=16)
    transcript: list[TranscriptLine] = Field(default_factory=list, max_length=MAX_TRANSCRIPT_LINES)
    tool_calls: list[ToolCallRecord] = Field(default_factory=list, max_length=MAX_TOOL_CALLS)
    usage: CallUsage = Field(default_factory=CallUsage)
    # Added with outcomes; absent from older workers' records (read as none asked).
    unanswered_questions: list[UnansweredQuestion] = Field(
        default_factory=list, max_length=MAX_UNANSWERED_QUESTIONS
    )
    # "test": an owner's test chat, stored by the web app itself, never by a worker.
    channel: Literal["web", "phone", "test"] = "web"
    # Added with telephony; absent from older workers' records, which were all web calls.
    caller_number: str = Field(default="", max_length=16)
    messages: list[CallerMessage] = Field(default_factory=list, max_length=MAX_MESSAGES)

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> CallRecordPayload:
        if self.ended_at < self.started_at:
            raise ValueError("ended_at is before started_at")
        return self

    @property
    def duration_seconds(self) -> float:
        return (self.ended_at - self.started_at).total_seconds()


def clip(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
