"""The SCORM 1.2 data model as one table of element rules, and the get/set
logic every part of the service (run-time commits, admin edits, GetCmiData,
the browser adapter through `table_json`) applies from it.

State is a flat dict from concrete element name to value, e.g.
{"cmi.core.lesson_status": "incomplete", "cmi.interactions.0.id": "q1"}.
Array counts are never stored: `_count` is derived from the keys present.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .errors import ERROR_STRINGS, ScormError
from .timespan import ZERO_TIMESPAN
from .types import TYPES

VERSION = "3.4"
# cmi.suspend_data's limit in the spec. Much real content writes more, so an
# operator may raise it (functions below take `suspend_data_limit`); values
# are never truncated, only accepted or refused.
SUSPEND_DATA_LIMIT = 4096
INDEX = "n"  # stands for an array index in element patterns

_CHILDREN, _COUNT, _VERSION = "children", "count", "version"
# What LMSGetValue("cmi._children") answers (see its row in ELEMENTS).
CMI_CHILDREN = "core,suspend_data,launch_data,comments,objectives,student_data,student_preference,interactions"


@dataclass(frozen=True)
class Element:
    """One rule of the table.

    `keyword` is "children", "count" or "version" for the keyword elements;
    `value` is the fixed answer of a "children" or "version" keyword.
    `content_excluded` lists values of the type that content may not set
    (only the LMS may). `operator_limit` marks the element whose length limit
    the operator may raise.
    """

    pattern: str
    type: str
    access: str
    keyword: str | None = None
    value: str | None = None
    content_excluded: tuple[str, ...] = ()
    operator_limit: bool = False

    def to_json(self, suspend_data_limit: int) -> dict:
        return {
            "pattern": self.pattern,
            "type": self.type,
            "access": self.access,
            "keyword": self.keyword,
            "value": self.value,
            "content_excluded": list(self.content_excluded),
            "max_length": suspend_data_limit if self.operator_limit else None,
        }


def _children(parent: str, names: str) -> Element:
    return Element(f"{parent}._children", "CMIString255", "RO", keyword=_CHILDREN, value=names)


def _count(array: str) -> Element:
    return Element(f"{array}._count", "CMIInteger", "RO", keyword=_COUNT)


def _score(parent: str) -> list[Element]:
    return [
        _children(f"{parent}.score", "raw,min,max"),
        Element(f"{parent}.score.raw", "CMIScore", "RW"),
        Element(f"{parent}.score.min", "CMIScore", "RW"),
        Element(f"{parent}.score.max", "CMIScore", "RW"),
    ]


ELEMENTS: tuple[Element, ...] = (
    Element("cmi._version", "CMIString255", "RO", keyword=_VERSION, value=VERSION),
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

# Patterns as segment tuples, the index placeholder as None so that a literal
# "n" in a requested name can never match an index position.
_Segments = tuple[str | None, ...]


def _segments(pattern: str) -> _Segments:
    return tuple(None if part == INDEX else part for part in pattern.split("."))


_BY_SEGMENTS: dict[_Segments, Element] = {_segments(e.pattern): e for e in ELEMENTS}
# Every pattern and each of its prefixes is a node of the model (cmi,
# cmi.core, cmi.interactions, cmi.interactions.n, cmi.core.student_id...).
_NODES: frozenset[_Segments] = frozenset(
    key[:i] for key in _BY_SEGMENTS for i in range(1, len(key))
) | frozenset(_BY_SEGMENTS)


def _pattern(segments: _Segments) -> str:
    return ".".join(INDEX if s is None else s for s in segments)


def _item_leaves() -> dict[str, tuple[str, ...]]:
    """For each array pattern, the names relative to one of its items that
    can be stored, nested arrays at index 0: whether an item exists is a few
    dict lookups, whatever the size of the state."""
    leaves: dict[str, list[str]] = {}
    for key, element in _BY_SEGMENTS.items():
        if element.keyword is not None:
            continue
        for position, segment in enumerate(key):
            if segment is None:
                below = ("0" if s is None else s for s in key[position + 1 :])
                leaves.setdefault(_pattern(key[:position]), []).append(".".join(below))
    return {array: tuple(names) for array, names in leaves.items()}


_ITEM_LEAVES = _item_leaves()
# Array indexes are written canonically (no leading zeros) so that one item
# has one name; nine digits is far beyond any real array.
_CANONICAL_INDEX = re.compile(r"0|[1-9][0-9]{0,8}")
_ANY_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Resolved:
    """A requested name matched to its rule.

    `arrays` pairs each index in the name with the concrete name of the array
    it indexes, outermost first: for "cmi.interactions.2.objectives.0.id",
    (("cmi.interactions", 2), ("cmi.interactions.2.objectives", 0)).
    """

    name: str
    element: Element
    indexes: tuple[int, ...]
    arrays: tuple[tuple[str, int], ...]
    # The item leaves (see _item_leaves) of each array in `arrays`.
    item_leaves: tuple[tuple[str, ...], ...] = field(repr=False, compare=False)


def _split(name: str) -> tuple[_Segments, tuple[tuple[str, int], ...]] | ScormError:
    parts = name.split(".")
    segments: list[str | None] = []
    arrays: list[tuple[str, int]] = []
    # Any all-digit segment is read as an index; one not written canonically
    # is a malformed argument (201) wherever it stands.
    for position, part in enumerate(parts):
        if _ANY_DIGITS.fullmatch(part) is None:
            segments.append(part)
            continue
        if _CANONICAL_INDEX.fullmatch(part) is None:
            return ScormError.INVALID_ARGUMENT
        segments.append(None)
        arrays.append((".".join(parts[:position]), int(part)))
    return tuple(segments), tuple(arrays)


def _unknown(segments: _Segments) -> ScormError:
    """The error for a name with no rule.

    Decision: a keyword asked of a node that lacks it is 202 (`_children`) or
    203 (`_count`), as LMSGetLastError defines them. Any other unknown name
    whose parent is a node of the model below `cmi` ("cmi.core.foo",
    "cmi.interactions.x", "cmi.interactions.0") is 201, an invalid argument
    under a known parent; everything else ("cmi.foo", "adl.x", "", and
    "cmi.interactions.n.id" whose literal "n" is no index) is 401, not part
    of the model.
    """
    parent, leaf = segments[:-1], segments[-1]
    if parent in _NODES and leaf == "_children":
        return ScormError.CANNOT_HAVE_CHILDREN
    if parent in _NODES and leaf == "_count":
        return ScormError.NOT_AN_ARRAY
    if len(parent) > 1 and parent in _NODES:
        return ScormError.INVALID_ARGUMENT
    return ScormError.NOT_IMPLEMENTED


def resolve(name: str) -> Resolved | ScormError:
    """The rule for a concrete element name, or the ScormError naming why
    there is none (see `_unknown`). Array bounds need the state and are
    checked by `get_value`/`set_value`."""
    if not isinstance(name, str) or not name.startswith("cmi."):
        return ScormError.NOT_IMPLEMENTED
    return _resolve(name)


# Content asks for the same few names over and over; results are immutable.
@lru_cache(maxsize=8192)
def _resolve(name: str) -> Resolved | ScormError:
    split = _split(name)
    if isinstance(split, ScormError):
        return split
    segments, arrays = split
    element = _BY_SEGMENTS.get(segments)
    if element is None:
        return _unknown(segments)
    leaves = tuple(
        _ITEM_LEAVES[_pattern(segments[:position])]
        for position, segment in enumerate(segments)
        if segment is None
    )
    return Resolved(name, element, tuple(i for _, i in arrays), arrays, leaves)


def _item_exists(
    state: dict[str, str], array: str, index: int, leaves: tuple[str, ...]
) -> bool:
    prefix = f"{array}.{index}."
    return any(prefix + leaf in state for leaf in leaves)


def _count_items(state: dict[str, str], array: str, leaves: tuple[str, ...]) -> int:
    """The number of items before the first missing one, found by doubling
    then bisecting, since items are contiguous from 0."""
    if not _item_exists(state, array, 0, leaves):
        return 0
    present, missing = 0, 1
    while _item_exists(state, array, missing, leaves):
        present, missing = missing, missing * 2
    while missing - present > 1:
        middle = (present + missing) // 2
        if _item_exists(state, array, middle, leaves):
            present = middle
        else:
            missing = middle
    return missing


def item_count(state: dict[str, str], array: str) -> int:
    """The `_count` of a concrete array name ("cmi.interactions",
    "cmi.interactions.0.objectives"); ValueError for a name that is not one.

    `set_value` stores items in order, so they are contiguous from index 0:
    an item exists when one of its elements is stored, and the count is the
    number of items before the first missing one. (In a state assembled by
    hand with a gap the count stops at the gap; the items after it can
    still be read and written by name.)
    """
    split = _split(array) if isinstance(array, str) else ScormError.NOT_IMPLEMENTED
    leaves = None if isinstance(split, ScormError) else _ITEM_LEAVES.get(_pattern(split[0]))
    if leaves is None:
        raise ValueError(f"not an array: {array!r}")
    return _count_items(state, array, leaves)


def _indexes_fit(state: dict[str, str], resolved: Resolved, *, appending: bool) -> bool:
    """Reading needs every indexed item to exist (n < _count); writing may
    also append one after an existing item or at 0 (n == _count), at each
    level of nesting."""
    for (array, index), leaves in zip(resolved.arrays, resolved.item_leaves):
        if _item_exists(state, array, index, leaves):
            continue
        if not appending or (index > 0 and not _item_exists(state, array, index - 1, leaves)):
            return False
    return True


def get_value(
    state: dict[str, str], name: str, *, as_lms: bool = False
) -> tuple[str, ScormError]:
    """LMSGetValue over a state: (value, NO_ERROR) or ("", the error).

    Checks run in this order: the name (401/201/202/203), the array items it
    indexes must exist (201), keywords answer from the table or the state,
    write-only elements refuse content (404; the LMS reads everything it
    stores). An element without a stored value reads as "".
    """
    resolved = resolve(name)
    if isinstance(resolved, ScormError):
        return "", resolved
    if not _indexes_fit(state, resolved, appending=False):
        return "", ScormError.INVALID_ARGUMENT
    element = resolved.element
    if element.keyword == _COUNT:
        suffix = len("._count")
        leaves = _ITEM_LEAVES[element.pattern[:-suffix]]
        return str(_count_items(state, name[:-suffix], leaves)), ScormError.NO_ERROR
    if element.keyword is not None:
        return element.value or "", ScormError.NO_ERROR
    if element.access == "WO" and not as_lms:
        return "", ScormError.WRITE_ONLY
    return state.get(name, ""), ScormError.NO_ERROR


def _check_value(element: Element, value: str, suspend_data_limit: int) -> ScormError:
    limit = suspend_data_limit if element.operator_limit else None
    if not TYPES[element.type].is_valid(value, max_length=limit):
        return ScormError.INCORRECT_DATA_TYPE
    return ScormError.NO_ERROR


def validate_value(
    name: str, value: str, *, suspend_data_limit: int = SUSPEND_DATA_LIMIT
) -> ScormError:
    """Whether `value` may be stored in `name` as far as its type goes.

    Name errors are returned as `resolve` reports them; a keyword is 402
    because no value can be set on it; a non-str value is 405. Access and
    the content-only rules are `set_value`'s business, so an LMS edit can be
    validated with this alone.
    """
    resolved = resolve(name)
    if isinstance(resolved, ScormError):
        return resolved
    if resolved.element.keyword is not None:
        return ScormError.KEYWORD_SET
    return _check_value(resolved.element, value, suspend_data_limit)


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
    resolved = resolve(name)
    if isinstance(resolved, ScormError):
        return resolved
    element = resolved.element
    if element.keyword is not None:
        return ScormError.KEYWORD_SET
    if element.access == "RO" and not as_lms:
        return ScormError.READ_ONLY
    if not _indexes_fit(state, resolved, appending=True):
        return ScormError.INVALID_ARGUMENT
    error = _check_value(element, value, suspend_data_limit)
    if error:
        return error
    if value in element.content_excluded and not as_lms:
        return ScormError.INCORRECT_DATA_TYPE
    state[name] = value
    return ScormError.NO_ERROR


def table_json(*, suspend_data_limit: int = SUSPEND_DATA_LIMIT) -> dict:
    """Everything a browser validator needs to apply the same rules, as a
    JSON-serialisable dict with a deterministic shape and order.

    Regexes are anchored and meant for the "u" flag; an element's non-null
    `max_length` overrides its type's. Names are resolved as `resolve` does:
    index segments match `index_regex` and stand for "n" in patterns.
    `arrays` maps each array pattern to the names, relative to one item, whose
    storage makes the item exist (see `item_count`).
    """
    return {
        "version": VERSION,
        "index_regex": f"^(?:{_CANONICAL_INDEX.pattern})$",
        "regex_flags": "u",
        "types": {name: TYPES[name].to_json() for name in sorted(TYPES)},
        "elements": [e.to_json(suspend_data_limit) for e in ELEMENTS],
        "arrays": {array: list(_ITEM_LEAVES[array]) for array in sorted(_ITEM_LEAVES)},
        "errors": {str(code): text for code, text in sorted(ERROR_STRINGS.items())},
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
