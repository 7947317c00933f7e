"""Launch codes: how a lesson opened on the main origin reaches the content
origin without the launch token ever appearing in a main-origin page.

The shell page (main origin) launches the SCO, then issues a code: an
AccessToken of kind "launch_code" (or "review_code" for a review, which has
nothing to save) bound to the attempt, living a minute. Its frame opens
``/run/{code}`` on the content origin, which spends the code and only then
issues what the content needs there: a launch token (kind "launch", to
commit and to read the package files) or, for a review, a content token
(kind "content": package files only, never a commit).

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
from scormapi.cmi import runtime as cmi_runtime
from scormapi.store import attempts
from scormapi.store.db import Database
from scormapi.store.models import AccessToken, CoursewareSco, ScoAttempt, User, utcnow
from scormapi.store.runtime import LAUNCH_TOKEN_SECONDS, Launch

LAUNCH_CODE = "launch_code"
REVIEW_CODE = "review_code"
CONTENT_KIND = "content"
LAUNCH_KIND = "launch"
# Long enough for a slow page to load its frame; a code is spent at once.
CODE_SECONDS = 60


def issue_code(db: Database, user_id: uuid.UUID, opened: Launch) -> str:
    """A code for the launch just made (``runtime.launch(with_token=False)``):
    the content origin issues the launch's token when the code is spent."""
    kind = REVIEW_CODE if opened.lesson_mode == "review" else LAUNCH_CODE
    with db.write() as session:
        return issue_token(session, user_id, utcnow() + timedelta(seconds=CODE_SECONDS), kind=kind, attempt_id=opened.attempt_id)


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
           AccessToken.revoked_at, User.is_active)
    .join(User, User.id == AccessToken.user_id)
)


def redeem(db: Database, code: str) -> Run:
    """Spend ``code`` and issue the content origin's token; CodeRefused otherwise."""
    with db.write() as session:
        row = session.execute(_CODE.where(AccessToken.token_hash == token_hash(code))).first()
        if row is None or row.kind not in (LAUNCH_CODE, REVIEW_CODE) or row.attempt_id is None or not row.is_active:
            raise CodeRefused(403, "This lesson link is not valid.")
        now = utcnow()
        if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
            raise CodeRefused(410, "This lesson link has already been used or has expired.")
        spent = session.execute(
            update(AccessToken).where(AccessToken.id == row.id, AccessToken.revoked_at.is_(None)).values(revoked_at=now)
        )
        if spent.rowcount != 1:
            raise CodeRefused(410, "This lesson link has already been used or has expired.")
        attempt = session.get(ScoAttempt, row.attempt_id)
        if attempt is None:
            # Deleted since the shell launched it (an administrator's delete).
            raise CodeRefused(410, "This lesson is no longer available.")
        return _run(session, row.user_id, attempt, review=row.kind == REVIEW_CODE)


def _run(session: Session, user_id: uuid.UUID, attempt: ScoAttempt, review: bool) -> Run:
    sco = session.get(CoursewareSco, attempt.sco_pk)
    expires = utcnow() + timedelta(seconds=LAUNCH_TOKEN_SECONDS)
    if review:
        state = _review_state(session, attempt, sco, user_id)
        key = issue_token(session, user_id, expires, kind=CONTENT_KIND, attempt_id=attempt.id)
        token = None
    else:
        # The launch stored the session's state; a commit since then only made it newer.
        state = dict(attempt.cmi)
        token = key = issue_token(session, user_id, expires, kind=LAUNCH_KIND, attempt_id=attempt.id)
    mode = state.get("cmi.core.lesson_mode", "normal")
    return Run(attempt.id, attempt.attempt_number, sco.courseware_id, sco.sco_id, sco.title, sco.launch, mode, state,
               attempt.commit_seq, token, key)


def _review_state(session: Session, attempt: ScoAttempt, sco: CoursewareSco, user_id: uuid.UUID) -> dict[str, str]:
    """A review session's state, as the launch showed it: nothing of it is stored."""
    user = session.get(User, user_id)
    ctx = attempts.launch_context(user, sco, lesson_mode="review", credit="no-credit")
    return cmi_runtime.begin_session(attempt.cmi, ctx, previous_exit=attempt.cmi.get("cmi.core.exit", ""))

