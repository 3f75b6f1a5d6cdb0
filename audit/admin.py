"""The audit trail in the admin: read-only; operators read all of it, owners their own tenants' entries."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from unfold.admin import ModelAdmin

from audit.models import AuditEntry
from tenants.scoping import TenantScopedMixin, is_operator, owner_tenant_ids, scope_to_tenants


@admin.register(AuditEntry)
class AuditEntryAdmin(TenantScopedMixin, ModelAdmin):
    list_display = ["at", "actor_label", "action", "what", "change_summary"]
    list_filter = ["source", "action", "actor_is_operator"]
    search_fields = ["actor_label", "object_repr", "object_id", "detail", "request_id"]
    date_hierarchy = "at"
    list_per_page = 50
    _fields: tuple[str, ...] = (
        "at",
        "tenant_name",
        "actor_label",
        "actor_is_operator",
        "source",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "change_table",
        "detail",
        "remote_addr",
        "request_id",
    )
    fields = _fields
    readonly_fields = _fields

    def _allowed_tenants(self, request: HttpRequest, *, for_write: bool = False) -> list[int]:
        # Who changed what is for owners: their staff members read none of it.
        return owner_tenant_ids(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        qs = ModelAdmin.get_queryset(self, request).select_related("tenant")
        return qs if is_operator(request) else scope_to_tenants(qs, owner_tenant_ids(request))

    def get_list_display(self, request: HttpRequest) -> Any:
        return (
            [*self.list_display[:1], "tenant", *self.list_display[1:]]
            if is_operator(request)
            else self.list_display
        )

    def get_list_filter(self, request: HttpRequest) -> Any:
        return ["tenant", *self.list_filter] if is_operator(request) else self.list_filter

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request) or bool(owner_tenant_ids(request))

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.display(description="Tenant")
    def tenant_name(self, obj: AuditEntry) -> str:
        # Plain text: owners have no tenant page to link to, and a deleted tenant keeps its id only.
        return (
            obj.tenant.name
            if obj.tenant_id and obj.tenant
            else (f"#{obj.tenant_id}" if obj.tenant_id else "—")
        )

    @admin.display(description="What", ordering="object_repr")
    def what(self, obj: AuditEntry) -> str:
        if not obj.object_type:
            return "—"
        try:
            kind = apps.get_model(obj.object_type).__dict__["_meta"].verbose_name
        except (LookupError, ValueError):
            kind = obj.object_type
        return f"{kind}: {obj.object_repr}"

    @admin.display(description="Changes")
    def change_summary(self, obj: AuditEntry) -> str:
        if obj.detail:
            return obj.detail[:120]
        if obj.action in ("create", "delete"):
            return ", ".join(sorted(obj.changes))[:120]
        return "; ".join(f"{k}: {_short(v[0])} → {_short(v[1])}" for k, v in _pairs(obj))[:160]

    @admin.display(description="What changed")
    def change_table(self, obj: AuditEntry) -> str:
        pairs = list(_pairs(obj))
        if pairs:
            return format_html(
                "<table><thead><tr><th>Field</th><th>Before</th><th>After</th></tr></thead><tbody>{}</tbody></table>",
                format_html_join(
                    "",
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    ((k, _short(a, 300), _short(b, 300)) for k, (a, b) in pairs),
                ),
            )
        if obj.changes:
            return format_html_join(
                "", "<div>{}: {}</div>", ((k, _short(v, 300)) for k, v in obj.changes.items())
            )
        return "—"


def _pairs(obj: AuditEntry) -> Any:
    for key, value in (obj.changes or {}).items():
        if isinstance(value, list) and len(value) == 2:
            yield key, value


def _short(value: Any, limit: int = 40) -> str:
    text = "—" if value is None or value == "" else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
