"""How the platform serves the widget, and who its API answers from a restaurant's website."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tenants.models import Tenant
from tenants.tests.factories import AllowedOriginFactory

pytestmark = pytest.mark.django_db


def test_widget_js_is_served_as_javascript_at_a_stable_address_with_a_short_cache():
    response = Client().get("/widget.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert b"/api/connection-details" not in body, "the loader stays small; the API lives in the call bundle"
    assert b"widget-call.js?v=" in body


def test_the_call_bundle_is_cached_for_a_year_when_asked_for_by_version():
    versioned = Client().get("/widget-call.js?v=abc123")
    unversioned = Client().get("/widget-call.js")

    assert versioned["Cache-Control"] == "public, max-age=31536000, immutable"
    assert unversioned["Cache-Control"] == "public, max-age=300"
    assert b"/api/connection-details" in b"".join(versioned.streaming_content)


def test_a_missing_build_answers_404_in_javascript_that_says_why(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STATICFILES_DIRS = [tmp_path]

    response = Client().get("/widget.js")

    assert response.status_code == 404
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert b"make widget" in response.content


def test_a_suspended_tenants_site_can_read_the_refusal_but_gets_no_session(world_a):
    AllowedOriginFactory(tenant=world_a.tenant, origin="https://alpha.example")
    world_a.tenant.status = Tenant.Status.SUSPENDED
    world_a.tenant.save()

    response = Client().post(
        "/api/connection-details",
        data=json.dumps({"restaurant_id": world_a.restaurant.public_id}),
        content_type="application/json",
        HTTP_ORIGIN="https://alpha.example",
    )

    assert response.status_code == 403
    assert response.json()["error"] == "not_taking_calls"
    # So the widget can say "not taking calls" instead of a network error.
    assert response["Access-Control-Allow-Origin"] == "https://alpha.example"


def test_the_platforms_own_pages_are_allowed_however_the_host_is_spelled(world_a, fake_livekit, settings):
    settings.ALLOWED_HOSTS = ["hostline.example"]

    response = Client().post(
        "/api/connection-details",
        data=json.dumps({"restaurant_id": world_a.restaurant.public_id}),
        content_type="application/json",
        HTTP_ORIGIN="http://hostline.example",
        HTTP_HOST="hostline.example",
    )
    spoofed = Client().post(
        "/api/connection-details",
        data=json.dumps({"restaurant_id": world_a.restaurant.public_id}),
        content_type="application/json",
        HTTP_ORIGIN="http://evil.example",
        HTTP_HOST="hostline.example",
    )

    assert response.status_code == 200
    assert spoofed.status_code == 404
    assert len(fake_livekit.dispatches) == 1
