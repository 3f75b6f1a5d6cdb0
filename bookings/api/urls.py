from django.urls import path

from bookings.api.views import BookingCancelApi, BookingListCreateApi

app_name = "bookings-api"
urlpatterns = [
    path("", BookingListCreateApi.as_view(), name="list-create"),
    path("<str:reference>/cancel", BookingCancelApi.as_view(), name="cancel"),
]
