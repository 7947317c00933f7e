"""store/housekeeping: spent tokens, stale sign-in counts and abandoned
import folders are deleted, live ones stay; the server does it on its own
while it runs."""
from __future__ import annotations

import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import anyio
from sqlalchemy import select

from scormapi.api.app import create_app
from scormapi.auth.tokens import token_hash
from scormapi.store import housekeeping
from scormapi.store.courseware import STAGING_PREFIX
from scormapi.store.models import AccessToken, LoginThrottle
from tests.threads import run_apart

DAY = timedelta(days=1)


def token_row(world, *, expires_at=None, revoked_at=None) -> str:
    """A token of the world's admin; returns its hash."""
    token = world.token(world.admin, expires_at=expires_at)
    digest = token_hash(token)
    if revoked_at is not None:
        with world.db.write() as s:
            s.scalar(select(AccessToken).where(AccessToken.token_hash == digest)).revoked_at = revoked_at
    return digest


def existing(db, digests: dict[str, str]) -> set[str]:
    with db.read() as s:
        found = set(s.scalars(select(AccessToken.token_hash).where(AccessToken.token_hash.in_(digests.values()))))
    return {name for name, digest in digests.items() if digest in found}


def test_prune_deletes_tokens_spent_longer_than_kept(world):
    now = datetime.now(UTC)
    tokens = {
        "expired long ago": token_row(world, expires_at=now - 8 * DAY),
        "expired yesterday": token_row(world, expires_at=now - DAY),
        "revoked long ago": token_row(world, expires_at=now + DAY, revoked_at=now - 8 * DAY),
        "revoked yesterday": token_row(world, revoked_at=now - DAY),
        "never expires": token_row(world),
        "expires tomorrow": token_row(world, expires_at=now + DAY),
    }
    with world.db.write() as s:
        pruned = housekeeping.prune(s, timedelta(days=7), now=now)
    assert pruned.tokens >= 2
    assert existing(world.db, tokens) == {"expired yesterday", "revoked yesterday", "never expires", "expires tomorrow"}


def test_prune_deletes_sign_in_counts_a_day_past_their_window(world):
    now = datetime.now(UTC)
    with world.db.write() as s:
        s.add(LoginThrottle(key=f"login:old-{world.top.id}", window_start=now - 2 * DAY, failures=3))
        s.add(LoginThrottle(key=f"login:new-{world.top.id}", window_start=now - timedelta(minutes=5), failures=3))
    with world.db.write() as s:
        assert housekeeping.prune(s, timedelta(days=7), now=now).throttle_rows >= 1
    with world.db.read() as s:
        keys = set(s.scalars(select(LoginThrottle.key).where(LoginThrottle.key.like(f"%{world.top.id}"))))
    assert keys == {f"login:new-{world.top.id}"}


def test_the_server_prunes_on_its_own(world, settings, db):
    spent = token_row(world, expires_at=datetime.now(UTC) - 30 * DAY)
    app = create_app(settings.model_copy(update={"housekeeping_seconds": 0.05}), db)

    async def run_the_app_a_while():
        async with app.router.lifespan_context(app):
            deadline = time.monotonic() + 10
            while existing(db, {"spent": spent}) and time.monotonic() < deadline:
                await anyio.sleep(0.05)

    run_apart(run_the_app_a_while)
    assert existing(db, {"spent": spent}) == set()


def _abandoned_folder(settings) -> Path:
    settings.packages_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=settings.packages_dir))
    os.utime(folder, (0, 0))
    return folder


def test_the_server_removes_abandoned_imports_at_start(settings, db):
    """A process killed mid-import leaves its staging folder: the next start
    removes it (and leaves a recent one, an import perhaps still running)."""
    abandoned = _abandoned_folder(settings)
    recent = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=settings.packages_dir))
    app = create_app(settings.model_copy(update={"housekeeping_seconds": 0}), db)

    async def start_and_stop():
        async with app.router.lifespan_context(app):
            pass

    run_apart(start_and_stop)
    assert not abandoned.exists() and recent.is_dir()
    recent.rmdir()


def test_housekeeping_removes_abandoned_imports(settings, db):
    app = create_app(settings.model_copy(update={"housekeeping_seconds": 0.05}), db)

    async def run_the_app_a_while():
        async with app.router.lifespan_context(app):
            await anyio.sleep(0.1)  # started: the start-up sweep is done
            folder = _abandoned_folder(settings)
            deadline = time.monotonic() + 10
            while folder.exists() and time.monotonic() < deadline:
                await anyio.sleep(0.05)
            return folder

    assert not run_apart(run_the_app_a_while).exists()
