"""Failed sign-ins for operators: who is locked out, and an action to unlock them. Owners never see this."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, User
from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin as BaseStaticDeviceAdmin
from django_otp.plugins.otp_static.admin import StaticTokenInline as BaseStaticTokenInline
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as BaseTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from unfold.admin import ModelAdmin, TabularInline
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from accounts.lockout import login_unlock
from tenants.scoping import is_operator


@admin.register(AccessAttempt)
class AccessAttemptAdmin(ModelAdmin):
    list_display = [
        "attempt_time",
        "username",
        "ip_address",
        "failures_since_start",
        "locked_out",
        "path_info",
    ]
    search_fields = ["username", "ip_address"]
    readonly_fields = [
        "attempt_time",
        "username",
        "ip_address",
        "user_agent",
        "path_info",
        "failures_since_start",
    ]
    fields = tuple(readonly_fields)
    actions = ["unlock"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Needed for the action; every field stays read-only.
        return is_operator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(boolean=True, description="Locked out")
    def locked_out(self, obj: AccessAttempt) -> bool:
        return obj.failures_since_start >= settings.AXES_FAILURE_LIMIT

    @admin.action(description="Unlock: clear these failed sign-ins")
    def unlock(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        removed = 0
        for username, ip in set(queryset.values_list("username", "ip_address")):
            removed += login_unlock(username=username, ip=ip)
        self.message_user(
            request, f"Unlocked: {removed} record(s) of failed sign-ins cleared.", messages.SUCCESS
        )


# --- Django's and django-otp's own admins, on the unfold theme like every other page --------------------
# Re-registered with unfold's classes first in line; their behaviour (and permissions: operators only, as
# owners hold no Django model permissions) is the libraries' own.

admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(BaseUserAdmin, ModelAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin, ModelAdmin):
    pass


class StaticTokenInline(BaseStaticTokenInline, TabularInline):
    pass


for _model, _base in ((TOTPDevice, BaseTOTPDeviceAdmin), (StaticDevice, BaseStaticDeviceAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(BaseTOTPDeviceAdmin, ModelAdmin):
    pass


@admin.register(StaticDevice)
class StaticDeviceAdmin(BaseStaticDeviceAdmin, ModelAdmin):
    inlines = [StaticTokenInline]
