"""The SCORM 1.2 data types, each a `DataType` record (see `datatypes` for
the order in which its rules apply, here and in the browser).
"""

from ..datatypes import WHITESPACE_CLASS, DataType
from .timespan import TIME_PATTERN, TIMESPAN_PATTERN

# Signed decimal: optional leading minus, digits with at most one point and
# at least one digit. "5." and ".5" are accepted (unambiguous numbers that
# hand-written content does send); "+5", exponents and spaces are not.
DECIMAL_PATTERN = r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
INTEGER_PATTERN = r"[0-9]+"
SIGNED_INTEGER_PATTERN = r"-?[0-9]+"
IDENTIFIER_PATTERN = f"[^{WHITESPACE_CLASS}]+"


def vocabulary(name: str, values: tuple[str, ...], pattern: str | None = None) -> DataType:
    """A CMIVocabulary type named "CMIVocabulary.<name>"; with a `pattern`,
    values outside the list are accepted when they match it."""
    listed = ", ".join(repr(v) for v in values)
    return DataType(
        name=f"CMIVocabulary.{name}",
        description=f"one of {listed}" + (" or a matching value" if pattern else ""),
        pattern=pattern,
        vocabulary=values,
    )


STATUS_VALUES = ("passed", "completed", "failed", "incomplete", "browsed", "not attempted")
RESULT_VALUES = ("correct", "wrong", "unanticipated", "neutral")

CMI_BLANK = DataType("CMIBlank", "the empty string", vocabulary=("",))
CMI_STRING255 = DataType("CMIString255", "at most 255 characters", max_length=255)
CMI_STRING4096 = DataType("CMIString4096", "at most 4096 characters", max_length=4096)
CMI_DECIMAL = DataType("CMIDecimal", "a signed decimal number", pattern=DECIMAL_PATTERN)
CMI_INTEGER = DataType(
    "CMIInteger", "an integer 0..65536", pattern=INTEGER_PATTERN, minimum=0, maximum=65536
)
CMI_SINTEGER = DataType(
    "CMISInteger",
    "an integer -32768..32768",
    pattern=SIGNED_INTEGER_PATTERN,
    minimum=-32768,
    maximum=32768,
)
CMI_IDENTIFIER = DataType(
    "CMIIdentifier",
    "1..255 characters without whitespace",
    pattern=IDENTIFIER_PATTERN,
    max_length=255,
)
CMI_TIME = DataType("CMITime", "HH:MM:SS[.S[S]], hours 00-23", pattern=TIME_PATTERN)
CMI_TIMESPAN = DataType(
    "CMITimespan", "HHHH:MM:SS[.S[S]], hours 2-4 digits", pattern=TIMESPAN_PATTERN
)
# CMIFeedback's format depends on the interaction type; SCORM 1.2 only bounds
# its length, and real content writes free-form responses, so only that is
# enforced.
CMI_FEEDBACK = DataType("CMIFeedback", "at most 255 characters", max_length=255)

CMI_SCORE = DataType(
    "CMIScore",
    "a CMIDecimal 0..100 or blank",
    pattern=DECIMAL_PATTERN,
    minimum=0,
    maximum=100,
    allow_blank=True,
)
CMI_AUDIO = DataType(
    "CMIAudio", "a CMISInteger -1..100", pattern=SIGNED_INTEGER_PATTERN, minimum=-1, maximum=100
)
CMI_SPEED = DataType(
    "CMISpeed",
    "a CMISInteger -100..100",
    pattern=SIGNED_INTEGER_PATTERN,
    minimum=-100,
    maximum=100,
)
CMI_TEXT = DataType(
    "CMIText", "a CMISInteger -1..1", pattern=SIGNED_INTEGER_PATTERN, minimum=-1, maximum=1
)

VOCAB_CREDIT = vocabulary("credit", ("credit", "no-credit"))
VOCAB_STATUS = vocabulary("status", STATUS_VALUES)
VOCAB_ENTRY = vocabulary("entry", ("ab-initio", "resume", ""))
VOCAB_MODE = vocabulary("mode", ("browse", "normal", "review"))
VOCAB_EXIT = vocabulary("exit", ("time-out", "suspend", "logout", ""))
VOCAB_TIME_LIMIT_ACTION = vocabulary(
    "time_limit_action",
    ("exit,message", "exit,no message", "continue,message", "continue,no message"),
)
VOCAB_INTERACTION_TYPE = vocabulary(
    "interaction_type",
    (
        "true-false",
        "choice",
        "fill-in",
        "matching",
        "performance",
        "sequencing",
        "likert",
        "numeric",
    ),
)
VOCAB_RESULT = vocabulary("result", RESULT_VALUES, pattern=DECIMAL_PATTERN)

# Every type by name; the element table refers to types by these names.
TYPES: dict[str, DataType] = {
    t.name: t
    for t in (
        CMI_BLANK,
        CMI_STRING255,
        CMI_STRING4096,
        CMI_DECIMAL,
        CMI_INTEGER,
        CMI_SINTEGER,
        CMI_IDENTIFIER,
        CMI_TIME,
        CMI_TIMESPAN,
        CMI_FEEDBACK,
        CMI_SCORE,
        CMI_AUDIO,
        CMI_SPEED,
        CMI_TEXT,
        VOCAB_CREDIT,
        VOCAB_STATUS,
        VOCAB_ENTRY,
        VOCAB_MODE,
        VOCAB_EXIT,
        VOCAB_TIME_LIMIT_ACTION,
        VOCAB_INTERACTION_TYPE,
        VOCAB_RESULT,
    )
}


def is_valid(type_name: str, value: str) -> bool:
    """Whether `value` belongs to the named type; KeyError for an unknown name."""
    return TYPES[type_name].is_valid(value)
