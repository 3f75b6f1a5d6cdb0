"""Phone numbers in the admin. Operators add, attach, move, detach and delete numbers; owners see their
restaurants' numbers read-only and set the staff number for hand-over; members only see them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from unfold.admin import ModelAdmin

from core.livekit import LiveKitUnavailable
from core.phone_numbers import e164_display, e164_normalize
from telephony import services
from telephony.models import PhoneNumber
from tenants.scoping import TenantScopedMixin, is_operator, owner_tenant_ids


class PhoneNumberForm(forms.ModelForm):
    class Meta:
        model = PhoneNumber
        fields = ["number", "restaurant", "staff_number"]

    def clean_number(self) -> str:
        return e164_normalize(self.cleaned_data["number"])

    def clean_staff_number(self) -> str:
        value = (self.cleaned_data.get("staff_number") or "").strip()
        if not value:
            return ""
        value = e164_normalize(value)
        if PhoneNumber.objects.filter(number=value).exists():
            raise ValidationError("The staff number must be a person's line, not a number the agent answers.")
        return value


@admin.register(PhoneNumber)
class PhoneNumberAdmin(TenantScopedMixin, ModelAdmin):
    form = PhoneNumberForm
    list_display = ["display_number", "restaurant", "state", "staff", "last_synced_at"]
    list_filter = ["status"]
    search_fields = ["number", "restaurant__name"]
    list_select_related = ["restaurant"]
    actions = ["sync_now"]
    _technical = ["status_detail", "last_synced_at", "livekit_trunk_id", "livekit_rule_id"]

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        if is_operator(request):
            return ["number", "restaurant", "staff_number", *self._technical]
        return ["display_number", "restaurant", "staff_number", "status_detail"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        if is_operator(request):
            # A number is never renamed: delete it and add the new one, so LiveKit's objects follow.
            return ["number", *self._technical] if obj is not None else self._technical
        return ["display_number", "restaurant", "status_detail"]

    # Numbers belong to the platform: only operators add or delete them. Owners change the staff number only.
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_operator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_operator(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if is_operator(request):
            return True
        owned = owner_tenant_ids(request)
        return bool(owned) if obj is None else getattr(obj, "tenant_id", None) in owned

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return super().get_actions(request) if is_operator(request) else {}

    def save_model(self, request: HttpRequest, obj: PhoneNumber, form: Any, change: bool) -> None:
        if not change:
            created = services.phone_number_create(number=obj.number, restaurant=obj.restaurant)
            obj.pk = created.pk
        elif "restaurant" in form.changed_data and is_operator(request):
            services.phone_number_attach(phone_number=obj, restaurant=obj.restaurant)
        if "staff_number" in form.changed_data:
            services.phone_number_staff_number_set(phone_number=obj, staff_number=obj.staff_number)

    def delete_model(self, request: HttpRequest, obj: PhoneNumber) -> None:
        services.phone_number_delete(phone_number=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[PhoneNumber]) -> None:
        for phone in queryset:
            services.phone_number_delete(phone_number=phone)

    @admin.action(description="Sync selected numbers with LiveKit now")
    def sync_now(self, request: HttpRequest, queryset: QuerySet[PhoneNumber]) -> None:
        failed = 0
        for phone in queryset:
            try:
                services.phone_number_sync(number=phone.number)
            except LiveKitUnavailable:
                failed += 1
        if failed:
            self.message_user(
                request, f"{failed} number(s) could not be synced; see their status.", messages.ERROR
            )
        else:
            self.message_user(
                request, f"{queryset.count()} number(s) in sync with LiveKit.", messages.SUCCESS
            )

    @admin.display(description="Number", ordering="number")
    def display_number(self, obj: PhoneNumber) -> str:
        return e164_display(obj.number)

    @admin.display(description="Staff line")
    def staff(self, obj: PhoneNumber) -> str:
        return e164_display(obj.staff_number) if obj.staff_number else "—"

    @admin.display(description="LiveKit", ordering="status")
    def state(self, obj: PhoneNumber) -> str:
        return self._badge(obj, _SHORT.get(obj.status, obj.status))

    @admin.display(description="Status")
    def status_detail(self, obj: PhoneNumber) -> str:
        badge = self._badge(obj, obj.get_status_display())
        if obj.status == PhoneNumber.Status.ERROR and obj.last_error:
            return format_html("{}<br><small>{}</small>", badge, obj.last_error)
        return badge

    @staticmethod
    def _badge(obj: PhoneNumber, text: str) -> str:
        colours = {"active": "#166534", "error": "#b91c1c", "pending": "#92400e", "unattached": "#475569"}
        return format_html('<strong style="color:{}">{}</strong>', colours.get(obj.status, "inherit"), text)


# Short words for the list (a phone screen has room for one); the number's page says it in full.
_SHORT = {"active": "Active", "error": "Error", "pending": "Pending", "unattached": "Not attached"}
