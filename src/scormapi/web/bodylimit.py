"""Every request body is bounded before anything reads it.

A pure ASGI middleware, outermost but for the error guard: it reads the
body itself, counting bytes as they arrive, and refuses the request with
413 (``error_code`` 11, RequestTooLarge) the moment it passes the limit, so
no parser, no authentication and no thread ever sees an oversized body,
and a worker's memory per request is bounded by the limit. A declared
``Content-Length`` over the limit is refused before a byte is read.

Paths that stream their own, larger bodies (the package upload, bounded by
``package_max_bytes`` as it is parsed) pass through untouched.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from typing import Any

import orjson

from scormapi.errors import HTTP_STATUS, ErrorCode, envelope

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, streamed_paths: Collection[str] = ()):
        self.app = app
        self.max_bytes = max_bytes
        self.streamed_paths = frozenset(streamed_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.streamed_paths:
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send)
            return
        chunks, more = [], True
        size = 0
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    async def _refuse(self, send: Send) -> None:
        message = f"The request body is larger than the limit of {self.max_bytes} bytes"
        body = orjson.dumps({"api_error_entity": envelope(ErrorCode.REQUEST_TOO_LARGE, message)})
        # The rest of the body is never read: the connection cannot be
        # reused, so say so rather than let the client send into a void.
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": HTTP_STATUS[ErrorCode.REQUEST_TOO_LARGE], "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body already read, as one message; then whatever comes next
    (a disconnect), so the app still learns that the client went away."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed
