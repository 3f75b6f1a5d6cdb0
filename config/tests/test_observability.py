"""Request ids, structured logs and Prometheus metrics, as an operator reading them would see them."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.test import Client
from prometheus_client import REGISTRY

from config.logging import ContextFilter, HostlineJsonFormatter, log_context
from tenants.cache import restaurant_snapshot_get
from tenants.tests.factories import AllowedOriginFactory

pytestmark = pytest.mark.django_db

URL = "/api/connection-details"


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def json_logs():
    """Every log line as the production JSON formatter writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(HostlineJsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_every_response_carries_a_request_id_and_a_sane_incoming_one_is_kept():
    fresh = Client().get("/healthz")
    kept = Client().get("/healthz", HTTP_X_REQUEST_ID="lb-1234abcd")
    forged = Client().get("/healthz", HTTP_X_REQUEST_ID="x\nFAKE LOG LINE level=ERROR")

    assert len(fresh["X-Request-ID"]) == 32
    assert kept["X-Request-ID"] == "lb-1234abcd"
    assert forged["X-Request-ID"] != "x\nFAKE LOG LINE level=ERROR" and len(forged["X-Request-ID"]) == 32


def test_a_dispatch_logs_json_with_the_request_id_room_and_restaurant(world_a, fake_livekit, json_logs):
    AllowedOriginFactory(tenant=world_a.tenant, origin="https://alpha.example")

    response = Client().post(
        URL,
        data=json.dumps({"restaurant_id": world_a.restaurant.public_id}),
        content_type="application/json",
        HTTP_ORIGIN="https://alpha.example",
        HTTP_X_REQUEST_ID="req-0001-abcd",
    )

    assert response.status_code == 200
    [line] = [entry for entry in json_logs() if entry["message"] == "session created"]
    assert line["request_id"] == "req-0001-abcd" == response["X-Request-ID"]
    assert line["room"] == response.json()["roomName"]
    assert line["restaurant_id"] == world_a.restaurant.public_id
    assert line["level"] == "INFO" and "time" in line
    [dispatch] = fake_livekit.dispatches
    assert json.loads(dispatch.message["metadata"])["request_id"] == "req-0001-abcd", "the worker logs it too"


def test_log_lines_outside_any_request_carry_no_empty_ids(json_logs):
    logging.getLogger("hostline.test").warning("plain")
    with log_context(room="hl-room-1"):
        logging.getLogger("hostline.test").warning("in a call")

    plain, in_call = json_logs()[-2:]
    assert "request_id" not in plain and "room" not in plain
    assert in_call["room"] == "hl-room-1"


def test_metrics_are_off_without_a_token_and_refused_with_a_wrong_one(settings):
    settings.METRICS_TOKEN = ""
    assert Client().get("/metrics").status_code == 404
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    refused = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong")
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    assert Client().get("/metrics").status_code == 403


def test_metrics_count_dispatches_errors_and_cache_hits(world_a, fake_livekit, settings):
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    AllowedOriginFactory(tenant=world_a.tenant, origin="https://alpha.example")
    dispatched = sample("hostline_dispatches_total", outcome="dispatched")
    not_found = sample("hostline_api_errors_total", status="404", code="restaurant_not_found")
    hits, misses = (
        sample("hostline_snapshot_cache_total", result="hit"),
        sample("hostline_snapshot_cache_total", result="miss"),
    )
    loads = sample("hostline_snapshot_load_seconds_count")

    for restaurant_id in (world_a.restaurant.public_id, world_a.restaurant.public_id, "r_0000000000000000"):
        Client().post(
            URL,
            data=json.dumps({"restaurant_id": restaurant_id}),
            content_type="application/json",
            HTTP_ORIGIN="https://alpha.example",
        )
    restaurant_snapshot_get(public_id=world_a.restaurant.public_id)

    assert sample("hostline_dispatches_total", outcome="dispatched") == dispatched + 2
    assert sample("hostline_api_errors_total", status="404", code="restaurant_not_found") == not_found + 1
    assert (
        sample("hostline_snapshot_cache_total", result="miss") == misses + 2
    )  # the restaurant, the unknown id
    assert sample("hostline_snapshot_cache_total", result="hit") == hits + 2
    assert sample("hostline_snapshot_load_seconds_count") == loads + 2
    scraped = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    assert scraped.status_code == 200
    assert 'hostline_dispatches_total{outcome="dispatched"}' in scraped.content.decode()


def test_the_agent_workers_livekit_json_lines_carry_the_call_ids():
    """In the worker, livekit-agents owns the console; its JSON lines must still name the call."""
    from livekit.agents.cli.log import JsonFormatter as LiveKitJsonFormatter

    from config.logging import handlers_share_context

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(LiveKitJsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        handlers_share_context()
        handlers_share_context()  # idempotent: one filter
        with log_context(job_id="AJ_1", room="hl-r_1-abc", restaurant_id="r_1", request_id="req-12345678"):
            logging.getLogger("agent_worker").warning("greeting issued")
    finally:
        root.removeHandler(handler)

    line = json.loads(stream.getvalue().splitlines()[-1])
    assert (line["job_id"], line["room"], line["restaurant_id"], line["request_id"]) == (
        "AJ_1",
        "hl-r_1-abc",
        "r_1",
        "req-12345678",
    )
    assert sum(isinstance(f, ContextFilter) for f in handler.filters) == 1
