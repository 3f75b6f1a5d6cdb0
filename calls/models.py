"""What the agent told diners: one row per finished voice session."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import models
from django.db.models import Q

from tenants.models import Restaurant, Tenant


class Channel(models.TextChoices):
    WEB = "web", "Web"
    PHONE = "phone", "Phone"
    # An owner's test chat from the "Your agent right now" page: shown to the owner, never counted in
    # statistics or against the concurrency cap.
    TEST = "test", "Test chat"


class Outcome(models.TextChoices):
    ANSWERED = "answered", "Answered"
    UNANSWERED_QUESTION = "unanswered_question", "Unanswered question"
    MESSAGE_TAKEN = "message_taken", "Message taken"
    TRANSFERRED = "transferred", "Transferred to staff"
    BOOKED = "booked", "Table booked"
    HUNG_UP_EARLY = "hung_up_early", "Hung up early"
    AGENT_ERROR = "agent_error", "Agent error"


class CallRecordQuerySet(models.QuerySet["CallRecord"]):
    def counted(self) -> CallRecordQuerySet:
        """Calls that count in statistics: diners' calls, not owners' test chats."""
        return self.exclude(channel=Channel.TEST)


class CallRecord(models.Model):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="call_records")
    # Kept when a restaurant is deleted: usage still counts, and the name is copied below.
    restaurant = models.ForeignKey(
        Restaurant, on_delete=models.SET_NULL, null=True, blank=True, related_name="call_records"
    )
    restaurant_name = models.CharField(max_length=200)
    # The idempotency key: a task delivered twice stores one record.
    job_id = models.CharField(max_length=100, unique=True)
    room_name = models.CharField(max_length=200)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    duration_seconds = models.FloatField()
    end_reason = models.CharField(max_length=64)
    snapshot_version = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=16, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    # Questions the agent could not answer from the restaurant's record (its record_unanswered_question
    # tool): [{"question": str, "at": iso datetime}], so the owner can add the missing fact.
    unanswered_questions = models.JSONField(default=list, blank=True)
    # E.164, phone calls only; empty when the caller withheld it. Masked everywhere but the owner's record page.
    caller_number = models.CharField(max_length=16, blank=True)
    transcript = models.JSONField(default=list)
    tool_calls = models.JSONField(default=list)
    # Set when what the caller said (transcript, tool calls, number) was removed after
    # CALL_TRANSCRIPT_RETENTION_DAYS; the rest of the record stays for the dashboards and usage.
    redacted_at = models.DateTimeField(null=True, blank=True)
    llm_input_tokens = models.PositiveIntegerField(default=0)
    llm_output_tokens = models.PositiveIntegerField(default=0)
    tts_characters = models.PositiveIntegerField(default=0)
    stt_audio_seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CallRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["tenant", "started_at"]),
            models.Index(fields=["restaurant", "started_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__gte=models.F("started_at")), name="call_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(duration_seconds__gte=0), name="call_duration_not_negative"),
        ]

    def __str__(self) -> str:
        # Read on the owner's pages (the record's heading): on the restaurant's clock, like every time there.
        return f"{self.restaurant_name} · {_local(self.started_at, self.restaurant):%Y-%m-%d %H:%M}"


class RefusalReason(models.TextChoices):
    ORIGIN_NOT_ALLOWED = "origin_not_allowed", "Website not allowed"
    NOT_LIVE = "not_live", "Not live yet"
    NOT_TAKING_CALLS = "not_taking_calls", "Suspended or switched off"
    BUSY = "busy", "All lines busy"
    VOICE_SERVICE_DOWN = "voice_service_down", "Voice service down"


class CallRefusalCount(models.Model):
    """Refused call starts per restaurant, reason and quarter hour (UTC), flushed from Redis by Celery beat.

    Quarter hours, not days: the dashboard counts them on the restaurant's own dates, and every time zone
    in use is a whole number of quarter hours from UTC.
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=24, choices=RefusalReason.choices)
    period_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["restaurant", "reason", "period_start"], name="call_refusal_count_unique_period"
            )
        ]
        indexes = [models.Index(fields=["tenant", "period_start"])]

    def __str__(self) -> str:
        return f"{self.restaurant_id} {self.reason} {self.period_start:%Y-%m-%d %H:%M}: {self.count}"


class Message(models.Model):
    """A message a caller left with the agent for the restaurant (name, call-back number, what about)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="messages")
    restaurant = models.ForeignKey(
        Restaurant, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    call_record = models.ForeignKey(CallRecord, on_delete=models.CASCADE, related_name="messages")
    caller_name = models.CharField(max_length=120)
    callback_number = models.CharField(max_length=32, blank=True)
    about = models.TextField(max_length=1000)
    received_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["tenant", "read_at"])]

    def __str__(self) -> str:
        return f"{self.caller_name} · {_local(self.received_at, self.restaurant):%Y-%m-%d %H:%M}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    def received_local(self) -> str:
        """When it was left, in the restaurant's own time zone (UTC if the restaurant is gone)."""
        zone = self.restaurant.timezone if self.restaurant else "UTC"
        local = self.received_at.astimezone(zoneinfo.ZoneInfo(zone))
        return f"{local:%a %d %b %Y, %H:%M} ({zone})"


def _local(moment: dt.datetime, restaurant: Restaurant | None) -> dt.datetime:
    """`moment` on the restaurant's clock (UTC when the restaurant is gone)."""
    return moment.astimezone(zoneinfo.ZoneInfo(restaurant.timezone if restaurant else "UTC"))
