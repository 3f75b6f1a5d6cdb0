"""Phone calls in the owners' admin: caller numbers masked in lists and whole for owners, messages listed unread."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from calls.models import CallRecord, Message
from calls.tasks import call_record_save, message_email_send
from calls.tests.factories import call_payload

pytestmark = pytest.mark.django_db

CALLER = "+447700900123"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def phone_call(world, **extra) -> CallRecord:
    payload = call_payload(world.restaurant, channel="phone", caller_number=CALLER, **extra)
    with_messages = call_record_save.delay(payload).get()
    return CallRecord.objects.get(pk=with_messages)


@pytest.fixture
def message_call(world_a, django_capture_on_commit_callbacks) -> CallRecord:
    with django_capture_on_commit_callbacks(execute=True):
        return phone_call(
            world_a,
            messages=[
                {
                    "caller_name": "Sam Diner",
                    "callback_number": CALLER,
                    "about": "Table for a birthday next week",
                    "at": "2030-01-07T18:00:00+00:00",
                }
            ],
        )


def test_an_older_workers_record_is_a_web_call_with_no_caller(world_a):
    record = CallRecord.objects.get(pk=call_record_save.delay(call_payload(world_a.restaurant)).get())
    assert (record.channel, record.caller_number) == ("web", "")


def test_lists_mask_the_callers_number_and_the_owners_record_page_shows_it(world_a):
    record = phone_call(world_a)
    owner = client_for(world_a.owner)
    listing = owner.get(reverse("admin:calls_callrecord_changelist")).content.decode()
    assert "+44 ••• 0123" in listing and "900123" not in listing
    page = owner.get(reverse("admin:calls_callrecord_change", args=[record.pk])).content.decode()
    assert "+44 7700 900123" in page
    # A staff member of the same tenant sees the record, not the whole number.
    member_page = client_for(world_a.member).get(reverse("admin:calls_callrecord_change", args=[record.pk]))
    assert (
        "+44 ••• 0123" in member_page.content.decode() and "7700 900123" not in member_page.content.decode()
    )


def test_a_message_is_emailed_once_and_listed_unread_until_opened(world_a, message_call):
    message = Message.objects.get()
    assert "Mon 07 Jan 2030, 18:00 (Europe/London)" in mail.outbox[0].body  # the restaurant's own time
    assert [m.to for m in mail.outbox] == [[world_a.owner.email]]
    assert message_email_send.delay(message.pk).get() is False  # redelivered: not sent again
    assert len(mail.outbox) == 1

    owner = client_for(world_a.owner)
    listing = owner.get(reverse("admin:calls_message_changelist")).content.decode()
    assert "(1 unread)" in listing and "Sam Diner" in listing and "+44 7700 900123" in listing
    Restaurant = type(world_a.restaurant)
    Restaurant.objects.filter(pk=world_a.restaurant.pk).update(timezone="America/New_York")
    listing = owner.get(reverse("admin:calls_message_changelist")).content.decode()
    assert "Mon 07 Jan 2030, 13:00 (America/New_York)" in listing
    page = owner.get(reverse("admin:calls_message_change", args=[message.pk])).content.decode()
    assert "Table for a birthday" in page
    message.refresh_from_db()
    assert not message.is_unread
    assert "unread)" not in owner.get(reverse("admin:calls_message_changelist")).content.decode()
    record_page = owner.get(reverse("admin:calls_callrecord_change", args=[message_call.pk])).content.decode()
    assert "Sam Diner" in record_page


@pytest.mark.parametrize("who", ["other_owner", "other_member", "outsider"])
def test_others_see_no_message_and_mark_nothing_read(who, world_a, world_b, outsider, message_call):
    user = {"other_owner": world_b.owner, "other_member": world_b.member, "outsider": outsider}[who]
    client = client_for(user)
    message = Message.objects.get()
    listing = client.get(reverse("admin:calls_message_changelist"))
    assert "Sam Diner" not in listing.content.decode()
    assert client.get(reverse("admin:calls_message_change", args=[message.pk])).status_code in (403, 404)
    client.post(
        reverse("admin:calls_message_changelist"),
        {"action": "mark_read", "_selected_action": [message.pk]},
    )
    record = client.get(reverse("admin:calls_callrecord_change", args=[message_call.pk]))
    assert record.status_code in (403, 404)
    message.refresh_from_db()
    assert message.is_unread


def test_the_action_marks_messages_read_for_the_tenants_people(world_a, message_call):
    message = Message.objects.get()
    response = client_for(world_a.member).post(
        reverse("admin:calls_message_changelist"),
        {"action": "mark_read", "_selected_action": [message.pk]},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert not message.is_unread
