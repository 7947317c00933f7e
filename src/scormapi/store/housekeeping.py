"""Rows that only grow: tokens past their use and stale sign-in counts.

Every sign-in, learner session and lesson launch writes an access token, and
every login an attacker tries writes a throttle row; nothing else removes
them. ``prune`` deletes what can no longer matter. The server runs it every
``SCORMAPI_HOUSEKEEPING_SECONDS``; ``scormapi db prune`` runs it by hand.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_
from sqlalchemy.orm import Session

from scormapi.store.models import AccessToken, LoginThrottle, utcnow

# A throttle row is dead once its window is over; a day's margin keeps any
# window setting an operator might choose well clear of it.
THROTTLE_MARGIN = timedelta(days=1)


@dataclass(frozen=True)
class Pruned:
    tokens: int
    throttle_rows: int


def prune(session: Session, keep: timedelta, *, now: datetime | None = None) -> Pruned:
    """Delete tokens that expired or were revoked more than ``keep`` ago
    (kept a while so "why was I signed out?" can still be answered), and
    throttle rows whose window ended long ago. Tokens that never expire and
    were never revoked stay."""
    now = now or utcnow()
    cutoff = now - keep
    tokens = session.execute(
        delete(AccessToken).where(or_(AccessToken.expires_at < cutoff, AccessToken.revoked_at < cutoff))
    ).rowcount
    throttle_rows = session.execute(
        delete(LoginThrottle).where(LoginThrottle.window_start < now - THROTTLE_MARGIN)
    ).rowcount
    return Pruned(tokens, throttle_rows)
