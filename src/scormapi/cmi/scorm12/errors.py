"""SCORM 1.2 run-time error codes, as LMSGetLastError reports them.

The numbers and texts are the ones content sees through the run-time API, so
the browser adapter, the run-time endpoint and the admin API all report the
same code for the same mistake.
"""

from enum import IntEnum

from ..outcomes import Outcome


class ScormError(IntEnum):
    NO_ERROR = 0
    GENERAL_EXCEPTION = 101
    INVALID_ARGUMENT = 201
    CANNOT_HAVE_CHILDREN = 202
    NOT_AN_ARRAY = 203
    NOT_INITIALIZED = 301
    NOT_IMPLEMENTED = 401
    KEYWORD_SET = 402
    READ_ONLY = 403
    WRITE_ONLY = 404
    INCORRECT_DATA_TYPE = 405


# What each engine outcome is in SCORM 1.2. The version has fewer numbers
# than the engine has reasons: everything wrong with a value is 405, and
# every malformed or misplaced name below a known element is 201.
CODES: dict[Outcome, ScormError] = {
    Outcome.OK: ScormError.NO_ERROR,
    # 1.2 has no such error: an element never set reads as "".
    Outcome.VALUE_NOT_INITIALIZED: ScormError.NO_ERROR,
    Outcome.UNDEFINED: ScormError.NOT_IMPLEMENTED,
    Outcome.UNKNOWN_CHILD: ScormError.INVALID_ARGUMENT,
    Outcome.MALFORMED_INDEX: ScormError.INVALID_ARGUMENT,
    Outcome.NO_CHILDREN: ScormError.CANNOT_HAVE_CHILDREN,
    Outcome.NOT_AN_ARRAY: ScormError.NOT_AN_ARRAY,
    # No 1.2 element is keyed, limits its items, or keeps values unique or
    # written once; listed so that every outcome has a code.
    Outcome.MISSING_KEY: ScormError.INVALID_ARGUMENT,
    # As any other unknown name below a known element.
    Outcome.NO_VERSION: ScormError.INVALID_ARGUMENT,
    Outcome.ITEM_LIMIT: ScormError.INVALID_ARGUMENT,
    Outcome.NOT_UNIQUE: ScormError.GENERAL_EXCEPTION,
    Outcome.WRITE_ONCE: ScormError.GENERAL_EXCEPTION,
    Outcome.NO_SUCH_ITEM: ScormError.INVALID_ARGUMENT,
    Outcome.INDEX_OUT_OF_ORDER: ScormError.INVALID_ARGUMENT,
    Outcome.KEYWORD_IS_READ_ONLY: ScormError.KEYWORD_SET,
    Outcome.READ_ONLY: ScormError.READ_ONLY,
    Outcome.WRITE_ONLY: ScormError.WRITE_ONLY,
    # No 1.2 element has a dependency; listed so that every outcome has a code.
    Outcome.DEPENDENCY_NOT_ESTABLISHED: ScormError.GENERAL_EXCEPTION,
    Outcome.TYPE_MISMATCH: ScormError.INCORRECT_DATA_TYPE,
    Outcome.OUT_OF_RANGE: ScormError.INCORRECT_DATA_TYPE,
    Outcome.TOO_LONG: ScormError.INCORRECT_DATA_TYPE,
    Outcome.RESERVED_FOR_LMS: ScormError.INCORRECT_DATA_TYPE,
}

# The LMSGetErrorString texts. Plain int keys so the dict serialises to JSON
# and answers lookups by a bare number coming from a client.
ERROR_STRINGS: dict[int, str] = {
    0: "No error",
    101: "General exception",
    201: "Invalid argument error",
    202: "Element cannot have children",
    203: "Element not an array - cannot have count",
    301: "Not initialized",
    401: "Not implemented error",
    402: "Invalid set value, element is a keyword",
    403: "Element is read only",
    404: "Element is write only",
    405: "Incorrect data type",
}


def describe(code: int) -> str:
    """Code and text in one string, e.g. "401 Not implemented error".

    Used in error messages of the API; a number outside the table is still
    described rather than raising, because it usually comes from a client.
    """
    number = int(code)
    return f"{number} {ERROR_STRINGS.get(number, 'Unknown error code')}"
