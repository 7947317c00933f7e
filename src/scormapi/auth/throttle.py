"""Failed sign-in throttling, per login and per client address.

Counts live in the database so that every worker and app server sees the
same numbers. Unknown logins are counted like known ones: the answer never
reveals whether a login exists.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import case, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from scormapi.store.models import LoginThrottle, utcnow


# Both dialects spell an upsert the same way, each with its own construct.
_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


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
    """Count one failure per key, starting a new window when the last one is
    over. One upsert per key: concurrent failures for the same login (what
    throttling is for) must neither collide on the key nor lose a count."""
    now = utcnow()
    window_over = LoginThrottle.window_start <= now - timedelta(seconds=window_seconds)
    insert = _INSERTS[session.get_bind().dialect.name]
    for key in keys:
        session.execute(
            insert(LoginThrottle)
            .values(key=key, window_start=now, failures=1)
            .on_conflict_do_update(
                index_elements=[LoginThrottle.key],
                set_={
                    "failures": case((window_over, 1), else_=LoginThrottle.failures + 1),
                    "window_start": case((window_over, now), else_=LoginThrottle.window_start),
                },
            )
        )


def clear_login(session: Session, login: str) -> None:
    """A successful sign-in resets the login's count (not the address's)."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == throttle_keys(login, None)[0]))
