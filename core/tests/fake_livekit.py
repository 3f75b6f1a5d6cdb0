"""A local stand-in for LiveKit's server API (Twirp over HTTP, protobuf or JSON bodies).

It verifies the bearer JWT with the API secret exactly as LiveKit does (HS256, issuer = API key, not
expired, the grant the method needs), records every CreateDispatch, and can be told to fail or to be slow.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from google.protobuf import json_format
from livekit.protocol import agent_dispatch


@dataclass
class RecordedCall:
    method: str
    content_type: str
    message: dict[str, Any]
    claims: dict[str, Any]


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

    def __enter__(self) -> FakeLiveKit:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            # Keep-alive, as LiveKit's own server does: clients reuse one connection per request in flight.
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _twirp_error(self, status: int, code: str, msg: str) -> None:
                body = json.dumps({"code": code, "msg": msg}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if fake.delay_seconds:
                    time.sleep(fake.delay_seconds)
                if fake.fail_status:
                    return self._twirp_error(fake.fail_status, "unavailable", "injected failure")
                if self.path != "/twirp/livekit.AgentDispatchService/CreateDispatch":
                    return self._twirp_error(404, "bad_route", f"no handler for {self.path}")
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                try:
                    claims = jwt.decode(token, fake.api_secret, algorithms=["HS256"], issuer=fake.api_key)
                except jwt.PyJWTError as exc:
                    return self._twirp_error(401, "unauthenticated", str(exc))
                # Go's Twirp server reads the media type only (the Node SDK adds ";charset=UTF-8").
                content_type = self.headers.get("Content-Type", "").split(";")[0].strip()
                request = agent_dispatch.CreateAgentDispatchRequest()
                if content_type == "application/json":
                    json_format.Parse(body, request)
                else:
                    request.ParseFromString(body)
                video = claims.get("video", {})
                if not video.get("roomAdmin") or video.get("room") != request.room:
                    return self._twirp_error(403, "permission_denied", "roomAdmin for this room is required")
                fake.dispatch_count += 1
                if fake.record:
                    fake.calls.append(
                        RecordedCall(
                            "CreateDispatch", content_type, json_format.MessageToDict(request), claims
                        )
                    )
                reply = agent_dispatch.AgentDispatch(
                    id=f"AD_{uuid.uuid4().hex[:12]}",
                    agent_name=request.agent_name,
                    room=request.room,
                    metadata=request.metadata,
                )
                if content_type == "application/json":
                    out, out_type = json_format.MessageToJson(reply).encode(), "application/json"
                else:
                    out, out_type = reply.SerializeToString(), "application/protobuf"
                self.send_response(200)
                self.send_header("Content-Type", out_type)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def reset(self) -> None:
        """Forget recorded calls and injected faults (one server serves a whole test session)."""
        self.calls.clear()
        self.fail_status = None
        self.delay_seconds = 0.0

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
