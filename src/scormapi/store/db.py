"""Engines and sessions.

SQLite runs in WAL mode with a busy timeout. A write transaction on SQLite
starts with ``BEGIN IMMEDIATE``: a deferred transaction that reads and then
writes can fail at once with "database is locked" when another writer got in
between, and the busy timeout does not help there. Taking the write lock up
front makes concurrent writers queue instead.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager, nullcontext
from functools import lru_cache
from typing import Iterator

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from scormapi.config import get_settings

_WRITE = "scormapi_write"


def _json_text(value) -> str:
    # orjson for the CMI documents: the standard library's json is several
    # times slower on the KB-sized documents every read and commit carries.
    return orjson.dumps(value).decode()


_JSON = {"json_serializer": _json_text, "json_deserializer": orjson.loads}


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True, **_JSON)


def _sqlite_engine(url: str) -> Engine:
    # A pool larger than the request threads (settings.request_threads):
    # overflow connections are closed after each use and reopened, PRAGMAs
    # included; the overflow only serves callers with more threads (tests).
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=8, max_overflow=32, **_JSON
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy's "begin" event, not the driver, open transactions.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        # 8 MiB of page cache per connection (SQLite's default is 2 MiB):
        # on a large database the index pages that every look-up walks then
        # stay in the process instead of being re-read from the OS each time.
        # Per connection, so it is paid once per request thread: 16 MiB put
        # a worker past its 150 MB memory budget.
        cur.execute("PRAGMA cache_size=-8192")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """One engine and its two session factories (read and write)."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.is_sqlite = url.startswith("sqlite")
        # SQLite lets one writer in at a time. Queueing this process's writers
        # on a lock is fair and wakes the next at once; SQLite's busy handler
        # instead polls with sleeps of up to 100 ms and lets newcomers overtake.
        self._write_lock = threading.RLock() if self.is_sqlite else nullcontext()
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(**{_WRITE: True}), expire_on_commit=False
        )

    @contextmanager
    def read(self) -> Iterator[Session]:
        # Closing (not rolling back) ends the transaction and keeps loaded
        # objects readable after the block.
        with self._read() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits when the block ends, rolls back on error."""
        with self._write_lock, self._write() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


@lru_cache
def get_database() -> Database:
    return Database(get_settings().database_url_resolved)
