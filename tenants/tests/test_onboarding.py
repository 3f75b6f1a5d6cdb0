from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from tenants.cache import restaurant_snapshot_get
from tenants.models import AllowedOrigin, Membership, Restaurant, Tenant
from tenants.onboarding import tenant_reactivate, tenant_suspend

pytestmark = pytest.mark.django_db(transaction=True)

ARGS = [
    "--name",
    "Casa Nova",
    "--owner-email",
    "owner@casanova.example",
    "--restaurant",
    "Casa Nova Centro",
    "--timezone",
    "Europe/Lisbon",
    "--origin",
    "https://casanova.example",
]


def test_onboarding_creates_everything_and_the_owner_can_set_a_password_and_sign_in(capsys):
    call_command("onboard_tenant", *ARGS)
    out = capsys.readouterr().out
    tenant = Tenant.objects.get(slug="casa-nova")
    restaurant = Restaurant.objects.get(tenant=tenant)
    assert f'data-restaurant="{restaurant.public_id}"' in out
    assert re.search(r"Server API key \(shown once.*\): hl_\w+_\S+", out)
    assert AllowedOrigin.objects.filter(tenant=tenant, origin="https://casanova.example").exists()
    membership = Membership.objects.get(tenant=tenant)
    assert (
        membership.role == "owner"
        and not membership.user.is_superuser
        and not membership.user.has_usable_password()
    )

    [email] = mail.outbox
    link = re.search(r"http://\S+/accounts/reset/\S+/", email.body).group(0).split("8000", 1)[1]
    client = Client()
    form = client.get(link, follow=True)
    assert form.status_code == 200
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-long-Password-42", "new_password2": "a-long-Password-42"},
    )
    assert client.login(username="owner@casanova.example", password="a-long-Password-42")
    assert "Casa Nova Centro" in client.get("/admin/tenants/restaurant/").content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--timezone": "Mars/Base"}, "time zone"),
        ({"--origin": "casanova.example/path"}, "origin"),
        ({"--owner-email": "nope"}, "email"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_half_created(change, message):
    args = list(ARGS)
    for flag, value in change.items():
        args[args.index(flag) + 1] = value
    with pytest.raises(CommandError, match=f"(?i){message}"):
        call_command("onboard_tenant", *args)
    assert not Tenant.objects.exists() and not Restaurant.objects.exists()
    assert mail.outbox == []


def test_a_second_onboarding_of_the_same_owner_is_refused():
    call_command("onboard_tenant", *ARGS)
    with pytest.raises(CommandError, match="already exists"):
        call_command("onboard_tenant", *ARGS)
    assert Tenant.objects.count() == 1


def test_suspension_stops_new_sessions_at_once_and_reactivation_restores_them(world_a, settings):
    restaurant = world_a.restaurant
    assert restaurant_snapshot_get(public_id=restaurant.public_id).can_take_calls  # cached now
    call_command("tenant_status", world_a.tenant.slug, "suspend")
    assert restaurant_snapshot_get(public_id=restaurant.public_id).can_take_calls is False
    response = Client().post(
        "/api/connection-details",
        data=json.dumps({"restaurant_id": restaurant.public_id}),
        content_type="application/json",
        HTTP_ORIGIN=settings.PLATFORM_BASE_URL,
    )
    assert response.status_code == 403
    tenant_reactivate(tenant=world_a.tenant)
    assert restaurant_snapshot_get(public_id=restaurant.public_id).can_take_calls is True


def test_operators_suspend_from_the_admin_owners_cannot(world_a, operator):
    owner_client = world_a.client_for(world_a.owner)
    owner_client.post(
        "/admin/tenants/tenant/", {"action": "suspend", "_selected_action": [world_a.tenant.pk]}
    )
    assert Tenant.objects.get(pk=world_a.tenant.pk).status == "active"
    world_a.client_for(operator).post(
        "/admin/tenants/tenant/",
        {"action": "suspend", "_selected_action": [world_a.tenant.pk], "confirm": "yes"},
    )
    assert Tenant.objects.get(pk=world_a.tenant.pk).status == "suspended"
    tenant_suspend(tenant=world_a.tenant)  # idempotent
    assert Tenant.objects.get(pk=world_a.tenant.pk).status == "suspended"


def test_unknown_tenant_slug_is_a_clear_error():
    with pytest.raises(CommandError, match="No tenant"):
        call_command("tenant_status", "nobody", "suspend")


FORM = {
    "tenant_name": "Casa Nova",
    "owner_email": "owner@casanova.example",
    "restaurant_name": "Casa Nova Centro",
    "restaurant_timezone": "Europe/Lisbon",
    "allowed_origins": "https://casanova.example/\nhttps://www.casanova.example",
}


def test_an_operator_onboards_from_the_admin_and_sees_the_key_and_snippet_once(operator):
    client = Client()
    client.force_login(operator)
    assert "Onboard a tenant" in client.get("/admin/tenants/tenant/").content.decode()

    response = client.post("/admin/tenants/tenant/onboard/", FORM)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    restaurant = Restaurant.objects.get(name="Casa Nova Centro")
    assert f'data-restaurant="{restaurant.public_id}"' in page.replace("&quot;", '"')
    key = re.search(r'<pre id="api-key"[^>]*>([^<]+)</pre>', page).group(1).strip()
    status = (
        Client()
        .post(
            "/api/connection-details",
            data=json.dumps({"restaurant_id": "r_0000000000000000"}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        .status_code
    )
    assert status == 404, "the key shown is a working server key (it authenticates; the id is unknown)"
    assert sorted(
        AllowedOrigin.objects.filter(tenant__slug="casa-nova").values_list("origin", flat=True)
    ) == [
        "https://casanova.example",
        "https://www.casanova.example",
    ]
    [email] = mail.outbox
    assert email.to == ["owner@casanova.example"] and "/accounts/reset/" in email.body
    assert key not in client.get(f"/admin/tenants/tenant/{restaurant.tenant_id}/change/").content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"allowed_origins": "casanova.example/menu"}, "has no https:// (or http://) in front"),
        ({"restaurant_timezone": "Mars/Olympus"}, "is not a time zone or city we know"),
        ({"owner_email": "not-an-email"}, "valid email"),
    ],
)
def test_the_admin_form_explains_bad_input_and_creates_nothing(operator, change, message):
    client = Client()
    client.force_login(operator)

    response = client.post("/admin/tenants/tenant/onboard/", {**FORM, **change})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Tenant.objects.filter(slug="casa-nova").exists()
    assert mail.outbox == []


def test_a_tenant_that_already_exists_is_refused_in_the_admin_too(operator):
    client = Client()
    client.force_login(operator)
    client.post("/admin/tenants/tenant/onboard/", FORM)

    again = client.post("/admin/tenants/tenant/onboard/", {**FORM, "owner_email": "other@casanova.example"})

    assert "already exists" in again.content.decode()
    assert Tenant.objects.filter(slug="casa-nova").count() == 1


def test_owners_and_outsiders_cannot_onboard_tenants(world_a, outsider):
    for user in (world_a.owner, world_a.member, outsider):
        client = Client()
        client.force_login(user)
        response = client.post("/admin/tenants/tenant/onboard/", FORM)
        assert response.status_code in (302, 403)
    assert not Tenant.objects.filter(slug="casa-nova").exists()
    assert mail.outbox == []
