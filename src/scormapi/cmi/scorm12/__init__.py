"""The SCORM 1.2 data model: its element table and the functions that
answer with 1.2's error numbers (elements), data types (types), CMITimespan
(timespan), error codes (errors), the LMS's session rules (session) and what
an administrator's repair means (repair).

The element table's functions are this package's own names, so that
``scorm12.get_value`` reads as the 1.2 model's GetValue.
"""

from .elements import (
    CMI_CHILDREN,
    ELEMENTS,
    MODEL,
    SUSPEND_DATA_LIMIT,
    VERSION,
    LaunchContext,
    get_value,
    initial_state,
    item_count,
    launch_values,
    resolve,
    set_value,
    table_json,
    validate_value,
)

__all__ = [
    "CMI_CHILDREN", "ELEMENTS", "MODEL", "SUSPEND_DATA_LIMIT", "VERSION", "LaunchContext", "get_value",
    "initial_state", "item_count", "launch_values", "resolve", "set_value", "table_json", "validate_value",
]
