"""Learner sign-in: the session cookie, its CSRF tokens, and the password check.

Decision: a learner's session is a server-side record, an AccessToken of kind
"session", and the cookie holds only its random value. Signing out revokes
the record, so a copied cookie dies with it, and no signing key has to be
configured or rotated. Token lookups go through the same cache as API tokens.

CSRF: a signed-in form carries an HMAC of the session token (the cookie is
HttpOnly, so another site can neither read it nor compute the field). The
sign-in form has no session yet; it uses a double-submit pair: a random value
in a SameSite=Strict cookie that the form must echo.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from fastapi import Request
from sqlalchemy import update
from starlette.responses import Response

from scormapi.api.deps import services
from scormapi.auth.signin import BadCredentials, Throttled, check_credentials
from scormapi.auth.tokens import issue_token, token_hash
from scormapi.store.models import AccessToken, utcnow

SESSION_COOKIE = "scormapi_session"
LOGIN_CSRF_COOKIE = "scormapi_login_csrf"
SESSION_KIND = "session"
# A working day; a course session longer than that signs in again.
SESSION_SECONDS = 12 * 3600


@dataclass(frozen=True)
class Learner:
    """The signed-in user of a page request."""

    user_id: uuid.UUID
    token: str

    @property
    def csrf(self) -> str:
        return csrf_for(self.token)


def csrf_for(session_token: str) -> str:
    return hmac.new(session_token.encode(), b"scormapi form", hashlib.sha256).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def session_values(cookie_header: str) -> list[str]:
    """Every value of the session cookie in a Cookie header, in order."""
    values = []
    for pair in cookie_header.split(";"):
        name, sep, value = pair.strip().partition("=")
        if sep and name == SESSION_COOKIE:
            values.append(value.strip().strip('"'))
    return values


def current_learner(request: Request) -> Learner | None:
    """The learner whose valid session cookie came with the request, or None.

    Two session cookies at once mean someone planted one: script on the
    content origin can set cookies for the host name (browsers do not keep
    ports apart) or a parent domain, and the browser sends both. Which is
    the learner's cannot be told, so the request is signed in as no one,
    never as the planter (``SessionCookieGuard`` clears them)."""
    values = session_values(request.headers.get("cookie", ""))
    if len(values) != 1:
        return None
    token = values[0]
    if not token or len(token) > 64:
        return None
    svc = services(request)
    with svc.db.read() as session:
        principal = svc.tokens.principal(session, token)
    if principal is None or principal.kind != SESSION_KIND:
        return None
    return Learner(principal.user_id, token)


class SignInRefused(Exception):
    """Wrong login or password, or too many failures: the message says which."""


def sign_in(request: Request, login: str, password: str) -> str:
    """A new session token for valid credentials; SignInRefused otherwise.

    Failures count against the login and the client address exactly as
    AdminApi/Authenticate counts them, so the form is no easier to guess
    through than the API.
    """
    svc = services(request)
    address = request.client.host if request.client else None
    try:
        user_id = check_credentials(svc.db, svc.settings, login, password, address)
    except Throttled:
        raise SignInRefused("Too many failed sign-ins. Wait a minute and try again.") from None
    except BadCredentials:
        raise SignInRefused("The login or password is not correct.") from None
    with svc.db.write() as session:
        token = issue_token(session, user_id, utcnow() + timedelta(seconds=SESSION_SECONDS), kind=SESSION_KIND)
    return token


def sign_out(request: Request, learner: Learner) -> None:
    svc = services(request)
    with svc.db.write() as session:
        session.execute(
            update(AccessToken)
            .where(AccessToken.token_hash == token_hash(learner.token), AccessToken.kind == SESSION_KIND)
            .values(revoked_at=utcnow())
        )
    svc.tokens.forget(learner.token)


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_SECONDS,
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request))


def login_csrf(request: Request) -> str:
    """The sign-in form's CSRF value: the cookie's when present, else a new one."""
    current = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    return current if 20 <= len(current) <= 64 else secrets.token_urlsafe(32)


def set_login_csrf_cookie(response: Response, request: Request, value: str) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE, value, max_age=3600, path="/login", httponly=True, samesite="strict", secure=is_https(request)
    )


class SessionCookieGuard:
    """Pure ASGI middleware for the main origin: a request carrying more
    than one session cookie gets every response telling the browser to drop
    them, for the host and each parent domain, on each path the request's
    path lies under (a planted cookie may use any of them; it was sent, so
    its path is one of these)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or len(session_values(_cookie_header(scope))) < 2:
            await self.app(scope, receive, send)
            return
        clearing = [(b"set-cookie", value.encode("latin-1")) for value in _clearing_cookies(scope)]

        async def send_clearing(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *clearing]}
            await send(message)

        await self.app(scope, receive, send_clearing)


def _cookie_header(scope) -> str:
    return "; ".join(v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"cookie")


def _clearing_cookies(scope) -> list[str]:
    host = _header(scope, b"host").rsplit(":", 1)[0] if _header(scope, b"host") else ""
    labels = host.split(".") if host and not host.replace(".", "").isdigit() and not host.startswith("[") else []
    domains = [None] + [".".join(labels[i:]) for i in range(len(labels) - 1)]
    segments = [part for part in scope.get("path", "/").split("/") if part][:8]
    paths = ["/"] + ["/" + "/".join(segments[: i + 1]) for i in range(len(segments))]
    expired = f"{SESSION_COOKIE}=; Max-Age=0; expires=Thu, 01 Jan 1970 00:00:00 GMT"
    return [f"{expired}; Path={path}" + (f"; Domain={domain}" if domain else "") for domain in domains for path in paths]


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None
