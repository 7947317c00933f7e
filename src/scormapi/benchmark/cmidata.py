"""Realistic SCORM 1.2 run-time data for generated attempts.

Values are what real content writes (status, score, times, a few KB of
suspend_data, interactions), built from small pools made once, so a million
attempts cost a dict copy and a few choices each, not string generation.
Every value is valid for its element (tests check it with scorm12.validate_value).
"""
from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from scormapi.cmi.scorm12 import LaunchContext, initial_state
from scormapi.cmi.scorm12.timespan import format_timespan, timespan_seconds

# Share of attempts per lesson_status; "not attempted" keeps the launch values only.
STATUS_WEIGHTS = {"passed": 35, "completed": 20, "incomplete": 30, "failed": 10, "not attempted": 5}
FINISHED = frozenset({"passed", "completed", "failed"})
INTERACTION_TYPES = ("choice", "true-false", "fill-in", "numeric")
RESULTS = ("correct", "wrong", "correct", "neutral")
SUSPEND_POOL_SIZE = 64
# Seeded dates fall in the year before this moment.
EPOCH = datetime(2025, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Attempt:
    """One generated attempt: its CMI document and the typed columns that mirror it."""

    cmi: dict[str, str]
    lesson_status: str
    score_raw: float | None
    total_seconds: float
    started_at: datetime | None
    exited_at: datetime | None


def suspend_pool(rng: random.Random, size: int = SUSPEND_POOL_SIZE) -> list[str]:
    """suspend_data strings of 2-4 KB, shaped like an authoring tool's state blob."""
    alphabet = string.ascii_letters + string.digits + "~_-*"
    return [
        "2M" + "".join(rng.choices(alphabet, k=rng.randint(2048, 4094) - 2))
        for _ in range(size)
    ]


class CmiFactory:
    """Makes attempts for one course; pools are built once per factory."""

    def __init__(self, rng: random.Random, mastery_score: str = "80"):
        self.rng = rng
        self.mastery_score = mastery_score
        self.suspend = suspend_pool(rng)
        self.statuses = list(STATUS_WEIGHTS)
        self.weights = list(STATUS_WEIGHTS.values())
        # The launch values validated once; each attempt copies them and
        # names its learner, instead of validating a LaunchContext per row.
        self.template = initial_state(
            LaunchContext(student_id="learner", student_name="Learner", mastery_score=mastery_score)
        )

    def attempt(self, student_id: str, student_name: str) -> Attempt:
        status = self.rng.choices(self.statuses, self.weights)[0]
        base = dict(self.template)
        base["cmi.core.student_id"] = student_id
        base["cmi.core.student_name"] = student_name
        if status == "not attempted":
            return Attempt(base, status, None, 0.0, None, None)
        return self._worked(base, status)

    def _worked(self, cmi: dict[str, str], status: str) -> Attempt:
        rng = self.rng
        score = self._score(status)
        total = rng.randint(60_00, 3 * 3600_00)  # centiseconds: a minute to three hours
        session = rng.randint(30_00, min(total, 3600_00))
        started = EPOCH - timedelta(seconds=rng.randint(3600, 365 * 86400))
        cmi.update({
            "cmi.core.lesson_status": status,
            "cmi.core.entry": "resume",
            "cmi.core.lesson_location": f"slide-{rng.randint(1, 40)}",
            "cmi.core.total_time": format_timespan(total),
            "cmi.core.session_time": format_timespan(session),
            "cmi.core.exit": "" if status in FINISHED else "suspend",
            "cmi.suspend_data": rng.choice(self.suspend),
            "cmi.student_preference.language": "en",
        })
        if score is not None:
            cmi.update({"cmi.core.score.raw": score, "cmi.core.score.min": "0", "cmi.core.score.max": "100"})
        self._interactions(cmi, rng.randint(2, 6))
        total_time = cmi["cmi.core.total_time"]
        exited = started + timedelta(seconds=timespan_seconds(total_time)) if status in FINISHED else None
        return Attempt(
            cmi, status, float(score) if score is not None else None, timespan_seconds(total_time), started, exited
        )

    def _score(self, status: str) -> str | None:
        """A score consistent with the mastery score of 80: passed >= 80, failed < 80."""
        rng = self.rng
        if status == "passed":
            return str(rng.randint(80, 100))
        if status == "failed":
            return str(rng.randint(20, 79))
        return str(rng.randint(0, 100)) if rng.random() < 0.5 else None

    def _interactions(self, cmi: dict[str, str], count: int) -> None:
        rng = self.rng
        for n in range(count):
            prefix = f"cmi.interactions.{n}."
            cmi.update({
                prefix + "id": f"q{n + 1}",
                prefix + "type": rng.choice(INTERACTION_TYPES),
                prefix + "time": f"{rng.randint(8, 20):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
                prefix + "student_response": rng.choice("abcd"),
                prefix + "correct_responses.0.pattern": rng.choice("abcd"),
                prefix + "result": rng.choice(RESULTS),
                prefix + "weighting": "1",
                prefix + "latency": format_timespan(rng.randint(100, 120_00)),
            })
