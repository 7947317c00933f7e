"""Which of a learner's attempts on a SCO counts: the assignment's grading method.

A learner may take a SCO again (up to the assignment's ``max_attempts``);
the earlier attempts stay in history. The roll-up, My courses and the
learner's course page show, per SCO, the attempt the grading method picks:

- ``highest`` (the default): the best finished attempt. Finished attempts
  rank by status first (passed or completed above failed), then by raw
  score, then the earlier one. The default because a learner who tries
  again to do better must never lose what they earned by trying.
- ``last``: the latest finished attempt (a retake replaces the result).
- ``first``: the first finished attempt (later attempts are practice).

An attempt in progress counts only while no attempt has finished: starting
attempt 3 never hides attempt 2's result. Finished means passed, completed
or failed (``FINISHED``), as the launch decides it.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from scormapi.cmi.profile import DONE, FINISHED
from scormapi.store.models import ScoAttemptHistory

METHODS = ("highest", "last", "first")


@dataclass(frozen=True)
class Result:
    """One attempt's typed columns: what grading and the roll-up read."""

    attempt_number: int
    lesson_status: str
    score_raw: float | None
    total_seconds: float
    started_at: datetime | None
    exited_at: datetime | None
    # Shown beside the result, never graded: grading compares lesson_status,
    # the one status of both models.
    completion_status: str = "unknown"
    success_status: str = "unknown"
    score_scaled: float | None = None

    @classmethod
    def of(cls, record) -> Result:
        """From anything with these columns: an attempt, a history row, a
        query row (which may leave out the ones shown, not graded)."""
        return cls(record.attempt_number, record.lesson_status, record.score_raw, record.total_seconds,
                   record.started_at, record.exited_at, getattr(record, "completion_status", "unknown"),
                   getattr(record, "success_status", "unknown"), getattr(record, "score_scaled", None))

    @property
    def finished(self) -> bool:
        return self.lesson_status in FINISHED


def _rank(result: Result) -> tuple:
    """Larger is better under "highest"; ties go to the earlier attempt."""
    status = 2 if result.lesson_status in DONE else 1
    score = result.score_raw if result.score_raw is not None else float("-inf")
    return status, score, -result.attempt_number


def pick(method: str, attempts: Iterable[Result]) -> Result | None:
    """The attempt that counts among a SCO's attempts (current and
    archived; one per attempt number), or None when there is none."""
    candidates = list(attempts)
    finished = [a for a in candidates if a.finished]
    if not finished:
        return max(candidates, key=lambda a: a.attempt_number, default=None)
    if method == "first":
        return min(finished, key=lambda a: a.attempt_number)
    if method == "last":
        return max(finished, key=lambda a: a.attempt_number)
    return max(finished, key=_rank)


def archived_results(session: Session, attempt_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[Result]]:
    """The archived attempts of each current attempt, typed columns only
    (never the CMI documents), in one query."""
    ids = list(attempt_ids)
    found: dict[uuid.UUID, list[Result]] = defaultdict(list)
    if not ids:
        return found
    rows = session.execute(
        select(
            ScoAttemptHistory.attempt_id, ScoAttemptHistory.attempt_number, ScoAttemptHistory.lesson_status,
            ScoAttemptHistory.score_raw, ScoAttemptHistory.total_seconds, ScoAttemptHistory.started_at,
            ScoAttemptHistory.exited_at,
        ).where(ScoAttemptHistory.attempt_id.in_(ids))
    ).all()
    for row in rows:
        found[row.attempt_id].append(Result.of(row))
    return found


def combined(current: Result | None, archived: Iterable[Result]) -> list[Result]:
    """Every attempt once: the current attempt replaces its own archived
    copy (a finished attempt is filed in history under its number while it
    is still the current one)."""
    if current is None:
        return list(archived)
    return [a for a in archived if a.attempt_number != current.attempt_number] + [current]


def attempts_left(max_attempts: int, attempt_number: int) -> int | None:
    """How many more attempts a learner on attempt ``attempt_number`` may
    start (None: no limit)."""
    if max_attempts == 0:
        return None
    return max(max_attempts - attempt_number, 0)
