"""Shared test fixtures: a real database and a real HTTP server.

The database is a SQLite file by default; set SCORMAPI_TEST_DATABASE_URL to a
PostgreSQL URL to run the same suite there (``.ci/run`` does both). The
schema is reset once per test session; tests create their own organizations
and users, so they do not depend on each other.
"""
from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import text

# Cheap password hashing keeps the suite fast; production uses the defaults.
os.environ.setdefault("SCORMAPI_ARGON2_TIME_COST", "1")
os.environ.setdefault("SCORMAPI_ARGON2_MEMORY_KIB", "8192")

from scormapi.api.app import create_app  # noqa: E402
from scormapi.config import Settings  # noqa: E402
from scormapi.store.db import Database  # noqa: E402
from scormapi.store.schema import upgrade  # noqa: E402
from tests.world import World  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _reset(db: Database) -> None:
    if db.is_sqlite:
        return
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def settings(tmp_path_factory) -> Settings:
    data_dir = tmp_path_factory.mktemp("data")
    url = os.environ.get("SCORMAPI_TEST_DATABASE_URL", "")
    if url:
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        if worker:
            url = url.rsplit("/", 1)[0] + "/" + url.rsplit("/", 1)[1] + "_" + worker
            _create_pg_database(url)
    return Settings(data_dir=data_dir, database_url=url)


def _create_pg_database(url: str) -> None:
    """One database per xdist worker, made on first use."""
    admin = Database(url.rsplit("/", 1)[0] + "/postgres")
    name = url.rsplit("/", 1)[1]
    with admin.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


@pytest.fixture(scope="session")
def db(settings) -> Database:
    database = Database(settings.database_url_resolved)
    _reset(database)
    upgrade(database)
    yield database
    database.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app(settings, db):
    return create_app(settings, db)


@pytest.fixture(scope="session")
def base_url(app) -> str:
    """The app served by uvicorn on a loopback port, for the whole session."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture()
def http(base_url):
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


@pytest.fixture()
def world(db, settings, http) -> World:
    """A fresh organization subtree with an administrator, per test."""
    return World(db, settings, http)
