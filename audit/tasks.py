"""Beat: the audit trail's retention."""

from __future__ import annotations

from celery import shared_task

from audit.services import audit_entries_prune as _prune


@shared_task(name="audit.tasks.audit_entries_prune")
def audit_entries_prune() -> int:
    return _prune()
