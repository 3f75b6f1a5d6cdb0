"""Operators cannot reach anything without a second factor; owners may use one; recovery codes work once."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin import site
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import recovery_codes_create

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]


def _code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead)
    return str(value).zfill(device.digits)


def _admin_urls() -> list[str]:
    urls = [reverse("admin:index"), reverse("admin:tenants_tenant_onboard"), reverse("admin:password_change")]
    for model in site._registry:
        urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    return urls


def _enrol(client: Client, user) -> tuple[TOTPDevice, list[str]]:
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two_factor_setup"), {"code": _code(device), "next": "/admin/"})
    assert response.status_code == 200
    codes = re.findall(r"<li>([a-z0-9]{5}-[a-z0-9]{5})</li>", response.content.decode())
    return device, codes


def test_an_operator_without_a_device_reaches_no_admin_page(operator):
    client = Client()
    client.force_login(operator)
    for url in _admin_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two_factor_setup")), url
    # A POST (an action, a form) is refused the same way, and changes nothing.
    response = client.post(reverse("admin:tenants_tenant_onboard"), {"tenant_name": "Sneaky"})
    assert response.status_code == 302
    from tenants.models import Tenant

    assert not Tenant.objects.filter(name="Sneaky").exists()


def test_an_operator_enrols_and_then_sees_the_admin(operator):
    client = Client()
    client.force_login(operator)
    first = client.get("/admin/tenants/tenant/")
    assert first["Location"] == f"{reverse('two_factor_setup')}?next=%2Fadmin%2Ftenants%2Ftenant%2F"
    page = client.get(first["Location"]).content.decode()
    assert "<svg" in page and "Key (if you cannot scan)" in page
    device, codes = _enrol(client, operator)
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/tenants/tenant/").status_code == 200


def test_a_wrong_code_does_not_enrol(operator):
    client = Client()
    client.force_login(operator)
    client.get(reverse("two_factor_setup"))
    response = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert "does not match" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=operator, confirmed=True).exists()
    assert client.get("/admin/").status_code == 302


def test_each_sign_in_asks_for_a_current_code(operator):
    enrolling = Client()
    enrolling.force_login(operator)
    device, _ = _enrol(enrolling, operator)

    client = Client()
    client.force_login(operator)  # the password step, in a new browser
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("two_factor_verify"))
    # A password thief cannot enrol a phone of their own instead.
    assert client.get(reverse("two_factor_setup"))["Location"].startswith(reverse("two_factor_verify"))
    wrong = client.post(reverse("two_factor_verify"), {"code": "123456", "next": "/admin/"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()
    ok = client.post(reverse("two_factor_verify"), {"code": _code(device), "next": "/admin/tenants/tenant/"})
    assert ok.status_code == 302 and ok["Location"] == "/admin/tenants/tenant/"
    assert client.get("/admin/").status_code == 200


def test_a_password_alone_cannot_mint_recovery_codes_or_turn_two_factor_off(world_a):
    enrolled = world_a.client_for(world_a.owner)
    _enrol(enrolled, world_a.owner)
    codes_before = set(StaticToken.objects.filter(device__user=world_a.owner).values_list("token", flat=True))

    thief = world_a.client_for(world_a.owner)  # knows the password, not the phone
    for action in ("recovery_codes", "remove"):
        response = thief.post(reverse("two_factor_manage"), {"action": action})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor_verify"))
        assert "<li>" not in response.content.decode()
    assert TOTPDevice.objects.filter(user=world_a.owner, confirmed=True).exists()
    assert (
        set(StaticToken.objects.filter(device__user=world_a.owner).values_list("token", flat=True))
        == codes_before
    )


def test_verify_never_redirects_off_site(operator):
    device = TOTPDevice.objects.create(user=operator, name="phone", confirmed=True)
    client = Client()
    client.force_login(operator)
    response = client.post(
        reverse("two_factor_verify"), {"code": _code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("admin:index")


def test_recovery_codes_work_once(operator):
    TOTPDevice.objects.create(user=operator, name="phone", confirmed=True)
    codes = recovery_codes_create(user=operator)

    client = Client()
    client.force_login(operator)
    response = client.post(
        reverse("two_factor_verify"), {"code": codes[0].upper().replace("-", ""), "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert "9 left" in client.get("/admin/").content.decode()
    assert StaticToken.objects.filter(device__user=operator).count() == 9

    again = Client()
    again.force_login(operator)
    refused = again.post(reverse("two_factor_verify"), {"code": codes[0], "next": "/admin/"})
    assert refused.status_code == 200
    assert again.get("/admin/").status_code == 302


def test_owners_without_two_factor_still_work(world_a):
    client = world_a.client_for(world_a.owner)
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("admin:tenants_restaurant_changelist")).status_code == 200
    manage = client.get(reverse("two_factor_manage")).content.decode()
    assert "Off." in manage


def test_an_owner_who_enrolled_is_asked_for_the_code(world_a):
    client = world_a.client_for(world_a.owner)
    _, codes = _enrol(client, world_a.owner)
    assert client.get("/admin/").status_code == 200
    fresh = world_a.client_for(world_a.owner)
    assert fresh.get("/admin/")["Location"].startswith(reverse("two_factor_verify"))
    # An owner may turn it off again (an operator may not).
    fresh.post(reverse("two_factor_verify"), {"code": codes[1], "next": "/admin/"})
    fresh.post(reverse("two_factor_manage"), {"action": "remove"})
    assert not TOTPDevice.objects.filter(user=world_a.owner).exists()
    assert world_a.client_for(world_a.owner).get("/admin/").status_code == 200


def test_an_operator_cannot_turn_two_factor_off(operator):
    client = Client()
    client.force_login(operator)
    _enrol(client, operator)
    client.post(reverse("two_factor_manage"), {"action": "remove"})
    assert TOTPDevice.objects.filter(user=operator, confirmed=True).exists()


def test_a_lost_phone_is_reset_by_command_and_the_operator_enrols_again(operator):
    from django.core.management import call_command

    from audit.models import AuditEntry

    client = Client()
    client.force_login(operator)
    _enrol(client, operator)
    call_command("two_factor_reset", operator.username)
    fresh = Client()
    fresh.force_login(operator)
    assert fresh.get("/admin/")["Location"].startswith(reverse("two_factor_setup"))
    assert AuditEntry.objects.filter(action="two_factor.remove", source="command").exists()


def test_session_api_requests_get_json_403_before_the_second_factor(operator):
    client = Client()
    client.force_login(operator)
    response = client.get("/api/v1/anything")
    assert response.status_code == 403
    assert response.json()["error"] == "two_factor_required"


def test_recovery_codes_page_is_never_cached(operator):
    client = Client()
    client.force_login(operator)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=operator)
    response = client.post(reverse("two_factor_setup"), {"code": _code(device)})
    assert "no-store" in response["Cache-Control"]
    assert "<li>" in response.content.decode()
