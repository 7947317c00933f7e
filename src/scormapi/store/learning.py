"""Sections, enrollments, assignments and assignment statuses: the data side of LearningApi.

Every (enrollment, assignment) pair of a section has exactly one
AssignmentStatus, made as soon as both exist: GetCmiData and the player can
then rely on it being there instead of creating it on a read.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import ColumnElement, delete, insert, select
from sqlalchemy.orm import Session

from scormapi.store import grading
from scormapi.store.models import (
    AccessToken,
    Assignment,
    AssignmentStatus,
    AuditEvent,
    Courseware,
    CoursewareSco,
    Enrollment,
    Organization,
    ScoAttempt,
    ScoAttemptHistory,
    Section,
    User,
    utcnow,
)

# A bound on max_attempts that no real course reaches; 0 means no limit.
MAX_ATTEMPTS_LIMIT = 1000


class AlreadyEnrolled(Exception):
    pass


def create_section(session: Session, org: Organization, name: str) -> Section:
    section = Section(id=uuid.uuid4(), org_id=org.id, name=name)
    session.add(section)
    # The models declare no relationships, so the unit of work cannot order
    # parent before child inserts: each parent is flushed as it is made.
    session.flush()
    return section


def find_enrollment(session: Session, section_id: uuid.UUID, user_id: uuid.UUID) -> Enrollment | None:
    return session.scalar(
        select(Enrollment).where(Enrollment.section_id == section_id, Enrollment.user_id == user_id)
    )


def create_enrollment(session: Session, section: Section, user: User) -> Enrollment:
    """Enroll ``user``; AlreadyEnrolled when they are. Statuses for every assignment come with it."""
    if find_enrollment(session, section.id, user.id) is not None:
        raise AlreadyEnrolled(f"{user.id} in {section.id}")
    enrollment = Enrollment(id=uuid.uuid4(), section_id=section.id, user_id=user.id)
    session.add(enrollment)
    session.flush()
    assignment_ids = session.scalars(select(Assignment.id).where(Assignment.section_id == section.id)).all()
    for assignment_id in assignment_ids:
        session.add(AssignmentStatus(id=uuid.uuid4(), enrollment_id=enrollment.id, assignment_id=assignment_id))
    return enrollment


def create_assignment(
    session: Session, section: Section, courseware: Courseware, title: str, *, max_attempts: int = 0,
    grading_method: str = "highest",
) -> Assignment:
    """Assign ``courseware`` to the section; statuses for every enrollment come with it."""
    if grading_method not in grading.METHODS:
        raise ValueError(f"grading_method must be one of {grading.METHODS}")
    if not 0 <= max_attempts <= MAX_ATTEMPTS_LIMIT:
        raise ValueError(f"max_attempts must be 0 (no limit) to {MAX_ATTEMPTS_LIMIT}")
    assignment = Assignment(
        id=uuid.uuid4(), section_id=section.id, courseware_id=courseware.id, title=title,
        max_attempts=max_attempts, grading_method=grading_method,
    )
    session.add(assignment)
    session.flush()
    enrollment_ids = session.scalars(select(Enrollment.id).where(Enrollment.section_id == section.id)).all()
    for enrollment_id in enrollment_ids:
        session.add(AssignmentStatus(id=uuid.uuid4(), enrollment_id=enrollment_id, assignment_id=assignment.id))
    return assignment


def get_assignment_status(
    session: Session, enrollment_id: uuid.UUID, assignment_id: uuid.UUID
) -> AssignmentStatus | None:
    return session.scalar(
        select(AssignmentStatus).where(
            AssignmentStatus.enrollment_id == enrollment_id, AssignmentStatus.assignment_id == assignment_id
        )
    )


def enrollment_org_path(session: Session, enrollment_id: uuid.UUID) -> str | None:
    """The organization path of an enrollment's section: what permission checks need."""
    return session.scalar(
        select(Organization.path)
        .join(Section, Section.org_id == Organization.id)
        .join(Enrollment, Enrollment.section_id == Section.id)
        .where(Enrollment.id == enrollment_id)
    )


# -- deleting, with the learners' records kept in the audit trail ----------------

# Statuses removed per round, and attempts read at once: what one round
# holds in memory is bounded, however many learners and attempts a delete
# reaches (one attempt's data is bounded by settings.attempt_max_chars).
DELETE_BATCH = 200
ATTEMPTS_AT_ONCE = 5


def delete_statuses(
    session: Session, where: ColumnElement[bool], actor: uuid.UUID | None, reason: str | None
) -> int:
    """Delete the assignment statuses ``where`` selects, with their attempts,
    archived attempts, launch tokens and asset keys; how many there were.

    Nothing of a learner's record is lost: every attempt, current and
    archived, becomes an audit event ("sco_attempt.delete") holding its CMI
    data, and every status one ("assignment_status.delete") holding its
    roll-up. Statuses are locked first, in the order a run-time commit locks
    them (status, then attempt), so a commit racing the delete waits for it
    and then finds its launch over. All in the caller's one transaction:
    the delete happens whole or not at all.
    """
    deleted = 0
    for batch in _status_batches(session, where):
        ids = [row.id for row in batch]
        attempt_ids = list(session.scalars(select(ScoAttempt.id).where(ScoAttempt.assignment_status_id.in_(ids))))
        _keep_attempts(session, attempt_ids, actor, reason)
        for chunk in _chunks(attempt_ids, DELETE_BATCH):
            session.execute(delete(AccessToken).where(AccessToken.attempt_id.in_(chunk)))
            session.execute(delete(ScoAttemptHistory).where(ScoAttemptHistory.attempt_id.in_(chunk)))
        session.execute(delete(ScoAttempt).where(ScoAttempt.assignment_status_id.in_(ids)))
        # Keys to the course's untracked pages go with the status they open.
        session.execute(delete(AccessToken).where(AccessToken.assignment_status_id.in_(ids)))
        session.execute(delete(AssignmentStatus).where(AssignmentStatus.id.in_(ids)))
        _audit(session, actor, reason, "assignment_status.delete", "assignment_status",
               [(str(row.id), _status_record(row)) for row in batch])
        deleted += len(batch)
    return deleted


_STATUS_COLUMNS = (
    AssignmentStatus.id, AssignmentStatus.enrollment_id, AssignmentStatus.assignment_id, AssignmentStatus.status,
    AssignmentStatus.score, AssignmentStatus.total_seconds, AssignmentStatus.started_at, AssignmentStatus.completed_at,
)


def _attempt_columns(table: type[ScoAttempt] | type[ScoAttemptHistory]) -> tuple:
    return (
        table.attempt_number, table.title, table.lesson_status, table.score_raw, table.total_seconds,
        table.started_at, table.exited_at, table.cmi,
    )


def _status_batches(session: Session, where: ColumnElement[bool]) -> Iterator[list]:
    """The selected statuses, DELETE_BATCH at a time, each batch locked.
    Each round deletes what it read, so the next starts past it by id."""
    after = None
    while True:
        # Plain rows, not ORM objects: nothing piles up in the session.
        query = select(*_STATUS_COLUMNS).where(where).order_by(AssignmentStatus.id).limit(DELETE_BATCH)
        if after is not None:
            query = query.where(AssignmentStatus.id > after)
        batch = session.execute(query.with_for_update()).all()
        if not batch:
            return
        yield batch
        after = batch[-1].id


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _keep_attempts(session: Session, attempt_ids: list[uuid.UUID], actor: uuid.UUID | None, reason: str | None) -> None:
    """One audit event per attempt and archived attempt, read and written
    ATTEMPTS_AT_ONCE at a time: each may hold megabytes of CMI data."""
    current = (
        select(ScoAttempt.assignment_status_id, CoursewareSco.sco_id, *_attempt_columns(ScoAttempt))
        .join(CoursewareSco, CoursewareSco.id == ScoAttempt.sco_pk)
    )
    archived = (
        select(ScoAttempt.assignment_status_id, CoursewareSco.sco_id, *_attempt_columns(ScoAttemptHistory))
        .join(ScoAttempt, ScoAttempt.id == ScoAttemptHistory.attempt_id)
        .join(CoursewareSco, CoursewareSco.id == ScoAttempt.sco_pk)
    )
    history_ids = []
    for chunk in _chunks(attempt_ids, DELETE_BATCH):
        history_ids += session.scalars(select(ScoAttemptHistory.id).where(ScoAttemptHistory.attempt_id.in_(chunk)))
    for query, column, ids, was_archived in ((current, ScoAttempt.id, attempt_ids, False),
                                             (archived, ScoAttemptHistory.id, history_ids, True)):
        for chunk in _chunks(ids, ATTEMPTS_AT_ONCE):
            rows = session.execute(query.where(column.in_(chunk))).all()
            _audit(session, actor, reason, "sco_attempt.delete", "sco_attempt",
                   [(f"{row.assignment_status_id}/{row.sco_id}", _attempt_record(row, was_archived)) for row in rows])


def _audit(session: Session, actor: uuid.UUID | None, reason: str | None, action: str, subject_type: str,
           subjects: list[tuple[str, dict]]) -> None:
    """One event per deleted record, each filed under its section's
    organization and about its learner (what GetAuditLog filters on)."""
    if not subjects:
        return
    now = utcnow()
    owners = _owners(session, [details for _, details in subjects])
    session.execute(insert(AuditEvent), [
        {"id": uuid.uuid4(), "occurred_at": now, "actor_user_id": actor, "action": action,
         "subject_type": subject_type, "subject_id": subject_id, "details": details, "reason": reason,
         "org_id": org_id, "subject_user_id": user_id}
        for (subject_id, details), (org_id, user_id) in zip(subjects, owners, strict=True)
    ])


def _owners(session: Session, records: list[dict]) -> list[tuple[uuid.UUID | None, uuid.UUID | None]]:
    """(section's organization, learner) of each record of ``_status_record``
    (it names its enrollment: the status row is gone by then) or
    ``_attempt_record`` (it names its assignment status, still there), in
    two queries whatever the number of records."""
    by_enrollment = _owner_map(session, Enrollment.id, [r["enrollment_id"] for r in records if "enrollment_id" in r])
    by_status = _owner_map(
        session, AssignmentStatus.id, [r["assignment_status_id"] for r in records if "assignment_status_id" in r]
    )
    return [
        by_enrollment.get(r["enrollment_id"], (None, None)) if "enrollment_id" in r
        else by_status.get(r.get("assignment_status_id"), (None, None))
        for r in records
    ]


def _owner_map(session: Session, key, ids: list[str]) -> dict[str, tuple[uuid.UUID, uuid.UUID]]:
    """str(key) → (section's organization, learner) for enrollments or statuses."""
    if not ids:
        return {}
    query = select(key, Section.org_id, Enrollment.user_id)
    if key is AssignmentStatus.id:
        query = query.select_from(AssignmentStatus).join(Enrollment, Enrollment.id == AssignmentStatus.enrollment_id)
    else:
        query = query.select_from(Enrollment)
    query = query.join(Section, Section.id == Enrollment.section_id)
    rows = session.execute(query.where(key.in_([uuid.UUID(i) for i in set(ids)]))).all()
    return {str(row[0]): (row[1], row[2]) for row in rows}


def _status_record(row) -> dict:
    return {
        "enrollment_id": str(row.enrollment_id),
        "assignment_id": str(row.assignment_id),
        "status": row.status,
        "score": row.score,
        "total_seconds": row.total_seconds,
        "started_at": _iso(row.started_at),
        "completed_at": _iso(row.completed_at),
    }


def _attempt_record(row, archived: bool) -> dict:
    return {
        "assignment_status_id": str(row.assignment_status_id),
        "sco_id": row.sco_id,
        "archived": archived,
        "attempt_number": row.attempt_number,
        "title": row.title,
        "lesson_status": row.lesson_status,
        "score_raw": row.score_raw,
        "total_seconds": row.total_seconds,
        "started_at": _iso(row.started_at),
        "exited_at": _iso(row.exited_at),
        "cmi": row.cmi,
    }


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when is not None else None


def delete_enrollment(session: Session, enrollment: Enrollment, actor: uuid.UUID | None, reason: str | None) -> int:
    """The enrollment and its learner's records (kept in the audit trail);
    how many assignment statuses went with it."""
    count = delete_statuses(session, AssignmentStatus.enrollment_id == enrollment.id, actor, reason)
    session.execute(delete(Enrollment).where(Enrollment.id == enrollment.id))
    return count


def delete_assignment(session: Session, assignment: Assignment, actor: uuid.UUID | None, reason: str | None) -> int:
    """The assignment and every learner's records of it (kept in the audit
    trail); how many assignment statuses went with it."""
    count = delete_statuses(session, AssignmentStatus.assignment_id == assignment.id, actor, reason)
    session.execute(delete(Assignment).where(Assignment.id == assignment.id))
    return count
