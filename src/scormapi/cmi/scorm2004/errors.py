"""SCORM 2004 run-time error codes, as GetLastError reports them.

SCORM 2004 numbers a failed GetValue and a failed SetValue apart (301 and
351 for the same misplaced index), so each engine outcome has a number per
operation: `GET_CODES` for GetValue, `SET_CODES` for SetValue and for the
LMS's own edits.
"""

from enum import IntEnum

from ..outcomes import Outcome


class ScormError(IntEnum):
    NO_ERROR = 0
    GENERAL_EXCEPTION = 101
    GENERAL_INITIALIZATION_FAILURE = 102
    ALREADY_INITIALIZED = 103
    CONTENT_INSTANCE_TERMINATED = 104
    GENERAL_TERMINATION_FAILURE = 111
    TERMINATION_BEFORE_INITIALIZATION = 112
    TERMINATION_AFTER_TERMINATION = 113
    RETRIEVE_DATA_BEFORE_INITIALIZATION = 122
    RETRIEVE_DATA_AFTER_TERMINATION = 123
    STORE_DATA_BEFORE_INITIALIZATION = 132
    STORE_DATA_AFTER_TERMINATION = 133
    COMMIT_BEFORE_INITIALIZATION = 142
    COMMIT_AFTER_TERMINATION = 143
    GENERAL_ARGUMENT_ERROR = 201
    GENERAL_GET_FAILURE = 301
    GENERAL_SET_FAILURE = 351
    GENERAL_COMMIT_FAILURE = 391
    UNDEFINED_ELEMENT = 401
    UNIMPLEMENTED_ELEMENT = 402
    VALUE_NOT_INITIALIZED = 403
    READ_ONLY = 404
    WRITE_ONLY = 405
    TYPE_MISMATCH = 406
    VALUE_OUT_OF_RANGE = 407
    DEPENDENCY_NOT_ESTABLISHED = 408


E = ScormError

# Outcomes of a name, the same for both operations but for a misplaced or
# malformed index and a keyword asked where there is none: a GetValue failure
# (301) or, for SetValue, an undefined element or a set failure.
_NAME_CODES = {
    Outcome.OK: E.NO_ERROR,
    Outcome.UNDEFINED: E.UNDEFINED_ELEMENT,
    Outcome.UNKNOWN_CHILD: E.UNDEFINED_ELEMENT,
}

GET_CODES: dict[Outcome, ScormError] = {
    **_NAME_CODES,
    Outcome.VALUE_NOT_INITIALIZED: E.VALUE_NOT_INITIALIZED,
    Outcome.MALFORMED_INDEX: E.GENERAL_GET_FAILURE,
    Outcome.NO_CHILDREN: E.GENERAL_GET_FAILURE,
    Outcome.NOT_AN_ARRAY: E.GENERAL_GET_FAILURE,
    Outcome.MISSING_KEY: E.GENERAL_GET_FAILURE,
    Outcome.NO_VERSION: E.GENERAL_GET_FAILURE,
    Outcome.NO_SUCH_ITEM: E.GENERAL_GET_FAILURE,
    Outcome.WRITE_ONLY: E.WRITE_ONLY,
    # Set outcomes; a read never meets them, listed so every outcome has a code.
    Outcome.INDEX_OUT_OF_ORDER: E.GENERAL_GET_FAILURE,
    Outcome.ITEM_LIMIT: E.GENERAL_GET_FAILURE,
    Outcome.KEYWORD_IS_READ_ONLY: E.GENERAL_GET_FAILURE,
    Outcome.READ_ONLY: E.GENERAL_GET_FAILURE,
    Outcome.DEPENDENCY_NOT_ESTABLISHED: E.GENERAL_GET_FAILURE,
    Outcome.NOT_UNIQUE: E.GENERAL_GET_FAILURE,
    Outcome.WRITE_ONCE: E.GENERAL_GET_FAILURE,
    Outcome.TYPE_MISMATCH: E.GENERAL_GET_FAILURE,
    Outcome.OUT_OF_RANGE: E.GENERAL_GET_FAILURE,
    Outcome.TOO_LONG: E.GENERAL_GET_FAILURE,
    Outcome.RESERVED_FOR_LMS: E.GENERAL_GET_FAILURE,
}

SET_CODES: dict[Outcome, ScormError] = {
    **_NAME_CODES,
    # "01" reads as 1 in ADL's reference, so its set fails as an index would.
    Outcome.MALFORMED_INDEX: E.GENERAL_SET_FAILURE,
    Outcome.NO_CHILDREN: E.UNDEFINED_ELEMENT,
    Outcome.NOT_AN_ARRAY: E.UNDEFINED_ELEMENT,
    Outcome.MISSING_KEY: E.UNDEFINED_ELEMENT,
    Outcome.NO_VERSION: E.UNDEFINED_ELEMENT,
    Outcome.INDEX_OUT_OF_ORDER: E.GENERAL_SET_FAILURE,
    Outcome.ITEM_LIMIT: E.GENERAL_SET_FAILURE,
    Outcome.NOT_UNIQUE: E.GENERAL_SET_FAILURE,
    Outcome.WRITE_ONCE: E.GENERAL_SET_FAILURE,
    Outcome.DEPENDENCY_NOT_ESTABLISHED: E.DEPENDENCY_NOT_ESTABLISHED,
    Outcome.KEYWORD_IS_READ_ONLY: E.READ_ONLY,
    Outcome.READ_ONLY: E.READ_ONLY,
    Outcome.TYPE_MISMATCH: E.TYPE_MISMATCH,
    Outcome.OUT_OF_RANGE: E.VALUE_OUT_OF_RANGE,
    # An SPM is a floor, but a value past the limit this LMS keeps is refused
    # as not of the element's type: 2004 has no code of its own for it.
    Outcome.TOO_LONG: E.TYPE_MISMATCH,
    Outcome.RESERVED_FOR_LMS: E.TYPE_MISMATCH,
    # Get outcomes; a set never meets them, listed so every outcome has a code.
    Outcome.VALUE_NOT_INITIALIZED: E.GENERAL_SET_FAILURE,
    Outcome.NO_SUCH_ITEM: E.GENERAL_SET_FAILURE,
    Outcome.WRITE_ONLY: E.GENERAL_SET_FAILURE,
}

# The GetErrorString texts, as the standard names them.
ERROR_STRINGS: dict[int, str] = {
    0: "No Error",
    101: "General Exception",
    102: "General Initialization Failure",
    103: "Already Initialized",
    104: "Content Instance Terminated",
    111: "General Termination Failure",
    112: "Termination Before Initialization",
    113: "Termination After Termination",
    122: "Retrieve Data Before Initialization",
    123: "Retrieve Data After Termination",
    132: "Store Data Before Initialization",
    133: "Store Data After Termination",
    142: "Commit Before Initialization",
    143: "Commit After Termination",
    201: "General Argument Error",
    301: "General Get Failure",
    351: "General Set Failure",
    391: "General Commit Failure",
    401: "Undefined Data Model Element",
    402: "Unimplemented Data Model Element",
    403: "Data Model Element Value Not Initialized",
    404: "Data Model Element Is Read Only",
    405: "Data Model Element Is Write Only",
    406: "Data Model Element Type Mismatch",
    407: "Data Model Element Value Out Of Range",
    408: "Data Model Dependency Not Established",
}


def describe(code: int) -> str:
    """Code and text in one string, e.g. "406 Data Model Element Type Mismatch";
    a number outside the table is still described, as it may come from a client."""
    number = int(code)
    return f"{number} {ERROR_STRINGS.get(number, 'Unknown error code')}"
