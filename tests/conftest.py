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

from scormapi.api.app import create_app
from scormapi.config import Settings
from scormapi.store.db import Database
from scormapi.store.schema import upgrade
from tests.world import World

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _reset(db: Database) -> None:
    if db.is_sqlite:
        return
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


def _listening_socket() -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


@pytest.fixture(scope="session")
def listeners():
    """The test server's two sockets, bound first so the settings know the
    ports: the main origin and the content origin, as ``scormapi serve``
    arranges them (one host, two ports)."""
    sockets = (_listening_socket(), _listening_socket())
    yield sockets
    for sock in sockets:
        sock.close()


@pytest.fixture(scope="session")
def settings(tmp_path_factory, listeners) -> Settings:
    data_dir = tmp_path_factory.mktemp("data")
    url = os.environ.get("SCORMAPI_TEST_DATABASE_URL", "")
    if url:
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        if worker:
            url = url.rsplit("/", 1)[0] + "/" + url.rsplit("/", 1)[1] + "_" + worker
            _create_pg_database(url)
    main, content = (sock.getsockname()[1] for sock in listeners)
    return Settings(data_dir=data_dir, database_url=url, main_port=main, content_port=content)


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


@pytest.fixture(scope="session")
def app(settings, db):
    return create_app(settings, db)


@pytest.fixture(scope="session")
def served(app, listeners) -> tuple[str, str]:
    """The app served by uvicorn on both sockets, for the whole session."""
    # The suite's server keeps no access log of its own (the log's redaction
    # is tested on its rule and on the real server's output).
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": list(listeners)}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    main, content = (sock.getsockname()[1] for sock in listeners)
    yield f"http://127.0.0.1:{main}", f"http://127.0.0.1:{content}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(served) -> str:
    """The main origin: the API and the learner's pages."""
    return served[0]


@pytest.fixture(scope="session")
def content_url(served) -> str:
    """The content origin: run-time pages, package files, commits."""
    return served[1]


@pytest.fixture()
def content_http(content_url):
    with httpx.Client(base_url=content_url, timeout=30) as client:
        yield client


@pytest.fixture()
def http(base_url):
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


@pytest.fixture()
def world(db, settings, http) -> World:
    """A fresh organization subtree with an administrator, per test."""
    return World(db, settings, http)
