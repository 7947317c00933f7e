"""Launch codes: how a lesson opened on the main origin reaches the content
origin without the launch token ever appearing in a main-origin page.

The shell page (main origin) launches the SCO, then issues a code: an
AccessToken of kind "launch_code" (or "review_code" for a review, which has
nothing to save) bound to the attempt, living a minute. Its frame opens
``/run/{code}`` on the content origin, which spends the code and only then
issues what the content needs there: a launch token (kind "launch", to
commit and to read the package files) or, for a review, a content token
(kind "content": package files only, never a commit).

An item whose resource is an asset (a page, a handout) opens the same way
with an "asset_code" bound to the learner's assignment status; spending it
issues an "asset" key, which opens that course's files and nothing else
(no attempt, so no commit can use it).

Spending is one UPDATE ... WHERE revoked_at IS NULL: of two requests with
one code, exactly one gets a row, whatever the database.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from scormapi.auth.tokens import issue_token, token_hash
from scormapi.store import attempts
from scormapi.store.db import Database
from scormapi.store.models import (
    AccessToken,
    Assignment,
    AssignmentStatus,
    CoursewareSco,
    ScoAttempt,
    User,
    utcnow,
)
from scormapi.store.runtime import LAUNCH_TOKEN_SECONDS, Launch, review_state

LAUNCH_CODE = "launch_code"
REVIEW_CODE = "review_code"
CONTENT_KIND = "content"
LAUNCH_KIND = "launch"
ASSET_CODE = "asset_code"
ASSET_KIND = "asset"
# Long enough for a slow page to load its frame; a code is spent at once.
CODE_SECONDS = 60


def issue_code(db: Database, user_id: uuid.UUID, opened: Launch) -> str:
    """A code for the launch just made (``runtime.launch(with_token=False)``):
    the content origin issues the launch's token when the code is spent."""
    kind = REVIEW_CODE if opened.lesson_mode == "review" else LAUNCH_CODE
    with db.write() as session:
        return issue_token(session, user_id, utcnow() + timedelta(seconds=CODE_SECONDS), kind=kind, attempt_id=opened.attempt_id)


def issue_asset_code(db: Database, user_id: uuid.UUID, status_id: uuid.UUID) -> str:
    """A code for opening the untracked pages of the learner's assignment
    status (the caller has found it to be theirs)."""
    with db.write() as session:
        return issue_token(session, user_id, utcnow() + timedelta(seconds=CODE_SECONDS), kind=ASSET_CODE,
                           assignment_status_id=status_id)


def content_key(db: Database, user_id: uuid.UUID, opened: Launch) -> str:
    """The key that opens the launch's package files: its launch token, or
    for a review (no launch token: nothing may be saved) a content token."""
    if opened.token is not None:
        return opened.token
    expires = utcnow() + timedelta(seconds=LAUNCH_TOKEN_SECONDS)
    with db.write() as session:
        return issue_token(session, user_id, expires, kind=CONTENT_KIND, attempt_id=opened.attempt_id)


class CodeRefused(Exception):
    """The code is unknown (status 403), or spent or expired (410)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Run:
    """What the run-time page needs, read as the code was spent."""

    attempt_id: uuid.UUID
    attempt_number: int
    courseware_id: uuid.UUID
    # The courseware's SCORM version ("1.2", "2004"): the page binds its API.
    scorm_version: str
    sco_id: str
    sco_title: str
    launch: str
    lesson_mode: str
    state: dict[str, str]
    commit_seq: int
    launch_token: str | None
    content_key: str


_CODE = (
    select(AccessToken.id, AccessToken.kind, AccessToken.user_id, AccessToken.attempt_id, AccessToken.expires_at,
           AccessToken.revoked_at, AccessToken.assignment_status_id, User.is_active)
    .join(User, User.id == AccessToken.user_id)
)


def redeem(db: Database, code: str) -> Run:
    """Spend ``code`` and issue the content origin's token; CodeRefused otherwise."""
    with db.write() as session:
        row = _spend(session, code, (LAUNCH_CODE, REVIEW_CODE))
        attempt = session.get(ScoAttempt, row.attempt_id) if row.attempt_id is not None else None
        if attempt is None:
            # Deleted since the shell launched it (an administrator's delete).
            raise CodeRefused(410, "This lesson is no longer available.")
        return _run(session, row.user_id, attempt, review=row.kind == REVIEW_CODE)


@dataclass(frozen=True)
class AssetKey:
    """What an asset code turned into: the key to the course's files."""

    assignment_status_id: uuid.UUID
    courseware_id: uuid.UUID
    key: str


def redeem_asset(db: Database, code: str) -> AssetKey:
    """Spend an asset code and issue the key to its course's files."""
    with db.write() as session:
        row = _spend(session, code, (ASSET_CODE,))
        courseware_id = _status_courseware(session, row.assignment_status_id)
        if courseware_id is None:
            raise CodeRefused(410, "This page is no longer available.")
        expires = utcnow() + timedelta(seconds=LAUNCH_TOKEN_SECONDS)
        key = issue_token(session, row.user_id, expires, kind=ASSET_KIND, assignment_status_id=row.assignment_status_id)
        return AssetKey(row.assignment_status_id, courseware_id, key)


def _status_courseware(session: Session, status_id: uuid.UUID | None) -> uuid.UUID | None:
    if status_id is None:
        return None
    return session.scalar(
        select(Assignment.courseware_id)
        .join(AssignmentStatus, AssignmentStatus.assignment_id == Assignment.id)
        .where(AssignmentStatus.id == status_id)
    )


def key_courseware(session: Session, principal) -> uuid.UUID | None:
    """The courseware a files key opens: a launch or content token's
    attempt's, an asset key's assignment's; None for any other token."""
    if principal.kind in (LAUNCH_KIND, CONTENT_KIND) and principal.attempt_id is not None:
        return session.scalar(
            select(CoursewareSco.courseware_id)
            .join(ScoAttempt, ScoAttempt.sco_pk == CoursewareSco.id)
            .where(ScoAttempt.id == principal.attempt_id)
        )
    if principal.kind == ASSET_KIND:
        return _status_courseware(session, principal.assignment_status_id)
    return None


def _spend(session: Session, code: str, kinds: tuple[str, ...]):
    """The code's row, spent; CodeRefused when it is unknown, of another
    kind, its user inactive (403), or spent or expired (410)."""
    row = session.execute(_CODE.where(AccessToken.token_hash == token_hash(code))).first()
    if row is None or row.kind not in kinds or not row.is_active:
        raise CodeRefused(403, "This lesson link is not valid.")
    now = utcnow()
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        raise CodeRefused(410, "This lesson link has already been used or has expired.")
    spent = session.execute(
        update(AccessToken).where(AccessToken.id == row.id, AccessToken.revoked_at.is_(None)).values(revoked_at=now)
    )
    if spent.rowcount != 1:
        raise CodeRefused(410, "This lesson link has already been used or has expired.")
    return row


def _run(session: Session, user_id: uuid.UUID, attempt: ScoAttempt, review: bool) -> Run:
    sco = session.get(CoursewareSco, attempt.sco_pk)
    profile = attempts.profile_of(session, sco)
    expires = utcnow() + timedelta(seconds=LAUNCH_TOKEN_SECONDS)
    if review:
        # The review's state as the launch showed it: nothing of it is stored.
        state = review_state(attempt, session.get(User, user_id), sco, profile)
        key = issue_token(session, user_id, expires, kind=CONTENT_KIND, attempt_id=attempt.id)
        token = None
    else:
        # The launch stored the session's state; a commit since then only made it newer.
        state = dict(attempt.cmi)
        token = key = issue_token(session, user_id, expires, kind=LAUNCH_KIND, attempt_id=attempt.id)
    return Run(attempt.id, attempt.attempt_number, sco.courseware_id, profile.version, sco.sco_id, sco.title, sco.launch,
               profile.mode_of(state), state, attempt.commit_seq, token, key)

