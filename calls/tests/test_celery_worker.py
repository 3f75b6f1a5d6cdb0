"""End to end through a real Celery worker process, the real Redis broker and the real Postgres."""

from __future__ import annotations

import time

import pytest

from calls.models import CallRecord
from calls.tasks import call_record_save
from calls.tests.factories import call_payload

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


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
