"""SCORM 2004 interaction responses: the formats of
cmi.interactions.n.correct_responses.m.pattern and
cmi.interactions.n.learner_response, which depend on cmi.interactions.n.type.

A value is an optional run of leading delimiters ("{case_matters=true}",
"{order_matters=false}", "{lang=de}") and then content whose structure the
interaction type gives, written with the separators "[,]" (list), "[.]"
(pair) and "[:]" (range). The run is read in any order; a delimiter the
element does not take, or one already read, ends it, and everything from
there on is content (so "{lang=eng}{case_matters=invalid}x" is one fill-in
answer whose language is "eng"). A delimiter the element does take must
carry a valid value, or the whole value is refused.

Limits. The smallest permitted maxima (SPMs) of these types are floors an
LMS must support, not caps, and the ADL reference accepts values beyond
them with a warning; so the number of items in a list (36 choices, 10
fill-in answers, 250 performance steps...) and the length of a long-fill-in
or "other" text are not limited here: the element's own length limit
bounds what is stored. What is enforced is what the rules state as a
maximum: 250 characters for each fill-in answer and for a performance step
answer, and the short_identifier_type rule for every identifier.

Every refusal is a TYPE_MISMATCH (406 in SCORM 2004). Each check is written
again in player/static/interactions2004.js; the parity tests hold the two to
the same answers.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..datatypes import DataType
from ..outcomes import Outcome
from .language import TABLES as LANGUAGE_TABLES
from .language import is_language
from .types import INTERACTION_TYPES, is_identifier, is_real, localized_outcome

LIST = "[,]"
PAIR = "[.]"
RANGE = "[:]"

CASE_MATTERS = "case_matters"
ORDER_MATTERS = "order_matters"
LANG = "lang"
BOOLEAN = ("true", "false")

# short_identifier_type's SPM, passed as the limit of every identifier.
SHORT_IDENTIFIER_LIMIT = 250
# Stated maxima (not SPMs) of one fill-in answer and one performance answer.
FILL_IN_ITEM_LIMIT = 250
STEP_ANSWER_LIMIT = 250

FORMAT_NAME = "interaction"
PATTERN = "pattern"
RESPONSE = "response"

# Types with at most one correct response: a second pattern (index 1) is a
# 351. The other types' counts are SPMs (choice 10, the rest 5), not maxima.
PATTERN_MAX: dict[str, int] = {"true-false": 1, "likert": 1, "numeric": 1, "other": 1}

# Types whose patterns must differ from every other pattern of the same
# interaction (a repeated one is a 351).
UNIQUE_PATTERN_TYPES = frozenset({"choice", "sequencing"})


# ---- leading delimiters -------------------------------------------------------


def _delimiter_value_ok(name: str, value: str) -> bool:
    if name == LANG:
        return is_language(value)
    return value in BOOLEAN


def read_delimiters(value: str, allowed: frozenset[str]) -> tuple[dict[str, str], str] | None:
    """The leading delimiters of `value` the element takes, by name, and the
    content after them; None when one of them carries an invalid value.

    A delimiter is "{name=value}" up to the first "}", its name before the
    first "="; the run stops at anything else, at a name not in `allowed`
    and at a name already read.
    """
    found: dict[str, str] = {}
    start = 0
    while value.startswith("{", start):
        close = value.find("}", start)
        if close < 0:
            break
        name, equals, setting = value[start + 1 : close].partition("=")
        if not equals or name not in allowed or name in found:
            break
        if not _delimiter_value_ok(name, setting):
            return None
        found[name] = setting
        start = close + 1
    return found, value[start:]


# ---- content ---------------------------------------------------------------------


def _identifier(text: str) -> bool:
    return is_identifier(text, SHORT_IDENTIFIER_LIMIT)


def _true_false(content: str) -> bool:
    return content in BOOLEAN


def _choice(content: str) -> bool:
    """A set of identifiers, none repeated; "" is the empty set."""
    if content == "":
        return True
    items = content.split(LIST)
    return all(_identifier(item) for item in items) and len(set(items)) == len(items)


def _fill_in(content: str) -> bool:
    """Localized strings, each "{lang=..}" (checked) and at most 250 characters."""
    return all(localized_outcome(item, FILL_IN_ITEM_LIMIT) is Outcome.OK for item in content.split(LIST))


def _text(content: str) -> bool:
    return True


def _pair(item: str) -> tuple[str, str] | None:
    """The two sides of "a[.]b", or None without exactly one "[.]"."""
    sides = item.split(PAIR)
    return (sides[0], sides[1]) if len(sides) == 2 else None


def _matching_item(item: str) -> bool:
    sides = _pair(item)
    return sides is not None and _identifier(sides[0]) and _identifier(sides[1])


def _matching(content: str) -> bool:
    return all(_matching_item(item) for item in content.split(LIST))


def _matching_or_blank(content: str) -> bool:
    return content == "" or _matching(content)


def _range(content: str) -> bool:
    """ "min[:]max": exactly one "[:]", each side empty or a real, min <= max."""
    sides = content.split(RANGE)
    if len(sides) != 2 or not all(side == "" or is_real(side) for side in sides):
        return False
    low, high = sides
    return low == "" or high == "" or float(low) <= float(high)


def _step(item: str) -> bool:
    """ "name[.]answer": the name an identifier, the answer a range or at most
    250 characters; either may be empty, not both."""
    sides = _pair(item)
    if sides is None or sides == ("", ""):
        return False
    name, answer = sides
    if name != "" and not _identifier(name):
        return False
    if RANGE in answer:
        return _range(answer)
    return len(answer) <= STEP_ANSWER_LIMIT


def _performance(content: str) -> bool:
    return all(_step(item) for item in content.split(LIST))


def _sequencing(content: str) -> bool:
    """Identifiers in order, repeats allowed, at least one."""
    return all(_identifier(item) for item in content.split(LIST))


def _number(content: str) -> bool:
    return is_real(content)


@dataclass(frozen=True)
class _Rule:
    delimiters: frozenset[str]
    content: Callable[[str], bool]
    description: str


_NONE: frozenset[str] = frozenset()

# Per (interaction type, pattern or response): the leading delimiters the
# element takes and the check of what follows them. Learner responses take
# no delimiters except long-fill-in's language, as in the ADL reference.
_RULES: dict[tuple[str, str], _Rule] = {
    ("true-false", PATTERN): _Rule(_NONE, _true_false, '"true" or "false"'),
    ("true-false", RESPONSE): _Rule(_NONE, _true_false, '"true" or "false"'),
    ("choice", PATTERN): _Rule(_NONE, _choice, 'distinct short identifiers joined by "[,]", or ""'),
    ("choice", RESPONSE): _Rule(_NONE, _choice, 'distinct short identifiers joined by "[,]", or ""'),
    ("fill-in", PATTERN): _Rule(
        frozenset({CASE_MATTERS, ORDER_MATTERS}),
        _fill_in,
        '{case_matters=..}{order_matters=..} then localized strings of at most 250 characters joined by "[,]"',
    ),
    ("fill-in", RESPONSE): _Rule(_NONE, _fill_in, 'localized strings of at most 250 characters joined by "[,]"'),
    ("long-fill-in", PATTERN): _Rule(frozenset({CASE_MATTERS, LANG}), _text, "{case_matters=..}{lang=..} then text"),
    ("long-fill-in", RESPONSE): _Rule(frozenset({LANG}), _text, "{lang=..} then text"),
    ("likert", PATTERN): _Rule(_NONE, _identifier, "a short identifier"),
    ("likert", RESPONSE): _Rule(_NONE, _identifier, "a short identifier"),
    ("matching", PATTERN): _Rule(_NONE, _matching, 'source[.]target identifier pairs joined by "[,]"'),
    ("matching", RESPONSE): _Rule(_NONE, _matching_or_blank, 'source[.]target identifier pairs joined by "[,]", or ""'),
    ("performance", PATTERN): _Rule(
        frozenset({ORDER_MATTERS}),
        _performance,
        '{order_matters=..} then step[.]answer records joined by "[,]"',
    ),
    ("performance", RESPONSE): _Rule(_NONE, _performance, 'step[.]answer records joined by "[,]"'),
    ("sequencing", PATTERN): _Rule(_NONE, _sequencing, 'short identifiers joined by "[,]"'),
    ("sequencing", RESPONSE): _Rule(_NONE, _sequencing, 'short identifiers joined by "[,]"'),
    ("numeric", PATTERN): _Rule(_NONE, _range, "min[:]max, either side may be empty, min <= max"),
    ("numeric", RESPONSE): _Rule(_NONE, _number, "a real number"),
    ("other", PATTERN): _Rule(_NONE, _text, "any text"),
    ("other", RESPONSE): _Rule(_NONE, _text, "any text"),
}

# The kinds whose checks read language codes, so their formats send the
# language table to the browser.
_LANGUAGE_KINDS = frozenset({"fill-in", "long-fill-in"})


def check_response(kind: str, role: str, value: str) -> Outcome:
    """OK, or TYPE_MISMATCH when `value` is not a `role` ("pattern" or
    "response") of an interaction of type `kind`."""
    rule = _RULES[(kind, role)]
    read = read_delimiters(value, rule.delimiters)
    if read is None or not rule.content(read[1]):
        return Outcome.TYPE_MISMATCH
    return Outcome.OK


@dataclass(frozen=True)
class InteractionFormat:
    """The `datatypes.Format` of one interaction type's pattern or response."""

    kind: str
    role: str

    def __post_init__(self) -> None:
        if (self.kind, self.role) not in _RULES:
            raise ValueError(f"no interaction format for {self.kind!r} {self.role!r}")

    def check(self, value: str) -> Outcome:
        return check_response(self.kind, self.role, value)

    def to_json(self) -> dict:
        return {"name": FORMAT_NAME, "kind": self.kind, "role": self.role}

    def lookups(self) -> Mapping[str, tuple[str, ...]]:
        return LANGUAGE_TABLES if self.kind in _LANGUAGE_KINDS else {}


def _data_type(kind: str, role: str) -> DataType:
    return DataType(
        name=f"{role}.{kind}",
        description=_RULES[(kind, role)].description,
        format=InteractionFormat(kind, role),
    )


# "pattern.<type>" and "response.<type>" for every interaction type.
TYPES: dict[str, DataType] = {f"{role}.{kind}": _data_type(kind, role) for role in (PATTERN, RESPONSE) for kind in INTERACTION_TYPES}
