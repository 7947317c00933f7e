"""SCO attempts: the data layer the admin API (GetCmiData, EditScormData) and
the learner run-time share.

A learner's *current* attempt on a SCO is one ``ScoAttempt`` row per
(assignment status, SCO); its ``cmi`` column is the flat state of the
courseware's data model (element name → string), read and written through
that version's profile (``cmi.profile``), so nothing here names an element. Finished attempts are copied into
``ScoAttemptHistory`` by ``archive``. Whoever changes ``cmi`` goes through
``replace_cmi`` so the typed columns reports filter on never drift from it.

Concurrency: ``ScoAttempt.version`` is SQLAlchemy's version column, so a
write based on a stale read fails with ``StaleDataError``; ``run_with_retry``
turns that into "read again and re-apply". On PostgreSQL a writer that also
rolls up an assignment status locks that row first (``lock_status``), which
serializes writers of one learner's assignment and keeps the roll-up exact.
"""
from __future__ import annotations

import random
import re
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Protocol, TypeVar

from sqlalchemy import and_, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from scormapi.cmi.datatypes import WHITESPACE_CLASS
from scormapi.cmi.profile import DONE, FINISHED, NOT_ATTEMPTED, Launcher, Profile, for_version
from scormapi.errors import ErrorCode, ServiceError
from scormapi.store import grading
from scormapi.store.db import Database
from scormapi.store.grading import Result
from scormapi.store.models import (
    Assignment,
    AssignmentStatus,
    Courseware,
    CoursewareSco,
    ScoAttempt,
    ScoAttemptHistory,
    User,
    utcnow,
)

T = TypeVar("T")


DEFAULT_RETRIES = 5
# What CMIIdentifier forbids, which is more than Python's \s.
_WHITESPACE = re.compile(f"[{WHITESPACE_CLASS}]")


# -- launch context and initial values -------------------------------------------


def student_name(user: User) -> str:
    """SCORM's "Last, First"; whichever part exists when one is empty."""
    parts = [p for p in (user.last_name.strip(), user.first_name.strip()) if p]
    return ", ".join(parts)[:255]


def student_id(user: User) -> str:
    """The login as a CMIIdentifier. Logins made through the API never hold
    whitespace; one made otherwise must still not make a read fail."""
    return _WHITESPACE.sub("_", user.login)[:255] or str(user.id)


# The SCO columns `launcher` reads: a query that loads columns rather than
# CoursewareSco rows selects these, and its rows stand in for the SCO.
LAUNCH_COLUMNS = (
    CoursewareSco.mastery_score,
    CoursewareSco.data_from_lms,
    CoursewareSco.max_time_allowed,
    CoursewareSco.time_limit_action,
    CoursewareSco.completion_threshold,
    CoursewareSco.scaled_passing_score,
    CoursewareSco.objective_ids,
)


def launcher(
    user: User, sco: CoursewareSco, *, credit: str = "credit", lesson_mode: str = "normal", order: tuple[str, ...] = ()
) -> Launcher:
    """What the LMS hands a SCO at launch for this learner; ``order`` is
    the course's SCO ids in manifest order (`sco_ids_in_order`), for a
    launch that navigation may continue from."""
    manifest = {
        "data_from_lms": sco.data_from_lms or "",
        "mastery_score": sco.mastery_score or "",
        "max_time_allowed": sco.max_time_allowed or "",
        "time_limit_action": sco.time_limit_action or "",
        # SCORM 2004 only; "" = none. objective_ids is space-separated.
        "completion_threshold": sco.completion_threshold or "",
        "scaled_passing_score": sco.scaled_passing_score or "",
        "objective_ids": sco.objective_ids or "",
    }
    return Launcher(student_id(user), student_name(user), credit, lesson_mode, manifest, sco.sco_id, order)


def sco_ids_in_order(session: Session, courseware_id: uuid.UUID) -> tuple[str, ...]:
    """The courseware's SCO ids in manifest order."""
    rows = session.scalars(
        select(CoursewareSco.sco_id).where(CoursewareSco.courseware_id == courseware_id).order_by(CoursewareSco.ordinal)
    )
    return tuple(rows)


def profile_of(session: Session, sco: CoursewareSco) -> Profile:
    """The data-model profile of the SCO's courseware."""
    return for_version(session.get(Courseware, sco.courseware_id).scorm_version)


def initial_values(user: User, sco: CoursewareSco, profile: Profile, order: tuple[str, ...] = ()) -> dict[str, str]:
    """The state of a SCO the learner never opened (not attempted,
    ab-initio, zero total time). Not persisted: reads show it as is. With
    the course's ``order`` (`sco_ids_in_order`) it also says what
    navigation could deliver from the SCO, as its first launch will."""
    return profile.initial_state(launcher(user, sco, order=order))


# -- typed columns ---------------------------------------------------------------


class CmiRecord(Protocol):
    """ScoAttempt and ScoAttemptHistory alike."""

    cmi: dict
    lesson_status: str
    completion_status: str
    success_status: str
    score_raw: float | None
    score_scaled: float | None
    total_seconds: float


# The typed columns a profile's Summary fills, named as its fields.
SUMMARY_COLUMNS = (
    "lesson_status", "completion_status", "success_status", "score_raw", "score_scaled", "total_seconds",
)


def replace_cmi(record: CmiRecord, state: dict[str, str], profile: Profile) -> None:
    """Store a new state and the typed columns its profile derives from it.

    Always assigns a fresh dict: the JSON column does not notice in-place
    changes, so mutating ``record.cmi`` would silently not be saved.
    """
    record.cmi = dict(state)
    summary = profile.summary(record.cmi)
    for column in SUMMARY_COLUMNS:
        setattr(record, column, getattr(summary, column))


# -- current attempt -------------------------------------------------------------


def find_attempt(session: Session, status_id: uuid.UUID, sco_pk: uuid.UUID) -> ScoAttempt | None:
    return session.scalar(
        select(ScoAttempt).where(ScoAttempt.assignment_status_id == status_id, ScoAttempt.sco_pk == sco_pk)
    )


def get_or_create_attempt(
    session: Session,
    status_id: uuid.UUID,
    sco: CoursewareSco,
    user: User,
    *,
    started_at: datetime | None = None,
) -> ScoAttempt:
    """The current attempt, made from the initial values when there is none.

    Race-safe: the insert runs in a savepoint, and when a concurrent writer
    made the row first (unique (assignment_status_id, sco_pk)) that row is
    read and returned instead.
    """
    found = find_attempt(session, status_id, sco.id)
    if found is not None:
        return found
    attempt = ScoAttempt(
        id=uuid.uuid4(), assignment_status_id=status_id, sco_pk=sco.id, attempt_number=1, started_at=started_at
    )
    profile = profile_of(session, sco)
    replace_cmi(attempt, initial_values(user, sco, profile), profile)
    try:
        with session.begin_nested():
            session.add(attempt)
    except IntegrityError:
        found = find_attempt(session, status_id, sco.id)
        if found is None:
            raise
        return found
    return attempt


# -- history ---------------------------------------------------------------------


def current_history(session: Session, attempt: ScoAttempt) -> ScoAttemptHistory | None:
    """The archived copy of the attempt's current attempt number, if any."""
    return session.scalar(
        select(ScoAttemptHistory).where(
            ScoAttemptHistory.attempt_id == attempt.id,
            ScoAttemptHistory.attempt_number == attempt.attempt_number,
        )
    )


def _copy_into(history: ScoAttemptHistory, attempt: ScoAttempt) -> None:
    # The attempt's typed columns already match its state: copied, not derived again.
    history.cmi = dict(attempt.cmi)
    for column in SUMMARY_COLUMNS:
        setattr(history, column, getattr(attempt, column))
    history.title = attempt.title
    history.started_at = attempt.started_at
    history.exited_at = attempt.exited_at
    history.archived_at = utcnow()


def archive(session: Session, attempt: ScoAttempt) -> ScoAttemptHistory:
    """Copy the attempt into history under its current attempt number.

    An upsert: archiving the same attempt number again (a late commit after
    the finish) refreshes the copy instead of failing on the unique key.
    """
    history = current_history(session, attempt)
    if history is None:
        history = ScoAttemptHistory(id=uuid.uuid4(), attempt_id=attempt.id, attempt_number=attempt.attempt_number)
        _copy_into(history, attempt)
        try:
            with session.begin_nested():
                session.add(history)
            return history
        except IntegrityError:
            history = current_history(session, attempt)
            if history is None:
                raise
    _copy_into(history, attempt)
    return history


# -- reading many SCOs at once ---------------------------------------------------


def sco_order(sco_id: str) -> tuple[str, str]:
    """GetCmiData's order: alphabetical ignoring case, ties by code point.

    Sorted here rather than by the database so SQLite and PostgreSQL (whose
    collations differ) list SCOs the same way.
    """
    return sco_id.casefold(), sco_id


def sco_keys(session: Session, courseware_id: uuid.UUID) -> list[tuple[str, uuid.UUID]]:
    """(sco_id, primary key) of every SCO of a courseware, in ``sco_order``."""
    rows = session.execute(
        select(CoursewareSco.sco_id, CoursewareSco.id).where(CoursewareSco.courseware_id == courseware_id)
    ).all()
    return sorted(((r.sco_id, r.id) for r in rows), key=lambda r: sco_order(r[0]))


def scos_with_attempts(
    session: Session, status_id: uuid.UUID | None, sco_pks: Iterable[uuid.UUID]
) -> list[tuple[CoursewareSco, ScoAttempt | None]]:
    """The SCOs and their current attempts (None when never opened), in one
    query, ordered by ``sco_order``."""
    pks = list(sco_pks)
    if not pks:
        return []
    rows = session.execute(
        select(CoursewareSco, ScoAttempt)
        .outerjoin(
            ScoAttempt,
            and_(ScoAttempt.sco_pk == CoursewareSco.id, ScoAttempt.assignment_status_id == status_id),
        )
        .where(CoursewareSco.id.in_(pks))
    ).all()
    return sorted(((r[0], r[1]) for r in rows), key=lambda r: sco_order(r[0].sco_id))


# -- roll-up ---------------------------------------------------------------------


def lock_status(session: Session, status_id: uuid.UUID) -> AssignmentStatus | None:
    """The assignment status, row-locked until the transaction ends.

    PostgreSQL only needs it (SQLite write transactions are already
    exclusive): two writers on one learner's SCOs would otherwise each
    roll up without the other's change.
    """
    return session.scalar(select(AssignmentStatus).where(AssignmentStatus.id == status_id).with_for_update())


def rolled_up_status(statuses: list[str]) -> str:
    """The assignment's status from its SCOs' statuses (a SCO never opened
    counts as "not attempted"):

    - completed: every SCO passed or completed;
    - failed: every SCO finished (passed, completed, failed), one failed;
    - incomplete: any SCO started (any status but "not attempted");
    - not attempted: otherwise, also for courseware without SCOs.
    """
    if not statuses or all(s == NOT_ATTEMPTED for s in statuses):
        return NOT_ATTEMPTED
    if all(s in DONE for s in statuses):
        return "completed"
    if all(s in FINISHED for s in statuses):
        return "failed"
    return "incomplete"


_ROLLUP_INPUTS = (
    select(
        Assignment.grading_method, ScoAttempt.id, ScoAttempt.attempt_number, ScoAttempt.lesson_status,
        ScoAttempt.score_raw, ScoAttempt.total_seconds, ScoAttempt.started_at, ScoAttempt.exited_at,
    )
    .select_from(CoursewareSco)
    .join(Assignment, Assignment.courseware_id == CoursewareSco.courseware_id)
    .outerjoin(
        ScoAttempt,
        and_(ScoAttempt.sco_pk == CoursewareSco.id, ScoAttempt.assignment_status_id == bindparam("status_id")),
    )
    .where(Assignment.id == bindparam("assignment_id"))
)


def rollup(session: Session, status: AssignmentStatus) -> None:
    """Recompute the assignment status from each SCO's graded attempt (the
    one the assignment's grading method picks, ``grading.pick``).

    status: ``rolled_up_status`` of the graded attempts' statuses; score:
    mean of their raw scores present (None when none is); total_seconds:
    sum of their times; started_at: earliest start of any attempt;
    completed_at: when completed or failed, the latest graded exit (or the
    previous value, or now, when none has an exit date), else None.
    """
    session.flush()
    # Typed columns only: loading whole attempts would drag every SCO's CMI
    # document (suspend data, interactions) through the ORM on each commit.
    # One row per SCO of the courseware; a SCO never opened has no attempt.
    per_sco = session.connection().execute(
        _ROLLUP_INPUTS, {"assignment_id": status.assignment_id, "status_id": status.id}
    ).all()
    rows = [r for r in per_sco if r.id is not None]
    # Only a SCO taken more than once has archived attempts worth reading.
    archived = grading.archived_results(session, [r.id for r in rows if r.attempt_number > 1])
    every = [grading.combined(Result.of(r), archived.get(r.id, [])) for r in rows]
    graded = [grading.pick(row.grading_method, taken) for row, taken in zip(rows, every)]
    never_opened = len(per_sco) - len(rows)
    status.status = rolled_up_status([g.lesson_status for g in graded] + [NOT_ATTEMPTED] * never_opened)
    scores = [g.score_raw for g in graded if g.score_raw is not None]
    status.score = sum(scores) / len(scores) if scores else None
    status.total_seconds = sum(g.total_seconds for g in graded)
    starts = [a.started_at for taken in every for a in taken if a.started_at is not None]
    status.started_at = min(starts) if starts else None
    status.completed_at = _completed_at(status, [g.exited_at for g in graded if g.exited_at is not None])
    status.updated_at = utcnow()


def _completed_at(status: AssignmentStatus, exits: list[datetime]) -> datetime | None:
    if status.status not in ("completed", "failed"):
        return None
    return max(exits) if exits else (status.completed_at or utcnow())


# -- optimistic concurrency ------------------------------------------------------


def run_with_retry(db: Database, work: Callable[[Session], T], *, attempts: int = DEFAULT_RETRIES) -> T:
    """Run ``work`` in a write transaction; when it lost a race on a versioned
    row (StaleDataError), roll back and run it again on fresh reads.

    ``work`` must read everything it changes inside the session it is given,
    so a re-run re-applies the change to the newer data. After ``attempts``
    losses: ServiceError CONCURRENCY_CONFLICT (409), nothing written.
    """
    for attempt in range(attempts):
        try:
            with db.write() as session:
                return work(session)
        except StaleDataError:
            # A little jitter keeps two losers from colliding again in step.
            time.sleep(random.uniform(0, 0.005 * (attempt + 1)))
    raise ServiceError(
        ErrorCode.CONCURRENCY_CONFLICT,
        "The record was changed by someone else at the same time; try again",
    )
