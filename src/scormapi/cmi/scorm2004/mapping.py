"""SCORM 1.2 names and values for a SCORM 2004 state (§8): the records API
speaks 1.2's field names for every SCO, so a 2004 SCO's data is read and
written through this mapping.

Pure functions; a 2004 element that is not set reads as "" on the 1.2 side,
as an unset 1.2 element does.
"""

import re
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from .duration import duration_to_timespan, is_duration
from .elements import MODEL
from .session import BROWSED, COMPLETION, MODE, NOT_ATTEMPTED, SUCCESS, real_value, summary_status

# 1.2 lesson_status -> the 2004 elements it sets (§8).
_STATUS_TO_2004 = {
    "passed": {COMPLETION: "completed", SUCCESS: "passed"},
    "failed": {COMPLETION: "completed", SUCCESS: "failed"},
    "completed": {COMPLETION: "completed", SUCCESS: "unknown"},
    "incomplete": {COMPLETION: "incomplete", SUCCESS: "unknown"},
    BROWSED: {COMPLETION: "incomplete", SUCCESS: "unknown", MODE: "browse"},
    NOT_ATTEMPTED: {COMPLETION: NOT_ATTEMPTED, SUCCESS: "unknown"},
}

# real(10,7) keeps at least 7 significant digits; computed values are
# written with 7 decimals, which keeps that for every scaled score.
_PLACES = Decimal("1e-7")
_HUNDRED = Decimal(100)
_LANG_DELIMITER = re.compile(r"\{lang=[^}]*\}")
_TIME_OF_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T([0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,2})?)")


def status_to_2004(lesson_status: str) -> dict[str, str]:
    """The 2004 values a 1.2 lesson_status stands for; "browsed" also sets
    cmi.mode "browse", the only place 2004 can say it. ValueError for a
    word outside 1.2's vocabulary."""
    try:
        return dict(_STATUS_TO_2004[lesson_status])
    except KeyError:
        raise ValueError(f"not a SCORM 1.2 lesson_status: {lesson_status!r}") from None


def _write(number: Decimal) -> str:
    """A plain decimal (no exponent, no trailing zeros), 7 decimals at most.
    Worked out with as many digits as the number has: a real may be as large
    as a double (1e308), far past the default 28-digit context."""
    with localcontext() as context:
        context.prec = max(context.prec, number.adjusted() + 16)
        rounded = number.quantize(_PLACES, rounding=ROUND_HALF_EVEN).normalize()
    return "0" if rounded == 0 else format(rounded, "f")


def _number(text: str, what: str) -> Decimal | None:
    """None for an empty text (no score); anything else must be a real."""
    if text == "":
        return None
    number = real_value(text)
    if number is None:
        raise ValueError(f"{what} is not a number: {text!r}")
    return number


def scaled_from_raw(raw: str, score_min: str = "", score_max: str = "") -> str:
    """score.scaled from a 1.2 raw score: (raw - min) / (max - min) when both
    bounds are set and max > min, else raw / 100 (1.2 scores are 0-100);
    clamped to -1..1, the range of score.scaled. "" when raw is "";
    ValueError when a value is not a number."""
    value = _number(raw, "score.raw")
    if value is None:
        return ""
    low, high = _number(score_min, "score.min"), _number(score_max, "score.max")
    if low is not None and high is not None and high > low:
        scaled = (value - low) / (high - low)
    else:
        scaled = value / _HUNDRED
    return _write(max(Decimal(-1), min(Decimal(1), scaled)))


def raw_from_2004(state: Mapping[str, str]) -> str:
    """The 1.2 raw score of a 2004 state: score.raw when set, else
    score.scaled × 100, else ""."""
    return _raw_and_source(state, "cmi.score")[0]


def _raw_and_source(state: Mapping[str, str], score: str) -> tuple[str, str]:
    raw = real_value(state.get(f"{score}.raw"))
    if raw is not None:
        return _write(raw), f"{score}.raw"
    scaled = real_value(state.get(f"{score}.scaled"))
    if scaled is not None:
        return _write(scaled * _HUNDRED), f"{score}.scaled"
    return "", f"{score}.raw"


def _timespan(value: str) -> str:
    """A duration as a CMITimespan ("" when unset or not a duration); one
    past 9999:59:59.99 reads as that, see `duration.duration_to_timespan`."""
    return duration_to_timespan(value)[0] if is_duration(value) else ""


def _plain_text(value: str) -> str:
    """A localized string's text, its leading {lang=} delimiter dropped."""
    match = _LANG_DELIMITER.match(value)
    return value[match.end() :] if match else value


def _comments(state: Mapping[str, str], array: str) -> tuple[str, str]:
    """1.2 keeps one comment string; 2004 one record per comment: the
    texts joined by a newline, in order."""
    texts = [_plain_text(state.get(f"{array}.{n}.comment", "")) for n in range(MODEL.item_count(state, array))]
    return "\n".join(texts), f"{array}.n.comment"


def _objective_status(state: Mapping[str, str], prefix: str) -> str:
    """§8's convention per objective: success wins, then completion,
    "unknown" reads "incomplete" once a score or progress is stored."""
    success = state.get(f"{prefix}.success_status", "unknown")
    if success in ("passed", "failed"):
        return success
    completion = state.get(f"{prefix}.completion_status", "unknown")
    if completion != "unknown":
        return completion
    measured = any(f"{prefix}.{leaf}" in state for leaf in ("score.scaled", "score.raw", "progress_measure"))
    return "incomplete" if measured else NOT_ATTEMPTED


def _copy(name: str) -> Callable[[Mapping[str, str]], tuple[str, str]]:
    return lambda state: (state.get(name, ""), name)


def _converted(name: str, convert: Callable[[str], str]) -> Callable[[Mapping[str, str]], tuple[str, str]]:
    return lambda state: (convert(state.get(name, "")), name)


def _mastery(state: Mapping[str, str]) -> tuple[str, str]:
    passing = real_value(state.get("cmi.scaled_passing_score"))
    return ("" if passing is None else _write(passing * _HUNDRED)), "cmi.scaled_passing_score"


_STATUS_SOURCE = f"{COMPLETION}, {SUCCESS}, cmi.score.scaled, cmi.progress_measure"

# The 1.2 names outside arrays, each with what answers it.
_SINGLE: dict[str, Callable[[Mapping[str, str]], tuple[str, str]]] = {
    "cmi.core.lesson_status": lambda state: (summary_status(state), _STATUS_SOURCE),
    "cmi.core.score.raw": lambda state: _raw_and_source(state, "cmi.score"),
    "cmi.core.score.min": _copy("cmi.score.min"),
    "cmi.core.score.max": _copy("cmi.score.max"),
    "cmi.core.total_time": _converted("cmi.total_time", _timespan),
    "cmi.core.session_time": _converted("cmi.session_time", _timespan),
    "cmi.core.lesson_location": _copy("cmi.location"),
    "cmi.core.student_id": _copy("cmi.learner_id"),
    "cmi.core.student_name": _converted("cmi.learner_name", _plain_text),
    "cmi.core.credit": _copy("cmi.credit"),
    "cmi.core.entry": _copy("cmi.entry"),
    "cmi.core.lesson_mode": _copy(MODE),
    # 1.2 has no "normal": its normal exit is "".
    "cmi.core.exit": _converted("cmi.exit", lambda value: "" if value == "normal" else value),
    "cmi.suspend_data": _copy("cmi.suspend_data"),
    "cmi.launch_data": _copy("cmi.launch_data"),
    "cmi.comments": lambda state: _comments(state, "cmi.comments_from_learner"),
    "cmi.comments_from_lms": lambda state: _comments(state, "cmi.comments_from_lms"),
    "cmi.student_data.mastery_score": _mastery,
    "cmi.student_data.max_time_allowed": _converted("cmi.max_time_allowed", _timespan),
    "cmi.student_data.time_limit_action": _copy("cmi.time_limit_action"),
    "cmi.student_preference.language": _copy("cmi.learner_preference.language"),
    "cmi.student_preference.text": _copy("cmi.learner_preference.audio_captioning"),
    "cmi.objectives._count": lambda state: (str(MODEL.item_count(state, "cmi.objectives")), "cmi.objectives._count"),
    "cmi.interactions._count": lambda state: (str(MODEL.item_count(state, "cmi.interactions")), "cmi.interactions._count"),
}

_OBJECTIVE = re.compile(r"cmi\.objectives\.(0|[1-9][0-9]*)\.(id|status|score\.raw|score\.min|score\.max)")
_INTERACTION = re.compile(r"cmi\.interactions\.(0|[1-9][0-9]*)\.(id|type|time|weighting|result|latency)")
# 2004 words 1.2 spells otherwise; "other" has no 1.2 type and reads "".
_INTERACTION_TYPES = {"long-fill-in": "fill-in", "other": ""}
_RESULTS = {"incorrect": "wrong"}


def _objective(state: Mapping[str, str], index: str, leaf: str) -> tuple[str, str]:
    prefix = f"cmi.objectives.{index}"
    if leaf == "status":
        return _objective_status(state, prefix), f"{prefix}.completion_status, {prefix}.success_status"
    if leaf == "score.raw":
        return _raw_and_source(state, f"{prefix}.score")
    return state.get(f"{prefix}.{leaf}", ""), f"{prefix}.{leaf}"


def _time_of_day(timestamp: str) -> str:
    """1.2's interaction time is a time of day; a 2004 timestamp without
    one (just a date) reads ""."""
    match = _TIME_OF_DAY.match(timestamp)
    return match.group(1) if match else ""


def _interaction(state: Mapping[str, str], index: str, leaf: str) -> tuple[str, str]:
    prefix = f"cmi.interactions.{index}"
    if leaf == "time":
        return _time_of_day(state.get(f"{prefix}.timestamp", "")), f"{prefix}.timestamp"
    value = state.get(f"{prefix}.{leaf}", "")
    if leaf == "type":
        value = _INTERACTION_TYPES.get(value, value)
    elif leaf == "result":
        value = _RESULTS.get(value, value)
    elif leaf == "latency":
        value = _timespan(value)
    return value, f"{prefix}.{leaf}"


def read_12_name(state: Mapping[str, str], name: str) -> tuple[str, str] | None:
    """A SCORM 1.2 element asked of a 2004 SCO, answered through the
    mapping: (the 1.2 value, the 2004 element(s) it came from, for the
    caller's warning), or None when 1.2's name has no 2004 counterpart
    (student_preference.audio and .speed have no scale mapping; interaction
    responses and patterns, _children keywords and anything unknown are
    not mapped)."""
    single = _SINGLE.get(name)
    if single is not None:
        return single(state)
    objective = _OBJECTIVE.fullmatch(name)
    if objective is not None:
        return _objective(state, *objective.groups())
    interaction = _INTERACTION.fullmatch(name)
    if interaction is not None:
        return _interaction(state, *interaction.groups())
    return None
