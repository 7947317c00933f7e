"""What every operation needs: the database, the caller, permission checks."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy.orm import Session

from scormapi.auth.permissions import GrantCache, has_permission, org_path
from scormapi.auth.tokens import Principal, TokenCache
from scormapi.config import Settings
from scormapi.errors import not_authorized, unauthenticated
from scormapi.store.db import Database


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
    token = bearer_token(request)
    if not token:
        raise unauthenticated()
    principal = services(request).tokens.principal(session, token)
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
    """403 unless the caller holds ``permission`` in ``org_id`` or an ancestor."""
    path = path or org_path(session, org_id)
    if path is None or not has_permission(session, services(request).grants, principal.user_id, permission, path):
        raise not_authorized(what)
