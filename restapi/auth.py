"""API-key authentication, scopes and per-key rate limits for /api/v1/.

`Authorization: Bearer hl_<prefix>_<secret>`. The key decides the tenant; nothing in a request can name
another one. A revoked key, an unknown key and a suspended tenant are all refused.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from tenants.api_keys import api_key_authenticate
from tenants.models import ApiKey, ApiScope


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[AnonymousUser, ApiKey] | None:
        # The key is the credential (request.auth); no person signs in, so request.user stays anonymous
        # and the audit trail names the key instead (restapi.base.V1View).
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        if not header.startswith("Bearer "):
            raise exceptions.AuthenticationFailed("Send the API key as “Authorization: Bearer hl_…”.")
        key = api_key_authenticate(presented=header.removeprefix("Bearer ").strip())
        if key is None:
            raise exceptions.AuthenticationFailed("Unknown or revoked API key.")
        if not key.tenant.is_active:
            raise exceptions.PermissionDenied("This account is suspended.")
        return AnonymousUser(), key

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="hostline"'


def key_of(request: Request) -> ApiKey:
    key = request.auth
    if not isinstance(key, ApiKey):
        raise exceptions.NotAuthenticated("Send an API key: “Authorization: Bearer hl_…”.")
    return key


class _ScopePermission(BasePermission):
    scope: str = ""

    def has_permission(self, request: Request, view: Any) -> bool:
        key = key_of(request)
        if self.scope not in (key.scopes or []):
            self.message = f"This API key lacks the “{self.scope}” scope."
            return False
        return True


class CanRead(_ScopePermission):
    scope = ApiScope.READ


class CanWriteCatalog(_ScopePermission):
    scope = ApiScope.CATALOG_WRITE


class CanReadCalls(_ScopePermission):
    scope = ApiScope.CALLS_READ


class CatalogPermission(BasePermission):
    """Reads need `read` (or `catalog:write`); writes need `catalog:write`."""

    def has_permission(self, request: Request, view: Any) -> bool:
        scopes = key_of(request).scopes or []
        if request.method in ("GET", "HEAD", "OPTIONS"):
            needed = {ApiScope.READ, ApiScope.CATALOG_WRITE}
            self.message = "This API key lacks the “read” scope."
        else:
            needed = {ApiScope.CATALOG_WRITE}
            self.message = "This API key lacks the “catalog:write” scope."
        return bool(needed & set(scopes))
