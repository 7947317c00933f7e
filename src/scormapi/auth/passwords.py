"""Argon2id password hashing."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from scormapi.config import get_settings


@lru_cache
def _hasher() -> PasswordHasher:
    s = get_settings()
    return PasswordHasher(time_cost=s.argon2_time_cost, memory_cost=s.argon2_memory_kib)


@lru_cache
def _hashing_threads() -> ThreadPoolExecutor:
    """Hashing runs on its own few threads, not on the request threads: a
    burst of sign-ins queues here, and only these threads ever hold an
    Argon2 memory block (glibc keeps a freed block in the arena of the
    thread that used it, so every request thread that hashed would hold
    one for good)."""
    return ThreadPoolExecutor(get_settings().argon2_concurrency, thread_name_prefix="argon2")


def hash_password(password: str) -> str:
    return _hashing_threads().submit(_hasher().hash, password).result()


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_password(stored_hash: str, password: str) -> bool:
    return _hashing_threads().submit(_verify, stored_hash, password).result()


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
