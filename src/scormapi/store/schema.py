"""Schema upgrades (Alembic) and the root organization they guarantee."""
from __future__ import annotations

import uuid
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import select

from scormapi.store.db import Database
from scormapi.store.models import Organization

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(db: Database) -> None:
    """Bring the schema to the newest revision and make sure the root exists."""
    if db.is_sqlite:
        Path(db.engine.url.database).parent.mkdir(parents=True, exist_ok=True)
    with db.engine.begin() as conn:
        cfg = alembic_config(db.url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    ensure_root(db)


def ensure_root(db: Database) -> Organization:
    with db.write() as s:
        root = s.scalar(select(Organization).where(Organization.parent_id.is_(None)))
        if root is None:
            root_id = uuid.uuid4()
            root = Organization(id=root_id, name="Root", short_name="root", path=str(root_id))
            s.add(root)
        return root


def root_org(db: Database) -> Organization:
    with db.read() as s:
        return s.scalars(select(Organization).where(Organization.parent_id.is_(None))).one()
