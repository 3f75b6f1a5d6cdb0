"""Phone-call tools: hand the caller over to staff, take a message, hang up. Only phone calls get them."""

from __future__ import annotations

import datetime as dt
import logging

from livekit.agents import RunContext, function_tool
from livekit.agents.llm import Tool

from agent_worker.phone_words import GOODBYE, TRANSFERRING, say
from agent_worker.state import CallState
from calls.schema import MAX_MESSAGES, CallerMessage
from core.phone_numbers import e164_display, e164_normalize
from telephony.sip import TransferFailed, sip_participant_transfer

logger = logging.getLogger("agent_worker")


async def transfer(state: CallState) -> str:
    """Hand the caller to the staff number with a SIP transfer. Returns what the model should know."""
    phone = state.phone
    if phone is None or not phone.staff_number:
        return "There is no staff line to transfer to. Offer to take a message instead."
    try:
        await sip_participant_transfer(
            room_name=state.room_name,
            participant_identity=phone.participant_identity,
            transfer_to=phone.staff_number,
        )
    except TransferFailed as exc:
        logger.warning("transfer to staff failed: %s", exc.reason)
        return (
            f"The transfer failed: {exc.reason}. Tell the caller plainly that you could not put them "
            "through, and offer to take a message (their name, a call-back number and what it is about)."
        )
    state.ended_by = "transferred"
    return "The caller has been put through to the staff. The call with you is over; say nothing more."


@function_tool
async def transfer_to_staff(context: RunContext[CallState]) -> str:
    """Put the caller through to a person at the restaurant. Use it when the caller asks for a person,
    the staff or the manager, or needs something you cannot do (bookings, complaints, orders). The caller
    is told they are being transferred; if it fails, tell them and offer to take a message."""
    state = context.userdata
    await context.session.say(say(TRANSFERRING, state.language), allow_interruptions=False)
    return await transfer(state)


@function_tool
async def take_message(
    context: RunContext[CallState], caller_name: str, about: str, callback_number: str = ""
) -> str:
    """Leave a message for the restaurant's staff, who will call back.

    Ask for all three before calling: the caller's name, the number to call back on (or whether to use the
    number they are calling from) and what it is about. Read the number back to the caller.

    Args:
        caller_name: The caller's name, as they said it.
        about: What the message is about, in a sentence or two.
        callback_number: The number to call back, with its country code if given; empty to use the
            number the caller is calling from.
    """
    state = context.userdata
    caller_name, about = caller_name.strip()[:120], about.strip()[:1000]
    if not caller_name or not about:
        return "Ask for the caller's name and what the message is about first."
    if len(state.messages) >= MAX_MESSAGES:
        return "Enough messages were taken on this call already; say the staff will call back."
    number = ""
    if callback_number.strip():
        region = _region_of(state)
        try:
            number = e164_normalize(callback_number, region=region, strict=False)
        except Exception:
            return (
                f"“{callback_number}” is not a phone number I can use. Ask the caller to say it again, "
                "digit by digit, with the country code if it is not a local number."
            )
    elif state.phone is not None and state.phone.caller_number:
        number = state.phone.caller_number
    else:
        return "The caller's number is withheld: ask which number the staff should call back."
    state.messages.append(
        CallerMessage(
            caller_name=caller_name, callback_number=number, about=about, at=dt.datetime.now(dt.UTC)
        )
    )
    return (
        f"Message taken for the staff: {caller_name} asks to be called back on {e164_display(number)} "
        f"about: {about}. Tell the caller the team will call back, reading the number back to them."
    )


def _region_of(state: CallState) -> str | None:
    """The country of the line, so a caller can give a national number ("020 7946 0000")."""
    import phonenumbers

    for candidate in (state.phone.dialled_number if state.phone else None, state.snapshot.phone):
        if candidate:
            try:
                return phonenumbers.region_code_for_number(phonenumbers.parse(candidate, None))
            except phonenumbers.NumberParseException:
                continue
    return None


@function_tool
async def end_call(context: RunContext[CallState]) -> str:
    """Hang up, politely. Use it when the caller says goodbye or has nothing more to ask; never mid-question."""
    state = context.userdata
    await context.wait_for_playout()  # whatever the model was saying finishes first
    await context.session.say(
        say(GOODBYE, state.language, name=state.snapshot.name), allow_interruptions=False
    )
    state.ended_by = "agent_hung_up"
    if state.hang_up is not None:
        await state.hang_up()
    return "The call has ended."


def tools_for_call(state: CallState) -> list[Tool]:
    if state.phone is None:
        return []
    tools: list[Tool] = [take_message, end_call]
    if state.can_transfer:
        tools.insert(0, transfer_to_staff)
    return tools
