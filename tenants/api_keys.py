"""Server-to-server API keys: shown once, stored only as a hash, revocable.

A key is `hl_<prefix>_<secret>`. The prefix finds the row; the secret is 256 random bits, so a plain
SHA-256 is enough (a slow password hash defends low-entropy secrets, which these are not).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.utils import timezone

from tenants.models import ApiKey, ApiScope, Tenant


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_create(
    *, tenant: Tenant, name: str = "default", scopes: list[str] | None = None
) -> tuple[ApiKey, str]:
    """Create a key. The plaintext is returned once and never stored. No scopes: connection-details only."""
    unknown = set(scopes or []) - set(ApiScope.values)
    if unknown:
        raise ValueError(f"unknown API scopes: {sorted(unknown)}")
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        tenant=tenant, name=name, prefix=prefix, hashed_key=_hash(secret), scopes=sorted(scopes or [])
    )
    return key, f"hl_{prefix}_{secret}"


def api_key_revoke(*, api_key: ApiKey) -> None:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at", "updated_at"])


def api_key_authenticate(*, presented: str) -> ApiKey | None:
    """The active key matching `presented`, or None. Compares hashes in constant time."""
    parts = presented.split("_", 2)
    if len(parts) != 3 or parts[0] != "hl":
        return None
    key = ApiKey.objects.select_related("tenant").filter(prefix=parts[1], revoked_at__isnull=True).first()
    if key is None or not hmac.compare_digest(key.hashed_key, _hash(parts[2])):
        return None
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key
