"""With Postgres unreachable, owners and operators read a plain "back shortly" 503, never a crash page."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def _database_down():
    # The first query of an admin request is the session's; make it fail as a refused connection does.
    return mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("connection refused"),
    )


def test_the_admin_answers_a_plain_503_with_retry_after_when_the_database_is_down(world_a):
    client = Client(raise_request_exception=False)
    client.force_login(world_a.owner)
    with _database_down():
        response = client.get("/admin/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "cannot reach its database" in response.content.decode()


def test_other_errors_are_still_500(world_a):
    client = Client(raise_request_exception=False)
    client.force_login(world_a.owner)
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=ValueError("bug")):
        response = client.get("/admin/")
    assert response.status_code == 500
