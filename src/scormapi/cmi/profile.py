"""What a SCORM data-model version gives the rest of the service.

``store/``, ``ops/``, ``api/`` and ``console/`` never name an element of a
data model: they ask the courseware's profile
(``for_version(courseware.scorm_version)``) for what they need. A profile
holds the version's element rules (get, set, validate, the browser's
table), what a launch hands content, the session rules of the LMS (begin,
finish, leave, whether a session ended the attempt), the summary the typed
columns keep (both models' statuses, raw and scaled score, total seconds),
the browser adapter and format scripts, what an administrator's repair
(EditScormData) writes, refuses and warns about, the names a report shows,
and the mapping of another version's names.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import scorm12
from .engine import DataModel
from .outcomes import Outcome
from .scorm12 import repair as repair12
from .scorm12 import session as session12
from .scorm12.errors import describe as describe_12
from .scorm12.timespan import is_timespan, timespan_seconds
from .scorm12.types import CMI_DECIMAL, STATUS_VALUES
from .scorm2004 import elements as elements2004
from .scorm2004 import mapping as mapping2004
from .scorm2004 import navigation as navigation2004
from .scorm2004 import repair as repair2004
from .scorm2004 import session as session2004
from .scorm2004.duration import duration_seconds, is_duration
from .scorm2004.errors import describe as describe_2004

# The summary's status words, the same for every version (a profile maps
# its own model onto them): what the typed columns and the roll-up hold.
NOT_ATTEMPTED = "not attempted"
DONE = frozenset({"passed", "completed"})
FINISHED = DONE | {"failed"}


@dataclass(frozen=True)
class Summary:
    """What reports filter on, derived from a state: the typed columns.

    `lesson_status` is the one status word of both models in SCORM 1.2's words
    (what the roll-up and grading compare); `completion_status` and
    `success_status` are both models' statuses in SCORM 2004's words, and
    `score_scaled` the score on 2004's -1..1 scale.
    """

    lesson_status: str
    score_raw: float | None
    total_seconds: float
    completion_status: str = "unknown"
    success_status: str = "unknown"
    score_scaled: float | None = None


@dataclass(frozen=True)
class Launcher:
    """Who opens the SCO, how, and what its manifest says (by the
    courseware's own field names: mastery_score, data_from_lms, ...)."""

    student_id: str
    student_name: str
    credit: str
    lesson_mode: str
    manifest: Mapping[str, str]
    # The SCO launched and every SCO of its course in manifest order, for
    # what navigation can deliver (SCORM 2004's adl.nav.request_valid.*).
    sco_id: str = ""
    order: tuple[str, ...] = ()


# What one EditScormData field writes: each element with the conversion of
# the field's JSON value into that element's value. A conversion raises
# ValueError, saying why, for a value of the field it cannot map (the
# element's own check then never sees it). SCORM 1.2 writes one
# element per field; a version may write several (2004 splits a status into
# completion and success).
EditField = tuple[tuple[str, Callable[[Any], str]], ...]


@dataclass(frozen=True)
class Profile:
    version: str
    # The element table's engine, for questions about names.
    model: DataModel
    # The browser adapter that binds this version's run-time API, and the
    # scripts that register its types' format checks (loaded before it).
    adapter: str
    scripts: tuple[str, ...]
    get_value: Callable
    set_value: Callable
    validate_value: Callable
    # A name's rule (``engine.Resolved``), or the int error code saying why
    # the model has no such element.
    resolve: Callable
    table_json: Callable
    suspend_data_limit: int
    initial_state: Callable[[Launcher], dict[str, str]]
    begin_session: Callable[[dict[str, str], Launcher, bool], dict[str, str]]
    finish_session: Callable[[dict[str, str]], tuple[dict[str, str], list[str]]]
    leave_session: Callable[[dict[str, str]], dict[str, str]]
    is_complete: Callable[[dict[str, str]], bool]
    # Whether the session just ended closed the attempt, so that the next
    # launch begins a new one (SCORM 2004: any exit but suspend).
    ends_attempt: Callable[[dict[str, str]], bool]
    summary: Callable[[dict[str, str]], Summary]
    # The mode a session's state was launched in: normal, browse or review.
    mode_of: Callable[[dict[str, str]], str]
    # A run-time error number with its text, e.g. "405 Incorrect data type".
    describe: Callable[[int], str]
    # EditScormData's request fields this version gives a meaning to; a
    # field left out is refused for this version's courseware.
    edit_fields: Mapping[str, EditField]
    # An element's rule in words for an error message, given the
    # deployment's suspend_data limit: "at most 255 characters".
    describe_rule: Callable[[str, int], str]
    # Valid but suspicious results of an edit, from the state before and
    # after it (a status contradicting the mastery score, ...).
    edit_warnings: Callable[[Mapping[str, str], Mapping[str, str]], list[str]]
    # What a report shows of a SCO unless asked for more: its status, score,
    # total time and location, by this model's names.
    report_names: tuple[str, ...]
    # Whether a launch needs the course's SCOs in manifest order
    # (`Launcher.order`): only for a model content navigates in.
    navigates: bool
    # A name of another version's model answered through the documented
    # mapping, as (value, the elements it came from); None where there is
    # no counterpart.
    translate: Callable[[Mapping[str, str], str], tuple[str, str] | None]


# -- SCORM 1.2 -------------------------------------------------------------------

_STATUS = "cmi.core.lesson_status"
_SCORE_RAW = "cmi.core.score.raw"
_TOTAL_TIME = "cmi.core.total_time"
_ENTRY = "cmi.core.entry"
_EXIT = "cmi.core.exit"
# Manifest field → the read-only element it fills.
_MANIFEST_12 = {
    "data_from_lms": "cmi.launch_data",
    "mastery_score": "cmi.student_data.mastery_score",
    "max_time_allowed": "cmi.student_data.max_time_allowed",
    "time_limit_action": "cmi.student_data.time_limit_action",
}


def _manifest_value_12(field: str, manifest: Mapping[str, str]) -> str:
    """A manifest value the data model accepts, else "" (absent): a bad
    value from an old import must not make every read of the SCO fail."""
    value = manifest.get(field) or ""
    if value and scorm12.validate_value(_MANIFEST_12[field], value):
        return ""
    return value


def _context_12(launcher: Launcher) -> scorm12.LaunchContext:
    manifest = {field: _manifest_value_12(field, launcher.manifest) for field in _MANIFEST_12}
    return scorm12.LaunchContext(
        student_id=launcher.student_id,
        student_name=launcher.student_name,
        credit=launcher.credit,
        lesson_mode=launcher.lesson_mode,
        launch_data=manifest["data_from_lms"],
        mastery_score=manifest["mastery_score"],
        max_time_allowed=manifest["max_time_allowed"],
        time_limit_action=manifest["time_limit_action"],
    )


def _begin_12(state: dict[str, str], launcher: Launcher, first: bool) -> dict[str, str]:
    """A session's state; a first launch (an attempt never opened, or new)
    keeps the entry "ab-initio"."""
    began = session12.begin_session(state, _context_12(launcher), previous_exit=state.get(_EXIT, ""))
    if first and began[_ENTRY] != "resume":
        began[_ENTRY] = "ab-initio"
    return began


def _leave_12(state: dict[str, str]) -> dict[str, str]:
    """The learner left without LMSFinish: the time rule of finishing only;
    the status stays the content's, since it never said it finished."""
    settled, _ = session12.finish_session(state)
    return {**state, _TOTAL_TIME: settled[_TOTAL_TIME]}


def _summary_12(state: dict[str, str]) -> Summary:
    """A stored value that is not of its type (not expected, since every
    writer validates) reads as absent rather than failing the write."""
    raw = state.get(_SCORE_RAW, "")
    total = state.get(_TOTAL_TIME, "")
    status = state.get(_STATUS) or NOT_ATTEMPTED
    score = float(raw) if raw and CMI_DECIMAL.is_valid(raw) else None
    statuses = mapping2004.status_to_2004(status) if status in STATUS_VALUES else {}
    return Summary(
        lesson_status=status,
        score_raw=score,
        total_seconds=timespan_seconds(total) if is_timespan(total) else 0.0,
        completion_status=statuses.get(session2004.COMPLETION, "unknown"),
        success_status=statuses.get(session2004.SUCCESS, "unknown"),
        score_scaled=_scaled_12(state) if score is not None else None,
    )


def _scaled_12(state: dict[str, str]) -> float | None:
    """The 2004 scale of a 1.2 score, by the documented mapping (between
    score.min and score.max when both are set, else a hundredth of raw)."""
    try:
        return float(mapping2004.scaled_from_raw(
            state.get(_SCORE_RAW, ""), state.get("cmi.core.score.min", ""), state.get("cmi.core.score.max", "")))
    except ValueError:
        return None


SCORM12 = Profile(
    version="1.2",
    model=scorm12.MODEL,
    adapter="api12.js",
    scripts=(),
    get_value=scorm12.get_value,
    set_value=scorm12.set_value,
    validate_value=scorm12.validate_value,
    resolve=scorm12.resolve,
    table_json=scorm12.table_json,
    suspend_data_limit=scorm12.SUSPEND_DATA_LIMIT,
    initial_state=lambda launcher: scorm12.initial_state(_context_12(launcher)),
    begin_session=_begin_12,
    finish_session=session12.finish_session,
    leave_session=_leave_12,
    is_complete=session12.is_complete,
    # A 1.2 attempt ends only when finished: an incomplete one resumes.
    ends_attempt=lambda state: False,
    summary=_summary_12,
    mode_of=lambda state: state.get("cmi.core.lesson_mode") or "normal",
    describe=describe_12,
    edit_fields=repair12.EDIT_FIELDS,
    describe_rule=repair12.describe_rule,
    edit_warnings=repair12.edit_warnings,
    navigates=False,
    report_names=("cmi.core.lesson_status", "cmi.core.score.raw", "cmi.core.total_time", "cmi.core.lesson_location"),
    # SCORM 1.2 records answer only their own names.
    translate=lambda state, name: None,
)

# -- SCORM 2004 ------------------------------------------------------------------


def _localized(text: str) -> str:
    """A name as a localized_string_type that reads back whole: one that
    itself starts with a {lang=...} delimiter gets the default one first."""
    return f"{{lang=en}}{text}" if text.startswith("{lang=") else text


def _session_args(launcher: Launcher) -> dict:
    return {
        "learner_id": launcher.student_id,
        "learner_name": _localized(launcher.student_name),
        "credit": launcher.credit,
        "mode": launcher.lesson_mode,
        "manifest": launcher.manifest,
    }


def _navigation_2004(launcher: Launcher) -> dict[str, str]:
    """What navigation can deliver from the SCO, given as the LMS's values."""
    if launcher.sco_id not in launcher.order:
        return {}
    return navigation2004.request_valid(launcher.order, launcher.sco_id)


def _initial_2004(launcher: Launcher) -> dict[str, str]:
    return {**session2004.initial_state(**_session_args(launcher)), **_navigation_2004(launcher)}


def _begin_2004(state: dict[str, str], launcher: Launcher, first: bool) -> dict[str, str]:
    begun = session2004.begin_session(state, first=first, **_session_args(launcher))
    return {**begun, **_navigation_2004(launcher)}


def _summary_2004(state: dict[str, str]) -> Summary:
    raw = mapping2004.raw_from_2004(state)
    total = state.get(session2004.TOTAL_TIME, "")
    settled = session2004.evaluate(state)
    scaled = session2004.real_value(state.get(session2004.SCALED))
    return Summary(
        lesson_status=session2004.summary_status(state),
        score_raw=float(raw) if raw else None,
        total_seconds=duration_seconds(total) if is_duration(total) else 0.0,
        completion_status=settled.get(session2004.COMPLETION) or "unknown",
        success_status=settled.get(session2004.SUCCESS) or "unknown",
        score_scaled=float(scaled) if scaled is not None else None,
    )


SCORM2004 = Profile(
    version="2004",
    model=elements2004.MODEL,
    adapter="api2004.js",
    scripts=("types2004.js", "interactions2004.js"),
    get_value=elements2004.get_value,
    set_value=elements2004.set_value,
    validate_value=elements2004.validate_value,
    resolve=elements2004.resolve,
    table_json=elements2004.table_json,
    suspend_data_limit=elements2004.SUSPEND_DATA_LIMIT,
    initial_state=_initial_2004,
    begin_session=_begin_2004,
    finish_session=session2004.finish_session,
    leave_session=session2004.leave_session,
    is_complete=session2004.is_complete,
    ends_attempt=session2004.ends_attempt,
    summary=_summary_2004,
    mode_of=lambda state: state.get(session2004.MODE) or "normal",
    describe=describe_2004,
    edit_fields=repair2004.EDIT_FIELDS,
    describe_rule=repair2004.describe_rule,
    edit_warnings=repair2004.edit_warnings,
    navigates=True,
    report_names=("cmi.completion_status", "cmi.success_status", "cmi.score.raw", "cmi.total_time", "cmi.location"),
    translate=mapping2004.read_12_name,
)

_PROFILES = {"1.2": SCORM12, "2004": SCORM2004}
# Every scorm_version an import stores, each with a profile.
VERSIONS = tuple(_PROFILES)


def defines(profile: Profile, name: str) -> bool:
    """Whether ``name`` is a name of the profile's own data model, well
    formed or not ("cmi.objectives.01.id" is 2004's, with a bad index):
    only names it has no place for at all can be another version's."""
    return profile.model.resolve(name) not in (Outcome.UNDEFINED, Outcome.UNKNOWN_CHILD)


def answers(profile: Profile, name: str) -> bool:
    """Whether a read of ``name`` has a value to give: an element of the
    model, or one of another version's with a counterpart (``translate``)."""
    return defines(profile, name) or profile.translate({}, name) is not None


def for_version(scorm_version: str) -> Profile:
    """The profile of a courseware's ``scorm_version``; ValueError for one
    no import ever stores."""
    try:
        return _PROFILES[scorm_version]
    except KeyError:
        raise ValueError(f"no data-model profile for SCORM version {scorm_version!r}") from None
