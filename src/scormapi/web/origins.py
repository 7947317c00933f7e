"""The two origins: the main one (the learner's pages, the API) and the
content origin (the player's run-time page, package files, commits).

Course content is someone else's code. Served from the main origin with
the learner's cookie it could act as the learner everywhere; on its own
origin the browser keeps it out of the main origin's pages and answers.

Which side a request is for: it arrived on the content listener's port
(``settings.content_port``, the embedded arrangement of ``scormapi serve``),
or its Host is the configured ``SCORMAPI_CONTENT_ORIGIN``'s. Everything
else is the main side. ``OriginSplit`` enforces what each side serves:
the content side only its few paths, never a cookie in or out; the main
side never the content side's paths.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import orjson
from starlette.requests import Request

from scormapi.config import Settings
from scormapi.errors import ErrorCode, envelope

COMMIT_PATH = "/api/v1/ScormRuntime/Commit"
DATA_MODEL_PATH = "/api/v1/ScormRuntime/DataModel"
# What the content origin serves; every other path there is 404.
CONTENT_PREFIXES = ("/run/", "/asset/", "/content/", "/player/static/")
CONTENT_PATHS = frozenset({COMMIT_PATH, DATA_MODEL_PATH})
# What the main origin never serves: launch codes, package files, and the
# only operation a launch token can call.
MAIN_REFUSED_PREFIXES = ("/run/", "/asset/", "/content/")
MAIN_REFUSED_PATHS = frozenset({COMMIT_PATH})


@dataclass(frozen=True)
class Origins:
    main: str
    content: str


class NoContentOrigin(Exception):
    """Neither SCORMAPI_CONTENT_ORIGIN nor a content port is configured."""


def origins(settings: Settings, request: Request) -> Origins:
    """Both origins as the browser behind ``request`` sees them."""
    if settings.content_origin:
        return Origins(settings.public_origin, settings.content_origin)
    if not settings.content_port or not settings.main_port:
        raise NoContentOrigin("the content origin is not configured (set SCORMAPI_CONTENT_ORIGIN, or use scormapi serve)")
    # Embedded: one host name, two ports; the host is the one the browser used.
    scheme = request.url.scheme
    host = request.url.hostname or "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return Origins(f"{scheme}://{host}:{settings.main_port}", f"{scheme}://{host}:{settings.content_port}")


def _default_port(scheme: str) -> int:
    return 443 if scheme in ("https", "wss") else 80


def _host_key(host: str, scheme: str) -> tuple[str, int] | None:
    """(host name, port) of a Host header value, the scheme's port when absent."""
    try:
        parts = urlsplit(f"//{host}")
        return (parts.hostname or "", parts.port or _default_port(scheme))
    except ValueError:
        return None


def same_origin(url: str, origin: str) -> bool:
    """Whether ``url`` (an Origin or Referer value) is on ``origin``;
    "null" and anything unparsable are not."""
    try:
        a, b = urlsplit(url), urlsplit(origin)
        return (a.scheme, a.hostname, a.port or _default_port(a.scheme)) == (b.scheme, b.hostname, b.port or _default_port(b.scheme))
    except ValueError:
        return False


def is_content_request(settings: Settings, scope) -> bool:
    server = scope.get("server")
    if settings.content_port and server and server[1] == settings.content_port:
        return True
    if not settings.content_origin:
        return False
    configured = urlsplit(settings.content_origin)
    host = _header(scope, b"host")
    if host is None:
        return False
    wanted = (configured.hostname or "", configured.port or _default_port(configured.scheme))
    return _host_key(host.decode("latin-1"), configured.scheme) == wanted


def _header(scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value
    return None


def content_side_serves(path: str) -> bool:
    return path in CONTENT_PATHS or path.startswith(CONTENT_PREFIXES)


def main_side_serves(path: str, has_content_origin: bool = True) -> bool:
    if path.startswith(MAIN_REFUSED_PREFIXES):
        return False
    # A server with no content origin at all (started without `scormapi
    # serve` or SCORMAPI_CONTENT_ORIGIN) runs no lessons; API clients that
    # launch and commit themselves (the benchmark) still reach the run-time.
    return path not in MAIN_REFUSED_PATHS or not has_content_origin


_NOT_FOUND = orjson.dumps({"api_error_entity": envelope(ErrorCode.ITEM_NOT_FOUND, "Not Found")})


class OriginSplit:
    """Pure ASGI middleware: each origin serves only its own paths (anything
    else is the same 404 as an unknown path); on the content side the
    request's cookies are dropped and no response may set one."""

    def __init__(self, app, settings: Settings):
        self.app = app
        self.settings = settings
        self.has_content_origin = bool(settings.content_origin or settings.content_port)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        content = is_content_request(self.settings, scope)
        path = scope.get("path", "")
        if not (content_side_serves(path) if content else main_side_serves(path, self.has_content_origin)):
            await _not_found(send)
            return
        if not content:
            await self.app(scope, receive, send)
            return
        scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k != b"cookie"]}
        scope.setdefault("state", {})
        scope["state"]["content_origin"] = True

        async def without_cookies(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [(k, v) for k, v in message.get("headers", []) if k.lower() != b"set-cookie"]}
            await send(message)

        await self.app(scope, receive, without_cookies)


def on_content_side(request: Request) -> bool:
    """Whether ``OriginSplit`` routed this request to the content side."""
    return bool(getattr(request.state, "content_origin", False))


async def _not_found(send) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(_NOT_FOUND)).encode())]
    await send({"type": "http.response.start", "status": 404, "headers": headers})
    await send({"type": "http.response.body", "body": _NOT_FOUND})
