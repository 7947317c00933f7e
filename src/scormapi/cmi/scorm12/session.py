"""The run-time rules the LMS owns between sessions of a SCO: what a relaunch
starts from and what LMSFinish settles (total time, status).

Pure functions over the flat state of `scorm12`; each returns a new dict and
leaves its argument untouched, so a caller can compare old and new values
(for the audit trail) or drop the result.
"""

from decimal import Decimal

from .elements import LaunchContext, launch_values
from .timespan import ZERO_TIMESPAN, add_timespans, is_timespan
from .types import CMI_DECIMAL

STATUS = "cmi.core.lesson_status"
SESSION_TIME = "cmi.core.session_time"
TOTAL_TIME = "cmi.core.total_time"
COMPLETE_STATUSES = frozenset({"passed", "completed", "failed"})

# Written by content for one session only.
_SESSION_ONLY = frozenset({SESSION_TIME, "cmi.core.exit"})
# Taken from the manifest at every launch, so a removed value disappears.
_STUDENT_DATA_PREFIX = "cmi.student_data."


def begin_session(
    state: dict[str, str], ctx: LaunchContext, *, previous_exit: str
) -> dict[str, str]:
    """The state a relaunch starts from.

    `previous_exit` is the cmi.core.exit the last session left ("suspend"
    gives entry "resume", anything else ""). Everything content stored is
    kept (suspend_data, lesson_location, status, score, objectives,
    interactions, preferences); session_time and exit are cleared; the
    read-only launch values are refreshed from `ctx`. Whether a relaunch
    should rather start a new attempt (`scorm12.initial_state`) is the
    caller's policy, not a rule of the data model.
    """
    kept = {
        name: value
        for name, value in state.items()
        if name not in _SESSION_ONLY and not name.startswith(_STUDENT_DATA_PREFIX)
    }
    kept.update(launch_values(ctx))
    kept.setdefault(STATUS, "not attempted")
    kept.setdefault(TOTAL_TIME, ZERO_TIMESPAN)
    kept["cmi.core.entry"] = "resume" if previous_exit == "suspend" else ""
    return kept


def finish_session(state: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """What LMSFinish (or the learner leaving) settles: the new state and
    warnings about what was clamped, skipped or overridden.

    - The last session_time is added to total_time, clamped to
      9999:59:59.99 with a warning. session_time stays stored (reports show
      it), so call this once per session.
    - In browse mode a status still "not attempted" becomes "browsed".
    - In normal mode with credit, when both a mastery score and score.raw are
      set, the status becomes passed (raw >= mastery) or failed, whatever the
      content set, as SCORM 1.2 lets the LMS decide; a contradicted
      passed/failed is reported.
    - Otherwise in normal mode (credit or not) a status still
      "not attempted" becomes "completed". Review mode changes nothing.
    """
    new = dict(state)
    warnings: list[str] = []
    _add_session_time(new, warnings)
    _settle_status(new, warnings)
    return new, warnings


def is_complete(state: dict[str, str]) -> bool:
    """Whether the SCO is finished: passed, completed or failed. "browsed"
    is not complete, since a browse does not count as taking the lesson."""
    return state.get(STATUS, "") in COMPLETE_STATUSES


def _add_session_time(state: dict[str, str], warnings: list[str]) -> None:
    session = state.get(SESSION_TIME, "")
    if session == "":
        return
    total = state.get(TOTAL_TIME) or ZERO_TIMESPAN
    if not is_timespan(session) or not is_timespan(total):
        warnings.append(
            f"session_time {session!r} not added to total_time {total!r}:"
            " not a CMITimespan"
        )
        return
    state[TOTAL_TIME], clamped = add_timespans(total, session)
    if clamped:
        warnings.append(clamped)


def _settle_status(state: dict[str, str], warnings: list[str]) -> None:
    status = state.get(STATUS) or "not attempted"
    mode = state.get("cmi.core.lesson_mode") or "normal"
    if mode == "browse" and status == "not attempted":
        state[STATUS] = "browsed"
    if mode != "normal":
        return
    verdict = _mastery_verdict(state)
    if verdict is None:
        if status == "not attempted":
            state[STATUS] = "completed"
        return
    if status in ("passed", "failed") and status != verdict:
        warnings.append(
            f"lesson_status {status!r} set by content contradicts the mastery"
            f" score; set to {verdict!r}"
        )
    state[STATUS] = verdict


def _mastery_verdict(state: dict[str, str]) -> str | None:
    """passed/failed from the mastery score, or None when it does not apply.
    Compared exactly as decimals: the LMS decides this, not the browser."""
    if (state.get("cmi.core.credit") or "credit") != "credit":
        return None
    mastery = state.get("cmi.student_data.mastery_score", "")
    raw = state.get("cmi.core.score.raw", "")
    if not (mastery and raw and CMI_DECIMAL.is_valid(mastery) and CMI_DECIMAL.is_valid(raw)):
        return None
    return "passed" if Decimal(raw) >= Decimal(mastery) else "failed"
