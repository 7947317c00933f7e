"""What an administrator's repair (EditScormData) means in SCORM 1.2: the
element each request field writes, the words for an element's rule in an
error message, and the valid but suspicious results an edit warns about.

- ``exit_status`` takes the contract's "normal" (stored as "") and
  "suspend", and also what cmi.core.exit itself allows: "time-out",
  "logout", "".
- ``raw_score`` is written as a CMIDecimal without exponent (85.0 → "85");
  it must lie in 0..100.
- ``for_credit`` true is "credit", false "no-credit".
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from . import elements as scorm12
from .timespan import is_timespan, parse_timespan
from .types import CMI_DECIMAL, TYPES

STATUS = "cmi.core.lesson_status"
SCORE_RAW = "cmi.core.score.raw"
MASTERY = "cmi.student_data.mastery_score"
TOTAL_TIME = "cmi.core.total_time"
SESSION_TIME = "cmi.core.session_time"


def decimal_text(number: float) -> str:
    """A JSON number (a float, or an int from a caller other than the API)
    as a CMIDecimal: no exponent, no trailing ".0"."""
    if isinstance(number, int) or number.is_integer():
        return str(int(number))
    return format(Decimal(repr(number)), "f")


def _exit(value: str) -> str:
    # The contract's "normal" is cmi.core.exit's blank.
    return "" if value == "normal" else value


def credit_word(for_credit: bool) -> str:
    return "credit" if for_credit else "no-credit"


# Request field -> ((element, JSON value -> element value),): one element each in 1.2.
EDIT_FIELDS: dict[str, tuple[tuple[str, Callable[[Any], str]], ...]] = {
    "lesson_mode": (("cmi.core.lesson_mode", str),),
    "lesson_status": ((STATUS, str),),
    "lesson_location": (("cmi.core.lesson_location", str),),
    "exit_status": (("cmi.core.exit", _exit),),
    "session_time": ((SESSION_TIME, str),),
    "total_time": ((TOTAL_TIME, str),),
    "raw_score": ((SCORE_RAW, decimal_text),),
    "suspend_data": (("cmi.suspend_data", str),),
    "entry": (("cmi.core.entry", str),),
    "preference_language": (("cmi.student_preference.language", str),),
    "preference_speed": (("cmi.student_preference.speed", str),),
    "for_credit": (("cmi.core.credit", credit_word),),
}


def describe_rule(element: str, suspend_data_limit: int) -> str:
    """The rule a value of ``element`` must follow, in words, e.g. "at most
    255 characters"; suspend_data's length is the deployment's."""
    resolved = scorm12.resolve(element)
    if resolved.element.operator_limit:
        return f"at most {suspend_data_limit} characters"
    return TYPES[resolved.element.type].description


def _mastery_warning(state: Mapping[str, str]) -> str | None:
    status, raw, mastery = state.get(STATUS, ""), state.get(SCORE_RAW, ""), state.get(MASTERY, "")
    if status not in ("passed", "failed") or not (CMI_DECIMAL.is_valid(raw) and CMI_DECIMAL.is_valid(mastery)):
        return None
    below = Decimal(raw) < Decimal(mastery)
    if status == "passed" and below:
        return f"lesson_status 'passed' contradicts the mastery score: raw_score {raw} is below the mastery score {mastery}"
    if status == "failed" and not below:
        return f"lesson_status 'failed' contradicts the mastery score: raw_score {raw} reaches the mastery score {mastery}"
    return None


def _time_warning(state: Mapping[str, str]) -> str | None:
    total, session = state.get(TOTAL_TIME, ""), state.get(SESSION_TIME, "")
    if is_timespan(total) and is_timespan(session) and parse_timespan(total) < parse_timespan(session):
        return f"total_time {total} is less than session_time {session}"
    return None


def edit_warnings(old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    """What looks wrong in ``new`` although every value is valid; only for
    what the edit changed, so a stored contradiction the edit did not touch
    is not reported again on every later edit."""
    changed = {name for name in old.keys() | new.keys() if old.get(name, "") != new.get(name, "")}
    found = []
    if changed & {STATUS, SCORE_RAW}:
        found.append(_mastery_warning(new))
    if changed & {TOTAL_TIME, SESSION_TIME}:
        found.append(_time_warning(new))
    return [w for w in found if w]
