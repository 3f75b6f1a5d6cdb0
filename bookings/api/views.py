"""The bookings API, server to server with the tenant's API key: list a day, create, cancel.

One view per operation with its own input and output serializers (HackSoft style); the views hold no
booking logic. Errors are `{"error": code, "detail": words}` with the status the service's error names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from bookings.api.authentication import ApiKeyAuthentication
from bookings.models import Booking
from bookings.services import booking_cancel, booking_create
from calls.api.connection_details import ErrorSerializer  # one error shape, one schema component
from calls.contract import PUBLIC_ID_PATTERN
from core.errors import ApplicationError
from tenants.models import Restaurant
from tenants.scoping import TenantScopedAPIMixin


def _error(code: str, detail: str, http_status: int, **extra: Any) -> Response:
    return Response({"error": code, "detail": detail, **extra}, status=http_status)


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid body or query"),
    401: OpenApiResponse(ErrorSerializer, description="Missing or invalid API key"),
    404: OpenApiResponse(ErrorSerializer, description="No such restaurant or booking for this tenant"),
}


class BookingOutputSerializer(serializers.ModelSerializer):
    restaurant_id = serializers.CharField(source="restaurant.public_id")
    start = serializers.SerializerMethodField(
        help_text="Start, in the restaurant's local time with its offset."
    )
    end = serializers.SerializerMethodField()
    tables = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "reference",
            "restaurant_id",
            "kind",
            "status",
            "party_size",
            "start",
            "end",
            "service_date",
            "tables",
            "name",
            "phone",
            "email",
            "notes",
            "channel",
            "created_at",
        ]

    def _local(self, value: dt.datetime, obj: Booking) -> str:
        return value.astimezone(ZoneInfo(obj.restaurant.timezone)).isoformat()

    def get_start(self, obj: Booking) -> str:
        return self._local(obj.start_at, obj)

    def get_end(self, obj: Booking) -> str:
        return self._local(obj.end_at, obj)

    def get_tables(self, obj: Booking) -> list[str]:
        return sorted(t.name for t in obj.tables.all())


class _Scoped(TenantScopedAPIMixin, GenericAPIView):
    authentication_classes = [ApiKeyAuthentication]
    # What DRF's OPTIONS (metadata) describes; each operation still uses its own input serializer.
    serializer_class = BookingOutputSerializer

    def restaurant(self, public_id: str) -> Restaurant | None:
        return Restaurant.objects.filter(public_id=public_id, tenant_id__in=self.caller_tenant_ids()).first()


class BookingListCreateApi(_Scoped):
    queryset = Booking.objects.all()

    class ListInputSerializer(serializers.Serializer):
        restaurant_id = serializers.RegexField(PUBLIC_ID_PATTERN, help_text="The restaurant's public id.")
        date = serializers.DateField(help_text="The service date, in the restaurant's local calendar.")

    class CreateInputSerializer(serializers.Serializer):
        restaurant_id = serializers.RegexField(PUBLIC_ID_PATTERN)
        date = serializers.DateField(help_text="Local date, YYYY-MM-DD.")
        time = serializers.TimeField(help_text="Local time at the restaurant, HH:MM.")
        party_size = serializers.IntegerField(min_value=1, max_value=100)
        name = serializers.CharField(max_length=120)
        phone = serializers.CharField(
            max_length=40, help_text="With the country code, or local to the restaurant."
        )
        email = serializers.EmailField(required=False, allow_blank=True)
        notes = serializers.CharField(max_length=500, required=False, allow_blank=True)

    @extend_schema(
        parameters=[ListInputSerializer],
        responses={200: BookingOutputSerializer(many=True), **ERRORS},
        summary="List a restaurant's bookings for one service date",
    )
    def get(self, request: Request) -> Response:
        query = self.ListInputSerializer(data=request.query_params)
        if not query.is_valid():
            return _error(
                "invalid_request", "Give restaurant_id and date (YYYY-MM-DD).", 400, fields=query.errors
            )
        restaurant = self.restaurant(query.validated_data["restaurant_id"])
        if restaurant is None:
            return _error("not_found", "No such restaurant.", 404)
        bookings = (
            self.get_queryset()
            .filter(restaurant=restaurant, service_date=query.validated_data["date"])
            .select_related("restaurant")
            .prefetch_related("tables")
            .order_by("start_at")
        )
        return Response(BookingOutputSerializer(bookings, many=True).data)

    @extend_schema(
        request=CreateInputSerializer,
        responses={
            201: BookingOutputSerializer,
            409: OpenApiResponse(
                ErrorSerializer, description="Not bookable then; `alternatives` lists free times"
            ),
            **ERRORS,
        },
        summary="Book a table (the same rules as the agent: hours, notice, party size, free tables)",
    )
    def post(self, request: Request) -> Response:
        body = self.CreateInputSerializer(data=request.data)
        if not body.is_valid():
            return _error("invalid_request", "The request body is not valid.", 400, fields=body.errors)
        data = body.validated_data
        restaurant = self.restaurant(data["restaurant_id"])
        if restaurant is None:
            return _error("not_found", "No such restaurant.", 404)
        zone = ZoneInfo(restaurant.timezone)
        start = dt.datetime.combine(data["date"], data["time"]).replace(tzinfo=zone).astimezone(dt.UTC)
        try:
            booking = booking_create(
                restaurant=restaurant,
                start=start,
                party_size=data["party_size"],
                name=data["name"],
                phone=data["phone"],
                email=data.get("email", ""),
                notes=data.get("notes", ""),
                channel=Booking.Channel.API,
            )
        except ApplicationError as exc:
            extra: dict[str, Any] = {}
            result = getattr(exc, "availability", None)
            if result is not None:
                extra["alternatives"] = [t.astimezone(zone).isoformat() for t in result.alternatives]
            return _error(exc.code, exc.detail, exc.http_status, **extra)
        return Response(BookingOutputSerializer(booking).data, status=status.HTTP_201_CREATED)


class BookingCancelApi(_Scoped):
    queryset = Booking.objects.all()

    @extend_schema(
        request=None,
        responses={200: BookingOutputSerializer, **ERRORS},
        summary="Cancel a booking by its reference (frees its tables; the diner is emailed)",
    )
    def post(self, request: Request, reference: str) -> Response:
        booking = (
            self.get_queryset()
            .select_related("restaurant")
            .filter(reference=reference.upper(), kind=Booking.Kind.BOOKING)
            .first()
        )
        if booking is None:
            return _error("not_found", "No such booking.", 404)
        try:
            booking = booking_cancel(booking=booking)
        except ApplicationError as exc:
            return _error(exc.code, exc.detail, exc.http_status)
        return Response(BookingOutputSerializer(booking).data)
