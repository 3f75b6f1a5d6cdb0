from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tenants.api_keys import api_key_create
from tenants.models import ApiScope

ALL_SCOPES = list(ApiScope.values)


class ApiClient:
    """A test client that sends one API key on every request."""

    def __init__(self, key: str) -> None:
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    def __getattr__(self, method: str) -> Any:
        call = getattr(self.client, method)

        def send(path: str, data: Any = None, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
            if method in ("post", "put", "patch", "delete"):
                return call(path, data, content_type="application/json", headers=headers or {}, **kwargs)
            return call(path, data or {}, headers=headers or {}, **kwargs)

        return send


def api_for(world: Any, scopes: list[str] | None = None) -> ApiClient:
    _, plaintext = api_key_create(
        tenant=world.tenant, name="test", scopes=ALL_SCOPES if scopes is None else scopes
    )
    return ApiClient(plaintext)


@pytest.fixture
def api_a(world_a: Any) -> ApiClient:
    return api_for(world_a)


@pytest.fixture
def api_b(world_b: Any) -> ApiClient:
    return api_for(world_b)
