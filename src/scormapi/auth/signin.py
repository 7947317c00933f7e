"""Checking a login and password: shared by AdminApi/Authenticate and the
learner sign-in form, so both count failures and refuse alike."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from scormapi.auth import throttle
from scormapi.auth.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from scormapi.config import Settings
from scormapi.store.db import Database
from scormapi.store.models import User

# A client address may fail more often than one login: offices share one.
ADDRESS_LIMIT_FACTOR = 5


class Throttled(Exception):
    """Too many failed sign-ins for this login or address in the window."""


class BadCredentials(Exception):
    """Unknown login, inactive user or wrong password (never says which)."""


def _limits(settings: Settings, login: str, address: str | None) -> dict[str, int]:
    keys = throttle.throttle_keys(login, address)
    limits = {keys[0]: settings.login_attempts_per_window}
    limits.update({k: settings.login_attempts_per_window * ADDRESS_LIMIT_FACTOR for k in keys[1:]})
    return limits


def check_credentials(db: Database, settings: Settings, login: str, password: str, address: str | None) -> uuid.UUID:
    """The user's id, or Throttled / BadCredentials.

    An unknown login costs one Argon2 verification like a wrong password, so
    timing tells nothing. A hash made with older cost settings is replaced
    on success (the password is at hand only now).
    """
    if "\x00" in login:
        # No login holds NUL (every way in refuses it), and PostgreSQL could
        # not even look for one: wrong, without a look-up or a count.
        raise BadCredentials()
    limits = _limits(settings, login, address)
    try:
        with db.write() as session:
            throttle.reserve(session, limits, settings.login_window_seconds)
    except throttle.Refused:
        raise Throttled() from None
    with db.read() as session:
        user = session.scalar(select(User).where(User.login == login))
    if user is None or not user.is_active:
        verify_password(dummy_hash(), password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password)
    if ok:
        with db.write() as session:
            throttle.release(session, login, address)
            if needs_rehash(user.password_hash):
                session.get(User, user.id).password_hash = hash_password(password)
    if not ok:
        raise BadCredentials()
    return user.id
