"""Restaurants, hours, special dates and menus of the key's tenant. Reads over tenants.selectors, writes
through tenants.services (the admin's models, checks and signals: the snapshot cache is invalidated and
webhooks fire exactly as for an edit in the admin)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from restapi.auth import CatalogPermission, key_of
from restapi.base import (
    ETAG,
    IF_MATCH,
    LIST_PARAMETERS,
    ClockTimeField,
    V1View,
    check_if_match,
    errors,
    found,
    object_id,
    page_of,
    paginate,
    with_etag,
)
from tenants import selectors, services
from tenants.models import MenuCategory, MenuItem, Restaurant, Weekday
from tenants.vocabulary import ALLERGENS, DIETARY_TAGS, LANGUAGES

RESTAURANT_PATH = OpenApiParameter(
    "restaurant_id", str, OpenApiParameter.PATH, description="The restaurant's public id, r_…"
)


def _restaurant(request: Request, restaurant_id: str) -> Restaurant:
    return found(
        selectors.restaurant_get(tenant_id=key_of(request).tenant_id, public_id=restaurant_id), "restaurant"
    )


# --- restaurants ----------------------------------------------------------------------------------------------


class RestaurantOut(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    name = serializers.CharField()
    cuisine = serializers.CharField()
    address = serializers.CharField()
    phone = serializers.CharField()
    website = serializers.CharField()
    timezone = serializers.CharField()
    language = serializers.CharField()
    currency = serializers.CharField()
    greeting = serializers.CharField()
    voice = serializers.CharField()
    extra_instructions = serializers.CharField()
    is_active = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


class RestaurantPatch(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    cuisine = serializers.CharField(max_length=100, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    timezone = serializers.CharField(max_length=64, required=False, help_text="IANA name, e.g. Europe/Paris.")
    language = serializers.ChoiceField(choices=list(LANGUAGES), required=False)
    currency = serializers.RegexField(r"^[A-Z]{3}$", required=False)
    greeting = serializers.CharField(max_length=300, required=False, allow_blank=True)
    voice = serializers.CharField(max_length=100, required=False, allow_blank=True)
    extra_instructions = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False, help_text="false: the restaurant takes no calls.")


class RestaurantListApi(V1View):
    permission_classes = [CatalogPermission]

    @extend_schema(
        summary="List restaurants",
        operation_id="v1_restaurants_list",
        parameters=LIST_PARAMETERS,
        responses={200: page_of(RestaurantOut), **errors()},
        tags=["catalog"],
    )
    def get(self, request: Request) -> Response:
        return paginate(
            self, request, selectors.restaurant_list(tenant_id=key_of(request).tenant_id), RestaurantOut
        )


class RestaurantDetailApi(V1View):
    permission_classes = [CatalogPermission]

    @extend_schema(
        summary="Read a restaurant",
        parameters=[RESTAURANT_PATH, ETAG],
        responses={200: RestaurantOut, **errors(404)},
        tags=["catalog"],
    )
    def get(self, request: Request, restaurant_id: str) -> Response:
        return with_etag(RestaurantOut(_restaurant(request, restaurant_id)).data)

    @extend_schema(
        summary="Change a restaurant's owner-editable fields",
        parameters=[RESTAURANT_PATH, IF_MATCH],
        request=RestaurantPatch,
        responses={200: RestaurantOut, **errors(400, 404, 409, 412, 428)},
        examples=[OpenApiExample("Stop taking calls", value={"is_active": False}, request_only=True)],
        tags=["catalog"],
    )
    def patch(self, request: Request, restaurant_id: str) -> Response:
        restaurant = _restaurant(request, restaurant_id)
        check_if_match(request, RestaurantOut(restaurant).data)
        data = _valid(RestaurantPatch, request.data)
        restaurant = services.restaurant_update(restaurant=restaurant, fields=data)
        return with_etag(RestaurantOut(restaurant).data)


def _valid(serializer_class: type[serializers.Serializer], data: Any, **kwargs: Any) -> Any:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- hours and special dates -----------------------------------------------------------------------------------


class HoursInterval(serializers.Serializer):
    weekday = serializers.ChoiceField(
        choices=[d.label.lower() for d in Weekday],
        help_text="monday … sunday, in the restaurant's time zone.",
    )
    opens_at = ClockTimeField(help_text="HH:MM local time.")
    closes_at = ClockTimeField(help_text="Earlier than opens_at: past midnight.")


class HoursOut(serializers.Serializer):
    timezone = serializers.CharField()
    intervals = HoursInterval(many=True)


class HoursIn(serializers.Serializer):
    intervals = HoursInterval(  # type: ignore[call-arg]
        many=True, max_length=100, help_text="The whole week; a day not named is closed."
    )


_WEEKDAYS = [d.label.lower() for d in Weekday]


def _hours_out(restaurant: Restaurant) -> dict[str, Any]:
    rows = selectors.opening_hours_list(restaurant=restaurant)
    return HoursOut(
        {
            "timezone": restaurant.timezone,
            "intervals": [
                {"weekday": _WEEKDAYS[r.weekday], "opens_at": r.opens_at, "closes_at": r.closes_at}
                for r in rows
            ],
        }
    ).data


def _interval(data: dict[str, Any]) -> services.Interval:
    return services.Interval(
        weekday=_WEEKDAYS.index(data["weekday"]) if "weekday" in data else None,
        date=data.get("date"),
        end_date=data.get("end_date"),
        opens_at=data.get("opens_at"),
        closes_at=data.get("closes_at"),
        note=data.get("note", ""),
    )


class HoursApi(V1View):
    permission_classes = [CatalogPermission]

    @extend_schema(
        summary="Read the weekly opening hours",
        parameters=[RESTAURANT_PATH, ETAG],
        responses={200: HoursOut, **errors(404)},
        tags=["hours"],
    )
    def get(self, request: Request, restaurant_id: str) -> Response:
        return with_etag(_hours_out(_restaurant(request, restaurant_id)))

    @extend_schema(
        summary="Replace the whole weekly schedule",
        parameters=[RESTAURANT_PATH, IF_MATCH],
        request=HoursIn,
        responses={200: HoursOut, **errors(400, 404, 412, 428)},
        examples=[
            OpenApiExample(
                "Split shifts and a late Saturday",
                request_only=True,
                value={
                    "intervals": [
                        {"weekday": "tuesday", "opens_at": "12:00", "closes_at": "14:30"},
                        {"weekday": "tuesday", "opens_at": "19:00", "closes_at": "22:30"},
                        {"weekday": "saturday", "opens_at": "18:00", "closes_at": "02:00"},
                    ]
                },
            )
        ],
        tags=["hours"],
    )
    def put(self, request: Request, restaurant_id: str) -> Response:
        restaurant = _restaurant(request, restaurant_id)
        check_if_match(request, _hours_out(restaurant))
        data = _valid(HoursIn, request.data)
        services.opening_hours_replace(
            restaurant=restaurant, intervals=[_interval(i) for i in data["intervals"]]
        )
        return with_etag(_hours_out(restaurant))

    @extend_schema(
        summary="Add one opening interval",
        parameters=[RESTAURANT_PATH],
        request=HoursInterval,
        responses={201: HoursOut, **errors(400, 404)},
        tags=["hours"],
    )
    def post(self, request: Request, restaurant_id: str) -> Response:
        restaurant = _restaurant(request, restaurant_id)
        data = _valid(HoursInterval, request.data)
        services.opening_hours_add(restaurant=restaurant, interval=_interval(data))
        return with_etag(_hours_out(restaurant), status=201)


class SpecialDateSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The date, or the first day of a closure.")
    end_date = serializers.DateField(
        allow_null=True,
        required=False,
        default=None,
        help_text="Last day of a closure over several dates (inclusive); null or absent: that date only. "
        "Only for closures (no times).",
    )
    opens_at = ClockTimeField(allow_null=True, required=False, help_text="Null: closed all day.")
    closes_at = ClockTimeField(allow_null=True, required=False)
    note = serializers.CharField(max_length=120, allow_blank=True, required=False, default="")


class SpecialDatesOut(serializers.Serializer):
    timezone = serializers.CharField()
    special_dates = SpecialDateSerializer(many=True)


class SpecialDatesIn(serializers.Serializer):
    date_from = serializers.DateField(
        required=False,
        help_text="Replace only dates from this day on (past holidays stay). Omit to replace all.",
    )
    special_dates = SpecialDateSerializer(many=True, max_length=1000)  # type: ignore[call-arg]


DATE_FILTERS = [
    OpenApiParameter("date_from", dt.date, description="Only dates on or after this day."),
    OpenApiParameter("date_to", dt.date, description="Only dates on or before this day."),
]


def _date_param(request: Request, name: str) -> dt.date | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    return serializers.DateField().run_validation(value)


def _special_out(
    restaurant: Restaurant, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> Any:
    rows = selectors.special_date_list(restaurant=restaurant, date_from=date_from, date_to=date_to)
    return SpecialDatesOut({"timezone": restaurant.timezone, "special_dates": list(rows)}).data


class SpecialDatesApi(V1View):
    permission_classes = [CatalogPermission]

    @extend_schema(
        summary="Read special dates (holidays, exceptional hours)",
        parameters=[RESTAURANT_PATH, ETAG, *DATE_FILTERS],
        responses={200: SpecialDatesOut, **errors(400, 404)},
        tags=["hours"],
    )
    def get(self, request: Request, restaurant_id: str) -> Response:
        restaurant = _restaurant(request, restaurant_id)
        try:
            date_from, date_to = _date_param(request, "date_from"), _date_param(request, "date_to")
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"date_from/date_to": exc.detail}) from exc
        return with_etag(_special_out(restaurant, date_from, date_to))

    @extend_schema(
        summary="Replace special dates",
        parameters=[RESTAURANT_PATH, IF_MATCH],
        request=SpecialDatesIn,
        responses={200: SpecialDatesOut, **errors(400, 404, 412, 428)},
        examples=[
            OpenApiExample(
                "Christmas closed, New Year's Eve late",
                request_only=True,
                value={
                    "special_dates": [
                        {
                            "date": "2026-12-24",
                            "end_date": "2027-01-06",
                            "opens_at": None,
                            "closes_at": None,
                            "note": "Christmas holidays",
                        },
                        {
                            "date": "2026-12-31",
                            "opens_at": "19:00",
                            "closes_at": "03:00",
                            "note": "New Year's Eve",
                        },
                    ]
                },
            )
        ],
        tags=["hours"],
    )
    def put(self, request: Request, restaurant_id: str) -> Response:
        restaurant = _restaurant(request, restaurant_id)
        check_if_match(request, _special_out(restaurant))
        data = _valid(SpecialDatesIn, request.data)
        services.special_dates_replace(
            restaurant=restaurant,
            intervals=[_interval(i) for i in data["special_dates"]],
            date_from=data.get("date_from"),
        )
        return with_etag(_special_out(restaurant))

    @extend_schema(
        summary="Add one special date",
        parameters=[RESTAURANT_PATH],
        request=SpecialDateSerializer,
        responses={201: SpecialDatesOut, **errors(400, 404)},
        tags=["hours"],
    )
    def post(self, request: Request, restaurant_id: str) -> Response:
        restaurant = _restaurant(request, restaurant_id)
        data = _valid(SpecialDateSerializer, request.data)
        services.special_date_add(restaurant=restaurant, interval=_interval(data))
        return with_etag(_special_out(restaurant), status=201)


# --- menu ---------------------------------------------------------------------------------------------------


class CategoryOut(serializers.Serializer):
    id = serializers.IntegerField()
    restaurant_id = serializers.CharField(source="restaurant.public_id")
    name = serializers.CharField()
    description = serializers.CharField()
    position = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class CategoryIn(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=300, allow_blank=True, required=False)
    position = serializers.IntegerField(min_value=0, max_value=2_147_483_647, required=False)


class CategoryPatch(CategoryIn):
    name = serializers.CharField(max_length=120, required=False)


CATEGORY_PATH = OpenApiParameter("category_id", int, OpenApiParameter.PATH)
ITEM_PATH = OpenApiParameter("item_id", int, OpenApiParameter.PATH)


def _category(request: Request, category_id: str) -> MenuCategory:
    pk = object_id(category_id, "category")
    return found(selectors.menu_category_get(tenant_id=key_of(request).tenant_id, category_id=pk), "category")


class CategoryListApi(V1View):
    permission_classes = [CatalogPermission]

    @extend_schema(
        summary="List menu categories",
        parameters=[RESTAURANT_PATH, *LIST_PARAMETERS],
        responses={200: page_of(CategoryOut), **errors(404)},
        tags=["menu"],
    )
    def get(self, request: Request, restaurant_id: str) -> Response:
        restaurant = _restaurant(request, restaurant_id)
        return paginate(
            self,
            request,
            selectors.menu_category_list(restaurant=restaurant).select_related("restaurant"),
            CategoryOut,
        )

    @extend_schema(
        summary="Create a menu category",
        parameters=[RESTAURANT_PATH],
        request=CategoryIn,
        responses={201: CategoryOut, **errors(400, 404, 409)},
        tags=["menu"],
    )
    def post(self, request: Request, restaurant_id: str) -> Response:
        restaurant = _restaurant(request, restaurant_id)
        category = services.menu_category_create(
            restaurant=restaurant, fields=_valid(CategoryIn, request.data)
        )
        return with_etag(CategoryOut(category).data, status=201)


class CategoryDetailApi(V1View):
    permission_classes = [CatalogPermission]

    @extend_schema(
        summary="Read a menu category",
        parameters=[CATEGORY_PATH, ETAG],
        responses={200: CategoryOut, **errors(404)},
        tags=["menu"],
    )
    def get(self, request: Request, category_id: str) -> Response:
        return with_etag(CategoryOut(_category(request, category_id)).data)

    @extend_schema(
        summary="Change a menu category",
        parameters=[CATEGORY_PATH, IF_MATCH],
        request=CategoryPatch,
        responses={200: CategoryOut, **errors(400, 404, 409, 412, 428)},
        tags=["menu"],
    )
    def patch(self, request: Request, category_id: str) -> Response:
        category = _category(request, category_id)
        check_if_match(request, CategoryOut(category).data)
        category = services.menu_category_update(
            category=category, fields=_valid(CategoryPatch, request.data)
        )
        return with_etag(CategoryOut(category).data)

    @extend_schema(
        summary="Delete a menu category and its items",
        parameters=[CATEGORY_PATH],
        responses={204: None, **errors(404, 412)},
        tags=["menu"],
    )
    def delete(self, request: Request, category_id: str) -> Response:
        category = _category(request, category_id)
        check_if_match(request, CategoryOut(category).data, required=False)
        services.menu_category_delete(category=category)
        return Response(status=204)


class ItemOut(serializers.Serializer):
    id = serializers.IntegerField()
    restaurant_id = serializers.CharField(source="restaurant.public_id")
    category_id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    price = serializers.DecimalField(max_digits=9, decimal_places=2)
    currency = serializers.CharField()
    dietary_tags = serializers.ListField(child=serializers.CharField())
    allergens = serializers.ListField(child=serializers.CharField())
    allergens_declared = serializers.BooleanField(
        help_text="true: `allergens` is the dish's complete list (empty: none of the 14). false: unknown, and "
        "the agent tells diners it cannot confirm allergens."
    )
    is_available = serializers.BooleanField(
        help_text="false: off the menu until put back (the agent says it is not available)."
    )
    sold_out_on = serializers.DateField(
        allow_null=True,
        help_text="Sold out for this date only (the restaurant's local date; the agent says “sold out "
        "today”); on sale again the next day by itself. A past date means nothing.",
    )
    available_now = serializers.SerializerMethodField(
        help_text="What a diner is told right now: on the menu and not sold out today (restaurant's zone)."
    )
    position = serializers.IntegerField()
    external_id = serializers.CharField(help_text="The item's id in your point-of-sale.")
    updated_at = serializers.DateTimeField()

    def get_available_now(self, item: MenuItem) -> bool:
        return item.is_available and not item.is_sold_out_on(item.restaurant.local_today())


class ItemIn(serializers.Serializer):
    category_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    name = serializers.CharField(max_length=160)
    description = serializers.CharField(max_length=500, allow_blank=True, required=False)
    price = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0)
    currency = serializers.RegexField(
        r"^[A-Z]{3}$", required=False, help_text="Defaults to the restaurant's."
    )
    dietary_tags = serializers.ListField(
        child=serializers.ChoiceField(choices=list(DIETARY_TAGS)),
        required=False,
        max_length=len(DIETARY_TAGS),
    )
    allergens = serializers.ListField(
        child=serializers.ChoiceField(choices=list(ALLERGENS)), required=False, max_length=len(ALLERGENS)
    )
    allergens_declared = serializers.BooleanField(
        required=False, help_text="Listing any allergen declares the list; send true with [] for “none”."
    )
    is_available = serializers.BooleanField(required=False)
    position = serializers.IntegerField(min_value=0, max_value=2_147_483_647, required=False)
    external_id = serializers.CharField(max_length=100, allow_blank=True, required=False)


class ItemPatch(ItemIn):
    category_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    name = serializers.CharField(max_length=160, required=False)
    price = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0, required=False)


def _item(request: Request, item_id: str) -> MenuItem:
    pk = object_id(item_id, "menu item")
    return found(selectors.menu_item_get(tenant_id=key_of(request).tenant_id, item_id=pk), "menu item")


def _category_in(request: Request, restaurant: Restaurant, category_id: int) -> MenuCategory:
    category = selectors.menu_category_get(tenant_id=key_of(request).tenant_id, category_id=category_id)
    if category is None or category.restaurant_id != restaurant.pk:
        raise serializers.ValidationError({"category_id": ["No such category in this restaurant."]})
    return category


def _bool_param(request: Request, name: str) -> bool | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise serializers.ValidationError({name: ["Use true or false."]})


def _int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    return serializers.IntegerField(min_value=1, max_value=2**63 - 1).run_validation(value)


class ItemListApi(V1View):
    permission_classes = [CatalogPermission]

    @extend_schema(
        summary="List menu items",
        parameters=[
            RESTAURANT_PATH,
            OpenApiParameter("category_id", int),
            OpenApiParameter(
                "available",
                bool,
                description="true: on sale now; false: off the menu or sold out today (restaurant's zone).",
            ),
            OpenApiParameter("external_id", str, description="The item with this POS id."),
            *LIST_PARAMETERS,
        ],
        responses={200: page_of(ItemOut), **errors(400, 404)},
        tags=["menu"],
    )
    def get(self, request: Request, restaurant_id: str) -> Response:
        restaurant = _restaurant(request, restaurant_id)
        try:
            category_id = _int_param(request, "category_id")
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"category_id": exc.detail}) from exc
        qs = selectors.menu_item_list(
            restaurant=restaurant,
            category_id=category_id,
            available=_bool_param(request, "available"),
            external_id=request.query_params.get("external_id"),
        )
        return paginate(self, request, qs, ItemOut)

    @extend_schema(
        summary="Create a menu item",
        parameters=[RESTAURANT_PATH],
        request=ItemIn,
        responses={201: ItemOut, **errors(400, 404, 409)},
        tags=["menu"],
    )
    def post(self, request: Request, restaurant_id: str) -> Response:
        restaurant = _restaurant(request, restaurant_id)
        data = dict(_valid(ItemIn, request.data))
        category = _category_in(request, restaurant, data.pop("category_id"))
        item = services.menu_item_create(category=category, fields=data)
        return with_etag(ItemOut(item).data, status=201)


class ItemDetailApi(V1View):
    permission_classes = [CatalogPermission]

    @extend_schema(
        summary="Read a menu item",
        parameters=[ITEM_PATH, ETAG],
        responses={200: ItemOut, **errors(404)},
        tags=["menu"],
    )
    def get(self, request: Request, item_id: str) -> Response:
        return with_etag(ItemOut(_item(request, item_id)).data)

    @extend_schema(
        summary="Change a menu item",
        parameters=[ITEM_PATH, IF_MATCH],
        request=ItemPatch,
        responses={200: ItemOut, **errors(400, 404, 409, 412, 428)},
        tags=["menu"],
    )
    def patch(self, request: Request, item_id: str) -> Response:
        item = _item(request, item_id)
        check_if_match(request, ItemOut(item).data)
        data = dict(_valid(ItemPatch, request.data))
        category = (
            _category_in(request, item.restaurant, data.pop("category_id")) if "category_id" in data else None
        )
        item = services.menu_item_update(item=item, fields=data, category=category)
        return with_etag(ItemOut(item).data)

    @extend_schema(
        summary="Delete a menu item",
        parameters=[ITEM_PATH],
        responses={204: None, **errors(404, 412)},
        tags=["menu"],
    )
    def delete(self, request: Request, item_id: str) -> Response:
        item = _item(request, item_id)
        check_if_match(request, ItemOut(item).data, required=False)
        services.menu_item_delete(item=item)
        return Response(status=204)


class AvailabilityIn(serializers.Serializer):
    available = serializers.BooleanField(
        help_text="true: back on sale (also clears “sold out today”). false: sold out — until put back, or "
        "for today only with `today_only`."
    )
    today_only = serializers.BooleanField(
        required=False,
        default=False,
        help_text="With available=false: sold out for the restaurant's local today only (86'd tonight); "
        "on sale again tomorrow without another call.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["available"] and attrs.get("today_only"):
            raise serializers.ValidationError({"today_only": ["Only with available=false."]})
        return attrs


class AvailabilityBulkIn(AvailabilityIn):
    external_ids = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=1000, help_text="POS ids."
    )
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False, max_length=1000
    )


class AvailabilityOut(serializers.Serializer):
    changed = serializers.IntegerField(
        help_text="How many items changed (already in that state: not counted)."
    )
    matched = serializers.IntegerField(help_text="How many items the ids named.")
    unknown_external_ids = serializers.ListField(child=serializers.CharField())
    unknown_ids = serializers.ListField(child=serializers.IntegerField())


class ItemAvailabilityApi(V1View):
    """One call, no If-Match: stock is last-writer-wins by nature, and the till is the truth."""

    permission_classes = [CatalogPermission]

    @extend_schema(
        summary="Mark one item sold out or back on sale",
        parameters=[ITEM_PATH],
        request=AvailabilityIn,
        responses={200: ItemOut, **errors(400, 404)},
        examples=[
            OpenApiExample(
                "86 it for tonight", value={"available": False, "today_only": True}, request_only=True
            )
        ],
        tags=["menu"],
    )
    def post(self, request: Request, item_id: str) -> Response:
        item = _item(request, item_id)
        data = _valid(AvailabilityIn, request.data)
        services.menu_items_set_availability(
            items=MenuItem.objects.filter(pk=item.pk),
            available=data["available"],
            today_only=data["today_only"],
        )
        item.refresh_from_db()
        return with_etag(ItemOut(item).data)


class RestaurantAvailabilityApi(V1View):
    permission_classes = [CatalogPermission]

    @extend_schema(
        summary="Mark items sold out or back on sale, by POS id or id",
        parameters=[RESTAURANT_PATH],
        request=AvailabilityBulkIn,
        responses={200: AvailabilityOut, **errors(400, 404)},
        examples=[
            OpenApiExample(
                "The till ran out of salmon",
                value={"external_ids": ["SKU-1042"], "available": False},
                request_only=True,
            )
        ],
        tags=["menu"],
    )
    def post(self, request: Request, restaurant_id: str) -> Response:
        restaurant = _restaurant(request, restaurant_id)
        data = _valid(AvailabilityBulkIn, request.data)
        external_ids, ids = set(data.get("external_ids") or []), set(data.get("ids") or [])
        if not external_ids and not ids:
            raise serializers.ValidationError(
                {"external_ids": ["Name at least one item (external_ids or ids)."]}
            )
        items = MenuItem.objects.filter(restaurant=restaurant).filter(
            models_q(external_ids=external_ids, ids=ids)
        )
        found_rows = list(items.values_list("pk", "external_id"))
        changed = services.menu_items_set_availability(
            items=MenuItem.objects.filter(pk__in=[pk for pk, _ in found_rows]),
            available=data["available"],
            today_only=data["today_only"],
        )
        return Response(
            AvailabilityOut(
                {
                    "changed": changed,
                    "matched": len(found_rows),
                    "unknown_external_ids": sorted(external_ids - {e for _, e in found_rows}),
                    "unknown_ids": sorted(ids - {pk for pk, _ in found_rows}),
                }
            ).data
        )


def models_q(*, external_ids: set[str], ids: set[int]) -> Any:
    from django.db.models import Q

    q = Q(pk__in=[])
    if external_ids:
        q |= Q(external_id__in=[e for e in external_ids if e])
    if ids:
        q |= Q(pk__in=ids)
    return q
