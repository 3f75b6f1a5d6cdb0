"""Browsers ask for /favicon.ico on every visit: they get Hostline's icon, not a 404 in the logs."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_the_icon_and_the_admin_names_it(world_a):
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("hostline/favicon.svg")

    html = world_a.client_for(world_a.owner).get(reverse("admin:index")).content.decode()
    assert 'rel="icon"' in html and "hostline/favicon.svg" in html
