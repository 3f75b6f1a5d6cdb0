"""Reads for call records and usage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth

from calls.models import CallRecord, Message


@dataclass(frozen=True)
class TenantMonthUsage:
    tenant_id: int
    tenant_name: str
    month: dt.date
    calls: int
    minutes: float
    llm_input_tokens: int
    llm_output_tokens: int
    tts_characters: int
    stt_minutes: float


def usage_by_tenant_month(*, since: dt.datetime | None = None) -> list[TenantMonthUsage]:
    """Usage per tenant per calendar month (UTC), newest month first: one aggregate query."""
    qs = CallRecord.objects.counted()  # owners' test chats are not billed usage
    if since is not None:
        qs = qs.filter(started_at__gte=since)
    rows = (
        qs.annotate(month=TruncMonth("started_at"))
        .values("tenant_id", "tenant__name", "month")
        .annotate(
            calls=Count("id"),
            seconds=Sum("duration_seconds"),
            llm_in=Sum("llm_input_tokens"),
            llm_out=Sum("llm_output_tokens"),
            tts=Sum("tts_characters"),
            stt=Sum("stt_audio_seconds"),
        )
        .order_by("-month", "tenant__name")
    )
    return [
        TenantMonthUsage(
            tenant_id=row["tenant_id"],
            tenant_name=row["tenant__name"],
            month=row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"],
            calls=row["calls"],
            minutes=round((row["seconds"] or 0) / 60, 1),
            llm_input_tokens=row["llm_in"] or 0,
            llm_output_tokens=row["llm_out"] or 0,
            tts_characters=row["tts"] or 0,
            stt_minutes=round((row["stt"] or 0) / 60, 1),
        )
        for row in rows
    ]


def call_list(
    *,
    tenant_id: int,
    restaurant_public_id: str | None = None,
    started_after: dt.datetime | None = None,
    started_before: dt.datetime | None = None,
    end_reason: str | None = None,
) -> QuerySet[CallRecord]:
    """A tenant's calls, newest first; every filter narrows within the tenant."""
    qs = CallRecord.objects.filter(tenant_id=tenant_id).select_related("restaurant")
    if restaurant_public_id:
        qs = qs.filter(restaurant__public_id=restaurant_public_id)
    if started_after is not None:
        qs = qs.filter(started_at__gte=started_after)
    if started_before is not None:
        qs = qs.filter(started_at__lt=started_before)
    if end_reason:
        qs = qs.filter(end_reason=end_reason)
    return qs.order_by("-started_at", "-pk")


def call_get(*, tenant_id: int, call_id: str) -> CallRecord | None:
    return CallRecord.objects.select_related("restaurant").filter(tenant_id=tenant_id, job_id=call_id).first()


def message_unread_count(*, tenant_ids: list[int]) -> int:
    """Messages from callers nobody in these tenants has opened yet (one indexed count)."""
    if not tenant_ids:
        return 0
    return Message.objects.filter(tenant_id__in=tenant_ids, read_at__isnull=True).count()
