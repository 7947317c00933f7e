"""Access tokens: random UUIDs handed out once, stored only as SHA-256.

Look-ups are cached for a short time (settings.auth_cache_seconds) because
every API call makes one; revocation and expiry still bite within that time.
"""
from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from scormapi.store.models import AccessToken, User, utcnow


def token_hash(token: str) -> str:
    return hashlib.sha256(token.strip().lower().encode()).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user behind a valid token."""

    user_id: uuid.UUID
    token_id: uuid.UUID
    kind: str
    attempt_id: uuid.UUID | None
    expires_at: datetime | None
    assignment_status_id: uuid.UUID | None = None


def issue_token(
    session: Session,
    user_id: uuid.UUID,
    expires_at: datetime | None,
    kind: str = "access",
    attempt_id: uuid.UUID | None = None,
    assignment_status_id: uuid.UUID | None = None,
) -> str:
    token = str(uuid.uuid4())
    session.add(
        AccessToken(
            token_hash=token_hash(token),
            user_id=user_id,
            kind=kind,
            attempt_id=attempt_id,
            assignment_status_id=assignment_status_id,
            expires_at=expires_at,
        )
    )
    return token


# Built once, read as plain columns: every authenticated call that misses
# the cache runs it, and ORM objects would cost more than the query.
_BY_HASH = (
    select(
        AccessToken.id, AccessToken.user_id, AccessToken.kind, AccessToken.attempt_id,
        AccessToken.expires_at, AccessToken.revoked_at, User.is_active, AccessToken.assignment_status_id,
    )
    .join(User, User.id == AccessToken.user_id)
    .where(AccessToken.token_hash == bindparam("digest"))
)


def _lookup(session: Session, digest: str) -> Principal | None:
    row = session.connection().execute(_BY_HASH, {"digest": digest}).first()
    if row is None or row.revoked_at is not None or not row.is_active:
        return None
    return Principal(row.user_id, row.id, row.kind, row.attempt_id, row.expires_at, row.assignment_status_id)


class TokenCache:
    MISS = object()

    def __init__(self, ttl: float):
        self.ttl = ttl
        self._entries: dict[str, tuple[float, Principal | None]] = {}

    def principal(self, session: Session, token: str) -> Principal | None:
        """The token's principal, or None when unknown, revoked or expired."""
        found = self.cached(token)
        if found is not self.MISS:
            return found
        digest = token_hash(token)
        found = _lookup(session, digest)
        if len(self._entries) > 100_000:
            self._entries.clear()
        self._entries[digest] = (time.monotonic(), found)
        return _live(found)

    def cached(self, token: str):
        """The principal from memory (None when known to be invalid), or
        ``MISS`` when only the database can tell."""
        hit = self._entries.get(token_hash(token))
        if hit is None or time.monotonic() - hit[0] >= self.ttl:
            return self.MISS
        return _live(hit[1])

    def forget(self, token: str) -> None:
        self._entries.pop(token_hash(token), None)


def _live(found: Principal | None) -> Principal | None:
    if found is None or (found.expires_at is not None and found.expires_at <= utcnow()):
        return None
    return found
