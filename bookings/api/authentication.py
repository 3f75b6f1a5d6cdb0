"""Server-to-server authentication with a tenant's API key: `Authorization: Bearer hl_<prefix>_<secret>`.

`request.auth` is the ApiKey (its tenant scopes everything, see tenants.scoping.TenantScopedAPIMixin);
there is no user. A missing or wrong key is a 401 in the API's error shape.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from tenants.api_keys import api_key_authenticate


class ApiKeyAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = request.headers.get("Authorization", "")
        if not header.startswith(f"{self.keyword} "):
            raise exceptions.NotAuthenticated("Send the tenant's API key as “Authorization: Bearer hl_…”.")
        key = api_key_authenticate(presented=header.removeprefix(f"{self.keyword} ").strip())
        if key is None or not key.tenant.is_active:
            raise exceptions.AuthenticationFailed(
                "That API key is not valid (revoked, mistyped or suspended)."
            )
        return (None, key)

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "bookings.api.authentication.ApiKeyAuthentication"
    name = "tenantApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "The tenant's server API key, hl_…"}
