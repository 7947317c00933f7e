"""A data type as data, so one definition drives both validators.

A `DataType` is a vocabulary, a regex, a numeric range, a maximum length and
whether the empty string is allowed. `DataType.check` applies them in this
order, and a browser validator built from `DataType.to_json()` applies them
in the same order:

1. a value listed in the vocabulary is valid;
2. a type with a vocabulary and no regex accepts nothing else (TYPE_MISMATCH);
3. the empty string is valid when `allow_blank` is set;
4. a value longer than `max_length` code points is TOO_LONG;
5. a value the regex does not match in full is a TYPE_MISMATCH;
6. a value the type's `Format` refuses gets the format's outcome;
7. a value outside `minimum`..`maximum` (inclusive) is OUT_OF_RANGE.

A `Format` is a rule no regex states well (a calendar date, a language tag
checked against a code table, a list of identifiers without duplicates). It
has a name and parameters, and the browser applies the check registered
under the same name (`ScormApiPlayer.formats`), so each format is written
once per language and the parity tests hold them to the same answers.

The length comes before the format so that a huge value is refused without
running a regex over it. Ranges are compared as IEEE-754 doubles (Python
float, JavaScript Number): both languages round a decimal string to the same
double, so a value on the edge of a range gets the same answer on both sides.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from .outcomes import Outcome

# The union of what Python's and JavaScript's \s call whitespace, spelled out
# so the identifier rule means the same characters in both languages.
WHITESPACE_CLASS = (
    r"\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)


class Format(Protocol):
    """A structured check of a value that has passed its type's regex."""

    def check(self, value: str) -> Outcome:
        """OK, or why `value` is refused."""
        ...

    def to_json(self) -> dict:
        """{"name": the browser check's name, **its parameters}."""
        ...

    def lookups(self) -> Mapping[str, tuple[str, ...]]:
        """Named tables the check needs (language codes...), sent once per
        data model beside the types rather than inside each type."""
        ...


@dataclass(frozen=True)
class DataType:
    name: str
    description: str
    pattern: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    vocabulary: tuple[str, ...] = ()
    allow_blank: bool = False
    format: Format | None = None
    _regex: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        compiled = re.compile(self.pattern) if self.pattern is not None else None
        object.__setattr__(self, "_regex", compiled)

    def check(self, value: object, *, max_length: int | None = None) -> Outcome:
        """OK, or why `value` does not belong to the type (rules in the
        module docstring; a value that is not a str is a TYPE_MISMATCH).

        `max_length` overrides the type's own limit, for an element whose
        limit the operator may raise (cmi.suspend_data).
        """
        if not isinstance(value, str):
            return Outcome.TYPE_MISMATCH
        if value in self.vocabulary:
            return Outcome.OK
        if self.vocabulary and self._regex is None:
            return Outcome.TYPE_MISMATCH
        if value == "" and self.allow_blank:
            return Outcome.OK
        limit = self.max_length if max_length is None else max_length
        if limit is not None and len(value) > limit:
            return Outcome.TOO_LONG
        if self._regex is not None and self._regex.fullmatch(value) is None:
            return Outcome.TYPE_MISMATCH
        if self.format is not None:
            outcome = self.format.check(value)
            if outcome is not Outcome.OK:
                return outcome
        return Outcome.OK if self._in_range(value) else Outcome.OUT_OF_RANGE

    def is_valid(self, value: object, *, max_length: int | None = None) -> bool:
        """Whether `value` belongs to the type, for callers that need no reason."""
        return self.check(value, max_length=max_length) is Outcome.OK

    def _in_range(self, value: str) -> bool:
        if self.minimum is None and self.maximum is None:
            return True
        number = float(value)
        if self.minimum is not None and number < self.minimum:
            return False
        return self.maximum is None or number <= self.maximum

    def to_json(self) -> dict:
        """The type for a JavaScript validator: `regex` is anchored and meant
        to be compiled with the "u" flag (so it, like `max_length`, counts
        code points)."""
        data = {
            "name": self.name,
            "description": self.description,
            "regex": None if self.pattern is None else f"^(?:{self.pattern})$",
            "minimum": self.minimum,
            "maximum": self.maximum,
            "max_length": self.max_length,
            "vocabulary": list(self.vocabulary),
            "allow_blank": self.allow_blank,
        }
        # Only where set, so a model without formats (SCORM 1.2) keeps the
        # shape its browser adapter reads.
        if self.format is not None:
            data["format"] = self.format.to_json()
        return data
