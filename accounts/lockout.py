from __future__ import annotations

from axes.utils import reset
from django.db import transaction

from audit.services import audit_record


@transaction.atomic
def login_unlock(*, username: str | None = None, ip: str | None = None) -> int:
    """Clear failed sign-ins for a username and/or a client address; returns how many records went."""
    if not username and not ip:
        raise ValueError("Name a username or an address to unlock.")
    removed = reset(username=username or None, ip=ip or None)
    audit_record(
        action="login.unlock",
        changes={"username": username or "", "ip": ip or "", "records_removed": removed},
        detail=f"unlocked {username or ''} {ip or ''}".strip(),
    )
    return removed
