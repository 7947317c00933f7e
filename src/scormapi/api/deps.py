"""What every operation needs: the database, the caller, permission checks."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from scormapi.auth.permissions import GrantCache
from scormapi.auth.tokens import Principal, TokenCache
from scormapi.config import Settings
from scormapi.errors import unauthenticated
from scormapi.ops import access, users
from scormapi.store.db import Database
from scormapi.store.models import User


@dataclass
class Services:
    """Shared, per-process state, kept on ``app.state.services``."""

    settings: Settings
    db: Database
    tokens: TokenCache
    grants: GrantCache


def services(request: Request) -> Services:
    return request.app.state.services


def bearer_token(request: Request) -> str | None:
    """``?access_token=`` (NexPort's form) or ``Authorization: Bearer``."""
    token = request.query_params.get("access_token")
    if token:
        return token
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def caller(request: Request, session: Session, kind: str = "access") -> Principal:
    """The authenticated user, or a 403 "Unable to authenticate"."""
    checked = getattr(request.state, "principal", None)
    if checked is not None and checked.kind == kind:
        return checked
    principal = services(request).tokens.principal(session, _token_of(request))
    return _of_kind(principal, kind)


def _token_of(request: Request) -> str:
    token = bearer_token(request)
    if not token:
        raise unauthenticated()
    return token


def _of_kind(principal: Principal | None, kind: str) -> Principal:
    if principal is None or principal.kind != kind:
        raise unauthenticated()
    return principal


def require(
    request: Request,
    session: Session,
    principal: Principal,
    permission: str,
    org_id: uuid.UUID,
    what: str,
    path: str | None = None,
) -> None:
    """403 unless the caller holds ``permission`` in ``org_id`` or an ancestor
    (the rule is ``ops.access.require``, shared with every other face)."""
    access.require(session, services(request).grants, principal.user_id, permission, org_id, what, path)


def visible_user(request: Request, session: Session, me: Principal, user_id: uuid.UUID) -> User:
    """The user, if the caller may see them (``ops.users.visible_user``)."""
    return users.visible_user(session, services(request).grants, me.user_id, user_id)


def public(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Marks an operation anyone may call (Authenticate, the data model)."""
    endpoint.token_kind = None  # type: ignore[attr-defined]
    return endpoint


def launch_token(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Marks an operation of the run-time: it takes a launch token."""
    endpoint.token_kind = "launch"  # type: ignore[attr-defined]
    return endpoint


class TokenFirst(APIRoute):
    """A route that checks the caller's token before the body is read or
    validated: a request without a valid token of the operation's kind
    (an access token unless the endpoint is marked ``public`` or
    ``launch_token``) is refused with 403 and learns nothing about the
    operation's fields. ``caller`` then reuses the principal found here."""

    def get_route_handler(self) -> Callable[[Request], Any]:
        handler = super().get_route_handler()
        kind = getattr(self.endpoint, "token_kind", "access")
        if kind is None:
            return handler

        async def checked(request: Request) -> Any:
            request.state.principal = await authenticated(request, kind)
            return await handler(request)

        return checked


async def authenticated(request: Request, kind: str) -> Principal:
    """``caller`` for TokenFirst, on the event loop: a cached answer needs
    no database and no thread."""
    token = _token_of(request)
    tokens = services(request).tokens
    principal = tokens.cached(token)
    if principal is tokens.MISS:
        principal = await run_in_threadpool(_look_up, request, token)
    return _of_kind(principal, kind)


def _look_up(request: Request, token: str) -> Principal | None:
    svc = services(request)
    with svc.db.read() as session:
        return svc.tokens.principal(session, token)
