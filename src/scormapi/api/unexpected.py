"""The last line: an unexpected error answers 500 in the envelope, is logged,
and leaves the connection open.

Starlette's outermost layer sends its 500 and then re-raises, so that a
server can log the error; uvicorn does log it, and then closes the
connection, so every other request a client had queued on that keep-alive
connection fails too. ``UnexpectedErrors`` wraps the whole application, logs
the error itself and does not re-raise.
"""
from __future__ import annotations

import logging

import orjson

from scormapi.errors import ErrorCode, envelope
from scormapi.web.accesslog import redact

log = logging.getLogger("scormapi")

INTERNAL_ERROR = {"api_error_entity": envelope(ErrorCode.UNKNOWN_ERROR, "Internal error")}
_BODY = orjson.dumps(INTERNAL_ERROR)
_HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(_BODY)).encode())]


class UnexpectedErrors:
    """Pure ASGI middleware (no buffering, no task per request)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception:
            # Redacted like the access log: a path may hold a launch code or key.
            log.exception("unhandled error in %s %s", scope.get("method"), redact(scope.get("path", "")))
            if not started:
                await _answer(send)
            # Started: the inner layers already sent the 500, or the body was
            # cut short and the server closes the connection as it must.


async def _answer(send) -> None:
    try:
        await send({"type": "http.response.start", "status": 500, "headers": _HEADERS})
        await send({"type": "http.response.body", "body": _BODY})
    except OSError:
        # The client is gone; there is no one left to answer.
        pass
