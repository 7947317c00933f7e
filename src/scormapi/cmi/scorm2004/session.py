"""The run-time rules the LMS owns around a SCORM 2004 session: what a launch
hands the SCO, which statuses the LMS evaluates itself, what Terminate
settles, whether the attempt stays open, and the one status word reports
keep.

Pure functions over the flat state of the 2004 data model (element name ->
value); each returns a new dict and leaves its argument untouched, so a
caller can compare old and new values (for the audit trail) or drop the
result.
"""

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from ..outcomes import Outcome
from . import elements
from .duration import ZERO_DURATION, add_durations, duration_centiseconds, is_duration
from .types import REAL_PATTERN

COMPLETION = "cmi.completion_status"
SUCCESS = "cmi.success_status"
PROGRESS = "cmi.progress_measure"
THRESHOLD = "cmi.completion_threshold"
SCALED = "cmi.score.scaled"
PASSING = "cmi.scaled_passing_score"
SESSION_TIME = "cmi.session_time"
TOTAL_TIME = "cmi.total_time"
ENTRY = "cmi.entry"
EXIT = "cmi.exit"
MODE = "cmi.mode"
NAV_REQUEST = "adl.nav.request"
NO_REQUEST = "_none_"
DEFAULT_TIME_LIMIT_ACTION = "continue,no message"

# The status words of the summary, shared with SCORM 1.2's: what the typed
# columns and the roll-up hold.
NOT_ATTEMPTED = "not attempted"
BROWSED = "browsed"
COMPLETE_STATUSES = frozenset({"passed", "completed", "failed"})

CREDITS = ("credit", "no-credit")
MODES = ("browse", "normal", "review")

# Manifest field -> the read-only element it fills (absent when the
# manifest has no value or the model refuses it).
MANIFEST_ELEMENTS = {
    "data_from_lms": "cmi.launch_data",
    "completion_threshold": THRESHOLD,
    "scaled_passing_score": PASSING,
    "max_time_allowed": "cmi.max_time_allowed",
    "time_limit_action": "cmi.time_limit_action",
}
OBJECTIVE_IDS = "objective_ids"
NO_MANIFEST: Mapping[str, str] = MappingProxyType({})

# The values a new attempt starts from besides the launch values (§3).
INITIAL_VALUES = {
    COMPLETION: "unknown",
    SUCCESS: "unknown",
    TOTAL_TIME: ZERO_DURATION,
    "cmi.learner_preference.audio_level": "1",
    "cmi.learner_preference.language": "",
    "cmi.learner_preference.delivery_speed": "1",
    "cmi.learner_preference.audio_captioning": "0",
    NAV_REQUEST: NO_REQUEST,
}
_OBJECTIVE_INITIAL = {"success_status": "unknown", "completion_status": "unknown"}

# Written by content for one session only.
_SESSION_ONLY = (SESSION_TIME, EXIT)

# real(10,7) as the model writes it, in [0-9] so that other scripts' digits
# (which Decimal would read) are not numbers here either.
_REAL = re.compile(REAL_PATTERN)
_OBJECTIVE_NAME = re.compile(r"cmi\.objectives\.([0-9]+)\.(id|success_status|completion_status)")


def real_value(text: object) -> Decimal | None:
    """A stored real(10,7) as an exact Decimal, None when it is not one."""
    if not isinstance(text, str) or _REAL.fullmatch(text) is None:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _accepts(name: str, value: str) -> bool:
    return elements.MODEL.validate_value(name, value) is Outcome.OK


def _manifest_values(manifest: Mapping[str, str]) -> dict[str, str]:
    """The manifest's values the model accepts. A bad value from an old
    import is left out rather than making every read of the SCO fail; a
    time_limit_action left out falls back to its default."""
    values: dict[str, str] = {}
    for field, name in MANIFEST_ELEMENTS.items():
        value = manifest.get(field) or ""
        if value and _accepts(name, value):
            values[name] = value
    values.setdefault("cmi.time_limit_action", DEFAULT_TIME_LIMIT_ACTION)
    return values


def manifest_objective_ids(manifest: Mapping[str, str]) -> list[str]:
    """The manifest's objective ids in order: space separated (an id is a
    URI and holds no blank), each kept once, refused ids left out."""
    ids: list[str] = []
    for objective_id in (manifest.get(OBJECTIVE_IDS) or "").split():
        if objective_id not in ids and _accepts("cmi.objectives.0.id", objective_id):
            ids.append(objective_id)
    return ids


def launch_values(
    *,
    learner_id: str,
    learner_name: str,
    credit: str = "credit",
    mode: str = "normal",
    manifest: Mapping[str, str] = NO_MANIFEST,
) -> dict[str, str]:
    """The read-only values the LMS gives every session of a SCO.

    The learner's id and name are the account's, stored as given. credit
    and mode are the LMS's choice; ValueError for a token outside their
    vocabulary, since that is a caller's mistake, not content's.
    """
    if credit not in CREDITS or mode not in MODES:
        raise ValueError(f"invalid launch values: credit {credit!r}, mode {mode!r}")
    return {
        "cmi.learner_id": learner_id,
        "cmi.learner_name": learner_name,
        "cmi.credit": credit,
        MODE: mode,
        **_manifest_values(manifest),
    }


def initial_state(
    *,
    learner_id: str,
    learner_name: str,
    credit: str = "credit",
    mode: str = "normal",
    manifest: Mapping[str, str] = NO_MANIFEST,
) -> dict[str, str]:
    """The state of the first session of a new attempt: the launch values,
    the initial values of §3, entry "ab-initio", and one objective record
    (id, success and completion "unknown") per manifest objective id."""
    state = {
        **launch_values(learner_id=learner_id, learner_name=learner_name, credit=credit, mode=mode, manifest=manifest),
        **INITIAL_VALUES,
        ENTRY: "ab-initio",
    }
    return _with_objectives(state, manifest_objective_ids(manifest))


def _with_objectives(state: dict[str, str], ids: list[str]) -> dict[str, str]:
    """`state` with a record appended for each id no objective has yet."""
    count = elements.MODEL.item_count(state, "cmi.objectives")
    present = {state[f"cmi.objectives.{n}.id"] for n in range(count)}
    for objective_id in (i for i in ids if i not in present):
        state[f"cmi.objectives.{count}.id"] = objective_id
        for leaf, value in _OBJECTIVE_INITIAL.items():
            state[f"cmi.objectives.{count}.{leaf}"] = value
        count += 1
    return state


def was_suspended(state: Mapping[str, str]) -> bool:
    """Whether the last session suspended: cmi.exit "suspend", or an
    adl.nav.request "suspendAll" whatever the exit (CTS DMB)."""
    return state.get(EXIT) == "suspend" or state.get(NAV_REQUEST) == "suspendAll"


def begin_session(
    state: dict[str, str],
    *,
    learner_id: str,
    learner_name: str,
    credit: str = "credit",
    mode: str = "normal",
    manifest: Mapping[str, str] = NO_MANIFEST,
    first: bool,
) -> dict[str, str]:
    """The state a session of the attempt in `state` starts from.

    entry is "resume" after a suspended session (`was_suspended`), else
    "ab-initio" when `first` (the attempt's first session) and "" for other
    re-entries; a suspend wins over `first` because the suspended data is
    what the SCO gets. Everything content stored is kept; session_time and
    exit are cleared and adl.nav.request is back to "_none_"; the read-only
    launch values are refreshed (a value the manifest no longer gives
    disappears); missing initial values and manifest objectives are added.
    Whether a relaunch starts a new attempt instead (`initial_state`) is the
    caller's choice, see `ends_attempt`.
    """
    fresh = launch_values(learner_id=learner_id, learner_name=learner_name, credit=credit, mode=mode, manifest=manifest)
    stale = set(MANIFEST_ELEMENTS.values()) | set(_SESSION_ONLY)
    began = {name: value for name, value in state.items() if name not in stale}
    began.update(fresh)
    for name, value in INITIAL_VALUES.items():
        began.setdefault(name, value)
    if was_suspended(state):
        began[ENTRY] = "resume"
    else:
        began[ENTRY] = "ab-initio" if first else ""
    began[NAV_REQUEST] = NO_REQUEST
    return _with_objectives(began, manifest_objective_ids(manifest))


def evaluate(state: Mapping[str, str]) -> dict[str, str]:
    """The statuses the LMS answers instead of the SCO's (§7 "On GetValue"):
    with a completion_threshold, completion_status follows progress_measure;
    with a scaled_passing_score, success_status follows score.scaled."""
    new = dict(state)
    # The rules GetValue answers by, on the server and in the browser.
    for element, rule in ((COMPLETION, elements.COMPLETION), (SUCCESS, elements.SUCCESS)):
        evaluated = rule.value(state)
        if evaluated is not None:
            new[element] = evaluated
    return new


def finish_session(state: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """What Terminate (or the learner leaving) settles: the new state and
    warnings about what the LMS skipped or overrode.

    - The last session_time is added to total_time. session_time stays
      stored (reports show it), so call this once per session.
    - Statuses are evaluated (`evaluate`); a status the content set that
      the evaluation contradicts is reported ("unknown" is not a claim).
    - No status is invented: in browse mode the summary reads "browsed"
      (`summary_status`), not the data model, since 2004's vocabulary has
      no such word; a status left "unknown" stays so, as 2004 has the SCO,
      not the LMS, say it completed. The rules apply in every mode and
      credit, as GetValue answers evaluated statuses whatever they are.
    """
    new = dict(state)
    # Content that set no exit ended with "": stored, so the attempt reads as
    # ended (`ends_attempt`) rather than as a session still open.
    new.setdefault(EXIT, "")
    warnings: list[str] = []
    _add_session_time(new, warnings)
    settled = evaluate(new)
    for name, measure, limit in ((COMPLETION, PROGRESS, THRESHOLD), (SUCCESS, SCALED, PASSING)):
        claimed = new.get(name, "unknown")
        if claimed != "unknown" and claimed != settled.get(name, "unknown"):
            warnings.append(
                f"{name} {claimed!r} set by content contradicts {measure} {new.get(measure, '(unset)')!r}"
                f" against {limit} {new[limit]!r}; set to {settled[name]!r}"
            )
    return settled, warnings


def leave_session(state: Mapping[str, str]) -> dict[str, str]:
    """The learner left without Terminate: only the time rule of finishing
    (session_time added to total_time); the stored statuses stay the
    content's, since it never said it finished (GetValue and the summary
    evaluate them anyway). A session content never said how to end (no
    cmi.exit) counts as suspended, so a closed tab never costs the learner
    the attempt (`ends_attempt`)."""
    left = dict(state)
    _add_session_time(left, [])
    if not left.get(EXIT):
        left[EXIT] = "suspend"
    return left


def _add_session_time(state: dict[str, str], warnings: list[str]) -> None:
    session = state.get(SESSION_TIME, "")
    if session == "":
        return
    total = state.get(TOTAL_TIME) or ZERO_DURATION
    if not is_duration(session) or not is_duration(total):
        warnings.append(f"session_time {session!r} not added to total_time {total!r}: not a timeinterval")
        return
    state[TOTAL_TIME] = add_durations(total, session)


# The requests after which the attempt ends whatever cmi.exit says: they end
# the SCO (abandon) or the whole course (exitAll, abandonAll) without
# keeping it for a later resume.
_ENDING_REQUESTS = frozenset({"exitAll", "abandon", "abandonAll"})


def ends_attempt(state: Mapping[str, str]) -> bool:
    """Whether the session in `state` ends its attempt (§7): not after a
    suspendAll request or cmi.exit "suspend", unless the request ends the
    SCO or course outright (exitAll, abandon, abandonAll); yes after any
    other exit ("normal", "", "time-out", deprecated "logout"). Finishing
    and leaving always store cmi.exit (`finish_session`, `leave_session`),
    so a state without one is a session still open."""
    if EXIT not in state:
        # No session ended here: a launch began one (and cleared the exit)
        # that never finished or left, so the attempt stays open.
        return False
    request = state.get(NAV_REQUEST, NO_REQUEST)
    if request == "suspendAll":
        return False
    if request in _ENDING_REQUESTS:
        return True
    return state[EXIT] != "suspend"


def _counts_as_content_data(name: str, value: str) -> bool:
    """Whether a stored value shows the SCO ran: anything beyond what the
    LMS provides (launch and initial values, navigation, preferences,
    comments from the LMS, manifest objectives still "unknown")."""
    if name == TOTAL_TIME:
        return is_duration(value) and duration_centiseconds(value) > 0
    if name in INITIAL_VALUES or name in (ENTRY, MODE, "cmi.credit", "cmi.learner_id", "cmi.learner_name"):
        return False
    if name in MANIFEST_ELEMENTS.values() or name.startswith(("adl.nav.", "cmi.learner_preference.", "cmi.comments_from_lms.")):
        return False
    objective = _OBJECTIVE_NAME.fullmatch(name)
    return objective is None or (objective.group(2) != "id" and value != "unknown")


def has_content_data(state: Mapping[str, str]) -> bool:
    return any(_counts_as_content_data(name, value) for name, value in state.items())


def summary_status(state: Mapping[str, str]) -> str:
    """The one status word reports and roll-up keep, in SCORM 1.2's
    vocabulary (§8's convention, applied to the evaluated statuses):
    success "passed"/"failed" wins; then completion "completed"; in browse
    mode anything else is "browsed"; then "incomplete" or "not attempted"
    as completion says; "unknown" reads "incomplete" when the SCO stored
    anything (`has_content_data`), else "not attempted"."""
    settled = evaluate(state)
    success = settled.get(SUCCESS, "unknown")
    if success in ("passed", "failed"):
        return success
    completion = settled.get(COMPLETION, "unknown")
    if completion == "completed":
        return completion
    if settled.get(MODE) == "browse":
        return BROWSED
    if completion in ("incomplete", NOT_ATTEMPTED):
        return completion
    return "incomplete" if has_content_data(settled) else NOT_ATTEMPTED


def is_complete(state: Mapping[str, str]) -> bool:
    """Whether the SCO is finished: passed, completed or failed. "browsed"
    is not complete, since a browse does not count as taking the lesson."""
    return summary_status(state) in COMPLETE_STATUSES
