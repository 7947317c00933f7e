"""The SCORM 2004 4th edition data model: its table of element rules, run
by the version-neutral `engine`, and the functions that answer with 2004's
error numbers (`errors.GET_CODES` for reads, `SET_CODES` for writes).

Every part of the service applies the same rules from this table: the
run-time commits, the admin edits, GetCmiData's lookups and, through
`table_json`, the browser adapter (api2004.js).

The 4th edition's shared data (`adl.data.*`) is in the table but always
empty: it needs `adlcp:data` maps this LMS does not import.
"""

from ..engine import KEYWORD_CHILDREN, KEYWORD_COUNT, KEYWORD_VERSION, DataModel, Element, Evaluation, Resolved
from ..outcomes import Outcome
from . import interactions, types
from .errors import ERROR_STRINGS, GET_CODES, SET_CODES, ScormError

VERSION = "1.0"
# cmi.suspend_data's SPM. The operator may raise it (`suspend_data_limit`),
# never lower it: a deployment set to SCORM 1.2's strict 4096 still gives
# 2004 content the 64000 its standard promises.
SUSPEND_DATA_LIMIT = 64000


def suspend_data_max(operator_limit: int) -> int:
    """cmi.suspend_data's limit under the operator's setting."""
    return max(operator_limit, SUSPEND_DATA_LIMIT)

_INTERACTION = "cmi.interactions.n"


def _children(parent: str, names: str) -> Element:
    return Element(f"{parent}._children", "characterstring250", "RO", keyword=KEYWORD_CHILDREN, value=names)


def _count(array: str) -> Element:
    return Element(f"{array}._count", "integer", "RO", keyword=KEYWORD_COUNT)


def _comments(array: str, access: str) -> list[Element]:
    return [
        _children(array, "comment,location,timestamp"),
        _count(array),
        Element(f"{array}.n.comment", "localized_string4000", access),
        Element(f"{array}.n.location", "characterstring250", access),
        Element(f"{array}.n.timestamp", "time", access),
    ]


def _score(parent: str, requires: str | None = None) -> list[Element]:
    return [
        _children(f"{parent}.score", "scaled,raw,min,max"),
        Element(f"{parent}.score.scaled", "real_-1_1", "RW", requires=requires),
        Element(f"{parent}.score.raw", "real", "RW", requires=requires),
        Element(f"{parent}.score.min", "real", "RW", requires=requires),
        Element(f"{parent}.score.max", "real", "RW", requires=requires),
    ]


def _of_interaction(leaf: str, type_name: str, requires: str = f"{_INTERACTION}.id", **rules) -> Element:
    """An element of an interaction; all but the id need the id first."""
    return Element(f"{_INTERACTION}.{leaf}", type_name, "RW", requires=requires, **rules)


_INTERACTIONS = [
    _children(
        "cmi.interactions",
        "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description",
    ),
    _count("cmi.interactions"),
    Element(f"{_INTERACTION}.id", "long_identifier", "RW"),
    # Another type makes the responses recorded for the old one meaningless.
    _of_interaction(
        "type", "state.interaction_type",
        clears=(f"{_INTERACTION}.correct_responses", f"{_INTERACTION}.learner_response"),
    ),
    _count(f"{_INTERACTION}.objectives"),
    _of_interaction("objectives.n.id", "long_identifier", unique=True),
    _of_interaction("timestamp", "time"),
    _count(f"{_INTERACTION}.correct_responses"),
    _of_interaction(
        "correct_responses.n.pattern", "pattern", requires=f"{_INTERACTION}.type", type_by=f"{_INTERACTION}.type",
        unique_by=tuple(sorted(interactions.UNIQUE_PATTERN_TYPES)),
        limit_by=tuple(sorted(interactions.PATTERN_MAX.items())),
    ),
    _of_interaction("weighting", "real"),
    _of_interaction("learner_response", "response", requires=f"{_INTERACTION}.type", type_by=f"{_INTERACTION}.type"),
    _of_interaction("result", "state.result"),
    _of_interaction("latency", "timeinterval"),
    _of_interaction("description", "localized_string250"),
]

_OBJECTIVE_ID = "cmi.objectives.n.id"
_OBJECTIVES = [
    _children("cmi.objectives", "id,score,success_status,completion_status,progress_measure,description"),
    _count("cmi.objectives"),
    # Sequencing refers to an objective by its id, so it never changes.
    Element(_OBJECTIVE_ID, "long_identifier", "RW", unique=True, write_once=True),
    *_score("cmi.objectives.n", requires=_OBJECTIVE_ID),
    # "unknown" from the moment the objective exists (its id is set).
    Element("cmi.objectives.n.success_status", "state.success_status", "RW", requires=_OBJECTIVE_ID, default="unknown"),
    Element(
        "cmi.objectives.n.completion_status", "state.completion_status", "RW", requires=_OBJECTIVE_ID,
        default="unknown",
    ),
    Element("cmi.objectives.n.progress_measure", "real_0_1", "RW", requires=_OBJECTIVE_ID),
    Element("cmi.objectives.n.description", "localized_string250", "RW", requires=_OBJECTIVE_ID),
]

# The LMS answers these from the manifest's thresholds whatever content set.
COMPLETION = Evaluation("cmi.completion_threshold", "cmi.progress_measure", "completed", "incomplete", "unknown")
SUCCESS = Evaluation("cmi.scaled_passing_score", "cmi.score.scaled", "passed", "failed", "unknown")

# The 4th edition's shared data stores. Their content comes from the
# manifest's adlcp:data maps, which this LMS does not import (the import
# warns), so the array is always empty: reads past it fail as for any array.
_SHARED_DATA = [
    _children("adl.data", "id,store"),
    _count("adl.data"),
    Element("adl.data.n.id", "long_identifier", "RO"),
    Element("adl.data.n.store", "characterstring64000", "RW", requires="adl.data.n.id"),
]

_NAVIGATION = [
    Element("adl.nav.request", "state.nav_request", "RW"),
    # The player stores its answers at launch (navigation.request_valid);
    # a target it did not list is no item it can deliver.
    Element("adl.nav.request_valid.continue", "state.request_valid", "RO", default="unknown"),
    Element("adl.nav.request_valid.previous", "state.request_valid", "RO", default="unknown"),
    Element("adl.nav.request_valid.choice.{target}", "state.request_valid", "RO", default="false"),
    Element("adl.nav.request_valid.jump.{target}", "state.request_valid", "RO", default="false"),
]

ELEMENTS: tuple[Element, ...] = (
    Element("cmi._version", "characterstring250", "RO", keyword=KEYWORD_VERSION, value=VERSION),
    *_comments("cmi.comments_from_learner", "RW"),
    *_comments("cmi.comments_from_lms", "RO"),
    Element("cmi.completion_status", "state.completion_status", "RW", evaluated=COMPLETION),
    Element("cmi.completion_threshold", "real_0_1", "RO"),
    Element("cmi.credit", "state.credit", "RO"),
    Element("cmi.entry", "state.entry", "RO"),
    Element("cmi.exit", "state.exit", "WO"),
    *_INTERACTIONS,
    Element("cmi.launch_data", "characterstring4000", "RO"),
    Element("cmi.learner_id", "long_identifier", "RO"),
    Element("cmi.learner_name", "localized_string250", "RO"),
    _children("cmi.learner_preference", "audio_level,language,delivery_speed,audio_captioning"),
    Element("cmi.learner_preference.audio_level", "real_ge_0", "RW"),
    Element("cmi.learner_preference.language", "language_or_blank", "RW"),
    Element("cmi.learner_preference.delivery_speed", "real_ge_0", "RW"),
    Element("cmi.learner_preference.audio_captioning", "state.audio_captioning", "RW"),
    Element("cmi.location", "characterstring1000", "RW"),
    Element("cmi.max_time_allowed", "timeinterval", "RO"),
    Element("cmi.mode", "state.mode", "RO"),
    *_OBJECTIVES,
    Element("cmi.progress_measure", "real_0_1", "RW"),
    Element("cmi.scaled_passing_score", "real_-1_1", "RO"),
    *_score("cmi"),
    Element("cmi.session_time", "timeinterval", "WO"),
    Element("cmi.success_status", "state.success_status", "RW", evaluated=SUCCESS),
    Element("cmi.suspend_data", "characterstring64000", "RW", operator_limit=True),
    Element("cmi.time_limit_action", "state.time_limit_action", "RO"),
    Element("cmi.total_time", "timeinterval", "RO"),
    *_SHARED_DATA,
    *_NAVIGATION,
)

# No cmi._children or cmi._count in 2004: both are undefined names (401).
MODEL = DataModel(ELEMENTS, {**types.TYPES, **interactions.TYPES}, access_last=True, root_keywords=False)


def resolve(name: str) -> Resolved | ScormError:
    """The rule for a concrete element name, or the SetValue error naming
    why there is none (401, or 351 for a malformed index)."""
    resolved = MODEL.resolve(name)
    return SET_CODES[resolved] if isinstance(resolved, Outcome) else resolved


def item_count(state: dict[str, str], array: str) -> int:
    """The `_count` of a concrete array name (see `DataModel.item_count`)."""
    return MODEL.item_count(state, array)


def get_value(state: dict[str, str], name: str, *, as_lms: bool = False) -> tuple[str, ScormError]:
    """GetValue over a state: (value, NO_ERROR) or ("", the error). An
    element never set and without a default is 403 to content and "" to
    the LMS; the evaluated statuses answer from their thresholds (see
    `COMPLETION`, `SUCCESS`)."""
    value, outcome = MODEL.get_value(state, name, as_lms=as_lms)
    if as_lms and outcome is Outcome.VALUE_NOT_INITIALIZED:
        # The LMS reading its own records: nothing stored reads as "".
        return value, ScormError.NO_ERROR
    return value, GET_CODES[outcome]


def validate_value(
    name: str, value: str, *, suspend_data_limit: int = SUSPEND_DATA_LIMIT, state: dict[str, str] | None = None
) -> ScormError:
    """Whether `value` may be stored in `name` as far as its type goes, with
    SetValue's numbers; an interaction's responses are checked against the
    interaction's type in `state`."""
    limit = suspend_data_max(suspend_data_limit)
    return SET_CODES[MODEL.validate_value(name, value, operator_max_length=limit, state=state)]


def set_value(
    state: dict[str, str],
    name: str,
    value: str,
    *,
    as_lms: bool = False,
    suspend_data_limit: int = SUSPEND_DATA_LIMIT,
) -> ScormError:
    """SetValue over a state; stores the value only when NO_ERROR. Checks run
    in SCORM 2004's order: the name (401), the array index and limit (351),
    the dependency (408), uniqueness and write-once (351), read-only or
    keyword (404), the value's type (406) and range (407)."""
    limit = suspend_data_max(suspend_data_limit)
    outcome = MODEL.set_value(state, name, value, as_lms=as_lms, operator_max_length=limit)
    return SET_CODES[outcome]


def table_json(*, suspend_data_limit: int = SUSPEND_DATA_LIMIT) -> dict:
    """Everything a browser validator needs (see `DataModel.table_json`), with
    the version, the error texts and each outcome's numbers: `error_codes`
    for SetValue, `get_error_codes` for GetValue."""
    return {
        "version": VERSION,
        **MODEL.table_json(operator_max_length=suspend_data_max(suspend_data_limit)),
        "errors": {str(code): text for code, text in sorted(ERROR_STRINGS.items())},
        "error_codes": {outcome.name: int(SET_CODES[outcome]) for outcome in Outcome},
        "get_error_codes": {outcome.name: int(GET_CODES[outcome]) for outcome in Outcome},
    }
