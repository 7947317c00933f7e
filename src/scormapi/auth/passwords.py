"""Argon2id password hashing."""
from __future__ import annotations

import threading
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from scormapi.config import get_settings


@lru_cache
def _hasher() -> PasswordHasher:
    s = get_settings()
    return PasswordHasher(time_cost=s.argon2_time_cost, memory_cost=s.argon2_memory_kib)


@lru_cache
def _slots() -> threading.BoundedSemaphore:
    """Bounds concurrent hashing: a burst of sign-ins queues here instead of
    holding one Argon2 memory block per request thread at once."""
    return threading.BoundedSemaphore(get_settings().argon2_concurrency)


def hash_password(password: str) -> str:
    with _slots():
        return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        with _slots():
            return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with other cost settings than today's."""
    try:
        return _hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


@lru_cache
def dummy_hash() -> str:
    """A hash to verify against when the login does not exist, so that an
    unknown login costs as long as a wrong password (no timing oracle)."""
    return hash_password("not a real password")
