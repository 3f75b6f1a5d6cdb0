"""Booking emails: to the diner when they gave an address, and a notice to the restaurant.

Sent by the Celery task in bookings/tasks.py after the booking's transaction committed. Each email is
claimed in `BookingEmail` before it is sent, so a redelivered task never sends the same email twice; a
failed send releases its claim and the task retries.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from bookings.models import Booking, BookingEmail, BookingSettings
from bookings.spoken import spoken_datetime

logger = logging.getLogger(__name__)
EMAIL_TIMEOUT_SECONDS = 10

SUBJECTS = {
    "confirmed": "Your table at {restaurant} is booked ({reference})",
    "requested": "Your booking request at {restaurant} ({reference})",
    "changed": "Your booking at {restaurant} has changed ({reference})",
    "cancelled": "Your booking at {restaurant} is cancelled ({reference})",
}
LINES = {
    "confirmed": "Your table for {party} on {when} is booked.",
    "requested": "We have your request for {party} on {when}. The restaurant will confirm it with you.",
    "changed": "Your booking is now for {party} on {when}.",
    "cancelled": "Your booking for {party} on {when} is cancelled.",
}


def _claim(booking: Booking, event: str, recipient: str) -> BookingEmail | None:
    try:
        with transaction.atomic():
            return BookingEmail.objects.create(booking=booking, event=event, recipient=recipient)
    except IntegrityError:
        return None  # already sent (or being sent) by an earlier delivery of this task


def booking_emails_send(*, booking_id: int, event: str) -> int:
    """Send the emails for one event of one booking; returns how many were sent now."""
    booking = Booking.objects.select_related("restaurant").filter(pk=booking_id).first()
    kind = event.split("@", 1)[0]
    if booking is None or kind not in SUBJECTS:
        logger.warning("booking email skipped: booking=%s event=%s", booking_id, event)
        return 0
    restaurant = booking.restaurant
    if kind == "changed":
        event = f"changed@{booking.start_at:%Y%m%d%H%M}"  # each new time is worth one email
    notify = (
        BookingSettings.objects.filter(restaurant=restaurant).values_list("notify_email", flat=True).first()
    )
    words = {
        "restaurant": restaurant.name,
        "reference": booking.reference,
        "party": f"{booking.party_size} {'person' if booking.party_size == 1 else 'people'}",
        "when": spoken_datetime(booking.start_at, restaurant.timezone),
    }
    messages = []
    if booking.email:
        body = (
            f"Hello {booking.name},\n\n{LINES[kind].format(**words)}\n"
            f"Your booking reference is {booking.reference}.\n\n{restaurant.name}\n"
            f"{restaurant.address}\n{restaurant.phone}\n"
        )
        messages.append(("diner", booking.email, SUBJECTS[kind].format(**words), body))
    if notify:
        body = (
            f"{kind.capitalize()}: {booking.name}, {words['party']}, {words['when']} "
            f"(reference {booking.reference}, via {booking.get_channel_display()}).\n"
            f"Phone: {booking.phone or '—'}  Email: {booking.email or '—'}\nNotes: {booking.notes or '—'}\n"
        )
        messages.append(
            ("restaurant", notify, f"[{restaurant.name}] Booking {kind}: {booking.reference}", body)
        )
    sent = 0
    connection = get_connection(timeout=EMAIL_TIMEOUT_SECONDS)
    for recipient, address, subject, body in messages:
        claim = _claim(booking, event, recipient)
        if claim is None:
            continue
        try:
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address], connection=connection).send()
        except Exception:
            claim.delete()  # let the retry send it
            raise
        claim.sent_at = timezone.now()
        claim.save(update_fields=["sent_at", "updated_at"])
        sent += 1
    return sent
