"""A request's address carries only text a database can store.

Path and query arrive percent-encoded, and ``%00`` decodes to NUL, which
PostgreSQL text cannot hold: an id or a SCO id taken from the address would
make the query fail. (Percent-decoding replaces bytes that are not UTF-8,
so no lone surrogate can come from an address.) One pure ASGI middleware
refuses such a request with 422 before any route reads it, for every face
at once; JSON bodies follow the same rule in ``api/schemas.py``.
"""
from __future__ import annotations

from urllib.parse import unquote_to_bytes

import orjson

from scormapi.errors import HTTP_STATUS, ErrorCode, envelope

_REFUSED = orjson.dumps({"api_error_entity": envelope(
    ErrorCode.VALIDATION_ERROR, "Invalid request: the address must not contain the NUL character (U+0000)")})


def has_nul(scope) -> bool:
    if "\x00" in scope.get("path", ""):
        return True
    query = scope.get("query_string", b"")
    return b"%00" in query and b"\x00" in unquote_to_bytes(query)


class AddressText:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and has_nul(scope):
            headers = [(b"content-type", b"application/json"), (b"content-length", str(len(_REFUSED)).encode())]
            await send({"type": "http.response.start", "status": HTTP_STATUS[ErrorCode.VALIDATION_ERROR], "headers": headers})
            await send({"type": "http.response.body", "body": _REFUSED})
            return
        await self.app(scope, receive, send)
