"""Webhook endpoints and deliveries in the tenant-scoped admin.

The signing secret is shown once: on the page after the endpoint is created, and after a rotation.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from unfold.admin import ModelAdmin, TabularInline

from tenants.scoping import TenantScopedMixin, is_operator, owner_tenant_ids
from webhooks import events, services
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks.ssrf import UnsafeDestination, url_check


class WebhookEndpointForm(forms.ModelForm):
    event_types = forms.MultipleChoiceField(
        choices=[(k, f"{k} — {v}") for k, v in events.EVENT_TYPES.items() if k != events.TEST],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked to receive every event.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["tenant", "url", "description", "event_types", "is_enabled"]

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        try:
            url_check(url)
        except UnsafeDestination as exc:
            raise ValidationError(str(exc)) from exc
        return url


def _show_secret(request: HttpRequest, endpoint: WebhookEndpoint, what: str) -> None:
    messages.warning(
        request,
        format_html(
            "{} for {}: <code>{}</code> — copy it now, it is not shown again.",
            what,
            endpoint.url,
            endpoint.secret,
        ),
    )


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(TenantScopedMixin, ModelAdmin):
    form = WebhookEndpointForm
    owner_only_add_delete = True
    list_display = ["url", "description", "is_enabled", "consecutive_failures", "disabled_reason"]
    list_filter = ["is_enabled"]
    readonly_fields = ["disabled_reason", "failing_since", "consecutive_failures"]
    actions = ["send_test_event", "rotate_secret", "enable"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = ["url", "description", "event_types", "is_enabled"]
        if is_operator(request) or len(owner_tenant_ids(request)) > 1:
            fields.insert(0, "tenant")
        return [(None, {"fields": fields}), ("Health", {"fields": self.readonly_fields})]

    def save_model(self, request: HttpRequest, obj: WebhookEndpoint, form: Any, change: bool) -> None:
        if not change and not obj.tenant_id and not is_operator(request):
            owned = owner_tenant_ids(request)
            if len(owned) == 1:
                obj.tenant_id = owned[0]
        super().save_model(request, obj, form, change)
        if not change:
            _show_secret(request, obj, "Signing secret")

    @admin.action(description="Send a test event")
    def send_test_event(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            services.endpoint_test_send(endpoint=endpoint)
        self.message_user(request, f"Test event queued for {queryset.count()} endpoint(s); see Deliveries.")

    @admin.action(description="Rotate the signing secret (the old one stays valid for a day)")
    def rotate_secret(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            services.endpoint_secret_rotate(endpoint=endpoint)
            _show_secret(request, endpoint, "New signing secret")

    @admin.action(description="Enable again (after fixing the receiver)")
    def enable(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            services.endpoint_enable(endpoint=endpoint)
        self.message_user(request, "Enabled.", messages.SUCCESS)


class WebhookAttemptInline(TenantScopedMixin, TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = readonly_fields = ("attempted_at", "status_code", "latency_ms", "error", "response_excerpt")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(TenantScopedMixin, ModelAdmin):
    list_display = [
        "event",
        "event_type",
        "endpoint",
        "status",
        "attempt_count",
        "last_status_code",
        "created_at",
    ]
    list_filter = ["status", "event__type"]
    list_select_related = ["event", "endpoint"]
    readonly_fields = (
        "event",
        "endpoint",
        "status",
        "attempt_count",
        "next_attempt_at",
        "last_status_code",
        "last_error",
        "delivered_at",
        "body",
    )
    fields = readonly_fields
    inlines = [WebhookAttemptInline]
    actions = ["resend"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="type")
    def event_type(self, obj: WebhookDelivery) -> str:
        return obj.event.type

    @admin.display(description="body")
    def body(self, obj: WebhookDelivery) -> str:
        import json

        return format_html("<pre>{}</pre>", json.dumps(obj.event.body, indent=2, ensure_ascii=False))

    @admin.action(description="Resend (same event id)", permissions=["view"])
    def resend(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        for delivery in queryset:
            services.delivery_resend(delivery=delivery)
        self.message_user(request, f"{queryset.count()} deliveries queued again.", messages.SUCCESS)
