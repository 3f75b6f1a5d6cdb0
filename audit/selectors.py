from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from audit.models import AuditEntry
from tenants.selectors import user_owner_tenant_ids


def audit_entries_visible_to(*, user: Any) -> QuerySet[AuditEntry]:
    """Operators read every entry; an owner reads their own tenants'; anyone else (staff members too) none."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return AuditEntry.objects.none()
    if user.is_superuser:
        return AuditEntry.objects.all()
    return AuditEntry.objects.filter(tenant_id__in=user_owner_tenant_ids(user=user))
