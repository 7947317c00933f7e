"""Why a data-model operation failed, named by meaning rather than by number.

The name grammar, the data types and the engine all answer with an
`Outcome`; each SCORM version turns it into its own error code with one
dict, because the versions number the same mistakes differently (a value of
the wrong type is 405 in 1.2 and 406 in 2004).
"""

from enum import Enum


class Outcome(Enum):
    OK = "ok"
    # GetValue of an element nobody has set. Not a failure in every version:
    # SCORM 1.2 reads such an element as "", SCORM 2004 refuses it.
    VALUE_NOT_INITIALIZED = "value not initialized"

    # The name.
    UNDEFINED = "not part of the data model"
    UNKNOWN_CHILD = "unknown element under a known element below the root"
    MALFORMED_INDEX = "array index not written as a canonical integer"
    NO_CHILDREN = "_children asked of an element that has none"
    NOT_AN_ARRAY = "_count asked of an element that is not an array"
    NO_VERSION = "_version asked of an element other than the root"
    MISSING_KEY = "an element named without the {key=value} segment it needs"

    # The array items the name indexes.
    NO_SUCH_ITEM = "read of an array item that does not exist"
    INDEX_OUT_OF_ORDER = "write past the next free index of an array"
    ITEM_LIMIT = "write past the most items the array may hold"

    # Access.
    KEYWORD_IS_READ_ONLY = "set of _children, _count or _version"
    READ_ONLY = "set of a read-only element"
    WRITE_ONLY = "get of a write-only element"
    DEPENDENCY_NOT_ESTABLISHED = "set before the element it depends on is set"
    NOT_UNIQUE = "value another item of the array already holds"
    WRITE_ONCE = "change of a value that may be set only once"

    # The value.
    TYPE_MISMATCH = "value not of the element's type"
    OUT_OF_RANGE = "number outside the element's range"
    TOO_LONG = "value longer than the element allows"
    RESERVED_FOR_LMS = "value only the LMS may set"
