"""POST /api/connection-details: everything a diner's browser (or a restaurant's server) needs to talk.

One async handler, `answer()`, does the whole request on the serving event loop: it is mounted in front
of Django in the ASGI application (`calls/api/asgi.py`, what uvicorn serves: no middleware stack, no
thread hop), and the Django view below calls the same handler for Django's own test client and any WSGI
server. Django's middleware does not run on the ASGI route, so what it would add to this endpoint is
done here: the host check, HTTPS redirect and security headers, the request id, CORS, JSON errors.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port, validate_host
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from calls import sessions
from calls.admission import acall_admit
from calls.api.cors import cors_headers
from calls.api.throttles import client_rate_limit, restaurant_rate_limit
from calls.contract import LANGUAGE_PATTERN, MAX_CONTEXT_BYTES, PUBLIC_ID_PATTERN
from calls.origins import aorigin_allowed_for_any_tenant
from config.logging import log_context
from config.metrics import API_ERRORS, DISPATCH_SECONDS, DISPATCHES
from config.request_id import HEADER as REQUEST_ID_HEADER
from config.request_id import request_id_from
from core.errors import ApplicationError
from core.loop_local import loop_locals_close_if_short_lived

logger = logging.getLogger(__name__)

# A call start is a few hundred bytes; context is capped far below this (MAX_CONTEXT_BYTES).
MAX_BODY_BYTES = 64 * 1024
ALLOW = "POST, OPTIONS"


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="A stable machine-readable code, e.g. restaurant_not_found.")
    detail = serializers.CharField(help_text="What is wrong, in words a person can act on.")
    name = serializers.CharField(
        required=False, help_text="The restaurant's name, on refusals that concern a known restaurant."
    )
    phone = serializers.CharField(
        required=False,
        help_text="The restaurant's phone number, when set, on refusals that concern a known restaurant "
        "(not taking calls, not live, busy, voice service unavailable): the diner can call instead.",
    )


# The contract's patterns, for fullmatch (they are written anchored, for DRF and pydantic).
RESTAURANT_ID = re.compile(PUBLIC_ID_PATTERN.removeprefix("^").removesuffix("$"))
LANGUAGE = re.compile(LANGUAGE_PATTERN.removeprefix("^").removesuffix("$"))


class InputSerializer(serializers.Serializer):
    restaurant_id = serializers.RegexField(PUBLIC_ID_PATTERN, help_text="The restaurant's public id (r_…).")
    language = serializers.RegexField(LANGUAGE_PATTERN, required=False)
    context = serializers.DictField(  # type: ignore[assignment]
        required=False,
        help_text=f"Server-to-server only: small per-session facts, at most {MAX_CONTEXT_BYTES} bytes of JSON.",
    )


class OutputSerializer(serializers.Serializer):
    serverUrl = serializers.CharField()
    participantToken = serializers.CharField()
    roomName = serializers.CharField()
    participantIdentity = serializers.CharField()
    expiresAt = serializers.DateTimeField()


@dataclass
class CallStartRequest:
    method: str
    scheme: str
    host: str  # the Host header, port included
    path: str
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    client_ip: str
    request_id: str = ""
    body_too_large: bool = False


@dataclass
class Answer:
    status: int
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        return b"" if self.body is None else json.dumps(self.body, separators=(",", ":")).encode()


def plainly_valid(data: Any) -> dict[str, Any] | None:
    """The serializer's result for the plain, valid bodies a widget sends, without building it.

    DRF deep-copies every declared field for each serializer instance, about a sixth of a call start's
    CPU under load. Anything this does not accept as-is (a wrong type, surrounding whitespace, a bad
    value) goes to InputSerializer, which stays the one judge of what is valid and says what is wrong;
    a test holds the two together.
    """
    if type(data) is not dict:
        return None
    restaurant_id = data.get("restaurant_id")
    if type(restaurant_id) is not str or not RESTAURANT_ID.fullmatch(restaurant_id):
        return None
    valid: dict[str, Any] = {"restaurant_id": restaurant_id}
    if "language" in data:
        language = data["language"]
        if type(language) is not str or not LANGUAGE.fullmatch(language):
            return None
        valid["language"] = language
    if "context" in data:
        context = data["context"]
        if type(context) is not dict or not all(type(k) is str for k in context):
            return None
        valid["context"] = context
    return valid


def _error(code: str, detail: str, status: int, retry_after: int | None = None, **extra: Any) -> Answer:
    DISPATCHES.labels(code).inc()
    API_ERRORS.labels(str(status), code).inc()
    answer = Answer(status, {"error": code, "detail": detail, **extra})
    if retry_after:
        answer.headers["Retry-After"] = str(retry_after)
    return answer


def _is_secure(req: CallStartRequest) -> bool:
    if req.scheme == "https":
        return True
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy_header:  # Django's own rule (production trusts the ingress's X-Forwarded-Proto)
        name, value = proxy_header
        header = name.removeprefix("HTTP_").replace("_", "-").lower()
        return req.headers.get(header, "").split(",")[0].strip() == value
    return False


def _security_headers(secure: bool) -> dict[str, str]:
    """What Django's SecurityMiddleware and XFrameOptionsMiddleware add, plus no caching of tokens."""
    # A JSON answer never needs to load or frame anything.
    headers = {
        "Cache-Control": "no-store",
        "Vary": "Origin",
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    }
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers["X-Content-Type-Options"] = "nosniff"
    if secure and settings.SECURE_HSTS_SECONDS:
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        headers["Strict-Transport-Security"] = hsts
    if settings.SECURE_REFERRER_POLICY:
        headers["Referrer-Policy"] = str(settings.SECURE_REFERRER_POLICY)
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers["Cross-Origin-Opener-Policy"] = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
    headers["X-Frame-Options"] = getattr(settings, "X_FRAME_OPTIONS", "DENY")
    return headers


def _host_allowed(host: str) -> bool:
    domain, _port = split_domain_port(host)
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return bool(domain) and validate_host(domain, allowed)


def _bearer(req: CallStartRequest) -> str | None:
    authorization = req.headers.get("authorization", "")
    return authorization.removeprefix("Bearer ").strip() if authorization.startswith("Bearer ") else None


async def _refusal_counted(req: CallStartRequest, refusal: Answer) -> Answer:
    """A refused request counts against its sender's address only; over that budget it is throttled."""
    try:
        await acall_admit(snapshot=None, room_name="", rate_limits=[client_rate_limit(req.client_ip)])
    except ApplicationError as exc:
        return _error(exc.code, exc.detail, exc.http_status, exc.retry_after)
    return refusal


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


async def _call_start(req: CallStartRequest) -> tuple[Answer, bool]:
    """The POST itself. Returns the answer and whether its origin is known to be allowed."""
    if req.body_too_large:
        return await _refusal_counted(
            req, _error("request_too_large", f"The body may be at most {MAX_BODY_BYTES} bytes.", 413)
        ), False
    try:
        # UTF-8 only (json.loads would also guess UTF-16/32 from bytes); NaN and Infinity are not JSON.
        data = json.loads(req.body.decode("utf-8"), parse_constant=_not_json) if req.body else {}
    except UnicodeDecodeError as exc:
        detail = f"The request body is not UTF-8 text (byte {exc.start})."
        return await _refusal_counted(req, _error("parse_error", detail, 400)), False
    except (ValueError, RecursionError) as exc:
        detail = f"JSON parse error - {exc}" if isinstance(exc, ValueError) else "JSON parse error - too deep"
        return await _refusal_counted(req, _error("parse_error", detail, 400)), False
    api_key = _bearer(req)
    # A browser's origin has passed the restaurant's own check once the session service got past it;
    # a server with a key may send any Origin, which gets CORS only if some tenant allows it.
    origin_checked = api_key is None
    valid = plainly_valid(data)
    if valid is None:
        serializer = InputSerializer(data=data)
        if not serializer.is_valid():
            return await _refusal_counted(
                req,
                _error("invalid_request", "The request body is not valid.", 400, fields=serializer.errors),
            ), False
        valid = serializer.validated_data
    started = time.perf_counter()
    try:
        details = await sessions.asession_create(
            public_id=valid["restaurant_id"],
            origin=req.headers.get("origin"),
            api_key=api_key,
            language=valid.get("language"),
            context=valid.get("context"),
            request_id=req.request_id,
            own_origin=f"{req.scheme}://{req.host}",
            client_ident=req.client_ip,
            rate_limits=lambda snapshot: (
                client_rate_limit(req.client_ip),
                restaurant_rate_limit(snapshot.public_id),
            ),
        )
    except sessions.Refused as refused:
        error = refused.error
        return await _refusal_counted(
            req, _error(error.code, error.detail, error.http_status, error.retry_after, **error.extra)
        ), False
    except ApplicationError as exc:  # throttled, every line busy, LiveKit unavailable: after the checks
        return _error(exc.code, exc.detail, exc.http_status, exc.retry_after, **exc.extra), origin_checked
    DISPATCHES.labels("dispatched").inc()
    DISPATCH_SECONDS.observe(time.perf_counter() - started)
    expires = details.expires_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    body = {
        "serverUrl": details.server_url,
        "participantToken": details.participant_token,
        "roomName": details.room_name,
        "participantIdentity": details.participant_identity,
        "expiresAt": expires,
    }
    return Answer(200, body), origin_checked


async def answer(req: CallStartRequest) -> Answer:
    """The whole endpoint. Never raises: every failure is a JSON answer."""
    req.request_id = req.request_id or request_id_from(req.headers.get("x-request-id", ""))
    with log_context(request_id=req.request_id):
        result = await _answer(req)
    result.headers[REQUEST_ID_HEADER] = req.request_id
    return result


async def _answer(req: CallStartRequest) -> Answer:
    if not _host_allowed(req.host):
        return _error("bad_host", "This host name is not served here.", 400)
    secure = _is_secure(req)
    if settings.SECURE_SSL_REDIRECT and not secure:
        host = settings.SECURE_SSL_HOST or req.host
        return Answer(301, None, {"Location": f"https://{host}{req.path}"})
    origin = req.headers.get("origin")
    try:
        if req.method == "OPTIONS":
            result, origin_ok = Answer(204), False
        elif req.method == "POST":
            result, origin_ok = await _call_start(req)
        else:
            result, origin_ok = (
                _error("method_not_allowed", f'Method "{req.method}" not allowed.', 405),
                False,
            )
            result.headers["Allow"] = ALLOW
        if origin and not origin_ok:
            origin_ok = await aorigin_allowed_for_any_tenant(origin=origin)
    except DatabaseError as exc:
        # Postgres is down and this request needed it (a restaurant not in the cache, an API key).
        logger.error("call start needs Postgres, which is unavailable: %r", exc)
        result, origin_ok = (
            _error(
                "database_unavailable",
                "The service is unavailable right now. Please try again shortly.",
                503,
                5,
            ),
            False,
        )
    except Exception:
        logger.exception("call start failed")
        result, origin_ok = _error("server_error", "Something went wrong on our side.", 500), False
    result.headers.update(_security_headers(secure))
    if origin and origin_ok:
        result.headers.update(cors_headers(origin))
    return result


class ConnectionDetailsApi(APIView):
    """The same endpoint inside Django (its test client, a WSGI server) and for the OpenAPI schema."""

    InputSerializer = InputSerializer
    OutputSerializer = OutputSerializer

    @extend_schema(
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            **{
                code: OpenApiResponse(ErrorSerializer, description=text)
                for code, text in {
                    400: "Invalid body",
                    403: "Bad API key, no Origin, or the restaurant is not taking calls",
                    404: "Unknown restaurant, or not available from this website",
                    413: "Body too large",
                    429: "Throttled or all lines busy (Retry-After)",
                    503: "Voice service or database unavailable (Retry-After)",
                }.items()
            },
        },
        summary="Start a voice session with a restaurant's agent",
    )
    async def post(self, request: HttpRequest) -> HttpResponse:
        try:
            body = request.body
        except RequestDataTooBig:
            # Django's own cap (DATA_UPLOAD_MAX_MEMORY_SIZE) came first: the same JSON 413 as ours.
            body = b"\0" * (MAX_BODY_BYTES + 1)
        req = CallStartRequest(
            method=request.method or "GET",
            scheme=request.scheme or "http",
            host=request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", ""),
            path=request.path,
            headers={k.lower(): v for k, v in request.headers.items()},
            body=body[: MAX_BODY_BYTES + 1],
            client_ip=request.META.get("REMOTE_ADDR", ""),
            request_id=getattr(request, "request_id", ""),
            body_too_large=len(body) > MAX_BODY_BYTES,
        )
        try:
            result = await answer(req)
        finally:
            # Under the test client or a WSGI server this loop ends with the request (async_to_sync).
            await loop_locals_close_if_short_lived()
        response = HttpResponse(result.encoded(), status=result.status, content_type="application/json")
        for name, value in result.headers.items():
            response[name] = value
        return response

    async def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:  # type: ignore[override]
        return await self.post(request)

    async def options(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:  # type: ignore[override]
        return await self.post(request)
