"""Responses serialized with orjson straight to bytes.

FastAPI's default path (jsonable_encoder over dicts) costs several times
more than the work it wraps; every operation here returns ``json_response``.
"""
from __future__ import annotations

import orjson
from starlette.responses import Response

from scormapi.errors import envelope

_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


class JsonResponse(Response):
    media_type = "application/json"

    def render(self, content) -> bytes:
        try:
            return orjson.dumps(content, option=_OPTIONS)
        except orjson.JSONEncodeError:
            # Text a client sent can hold what UTF-8 cannot (a lone surrogate
            # echoed in an error message); such a response is still sent,
            # with those characters spelt as escapes, rather than becoming
            # a failure of its own.
            return orjson.dumps(encodable(content), option=_OPTIONS)


def encodable(value):
    """``value`` with every string (dict keys too) made encodable as UTF-8."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {encodable(k): encodable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encodable(v) for v in value]
    return value


def json_response(content, status: int = 200, headers: dict | None = None) -> JsonResponse:
    return JsonResponse(content, status_code=status, headers=headers)


def ok(payload: dict | None = None, warnings: list[str] | None = None) -> JsonResponse:
    """An object response with a success envelope."""
    body = dict(payload or {})
    body["api_error_entity"] = envelope(0, None, warnings)
    return JsonResponse(body)
