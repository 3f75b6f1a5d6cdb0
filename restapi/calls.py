"""The key's tenant's calls: a list with filters, and one call with its transcript (over calls.selectors)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from calls import selectors
from calls.contract import PUBLIC_ID_PATTERN
from restapi.auth import CanReadCalls, key_of
from restapi.base import LIST_PARAMETERS, V1View, errors, found, page_of, paginate


class CallOut(serializers.Serializer):
    id = serializers.CharField(source="job_id", help_text="The call id, as in the call.ended webhook.")
    restaurant_id = serializers.SerializerMethodField()
    restaurant_name = serializers.CharField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField()
    duration_seconds = serializers.FloatField()
    end_reason = serializers.CharField()
    channel = serializers.CharField(help_text="web, phone, or test (an owner's test chat).")
    outcome = serializers.CharField(
        help_text="answered, unanswered_question, message_taken… (empty: unknown)."
    )
    language = serializers.CharField()
    snapshot_version = serializers.CharField()

    def get_restaurant_id(self, obj: object) -> str | None:
        restaurant = getattr(obj, "restaurant", None)
        return restaurant.public_id if restaurant is not None else None


class TranscriptLineOut(serializers.Serializer):
    role = serializers.CharField()
    text = serializers.CharField()
    at = serializers.DateTimeField(allow_null=True, required=False)


class CallDetailOut(CallOut):
    transcript = TranscriptLineOut(many=True)


class CallFilters(serializers.Serializer):
    restaurant = serializers.RegexField(PUBLIC_ID_PATTERN, required=False)
    started_after = serializers.DateTimeField(required=False)
    started_before = serializers.DateTimeField(required=False)
    end_reason = serializers.CharField(max_length=64, required=False)


class CallListApi(V1View):
    permission_classes = [CanReadCalls]

    @extend_schema(
        summary="List calls, newest first",
        operation_id="v1_calls_list",
        parameters=[
            OpenApiParameter("restaurant", str, description="A restaurant's public id."),
            OpenApiParameter("started_after", str, description="ISO 8601 date-time (inclusive)."),
            OpenApiParameter("started_before", str, description="ISO 8601 date-time (exclusive)."),
            OpenApiParameter("end_reason", str),
            *LIST_PARAMETERS,
        ],
        responses={200: page_of(CallOut), **errors(400)},
        tags=["calls"],
    )
    def get(self, request: Request) -> Response:
        filters = CallFilters(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        qs = selectors.call_list(
            tenant_id=key_of(request).tenant_id,
            restaurant_public_id=data.get("restaurant"),
            started_after=data.get("started_after"),
            started_before=data.get("started_before"),
            end_reason=data.get("end_reason"),
        )
        return paginate(self, request, qs, CallOut)


class CallDetailApi(V1View):
    permission_classes = [CanReadCalls]

    @extend_schema(
        summary="Read a call with its transcript",
        responses={200: CallDetailOut, **errors(404)},
        tags=["calls"],
    )
    def get(self, request: Request, call_id: str) -> Response:
        record = found(selectors.call_get(tenant_id=key_of(request).tenant_id, call_id=call_id), "call")
        return Response(CallDetailOut(record).data)
