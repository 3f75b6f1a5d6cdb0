"""Which models are audited row by row, and the signal receivers that turn their saves into entries.

Every save and delete through the ORM is caught here (the admin, its inlines, services, the API). Writes
that bypass signals (``QuerySet.update``, ``bulk_create``) call ``audit_record`` themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from audit.context import current_actor
from audit.services import audit_record, jsonable

# Never worth an entry of their own: they change with every save.
ALWAYS_SKIPPED = frozenset({"created_at", "updated_at", "last_login", "last_used_at"})
CHANGED_MARK = "(changed)"


@dataclass(frozen=True)
class Audited:
    exclude: frozenset[str] = frozenset()
    # Stored as "(changed)" / "(set)", never the value: password hashes, key hashes, OTP secrets.
    secret: frozenset[str] = frozenset()
    fields: tuple[str, ...] = field(default=())


_registry: dict[type[models.Model], Audited] = {}


def audit_register(
    model: type[models.Model], *, exclude: tuple[str, ...] = (), secret: tuple[str, ...] = ()
) -> None:
    """Audit every save and delete of ``model``. New domains register their tenant-owned models here."""
    names = tuple(
        f.attname
        for f in model._meta.concrete_fields
        if not f.primary_key and f.attname not in ALWAYS_SKIPPED and f.name not in exclude
    )
    _registry[model] = Audited(exclude=frozenset(exclude), secret=frozenset(secret), fields=names)
    uid = f"audit-{model._meta.label_lower}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-pre")
    post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}-post")
    post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}-delete")


def audited_models() -> list[type[models.Model]]:
    return list(_registry)


def _field_value(spec: Audited, attname: str, value: Any) -> Any:
    if attname in spec.secret:
        return "(set)" if value else ""
    return jsonable(value)


def _before_save(sender: type[models.Model], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    instance._audit_before = None
    if raw or current_actor().muted or instance._state.adding or instance.pk is None:
        return
    spec = _registry[sender]
    instance._audit_before = sender._base_manager.filter(pk=instance.pk).values(*spec.fields).first()


def _after_save(
    sender: type[models.Model],
    instance: Any,
    created: bool,
    raw: bool = False,
    update_fields: Any = None,
    **kwargs: Any,
) -> None:
    if raw or current_actor().muted:
        return
    spec = _registry[sender]
    before = getattr(instance, "_audit_before", None) or {}
    names = spec.fields
    if update_fields is not None:
        wanted = {instance._meta.get_field(n).attname for n in update_fields}
        names = tuple(n for n in names if n in wanted)
    changes: dict[str, list[Any]] = {}
    for attname in names:
        new = getattr(instance, attname)
        old = before.get(attname) if not created else None
        if not created and old == new:
            continue
        if created and new in (None, "", [], {}):
            continue
        if attname in spec.secret:
            changes[attname] = ["", CHANGED_MARK] if not created else ["", "(set)"]
        else:
            changes[attname] = [jsonable(old), jsonable(new)]
    if not created and not changes:
        return
    audit_record(action="create" if created else "update", obj=instance, changes=changes)


def _after_delete(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    if current_actor().muted:
        return
    spec = _registry[sender]
    changes = {
        a: [_field_value(spec, a, getattr(instance, a)), None]
        for a in spec.fields
        if getattr(instance, a) not in (None, "", [], {})
    }
    audit_record(action="delete", obj=instance, changes=changes)
