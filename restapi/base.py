"""What every /api/v1/ view shares: authentication, throttling, the error shape, ETags, pagination.

Errors are always `{"error": code, "detail": words}` (plus `fields` for invalid input), with the HTTP
status from core.errors.ApplicationError, and Retry-After on 429.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, NoReturn

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.context import audit_context
from calls.api.exceptions import api_exception_handler
from config.metrics import API_ERRORS
from core.errors import ApplicationError, NotFound
from restapi.auth import ApiKeyAuthentication
from restapi.throttles import ApiKeyThrottle
from tenants.models import ApiKey


class ApiErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="A stable code: invalid_request, not_found, precondition_failed…")
    detail = serializers.CharField(help_text="What is wrong, in words a person can act on.")
    # The metaclass moves declared fields into _declared_fields, so this does not shadow .fields at run time.
    fields = serializers.DictField(  # type: ignore[assignment]
        required=False, help_text="Per-field problems, for invalid_request."
    )


class PreconditionFailed(ApplicationError):
    code, http_status = "precondition_failed", 412


class PreconditionRequired(ApplicationError):
    code, http_status = "precondition_required", 428


class InvalidRequest(ApplicationError):
    def __init__(self, detail: str, fields: Any = None) -> None:
        super().__init__(detail)
        self.fields = fields


def _error(code: str, detail: str, status: int, retry_after: int | None = None, **extra: Any) -> Response:
    API_ERRORS.labels(str(status), code).inc()
    response = Response({"error": code, "detail": detail, **extra}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _messages(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            field: [str(m) for e in errors for m in e.messages] for field, errors in error.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in error.messages]}


def v1_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, InvalidRequest):
        return _error(exc.code, exc.detail, exc.http_status, fields=exc.fields)
    if isinstance(exc, ApplicationError):
        return _error(exc.code, exc.detail, exc.http_status, exc.retry_after)
    if isinstance(exc, DjangoValidationError):
        return _error("invalid_request", "The request is not valid.", 400, fields=_messages(exc))
    if isinstance(exc, IntegrityError):
        # A uniqueness race the model checks did not see (two integrations creating the same name at once).
        return _error(
            "conflict", "That conflicts with an existing record (a name or POS id already used).", 409
        )
    if isinstance(exc, exceptions.ValidationError):
        return _error("invalid_request", "The request is not valid.", 400, fields=exc.detail)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response = _error("not_authenticated", str(exc.detail), 401)
        response["WWW-Authenticate"] = 'Bearer realm="hostline"'
        return response
    return api_exception_handler(exc, context)


class V1View(APIView):
    authentication_classes = [ApiKeyAuthentication]
    throttle_classes = [ApiKeyThrottle]
    _audit: AbstractContextManager[Any] | None = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # Authenticated, allowed and within its rate: changes made from here on are audited as this key.
        key = request.auth
        if isinstance(key, ApiKey):
            self._audit = audit_context(source="api", label=f"API key {key.name} ({key.prefix}…)")
            self._audit.__enter__()

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Response:
        if self._audit is not None:
            self._audit.__exit__(None, None, None)
            self._audit = None
        return super().finalize_response(request, response, *args, **kwargs)

    def get_exception_handler(self) -> Callable[..., Response | None]:
        return v1_exception_handler

    def permission_denied(
        self, request: Request, message: str | None = None, code: str | None = None
    ) -> NoReturn:
        if request.auth is None:
            raise exceptions.NotAuthenticated("Send an API key: “Authorization: Bearer hl_…”.")
        raise exceptions.PermissionDenied(message)


def found(obj: Any, what: str) -> Any:
    """The object, or a 404 that says nothing about whether another tenant has it."""
    if obj is None:
        raise NotFound(f"No such {what}.")
    return obj


def etag_of(data: Any) -> str:
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return f'"{digest}"'


def check_if_match(request: Request, current: Any, *, required: bool = True) -> None:
    """Optimistic concurrency: the write applies only to the representation the client last read."""
    header = request.headers.get("If-Match")
    if header is None:
        if required:
            raise PreconditionRequired(
                "Send If-Match with the ETag from your last GET, so you never overwrite a change you have not seen."
            )
        return
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    if "*" not in tags and etag_of(current) not in tags:
        raise PreconditionFailed(
            "This changed since you read it (the ETag differs). GET it again, then retry."
        )


def with_etag(data: Any, status: int = 200) -> Response:
    response = Response(data, status=status)
    response["ETag"] = etag_of(data)
    return response


class Pagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


_PAGES: dict[type[serializers.Serializer], type[serializers.Serializer]] = {}


def page_of(serializer: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The paginated envelope of `serializer`, for the schema: {count, next, previous, results: [...]}."""
    if serializer not in _PAGES:
        name = serializer.__name__.removesuffix("Out") + "Page"
        _PAGES[serializer] = type(
            name,
            (serializers.Serializer,),
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": serializer(many=True),
            },
        )
    return _PAGES[serializer]


LIST_PARAMETERS = [
    OpenApiParameter("limit", int, description="Page size, 1–200 (default 50)."),
    OpenApiParameter("offset", int, description="Where the page starts."),
]


def object_id(value: str, what: str) -> int:
    """A numeric id from the path; anything else is simply not found (JSON 404, like any other miss)."""
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise NotFound(f"No such {what}.")
    return int(value)


@extend_schema_field({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "19:30"})
class ClockTimeField(serializers.TimeField):
    """HH:MM local time, the way a restaurant writes its hours."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", input_formats=["%H:%M"], **kwargs)


def paginate(
    view: APIView, request: Request, queryset: Any, serializer: type[serializers.Serializer]
) -> Response:
    paginator = Pagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    words = {
        400: "Invalid input (see `fields`)",
        401: "No API key, or an unknown or revoked one",
        403: "The key lacks the scope, or the account is suspended",
        404: "No such object for this key's tenant",
        409: "Conflicts with an existing record",
        412: "If-Match does not match the current ETag",
        428: "If-Match is required for this write",
        413: "The request body is larger than the API accepts (API_MAX_BODY_BYTES)",
        429: "Rate limit reached (Retry-After)",
    }
    # Every operation that reads a body (they all document 400) may also meet the body cap.
    bodied = (413,) if 400 in codes else ()
    return {
        c: OpenApiResponse(ApiErrorSerializer, description=words[c]) for c in (401, 403, 429, *codes, *bodied)
    }


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of your last GET (or * to overwrite whatever is there). Without it: 428.",
)
ETAG = OpenApiParameter(
    "ETag", str, OpenApiParameter.HEADER, response=[200], description="Send it back as If-Match to write."
)
