"""The SCORM 1.2 data model: its table of element rules, run by the
version-neutral `engine`, and the LMS's launch values.

Every part of the service (run-time commits, admin edits, GetCmiData, the
browser adapter through `table_json`) applies the same rules from this
table. State is a flat dict from concrete element name to value (see
`engine`); the functions below answer with 1.2's error numbers, through
`errors.CODES`.
"""

from dataclasses import dataclass

from ..engine import KEYWORD_CHILDREN, KEYWORD_COUNT, KEYWORD_VERSION, DataModel, Element, Resolved
from ..outcomes import Outcome
from .errors import CODES, ERROR_STRINGS, ScormError
from .timespan import ZERO_TIMESPAN
from .types import TYPES

VERSION = "3.4"
# cmi.suspend_data's limit in the spec. Much real content writes more, so an
# operator may raise it (functions below take `suspend_data_limit`); values
# are never truncated, only accepted or refused.
SUSPEND_DATA_LIMIT = 4096

# What LMSGetValue("cmi._children") answers (see its row in ELEMENTS).
CMI_CHILDREN = "core,suspend_data,launch_data,comments,objectives,student_data,student_preference,interactions"


def _children(parent: str, names: str) -> Element:
    return Element(f"{parent}._children", "CMIString255", "RO", keyword=KEYWORD_CHILDREN, value=names)


def _count(array: str) -> Element:
    return Element(f"{array}._count", "CMIInteger", "RO", keyword=KEYWORD_COUNT)


def _score(parent: str) -> list[Element]:
    return [
        _children(f"{parent}.score", "raw,min,max"),
        Element(f"{parent}.score.raw", "CMIScore", "RW"),
        Element(f"{parent}.score.min", "CMIScore", "RW"),
        Element(f"{parent}.score.max", "CMIScore", "RW"),
    ]


ELEMENTS: tuple[Element, ...] = (
    Element("cmi._version", "CMIString255", "RO", keyword=KEYWORD_VERSION, value=VERSION),
    # Not in SCORM 1.2's table, but content asks for it. The answer is the
    # one Moodle and scorm-again give, word for word, so content written
    # against them sees the same string: the categories, without _version
    # or comments_from_lms (which still read by name).
    _children("cmi", CMI_CHILDREN),
    _children(
        "cmi.core",
        "student_id,student_name,lesson_location,credit,lesson_status,entry,score,"
        "total_time,lesson_mode,exit,session_time",
    ),
    Element("cmi.core.student_id", "CMIIdentifier", "RO"),
    Element("cmi.core.student_name", "CMIString255", "RO"),
    Element("cmi.core.lesson_location", "CMIString255", "RW"),
    Element("cmi.core.credit", "CMIVocabulary.credit", "RO"),
    Element(
        "cmi.core.lesson_status",
        "CMIVocabulary.status",
        "RW",
        content_excluded=("not attempted",),
    ),
    Element("cmi.core.entry", "CMIVocabulary.entry", "RO"),
    *_score("cmi.core"),
    Element("cmi.core.total_time", "CMITimespan", "RO"),
    Element("cmi.core.lesson_mode", "CMIVocabulary.mode", "RO"),
    Element("cmi.core.exit", "CMIVocabulary.exit", "WO"),
    Element("cmi.core.session_time", "CMITimespan", "WO"),
    Element("cmi.suspend_data", "CMIString4096", "RW", operator_limit=True),
    Element("cmi.launch_data", "CMIString4096", "RO"),
    # Stored as set, not appended as Moodle does: a retried commit would
    # otherwise duplicate the text.
    Element("cmi.comments", "CMIString4096", "RW"),
    Element("cmi.comments_from_lms", "CMIString4096", "RO"),
    _children("cmi.objectives", "id,score,status"),
    _count("cmi.objectives"),
    Element("cmi.objectives.n.id", "CMIIdentifier", "RW"),
    *_score("cmi.objectives.n"),
    Element("cmi.objectives.n.status", "CMIVocabulary.status", "RW"),
    _children("cmi.student_data", "mastery_score,max_time_allowed,time_limit_action"),
    Element("cmi.student_data.mastery_score", "CMIDecimal", "RO"),
    Element("cmi.student_data.max_time_allowed", "CMITimespan", "RO"),
    Element("cmi.student_data.time_limit_action", "CMIVocabulary.time_limit_action", "RO"),
    _children("cmi.student_preference", "audio,language,speed,text"),
    Element("cmi.student_preference.audio", "CMIAudio", "RW"),
    Element("cmi.student_preference.language", "CMIString255", "RW"),
    Element("cmi.student_preference.speed", "CMISpeed", "RW"),
    Element("cmi.student_preference.text", "CMIText", "RW"),
    _children(
        "cmi.interactions",
        "id,objectives,time,type,correct_responses,weighting,student_response,result,latency",
    ),
    _count("cmi.interactions"),
    Element("cmi.interactions.n.id", "CMIIdentifier", "WO"),
    _count("cmi.interactions.n.objectives"),
    Element("cmi.interactions.n.objectives.n.id", "CMIIdentifier", "WO"),
    Element("cmi.interactions.n.time", "CMITime", "WO"),
    Element("cmi.interactions.n.type", "CMIVocabulary.interaction_type", "WO"),
    _count("cmi.interactions.n.correct_responses"),
    Element("cmi.interactions.n.correct_responses.n.pattern", "CMIFeedback", "WO"),
    Element("cmi.interactions.n.weighting", "CMIDecimal", "WO"),
    Element("cmi.interactions.n.student_response", "CMIFeedback", "WO"),
    Element("cmi.interactions.n.result", "CMIVocabulary.result", "WO"),
    Element("cmi.interactions.n.latency", "CMITimespan", "WO"),
)

MODEL = DataModel(ELEMENTS, TYPES)


def resolve(name: str) -> Resolved | ScormError:
    """The rule for a concrete element name, or the ScormError naming why
    there is none: 401 outside the model, 201 for an unknown element under
    a known one below `cmi` or a malformed index, 202/203 for `_children` /
    `_count` of an element without it (`names.PatternTree.match` says which
    is which). Array bounds need the state and are checked by
    `get_value`/`set_value`."""
    resolved = MODEL.resolve(name)
    return CODES[resolved] if isinstance(resolved, Outcome) else resolved


def item_count(state: dict[str, str], array: str) -> int:
    """The `_count` of a concrete array name ("cmi.interactions",
    "cmi.interactions.0.objectives"); ValueError for a name that is not one
    (see `DataModel.item_count`)."""
    return MODEL.item_count(state, array)


def get_value(
    state: dict[str, str], name: str, *, as_lms: bool = False
) -> tuple[str, ScormError]:
    """LMSGetValue over a state: (value, NO_ERROR) or ("", the error).

    Checks run in this order: the name (401/201/202/203), the array items it
    indexes must exist (201), keywords answer from the table or the state,
    write-only elements refuse content (404; the LMS reads everything it
    stores). An element without a stored value reads as "".
    """
    value, outcome = MODEL.get_value(state, name, as_lms=as_lms)
    return value, CODES[outcome]


def validate_value(
    name: str, value: str, *, suspend_data_limit: int = SUSPEND_DATA_LIMIT
) -> ScormError:
    """Whether `value` may be stored in `name` as far as its type goes.

    Name errors are returned as `resolve` reports them; a keyword is 402
    because no value can be set on it; a non-str value is 405. Access and
    the content-only rules are `set_value`'s business, so an LMS edit can be
    validated with this alone.
    """
    return CODES[MODEL.validate_value(name, value, operator_max_length=suspend_data_limit)]


def set_value(
    state: dict[str, str],
    name: str,
    value: str,
    *,
    as_lms: bool = False,
    suspend_data_limit: int = SUSPEND_DATA_LIMIT,
) -> ScormError:
    """LMSSetValue over a state; stores the value only when NO_ERROR.

    Checks run in this order: the name (401/201/202/203), keyword (402),
    read-only for content (403), array indexes n <= _count (201), the value's
    type (405; a non-str value is 405 too, the caller converts numbers), and
    for content a value only the LMS may set (lesson_status
    "not attempted": 405).
    """
    outcome = MODEL.set_value(
        state, name, value, as_lms=as_lms, operator_max_length=suspend_data_limit
    )
    return CODES[outcome]


def table_json(*, suspend_data_limit: int = SUSPEND_DATA_LIMIT) -> dict:
    """Everything a browser validator needs to apply the same rules (see
    `DataModel.table_json`), with the version, the error texts and the
    number of each engine outcome (`errors.CODES`, by `Outcome` name: the
    browser's rules answer outcomes, the 1.2 binding shows these numbers)."""
    return {
        "version": VERSION,
        **MODEL.table_json(operator_max_length=suspend_data_limit),
        "errors": {str(code): text for code, text in sorted(ERROR_STRINGS.items())},
        "error_codes": {outcome.name: int(CODES[outcome]) for outcome in Outcome},
    }


@dataclass(frozen=True)
class LaunchContext:
    """What the LMS knows about a learner and a SCO when it launches it.

    Values are validated on construction (ValueError naming every bad field)
    because content would otherwise read data the model calls invalid.
    """

    student_id: str
    student_name: str
    credit: str = "credit"
    lesson_mode: str = "normal"
    launch_data: str = ""
    mastery_score: str = ""
    max_time_allowed: str = ""
    time_limit_action: str = ""
    comments_from_lms: str = ""

    def __post_init__(self) -> None:
        bad = [name for name, value in launch_values(self).items() if validate_value(name, value)]
        if bad:
            raise ValueError(f"invalid launch values: {', '.join(bad)}")


# Launch values stored even when empty; the student_data ones are stored only
# when the manifest gives them, so an absent mastery score stays absent.
_ALWAYS_SET = (
    "cmi.core.student_id",
    "cmi.core.student_name",
    "cmi.core.credit",
    "cmi.core.lesson_mode",
    "cmi.launch_data",
    "cmi.comments_from_lms",
)


def _context_values(ctx: LaunchContext) -> dict[str, str]:
    return {
        "cmi.core.student_id": ctx.student_id,
        "cmi.core.student_name": ctx.student_name,
        "cmi.core.credit": ctx.credit,
        "cmi.core.lesson_mode": ctx.lesson_mode,
        "cmi.launch_data": ctx.launch_data,
        "cmi.comments_from_lms": ctx.comments_from_lms,
        "cmi.student_data.mastery_score": ctx.mastery_score,
        "cmi.student_data.max_time_allowed": ctx.max_time_allowed,
        "cmi.student_data.time_limit_action": ctx.time_limit_action,
    }


def launch_values(ctx: LaunchContext) -> dict[str, str]:
    """The read-only values the LMS takes from the launch context."""
    return {
        name: value
        for name, value in _context_values(ctx).items()
        if value != "" or name in _ALWAYS_SET
    }


def initial_state(ctx: LaunchContext) -> dict[str, str]:
    """The state of a SCO's first launch."""
    return {
        **launch_values(ctx),
        "cmi.core.lesson_status": "not attempted",
        "cmi.core.entry": "ab-initio",
        "cmi.core.total_time": ZERO_TIMESPAN,
    }
