"""After-commit work and the snapshot flag: emails sent once, the agent told when bookings switch on,
and the zero-configuration SQLite run still migrates."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import transaction

from bookings.models import Booking, BookingEmail, BookingSettings
from bookings.services import booking_cancel, booking_create
from bookings.tasks import booking_notify
from bookings.tests.conftest import NOW, SATURDAY
from tenants.cache import restaurant_snapshot_get

pytestmark = pytest.mark.django_db
SEVEN_PM = dt.datetime.combine(SATURDAY, dt.time(19, 0), tzinfo=ZoneInfo("Europe/London"))


def _book(world, **extra) -> Booking:
    return booking_create(
        restaurant=world.restaurant,
        start=SEVEN_PM,
        party_size=2,
        name="Ada",
        phone="+447911123456",
        email="ada@example.com",
        now=NOW,
        **extra,
    )


def test_emails_wait_for_the_commit_and_a_rolled_back_booking_sends_none(
    bookable, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _book(bookable)
        assert mail.outbox == []  # not before the commit
        raise RuntimeError("the caller's transaction fails after booking")
    assert callbacks == [] and mail.outbox == [] and not Booking.objects.exists()


def test_confirmation_and_cancellation_each_email_the_diner_and_the_restaurant_once(
    bookable, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = _book(bookable)
    diner = next(m for m in mail.outbox if m.to == ["ada@example.com"])
    assert diner.subject == f"Your table at Alpha Bistro is booked ({booking.reference})"
    assert "Your table for 2 people on Saturday 12 January at 19:00 is booked." in diner.body
    assert len(mail.outbox) == 2
    # A redelivered task (acks_late, a worker lost mid-send) sends nothing twice.
    assert booking_notify(booking.pk, "confirmed") == 0
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking)
    assert len(mail.outbox) == 4
    assert "cancelled" in mail.outbox[-1].subject.lower()
    assert BookingEmail.objects.filter(booking=booking).count() == 4


def test_the_task_tolerates_unknown_events_and_missing_bookings(bookable):
    assert booking_notify(999999, "confirmed") == 0
    assert booking_notify(1, "some-future-event") == 0


def test_switching_bookings_on_reaches_the_agents_snapshot_at_once(
    bookable, django_capture_on_commit_callbacks
):
    public_id = bookable.restaurant.public_id
    assert restaurant_snapshot_get(public_id=public_id).bookings_enabled is True
    with django_capture_on_commit_callbacks(execute=True):
        BookingSettings.objects.filter(restaurant=bookable.restaurant).get().delete()
    assert restaurant_snapshot_get(public_id=public_id).bookings_enabled is False


def test_migrations_apply_on_sqlite_for_the_zero_configuration_run(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", DEBUG="true")
    code = (
        "import django; from django.conf import settings; django.setup();"
        f"settings.DATABASES['default']['NAME'] = {str(tmp_path / 'db.sqlite3')!r};"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from django.db import connection; print(connection.vendor, 'bookings_bookingtable' in connection.introspection.table_names())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parents[2],
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "sqlite True"


def test_the_demo_seed_switches_bookings_on_once_and_keeps_owners_edits(db):
    from bookings.demo import demo_bookings_seed
    from bookings.models import Table
    from tenants.demo import demo_tenant_seed
    from tenants.selectors import demo_restaurant_list

    demo_tenant_seed(owner_password=None)
    count = demo_bookings_seed()
    restaurants = list(demo_restaurant_list())
    assert count == len(restaurants) > 1
    assert all(BookingSettings.objects.get(restaurant=r).enabled for r in restaurants)
    assert Table.objects.filter(restaurant=restaurants[-1], is_virtual=True).count() == 30
    BookingSettings.objects.filter(restaurant=restaurants[0]).update(slot_interval_minutes=30)
    demo_bookings_seed()
    assert BookingSettings.objects.get(restaurant=restaurants[0]).slot_interval_minutes == 30
    assert Table.objects.filter(restaurant=restaurants[0]).count() == 6
