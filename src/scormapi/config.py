"""Settings, read from the environment (prefix ``SCORMAPI_``)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SCORMAPI_", extra="ignore")

    data_dir: Path = Path("./data")
    # Empty means "a SQLite file in data_dir"; see database_url_resolved.
    database_url: str = ""
    # Lifetime of a token when the client does not choose utc_expiration_date.
    token_lifetime_seconds: int = 3600
    # Failed sign-ins allowed per login (and per client address) in one window.
    login_attempts_per_window: int = 10
    login_window_seconds: int = 60
    # How long an access-token / permission lookup may be served from memory.
    auth_cache_seconds: float = 2.0
    # Requests served at once per worker process (see api/app.py).
    request_threads: int = 4
    # SCORM 1.2 says 4096; much real content writes more (see README).
    suspend_data_limit: Literal["strict", "lenient"] = "lenient"
    package_max_bytes: int = 500 * 1024 * 1024
    # Argon2id cost: OWASP's recommended minimum (19 MiB, 2 passes). Memory
    # per hash is what bounds a worker's footprint under sign-in load.
    argon2_time_cost: int = 2
    argon2_memory_kib: int = 19456
    # Password hashes computed at once per worker (each holds its memory).
    # One hash already runs its 4 Argon2 lanes on parallel threads: on 2
    # cores a second concurrent hash only adds memory (measured: 65 sign-ins/s
    # at 103 MB with 1, 56/s at 179 MB with 2).
    argon2_concurrency: int = 1
    # How often each worker deletes spent tokens and stale sign-in counts
    # (store/housekeeping.py); 0 turns it off. Spent tokens are kept this
    # many days first.
    housekeeping_seconds: float = 3600
    spent_token_days: int = 7

    @property
    def database_url_resolved(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'scormapi.db').resolve()}"

    @property
    def packages_dir(self) -> Path:
        return self.data_dir / "packages"

    @property
    def suspend_data_max(self) -> int:
        return 4096 if self.suspend_data_limit == "strict" else 64000


@lru_cache
def get_settings() -> Settings:
    return Settings()
