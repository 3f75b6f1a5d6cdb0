"""Property-based tests of /api/v1/ against its own OpenAPI schema, on Postgres: no server error, every
status code, header, content type and body as documented. Bounded in examples so it stays quick."""

from __future__ import annotations

import random
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from calls.schema import CallRecordPayload
from calls.services import call_record_store
from calls.tests.factories import call_payload
from config.wsgi import application
from restapi.tests.conftest import ALL_SCOPES
from tenants.api_keys import api_key_create
from tenants.models import MenuCategory, MenuItem

schema = schemathesis.openapi.from_wsgi("/api/schema/", application).include(path_regex=r"^/api/v1/")

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


@pytest.fixture
def keep_test_connection() -> Any:
    """As Django's test client does: a WSGI request must not close the test's (transaction-wrapped) connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def live_ids(world_a: Any, keep_test_connection: None) -> dict[str, Any]:
    _, key = api_key_create(tenant=world_a.tenant, name="schemathesis", scopes=ALL_SCOPES)
    call = call_record_store(payload=CallRecordPayload.model_validate(call_payload(world_a.restaurant)))
    return {"key": key, "world": world_a, "call_id": call.job_id}


def _aim_at_real_objects(case: Any, ids: dict[str, Any], rng: random.Random) -> None:
    """Most cases name objects that exist, so writes run deep; some keep their random ids (404 paths)."""
    world = ids["world"]
    if rng.random() < 0.8:
        params = case.path_parameters or {}
        if "restaurant_id" in params:
            params["restaurant_id"] = world.restaurant.public_id
        if "category_id" in params:
            category = MenuCategory.objects.filter(restaurant=world.restaurant).first()
            params["category_id"] = category.pk if category else params["category_id"]
        if "item_id" in params:
            item = MenuItem.objects.filter(restaurant=world.restaurant).first()
            params["item_id"] = item.pk if item else params["item_id"]
        if "call_id" in params:
            params["call_id"] = ids["call_id"]
        if case.headers and "If-Match" in case.headers and rng.random() < 0.7:
            case.headers["If-Match"] = "*"


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_v1_matches_its_schema(case: Any, live_ids: dict[str, Any], settings: Any) -> None:
    settings.API_RATE_PER_KEY = "100000/minute"
    _aim_at_real_objects(case, live_ids, random.Random(repr(case.body)))
    case.call_and_validate(headers={"Authorization": f"Bearer {live_ids['key']}"}, checks=CHECKS)
