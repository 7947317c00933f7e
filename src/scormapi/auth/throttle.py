"""Failed sign-in throttling, per login and per client address.

Counts live in the database so that every worker and app server sees the
same numbers. Unknown logins are counted like known ones: the answer never
reveals whether a login exists.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from scormapi.store.models import LoginThrottle, utcnow


def throttle_keys(login: str, address: str | None) -> list[str]:
    keys = ["login:" + login.strip().lower()[:300]]
    if address:
        keys.append("addr:" + address)
    return keys


def is_throttled(session: Session, limits: dict[str, int], window_seconds: int) -> bool:
    """True when any key reached its limit of failures in the current window."""
    now = utcnow()
    for key, limit in limits.items():
        row = session.get(LoginThrottle, key)
        if row and now - row.window_start < timedelta(seconds=window_seconds) and row.failures >= limit:
            return True
    return False


def record_failure(session: Session, keys: list[str], window_seconds: int) -> None:
    now = utcnow()
    for key in keys:
        row = session.get(LoginThrottle, key)
        if row is None:
            session.add(LoginThrottle(key=key, window_start=now, failures=1))
        elif now - row.window_start >= timedelta(seconds=window_seconds):
            row.window_start, row.failures = now, 1
        else:
            row.failures += 1


def clear_login(session: Session, login: str) -> None:
    """A successful sign-in resets the login's count (not the address's)."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == throttle_keys(login, None)[0]))
