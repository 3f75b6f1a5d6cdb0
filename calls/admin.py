"""Owners read their own calls; operators also see usage per tenant per month."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.html import format_html, format_html_join
from unfold.admin import ModelAdmin

from calls.models import CallRecord, Message
from calls.outcomes import end_reason_words
from calls.selectors import usage_by_tenant_month
from calls.services import message_mark_read
from core.phone_numbers import e164_display, e164_mask
from tenants.scoping import TenantScopedMixin, is_operator, member_tenant_ids, owner_tenant_ids

# The request whose record page is being rendered (a ModelAdmin is shared by every thread; this is not).
_viewing_request: ContextVar[HttpRequest | None] = ContextVar("_viewing_request", default=None)


@admin.register(CallRecord)
class CallRecordAdmin(TenantScopedMixin, ModelAdmin):
    list_display = [
        "local_start",
        "restaurant_name",
        "channel",
        "caller",
        "duration",
        "outcome",
        "ended_how",
        "turns",
    ]
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
                    "caller_number_for_viewer",
                ]
            },
        ),
        (
            "Conversation",
            {
                "fields": [
                    "readable_unanswered",
                    "readable_transcript",
                    "readable_tool_calls",
                    "readable_messages",
                ]
            },
        ),
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

    @admin.display(description="Caller")
    def caller(self, obj: CallRecord) -> str:
        # Lists show enough to tell callers apart, never a number to dial.
        return e164_mask(obj.caller_number) if obj.channel == "phone" else ""

    @admin.display(description="Caller's number")
    def caller_number_for_viewer(self, obj: CallRecord) -> str:
        if obj.channel != "phone":
            return "—"
        if not obj.caller_number:
            return "Withheld by the caller"
        request = _viewing_request.get()
        if request is not None and obj.tenant_id in owner_tenant_ids(request):
            return e164_display(obj.caller_number)
        return e164_mask(obj.caller_number)

    @admin.display(description="Messages left")
    def readable_messages(self, obj: CallRecord) -> str:
        messages = list(obj.messages.all())
        if not messages:
            return "None."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{}</strong> ({}): {}</li>",
                ((m.caller_name, e164_display(m.callback_number) or "no number", m.about) for m in messages),
            ),
        )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        token = _viewing_request.set(
            request
        )  # the caller's number is shown whole only to the tenant's owners
        try:
            response = super().change_view(request, object_id, form_url, extra_context)
            # Rendered here, while the request is known (TemplateResponse would render after the reset).
            return response.render() if hasattr(response, "render") else response
        finally:
            _viewing_request.reset(token)

    @admin.display(description="Turns")
    def turns(self, obj: CallRecord) -> int:
        return len(obj.transcript)

    @admin.display(description="Transcript")
    def readable_transcript(self, obj: CallRecord) -> str:
        if obj.redacted_at is not None:
            return format_html(
                "Removed on {} with the caller's number and messages: what callers say is kept {} days.",
                obj.redacted_at.date().isoformat(),
                settings.CALL_TRANSCRIPT_RETENTION_DAYS,
            )
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
                        _local_clock(line.get("at"), obj),
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


class UnreadFilter(admin.SimpleListFilter):
    title = "read"
    parameter_name = "unread"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("1", "Unread"), ("0", "Read")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "1":
            return queryset.filter(read_at__isnull=True)
        if self.value() == "0":
            return queryset.filter(read_at__isnull=False)
        return queryset


@admin.register(Message)
class MessageAdmin(TenantScopedMixin, ModelAdmin):
    """Messages callers left with the phone agent. Unread ones are bold; opening one marks it read."""

    list_display = ["received", "unread_mark", "restaurant", "caller_name", "call_back", "about_short"]
    list_display_links = ["received", "caller_name"]
    list_filter = [UnreadFilter, ("restaurant", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["caller_name", "about", "callback_number"]
    list_select_related = ["restaurant"]
    fields = [
        "received",
        "restaurant",
        "caller_name",
        "call_back",
        "about",
        "call_record",
        "read_at",
        "emailed_at",
    ]
    readonly_fields = [
        "received",
        "restaurant",
        "caller_name",
        "call_back",
        "about",
        "call_record",
        "read_at",
        "emailed_at",
    ]
    actions = ["mark_read"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Reading is the only change, and it happens by opening the message or with the action.
        return obj is None and self._may(request, None)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)

    @admin.display(description="Received", ordering="received_at")
    def received(self, obj: Message) -> str:
        return obj.received_local()

    @admin.display(description="", boolean=False)
    def unread_mark(self, obj: Message) -> str:
        return format_html("<strong>{}</strong>", "New") if obj.is_unread else ""

    @admin.display(description="Call back")
    def call_back(self, obj: Message) -> str:
        return e164_display(obj.callback_number) if obj.callback_number else "—"

    @admin.display(description="About")
    def about_short(self, obj: Message) -> str:
        return obj.about if len(obj.about) <= 80 else obj.about[:79] + "…"

    @admin.action(description="Mark selected messages as read")
    def mark_read(self, request: HttpRequest, queryset: Any) -> None:
        tenants = None if is_operator(request) else member_tenant_ids(request)
        changed = message_mark_read(
            message_ids=list(queryset.values_list("pk", flat=True)), tenant_ids=tenants
        )
        self.message_user(
            request, "1 message marked as read." if changed == 1 else f"{changed} messages marked as read."
        )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200 and object_id.isdigit() and not is_operator(request):
            message_mark_read(message_ids=[int(object_id)], tenant_ids=member_tenant_ids(request))
        return response

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        unread = self.get_queryset(request).filter(read_at__isnull=True).count()
        title = f"Messages from callers ({unread} unread)" if unread else "Messages from callers"
        return super().changelist_view(request, {**(extra_context or {}), "title": title})


def _local_clock(at: Any, obj: CallRecord) -> str:
    """A transcript line's time on the restaurant's clock (stored as UTC ISO 8601), e.g. "01:13:05"."""
    try:
        moment = datetime.fromisoformat(str(at))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        return f"{moment:%H:%M:%S}"
    zone = obj.restaurant.timezone if obj.restaurant else "UTC"
    return f"{moment.astimezone(ZoneInfo(zone)):%H:%M:%S}"
