"""Owners manage their tenant's allowed websites (issue 19, item 4): validated, normalised, effective at
the next call start; staff members, other tenants and outsiders see and change nothing."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tenants.cache import restaurant_snapshot_get
from tenants.models import AllowedOrigin, origin_normalise
from tenants.tests.factories import AllowedOriginFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:tenants_allowedorigin_changelist")
ADD = reverse("admin:tenants_allowedorigin_add")


def origins(tenant) -> list[str]:
    return sorted(AllowedOrigin.objects.filter(tenant=tenant).values_list("origin", flat=True))


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("https://www.casanova.example", "https://www.casanova.example"),
        ("  HTTPS://WWW.CasaNova.Example/ ", "https://www.casanova.example"),
        ("https://casanova.example:443", "https://casanova.example"),  # browsers omit default ports
        ("http://localhost:8080", "http://localhost:8080"),
        ("https://café.example", "https://xn--caf-dma.example"),  # as the Origin header spells it
    ],
)
def test_origins_are_stored_as_browsers_send_them(typed, stored):
    assert origin_normalise(typed) == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("www.casanova.example", "has no https://"),
        ("https://casanova.example/menu", "has a path or query"),
        ("https://casanova.example?x=1", "has a path or query"),
        ("ftp://casanova.example", "starts with ftp://"),
        ("https://casanova.example:99999", "not a number from 1 to 65535"),
        ("https://user:pw@casanova.example", "user name or password"),
        ("https://bad_host!.example", "no valid host name"),
        ("", "Enter a website"),
    ],
)
def test_a_wrong_origin_says_what_to_type(typed, says):
    with pytest.raises(ValidationError) as exc:
        origin_normalise(typed)
    assert says in exc.value.messages[0]


def test_an_owner_adds_and_removes_a_website_and_the_next_call_start_obeys(
    world_a, fake_livekit, django_capture_on_commit_callbacks
):
    client = world_a.client_for(world_a.owner)
    public_id = world_a.restaurant.public_id
    restaurant_snapshot_get(public_id=public_id)  # cached, without the new website

    def call_start() -> int:
        return (
            Client()
            .post(
                "/api/connection-details",
                data=json.dumps({"restaurant_id": public_id}),
                content_type="application/json",
                HTTP_ORIGIN="https://www.casanova.example",
            )
            .status_code
        )

    assert call_start() == 404  # refused: this website is not the restaurant's
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD, {"origin": " HTTPS://www.CasaNova.example/ "})
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert origins(world_a.tenant) == ["https://www.casanova.example"]
    assert "https://www.casanova.example" in client.get(LIST).content.decode()

    assert call_start() == 200, "effective at the next call start"

    origin = AllowedOrigin.objects.get(tenant=world_a.tenant)
    delete = reverse("admin:tenants_allowedorigin_delete", args=[origin.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(delete, {"post": "yes"}).status_code == 302
    assert origins(world_a.tenant) == []
    assert call_start() == 404  # refused: this website is not the restaurant's


def test_a_duplicate_or_malformed_website_is_refused_with_a_clear_error(world_a):
    AllowedOriginFactory(tenant=world_a.tenant, origin="https://www.casanova.example")
    client = world_a.client_for(world_a.owner)

    duplicate = client.post(ADD, {"origin": "https://WWW.casanova.example/"}).content.decode()
    path = client.post(ADD, {"origin": "https://www.casanova.example/menu"}).content.decode()

    assert "https://www.casanova.example is already allowed." in duplicate
    assert "has a path or query after the host" in path
    assert origins(world_a.tenant) == ["https://www.casanova.example"]


def test_the_snippet_help_links_to_the_page_where_owners_manage_websites(world_a):
    AllowedOriginFactory(tenant=world_a.tenant, origin="https://alpha.example")
    client = world_a.client_for(world_a.owner)
    page = client.get(
        reverse("admin:tenants_restaurant_change", args=[world_a.restaurant.pk])
    ).content.decode()
    assert f'<a href="{LIST}">your allowed websites</a>' in page
    assert "Allowed now: https://alpha.example" in page


def test_staff_other_tenants_and_outsiders_see_and_change_nothing(world_a, world_b, outsider):
    mine = AllowedOriginFactory(tenant=world_a.tenant, origin="https://alpha.example")
    change = reverse("admin:tenants_allowedorigin_change", args=[mine.pk])
    delete = reverse("admin:tenants_allowedorigin_delete", args=[mine.pk])
    for user in (world_a.member, world_b.owner, world_b.member, outsider):
        client = world_a.client_for(user)
        listing = client.get(LIST)
        assert listing.status_code in (403, 200)
        assert "alpha.example" not in listing.content.decode()
        assert client.get(change).status_code in (403, 404)
        assert client.post(change, {"origin": "https://evil.example"}).status_code in (403, 404)
        assert client.post(delete, {"post": "yes"}).status_code in (403, 404)
        client.post(ADD, {"origin": "https://evil.example", "tenant": world_a.tenant.pk})
        index = client.get(reverse("admin:index")).content.decode()
        if user is not world_b.owner:
            assert "Allowed websites" not in index
    assert origins(world_a.tenant) == ["https://alpha.example"]
    # Only Bravo's owner added anything, and to Bravo: the tenant field is not theirs to choose.
    assert list(
        AllowedOrigin.objects.filter(origin="https://evil.example").values_list("tenant", flat=True)
    ) == [world_b.tenant.pk]


def test_an_owner_of_one_tenant_cannot_add_a_website_to_another(world_a, world_b):
    client = world_a.client_for(world_a.owner)
    client.post(ADD, {"origin": "https://sneaky.example", "tenant": world_b.tenant.pk})
    assert origins(world_b.tenant) == []
    assert origins(world_a.tenant) == ["https://sneaky.example"], "the tenant field is ignored: their own"
