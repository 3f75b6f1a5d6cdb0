"""Owners manage their own endpoints in the admin; another tenant's owner sees and changes nothing."""

from __future__ import annotations

import pytest

from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.services import event_emit

pytestmark = pytest.mark.django_db
ADD = "/admin/webhooks/webhookendpoint/add/"


def test_an_owner_adds_an_endpoint_in_their_tenant_and_sees_the_secret_once(world_a, settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    client = world_a.client_for(world_a.owner)
    response = client.post(
        ADD,
        {"url": "https://hooks.alpha.example/hostline", "description": "CRM", "is_enabled": "on"},
        follow=True,
    )
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.tenant == world_a.tenant
    assert endpoint.secret in response.content.decode()
    page = client.get(f"/admin/webhooks/webhookendpoint/{endpoint.pk}/change/").content.decode()
    assert endpoint.secret not in page


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://hooks.alpha.example/", "Use https"),
        ("https://169.254.169.254/latest/", "private or reserved"),
        ("https://127.0.0.1/hook", "private or reserved"),
    ],
)
def test_the_admin_refuses_unsafe_urls(world_a, settings, url, words):
    settings.WEBHOOK_ALLOW_HTTP = False
    client = world_a.client_for(world_a.owner)
    response = client.post(ADD, {"url": url, "is_enabled": "on"})
    assert response.status_code == 200 and words in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_another_tenants_owner_cannot_see_or_touch_endpoints_or_deliveries(world_a, world_b):
    endpoint = WebhookEndpoint.objects.create(tenant=world_a.tenant, url="https://hooks.alpha.example/")
    delivery = event_emit(tenant_id=world_a.tenant.pk, type="menu.changed", data={}).deliveries.get()
    client = world_b.client_for(world_b.owner)
    assert "hooks.alpha.example" not in client.get("/admin/webhooks/webhookendpoint/").content.decode()
    assert client.get(f"/admin/webhooks/webhookendpoint/{endpoint.pk}/change/").status_code == 404
    assert client.get(f"/admin/webhooks/webhookdelivery/{delivery.pk}/change/").status_code == 404
    client.post(
        "/admin/webhooks/webhookendpoint/",
        {"action": "rotate_secret", "_selected_action": [endpoint.pk]},
    )
    client.post(f"/admin/webhooks/webhookendpoint/{endpoint.pk}/delete/", {"post": "yes"})
    secret = endpoint.secret
    endpoint.refresh_from_db()
    assert endpoint.secret == secret
    assert WebhookDelivery.objects.filter(pk=delivery.pk).exists()


def test_send_test_event_and_rotate_from_the_admin(world_a):
    endpoint = WebhookEndpoint.objects.create(tenant=world_a.tenant, url="https://hooks.alpha.example/")
    client = world_a.client_for(world_a.owner)
    client.post(
        "/admin/webhooks/webhookendpoint/", {"action": "send_test_event", "_selected_action": [endpoint.pk]}
    )
    assert WebhookDelivery.objects.get(endpoint=endpoint).event.type == "webhook.test"
    old = endpoint.secret
    response = client.post(
        "/admin/webhooks/webhookendpoint/",
        {"action": "rotate_secret", "_selected_action": [endpoint.pk]},
        follow=True,
    )
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.previous_secret == old
    assert endpoint.secret in response.content.decode()
