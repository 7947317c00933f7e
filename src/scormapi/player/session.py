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


def current_learner(request: Request) -> Learner | None:
    """The learner whose valid session cookie came with the request, or None."""
    token = request.cookies.get(SESSION_COOKIE)
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
