"""POST /api/connection-details: everything a diner's browser (or a restaurant's server) needs to talk."""

from __future__ import annotations

import time
import uuid
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from calls import sessions
from calls.api.throttles import ClientIpThrottle, RestaurantThrottle
from calls.contract import LANGUAGE_PATTERN, MAX_CONTEXT_BYTES, PUBLIC_ID_PATTERN
from config.metrics import API_ERRORS, DISPATCH_SECONDS, DISPATCHES
from core.errors import ApplicationError


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="A stable machine-readable code, e.g. restaurant_not_found.")
    detail = serializers.CharField(help_text="What is wrong, in words a person can act on.")


def _error(
    code: str, detail: str, http_status: int, retry_after: int | None = None, **extra: Any
) -> Response:
    DISPATCHES.labels(code).inc()
    API_ERRORS.labels(str(http_status), code).inc()
    response = Response({"error": code, "detail": detail, **extra}, status=http_status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


class ConnectionDetailsApi(APIView):
    throttle_classes = [ClientIpThrottle, RestaurantThrottle]

    class InputSerializer(serializers.Serializer):
        restaurant_id = serializers.RegexField(
            PUBLIC_ID_PATTERN, help_text="The restaurant's public id (r_…)."
        )
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
                    429: "Throttled or all lines busy (Retry-After)",
                    503: "Voice service unavailable (Retry-After)",
                }.items()
            },
        },
        summary="Start a voice session with a restaurant's agent",
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        if not serializer.is_valid():
            return _error("invalid_request", "The request body is not valid.", 400, fields=serializer.errors)
        data = serializer.validated_data
        authorization = request.headers.get("Authorization", "")
        api_key = (
            authorization.removeprefix("Bearer ").strip() if authorization.startswith("Bearer ") else None
        )
        started = time.perf_counter()
        try:
            details = sessions.session_create(
                public_id=data["restaurant_id"],
                origin=request.headers.get("Origin"),
                api_key=api_key,
                language=data.get("language"),
                context=data.get("context"),
                request_id=getattr(request, "request_id", "") or uuid.uuid4().hex,
                own_origin=f"{request.scheme}://{request.get_host()}",
            )
        except ApplicationError as exc:
            return _error(exc.code, exc.detail, exc.http_status, exc.retry_after)
        DISPATCHES.labels("dispatched").inc()
        DISPATCH_SECONDS.observe(time.perf_counter() - started)
        output = self.OutputSerializer(
            {
                "serverUrl": details.server_url,
                "participantToken": details.participant_token,
                "roomName": details.room_name,
                "participantIdentity": details.participant_identity,
                "expiresAt": details.expires_at,
            }
        )
        return Response(output.data, status=status.HTTP_200_OK)
