"""The learner run-time on the server: launching a SCO and committing what
its content writes.

A launch is one session of a SCO: it settles which attempt the learner is
on, prepares the state content sees (its profile's ``begin_session``) and
issues a launch token bound to that attempt. Commits then re-validate every
value with the data model's ``set_value`` as content (never as the LMS), apply the
finish rules and roll the assignment status up, all in one transaction.

Decisions:

- Commits are ordered by a sequence number per attempt that never goes back
  (launches continue from the stored one): a commit whose number is not
  above the stored one is refused and changes nothing.
- A finished attempt (passed, completed, failed) is never thrown away by
  opening the lesson: a plain launch reviews it. A new attempt starts only
  when asked for (``new_attempt``) and while the assignment's
  ``max_attempts`` allows; the finished one stays in history, and the
  grading method (``grading.py``) decides which attempt counts.
- "review" launches write nothing and get no launch token: nothing a review
  session does can be saved.
- A launch token is revoked when its attempt is restarted, so a stale
  window can never write into the new attempt.
- The learner leaving without LMSFinish ends the session as SCORM 1.2 says
  the LMS should: the last session_time is added to total_time; the status
  stays what the content set, because the content never said it finished.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.orm import Session

from scormapi.auth.tokens import issue_token
from scormapi.cmi.profile import Profile, for_version
from scormapi.config import Settings
from scormapi.errors import ErrorCode, ServiceError, invalid
from scormapi.store import attempts, grading
from scormapi.store.db import Database
from scormapi.store.models import (
    AccessToken,
    Assignment,
    AssignmentStatus,
    Courseware,
    CoursewareSco,
    Enrollment,
    ScoAttempt,
    User,
    utcnow,
)

# Long enough for a long sitting; the learner's page session is shorter.
LAUNCH_TOKEN_SECONDS = 24 * 3600
MODES = ("normal", "browse", "review")
# How far one commit may move the sequence past the stored one. The player
# counts up by one from the number its launch gave it; one jump to the
# largest number would leave the attempt unable to take another commit.
MAX_SEQ_STEP = 1_000_000


@dataclass(frozen=True)
class Launch:
    """What the player page (or a Launch call) hands the browser."""

    attempt_id: uuid.UUID
    attempt_number: int
    courseware_id: uuid.UUID
    sco: CoursewareSco
    lesson_mode: str
    state: dict[str, str]
    commit_seq: int
    token: str | None  # None in review (nothing is saved) or when not asked for
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class FinishedAttempt:
    """A SCO's current attempt once it is finished: what the learner is
    asked about before the lesson opens (review it, or start another)."""

    attempt_number: int
    lesson_status: str
    score_raw: float | None
    total_seconds: float
    max_attempts: int
    attempts_left: int | None  # None: no limit
    grading_method: str


@dataclass(frozen=True)
class CommitResult:
    applied: bool
    commit_seq: int
    lesson_status: str
    warnings: list[str] = field(default_factory=list)


def stale_commit(seq: int, stored: int) -> ServiceError:
    return ServiceError(
        ErrorCode.STALE_COMMIT,
        f"Commit {seq} not applied: the attempt already holds commit {stored}",
    )


# -- finding what a learner may launch -------------------------------------------


def learner_status(session: Session, user_id: uuid.UUID, status_id: uuid.UUID) -> tuple[AssignmentStatus, Assignment] | None:
    """The assignment status if it is the learner's own, with its assignment.
    The courseware comes in the same query, so its profile (``profile_of``)
    is read from the session, not the database."""
    row = session.execute(
        select(AssignmentStatus, Assignment, Courseware)
        .join(Enrollment, Enrollment.id == AssignmentStatus.enrollment_id)
        .join(Assignment, Assignment.id == AssignmentStatus.assignment_id)
        .join(Courseware, Courseware.id == Assignment.courseware_id)
        .where(AssignmentStatus.id == status_id, Enrollment.user_id == user_id)
    ).first()
    return (row[0], row[1]) if row else None


def find_sco(session: Session, courseware_id: uuid.UUID, sco_id: str) -> CoursewareSco | None:
    return session.scalar(
        select(CoursewareSco).where(CoursewareSco.courseware_id == courseware_id, CoursewareSco.sco_id == sco_id)
    )


def _locate(session: Session, user_id: uuid.UUID, status_id: uuid.UUID, sco_id: str):
    found = learner_status(session, user_id, status_id)
    sco = find_sco(session, found[1].courseware_id, sco_id) if found else None
    if sco is None:
        raise ServiceError(ErrorCode.ITEM_NOT_FOUND, f"No SCO {sco_id!r} in your assignment {status_id}")
    return found[0], found[1], sco


# -- launch ----------------------------------------------------------------------


def launch(
    db: Database, user_id: uuid.UUID, status_id: uuid.UUID, sco_id: str, *, mode: str = "normal",
    new_attempt: bool = False, with_token: bool = True,
) -> Launch:
    """Open a session of the SCO for its learner (ITEM_NOT_FOUND when the
    assignment status is not theirs or the SCO not in it).

    ``mode`` "review" writes nothing; "browse" previews a SCO not yet
    attempted. A finished attempt opens in review unless ``new_attempt``
    asks for the next one (NO_ATTEMPTS_LEFT when none remains).
    ``with_token`` False: no launch token is issued (the player's shell
    hands the launch on through a launch code, and the content origin
    issues its own)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    if mode == "review":
        with db.read() as session:
            return _review(session, user_id, status_id, sco_id)
    return attempts.run_with_retry(
        db, lambda session: _launch(session, user_id, status_id, sco_id, mode, new_attempt, with_token)
    )


def finished_attempt(db: Database, user_id: uuid.UUID, status_id: uuid.UUID, sco_id: str) -> FinishedAttempt | None:
    """The SCO's current attempt if it is finished, else None; read only."""
    with db.read() as session:
        status, assignment, sco = _locate(session, user_id, status_id, sco_id)
        attempt = attempts.find_attempt(session, status.id, sco.id)
        if attempt is None or not attempts.profile_of(session, sco).is_complete(attempt.cmi):
            return None
        return FinishedAttempt(
            attempt.attempt_number, attempt.lesson_status, attempt.score_raw, attempt.total_seconds,
            assignment.max_attempts, grading.attempts_left(assignment.max_attempts, attempt.attempt_number),
            assignment.grading_method,
        )


def start_new_attempt(db: Database, user_id: uuid.UUID, status_id: uuid.UUID, sco_id: str) -> bool:
    """Begin the next attempt of a finished SCO without opening it (the
    player then launches it as a first launch: entry "ab-initio"). False,
    changing nothing, when the current attempt is not finished: a second
    press must not throw away the attempt the first one started."""
    return attempts.run_with_retry(db, lambda session: _start_new_attempt(session, user_id, status_id, sco_id))


def _start_new_attempt(session: Session, user_id: uuid.UUID, status_id: uuid.UUID, sco_id: str) -> bool:
    status, assignment, sco = _locate(session, user_id, status_id, sco_id)
    attempts.lock_status(session, status.id)
    attempt = attempts.find_attempt(session, status.id, sco.id)
    profile = attempts.profile_of(session, sco)
    if attempt is None or not profile.is_complete(attempt.cmi):
        return False
    _check_attempts_left(attempt, assignment)
    # Not started until it is opened: the launch that follows is its first.
    restart(session, attempt, session.get(User, user_id), sco, utcnow(), started=False)
    attempts.rollup(session, status)
    return True


def _launch(session: Session, user_id: uuid.UUID, status_id: uuid.UUID, sco_id: str, mode: str, new_attempt: bool,
            with_token: bool) -> Launch:
    status, assignment, sco = _locate(session, user_id, status_id, sco_id)
    attempts.lock_status(session, status.id)
    user = session.get(User, user_id)
    now = utcnow()
    profile = attempts.profile_of(session, sco)
    existing = attempts.find_attempt(session, status.id, sco.id)
    attempt = existing or attempts.get_or_create_attempt(session, status.id, sco, user, started_at=now)
    # An attempt an administrator made by editing has no start yet: its
    # first launch is still the learner's first.
    first = existing is None or attempt.started_at is None
    warnings: list[str] = []
    if profile.is_complete(attempt.cmi):
        if not new_attempt:
            return _review_of(attempt, assignment, sco, user, profile, [_finished_notice(attempt, assignment)])
        _check_attempts_left(attempt, assignment)
        restart(session, attempt, user, sco, now)
        first = True
    elif not first and profile.ends_attempt(attempt.cmi):
        if grading.attempts_left(assignment.max_attempts, attempt.attempt_number) == 0:
            return _review_of(attempt, assignment, sco, user, profile, [_ended_notice(attempt, assignment)])
        restart(session, attempt, user, sco, now)
        first = True
    elif new_attempt and existing is not None and attempt.started_at is not None:
        warnings.append(f"Attempt {attempt.attempt_number} is not finished, so it was resumed; "
                        "a new attempt can start once it is finished")
    if attempt.started_at is None:
        attempt.started_at = now
    mode = "browse" if mode == "browse" and attempt.lesson_status == attempts.NOT_ATTEMPTED else "normal"
    order = attempts.sco_ids_in_order(session, sco.courseware_id) if profile.navigates else ()
    state = profile.begin_session(attempt.cmi, attempts.launcher(user, sco, order=order, **_mode_args(mode)), first)
    attempts.replace_cmi(attempt, state, profile)
    attempt.updated_at = now
    attempts.rollup(session, status)
    token = None
    if with_token:
        token = issue_token(session, user.id, now + timedelta(seconds=LAUNCH_TOKEN_SECONDS), kind="launch", attempt_id=attempt.id)
    return Launch(attempt.id, attempt.attempt_number, assignment.courseware_id, sco, mode, state, attempt.commit_seq,
                  token, tuple(warnings))


def _finished_notice(attempt: ScoAttempt, assignment: Assignment) -> str:
    left = grading.attempts_left(assignment.max_attempts, attempt.attempt_number)
    opened = f"Attempt {attempt.attempt_number} is finished ({attempt.lesson_status}), so it opened for review"
    if left == 0:
        return f"{opened}; every attempt the assignment allows ({assignment.max_attempts}) is used"
    remaining = "no limit" if left is None else f"{left} left"
    return f"{opened}; ask for new_attempt to start attempt {attempt.attempt_number + 1} ({remaining})"


def _ended_notice(attempt: ScoAttempt, assignment: Assignment) -> str:
    """An unfinished attempt the content ended (SCORM 2004: an exit other
    than suspend) when the assignment allows no next one."""
    return (f"Attempt {attempt.attempt_number} was ended by the lesson ({attempt.lesson_status}), so it opened for "
            f"review; every attempt the assignment allows ({assignment.max_attempts}) is used")


def _check_attempts_left(attempt: ScoAttempt, assignment: Assignment) -> None:
    if grading.attempts_left(assignment.max_attempts, attempt.attempt_number) == 0:
        raise ServiceError(
            ErrorCode.NO_ATTEMPTS_LEFT,
            f"No attempts left: all {assignment.max_attempts} attempts this assignment allows are used; "
            "the lesson can still be reviewed",
        )


def _mode_args(mode: str) -> dict[str, str]:
    """Only a normal launch is for credit (SCORM 1.2: browse and review are not)."""
    return {"lesson_mode": mode, "credit": "credit" if mode == "normal" else "no-credit"}


def _review(session: Session, user_id: uuid.UUID, status_id: uuid.UUID, sco_id: str) -> Launch:
    """A review the learner asked for, of whatever the attempt holds;
    nothing is written. A SCO never opened has nothing to review."""
    status, assignment, sco = _locate(session, user_id, status_id, sco_id)
    attempt = attempts.find_attempt(session, status.id, sco.id)
    if attempt is None or attempt.started_at is None:
        raise ServiceError(ErrorCode.ITEM_NOT_FOUND, f"Nothing to review: SCO {sco_id!r} was never opened")
    return _review_of(attempt, assignment, sco, session.get(User, user_id), attempts.profile_of(session, sco), [])


def review_state(attempt: ScoAttempt, user: User, sco: CoursewareSco, profile: Profile) -> dict[str, str]:
    """What a review session shows: the attempt's data in review mode, no credit."""
    return profile.begin_session(attempt.cmi, attempts.launcher(user, sco, **_mode_args("review")), False)


def _review_of(attempt: ScoAttempt, assignment: Assignment, sco: CoursewareSco, user: User, profile: Profile,
               warnings: list[str]) -> Launch:
    """A look at an attempt: its data, in review mode, saved nowhere."""
    state = review_state(attempt, user, sco, profile)
    return Launch(attempt.id, attempt.attempt_number, assignment.courseware_id, sco, "review", state,
                  attempt.commit_seq, None, tuple(warnings))


def restart(session: Session, attempt: ScoAttempt, user: User, sco: CoursewareSco, now: datetime, *,
            started: bool = True) -> None:
    """A new attempt: keep the finished one in history, start afresh, and
    retire the old attempt's launch tokens so no window still open on it
    can write into the new one. It starts ``now``, or with ``started``
    False not until the learner opens it (that launch is then its first)."""
    attempts.archive(session, attempt)
    session.execute(
        update(AccessToken)
        .where(AccessToken.attempt_id == attempt.id, AccessToken.kind == "launch", AccessToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    attempt.attempt_number += 1
    profile = attempts.profile_of(session, sco)
    attempts.replace_cmi(attempt, attempts.initial_values(user, sco, profile), profile)
    attempt.started_at = now if started else None
    attempt.exited_at = None


# -- commit ----------------------------------------------------------------------


def commit(
    db: Database,
    settings: Settings,
    token_id: uuid.UUID,
    attempt_id: uuid.UUID,
    seq: int,
    values: dict[str, str],
    *,
    finish: bool = False,
    leave: bool = False,
) -> CommitResult:
    """Apply one commit of content values; see the module's decisions.

    Raises ServiceError: VALIDATION_ERROR naming every refused value (nothing is
    stored), AUTHENTICATION_ERROR when the launch is over, CONCURRENCY_CONFLICT
    when the attempt kept changing under it. A stale sequence number returns
    ``applied=False`` rather than raising, so the caller can report the
    stored number.
    """
    return attempts.run_with_retry(
        db, lambda session: _commit(session, settings, token_id, attempt_id, seq, values, finish, leave)
    )


def _commit(session, settings, token_id, attempt_id, seq, values, finish, leave) -> CommitResult:
    status_id = _lock_status_of(session, attempt_id)
    attempt, profile = _current_attempt(session, attempt_id, token_id)
    if seq <= attempt.commit_seq:
        return CommitResult(False, attempt.commit_seq, attempt.lesson_status)
    if seq > attempt.commit_seq + MAX_SEQ_STEP:
        raise invalid([f"seq: at most {MAX_SEQ_STEP} above the attempt's last commit ({attempt.commit_seq})"])
    before = _rollup_inputs(attempt)
    state = apply_values(profile, attempt.cmi, values, settings.suspend_data_max)
    _check_size(state, settings.attempt_max_chars)
    state, warnings = _end_session(profile, state, finish, leave)
    attempts.replace_cmi(attempt, state, profile)
    attempt.commit_seq = seq
    attempt.updated_at = utcnow()
    if finish or leave:
        attempt.exited_at = attempt.updated_at
    _keep_history(session, attempt, before, finished=finish and profile.is_complete(attempt.cmi))
    # The roll-up reads every SCO of the assignment; when none of its inputs
    # changed (most commits: location, suspend_data, interactions) its result
    # cannot change either, so it is skipped.
    if _rollup_inputs(attempt) != before:
        attempts.rollup(session, session.get(AssignmentStatus, status_id))
    return CommitResult(True, seq, attempt.lesson_status, warnings)


# Built once: commits are the hottest write path, and building a statement
# costs more than SQLite takes to run it.
_STATUS_OF_ATTEMPT = (
    select(AssignmentStatus.id)
    .join(ScoAttempt, ScoAttempt.assignment_status_id == AssignmentStatus.id)
    .where(ScoAttempt.id == bindparam("attempt_id"))
    .with_for_update(of=AssignmentStatus)
)
_ATTEMPT_AND_TOKEN = (
    select(ScoAttempt, AccessToken.revoked_at, Courseware.scorm_version)
    .join(AccessToken, and_(AccessToken.attempt_id == ScoAttempt.id, AccessToken.id == bindparam("token_id")))
    .join(CoursewareSco, CoursewareSco.id == ScoAttempt.sco_pk)
    .join(Courseware, Courseware.id == CoursewareSco.courseware_id)
    .where(ScoAttempt.id == bindparam("attempt_id"))
    .execution_options(populate_existing=True)
)


def _lock_status_of(session: Session, attempt_id: uuid.UUID) -> uuid.UUID:
    """The id of the attempt's assignment status, its row locked first:
    EditScormData locks in the same order (status, then attempt), so the two
    queue instead of deadlocking, and the roll-up sees both changes. Only the
    id: most commits leave the roll-up alone and never need the row."""
    status_id = session.connection().execute(_STATUS_OF_ATTEMPT, {"attempt_id": attempt_id}).scalar()
    if status_id is None:
        raise _launch_over()
    return status_id


def _current_attempt(session: Session, attempt_id: uuid.UUID, token_id: uuid.UUID) -> tuple[ScoAttempt, Profile]:
    """The attempt and its data model's profile, read after the lock, if the
    launch token is still live.

    Revocation is read from the database, not the token cache: a restart
    revokes the old attempt's tokens and must bite at once, on every server.
    """
    row = session.execute(_ATTEMPT_AND_TOKEN, {"attempt_id": attempt_id, "token_id": token_id}).first()
    if row is None or row[1] is not None:
        raise _launch_over()
    return row[0], for_version(row[2])


def _launch_over() -> ServiceError:
    return ServiceError(
        ErrorCode.AUTHENTICATION_ERROR,
        "Unable to authenticate: this launch has ended (the lesson was restarted); open the lesson again",
    )


def _rollup_inputs(attempt: ScoAttempt) -> tuple:
    return (attempt.lesson_status, attempt.score_raw, attempt.total_seconds, attempt.started_at, attempt.exited_at)


def _keep_history(session: Session, attempt: ScoAttempt, before: tuple, finished: bool) -> None:
    """A finish that completes the attempt (``finished``) files it in
    history at once (so history shows it even if never restarted); a later
    commit to an attempt so filed keeps that copy current. Only a complete
    attempt is ever filed under its current number, so others need no
    look-up."""
    if finished or (before[0] in attempts.FINISHED and attempts.current_history(session, attempt) is not None):
        attempts.archive(session, attempt)


def apply_values(profile: Profile, state: dict[str, str], values: dict[str, str], suspend_data_max: int) -> dict[str, str]:
    """The state with content's values set in order, each checked as content
    may set it; VALIDATION_ERROR naming every refused one (SCORM error
    included) and nothing applied otherwise. Longer suspend_data than the
    operator allows is refused, never truncated."""
    new = dict(state)
    problems = []
    for name, value in values.items():
        error = profile.set_value(new, name, value, suspend_data_limit=suspend_data_max)
        if error:
            problems.append(f"values.{name}: {profile.describe(error)}")
    if problems:
        raise invalid(problems)
    return new


def _check_size(state: dict[str, str], max_chars: int) -> None:
    """Refuse a commit that would grow the attempt's data past ``max_chars``.

    Arrays (interactions, objectives) have no bound in SCORM 1.2, so content
    committing a little more each time could grow one document until reading
    it takes a worker's memory; a real lesson's data stays far below this.
    """
    size = sum(len(name) + len(value) for name, value in state.items())
    if size > max_chars:
        raise invalid([f"values: the attempt's data would reach {size} characters, over this server's limit of {max_chars}; nothing was stored"])


def _end_session(profile: Profile, state: dict[str, str], finish: bool, leave: bool) -> tuple[dict[str, str], list[str]]:
    if finish:
        return profile.finish_session(state)
    if leave:
        return profile.leave_session(state), []
    return state, []
