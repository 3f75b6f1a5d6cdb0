"""Phone numbers in the admin: operators manage them, owners set the staff line, nobody else sees or changes a thing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from telephony.models import PhoneNumber

pytestmark = pytest.mark.django_db(transaction=True)

NUMBER, STAFF = "+442079460123", "+442079460999"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def line_a(world_a, fake_livekit) -> PhoneNumber:
    from telephony.services import phone_number_create

    return phone_number_create(number=NUMBER, restaurant=world_a.restaurant)


def test_an_operator_adds_a_number_attached_to_a_restaurant_and_livekit_gets_it(
    operator, world_a, fake_livekit
):
    response = client_for(operator).post(
        reverse("admin:telephony_phonenumber_add"),
        {"number": "+44 20 7946 0123", "restaurant": world_a.restaurant.pk, "staff_number": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    phone = PhoneNumber.objects.get(number=NUMBER)
    assert (phone.restaurant, phone.tenant, phone.status) == (world_a.restaurant, world_a.tenant, "active")
    assert len(fake_livekit.rules) == 1
    listing = client_for(operator).get(reverse("admin:telephony_phonenumber_changelist")).content.decode()
    assert "+44 20 7946 0123" in listing and "Active" in listing


def test_an_operator_moves_and_detaches_a_number(operator, line_a, world_b, fake_livekit):
    url = reverse("admin:telephony_phonenumber_change", args=[line_a.pk])
    client = client_for(operator)
    assert client.post(url, {"restaurant": world_b.restaurant.pk, "staff_number": ""}).status_code == 302
    line_a.refresh_from_db()
    assert line_a.tenant_id == world_b.tenant.pk
    assert client.post(url, {"restaurant": "", "staff_number": ""}).status_code == 302
    line_a.refresh_from_db()
    assert (line_a.restaurant_id, line_a.status) == (None, "unattached")
    assert fake_livekit.rules == {}


def test_a_bad_number_is_refused_with_a_clear_error(operator, world_a):
    response = client_for(operator).post(
        reverse("admin:telephony_phonenumber_add"),
        {"number": "12345", "restaurant": world_a.restaurant.pk, "staff_number": ""},
    )
    assert response.status_code == 200
    assert "is not a" in response.content.decode() and not PhoneNumber.objects.exists()


def test_the_owner_sees_the_number_read_only_and_sets_the_staff_line(world_a, line_a, fake_livekit):
    client = client_for(world_a.owner)
    listing = client.get(reverse("admin:telephony_phonenumber_changelist")).content.decode()
    assert "+44 20 7946 0123" in listing
    url = reverse("admin:telephony_phonenumber_change", args=[line_a.pk])
    page = client.get(url).content.decode()
    assert 'name="staff_number"' in page
    assert 'name="number"' not in page and 'name="restaurant"' not in page  # read-only for owners
    writes = len(fake_livekit.sip_writes())
    # An owner cannot move the number: a posted restaurant is ignored.
    response = client.post(url, {"staff_number": "020 7946 0999", "restaurant": ""})
    assert response.status_code == 200  # national form without a region: asked again, clearly
    assert "is not a" in response.content.decode()
    assert client.post(url, {"staff_number": "+44 20 7946 0999", "restaurant": ""}).status_code == 302
    line_a.refresh_from_db()
    assert (line_a.staff_number, line_a.restaurant_id) == (STAFF, world_a.restaurant.pk)
    assert len(fake_livekit.sip_writes()) == writes  # the staff line is the agent's business, not LiveKit's
    entry = AuditEntry.objects.filter(object_id=str(line_a.pk), changes__has_key="staff_number").get()
    assert (entry.actor, entry.tenant_id, entry.changes["staff_number"]) == (
        world_a.owner,
        world_a.tenant.pk,
        ["", STAFF],
    )


def test_the_staff_line_cannot_be_a_number_the_agent_answers(world_a, line_a):
    url = reverse("admin:telephony_phonenumber_change", args=[line_a.pk])
    response = client_for(world_a.owner).post(url, {"staff_number": NUMBER})
    assert response.status_code == 200 and "not a number the agent answers" in response.content.decode()


def test_a_member_sees_the_number_and_changes_nothing(world_a, line_a):
    client = client_for(world_a.member)
    url = reverse("admin:telephony_phonenumber_change", args=[line_a.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"staff_number": STAFF}).status_code == 403
    line_a.refresh_from_db()
    assert line_a.staff_number == ""


@pytest.mark.parametrize("who", ["other_owner", "other_member", "outsider"])
def test_others_see_nothing_and_change_nothing(who, world_a, world_b, outsider, line_a):
    user = {"other_owner": world_b.owner, "other_member": world_b.member, "outsider": outsider}[who]
    client = client_for(user)
    listing = client.get(reverse("admin:telephony_phonenumber_changelist"))
    assert "7946 0123" not in listing.content.decode()
    url = reverse("admin:telephony_phonenumber_change", args=[line_a.pk])
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {"staff_number": STAFF, "restaurant": world_b.restaurant.pk}).status_code in (
        403,
        404,
    )
    delete = reverse("admin:telephony_phonenumber_delete", args=[line_a.pk])
    assert client.post(delete, {"post": "yes"}).status_code in (403, 404)
    line_a.refresh_from_db()
    assert (line_a.staff_number, line_a.restaurant_id) == ("", world_a.restaurant.pk)


def test_only_operators_add_or_delete_numbers(world_a, line_a):
    client = client_for(world_a.owner)
    assert client.get(reverse("admin:telephony_phonenumber_add")).status_code == 403
    delete = reverse("admin:telephony_phonenumber_delete", args=[line_a.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert PhoneNumber.objects.filter(pk=line_a.pk).exists()
