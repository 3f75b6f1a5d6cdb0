"""The agent on a phone call, in-process: phone metadata plus the SIP participant LiveKit puts in the room."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from django.core import mail
from livekit.agents import AgentSession, TurnHandlingOptions
from livekit.agents.testing import fake_job_context

from agent_worker import phone_words
from agent_worker.agent import RestaurantAgent
from agent_worker.instructions import APOLOGIES
from agent_worker.job import SipParticipant, on_keypad, record_call, run_job
from agent_worker.state import CallState, PhoneCall
from agent_worker.testing import ScriptedLLM, ToolCall, last_tool_output
from agent_worker.tools import tools_for
from calls.contract import JobMetadata
from calls.models import CallRecord, Message
from telephony.models import PhoneNumber
from tenants.models import Tenant
from tenants.selectors import restaurant_snapshot_from_db
from tenants.vocabulary import LANGUAGES
from webhooks.models import WebhookEndpoint, WebhookEvent
from webhooks.selectors import call_refusal_counts
from webhooks.services import call_refusals_flush

pytestmark = pytest.mark.django_db(transaction=True)
TEXT_ONLY: dict[str, Any] = {"vad": None, "turn_handling": TurnHandlingOptions(turn_detection=None)}

LINE, CALLER, STAFF = "+442079460123", "+447700900123", "+442079460999"


@pytest.fixture
def line(world_a) -> PhoneNumber:
    # Attached directly: these tests are about the agent, not provisioning.
    return PhoneNumber.objects.create(number=LINE, restaurant=world_a.restaurant, status="active")


@pytest.fixture
def hangups(monkeypatch) -> list[str]:
    """Rooms the job deleted: on a phone call, deleting the room is what hangs up the caller's phone."""
    from livekit.agents import JobContext

    deleted: list[str] = []

    def delete_room(self, room_name=None):
        deleted.append(room_name or self.job.room.name)
        future = asyncio.get_running_loop().create_future()
        future.set_result(None)
        return future

    monkeypatch.setattr(JobContext, "delete_room", delete_room)
    return deleted


def phone_metadata(world, **extra) -> str:
    return JobMetadata(
        restaurant_id=world.restaurant.public_id, tenant_id=world.tenant.pk, channel="phone", **extra
    ).to_json()


def caller(number: str | None = CALLER, dialled: str | None = LINE) -> SipParticipant:
    attributes = {"sip.callID": "SCL_test", "sip.trunkID": "ST_test"}
    if number is not None:
        attributes["sip.phoneNumber"] = number
    if dialled is not None:
        attributes["sip.trunkPhoneNumber"] = dialled
    return SipParticipant(identity="sip_caller", attributes=attributes)


def run_phone_job(
    raw: str, sip: SipParticipant | None, steps=(), *, user_input: str | None = None, record=False
):
    """Run a phone job in-process; return (spoken texts, plan, state)."""

    async def main():
        with fake_job_context(job_metadata=raw, job_id=f"job-{id(raw)}") as ctx:
            session, plan = await run_job(
                ctx,
                make_session=lambda plan, state: AgentSession(
                    llm=ScriptedLLM(list(steps)), userdata=state, **TEXT_ONLY
                ),
                sip=sip,
            )
            for _ in range(200):  # the greeting is issued, not awaited
                if session.history.messages():
                    break
                await asyncio.sleep(0.01)
            state = session.userdata if plan.snapshot is not None else None
            if user_input is not None:
                await session.run(user_input=user_input)
            texts = [m.text_content for m in session.history.messages()]
            if record and state is not None:
                await record_call(session, plan, state, end_reason="participant_disconnected")
            await session.aclose()
            return texts, plan, state

    return asyncio.run(main())


def test_a_phone_call_is_greeted_like_a_phone_call_and_knows_the_caller(world_a, line):
    world_a.restaurant.greeting = ""
    world_a.restaurant.save()
    texts, plan, state = run_phone_job(phone_metadata(world_a), caller())
    assert plan.refusal is None
    assert texts == [
        f"Thank you for calling {world_a.restaurant.name}. This is the restaurant's virtual host. How can I help you?"
    ]
    assert (state.channel, state.phone.caller_number, state.phone.dialled_number) == ("phone", CALLER, LINE)
    names = {t.info.name for t in tools_for(state)}
    assert {"take_message", "end_call"} <= names and "transfer_to_staff" not in names  # no staff line set


def test_the_call_record_keeps_the_channel_and_the_callers_number(world_a, line):
    run_phone_job(phone_metadata(world_a), caller(), record=True)
    record = CallRecord.objects.get()
    assert (record.channel, record.caller_number) == ("phone", CALLER)


def test_a_withheld_number_stays_withheld(world_a, line):
    for withheld in (None, "anonymous"):
        _texts, _plan, state = run_phone_job(phone_metadata(world_a), caller(number=withheld), record=True)
        assert state.phone.caller_number is None
    assert set(CallRecord.objects.values_list("caller_number", flat=True)) == {""}
    assert "withheld" in str(RestaurantAgent(state).instructions)


def test_at_the_tenants_cap_the_caller_hears_all_lines_are_busy(world_a, line, hangups):
    Tenant.objects.filter(pk=world_a.tenant.pk).update(max_concurrent_sessions=0)
    texts, _plan, state = run_phone_job(phone_metadata(world_a), caller())
    assert texts == [phone_words.say(phone_words.LINES_BUSY, "en", name=world_a.restaurant.name)]
    assert state.ended_by == "lines_busy" and len(hangups) == 1
    # Counted as a refused call, like a busy web call start (the dashboard, the call.refused webhook).
    assert call_refusal_counts(tenant_id=world_a.tenant.pk) == {"busy": 1}


def test_at_the_cap_with_a_staff_line_the_caller_is_handed_over(world_a, line, fake_livekit):
    line.staff_number = STAFF
    line.save()
    Tenant.objects.filter(pk=world_a.tenant.pk).update(max_concurrent_sessions=0)
    texts, _plan, state = run_phone_job(phone_metadata(world_a), caller())
    assert texts == [phone_words.say(phone_words.LINES_BUSY_TRANSFER, "en", name=world_a.restaurant.name)]
    [transfer] = fake_livekit.sip_calls("TransferSIPParticipant")
    assert transfer.message["transferTo"] == f"tel:{STAFF}"
    assert transfer.message["participantIdentity"] == "sip_caller"
    assert transfer.claims["sip"]["call"] is True and transfer.claims["video"]["roomAdmin"] is True
    assert state.ended_by == "transferred"
    assert call_refusal_counts(tenant_id=world_a.tenant.pk) == {}, "staff took it: not a refused call"


def test_phone_calls_share_the_web_calls_lines(world_a, line):
    """The same admission: a phone call takes one of the tenant's lines, so the next one over the cap is busy."""
    Tenant.objects.filter(pk=world_a.tenant.pk).update(max_concurrent_sessions=1)
    first, *_ = run_phone_job(phone_metadata(world_a), caller())
    second, *_ = run_phone_job(phone_metadata(world_a), caller())
    assert "How can I help you?" in first[0]
    assert second == [phone_words.say(phone_words.LINES_BUSY, "en", name=world_a.restaurant.name)]


def test_a_suspended_tenants_number_gets_a_polite_refusal(world_a, line):
    Tenant.objects.filter(pk=world_a.tenant.pk).update(status=Tenant.Status.SUSPENDED)
    endpoint = WebhookEndpoint.objects.create(
        tenant=world_a.tenant, url="https://hooks.alpha.example/h", event_types=["call.refused"]
    )
    texts, plan, _state = run_phone_job(phone_metadata(world_a), caller())
    assert plan.refusal == "not_taking_calls" and texts == [APOLOGIES["en"]]
    # The owner's webhook hears of it (Celery beat turns the buffered refusal into an event).
    assert call_refusals_flush() == 1
    event = WebhookEvent.objects.get(type="call.refused")
    assert event.body["data"]["reason"] == "not_taking_calls" and event.body["data"]["channel"] == "phone"
    assert event.deliveries.get().endpoint == endpoint


def test_without_metadata_the_dialled_number_names_the_restaurant(world_a, line):
    world_a.restaurant.greeting = "Alpha Bistro, good evening!"
    world_a.restaurant.save()
    texts, plan, _state = run_phone_job("", caller())
    assert plan.refusal is None and plan.snapshot.public_id == world_a.restaurant.public_id
    assert texts == ["Alpha Bistro, good evening!"]


def test_metadata_and_dialled_number_that_disagree_are_refused(world_a, world_b, line, hangups):
    texts, plan, _ = run_phone_job(phone_metadata(world_b), caller())
    assert plan.refusal == "number_mismatch" and len(hangups) == 1
    assert not any(world_a.restaurant.name in t or world_b.restaurant.name in t for t in texts)


def test_an_unknown_dialled_number_without_metadata_is_refused(world_a, line):
    texts, plan, _ = run_phone_job("", caller(dialled="+442079460555"))
    assert plan.refusal == "unknown_number" and texts == [APOLOGIES["en"]]


def phone_state(world, *, staff: str = "", number: str | None = CALLER) -> CallState:
    snapshot = restaurant_snapshot_from_db(public_id=world.restaurant.public_id)
    return CallState(
        snapshot=snapshot,
        metadata=None,
        language="en",
        job_id="job-phone",
        room_name="hl-room-phone",
        phone=PhoneCall(
            participant_identity="sip_caller", caller_number=number, dialled_number=LINE, staff_number=staff
        ),
    )


def converse(state: CallState, tool: str, arguments: dict, question: str = "...") -> tuple[str, list[str]]:
    """One caller turn in which the model calls `tool`; returns the tool's output and everything said."""

    async def main():
        llm = ScriptedLLM([ToolCall(tool, arguments), lambda ctx: last_tool_output(ctx)])
        async with AgentSession(llm=llm, userdata=state, **TEXT_ONLY) as session:
            await session.start(RestaurantAgent(state))
            result: Any = await session.run(user_input=question)
            result.expect.next_event().is_function_call(name=tool)
            said = [m.text_content for m in session.history.messages() if m.role == "assistant"]
            outputs = [e.item.output for e in result.events if e.type == "function_call_output"]
            return outputs[0], said

    return asyncio.run(main())


def test_transfer_to_staff_tells_the_caller_and_transfers_the_call(world_a, fake_livekit):
    state = phone_state(world_a, staff=STAFF)
    output, said = converse(state, "transfer_to_staff", {}, "Can I speak to someone?")
    assert said[0] == phone_words.TRANSFERRING["en"]
    assert "put through" in output and state.ended_by == "transferred"
    [transfer] = fake_livekit.sip_calls("TransferSIPParticipant")
    assert (transfer.message["roomName"], transfer.message["transferTo"]) == ("hl-room-phone", f"tel:{STAFF}")


def test_a_failed_transfer_is_told_and_a_message_offered(world_a, fake_livekit):
    fake_livekit.transfer_failure = "STR_RINGING_TIMEOUT"
    state = phone_state(world_a, staff=STAFF)
    output, said = converse(state, "transfer_to_staff", {}, "Put me through please")
    assert output.startswith("The transfer failed: nobody picked up.")
    assert "take a message" in said[-1]  # the model's next words carry it to the caller
    assert state.ended_by is None


def test_without_a_staff_line_there_is_no_transfer_tool_and_the_agent_offers_a_message(world_a):
    state = phone_state(world_a)
    assert "transfer_to_staff" not in {t.info.name for t in tools_for(state)}
    assert "offer to take a message" in str(RestaurantAgent(state).instructions)


def test_web_calls_get_no_phone_tools_and_web_metadata_is_unchanged(world_a):
    snapshot = restaurant_snapshot_from_db(public_id=world_a.restaurant.public_id)
    state = CallState(snapshot=snapshot, metadata=None, language="en", job_id="j", room_name="r")
    assert not {"take_message", "end_call", "transfer_to_staff"} & {t.info.name for t in tools_for(state)}
    web = JobMetadata(restaurant_id=world_a.restaurant.public_id, tenant_id=world_a.tenant.pk).to_json()
    assert "channel" not in web  # byte-identical for workers that predate the field


def test_a_message_lands_on_the_call_record_unread_and_is_emailed_to_the_owners(world_a, line):
    texts, _plan, _state = run_phone_job(
        phone_metadata(world_a),
        caller(),
        steps=[
            ToolCall(
                "take_message",
                {"caller_name": "Sam Diner", "about": "Lost a scarf on Friday", "callback_number": ""},
            ),
            lambda ctx: last_tool_output(ctx),
        ],
        user_input="Can you take a message?",
        record=True,
    )
    assert any("+44 7700 900123" in t for t in texts)  # read back: the caller's own number
    message = Message.objects.get()
    assert (message.caller_name, message.callback_number, message.about) == (
        "Sam Diner",
        CALLER,
        "Lost a scarf on Friday",
    )
    assert message.is_unread and message.tenant_id == world_a.tenant.pk
    assert message.call_record.channel == "phone"
    [email] = mail.outbox
    assert email.to == [world_a.owner.email]
    assert "Sam Diner" in email.subject and "+447700900123" in email.body and "Lost a scarf" in email.body
    message.refresh_from_db()
    assert message.emailed_at is not None


def test_a_message_needs_a_number_when_the_callers_is_withheld(world_a):
    state = phone_state(world_a, number=None)
    output, _ = converse(state, "take_message", {"caller_name": "Sam", "about": "Booking"})
    assert "withheld" in output and state.messages == []
    output, _ = converse(
        state, "take_message", {"caller_name": "Sam", "about": "Booking", "callback_number": "07700 900123"}
    )
    assert state.messages[0].callback_number == CALLER  # a national number, read in the line's country
    output, _ = converse(state, "take_message", {"caller_name": "Sam", "about": "x", "callback_number": "12"})
    assert "not a phone number I can use" in output and len(state.messages) == 1


def test_end_call_says_goodbye_and_hangs_up(world_a):
    state = phone_state(world_a)
    hung_up = []

    async def hang_up() -> None:
        hung_up.append(True)

    state.hang_up = hang_up
    _output, said = converse(state, "end_call", {}, "That's all, thanks, bye!")
    assert phone_words.say(phone_words.GOODBYE, "en", name=world_a.restaurant.name) in said
    assert hung_up == [True] and state.ended_by == "agent_hung_up"


def test_pressing_0_offers_the_hand_over(world_a):
    async def main(state: CallState) -> tuple[Any, Any, list[str]]:
        llm = ScriptedLLM(["Would you like me to put you through to the team?"])
        async with AgentSession(llm=llm, userdata=state, **TEXT_ONLY) as session:
            await session.start(RestaurantAgent(state))
            other = on_keypad(session, state, "5")
            handle = on_keypad(session, state, "0")
            await handle
            return other, handle, [m.text_content for m in session.history.messages()]

    other, _handle, texts = asyncio.run(main(phone_state(world_a, staff=STAFF)))
    assert other is None and texts[-1] == "Would you like me to put you through to the team?"


def test_every_phone_sentence_exists_in_every_shipped_language():
    for name, words in phone_words.ALL.items():
        assert set(words) == set(LANGUAGES), name
        assert all(w.strip() for w in words.values()), name
