"""Issue 19 (5): an API key is revoked with a button and a confirmation, not by typing a date; a tenant is
suspended only after a page that says what stops. Owners, staff and outsiders can do neither."""

from __future__ import annotations

import json

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client

from tenants.api_keys import api_key_create
from tenants.models import ApiKey, ApiScope, Tenant

pytestmark = pytest.mark.django_db


def _operator_client(operator):
    client = Client()
    client.force_login(operator)
    return client


def _start_call(world, key):
    return Client().post(
        "/api/connection-details",
        data=json.dumps({"restaurant_id": world.restaurant.public_id}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


# --- API keys ----------------------------------------------------------------------------------------------


def test_the_tenant_page_offers_a_revoke_button_and_no_date_to_type(world_a, operator):
    api_key, _ = api_key_create(tenant=world_a.tenant, name="pos")
    page = (
        _operator_client(operator).get(f"/admin/tenants/tenant/{world_a.tenant.pk}/change/").content.decode()
    )
    assert f"/admin/tenants/tenant/{world_a.tenant.pk}/api-keys/{api_key.pk}/revoke/" in page
    assert "Revoke…" in page
    assert "revoked_at" not in page


def test_revoking_asks_first_and_then_the_key_stops_working_at_once(world_a, operator, fake_livekit):
    api_key, key = api_key_create(tenant=world_a.tenant, name="pos", scopes=list(ApiScope.values))
    client = _operator_client(operator)
    url = f"/admin/tenants/tenant/{world_a.tenant.pk}/api-keys/{api_key.pk}/revoke/"
    assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/restaurants").status_code == 200

    confirm = client.get(url)
    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "Revoke the API key" in body and f"hl_{api_key.prefix}_" in body and "Yes, revoke this key" in body
    client.post(url, {})  # a POST without the confirmation changes nothing
    api_key.refresh_from_db()
    assert api_key.revoked_at is None

    done = client.post(url, {"confirm": "yes"}, follow=True)
    assert "revoked: requests with it are refused from now on" in done.content.decode()
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/restaurants").status_code == 401
    assert _start_call(world_a, key).status_code == 403
    assert fake_livekit.dispatches == []
    # The change page now says when, and offers no button.
    page = client.get(f"/admin/tenants/tenant/{world_a.tenant.pk}/change/").content.decode()
    assert "Revoked " in page and f"/api-keys/{api_key.pk}/revoke/" not in page


def test_a_key_is_revoked_only_through_its_own_tenant(world_a, world_b, operator):
    key_b, _ = api_key_create(tenant=world_b.tenant)
    url = f"/admin/tenants/tenant/{world_a.tenant.pk}/api-keys/{key_b.pk}/revoke/"
    assert _operator_client(operator).post(url, {"confirm": "yes"}).status_code == 404
    assert ApiKey.objects.get(pk=key_b.pk).revoked_at is None


def test_owners_staff_and_outsiders_cannot_revoke_keys(world_a, outsider):
    api_key, _ = api_key_create(tenant=world_a.tenant)
    url = f"/admin/tenants/tenant/{world_a.tenant.pk}/api-keys/{api_key.pk}/revoke/"
    for user in (world_a.owner, world_a.member, outsider):
        client = world_a.client_for(user)
        page = client.get(url)
        assert page.status_code in (302, 403, 404)
        assert "Revoke the API key" not in page.content.decode()
        client.post(url, {"confirm": "yes"})
    assert ApiKey.objects.get(pk=api_key.pk).revoked_at is None


# --- suspension --------------------------------------------------------------------------------------------


def test_the_suspend_action_shows_what_stops_and_suspends_nothing_until_confirmed(world_a, operator):
    api_key_create(tenant=world_a.tenant)
    client = _operator_client(operator)
    response = client.post(
        "/admin/tenants/tenant/", {"action": "suspend", ACTION_CHECKBOX_NAME: [world_a.tenant.pk]}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Suspend Alpha?" in body
    assert "Every new call is refused" in body and "1 restaurant (Alpha Bistro)" in body
    assert "1 active key" in body and "Yes, suspend Alpha" in body
    assert Tenant.objects.get(pk=world_a.tenant.pk).status == "active"

    done = client.post(
        "/admin/tenants/tenant/",
        {
            "action": "suspend",
            ACTION_CHECKBOX_NAME: [world_a.tenant.pk],
            "confirm": "yes",
            "reason": "Unpaid invoice",
        },
        follow=True,
    )
    assert "Suspended: Alpha. Their calls are refused from now on." in done.content.decode()
    tenant = Tenant.objects.get(pk=world_a.tenant.pk)
    assert (tenant.status, tenant.suspension_reason) == ("suspended", "Unpaid invoice")


def test_suspended_from_the_tenant_page_after_its_confirmation(world_a, operator, settings, fake_livekit):
    client = _operator_client(operator)
    change = client.get(f"/admin/tenants/tenant/{world_a.tenant.pk}/change/").content.decode()
    url = f"/admin/tenants/tenant/{world_a.tenant.pk}/suspend/"
    assert url in change
    assert 'name="status"' not in change  # the status is never flipped in the form, unasked

    assert "Every new call is refused" in client.get(url).content.decode()
    assert Tenant.objects.get(pk=world_a.tenant.pk).status == "active"  # GET shows, never acts
    client.post(url, {"reason": "no confirm field"})
    assert Tenant.objects.get(pk=world_a.tenant.pk).status == "active"

    done = client.post(url, {"confirm": "yes"})
    assert done.status_code == 302
    assert Tenant.objects.get(pk=world_a.tenant.pk).status == "suspended"
    refused = Client().post(
        "/api/connection-details",
        data=json.dumps({"restaurant_id": world_a.restaurant.public_id}),
        content_type="application/json",
        HTTP_ORIGIN=settings.PLATFORM_BASE_URL,
    )
    assert refused.status_code == 403
    assert "Suspend…" not in client.get(f"/admin/tenants/tenant/{world_a.tenant.pk}/change/").content.decode()


def test_owners_staff_and_outsiders_cannot_suspend(world_a, outsider):
    for user in (world_a.owner, world_a.member, outsider):
        client = world_a.client_for(user)
        page = client.get(f"/admin/tenants/tenant/{world_a.tenant.pk}/suspend/")
        assert page.status_code in (302, 403, 404)
        assert "Every new call is refused" not in page.content.decode()
        client.post(f"/admin/tenants/tenant/{world_a.tenant.pk}/suspend/", {"confirm": "yes"})
        client.post(
            "/admin/tenants/tenant/",
            {"action": "suspend", ACTION_CHECKBOX_NAME: [world_a.tenant.pk], "confirm": "yes"},
        )
    assert Tenant.objects.get(pk=world_a.tenant.pk).status == "active"
