"""Issue 19.10: the API docs page is served entirely by this server (Redoc from drf-spectacular-sidecar),
so it renders offline and under the Content-Security-Policy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from web.views import REDOC_BUNDLE

pytestmark = pytest.mark.django_db


def test_the_docs_page_references_no_other_host():
    page = Client().get("/api/docs/").content.decode()

    addresses = re.findall(r'(?:src|href|spec-url)="([^"]*)"', page)
    assert "/api/docs/redoc.standalone.js" in addresses and "/api/schema/" in addresses
    assert all(a.startswith("/") and not a.startswith("//") for a in addresses), addresses
    assert "http://" not in page and "https://" not in page


def test_redoc_is_the_sidecars_copy_without_the_cdn_logo():
    response = Client().get("/api/docs/redoc.standalone.js")
    sidecar = Path(finders.find(REDOC_BUNDLE)).read_bytes()

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert b"cdn.redoc.ly" in sidecar, "the sidecar's Redoc still asks Redocly's CDN for its logo"
    assert b"cdn.redoc.ly" not in response.content
    assert len(response.content) == len(sidecar) - len(b"https://cdn.redoc.ly/redoc/logo-mini.svg")
