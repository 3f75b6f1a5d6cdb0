"""Table bookings: check availability, book, find, change and cancel, in the restaurant's local time.

Thin over bookings.selectors and bookings.services, which read and write Postgres live (never the
snapshot cache), off the event loop and with a time limit. What a tool returns is what the model says,
so every answer is a sentence with the date, the time in the restaurant's zone and the reference.

Safety and privacy, in the tools themselves rather than only in the prompt:
- nothing is booked, changed or cancelled until the model passes `diner_confirmed=true`, which the
  docstrings allow only after reading the details back and hearing a yes;
- a booking is found only by its reference, or by the name AND the phone number it was made with, and
  "not found" reads the same whether or not that name has a booking;
- allergies go into the notes for the restaurant; no tool ever says a dish is safe.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.utils import timezone
from livekit.agents import RunContext, function_tool
from livekit.agents.llm import Tool

from agent_worker.state import CallState
from bookings import availability
from bookings.models import Booking
from bookings.selectors import availability_inputs, booking_context, booking_find
from bookings.services import (
    BookingInvalid,
    BookingUnavailable,
    booking_cancel,
    booking_change,
    booking_create,
    booking_notes_set,
    phone_normalise,
)
from bookings.spoken import spoken_datetime, spoken_reference, spoken_time
from core.db import db_call
from core.errors import ApplicationError
from tenants.models import Restaurant

logger = logging.getLogger("agent_worker")
TOOL_TIMEOUT_SECONDS = 5.0
T = TypeVar("T")

NOT_FOUND = (
    "I found no upcoming booking with those details. Ask for the booking reference, or the name and the "
    "phone number the booking was made with, exactly as given then."
)
IDENTIFY = "To find a booking I need its reference, or both the name and the phone number it was made with."
SAFETY = (
    "The notes go to the restaurant. Do not promise that any dish is safe for an allergy: say the kitchen "
    "will be told and the staff will advise on the day."
)


async def _off_loop(fn: Callable[..., T], **kwargs: Any) -> T:
    """Database work as in a request (core.db), bounded: a slow database must not freeze the conversation."""
    return await asyncio.wait_for(db_call(fn, **kwargs), TOOL_TIMEOUT_SECONDS)


def _restaurant(state: CallState) -> Restaurant | None:
    # The call's restaurant and tenant come from the snapshot the job was planned with, never from the diner.
    snapshot = state.snapshot
    return Restaurant.objects.filter(public_id=snapshot.public_id, tenant_id=snapshot.tenant_id).first()


def _local(state: CallState, date: str, time: str) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(date.strip())
        clock = dt.time.fromisoformat(time.strip())
    except ValueError:
        return None
    # fold=0 and a round trip through UTC: a time in the spring-forward gap lands just after it.
    return (
        dt.datetime.combine(day, clock).replace(tzinfo=ZoneInfo(state.snapshot.timezone)).astimezone(dt.UTC)
    )


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def _when(state: CallState, moment: dt.datetime) -> str:
    return spoken_datetime(moment, state.snapshot.timezone)


def _alternatives_sentence(state: CallState, asked: dt.datetime, times: tuple[dt.datetime, ...]) -> str:
    if not times:
        return (
            " Nothing is free in the next week for that party; offer to take their number for the restaurant."
        )
    zone = state.snapshot.timezone
    asked_day = asked.astimezone(ZoneInfo(zone)).date()
    same_day = all(t.astimezone(ZoneInfo(zone)).date() == asked_day for t in times)
    if same_day:
        listed = ", ".join(spoken_time(t, zone) for t in times)
        return f" The nearest free times that day: {listed}."
    return " The nearest free times: " + "; ".join(_when(state, t) for t in times) + "."


def _why_not(state: CallState, result: availability.Availability, rules: availability.Rules) -> str:
    asked = f"{_when(state, result.start)} for {_people(result.party_size)}"
    phone = state.snapshot.phone or "the restaurant"
    match result.reason:
        case "bookings_off":
            return f"This restaurant does not take bookings through me. Offer its phone number: {phone}."
        case "party_too_small":
            return "That party size cannot be booked."
        case "no_table_that_size":
            return f"The restaurant has no table for {_people(result.party_size)}, even combined. Offer the phone number: {phone}."
        case "party_too_large":
            return (
                f"Parties over {rules.agent_max_party} are booked by request: I can take the details with "
                "book_table and the restaurant will confirm with the diner."
            )
        case "too_far":
            return f"Bookings open only {rules.max_days_ahead} days ahead; {asked} is further than that."
        case "too_soon":
            minutes = int(rules.min_notice.total_seconds() // 60)
            why = f"That is too soon: bookings need {minutes} minutes' notice."
        case "closed":
            why = f"The restaurant takes no bookings at {asked} (closed then, or after the last seating)."
        case _:
            why = f"Nothing is free at {asked}."
    return why + _alternatives_sentence(state, result.start, result.alternatives)


def _check_sync(state: CallState, start: dt.datetime, party_size: int) -> str:
    restaurant = _restaurant(state)
    if restaurant is None:
        return "Bookings are not available right now."
    live = availability_inputs(restaurant_id=restaurant.pk, around=start)
    if live is None:
        return "Bookings are not available right now."
    ctx, holds = live
    result = availability.check(ctx, holds, start, party_size, timezone.now())
    if result.available:
        return (
            f"Yes: a table for {_people(party_size)} is free on {_when(state, start)}. To book it, read back "
            "the day, time, party size, name and phone number, and call book_table once the diner says yes."
        )
    return _why_not(state, result, ctx.rules)


def _booked_sentence(state: CallState, booking: Booking) -> str:
    what = f"{_people(booking.party_size)} on {_when(state, booking.start_at)}, under {booking.name}"
    ref = f"The reference is {booking.reference}; say it slowly: {spoken_reference(booking.reference)}."
    if booking.status == Booking.Status.REQUESTED:
        text = (
            f"Request taken, not yet confirmed: {what}. The restaurant will confirm with the diner on "
            f"{booking.phone}. {ref}"
        )
    else:
        text = f"Booked: a table for {what}. {ref}"
    if booking.email:
        text += " A confirmation email is on its way."
    if booking.notes:
        text += " " + SAFETY
    return text


def _book_sync(state: CallState, **kwargs: Any) -> str:
    restaurant = _restaurant(state)
    if restaurant is None:
        return "Bookings are not available right now."
    start = kwargs["start"]
    try:
        booking = booking_create(
            restaurant=restaurant,
            channel=state.channel,
            call_job_id=state.job_id,
            **kwargs,
        )
    except BookingUnavailable as exc:
        if exc.availability is not None:
            ctx = booking_context(restaurant_id=restaurant.pk)
            return "Not booked. " + _why_not(
                state, exc.availability, ctx.rules if ctx else availability.Rules()
            )
        return f"Not booked: {exc.detail} Check availability again for another time."
    except ApplicationError as exc:
        return f"Not booked: {exc.detail}"
    logger.info("booking %s made on call %s for %s", booking.reference, state.job_id, start.isoformat())
    return _booked_sentence(state, booking)


def _find_sync(state: CallState, reference: str, name: str, phone: str) -> list[Booking] | str:
    restaurant = _restaurant(state)
    if restaurant is None:
        return "Bookings are not available right now."
    if not reference.strip() and not (name.strip() and phone.strip()):
        return IDENTIFY
    phone_e164 = ""
    if not reference.strip():
        ctx = booking_context(restaurant_id=restaurant.pk)
        try:
            phone_e164 = phone_normalise(phone, region=ctx.phone_region if ctx else None)
        except BookingInvalid:
            return NOT_FOUND
    found = booking_find(
        restaurant_id=restaurant.pk,
        reference=reference,
        name=name,
        phone_e164=phone_e164,
        upcoming_after=timezone.now(),
    )
    return found or NOT_FOUND


def _describe(state: CallState, booking: Booking) -> str:
    notes = f" Notes: {booking.notes}." if booking.notes else ""
    return (
        f"Booking {booking.reference}: {_people(booking.party_size)} on {_when(state, booking.start_at)}, "
        f"under {booking.name}, {booking.get_status_display().lower()}.{notes}"
    )


def _one(state: CallState, reference: str, name: str, phone: str) -> Booking | str:
    found = _find_sync(state, reference, name, phone)
    if isinstance(found, str):
        return found
    holding = [b for b in found if b.status in Booking.HOLDING]
    if not holding:
        return "That booking is already cancelled."
    if len(holding) > 1:
        return (
            "There are several bookings under that name and number: "
            + " ".join(_describe(state, b) for b in holding[:3])
            + " Ask which one (by its reference)."
        )
    return holding[0]


def _change_sync(
    state: CallState,
    reference: str,
    name: str,
    phone: str,
    start: dt.datetime | None,
    party_size: int | None,
    notes: str,
    confirmed: bool,
) -> str:
    booking = _one(state, reference, name, phone)
    if isinstance(booking, str):
        return booking
    new_start = start or booking.start_at
    new_party = party_size or booking.party_size
    if not confirmed:
        return (
            f"Not changed yet. Read back: booking {booking.reference} would become {_people(new_party)} on "
            f"{_when(state, new_start)}{' with the notes: ' + notes if notes else ''}. Ask the diner to "
            "confirm, then call change_booking again with diner_confirmed true."
        )
    try:
        if start is not None or party_size is not None:
            booking = booking_change(booking=booking, start=start, party_size=party_size)
        if notes.strip():
            booking = booking_notes_set(booking=booking, notes=notes)
    except BookingUnavailable as exc:
        if exc.availability is not None:
            ctx = booking_context(restaurant_id=booking.restaurant_id)
            return f"Not changed; booking {booking.reference} stays as it was. " + _why_not(
                state, exc.availability, ctx.rules if ctx else availability.Rules()
            )
        return f"Not changed: {exc.detail}"
    except ApplicationError as exc:
        return f"Not changed: {exc.detail}"
    text = (
        f"Changed: booking {booking.reference} is now for {_people(booking.party_size)} on "
        f"{_when(state, booking.start_at)}."
    )
    return text + (" " + SAFETY if notes.strip() else "")


def _cancel_sync(state: CallState, reference: str, name: str, phone: str, confirmed: bool) -> str:
    booking = _one(state, reference, name, phone)
    if isinstance(booking, str):
        return booking
    if not confirmed:
        return (
            f"Not cancelled yet. Read back: cancel booking {booking.reference}, {_people(booking.party_size)} "
            f"on {_when(state, booking.start_at)}? Call cancel_booking again with diner_confirmed true after "
            "the diner says yes."
        )
    booking_cancel(booking=booking)
    return (
        f"Cancelled: booking {booking.reference} for {_people(booking.party_size)} on "
        f"{_when(state, booking.start_at)}. The table is free again."
    )


@function_tool
async def check_availability(context: RunContext[CallState], date: str, time: str, party_size: int) -> str:
    """Check whether a table is free for a party at a local date and time. When it is not, the answer gives
    the nearest free times (at most three): offer those. Always check before booking.

    Args:
        date: The day, as YYYY-MM-DD (work it out from "Saturday", "tomorrow"… and today's date).
        time: The local time at the restaurant, as HH:MM in 24 hours, e.g. 19:30.
        party_size: How many people, children included.
    """
    state = context.userdata
    start = _local(state, date, time)
    if start is None:
        return 'I could not read that date or time. Use date "YYYY-MM-DD" and time "HH:MM".'
    try:
        return await _off_loop(_check_sync, state=state, start=start, party_size=int(party_size))
    except TimeoutError:
        return "The booking system is slow to answer right now. Apologise and offer to try again."


@function_tool
async def book_table(
    context: RunContext[CallState],
    date: str,
    time: str,
    party_size: int,
    name: str,
    phone: str,
    diner_confirmed: bool,
    email: str = "",
    notes: str = "",
) -> str:
    """Book a table. First read back the day, time, party size, name and phone number and ask the diner to
    confirm; set diner_confirmed to true only after they said yes. Tell them the reference it returns.

    Args:
        date: The day, as YYYY-MM-DD.
        time: The local time, as HH:MM in 24 hours.
        party_size: How many people.
        name: The name the booking is under.
        phone: A phone number to reach the diner, with the country code when they give one.
        diner_confirmed: True only once the diner has heard the details read back and said yes.
        email: Optional: an email address for a confirmation email.
        notes: Optional: allergies, a high chair, a wheelchair, an occasion, in the diner's words.
    """
    state = context.userdata
    start = _local(state, date, time)
    if start is None:
        return 'I could not read that date or time. Use date "YYYY-MM-DD" and time "HH:MM".'
    caller = (state.phone.caller_number if state.phone else None) or ""
    if not phone.strip():
        if caller:
            return f"Ask whether to use the number they are calling from, {caller}, and read it back."
        return "Ask for a phone number the restaurant can reach the diner on."
    if not diner_confirmed:
        return (
            f"Not booked yet. Read back: a table for {_people(int(party_size))} on {_when(state, start)}, "
            f"under {name}, phone {phone}{', notes: ' + notes if notes else ''}. Ask the diner to confirm, "
            "then call book_table again with diner_confirmed true."
        )
    try:
        return await _off_loop(
            _book_sync,
            state=state,
            start=start,
            party_size=int(party_size),
            name=name,
            phone=phone,
            email=email,
            notes=notes,
        )
    except TimeoutError:
        return "The booking system did not answer in time: the booking may not be made. Apologise and check again."


@function_tool
async def find_booking(
    context: RunContext[CallState], reference: str = "", name: str = "", phone: str = ""
) -> str:
    """Find the caller's own booking, by its reference, or by the name AND phone number it was made with.
    Never guess: without one of those, ask for them.

    Args:
        reference: The booking reference, e.g. K7P2QX. Optional if name and phone are given.
        name: The name the booking is under. Needs the phone number too.
        phone: The phone number given when booking. Needs the name too.
    """
    try:
        found = await _off_loop(
            _find_sync, state=context.userdata, reference=reference, name=name, phone=phone
        )
    except TimeoutError:
        return "The booking system is slow to answer right now. Apologise and offer to try again."
    if isinstance(found, str):
        return found
    return " ".join(_describe(context.userdata, b) for b in found[:3])


@function_tool
async def change_booking(
    context: RunContext[CallState],
    diner_confirmed: bool,
    reference: str = "",
    name: str = "",
    phone: str = "",
    new_date: str = "",
    new_time: str = "",
    new_party_size: int = 0,
    notes: str = "",
) -> str:
    """Change the caller's booking: another date or time, another party size, or notes (an allergy, a high
    chair). Identify it by reference, or by name AND phone. Read the change back and set diner_confirmed
    to true only after the diner said yes.

    Args:
        diner_confirmed: True only once the diner has heard the change read back and said yes.
        reference: The booking reference. Optional if name and phone are given.
        name: The name the booking is under.
        phone: The phone number given when booking.
        new_date: The new day as YYYY-MM-DD; empty to keep the day.
        new_time: The new local time as HH:MM; empty to keep the time.
        new_party_size: The new number of people; 0 to keep it.
        notes: Notes for the restaurant (replace the old ones); empty to keep them.
    """
    state = context.userdata
    start: dt.datetime | None = None
    if new_date.strip() or new_time.strip():
        found = await _off_loop(_find_sync, state=state, reference=reference, name=name, phone=phone)
        if isinstance(found, str):
            return found
        current = found[0].start_at.astimezone(ZoneInfo(state.snapshot.timezone))
        start = _local(state, new_date or current.date().isoformat(), new_time or f"{current:%H:%M}")
        if start is None:
            return 'I could not read that date or time. Use date "YYYY-MM-DD" and time "HH:MM".'
    try:
        return await _off_loop(
            _change_sync,
            state=state,
            reference=reference,
            name=name,
            phone=phone,
            start=start,
            party_size=int(new_party_size) or None,
            notes=notes,
            confirmed=bool(diner_confirmed),
        )
    except TimeoutError:
        return "The booking system did not answer in time. Apologise and check the booking again."


@function_tool
async def cancel_booking(
    context: RunContext[CallState],
    diner_confirmed: bool,
    reference: str = "",
    name: str = "",
    phone: str = "",
) -> str:
    """Cancel the caller's booking, found by reference or by name AND phone. Read back which booking it is
    and set diner_confirmed to true only after the diner said yes.

    Args:
        diner_confirmed: True only once the diner has confirmed this booking is the one to cancel.
        reference: The booking reference. Optional if name and phone are given.
        name: The name the booking is under.
        phone: The phone number given when booking.
    """
    try:
        return await _off_loop(
            _cancel_sync,
            state=context.userdata,
            reference=reference,
            name=name,
            phone=phone,
            confirmed=bool(diner_confirmed),
        )
    except TimeoutError:
        return "The booking system did not answer in time. Apologise and check the booking again."


TOOLS: list[Tool] = [check_availability, book_table, find_booking, change_booking, cancel_booking]
