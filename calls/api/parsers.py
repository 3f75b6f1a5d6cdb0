"""The API's JSON parser: every bad body is a JSON 400 or 413 saying what is wrong, never a 500.

DRF's JSONParser hands the stream to `json.load`: a body nested 100,000 deep raises RecursionError
(an anonymous 500) and a huge body is read whole. This one reads at most `API_MAX_BODY_BYTES`, checks
the nesting before parsing, and turns encoding and number-size errors into ParseError.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

from core.json_limits import json_nesting_depth

# No request body of this API nests deeper (the server-only `context` is a small flat object).
MAX_BODY_DEPTH = 16


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = "The request body is too large."


def _reject_constant(name: str) -> Any:
    raise ParseError(f"JSON parse error - {name} is not a number JSON allows.")


class SafeJSONParser(JSONParser):
    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        limit = settings.API_MAX_BODY_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestTooLarge(f"The request body is larger than {limit} bytes.")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(f"The request body is not UTF-8 text (byte {exc.start}).") from exc
        if json_nesting_depth(text, stop_above=MAX_BODY_DEPTH) > MAX_BODY_DEPTH:
            raise ParseError(f"The JSON is nested more than {MAX_BODY_DEPTH} levels deep.")
        try:
            return json.loads(text, parse_constant=_reject_constant)
        except ParseError:
            raise
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"JSON parse error - {str(exc)[:200]}") from exc
