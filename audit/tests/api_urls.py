"""A stand-in for the tenant REST API: token-authenticated by DRF, after every middleware has run."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import path
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.models import MenuItem


class HeaderUserAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> Any:
        username = request.headers.get("X-Test-User")
        user = get_user_model().objects.filter(username=username).first() if username else None
        return (user, None) if user else None


class RenameItem(APIView):
    authentication_classes = [HeaderUserAuthentication]
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, pk: int) -> Response:
        item = MenuItem.objects.get(pk=pk)
        item.name = request.data["name"]
        item.save()
        return Response({"ok": True})


urlpatterns = [path("api/v1/items/<int:pk>/rename", RenameItem.as_view())]
