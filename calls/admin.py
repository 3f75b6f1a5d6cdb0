"""Owners read their own calls; operators also see usage per tenant per month."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.html import format_html, format_html_join

from calls.models import CallRecord
from calls.outcomes import end_reason_words
from calls.selectors import usage_by_tenant_month
from tenants.scoping import TenantScopedMixin, is_operator


@admin.register(CallRecord)
class CallRecordAdmin(TenantScopedMixin, admin.ModelAdmin):
    list_display = ["local_start", "restaurant_name", "channel", "duration", "outcome", "ended_how", "turns"]
    list_filter = [("restaurant", admin.RelatedOnlyFieldListFilter), "channel", "outcome", "started_at"]
    search_fields = ["restaurant_name", "room_name"]
    date_hierarchy = "started_at"
    list_select_related = ["restaurant"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "restaurant_name",
                    "channel",
                    "local_start",
                    "duration",
                    "outcome",
                    "ended_how",
                    "language",
                ]
            },
        ),
        ("Conversation", {"fields": ["readable_unanswered", "readable_transcript", "readable_tool_calls"]}),
        (
            "Usage",
            {"fields": ["llm_input_tokens", "llm_output_tokens", "tts_characters", "stt_audio_seconds"]},
        ),
        (
            "Technical",
            {
                "classes": ["collapse"],
                "fields": ["started_at", "ended_at", "end_reason", "room_name", "job_id", "snapshot_version"],
            },
        ),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [str(f) for fieldset in self.fieldsets for f in fieldset[1]["fields"]]

    # Records are written only by the after-call task; nobody edits history.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)

    @admin.display(description="Duration", ordering="duration_seconds")
    def duration(self, obj: CallRecord) -> str:
        minutes, seconds = divmod(round(obj.duration_seconds), 60)
        return f"{minutes}:{seconds:02d}"

    @admin.display(description="Started (restaurant's time)", ordering="started_at")
    def local_start(self, obj: CallRecord) -> str:
        zone = obj.restaurant.timezone if obj.restaurant else "UTC"
        return f"{obj.started_at.astimezone(ZoneInfo(zone)):%a %d %b %Y, %H:%M} ({zone})"

    @admin.display(description="How it ended", ordering="end_reason")
    def ended_how(self, obj: CallRecord) -> str:
        return end_reason_words(obj.end_reason)

    @admin.display(description="Questions the agent could not answer")
    def readable_unanswered(self, obj: CallRecord) -> str:
        if not obj.unanswered_questions:
            return "None."
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((q.get("question", ""),) for q in obj.unanswered_questions)),
        )

    @admin.display(description="Turns")
    def turns(self, obj: CallRecord) -> int:
        return len(obj.transcript)

    @admin.display(description="Transcript")
    def readable_transcript(self, obj: CallRecord) -> str:
        if not obj.transcript:
            return "Nothing was said."
        speakers = {"user": "Diner", "assistant": "Agent"}
        return format_html(
            '<dl class="hostline-transcript">{}</dl>',
            format_html_join(
                "",
                "<dt><strong>{}</strong> <small>{}</small></dt><dd>{}</dd>",
                (
                    (
                        speakers.get(line.get("role", ""), line.get("role", "")),
                        (line.get("at") or "")[11:19],
                        line.get("text", ""),
                    )
                    for line in obj.transcript
                ),
            ),
        )

    @admin.display(description="Tool calls")
    def readable_tool_calls(self, obj: CallRecord) -> str:
        if not obj.tool_calls:
            return "No tools were used."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><code>{}({})</code> → {}</li>",
                (
                    (
                        call.get("name", ""),
                        ", ".join(f"{k}={v!r}" for k, v in (call.get("arguments") or {}).items()),
                        call.get("output", ""),
                    )
                    for call in obj.tool_calls
                ),
            ),
        )

    def get_urls(self) -> list[URLPattern]:
        return [
            path("usage/", self.admin_site.admin_view(self.usage_view), name="calls_callrecord_usage"),
            *super().get_urls(),
        ]

    def usage_view(self, request: HttpRequest) -> HttpResponse:
        if not is_operator(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Usage per tenant per month",
            "rows": usage_by_tenant_month(),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/calls/usage.html", context)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), "show_usage_link": is_operator(request)}
        return super().changelist_view(request, extra_context)
