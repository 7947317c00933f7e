"""The migrations build exactly the schema the models describe, and 0003
carries the older attempt_policy over to max_attempts, on each database."""
from __future__ import annotations

import uuid

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from scormapi.store.db import Database
from scormapi.store.models import Base
from scormapi.store.schema import alembic_config
from tests.conftest import _create_pg_database, _reset


@pytest.fixture()
def scratch(settings, tmp_path):
    """An empty database of the kind under test, apart from the suite's."""
    url = settings.database_url_resolved
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    else:
        url = url.rsplit("/", 1)[0] + "/" + url.rsplit("/", 1)[1] + "_migrations"
        _create_pg_database(url)
    database = Database(url)
    _reset(database)
    yield database
    database.dispose()


def migrate(database: Database, revision: str, down: bool = False) -> None:
    with database.engine.begin() as conn:
        cfg = alembic_config(database.url)
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def test_the_migrated_schema_is_the_models_schema(scratch):
    migrate(scratch, "head")
    with scratch.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    if scratch.is_sqlite:
        # SQLite's INTEGER is already 64-bit: 0002 leaves commit_seq alone there.
        differences = [d for d in differences if not _integer_widening(d)]
    assert differences == []


def _integer_widening(difference) -> bool:
    changes = difference if isinstance(difference, list) else [difference]
    return all(c[0] == "modify_type" and (c[2], c[3]) == ("sco_attempts", "commit_seq") for c in changes)


def _assignment_rows(database: Database, conn, policies: list[str]) -> list[uuid.UUID]:
    """An organization, section and courseware, and one assignment per policy, as 0002 stored them."""
    org, section, courseware = (_bind(database, uuid.uuid4()) for _ in range(3))
    now = "2026-01-01 00:00:00"
    conn.execute(text("INSERT INTO organizations (id, name, short_name, path, created_at) VALUES (:id, 'O', 'o', :p, :t)"),
                 {"id": org, "p": str(org), "t": now})
    conn.execute(text("INSERT INTO sections (id, org_id, name, created_at) VALUES (:id, :o, 'S', :t)"),
                 {"id": section, "o": org, "t": now})
    conn.execute(text("INSERT INTO courseware (id, org_id, title, identifier, scorm_version, structure, created_at) "
                      "VALUES (:id, :o, 'C', '', '1.2', '[]', :t)"), {"id": courseware, "o": org, "t": now})
    user, enrollment = _bind(database, uuid.uuid4()), _bind(database, uuid.uuid4())
    conn.execute(text("INSERT INTO users (id, login, password_hash, first_name, last_name, owner_org_id, is_active, "
                      "created_at) VALUES (:id, :l, 'x', 'F', 'L', :o, :a, :t)"),
                 {"id": user, "l": f"u{uuid.uuid4().hex}", "o": org, "a": True, "t": now})
    conn.execute(text("INSERT INTO enrollments (id, section_id, user_id, created_at) VALUES (:id, :s, :u, :t)"),
                 {"id": enrollment, "s": section, "u": user, "t": now})
    ids = []
    for policy in policies:
        ids.append(_bind(database, uuid.uuid4()))
        conn.execute(text("INSERT INTO assignments (id, section_id, courseware_id, title, attempt_policy, created_at) "
                          "VALUES (:id, :s, :c, 'A', :p, :t)"),
                     {"id": ids[-1], "s": section, "c": courseware, "p": policy, "t": now})
        # Rows that point at the assignment: a migration that rebuilds the
        # table would trip over their foreign keys.
        conn.execute(text("INSERT INTO assignment_statuses (id, enrollment_id, assignment_id, status, total_seconds, "
                          "updated_at) VALUES (:id, :e, :a, 'not attempted', 0, :t)"),
                     {"id": _bind(database, uuid.uuid4()), "e": enrollment, "a": ids[-1], "t": now})
    return ids


def _bind(database: Database, value: uuid.UUID):
    # SQLite's Uuid column holds 32 hex digits; PostgreSQL takes the uuid.
    return value.hex if database.is_sqlite else value


def test_0003_maps_attempt_policy_onto_max_attempts_and_back(scratch):
    migrate(scratch, "0002")
    with scratch.engine.begin() as conn:
        review, fresh = _assignment_rows(scratch, conn, ["review", "new_attempt"])
    migrate(scratch, "0003")
    with scratch.engine.connect() as conn:
        rows = {row[0]: row[1:] for row in conn.execute(
            text("SELECT id, max_attempts, grading_method FROM assignments")).all()}
        columns = list(conn.execute(text("SELECT * FROM assignments")).keys())
    assert rows[review] == (1, "highest") and rows[fresh] == (0, "highest")
    assert "attempt_policy" not in columns
    migrate(scratch, "0002", down=True)
    with scratch.engine.connect() as conn:
        back = dict(conn.execute(text("SELECT id, attempt_policy FROM assignments")).all())
    assert back == {review: "review", fresh: "new_attempt"}


NEW_SCO_COLUMNS = ["completion_threshold", "scaled_passing_score", "objective_ids"]


def _sco_row(database: Database, conn) -> uuid.UUID:
    """A SCO of a courseware, as 0005 stored them."""
    org, courseware, sco = (_bind(database, uuid.uuid4()) for _ in range(3))
    now = "2026-01-01 00:00:00"
    conn.execute(text("INSERT INTO organizations (id, name, short_name, path, created_at) VALUES (:id, 'O', 'o', :p, :t)"),
                 {"id": org, "p": str(org), "t": now})
    conn.execute(text("INSERT INTO courseware (id, org_id, title, identifier, scorm_version, structure, created_at) "
                      "VALUES (:id, :o, 'C', '', '2004', '[]', :t)"), {"id": courseware, "o": org, "t": now})
    conn.execute(text("INSERT INTO courseware_scos (id, courseware_id, sco_id, title, launch, ordinal, mastery_score, "
                      "data_from_lms, max_time_allowed, time_limit_action) "
                      "VALUES (:id, :c, 'sco_1', 'Lesson', 'index.html', 0, '', 'x=1', 'PT1H', 'exit,message')"),
                 {"id": sco, "c": courseware})
    return sco


def _sco_columns(conn) -> list[str]:
    return list(conn.execute(text("SELECT * FROM courseware_scos")).keys())


def test_0006_adds_the_2004_settings_empty_and_drops_them_again(scratch):
    migrate(scratch, "0005")
    with scratch.engine.begin() as conn:
        sco = _sco_row(scratch, conn)
    migrate(scratch, "0006")
    with scratch.engine.connect() as conn:
        rows = conn.execute(text(f"SELECT id, data_from_lms, max_time_allowed, {', '.join(NEW_SCO_COLUMNS)} "
                                 "FROM courseware_scos")).all()
    assert [tuple(row) for row in rows] == [(sco, "x=1", "PT1H", "", "", "")]
    migrate(scratch, "0005", down=True)
    with scratch.engine.connect() as conn:
        assert not set(NEW_SCO_COLUMNS) & set(_sco_columns(conn))
        assert conn.execute(text("SELECT id, time_limit_action FROM courseware_scos")).all() == [(sco, "exit,message")]


def _attempt_rows(database: Database, conn, results: list[tuple[str, float | None]]) -> list[uuid.UUID]:
    """One SCO attempt per (lesson_status, score_raw) and its archived copy, as 0006 stored them."""
    sco = _sco_row(database, conn)
    org = conn.execute(text("SELECT org_id FROM courseware")).scalar_one()
    courseware = conn.execute(text("SELECT id FROM courseware")).scalar_one()
    section, assignment = (_bind(database, uuid.uuid4()) for _ in range(2))
    now = "2026-01-01 00:00:00"
    conn.execute(text("INSERT INTO sections (id, org_id, name, created_at) VALUES (:id, :o, 'S', :t)"),
                 {"id": section, "o": org, "t": now})
    conn.execute(text("INSERT INTO assignments (id, section_id, courseware_id, title, max_attempts, grading_method, "
                      "created_at) VALUES (:id, :s, :c, 'A', 0, 'highest', :t)"),
                 {"id": assignment, "s": section, "c": courseware, "t": now})
    ids = []
    for status, score in results:
        # One learner each: a learner has one status per assignment, one attempt per SCO.
        user, enrollment, status_id, attempt = (_bind(database, uuid.uuid4()) for _ in range(4))
        conn.execute(text("INSERT INTO users (id, login, password_hash, first_name, last_name, owner_org_id, is_active, "
                          "created_at) VALUES (:id, :l, 'x', 'F', 'L', :o, :a, :t)"),
                     {"id": user, "l": f"u{uuid.uuid4().hex}", "o": org, "a": True, "t": now})
        conn.execute(text("INSERT INTO enrollments (id, section_id, user_id, created_at) VALUES (:id, :s, :u, :t)"),
                     {"id": enrollment, "s": section, "u": user, "t": now})
        conn.execute(text("INSERT INTO assignment_statuses (id, enrollment_id, assignment_id, status, total_seconds, "
                          "updated_at) VALUES (:id, :e, :a, 'not attempted', 0, :t)"),
                     {"id": status_id, "e": enrollment, "a": assignment, "t": now})
        conn.execute(text("INSERT INTO sco_attempts (id, assignment_status_id, sco_pk, attempt_number, cmi, "
                          "lesson_status, score_raw, total_seconds, version, commit_seq, updated_at) "
                          "VALUES (:id, :st, :sco, 2, '{}', :ls, :raw, 0, 1, 0, :t)"),
                     {"id": attempt, "st": status_id, "sco": sco, "ls": status, "raw": score, "t": now})
        conn.execute(text("INSERT INTO sco_attempt_history (id, attempt_id, attempt_number, cmi, lesson_status, "
                          "score_raw, total_seconds, archived_at) VALUES (:id, :a, 1, '{}', :ls, :raw, 0, :t)"),
                     {"id": _bind(database, uuid.uuid4()), "a": attempt, "ls": status, "raw": score, "t": now})
        ids.append(attempt)
    return ids


def test_0007_gives_older_attempts_both_models_statuses_and_the_scaled_score(scratch):
    migrate(scratch, "0006")
    results = [("passed", 85.0), ("failed", 40.0), ("completed", None), ("incomplete", None), ("browsed", None),
               ("not attempted", None)]
    with scratch.engine.begin() as conn:
        ids = _attempt_rows(scratch, conn, results)
    migrate(scratch, "0007")
    expected = [("completed", "passed", 0.85), ("completed", "failed", 0.4), ("completed", "unknown", None),
                ("incomplete", "unknown", None), ("incomplete", "unknown", None), ("not attempted", "unknown", None)]
    with scratch.engine.connect() as conn:
        current = dict((row[0], tuple(row[1:])) for row in conn.execute(text(
            "SELECT id, completion_status, success_status, score_scaled FROM sco_attempts")).all())
        archived = dict((row[0], tuple(row[1:])) for row in conn.execute(text(
            "SELECT attempt_id, completion_status, success_status, score_scaled FROM sco_attempt_history")).all())
    assert [current[i] for i in ids] == expected == [archived[i] for i in ids]
    migrate(scratch, "0006", down=True)
    with scratch.engine.connect() as conn:
        columns = set(conn.execute(text("SELECT * FROM sco_attempts")).keys())
        assert not {"completion_status", "success_status", "score_scaled"} & columns
        assert conn.execute(text("SELECT count(*) FROM sco_attempt_history")).scalar_one() == len(results)
