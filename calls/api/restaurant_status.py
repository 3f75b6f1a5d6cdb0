"""GET /api/restaurant-status: may the widget offer a call? Asked before the microphone, takes no line."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from calls import sessions
from calls.admission import RateLimit, Throttled, acall_admit
from calls.api.cors import cors_headers
from calls.api.throttles import parse_rate
from calls.contract import PUBLIC_ID_PATTERN
from calls.origins import origin_allowed_for_any_tenant
from core.cache_keys import request_rate_key
from core.errors import ApplicationError

STATUS_SCOPE = "restaurant_status_ip"


def _client_limit(request: Request) -> RateLimit:
    # Its own budget at the call start's per-address rate: a status check never costs a diner a call start.
    limit, window = parse_rate(settings.CONNECTION_DETAILS_RATE_PER_IP)
    return RateLimit(
        request_rate_key(STATUS_SCOPE, request.META.get("REMOTE_ADDR") or "unknown"), limit, window
    )


class RestaurantStatusApi(APIView):
    class RestaurantStatusInputSerializer(serializers.Serializer):
        restaurant_id = serializers.RegexField(PUBLIC_ID_PATTERN)

    class RestaurantStatusOutputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=["taking_calls"])

    @extend_schema(
        parameters=[OpenApiParameter("restaurant_id", str, description="The restaurant's public id (r_…).")],
        responses={
            200: RestaurantStatusOutputSerializer,
            403: OpenApiResponse(description="not_live (not taking calls yet) or not_taking_calls"),
            404: OpenApiResponse(description="Unknown restaurant, or not available from this website"),
        },
        summary="Whether a restaurant's widget may offer a call now (asked before the microphone)",
    )
    def get(self, request: Request) -> Response:
        serializer = self.RestaurantStatusInputSerializer(data=request.query_params)
        if not serializer.is_valid():
            return Response(
                {"error": "invalid_request", "detail": "Give restaurant_id=r_… in the query string."},
                status=400,
            )
        origin = request.headers.get("Origin")
        try:
            async_to_sync(acall_admit)(snapshot=None, room_name="", rate_limits=[_client_limit(request)])
            sessions.session_availability_check(
                public_id=serializer.validated_data["restaurant_id"],
                origin=origin,
                own_origin=f"{request.scheme}://{request.get_host()}",
            )
        except ApplicationError as exc:
            response = Response({"error": exc.code, "detail": exc.detail}, status=exc.http_status)
            if isinstance(exc, Throttled):
                response["Retry-After"] = str(exc.retry_after)
        else:
            response = Response(self.RestaurantStatusOutputSerializer({"status": "taking_calls"}).data)
        # A simple GET (no preflight): the widget may read the answer on any website some tenant allows.
        if origin and origin_allowed_for_any_tenant(origin=origin):
            for name, value in cors_headers(origin).items():
                response[name] = value
        response["Vary"] = "Origin"
        return response
