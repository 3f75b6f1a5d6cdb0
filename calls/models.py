"""What the agent told diners: one row per finished voice session."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from tenants.models import Restaurant, Tenant


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
    transcript = models.JSONField(default=list)
    tool_calls = models.JSONField(default=list)
    llm_input_tokens = models.PositiveIntegerField(default=0)
    llm_output_tokens = models.PositiveIntegerField(default=0)
    tts_characters = models.PositiveIntegerField(default=0)
    stt_audio_seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

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
        return f"{self.restaurant_name} · {self.started_at:%Y-%m-%d %H:%M}"
