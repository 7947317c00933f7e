"""The SCORM 2004 data types, each a `DataType` record in `TYPES` by the
name the element table uses (see `datatypes` for the order in which a
type's rules apply, here and in the browser).

Rules a regex does not state well are `datatypes.Format`s defined here:
a localized string's `{lang=...}` delimiter (`Localized`), a language tag
against its code tables (`Language`), a timestamp's day against the
calendar (`Calendar`) and a real that overflows a double (`FiniteReal`).
types2004.js registers the browser check of each under the same name.

Lengths are the SPMs of the standard. The standard calls them a floor an
LMS must support, not a cap; they are enforced as limits so that storage
stays bounded, and the element table lets the operator raise the one that
real content outgrows (cmi.suspend_data).
"""

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..datatypes import WHITESPACE_CLASS, DataType
from ..outcomes import Outcome
from .duration import DURATION_MAX_LENGTH, DURATION_PATTERN
from .language import LANGUAGE_PATTERN, TABLES, is_language

# ---- patterns (without anchors; [0-9], never \d: Python's \d also matches
# other scripts' digits and JavaScript's does not) ---------------------------

# A real as JavaScript writes one: sign, digits with at most one point,
# an exponent ("1e-7"). No blanks, NaN or Infinity.
REAL_PATTERN = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
INTEGER_PATTERN = r"[0-9]+"

# One character of a URI as java.net.URI reads it: unreserved, sub-delims,
# ":", "@", "/", "?", a %HH escape, or any non-ASCII character that is not
# a control (U+0080..U+009F) or whitespace. Whitespace is spelled out
# (cmi.datatypes.WHITESPACE_CLASS) because \s differs between the languages.
_URI_CHAR = rf"(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{{2}}|[^\x00-\x9f{WHITESPACE_CLASS}])"


def _identifier_pattern(end: str = "") -> str:
    """long/short_identifier_type: a non-empty URI with at most one "#";
    text before a ":" that comes before any "/", "?" or "#" is a scheme,
    [A-Za-z][A-Za-z0-9+.-]*, and must be followed by more than a fragment.
    `end` lists characters that end the identifier inside a larger pattern
    (the "}" of adl.nav.request's {target=...})."""
    not_empty = rf"(?=[^{end}])" if end else r"(?=[\s\S])"
    return (
        not_empty + rf"(?:[A-Za-z][A-Za-z0-9+.-]*:(?=[^#{end}])|(?![^/?#{end}]*:))"
        rf"{_URI_CHAR}*(?:#{_URI_CHAR}*)?"
    )


IDENTIFIER_PATTERN = _identifier_pattern()

TIME_PATTERN = (
    r"(?:19[7-9][0-9]|20[0-2][0-9]|203[0-8])(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01])"
    r"(?:T(?:[01][0-9]|2[0-3])(?::[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,2}"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3])(?::[0-5][0-9])?)?)?)?)?)?)?)?"
)

NAV_REQUESTS = ("continue", "previous", "exit", "exitAll", "abandon", "abandonAll", "suspendAll", "_none_")
NAV_TARGET_PATTERN = r"\{target=" + _identifier_pattern("}") + r"\}(?:choice|jump)"
# The target's SPM (a short_identifier_type, 250) plus "{target=}choice".
NAV_REQUEST_MAX_LENGTH = 250 + len("{target=}choice")

_REAL = re.compile(REAL_PATTERN)
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)
_LOCALIZED = re.compile(r"(?:\{lang=([^}]*)\})?(.*)", re.DOTALL)
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")

# ---- the checks other modules reuse (interactions) --------------------------


def is_real(value: object) -> bool:
    """Whether `value` is a real(10,7) a double can hold (range unchecked)."""
    return isinstance(value, str) and _REAL.fullmatch(value) is not None and abs(float(value)) != float("inf")


def is_identifier(value: object, limit: int | None) -> bool:
    """Whether `value` is a long/short_identifier_type of at most `limit`
    code points (None: no limit)."""
    if not isinstance(value, str) or (limit is not None and len(value) > limit):
        return False
    return _IDENTIFIER.fullmatch(value) is not None


def localized_outcome(value: object, limit: int | None) -> Outcome:
    """OK for a localized_string_type whose text (after an optional leading
    `{lang=CODE}`) has at most `limit` code points (None: no limit);
    TYPE_MISMATCH for a bad or empty CODE, TOO_LONG for a longer text.

    The delimiter is read only at the very start and only in lowercase;
    anything else ("{LANG=en}x", "{lang=en" without "}") is plain text."""
    if not isinstance(value, str):
        return Outcome.TYPE_MISMATCH
    match = _LOCALIZED.fullmatch(value)
    language, text = match.group(1), match.group(2)
    if language is not None and not is_language(language):
        return Outcome.TYPE_MISMATCH
    if limit is not None and len(text) > limit:
        return Outcome.TOO_LONG
    return Outcome.OK


def is_real_date(value: str) -> bool:
    """Whether the YYYY-MM-DD that starts a timestamp names a day that
    exists (2005-02-29 and 2005-04-31 do not); a value with no day part
    is a real date."""
    match = _DATE.match(value)
    if match is None:
        return True
    year, month, day = (int(part) for part in match.groups())
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


# ---- formats ----------------------------------------------------------------


@dataclass(frozen=True)
class Localized:
    """localized_string_type with a text of at most `max_length` code points."""

    max_length: int

    def check(self, value: str) -> Outcome:
        return localized_outcome(value, self.max_length)

    def to_json(self) -> dict:
        return {"name": "localized", "max_length": self.max_length}

    def lookups(self) -> Mapping[str, tuple[str, ...]]:
        return TABLES


@dataclass(frozen=True)
class Language:
    """language_type against the code tables (see `language`)."""

    def check(self, value: str) -> Outcome:
        return Outcome.OK if is_language(value) else Outcome.TYPE_MISMATCH

    def to_json(self) -> dict:
        return {"name": "language"}

    def lookups(self) -> Mapping[str, tuple[str, ...]]:
        return TABLES


@dataclass(frozen=True)
class Calendar:
    """A timestamp whose day exists in its month (the regex allows 01-31)."""

    def check(self, value: str) -> Outcome:
        return Outcome.OK if is_real_date(value) else Outcome.TYPE_MISMATCH

    def to_json(self) -> dict:
        return {"name": "calendar"}

    def lookups(self) -> Mapping[str, tuple[str, ...]]:
        return {}


@dataclass(frozen=True)
class FiniteReal:
    """A real that a double can hold. "1e400" is a number, so it is out of
    every range rather than of the wrong type."""

    def check(self, value: str) -> Outcome:
        return Outcome.OUT_OF_RANGE if abs(float(value)) == float("inf") else Outcome.OK

    def to_json(self) -> dict:
        return {"name": "finite_real"}

    def lookups(self) -> Mapping[str, tuple[str, ...]]:
        return {}


# ---- the types --------------------------------------------------------------


def characterstring(spm: int) -> DataType:
    return DataType(f"characterstring{spm}", f"any text of at most {spm} characters", max_length=spm)


def localized_string(spm: int) -> DataType:
    return DataType(
        f"localized_string{spm}",
        f"an optional {{lang=<language>}} then at most {spm} characters",
        format=Localized(spm),
    )


def identifier(name: str, spm: int) -> DataType:
    return DataType(name, f"a URI of at most {spm} characters", pattern=IDENTIFIER_PATTERN, max_length=spm)


def real(name: str, description: str, minimum: int | None = None, maximum: int | None = None) -> DataType:
    return DataType(name, description, pattern=REAL_PATTERN, minimum=minimum, maximum=maximum, format=FiniteReal())


def state(name: str, values: tuple[str, ...], pattern: str | None = None, **more) -> DataType:
    """A vocabulary type "state.<name>"; with a `pattern`, values outside the
    list are accepted when they match it."""
    listed = ", ".join(repr(v) for v in values)
    return DataType(
        f"state.{name}",
        f"one of {listed}" + (" or a matching value" if pattern else ""),
        pattern=pattern,
        vocabulary=values,
        **more,
    )


INTERACTION_TYPES = (
    "true-false", "choice", "fill-in", "long-fill-in", "likert", "matching", "performance", "sequencing",
    "numeric", "other",
)  # fmt: skip

LANGUAGE = DataType("language", "a language tag such as en-US", pattern=LANGUAGE_PATTERN, max_length=250, format=Language())

TYPES: dict[str, DataType] = {
    t.name: t
    for t in (
        characterstring(250),
        characterstring(1000),
        characterstring(4000),
        characterstring(64000),
        localized_string(250),
        localized_string(4000),
        LANGUAGE,
        DataType(
            "language_or_blank",
            "a language tag or blank",
            pattern=LANGUAGE_PATTERN,
            max_length=250,
            allow_blank=True,
            format=Language(),
        ),
        identifier("long_identifier", 4000),
        identifier("short_identifier", 250),
        DataType("integer", "a non-negative integer", pattern=INTEGER_PATTERN),
        real("real", "a real number"),
        real("real_0_1", "a real number 0..1", 0, 1),
        real("real_-1_1", "a real number -1..1", -1, 1),
        real("real_ge_0", "a real number >= 0", 0),
        DataType("time", "YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]], 1970..2038", pattern=TIME_PATTERN, format=Calendar()),
        DataType(
            "timeinterval", "an ISO 8601 duration such as PT1H30M5S", pattern=DURATION_PATTERN,
            max_length=DURATION_MAX_LENGTH,
        ),
        state("completion_status", ("completed", "incomplete", "not attempted", "unknown")),
        state("success_status", ("passed", "failed", "unknown")),
        state("credit", ("credit", "no-credit")),
        state("entry", ("ab-initio", "resume", "")),
        state("exit", ("time-out", "suspend", "logout", "normal", "")),
        state("mode", ("browse", "normal", "review")),
        state("interaction_type", INTERACTION_TYPES),
        state("result", ("correct", "incorrect", "unanticipated", "neutral"), REAL_PATTERN, format=FiniteReal()),
        state("audio_captioning", ("-1", "0", "1")),
        state("time_limit_action", ("exit,message", "continue,message", "exit,no message", "continue,no message")),
        state("request_valid", ("true", "false", "unknown")),
        state("nav_request", NAV_REQUESTS, NAV_TARGET_PATTERN, max_length=NAV_REQUEST_MAX_LENGTH),
    )
}
