"""Issue 19 (5): the admin's "View site" takes an owner to their own restaurants, never to the demo group
or another tenant's; operators keep the demo page."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from tenants.selectors import DEMO_TENANT_SLUG
from tenants.tests.factories import RestaurantFactory, TenantFactory

pytestmark = pytest.mark.django_db


def _view_site_link(client: Client) -> str:
    page = client.get("/admin/").content.decode()
    match = re.search(r'<a href="([^"]+)"[^>]*>\s*View site\s*</a>', page)
    assert match, "the admin shows a View site link"
    return match.group(1)


def test_an_owners_view_site_is_their_own_restaurants(world_a, world_b):
    demo = TenantFactory(name="Demo", slug=DEMO_TENANT_SLUG)
    RestaurantFactory(tenant=demo, name="Demo Trattoria")
    world_a.restaurant.went_live_at = timezone.now()
    world_a.restaurant.save()
    client = world_a.client_for(world_a.owner)

    link = _view_site_link(client)
    assert link == "/your-restaurants/"
    page = client.get(link).content.decode()
    assert "Alpha Bistro" in page and f'data-hostline-restaurant="{world_a.restaurant.public_id}"' in page
    assert "Bravo Bistro" not in page and world_b.restaurant.public_id not in page
    assert "Demo Trattoria" not in page


def test_staff_see_their_tenants_restaurants_and_outsiders_see_none(world_a, world_b, outsider):
    world_a.restaurant.went_live_at = None
    world_a.restaurant.save()
    staff_page = world_a.client_for(world_a.member).get("/your-restaurants/").content.decode()
    assert "Alpha Bistro" in staff_page and "Bravo Bistro" not in staff_page
    # Not live yet: no talk button, and it says what to do.
    assert "press “Go live”" in staff_page and "data-hostline-restaurant" not in staff_page

    nothing = world_a.client_for(outsider).get("/your-restaurants/").content.decode()
    assert "You have no restaurants on Hostline yet." in nothing
    assert "Alpha Bistro" not in nothing and "Bravo Bistro" not in nothing


def test_signed_out_visitors_are_sent_to_sign_in():
    response = Client().get("/your-restaurants/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_operators_view_site_stays_the_demo_page(operator):
    client = Client()
    client.force_login(operator)
    assert _view_site_link(client) == "/"
