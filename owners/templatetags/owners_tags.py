"""The admin index's "Your restaurants" panel: each restaurant's status badge and the suspension banner."""

from __future__ import annotations

from typing import Any

from django import template

from owners.checklist import restaurant_badge
from tenants.cache import restaurant_snapshot_get
from tenants.models import Restaurant, Tenant
from tenants.scoping import is_operator, member_tenant_ids, scope_to_tenants

register = template.Library()

INDEX_LIMIT = 20


@register.inclusion_tag("admin/owners/index_panel.html", takes_context=True)
def owners_overview(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    if is_operator(request):
        return {"show": True, "operator": True, "rows": [], "suspended": []}
    tenant_ids = member_tenant_ids(request)
    if not tenant_ids:
        return {"show": False}
    restaurants = list(
        scope_to_tenants(Restaurant.objects.select_related("tenant").order_by("name"), tenant_ids)[
            :INDEX_LIMIT
        ]
    )
    rows = [
        (r, restaurant_badge(restaurant=r, snapshot=restaurant_snapshot_get(public_id=r.public_id)))
        for r in restaurants
    ]
    suspended = list(
        Tenant.objects.filter(pk__in=tenant_ids, status=Tenant.Status.SUSPENDED).values_list(
            "suspension_reason", flat=True
        )
    )
    return {"show": True, "operator": False, "rows": rows, "suspended": suspended}
