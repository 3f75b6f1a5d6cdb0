"""Writing the audit trail. ``audit_record`` is the one entry point for anything that is not a row save."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from audit.context import current_actor
from audit.models import AuditEntry

logger = logging.getLogger(__name__)

MAX_VALUE_CHARS = 500


def jsonable(value: Any) -> Any:
    """A value as it will be stored: JSON types only, long text cut (an entry records a change, not a copy)."""
    if isinstance(value, str):
        return value if len(value) <= MAX_VALUE_CHARS else value[:MAX_VALUE_CHARS] + "…"
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return jsonable(json.loads(json.dumps(value, cls=DjangoJSONEncoder)))


def tenant_id_of(obj: models.Model | None) -> int | None:
    if obj is None:
        return None
    if obj._meta.label_lower == "tenants.tenant":
        return obj.pk
    tenant_id = getattr(obj, "tenant_id", None)
    return tenant_id if isinstance(tenant_id, int) else None


def audit_record(
    *,
    action: str,
    obj: models.Model | None = None,
    tenant_id: int | None = None,
    changes: dict[str, Any] | None = None,
    detail: str = "",
    user: Any = None,
    source: str | None = None,
) -> AuditEntry:
    """Append one entry for the actor bound by ``audit.context`` (or ``user``/``source`` given here).

    ``obj`` names what was acted on; its tenant scopes who may read the entry (``tenant_id`` overrides, and
    an entry with no tenant is for operators only). Call it inside the transaction of the change it
    describes, so a rolled-back change leaves no entry.
    """
    actor = current_actor()
    who = user if user is not None else actor.resolved_user()
    label = actor.label or (who.get_username() if who is not None else "")
    if actor.label and who is not None:
        label = f"{who.get_username()} via {actor.label}"
    entry = AuditEntry(
        tenant_id=tenant_id if tenant_id is not None else tenant_id_of(obj),
        actor=who,
        actor_label=label[:150],
        actor_is_operator=bool(who is not None and who.is_superuser),
        source=source or actor.source,
        action=action[:40],
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk)[:64] if obj is not None and obj.pk is not None else "",
        object_repr=(str(obj) if obj is not None else "")[:200],
        changes=jsonable(changes or {}),
        detail=detail[:500],
        remote_addr=actor.remote_addr,
        request_id=actor.request_id[:64],
    )
    entry.save()
    return entry


def audit_entries_prune(*, days: int | None = None, batch: int = 5_000) -> int:
    """Delete audit entries older than `days` (AUDIT_RETENTION_DAYS; 0 keeps them for ever), a batch per
    short transaction so no long lock is held. Returns how many went."""
    days = settings.AUDIT_RETENTION_DAYS if days is None else days
    if days <= 0:
        return 0
    before = timezone.now() - dt.timedelta(days=days)
    deleted = 0
    while ids := list(
        AuditEntry.objects.filter(at__lt=before).order_by("at").values_list("pk", flat=True)[:batch]
    ):
        deleted += AuditEntry.objects.filter(pk__in=ids).delete()[0]
    return deleted
