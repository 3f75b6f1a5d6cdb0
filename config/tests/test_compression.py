"""Pages go gzipped to a browser that asks (every browser does): an owner's admin page on a long menu is
hundreds of KB of HTML, which a phone on a mobile network would otherwise wait for."""

from __future__ import annotations

import gzip

import pytest
from django.urls import reverse

from tenants.tests.factories import MenuCategoryFactory, MenuItemFactory

pytestmark = pytest.mark.django_db


def test_an_owners_menu_page_is_sent_gzipped_and_reads_the_same(world_a):
    category = MenuCategoryFactory(restaurant=world_a.restaurant, name="Mains")
    for n in range(40):
        MenuItemFactory(category=category, name=f"Dish number {n}")
    client = world_a.client_for(world_a.owner)
    url = reverse("admin:tenants_menuitem_changelist") + f"?restaurant__id__exact={world_a.restaurant.pk}"

    plain = client.get(url)
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert plain.status_code == zipped.status_code == 200
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    html = gzip.decompress(zipped.content).decode()
    assert "Dish number 39" in html
    assert len(zipped.content) * 5 < len(plain.content)


def test_json_answers_are_never_compressed(world_a):
    # A JSON body may carry a token beside what the request sent: no compressed sizes to read (BREACH).
    client = world_a.client_for(world_a.owner)
    response = client.get(
        f"/api/restaurant-status?restaurant={world_a.restaurant.public_id}", HTTP_ACCEPT_ENCODING="gzip"
    )
    assert response["Content-Type"].startswith("application/json")
    assert "Content-Encoding" not in response
