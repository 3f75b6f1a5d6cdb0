"""GET /api/restaurant-status: may the widget offer a call? Asked when the widget loads, takes no line.

Every page view of a restaurant's website asks once, so the answer is cheap and cacheable: with the
restaurant's snapshot and the allowed origins in Redis it reads no SQL, and the answer (taking calls, not
taking calls, not here) may be kept by the browser or a shared cache (it varies only with the Origin):
`STATUS_MAX_AGE_SECONDS` for "taking calls", `REFUSAL_MAX_AGE_SECONDS` for a refusal. The call start checks everything again, so a cached "taking calls" costs a
suspended restaurant nothing but a refused click, which shows its phone number.
"""

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
from calls.origins import aorigin_allowed_for_any_tenant
from core.cache_keys import request_rate_key
from core.errors import ApplicationError

STATUS_SCOPE = "restaurant_status_ip"
STATUS_MAX_AGE_SECONDS = 60
# A refusal is kept briefly: an owner who just pressed "Go live" (or an operator who lifted a suspension)
# sees the call button on the next visit within seconds, not a minute.
REFUSAL_MAX_AGE_SECONDS = 10


def _client_limit(request: Request) -> RateLimit:
    # Its own budget at the call start's per-address rate: a status check never costs a diner a call start.
    limit, window = parse_rate(settings.CONNECTION_DETAILS_RATE_PER_IP)
    return RateLimit(
        request_rate_key(STATUS_SCOPE, request.META.get("REMOTE_ADDR") or "unknown"), limit, window
    )


async def _admitted_and_origin_known(
    rate_limit: RateLimit, origin: str | None
) -> tuple[bool, Throttled | None]:
    """One trip to the event loop: the address's rate, then whether any tenant allows `origin` (Redis)."""
    try:
        await acall_admit(snapshot=None, room_name="", rate_limits=[rate_limit])
    except Throttled as exc:
        throttled: Throttled | None = exc
    else:
        throttled = None
    allowed = bool(origin) and await aorigin_allowed_for_any_tenant(origin=origin or "")
    return allowed, throttled


class RestaurantStatusApi(APIView):
    class RestaurantStatusInputSerializer(serializers.Serializer):
        restaurant_id = serializers.RegexField(PUBLIC_ID_PATTERN)

    class RestaurantStatusOutputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=["taking_calls"])
        name = serializers.CharField(help_text="The restaurant's name, for the widget's panel title.")
        phone = serializers.CharField(required=False, help_text="The restaurant's phone number, when set.")

    @extend_schema(
        parameters=[OpenApiParameter("restaurant_id", str, description="The restaurant's public id (r_…).")],
        responses={
            200: RestaurantStatusOutputSerializer,
            403: OpenApiResponse(
                description="not_live (not taking calls yet) or not_taking_calls; with the restaurant's "
                "name and, when set, its phone number"
            ),
            404: OpenApiResponse(description="Unknown restaurant, or not available from this website"),
            429: OpenApiResponse(description="Too many checks from this address (Retry-After)"),
        },
        summary="Whether a restaurant's widget may offer a call now (asked when the widget loads; cacheable)",
    )
    def get(self, request: Request) -> Response:
        serializer = self.RestaurantStatusInputSerializer(data=request.query_params)
        if not serializer.is_valid():
            response = Response(
                {"error": "invalid_request", "detail": "Give restaurant_id=r_… in the query string."},
                status=400,
            )
            response["Cache-Control"] = "no-store"
            return response
        origin = request.headers.get("Origin")
        origin_allowed, throttled = async_to_sync(_admitted_and_origin_known)(_client_limit(request), origin)
        cacheable = True
        if throttled is not None:
            response = Response({"error": throttled.code, "detail": throttled.detail}, status=429)
            response["Retry-After"] = str(throttled.retry_after)
            cacheable = False
        else:
            own_origin = f"{request.scheme}://{request.get_host()}"
            try:
                snapshot = sessions.session_availability_check(
                    public_id=serializer.validated_data["restaurant_id"],
                    # Browsers send no Origin on a same-origin GET: that is one of the platform's own pages.
                    # (Outside a browser any Origin can be claimed, so this reveals nothing new.)
                    origin=origin or own_origin,
                    own_origin=own_origin,
                )
            except ApplicationError as exc:
                response = Response(
                    {"error": exc.code, "detail": exc.detail, **exc.extra}, status=exc.http_status
                )
                # A stale snapshot (Postgres down) is not worth keeping; anything else is a state.
                cacheable = exc.http_status in (403, 404)
            else:
                body = {"status": "taking_calls", **sessions.restaurant_contact(snapshot)}
                response = Response(self.RestaurantStatusOutputSerializer(body).data)
                cacheable = not snapshot.stale
        # A simple GET (no preflight): the widget may read the answer on any website some tenant allows.
        if origin and origin_allowed:
            for name, value in cors_headers(origin).items():
                response[name] = value
        response["Vary"] = "Origin"
        max_age = STATUS_MAX_AGE_SECONDS if response.status_code == 200 else REFUSAL_MAX_AGE_SECONDS
        response["Cache-Control"] = f"public, max-age={max_age}" if cacheable else "no-store"
        return response
