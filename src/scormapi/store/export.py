"""Reading every learner × SCO record of an assignment or a section as a
stream: what ExportCmiData writes out, one row at a time.

The rows come from one query read in batches (a server-side cursor on
PostgreSQL, SQLite's own stepping cursor), so memory stays the same whether
an assignment has ten learners or a hundred thousand. Each row is handed
out as soon as it is read; nothing is collected.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from scormapi.cmi.profile import for_version
from scormapi.store import attempts
from scormapi.store.models import (
    Assignment,
    AssignmentStatus,
    Courseware,
    CoursewareSco,
    Enrollment,
    ScoAttempt,
    User,
)

# Rows fetched per round trip: large enough to amortise it, small enough
# that a batch of CMI documents (suspend data, interactions) stays small.
BATCH_ROWS = 500


@dataclass(frozen=True)
class Scope:
    """One assignment, or every assignment of one section."""

    assignment_id: uuid.UUID | None = None
    section_id: uuid.UUID | None = None


@dataclass(frozen=True)
class RecordRow:
    assignment_id: uuid.UUID
    assignment_status_id: uuid.UUID
    enrollment_id: uuid.UUID
    user_id: uuid.UUID
    login: str
    sco_id: str
    attempt_number: int | None  # None: never opened
    lesson_status: str
    score_raw: float | None
    total_seconds: float
    started_at: datetime | None
    exited_at: datetime | None
    updated_at: datetime | None
    cmi: dict[str, str]  # the attempt's state, or the initial values of a SCO never opened
    scorm_version: str  # of the courseware: which data model reads ``cmi``


_ROWS = (
    select(
        Assignment.id.label("assignment_id"), AssignmentStatus.id.label("status_id"), Enrollment.id.label("enrollment_id"),
        User.id, User.login, User.first_name, User.last_name,
        CoursewareSco.sco_id, *attempts.LAUNCH_COLUMNS, Courseware.id.label("courseware_id"), Courseware.scorm_version,
        ScoAttempt.id.label("attempt_id"), ScoAttempt.attempt_number, ScoAttempt.lesson_status, ScoAttempt.score_raw,
        ScoAttempt.total_seconds, ScoAttempt.started_at, ScoAttempt.exited_at, ScoAttempt.updated_at, ScoAttempt.cmi,
    )
    .select_from(AssignmentStatus)
    .join(Enrollment, Enrollment.id == AssignmentStatus.enrollment_id)
    .join(User, User.id == Enrollment.user_id)
    .join(Assignment, Assignment.id == AssignmentStatus.assignment_id)
    .join(CoursewareSco, CoursewareSco.courseware_id == Assignment.courseware_id)
    .join(Courseware, Courseware.id == Assignment.courseware_id)
    .outerjoin(ScoAttempt, and_(ScoAttempt.sco_pk == CoursewareSco.id, ScoAttempt.assignment_status_id == AssignmentStatus.id))
    .order_by(Assignment.id, User.login, User.id, CoursewareSco.ordinal)
)


def record_rows(session: Session, scope: Scope, modified_since: datetime | None = None) -> Iterator[RecordRow]:
    """Every learner × SCO of the scope, by assignment, login and manifest
    order; with ``modified_since``, only attempts changed since then (a SCO
    never opened has not changed)."""
    query = _ROWS
    if scope.assignment_id is not None:
        query = query.where(Assignment.id == scope.assignment_id)
    else:
        query = query.where(Assignment.section_id == scope.section_id)
    if modified_since is not None:
        query = query.where(ScoAttempt.updated_at >= modified_since)
    orders = _orders(session, scope)
    result = session.execute(query.execution_options(yield_per=BATCH_ROWS))
    for row in result:
        yield _record(row, orders)


def _orders(session: Session, scope: Scope) -> dict[uuid.UUID, tuple[str, ...]]:
    """Each courseware of the scope's SCO ids in manifest order (a SCO never
    opened reads what navigation could deliver from it), read once before
    the rows: a few ids per courseware, whatever the number of learners."""
    assigned = select(Assignment.courseware_id)
    assigned = assigned.where(Assignment.id == scope.assignment_id) if scope.assignment_id is not None \
        else assigned.where(Assignment.section_id == scope.section_id)
    return {courseware_id: attempts.sco_ids_in_order(session, courseware_id)
            for courseware_id in set(session.scalars(assigned))}


def _record(row, orders: dict[uuid.UUID, tuple[str, ...]]) -> RecordRow:
    # The row stands in for the user and the SCO (initial values read their columns).
    if row.attempt_id is None:
        state = attempts.initial_values(row, row, for_version(row.scorm_version), orders.get(row.courseware_id, ()))
        return RecordRow(row.assignment_id, row.status_id, row.enrollment_id, row.id, row.login, row.sco_id,
                         None, attempts.NOT_ATTEMPTED, None, 0.0, None, None, None, state, row.scorm_version)
    return RecordRow(row.assignment_id, row.status_id, row.enrollment_id, row.id, row.login, row.sco_id,
                     row.attempt_number, row.lesson_status, row.score_raw, row.total_seconds, row.started_at,
                     row.exited_at, row.updated_at, row.cmi or {}, row.scorm_version)
