"""Failed sign-in throttling, per login and per client address.

Counts live in the database so that every worker and app server sees the
same numbers. Unknown logins are counted like known ones: the answer never
reveals whether a login exists.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import case, delete, update
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


class Refused(Exception):
    """A key is at its limit: no check may run in this window."""


def reserve(session: Session, limits: dict[str, int], window_seconds: int) -> None:
    """Count one failure per key *before* the password is checked, or raise
    Refused (the caller rolls back, so no key is counted then).

    Each key's count moves in one conditional upsert: it rises only while
    below its limit (or starts afresh when the window is over), and the
    row it returns says whether it did. Reading the count and writing it
    later would let every guess made in between through; reserving first
    means parallel guesses at one login get exactly ``limit`` checks. A
    success gives its reservation back (``release``).
    """
    now = utcnow()
    window_over = LoginThrottle.window_start <= now - timedelta(seconds=window_seconds)
    insert = _INSERTS[session.get_bind().dialect.name]
    for key, limit in limits.items():
        counted = session.execute(
            insert(LoginThrottle)
            .values(key=key, window_start=now, failures=1)
            .on_conflict_do_update(
                index_elements=[LoginThrottle.key],
                set_={
                    "failures": case((window_over, 1), else_=LoginThrottle.failures + 1),
                    "window_start": case((window_over, now), else_=LoginThrottle.window_start),
                },
                where=window_over | (LoginThrottle.failures < limit),
            )
            .returning(LoginThrottle.failures)
        ).first()
        if counted is None:
            raise Refused(key)


def release(session: Session, login: str, address: str | None) -> None:
    """A successful sign-in: the login starts counting from nothing again;
    the address gets back the one it reserved (its other failures stand)."""
    keys = throttle_keys(login, address)
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == keys[0]))
    for key in keys[1:]:
        session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == key, LoginThrottle.failures > 0)
            .values(failures=LoginThrottle.failures - 1)
        )


