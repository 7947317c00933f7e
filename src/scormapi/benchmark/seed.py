"""The data generator: a course, N enrolled learners and one attempt per
learner per SCO, written with Core bulk inserts.

The small, one-off rows (organizations, the administrator, the course and its
package, the section and assignment) go through the project's own store
functions so they look exactly like real ones. The bulk (users, enrollments,
assignment statuses, attempts, launch tokens) is built as plain dicts and
written with executemany, one transaction per chunk of learners: no ORM
objects, no per-row flush, ids made in Python. Every learner shares one
Argon2 hash, computed once: hashing is deliberately slow and would take
hours for 100,000 learners.
"""
from __future__ import annotations

import io
import random
import secrets
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from argon2 import PasswordHasher
from sqlalchemy import insert, select

from scormapi.auth.permissions import ALL_PERMISSIONS
from scormapi.auth.tokens import issue_token, token_hash
from scormapi.benchmark.cmidata import Attempt, CmiFactory
from scormapi.benchmark.manifest import Manifest, Sample, write_samples
from scormapi.config import Settings
from scormapi.packages.synthetic import synthetic_scorm12_package
from scormapi.store import courseware, directory, learning
from scormapi.store.attempts import rolled_up_status
from scormapi.store.db import Database
from scormapi.store.models import (
    AccessToken,
    AssignmentStatus,
    CoursewareSco,
    Enrollment,
    ScoAttempt,
    User,
    utcnow,
)
from scormapi.store.schema import upgrade

LEARNER_PASSWORD = "bench-password-1"
MASTERY_SCORE = "80"


@dataclass(frozen=True)
class Plan:
    learners: int
    scos: int
    # Attempts written per transaction.
    batch: int = 5000
    # Learners the load run may pick from (each gets one launch token).
    samples: int = 20_000
    random_seed: int = 1


@dataclass(frozen=True)
class Course:
    """The fixed rows every learner hangs off."""

    tag: str
    org_id: uuid.UUID
    section_id: uuid.UUID
    assignment_id: uuid.UUID
    # (primary key, manifest identifier, title) per SCO, in sco_id order.
    scos: tuple[tuple[uuid.UUID, str, str], ...]
    password_hash: str
    admin_token: str


@dataclass
class Chunk:
    """The rows of one batch of learners, ready for executemany."""

    users: list[dict]
    enrollments: list[dict]
    statuses: list[dict]
    attempts: list[dict]


def seed(
    db: Database,
    settings: Settings,
    plan: Plan,
    manifest_path: Path,
    progress: Callable[[int], None] = lambda _n: None,
) -> Manifest:
    """Fill ``db`` per ``plan``; write and return the bench manifest."""
    started = time.monotonic()
    upgrade(db)
    rng = random.Random(plan.random_seed)
    course = create_course(db, settings, plan.scos)
    sampled = set(rng.sample(range(plan.learners), min(plan.samples, plan.learners)))
    samples = _fill(db, course, plan, rng, sampled, progress)
    samples_path = manifest_path.with_suffix(".samples.jsonl")
    write_samples(samples_path, samples)
    manifest = Manifest(
        database_url=db.url,
        admin_token=course.admin_token,
        assignment_id=str(course.assignment_id),
        learner_password=LEARNER_PASSWORD,
        learners=plan.learners,
        scos=plan.scos,
        attempts=plan.learners * plan.scos,
        seed_seconds=round(time.monotonic() - started, 1),
        samples_file=str(samples_path.resolve()),
    )
    manifest.save(manifest_path)
    return manifest


def sco_specs(count: int) -> list[dict]:
    """SCO descriptions for the synthetic package; zero-padded ids sort in course order."""
    return [
        {"identifier": f"sco_{n:02d}", "title": f"Lesson {n}", "mastery_score": MASTERY_SCORE, "score": "90"}
        for n in range(1, count + 1)
    ]


def create_course(db: Database, settings: Settings, scos: int) -> Course:
    """Organizations, the administrator (every permission, a token that never
    expires), a real imported package of ``scos`` SCOs, a section and an assignment."""
    tag = secrets.token_hex(3)
    password_hash = learner_hash(settings)
    with db.write() as s:
        top = directory.create_org(s, f"Bench {tag}", directory.root(s), short_name=f"bench-{tag}")
        campus = directory.create_org(s, f"Bench {tag} campus", top)
        admin = User(
            id=uuid.uuid4(), login=f"bench-{tag}-admin", password_hash=password_hash,
            first_name="Bench", last_name="Admin", owner_org_id=top.id,
        )
        s.add(admin)
        s.flush()
        for permission in ALL_PERMISSIONS:
            directory.grant(s, admin.id, top.id, str(permission))
        token = issue_token(s, admin.id, None)
        package = synthetic_scorm12_package(f"Bench course {tag}", sco_specs(scos))
        course = courseware.import_package(s, settings, top, io.BytesIO(package))
        section = learning.create_section(s, campus, f"Bench section {tag}")
        # The models declare no relationships, so the unit of work cannot
        # order these inserts by their foreign keys: flush the parent first.
        s.flush()
        assignment = learning.create_assignment(s, section, course, f"Bench assignment {tag}")
        s.flush()
        rows = s.execute(
            select(CoursewareSco.id, CoursewareSco.sco_id, CoursewareSco.title)
            .where(CoursewareSco.courseware_id == course.id)
            .order_by(CoursewareSco.sco_id)
        ).all()
    return Course(tag, campus.id, section.id, assignment.id, tuple(tuple(r) for r in rows), password_hash, token)


def learner_hash(settings: Settings) -> str:
    """The one Argon2id hash every generated user shares, at ``settings``' cost
    (so Authenticate costs what it costs in production unless told otherwise)."""
    hasher = PasswordHasher(time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib)
    return hasher.hash(LEARNER_PASSWORD)


def _fill(
    db: Database, course: Course, plan: Plan, rng: random.Random, sampled: set[int], progress: Callable[[int], None]
) -> list[Sample]:
    factory = CmiFactory(rng, MASTERY_SCORE)
    per_chunk = max(1, plan.batch // max(1, plan.scos))
    samples: list[Sample] = []
    with db.engine.connect() as conn:
        _bulk_pragmas(db, conn)
        for first in range(0, plan.learners, per_chunk):
            indexes = range(first, min(first + per_chunk, plan.learners))
            chunk = build_chunk(course, factory, indexes)
            tokens = _sample_tokens(course, chunk, indexes, sampled, rng, samples)
            with conn.begin():
                _insert_chunk(conn, chunk, tokens)
            progress(len(chunk.attempts))
    return samples


def _bulk_pragmas(db: Database, conn) -> None:
    """SQLite: no fsync per commit and a large page cache while loading.

    Safe for a generated database: WAL keeps it consistent if this process
    dies; only a power cut could lose the last transactions, and the seed is
    simply run again. The connection is this seeder's own.
    """
    if not db.is_sqlite:
        return
    # On the driver's connection: SQLAlchemy would open a transaction first,
    # and SQLite refuses to change the safety level inside one.
    raw = conn.connection.driver_connection
    for pragma in ("synchronous=OFF", "cache_size=-262144", "temp_store=MEMORY"):
        raw.execute(f"PRAGMA {pragma}")


def _insert_chunk(conn, chunk: Chunk, tokens: list[dict]) -> None:
    # Parents before children: foreign keys are enforced.
    conn.execute(insert(User), chunk.users)
    conn.execute(insert(Enrollment), chunk.enrollments)
    conn.execute(insert(AssignmentStatus), chunk.statuses)
    conn.execute(insert(ScoAttempt), chunk.attempts)
    if tokens:
        conn.execute(insert(AccessToken), tokens)


def build_chunk(course: Course, factory: CmiFactory, indexes: range) -> Chunk:
    now = utcnow()
    chunk = Chunk([], [], [], [])
    for index in indexes:
        login = f"bench-{course.tag}-{index:07d}"
        user_id, enrollment_id, status_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        chunk.users.append(_user_row(course, user_id, login, index, now))
        chunk.enrollments.append(
            {"id": enrollment_id, "section_id": course.section_id, "user_id": user_id, "created_at": now}
        )
        attempts = [factory.attempt(login, f"Learner {index}") for _ in course.scos]
        chunk.statuses.append(_status_row(course, status_id, enrollment_id, attempts, now))
        chunk.attempts.extend(
            _attempt_row(status_id, sco, attempt, now) for sco, attempt in zip(course.scos, attempts)
        )
    return chunk


def _user_row(course: Course, user_id: uuid.UUID, login: str, index: int, now) -> dict:
    return {
        "id": user_id,
        "login": login,
        "password_hash": course.password_hash,
        "first_name": "Learner",
        "last_name": str(index),
        "owner_org_id": course.org_id,
        "is_active": True,
        "created_at": now,
    }


def _status_row(course: Course, status_id, enrollment_id, attempts: list[Attempt], now) -> dict:
    """The assignment's roll-up of its SCO attempts: status, mean score, time, dates."""
    status = rolled_up_status([a.lesson_status for a in attempts])
    scores = [a.score_raw for a in attempts if a.score_raw is not None]
    starts = [a.started_at for a in attempts if a.started_at is not None]
    exits = [a.exited_at for a in attempts if a.exited_at is not None]
    return {
        "id": status_id,
        "enrollment_id": enrollment_id,
        "assignment_id": course.assignment_id,
        "status": status,
        "score": sum(scores) / len(scores) if scores else None,
        "total_seconds": sum(a.total_seconds for a in attempts),
        "started_at": min(starts) if starts else None,
        "completed_at": max(exits) if status in ("completed", "failed") and exits else None,
        "updated_at": now,
    }


def _attempt_row(status_id, sco: tuple, attempt: Attempt, now) -> dict:
    return {
        "id": uuid.uuid4(),
        "assignment_status_id": status_id,
        "sco_pk": sco[0],
        "attempt_number": 1,
        "cmi": attempt.cmi,
        "title": sco[2],
        "lesson_status": attempt.lesson_status,
        "score_raw": attempt.score_raw,
        "total_seconds": attempt.total_seconds,
        "started_at": attempt.started_at,
        "exited_at": attempt.exited_at,
        "version": 1,
        "commit_seq": 0,
        "updated_at": now,
    }


def _sample_tokens(
    course: Course, chunk: Chunk, indexes: range, sampled: set[int], rng: random.Random, samples: list[Sample]
) -> list[dict]:
    """Launch tokens (and manifest samples) for this chunk's sampled learners:
    one random attempt each, as if the learner had that SCO open."""
    tokens = []
    scos = len(course.scos)
    for offset, index in enumerate(indexes):
        if index not in sampled:
            continue
        attempt = chunk.attempts[offset * scos + rng.randrange(scos)]
        status = chunk.statuses[offset]
        token = str(uuid.uuid4())
        tokens.append(_token_row(token, chunk.users[offset]["id"], attempt["id"]))
        sco_id = next(s[1] for s in course.scos if s[0] == attempt["sco_pk"])
        samples.append(
            Sample(
                login=chunk.users[offset]["login"],
                enrollment_id=str(status["enrollment_id"]),
                assignment_status_id=str(status["id"]),
                sco_id=sco_id,
                attempt_id=str(attempt["id"]),
                launch_token=token,
            )
        )
    return tokens


def _token_row(token: str, user_id: uuid.UUID, attempt_id: uuid.UUID) -> dict:
    return {
        "id": uuid.uuid4(),
        "token_hash": token_hash(token),
        "user_id": user_id,
        "kind": "launch",
        "attempt_id": attempt_id,
        "created_at": utcnow(),
        "expires_at": None,
        "revoked_at": None,
    }
