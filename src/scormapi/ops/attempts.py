"""An administrator's view of a learner's attempts on one SCO: every
attempt, current and archived (GetAttemptHistory), and a reset that files
the current attempt away and starts a fresh one (ResetScormAttempt).

Decisions:

- The history lists each attempt number once, newest first. A finished
  attempt is filed in history under its number while it is still the
  current one; the current row is the one shown (``grading.combined``).
- ``counted`` marks the attempt the assignment's grading method picks
  (``grading.pick``), the one the roll-up reads.
- Values are read as the LMS reads them, as GetCmiData does; an element the
  data model does not define reads "" with the SCORM error beside it.
- Only the typed columns of every attempt are read to order, count and
  grade them; CMI documents are read one at a time, for the page's
  attempts only, and only when values are asked for.
- A reset is always allowed to an administrator: ``max_attempts`` limits
  the learner's own new attempts, not a repair. The fresh attempt is not
  started until the learner opens it (as after the learner's own "start a
  new attempt"), and every launch token of the old one is revoked.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from scormapi.auth.permissions import GrantCache, Permission
from scormapi.cmi.profile import Profile, defines, for_version
from scormapi.errors import ErrorCode, ServiceError, not_found
from scormapi.ops import access
from scormapi.store import attempts, audit, grading, runtime
from scormapi.store.models import (
    Assignment,
    AssignmentStatus,
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

RESET_ACTION = "sco_attempt.reset"
SUBJECT_TYPE = "sco_attempt"


# -- finding the SCO of an assignment status -------------------------------------


@dataclass(frozen=True)
class StatusPlace:
    """An assignment status with its assignment, learner, organization and
    the data-model profile of its courseware."""

    status: AssignmentStatus
    assignment: Assignment
    learner: User
    org_id: uuid.UUID
    org_path: str
    profile: Profile


def status_place(session: Session, status_id: uuid.UUID, *, lock: bool = False) -> StatusPlace:
    """ITEM_NOT_FOUND when unknown; ``lock`` row-locks the status first, the
    order every writer of attempts keeps (status, then attempt)."""
    stmt = (
        select(AssignmentStatus, Assignment, User, Section.org_id, Organization.path, Courseware.scorm_version)
        .join(Assignment, Assignment.id == AssignmentStatus.assignment_id)
        .join(Courseware, Courseware.id == Assignment.courseware_id)
        .join(Enrollment, Enrollment.id == AssignmentStatus.enrollment_id)
        .join(Section, Section.id == Enrollment.section_id)
        .join(Organization, Organization.id == Section.org_id)
        .join(User, User.id == Enrollment.user_id)
        .where(AssignmentStatus.id == status_id)
    )
    if lock:
        stmt = stmt.with_for_update(of=AssignmentStatus)
    row = session.execute(stmt).first()
    if row is None:
        raise not_found("Assignment status", status_id)
    return StatusPlace(row[0], row[1], row[2], row[3], row[4], for_version(row[5]))


def place_sco(session: Session, place: StatusPlace, sco_id: str) -> CoursewareSco:
    sco = session.scalar(select(CoursewareSco).where(
        CoursewareSco.courseware_id == place.assignment.courseware_id, CoursewareSco.sco_id == sco_id))
    if sco is None:
        raise not_found("SCO", f"{sco_id!r} of the assignment's courseware")
    return sco


def subject_id(status_id: uuid.UUID, sco_id: str) -> str:
    """How audit events name one SCO of an assignment status (as EditScormData's do)."""
    return f"{status_id}/{sco_id}"


# -- GetAttemptHistory -----------------------------------------------------------


@dataclass(frozen=True)
class CmiValue:
    name: str
    value: str
    error_message: str | None
    # What the reader is warned of: the error, or where a name of another
    # SCORM version's model was answered from.
    warning: str | None = None


@dataclass(frozen=True)
class AttemptRecord:
    """One attempt as the history shows it."""

    attempt_number: int
    current: bool
    started_at: datetime | None
    exited_at: datetime | None
    lesson_status: str
    score_raw: float | None
    total_seconds: float
    counted: bool
    cmi_values: list[CmiValue]
    completion_status: str = "unknown"
    success_status: str = "unknown"
    score_scaled: float | None = None


@dataclass(frozen=True)
class AttemptHistory:
    attempts: list[AttemptRecord]
    total: int


_TYPED = ("attempt_number", "lesson_status", "score_raw", "total_seconds", "started_at", "exited_at",
          "completion_status", "success_status", "score_scaled")


def _typed(table: type[ScoAttempt | ScoAttemptHistory]) -> list:
    return [table.id, *(getattr(table, name) for name in _TYPED)]


def attempt_history(
    session: Session, grants: GrantCache, user_id: uuid.UUID, status_id: uuid.UUID, sco_id: str,
    names: list[str], offset: int, limit: int,
) -> AttemptHistory:
    """Every attempt of the SCO, newest first, ``limit`` from ``offset``
    (View Section Enrollments); none for a SCO never opened."""
    place = status_place(session, status_id)
    access.require(session, grants, user_id, Permission.VIEW_SECTION_ENROLLMENTS, place.org_id, "view CMI data",
                   place.org_path)
    sco = place_sco(session, place, sco_id)
    current = session.execute(select(*_typed(ScoAttempt)).where(
        ScoAttempt.assignment_status_id == status_id, ScoAttempt.sco_pk == sco.id)).first()
    if current is None:
        return AttemptHistory([], 0)
    archived = session.execute(select(*_typed(ScoAttemptHistory)).where(
        ScoAttemptHistory.attempt_id == current.id)).all()
    listed = _newest_first(current, archived)
    counted = grading.pick(place.assignment.grading_method, [result for result, _, _ in listed])
    window = listed[offset:offset + limit]
    states = _states(session, window) if names else {}
    records = [_record(place.profile, result, table, states.get(row_id, {}), counted, names)
               for result, table, row_id in window]
    return AttemptHistory(records, len(listed))


def _states(session: Session, window: list[tuple[grading.Result, type, uuid.UUID]]) -> dict[uuid.UUID, dict]:
    """The CMI documents of the page's attempts, one query per table."""
    found: dict[uuid.UUID, dict] = {}
    for table in (ScoAttempt, ScoAttemptHistory):
        ids = [row_id for _, kind, row_id in window if kind is table]
        if ids:
            for row in session.execute(select(table.id, table.cmi).where(table.id.in_(ids))):
                found[row.id] = row.cmi
    return found


def _newest_first(current, archived) -> list[tuple[grading.Result, type, uuid.UUID]]:
    """(result, table, row id) of each attempt number once, the current row
    winning over its own archived copy."""
    current_result = grading.Result.of(current)
    archived_ids = {row.attempt_number: row.id for row in archived}
    kept = grading.combined(current_result, [grading.Result.of(row) for row in archived])
    listed = [
        (r, ScoAttempt, current.id) if r is current_result else (r, ScoAttemptHistory, archived_ids[r.attempt_number])
        for r in kept
    ]
    return sorted(listed, key=lambda item: item[0].attempt_number, reverse=True)


def _record(profile: Profile, result: grading.Result, table: type, state: dict, counted: grading.Result | None,
            names: list[str]) -> AttemptRecord:
    values = read_values(profile, state or {}, names)
    return AttemptRecord(
        result.attempt_number, table is ScoAttempt, result.started_at, result.exited_at, result.lesson_status,
        result.score_raw, result.total_seconds, counted is not None and counted.attempt_number == result.attempt_number,
        values, result.completion_status, result.success_status, result.score_scaled,
    )


def read_values(profile: Profile, state: dict[str, str], names: list[str]) -> list[CmiValue]:
    """The named values read as the LMS (write-only elements included) by
    the courseware's data model, as GetCmiData reads them; an undefined name
    reads "" with its SCORM error, unless it is one of another version's
    elements with a documented counterpart (``Profile.translate``)."""
    found = []
    for name in names:
        value, code = profile.get_value(state, name, as_lms=True)
        # Only a name the model does not define is another version's: its own
        # names answer by its own rules (an item past _count is its error).
        mapped = profile.translate(state, name) if code and not defines(profile, name) else None
        if mapped is not None:
            note = f"{name}: not a SCORM {profile.version} element, answered from {mapped[1]}"
            found.append(CmiValue(name, mapped[0], None, note))
        else:
            error = profile.describe(code) if code else None
            found.append(CmiValue(name, value, error, f"{name}: {error}" if error else None))
    return found


# -- ResetScormAttempt -----------------------------------------------------------


@dataclass(frozen=True)
class Reset:
    assignment_status_id: uuid.UUID
    sco_id: str
    attempt_number: int  # the fresh attempt's


def reset_attempt(
    session: Session, grants: GrantCache, user_id: uuid.UUID, status_id: uuid.UUID, sco_id: str,
    reason: str | None,
) -> Reset:
    """Archive the SCO's current attempt and start a fresh one, rolled up and
    audited (Update Section Enrollments). ITEM_NOT_FOUND for a SCO never
    opened: there is nothing to reset. Run it in ``attempts.run_with_retry``:
    a run-time commit racing it makes it start over."""
    place = status_place(session, status_id, lock=True)
    access.require(session, grants, user_id, Permission.UPDATE_SECTION_ENROLLMENTS, place.org_id,
                   "reset SCORM attempts", place.org_path)
    sco = place_sco(session, place, sco_id)
    # The status row is locked: every writer of its attempts waits for it.
    attempt = attempts.find_attempt(session, status_id, sco.id)
    if attempt is None:
        raise ServiceError(ErrorCode.ITEM_NOT_FOUND, f"Nothing to reset: SCO {sco_id!r} was never opened")
    old = grading.Result.of(attempt)
    now = utcnow()
    # Not started until the learner opens it: that launch is its first.
    runtime.restart(session, attempt, place.learner, sco, now, started=False)
    attempt.updated_at = now
    attempts.rollup(session, place.status)
    details = {"sco_id": sco.sco_id, "attempt_number": old.attempt_number, "new_attempt_number": attempt.attempt_number,
               "lesson_status": old.lesson_status, "score_raw": old.score_raw}
    audit.record(session, user_id, RESET_ACTION, SUBJECT_TYPE, subject_id(status_id, sco.sco_id), details, reason,
                 org_id=place.org_id, subject_user_id=place.learner.id)
    return Reset(status_id, sco.sco_id, attempt.attempt_number)
