"""Settings, read from the environment (prefix ``SCORMAPI_``)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def origin_only(value: str) -> str:
    """``scheme://host[:port]`` lower-cased, or "" for "": an origin, never a path."""
    value = value.strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 - raises for a port that is not a number in range
    except ValueError:
        raise ValueError(f"{value!r} has an invalid port") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query or parts.fragment \
            or parts.username or parts.password:
        raise ValueError(f"{value!r} is not an origin (scheme://host[:port], e.g. https://content.example.org)")
    # As browsers spell an origin (event.origin, the Origin header): the
    # scheme's own port left out, so "https://x:443" compares equal to it.
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    default = 443 if parts.scheme == "https" else 80
    port = "" if parts.port in (None, default) else f":{parts.port}"
    return f"{parts.scheme}://{host}{port}"


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
    # Any other request body (JSON, forms). A run-time commit of the longest
    # suspend_data (64,000 characters, even each escaped in six bytes) fits.
    max_body_bytes: int = 1024 * 1024
    # All of one attempt's run-time data (names and values, in characters).
    # Commits that would pass it are refused; see store/runtime.py.
    attempt_max_chars: int = 2_000_000
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
    # Course content runs on its own origin (see README, Security). Both set:
    # requests whose Host is the content origin's go to the content side,
    # and the main origin is where the player's pages live. Both empty:
    # `scormapi serve` listens on a second port (main_port / content_port,
    # set by serve for its workers) and uses it as the content origin.
    public_origin: str = ""
    content_origin: str = ""
    main_port: int = 0
    content_port: int = 0

    @field_validator("public_origin", "content_origin")
    @classmethod
    def _an_origin(cls, value: str) -> str:
        return origin_only(value)

    @model_validator(mode="after")
    def _origins_paired(self) -> Settings:
        if bool(self.public_origin) != bool(self.content_origin):
            raise ValueError("SCORMAPI_PUBLIC_ORIGIN and SCORMAPI_CONTENT_ORIGIN are set together or not at all")
        if self.content_origin and self.content_origin == self.public_origin:
            raise ValueError("SCORMAPI_CONTENT_ORIGIN must differ from SCORMAPI_PUBLIC_ORIGIN")
        return self

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
