"""What Hostline asks of LiveKit's SIP service, and the exact shape of what it creates there.

One inbound trunk per number, accepting exactly that dialled number, and one dispatch rule tied to that
trunk (`trunk_ids`) that puts each call in a room of its own, prefixed with the restaurant's public id, and
dispatches the agent with the same job metadata as a web call (channel "phone"). A shared trunk with
per-number filters is deliberately not used: `inbound_numbers` filters on the caller's number, not the
dialled one.

Everything the platform creates carries MARKER in its metadata, so reconciliation never touches trunks or
rules an operator made by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from livekit import api
from livekit.protocol import sip as sip_proto
from livekit.protocol.agent_dispatch import RoomAgentDispatch
from livekit.protocol.room import RoomConfiguration

from calls.contract import AGENT_NAME, JobMetadata
from core.livekit import livekit_call

MANAGED_BY = "hostline"


def marker(number: str) -> dict[str, str]:
    return {"managed_by": MANAGED_BY, "instance": settings.SIP_INSTANCE_NAME, "number": number}


def managed_number(metadata: str) -> str | None:
    """The number a platform-made trunk or rule is for, or None when this platform did not make it."""
    try:
        data: Any = json.loads(metadata or "{}")
    except ValueError:
        return None
    if (
        isinstance(data, dict)
        and data.get("managed_by") == MANAGED_BY
        and data.get("instance") == settings.SIP_INSTANCE_NAME
        and isinstance(data.get("number"), str)
    ):
        return str(data["number"])
    return None


def room_prefix(restaurant_public_id: str) -> str:
    # Same family as web rooms (hl-<restaurant>-<random>): logs and LiveKit's room list name the restaurant.
    return f"hl-{restaurant_public_id}-phone-"


def desired_trunk(*, number: str) -> sip_proto.SIPInboundTrunkInfo:
    return sip_proto.SIPInboundTrunkInfo(
        name=f"Hostline {number}",
        metadata=json.dumps(marker(number), sort_keys=True),
        numbers=[number],
        allowed_addresses=list(settings.SIP_TRUNK_ALLOWED_ADDRESSES),
        krisp_enabled=settings.SIP_KRISP_ENABLED,
    )


def desired_rule(
    *, number: str, trunk_id: str, restaurant_public_id: str, tenant_id: int
) -> sip_proto.SIPDispatchRuleInfo:
    metadata = JobMetadata(restaurant_id=restaurant_public_id, tenant_id=tenant_id, channel="phone").to_json()
    return sip_proto.SIPDispatchRuleInfo(
        name=f"Hostline {number}",
        metadata=json.dumps(marker(number), sort_keys=True),
        trunk_ids=[trunk_id],
        hide_phone_number=False,
        rule=sip_proto.SIPDispatchRule(
            dispatch_rule_individual=sip_proto.SIPDispatchRuleIndividual(
                room_prefix=room_prefix(restaurant_public_id)
            )
        ),
        room_config=RoomConfiguration(agents=[RoomAgentDispatch(agent_name=AGENT_NAME, metadata=metadata)]),
    )


_TRUNK_FIELDS = ("name", "metadata", "numbers", "allowed_addresses", "krisp_enabled")
_RULE_FIELDS = (
    "name",
    "metadata",
    "trunk_ids",
    "hide_phone_number",
    "inbound_numbers",
    "rule",
    "room_config",
)


def _shape(message: Any, fields: tuple[str, ...]) -> Any:
    """Only the fields Hostline sets (LiveKit adds ids and timestamps), so equality means "no drift"."""
    copy = type(message)()
    for name in fields:
        value = getattr(message, name)
        if isinstance(value, str | bool):
            setattr(copy, name, value)
        elif hasattr(value, "extend"):
            getattr(copy, name).extend(value)
        else:
            getattr(copy, name).CopyFrom(value)
    return copy


def trunk_drifted(actual: sip_proto.SIPInboundTrunkInfo, desired: sip_proto.SIPInboundTrunkInfo) -> bool:
    return bool(_shape(actual, _TRUNK_FIELDS) != _shape(desired, _TRUNK_FIELDS))


def rule_drifted(actual: sip_proto.SIPDispatchRuleInfo, desired: sip_proto.SIPDispatchRuleInfo) -> bool:
    return bool(_shape(actual, _RULE_FIELDS) != _shape(desired, _RULE_FIELDS))


# --- calls to LiveKit (synchronous, bounded, LiveKitUnavailable on any failure) ------------------------------


def sip_inbound_trunks_list(*, numbers: list[str] | None = None) -> list[sip_proto.SIPInboundTrunkInfo]:
    request = sip_proto.ListSIPInboundTrunkRequest(numbers=numbers or [])
    response = livekit_call(lambda client: client.sip.list_inbound_trunk(request))
    return list(response.items)


def sip_dispatch_rules_list(*, trunk_ids: list[str] | None = None) -> list[sip_proto.SIPDispatchRuleInfo]:
    request = sip_proto.ListSIPDispatchRuleRequest(trunk_ids=trunk_ids or [])
    response = livekit_call(lambda client: client.sip.list_dispatch_rule(request))
    return list(response.items)


def sip_inbound_trunk_create(trunk: sip_proto.SIPInboundTrunkInfo) -> sip_proto.SIPInboundTrunkInfo:
    request = sip_proto.CreateSIPInboundTrunkRequest(trunk=trunk)
    return livekit_call(lambda client: client.sip.create_inbound_trunk(request))


def sip_inbound_trunk_update(
    trunk_id: str, trunk: sip_proto.SIPInboundTrunkInfo
) -> sip_proto.SIPInboundTrunkInfo:
    return livekit_call(lambda client: client.sip.update_inbound_trunk(trunk_id, trunk))


def sip_trunk_delete(trunk_id: str) -> None:
    request = sip_proto.DeleteSIPTrunkRequest(sip_trunk_id=trunk_id)
    livekit_call(lambda client: client.sip.delete_trunk(request))


def sip_dispatch_rule_create(rule: sip_proto.SIPDispatchRuleInfo) -> sip_proto.SIPDispatchRuleInfo:
    request = sip_proto.CreateSIPDispatchRuleRequest(dispatch_rule=rule)
    return livekit_call(lambda client: client.sip.create_dispatch_rule(request))


def sip_dispatch_rule_update(
    rule_id: str, rule: sip_proto.SIPDispatchRuleInfo
) -> sip_proto.SIPDispatchRuleInfo:
    return livekit_call(lambda client: client.sip.update_dispatch_rule(rule_id, rule))


def sip_dispatch_rule_delete(rule_id: str) -> None:
    request = sip_proto.DeleteSIPDispatchRuleRequest(sip_dispatch_rule_id=rule_id)
    livekit_call(lambda client: client.sip.delete_dispatch_rule(request))


# --- from the agent worker (asyncio) ---------------------------------------------------------------------------

TRANSFER_RINGING_SECONDS = 25


class TransferFailed(Exception):
    """The hand-over did not happen; `reason` is what to tell the diner about it, in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def sip_participant_transfer(*, room_name: str, participant_identity: str, transfer_to: str) -> None:
    """Hand the caller over to `transfer_to` (E.164) with a SIP REFER. Raises TransferFailed."""
    request = sip_proto.TransferSIPParticipantRequest(
        room_name=room_name,
        participant_identity=participant_identity,
        transfer_to=f"tel:{transfer_to}",
        play_dialtone=True,
    )
    request.ringing_timeout.FromTimedelta(dt.timedelta(seconds=TRANSFER_RINGING_SECONDS))
    try:
        async with api.LiveKitAPI(
            url=settings.LIVEKIT_URL,
            api_key=settings.LIVEKIT_API_KEY,
            api_secret=settings.LIVEKIT_API_SECRET,
            failover=False,
        ) as client:
            response = await client.sip.transfer_sip_participant(
                request, timeout=TRANSFER_RINGING_SECONDS + settings.LIVEKIT_API_TIMEOUT_SECONDS
            )
    except api.SipCallError as exc:
        raise TransferFailed(_transfer_words(exc.sip_transfer_reason, exc.sip_status_code)) from exc
    except Exception as exc:
        raise TransferFailed("the phone system could not place the transfer") from exc
    if response.status == sip_proto.SIPTransferStatus.STS_TRANSFER_FAILED:
        raise TransferFailed(_transfer_words(response.reason))


def _transfer_words(reason: Any, sip_status_code: int | None = None) -> str:
    if isinstance(reason, str):
        reason = (
            sip_proto.SIPTransferReason.Value(reason) if reason in sip_proto.SIPTransferReason.keys() else 0  # noqa: SIM118 - an enum wrapper, not a dict
        )
    if sip_status_code in (486, 600):
        return "the staff line is busy"
    words = {
        sip_proto.SIPTransferReason.STR_REJECTED: "the staff line did not accept the call",
        sip_proto.SIPTransferReason.STR_RINGING_TIMEOUT: "nobody picked up",
        sip_proto.SIPTransferReason.STR_CALL_ENDED: "the call ended before the transfer",
    }
    return words.get(reason, "the transfer did not go through")
