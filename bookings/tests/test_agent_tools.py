"""The booking tools as a diner hears them, through real jobs (fake_job_context, the scripted model).

The scripted model says exactly what the last tool returned, so each assertion is on the sentence the
diner would hear: the day, the time in the restaurant's zone, the party, the reference.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from livekit.agents import AgentSession, TurnHandlingOptions
from livekit.agents.testing import fake_job_context

from agent_worker.instructions import build_instructions
from agent_worker.job import run_job
from agent_worker.testing import ScriptedLLM, ToolCall, call_state_for, last_tool_output
from agent_worker.tools import tools_for
from bookings.models import Booking, BookingSettings, Table
from bookings.services import booking_create
from calls.contract import JobMetadata
from tenants.models import Restaurant
from tenants.selectors import restaurant_snapshot_from_db

pytestmark = pytest.mark.django_db(transaction=True)
TEXT_ONLY: dict[str, Any] = {"vad": None, "turn_handling": TurnHandlingOptions(turn_detection=None)}
SAY_TOOL_OUTPUT = last_tool_output


def _day(world, days: int = 10) -> dt.date:
    # Relative to the real today (the tools use the real clock); clear of the world's holiday at +7 days.
    return (dt.datetime.now(ZoneInfo(world.restaurant.timezone)) + dt.timedelta(days=days)).date()


def _spoken_day(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def converse(world, turns: list[tuple[str, str, dict]]) -> list[str]:
    """A real job for the world's restaurant; each turn is (what the diner says, tool, arguments).
    Returns what the agent said after each turn."""
    raw = JobMetadata(restaurant_id=world.restaurant.public_id, tenant_id=world.tenant.pk).to_json()
    steps: list = []
    for _, tool, arguments in turns:
        steps += [ToolCall(tool, arguments), SAY_TOOL_OUTPUT]

    async def main() -> list[str]:
        heard = []
        with fake_job_context(job_metadata=raw, job_id="job-book") as ctx:
            session, plan = await run_job(
                ctx,
                make_session=lambda plan, state: AgentSession(
                    llm=ScriptedLLM(steps), userdata=state, **TEXT_ONLY
                ),
            )
            assert plan.refusal is None, plan.refusal
            for question, tool, _ in turns:
                result: Any = await session.run(user_input=question)
                result.expect.contains_function_call(name=tool)
                heard.append(result.expect[-1].is_message(role="assistant").event().item.text_content)
            await session.aclose()
        return heard

    return asyncio.run(main())


def _args(day: dt.date, time: str, party: int, **extra) -> dict:
    return {"date": day.isoformat(), "time": time, "party_size": party, **extra}


def test_a_diner_checks_books_after_confirming_and_hears_the_reference(bookable):
    day = _day(bookable)
    booking_args = _args(day, "19:30", 4, name="Ada Lovelace", phone="020 7946 0018", email="ada@example.com")
    heard = converse(
        bookable,
        [
            ("A table for four on that day at half seven?", "check_availability", _args(day, "19:30", 4)),
            ("Ada Lovelace, 020 7946 0018", "book_table", {**booking_args, "diner_confirmed": False}),
            ("Yes, that's right", "book_table", {**booking_args, "diner_confirmed": True}),
        ],
    )
    assert heard[0].startswith(f"Yes: a table for 4 people is free on {_spoken_day(day)} at 19:30.")
    assert heard[1].startswith(
        f"Not booked yet. Read back: a table for 4 people on {_spoken_day(day)} at 19:30"
    )
    booking = Booking.objects.get(name="Ada Lovelace")
    assert heard[2] == (
        f"Booked: a table for 4 people on {_spoken_day(day)} at 19:30, under Ada Lovelace. "
        f"The reference is {booking.reference}; say it slowly: {' '.join(booking.reference)}. "
        "A confirmation email is on its way."
    )
    assert booking.phone == "+442079460018"
    assert booking.channel == Booking.Channel.WEB and booking.call_job_id == "job-book"
    assert booking.start_at.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M") == "19:30"
    # After commit, through Celery (eager in tests): the diner and the restaurant are both told.
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.com", "bookings@alpha.example"]
    assert booking.reference in mail.outbox[0].subject


def test_nothing_is_booked_before_the_diner_confirms(bookable):
    day = _day(bookable)
    converse(
        bookable,
        [
            (
                "Book it",
                "book_table",
                _args(day, "19:30", 2, name="Eve", phone="+447911123456", diner_confirmed=False),
            )
        ],
    )
    assert not Booking.objects.exists()


def test_a_taken_time_offers_the_nearest_free_times_in_local_time(bookable):
    restaurant = Restaurant.objects.get(pk=bookable.restaurant.pk)
    restaurant.timezone = "America/New_York"
    restaurant.save()
    Table.objects.filter(restaurant=restaurant).exclude(name="T2").update(is_active=False)
    day = _day(bookable)
    start = dt.datetime.combine(day, dt.time(20, 0), tzinfo=ZoneInfo("America/New_York"))
    booking_create(restaurant=restaurant, start=start, party_size=2, name="Owner's friend", for_agent=False)
    heard = converse(bookable, [("Eight pm for two?", "check_availability", _args(day, "20:00", 2))])
    assert heard[0] == (
        f"Nothing is free at {_spoken_day(day)} at 20:00 for 2 people. "
        "The nearest free times that day: 18:15, 18:30, 21:30."
    )


def test_a_large_party_becomes_a_request_for_the_restaurant(bookable):
    BookingSettings.objects.filter(restaurant=bookable.restaurant).update(agent_max_party=6)
    day = _day(bookable)
    heard = converse(
        bookable,
        [
            (
                "We are eight",
                "book_table",
                _args(day, "19:00", 8, name="Big Family", phone="+447911123457", diner_confirmed=True),
            )
        ],
    )
    booking = Booking.objects.get(name="Big Family")
    assert booking.status == Booking.Status.REQUESTED
    assert heard[0].startswith(
        f"Request taken, not yet confirmed: 8 people on {_spoken_day(day)} at 19:00, under Big Family. "
        "The restaurant will confirm with the diner on +447911123457."
    )


def test_allergies_go_into_the_notes_and_no_dish_is_called_safe(bookable):
    day = _day(bookable)
    heard = converse(
        bookable,
        [
            (
                "My son has a peanut allergy",
                "book_table",
                _args(
                    day,
                    "13:00",
                    3,
                    name="Mo",
                    phone="+447911123458",
                    diner_confirmed=True,
                    notes="peanut allergy",
                ),
            )
        ],
    )
    assert Booking.objects.get(name="Mo").notes == "peanut allergy"
    assert "Do not promise that any dish is safe" in heard[0]


def test_a_booking_is_found_only_by_its_reference_or_by_name_and_phone_together(bookable):
    day = _day(bookable)
    start = dt.datetime.combine(day, dt.time(19, 0), tzinfo=ZoneInfo("Europe/London"))
    secret = booking_create(
        restaurant=bookable.restaurant,
        start=start,
        party_size=2,
        name="Grace Hopper",
        phone="+447911123459",
        notes="anniversary",
        now=start - dt.timedelta(days=1),
    )
    heard = converse(
        bookable,
        [
            ("Do you have a booking for Grace Hopper?", "find_booking", {"name": "Grace Hopper"}),
            ("It's Hopper, 07911 123450", "find_booking", {"name": "Grace Hopper", "phone": "07911 123450"}),
            ("Ada, 07911 123459", "find_booking", {"name": "Ada Lovelace", "phone": "07911 123459"}),
            ("Hopper, 07911 123459", "find_booking", {"name": "grace  hopper", "phone": "07911 123459"}),
            ("My reference", "find_booking", {"reference": secret.reference.lower()}),
        ],
    )
    assert heard[0].startswith(
        "To find a booking I need its reference, or both the name and the phone number"
    )
    assert heard[1].startswith("I found no upcoming booking") and heard[2] == heard[1]
    for answer in heard[:3]:
        assert "Grace" not in answer and secret.reference not in answer and "anniversary" not in answer
    expected = (
        f"Booking {secret.reference}: 2 people on {_spoken_day(day)} at 19:00, under Grace Hopper, confirmed. "
        "Notes: anniversary."
    )
    assert heard[3] == heard[4] == expected


def test_change_and_cancel_wait_for_the_diners_yes(bookable):
    day = _day(bookable)
    start = dt.datetime.combine(day, dt.time(19, 0), tzinfo=ZoneInfo("Europe/London"))
    booking = booking_create(
        restaurant=bookable.restaurant, start=start, party_size=2, name="Alan Turing", phone="+447911123460"
    )
    ref = booking.reference
    heard = converse(
        bookable,
        [
            (
                "Make it 20:30",
                "change_booking",
                {"reference": ref, "new_time": "20:30", "diner_confirmed": False},
            ),
            (
                "Yes",
                "change_booking",
                {"reference": ref, "new_time": "20:30", "new_party_size": 3, "diner_confirmed": True},
            ),
            ("Cancel it", "cancel_booking", {"reference": ref, "diner_confirmed": False}),
            ("Yes, cancel", "cancel_booking", {"reference": ref, "diner_confirmed": True}),
        ],
    )
    assert heard[0].startswith(
        f"Not changed yet. Read back: booking {ref} would become 2 people on {_spoken_day(day)} at 20:30."
    )
    assert heard[1] == f"Changed: booking {ref} is now for 3 people on {_spoken_day(day)} at 20:30."
    assert heard[2].startswith(
        f"Not cancelled yet. Read back: cancel booking {ref}, 3 people on {_spoken_day(day)} at 20:30?"
    )
    assert (
        heard[3]
        == f"Cancelled: booking {ref} for 3 people on {_spoken_day(day)} at 20:30. The table is free again."
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.party_size == 3


def test_a_booking_made_in_the_admin_is_seen_by_the_next_question(bookable):
    Table.objects.filter(restaurant=bookable.restaurant).exclude(name="T1").update(is_active=False)
    day = _day(bookable)
    first = converse(bookable, [("Two at seven?", "check_availability", _args(day, "19:00", 2))])
    assert first[0].startswith("Yes")
    start = dt.datetime.combine(day, dt.time(19, 0), tzinfo=ZoneInfo("Europe/London"))
    booking_create(restaurant=bookable.restaurant, start=start, party_size=2, name="Walk-in", for_agent=False)
    again = converse(bookable, [("Two at seven?", "check_availability", _args(day, "19:00", 2))])
    assert again[0].startswith(f"Nothing is free at {_spoken_day(day)} at 19:00 for 2 people.")


def test_without_bookings_the_agent_has_no_booking_tools_and_offers_the_phone(bookable):
    def tool_names() -> set[str]:
        snapshot = restaurant_snapshot_from_db(public_id=bookable.restaurant.public_id)
        return {t.info.name for t in tools_for(call_state_for(snapshot))}

    assert {"check_availability", "book_table", "cancel_booking"} <= tool_names()
    BookingSettings.objects.filter(restaurant=bookable.restaurant).update(enabled=False)
    assert not tool_names() & {"check_availability", "book_table", "cancel_booking"}
    snapshot = restaurant_snapshot_from_db(public_id=bookable.restaurant.public_id)
    instructions = build_instructions(snapshot, dt.datetime.now(dt.UTC), "en")
    assert re.search(r"cannot help \(bookings", instructions)


def test_on_the_phone_the_agent_offers_the_callers_own_number_and_the_booking_says_phone(bookable):
    """A caller who gives no number is offered the one they are calling from; the booking records the line."""
    from agent_worker.agent import RestaurantAgent
    from agent_worker.state import PhoneCall

    state = call_state_for(restaurant_snapshot_from_db(public_id=bookable.restaurant.public_id))
    state.phone = PhoneCall(
        participant_identity="sip_caller",
        caller_number="+447911123456",
        dialled_number="+442079460000",
        staff_number="",
    )
    day = _day(bookable)
    turns = [
        ("Book it", "book_table", _args(day, "19:30", 2, name="Eve", phone="", diner_confirmed=False)),
        (
            "Yes",
            "book_table",
            _args(day, "19:30", 2, name="Eve", phone="+447911123456", diner_confirmed=True),
        ),
    ]

    async def main() -> list[str]:
        steps: list = []
        for _, tool, arguments in turns:
            steps += [ToolCall(tool, arguments), SAY_TOOL_OUTPUT]
        heard = []
        async with AgentSession(llm=ScriptedLLM(steps), userdata=state, **TEXT_ONLY) as session:
            await session.start(RestaurantAgent(state))
            for question, tool, _ in turns:
                result: Any = await session.run(user_input=question)
                result.expect.contains_function_call(name=tool)
                heard.append(result.expect[-1].is_message(role="assistant").event().item.text_content)
        return heard

    offered, _ = asyncio.run(main())
    assert "the number they are calling from, +447911123456" in offered
    assert Booking.objects.get().channel == Booking.Channel.PHONE
