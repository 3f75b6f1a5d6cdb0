"""Issue 17.10: every bad body sent to the API gets a JSON answer saying what is wrong, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

URL = "/api/connection-details"


def send(body: bytes, content_type: str = "application/json"):
    client = Client(raise_request_exception=False)
    return client.post(URL, data=body, content_type=content_type, HTTP_ORIGIN="https://alpha.example")


@pytest.mark.parametrize(
    ("name", "body", "status", "error", "words"),
    [
        ("100k-deep array", b"[" * 100_000 + b"]" * 100_000, 413, "request_too_large", "at most"),
        (
            "5k-deep in a field",
            b'{"restaurant_id": ' + b"[" * 5000 + b"]" * 5000 + b"}",
            400,
            "parse_error",
            "too deep",
        ),
        (
            "a deep context",
            b'{"restaurant_id": "r_1", "context": ' + b'{"a": ' * 200 + b"1" + b"}" * 200 + b"}",
            400,
            "invalid_request",
            "context",
        ),
        ("3 MB", b'{"restaurant_id": "' + b"a" * 3_000_000 + b'"}', 413, "request_too_large", "at most"),
        ("latin-1", '{"restaurant_id": "café"}'.encode("latin-1"), 400, "parse_error", "not UTF-8"),
        ("UTF-16", '{"restaurant_id": "r_1"}'.encode("utf-16"), 400, "parse_error", "not UTF-8"),
        (
            "a 10,000-digit number",
            b'{"restaurant_id": ' + b"9" * 10_000 + b"}",
            400,
            "parse_error",
            "JSON parse error",
        ),
        ("NaN", b'{"restaurant_id": NaN}', 400, "parse_error", "NaN"),
        ("not JSON", b"hello", 400, "parse_error", "JSON parse error"),
        ("truncated", b'{"restaurant_id": "r_', 400, "parse_error", "JSON parse error"),
        ("a list", b"[1]", 400, "invalid_request", "not valid"),
        ("NUL in a field", b'{"restaurant_id": "r\\u0000"}', 400, "invalid_request", "not valid"),
    ],
)
def test_a_bad_body_gets_a_json_error_saying_what_is_wrong(world_a, name, body, status, error, words):
    response = send(body)

    assert response.status_code == status, name
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == error
    assert words in response.json()["detail"], response.json()


def test_a_form_body_is_refused_in_json_too(world_a):
    response = send(b"restaurant_id=r_1", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response.json()["error"] == "parse_error"


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (b"[" * 100_000 + b"]" * 100_000, 413, "larger than"),
        (b'{"a": ' * 100 + b"1" + b"}" * 100, 400, "nested more than 16 levels"),
        ('{"a": "café"}'.encode("latin-1"), 400, "not UTF-8"),
        (b'{"a": NaN}', 400, "NaN"),
        (b'{"a": ' + b"9" * 10_000 + b"}", 400, "JSON parse error"),
    ],
)
def test_drf_apis_parse_bodies_the_same_careful_way(status, body, words, rf, settings):
    """The parser every DRF API uses (the tenant API to come), tried on a minimal DRF view."""
    from rest_framework.response import Response
    from rest_framework.views import APIView

    class Echo(APIView):
        def post(self, request):
            return Response({"keys": sorted(request.data)})

    request = rf.post("/echo", data=body, content_type="application/json")
    response = Echo.as_view()(request)

    assert response.status_code == status
    assert words in response.data["detail"]
