from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from calls.api.connection_details import ConnectionDetailsApi
from calls.api.restaurant_status import RestaurantStatusApi

urlpatterns = [
    path("connection-details", ConnectionDetailsApi.as_view(), name="connection-details"),
    path("restaurant-status", RestaurantStatusApi.as_view(), name="restaurant-status"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
]
