"""/api/v1/: the tenant REST API (docs/api.md). Bookings mount api/v1/bookings/ from their own app."""

from django.urls import path

from restapi import calls, catalog

urlpatterns = [
    path("restaurants", catalog.RestaurantListApi.as_view(), name="v1-restaurants"),
    path("restaurants/<str:restaurant_id>", catalog.RestaurantDetailApi.as_view(), name="v1-restaurant"),
    path("restaurants/<str:restaurant_id>/hours", catalog.HoursApi.as_view(), name="v1-hours"),
    path(
        "restaurants/<str:restaurant_id>/special-dates",
        catalog.SpecialDatesApi.as_view(),
        name="v1-special-dates",
    ),
    path(
        "restaurants/<str:restaurant_id>/menu/categories",
        catalog.CategoryListApi.as_view(),
        name="v1-categories",
    ),
    path("restaurants/<str:restaurant_id>/menu/items", catalog.ItemListApi.as_view(), name="v1-items"),
    path(
        "restaurants/<str:restaurant_id>/menu/availability",
        catalog.RestaurantAvailabilityApi.as_view(),
        name="v1-availability",
    ),
    path("menu/categories/<str:category_id>", catalog.CategoryDetailApi.as_view(), name="v1-category"),
    path("menu/items/<str:item_id>", catalog.ItemDetailApi.as_view(), name="v1-item"),
    path(
        "menu/items/<str:item_id>/availability",
        catalog.ItemAvailabilityApi.as_view(),
        name="v1-item-availability",
    ),
    path("calls", calls.CallListApi.as_view(), name="v1-calls"),
    path("calls/<str:call_id>", calls.CallDetailApi.as_view(), name="v1-call"),
]
