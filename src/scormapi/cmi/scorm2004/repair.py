"""What an administrator's repair (EditScormData) means for a SCORM 2004
SCO: the contract's 1.2-named fields mapped onto the 2004 model, the four
2004-only fields the API adds, the words for an element's rule in an error
message, and the valid but suspicious results an edit warns about.

| field | writes |
|---|---|
| lesson_status | cmi.completion_status and cmi.success_status (`mapping.status_to_2004`) |
| raw_score | cmi.score.raw |
| session_time / total_time | cmi.session_time / cmi.total_time; a CMITimespan is converted |
| lesson_location | cmi.location |
| exit_status | cmi.exit |
| lesson_mode | cmi.mode |
| entry | cmi.entry |
| suspend_data | cmi.suspend_data |
| preference_language | cmi.learner_preference.language |
| for_credit | cmi.credit |
| completion_status, success_status, score_scaled, progress_measure | the element of that name |

preference_speed has no 2004 meaning (1.2's -100..100 speed has no scale
in common with delivery_speed) and is refused. A value a conversion cannot
map is passed on unchanged, so the element's own check names what is wrong;
a lesson_status that is not one of 1.2's words is refused as such.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..scorm12.repair import credit_word, decimal_text
from ..scorm12.timespan import is_timespan
from ..scorm12.types import VOCAB_STATUS as STATUS_TYPE
from . import elements, mapping, session
from .duration import duration_centiseconds, is_duration, timespan_to_duration
from .elements import COMPLETION, SUCCESS


def _duration(value: str) -> str:
    """A CMITimespan (the contract's examples) as an ISO 8601 duration; an
    ISO duration or anything else as given."""
    return timespan_to_duration(value) if is_timespan(value) else value


def _status_part(element: str) -> Callable[[str], str]:
    def convert(lesson_status: str) -> str:
        try:
            return mapping.status_to_2004(lesson_status)[element]
        except ValueError:
            # A 2004 word ("unknown") is no lesson_status: the field speaks 1.2.
            raise ValueError(f"not a valid lesson_status ({STATUS_TYPE.description})") from None

    return convert


EDIT_FIELDS: dict[str, tuple[tuple[str, Callable[[Any], str]], ...]] = {
    "lesson_mode": (("cmi.mode", str),),
    "lesson_status": (
        (session.COMPLETION, _status_part(session.COMPLETION)),
        (session.SUCCESS, _status_part(session.SUCCESS)),
    ),
    "lesson_location": (("cmi.location", str),),
    "exit_status": ((session.EXIT, str),),
    "session_time": ((session.SESSION_TIME, _duration),),
    "total_time": ((session.TOTAL_TIME, _duration),),
    "raw_score": (("cmi.score.raw", decimal_text),),
    "suspend_data": (("cmi.suspend_data", str),),
    "entry": ((session.ENTRY, str),),
    "preference_language": (("cmi.learner_preference.language", str),),
    "for_credit": (("cmi.credit", credit_word),),
    "completion_status": ((session.COMPLETION, str),),
    "success_status": ((session.SUCCESS, str),),
    "score_scaled": ((session.SCALED, decimal_text),),
    "progress_measure": ((session.PROGRESS, decimal_text),),
}


def describe_rule(element: str, suspend_data_limit: int) -> str:
    """The rule a value of ``element`` must follow, in words."""
    resolved = elements.MODEL.resolve(element)
    if resolved.element.operator_limit:
        return f"at most {elements.suspend_data_max(suspend_data_limit)} characters"
    return elements.MODEL.types[resolved.element.type].description


def _evaluation_warning(state: Mapping[str, str], element: str) -> str | None:
    """A stored status the LMS's threshold overrides on every read."""
    rule = COMPLETION if element == session.COMPLETION else SUCCESS
    answered = rule.value(state)
    stored = state.get(element, "unknown")
    if answered is None or answered == stored:
        return None
    measure = state.get(rule.measure) or "unset"
    return (
        f"{element} {stored!r} is overridden: {rule.measure} is {measure} against {rule.threshold}"
        f" {state[rule.threshold]}, so the SCO and every read see {answered!r}"
    )


def _time_warning(state: Mapping[str, str]) -> str | None:
    total, spent = state.get(session.TOTAL_TIME, ""), state.get(session.SESSION_TIME, "")
    if is_duration(total) and is_duration(spent) and duration_centiseconds(total) < duration_centiseconds(spent):
        return f"total_time {total} is less than session_time {spent}"
    return None


def edit_warnings(old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    """What looks wrong in ``new`` although every value is valid; only for
    what the edit changed."""
    changed = {name for name in old.keys() | new.keys() if old.get(name, "") != new.get(name, "")}
    found = []
    if changed & {session.COMPLETION, session.PROGRESS}:
        found.append(_evaluation_warning(new, session.COMPLETION))
    if changed & {session.SUCCESS, session.SCALED}:
        found.append(_evaluation_warning(new, session.SUCCESS))
    if changed & {session.TOTAL_TIME, session.SESSION_TIME}:
        found.append(_time_warning(new))
    return [w for w in found if w]
