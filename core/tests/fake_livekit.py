"""A local stand-in for LiveKit's server API (Twirp over HTTP, protobuf or JSON bodies).

It verifies the bearer JWT with the API secret exactly as LiveKit does (HS256, issuer = API key, not
expired, the grant the method needs), records every request, and can be told to fail or to be slow.

Services: agent dispatch (CreateDispatch) and SIP (inbound trunks and dispatch rules: create, update,
list, delete; TransferSIPParticipant). SIP state lives in `trunks` and `rules`, which tests may edit
directly to create drift.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from google.protobuf import json_format
from google.protobuf.message import Message
from livekit.protocol import agent_dispatch
from livekit.protocol import room as room_proto
from livekit.protocol import sip as sip_proto


@dataclass
class RecordedCall:
    method: str
    content_type: str
    message: dict[str, Any]
    claims: dict[str, Any]


class TwirpError(Exception):
    def __init__(self, status: int, code: str, msg: str, meta: dict[str, str] | None = None) -> None:
        super().__init__(msg)
        self.status, self.code, self.msg, self.meta = status, code, msg, meta or {}


def _require_sip_admin(claims: dict[str, Any], request: Any) -> None:
    if not claims.get("sip", {}).get("admin"):
        raise TwirpError(403, "permission_denied", "SIP admin grant is required")


def _require_room_list(claims: dict[str, Any], request: Any) -> None:
    if not claims.get("video", {}).get("roomList"):
        raise TwirpError(403, "permission_denied", "roomList is required")


def _require_room_admin(claims: dict[str, Any], request: Any) -> None:
    video = claims.get("video", {})
    if not video.get("roomAdmin") or video.get("room") != request.room:
        raise TwirpError(403, "permission_denied", "roomAdmin for this room is required")


def _require_sip_call_in_room(claims: dict[str, Any], request: Any) -> None:
    video = claims.get("video", {})
    if not claims.get("sip", {}).get("call"):
        raise TwirpError(403, "permission_denied", "SIP call grant is required")
    if not video.get("roomAdmin") or video.get("room") != request.room_name:
        raise TwirpError(403, "permission_denied", "roomAdmin for this room is required")


class _Server(ThreadingHTTPServer):
    # socketserver's default listen backlog is 5: under a benchmark's burst of new connections the kernel
    # dropped SYNs, and each drop cost a 1 s retransmit that landed in whoever's p99 was being measured.
    request_queue_size = 256


@dataclass
class FakeLiveKit:
    api_key: str
    api_secret: str
    calls: list[RecordedCall] = field(default_factory=list)
    fail_status: int | None = None
    delay_seconds: float = 0.0
    # 0 = any free port. The load benchmark runs the stand-in in its own process on a chosen port.
    port: int = 0
    # The load benchmark sends hundreds of thousands of dispatches; it only needs the count.
    record: bool = True
    dispatch_count: int = 0
    trunks: dict[str, sip_proto.SIPInboundTrunkInfo] = field(default_factory=dict)
    rules: dict[str, sip_proto.SIPDispatchRuleInfo] = field(default_factory=dict)
    # A SIP transfer reason name (e.g. "STR_RINGING_TIMEOUT") makes TransferSIPParticipant fail with it.
    transfer_failure: str | None = None

    def _methods(self) -> dict[str, tuple[type[Message], Callable[[dict[str, Any], Any], None], Any]]:
        sip = "livekit.SIP/"
        return {
            "livekit.RoomService/ListRooms": (
                room_proto.ListRoomsRequest,
                _require_room_list,
                self._list_rooms,
            ),
            "livekit.AgentDispatchService/CreateDispatch": (
                agent_dispatch.CreateAgentDispatchRequest,
                _require_room_admin,
                self._create_dispatch,
            ),
            sip + "CreateSIPInboundTrunk": (
                sip_proto.CreateSIPInboundTrunkRequest,
                _require_sip_admin,
                self._create_trunk,
            ),
            sip + "UpdateSIPInboundTrunk": (
                sip_proto.UpdateSIPInboundTrunkRequest,
                _require_sip_admin,
                self._update_trunk,
            ),
            sip + "ListSIPInboundTrunk": (
                sip_proto.ListSIPInboundTrunkRequest,
                _require_sip_admin,
                self._list_trunks,
            ),
            sip + "DeleteSIPTrunk": (sip_proto.DeleteSIPTrunkRequest, _require_sip_admin, self._delete_trunk),
            sip + "CreateSIPDispatchRule": (
                sip_proto.CreateSIPDispatchRuleRequest,
                _require_sip_admin,
                self._create_rule,
            ),
            sip + "UpdateSIPDispatchRule": (
                sip_proto.UpdateSIPDispatchRuleRequest,
                _require_sip_admin,
                self._update_rule,
            ),
            sip + "ListSIPDispatchRule": (
                sip_proto.ListSIPDispatchRuleRequest,
                _require_sip_admin,
                self._list_rules,
            ),
            sip + "DeleteSIPDispatchRule": (
                sip_proto.DeleteSIPDispatchRuleRequest,
                _require_sip_admin,
                self._delete_rule,
            ),
            sip + "TransferSIPParticipant": (
                sip_proto.TransferSIPParticipantRequest,
                _require_sip_call_in_room,
                self._transfer,
            ),
        }

    # --- handlers -------------------------------------------------------------------------------------------

    def _list_rooms(self, request: Any) -> Message:
        # Rooms are made by dispatches here and never tracked: the call only proves the API answers.
        return room_proto.ListRoomsResponse()

    def _create_dispatch(self, request: Any) -> Message:
        self.dispatch_count += 1
        return agent_dispatch.AgentDispatch(
            id=f"AD_{uuid.uuid4().hex[:12]}",
            agent_name=request.agent_name,
            room=request.room,
            metadata=request.metadata,
        )

    def _create_trunk(self, request: Any) -> Message:
        trunk = sip_proto.SIPInboundTrunkInfo()
        trunk.CopyFrom(request.trunk)
        for number in trunk.numbers:
            if any(number in other.numbers for other in self.trunks.values()):
                raise TwirpError(400, "invalid_argument", f"number {number} is already on another trunk")
        trunk.sip_trunk_id = f"ST_{uuid.uuid4().hex[:12]}"
        self.trunks[trunk.sip_trunk_id] = trunk
        return trunk

    def _update_trunk(self, request: Any) -> Message:
        if request.sip_trunk_id not in self.trunks:
            raise TwirpError(404, "not_found", "no such trunk")
        trunk = sip_proto.SIPInboundTrunkInfo()
        trunk.CopyFrom(request.replace)
        trunk.sip_trunk_id = request.sip_trunk_id
        self.trunks[trunk.sip_trunk_id] = trunk
        return trunk

    def _list_trunks(self, request: Any) -> Message:
        items = [
            t
            for t in self.trunks.values()
            if (not request.trunk_ids or t.sip_trunk_id in request.trunk_ids)
            and (not request.numbers or set(request.numbers) & set(t.numbers))
        ]
        return sip_proto.ListSIPInboundTrunkResponse(items=items)

    def _delete_trunk(self, request: Any) -> Message:
        trunk = self.trunks.pop(request.sip_trunk_id, None)
        if trunk is None:
            raise TwirpError(404, "not_found", "no such trunk")
        return sip_proto.SIPTrunkInfo(sip_trunk_id=trunk.sip_trunk_id)

    def _check_rule(self, rule: sip_proto.SIPDispatchRuleInfo) -> None:
        missing = [t for t in rule.trunk_ids if t not in self.trunks]
        if missing:
            raise TwirpError(400, "invalid_argument", f"unknown trunks {missing}")
        for other in self.rules.values():
            if other.sip_dispatch_rule_id != rule.sip_dispatch_rule_id and set(other.trunk_ids) & set(
                rule.trunk_ids
            ):
                raise TwirpError(400, "invalid_argument", "conflicting dispatch rule for the same trunk")

    def _create_rule(self, request: Any) -> Message:
        rule = sip_proto.SIPDispatchRuleInfo()
        rule.CopyFrom(request.dispatch_rule)
        rule.sip_dispatch_rule_id = f"SDR_{uuid.uuid4().hex[:12]}"
        self._check_rule(rule)
        self.rules[rule.sip_dispatch_rule_id] = rule
        return rule

    def _update_rule(self, request: Any) -> Message:
        if request.sip_dispatch_rule_id not in self.rules:
            raise TwirpError(404, "not_found", "no such dispatch rule")
        rule = sip_proto.SIPDispatchRuleInfo()
        rule.CopyFrom(request.replace)
        rule.sip_dispatch_rule_id = request.sip_dispatch_rule_id
        self._check_rule(rule)
        self.rules[rule.sip_dispatch_rule_id] = rule
        return rule

    def _list_rules(self, request: Any) -> Message:
        items = [
            r
            for r in self.rules.values()
            if (not request.dispatch_rule_ids or r.sip_dispatch_rule_id in request.dispatch_rule_ids)
            and (not request.trunk_ids or set(request.trunk_ids) & set(r.trunk_ids))
        ]
        return sip_proto.ListSIPDispatchRuleResponse(items=items)

    def _delete_rule(self, request: Any) -> Message:
        rule = self.rules.pop(request.sip_dispatch_rule_id, None)
        if rule is None:
            raise TwirpError(404, "not_found", "no such dispatch rule")
        return rule

    def _transfer(self, request: Any) -> Message:
        if self.transfer_failure:
            raise TwirpError(
                400,
                "failed_precondition",
                "transfer failed",
                {"sip_transfer_reason": self.transfer_failure, "sip_status_code": "408"},
            )
        return sip_proto.TransferSIPParticipantResponse(
            transfer_id=f"TR_{uuid.uuid4().hex[:8]}",
            status=sip_proto.SIPTransferStatus.STS_TRANSFER_SUCCESSFUL,
        )

    # --- server ---------------------------------------------------------------------------------------------

    def __enter__(self) -> FakeLiveKit:
        fake = self
        methods = self._methods()
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            # Keep-alive, as LiveKit's own server does: clients reuse one connection per request in flight.
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _twirp_error(self, error: TwirpError) -> None:
                body = {"code": error.code, "msg": error.msg}
                if error.meta:
                    body["meta"] = error.meta  # type: ignore[assignment]
                self._send(error.status, json.dumps(body).encode(), "application/json")

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if fake.delay_seconds:
                    time.sleep(fake.delay_seconds)
                if fake.fail_status:
                    return self._twirp_error(TwirpError(fake.fail_status, "unavailable", "injected failure"))
                route = methods.get(self.path.removeprefix("/twirp/"))
                if route is None:
                    return self._twirp_error(TwirpError(404, "bad_route", f"no handler for {self.path}"))
                request_type, authorize, handle = route
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                try:
                    claims = jwt.decode(token, fake.api_secret, algorithms=["HS256"], issuer=fake.api_key)
                except jwt.PyJWTError as exc:
                    return self._twirp_error(TwirpError(401, "unauthenticated", str(exc)))
                # Go's Twirp server reads the media type only (the Node SDK adds ";charset=UTF-8").
                content_type = self.headers.get("Content-Type", "").split(";")[0].strip()
                request = request_type()
                if content_type == "application/json":
                    json_format.Parse(body, request)
                else:
                    request.ParseFromString(body)
                method = self.path.rsplit("/", 1)[-1]
                try:
                    authorize(claims, request)
                    with lock:
                        if fake.record:
                            fake.calls.append(
                                RecordedCall(method, content_type, json_format.MessageToDict(request), claims)
                            )
                        reply = handle(request)
                except TwirpError as error:
                    return self._twirp_error(error)
                if content_type == "application/json":
                    self._send(200, json_format.MessageToJson(reply).encode(), "application/json")
                else:
                    self._send(200, reply.SerializeToString(), "application/protobuf")

        self._server = _Server(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def reset(self) -> None:
        """Forget recorded calls, SIP state and injected faults (one server serves a whole test session)."""
        self.calls.clear()
        self.fail_status = None
        self.delay_seconds = 0.0
        self.trunks.clear()
        self.rules.clear()
        self.transfer_failure = None

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}"

    @property
    def dispatches(self) -> list[RecordedCall]:
        return [c for c in self.calls if c.method == "CreateDispatch"]

    def sip_calls(self, *methods: str) -> list[RecordedCall]:
        """Recorded SIP requests, optionally only those of the named methods (e.g. "CreateSIPDispatchRule")."""
        return [
            c
            for c in self.calls
            if c.method not in {"CreateDispatch", "ListRooms"} and (not methods or c.method in methods)
        ]

    def sip_writes(self) -> list[RecordedCall]:
        return [c for c in self.sip_calls() if not c.method.startswith("List")]
