"""The outbox survives a Celery worker killed mid-delivery: once a worker is back, the event is delivered."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction

from webhooks import services
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.services import event_emit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]
ROOT = Path(__file__).resolve().parents[2]


def _start_worker(queue: str) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": django_settings.REDIS_URL,
        "WEBHOOK_ALLOW_HTTP": "true",
        "WEBHOOK_ALLOWED_INTERNAL_HOSTS": "127.0.0.1",
        "WEBHOOK_LEASE_SECONDS": "3",
        "WEBHOOK_TIMEOUT_SECONDS": "60",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture
def webhook_queue() -> Any:
    from config.celery import app

    queue = f"test-webhooks-{uuid.uuid4().hex[:8]}"
    routes, eager = app.conf.task_routes, app.conf.task_always_eager
    app.conf.task_routes = {"webhooks.tasks.*": {"queue": queue}}
    _reroute(app)
    app.conf.task_always_eager = False
    yield queue
    app.conf.task_routes, app.conf.task_always_eager = routes, eager
    _reroute(app)


def _reroute(app: Any) -> None:
    # Celery builds its router once per process (a cached property); rebuild it from the current routes.
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)


def _wait(condition: Any, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_worker_killed_mid_delivery_loses_nothing(world_a, receiver, webhook_queue, settings):
    settings.WEBHOOK_LEASE_SECONDS = 3
    receiver.script = [("sleep", 60), 200]  # the first attempt hangs: the worker is killed inside it
    endpoint = WebhookEndpoint.objects.create(tenant=world_a.tenant, url=receiver.url)
    first = _start_worker(webhook_queue)
    try:
        with transaction.atomic():
            event = event_emit(tenant_id=world_a.tenant.pk, type="menu.changed", data={"change": "edited"})
        assert _wait(lambda: len(receiver.received) == 1), "the worker never started the delivery"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    delivery = WebhookDelivery.objects.get(event=event)
    assert delivery.status == "pending" and delivery.locked_until is not None  # held by the dead worker

    second = _start_worker(webhook_queue)
    try:
        # Beat runs the sweep every 30 s; here, as soon as the dead worker's lease has run out.
        assert _wait(lambda: services.deliveries_sweep() > 0, timeout=15)
        assert _wait(lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == "succeeded")
    finally:
        second.terminate()
        second.wait(timeout=20)
    assert len(receiver.received) == 2
    assert (
        receiver.received[0].headers["webhook-id"]
        == receiver.received[1].headers["webhook-id"]
        == event.event_id
    )
    assert receiver.verifies(endpoint.secret)
