"""End to end through a real Celery worker process, the real Redis broker and the real Postgres."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from calls.models import CallRecord
from calls.tasks import call_record_save
from calls.tests.factories import call_payload
from config.celery import app

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_queue() -> Iterator[str]:
    """A real worker consuming a queue of its own, on the test database pytest-django created."""
    queue = f"test-calls-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
    }
    worker = subprocess.Popen(
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
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        try:
            output = worker.communicate(timeout=20)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            worker.kill()
            output = worker.communicate()[0].decode(errors="replace")
        if "Traceback" in output:
            print(output)  # shown by pytest when the test fails


def _wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_finished_session_becomes_one_record_even_when_delivered_twice(world_a, celery_queue):
    payload = call_payload(world_a.restaurant)
    call_record_save.apply_async(args=[payload], queue=celery_queue)
    call_record_save.apply_async(args=[payload], queue=celery_queue)  # a redelivery

    assert _wait_for(lambda: CallRecord.objects.filter(job_id=payload["job_id"]).exists()), (
        "the worker stored nothing"
    )
    # Let the second delivery run too, then prove it did not add a row.
    marker = call_payload(world_a.restaurant)
    call_record_save.apply_async(args=[marker], queue=celery_queue)
    assert _wait_for(lambda: CallRecord.objects.filter(job_id=marker["job_id"]).exists())
    record = CallRecord.objects.get(job_id=payload["job_id"])
    assert CallRecord.objects.filter(job_id=payload["job_id"]).count() == 1
    assert record.restaurant == world_a.restaurant
    assert record.transcript[0]["text"].startswith("Welcome to")
