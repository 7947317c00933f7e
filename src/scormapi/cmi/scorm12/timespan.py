"""CMITimespan and CMITime: parsing, formatting and adding SCORM 1.2 times.

Timespans are handled as whole centiseconds (the finest unit the format can
express), so adding session times to a total never drifts the way float
seconds would.
"""

import re

# Regex bodies without anchors; they are matched against the whole value.
# Written with [0-9] rather than \d because Python's \d also accepts other
# scripts' digits and the browser validator (JavaScript) does not.
TIMESPAN_PATTERN = r"[0-9]{2,4}:[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,2})?"
TIME_PATTERN = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,2})?"

_TIMESPAN = re.compile(r"([0-9]{2,4}):([0-5][0-9]):([0-5][0-9])(?:\.([0-9]{1,2}))?")
_TIME = re.compile(TIME_PATTERN)

CENTIS_PER_SECOND = 100
CENTIS_PER_MINUTE = 60 * CENTIS_PER_SECOND
CENTIS_PER_HOUR = 60 * CENTIS_PER_MINUTE
# 9999:59:59.99, the longest span four hour digits can write.
MAX_CENTISECONDS = 10_000 * CENTIS_PER_HOUR - 1
ZERO_TIMESPAN = "0000:00:00.00"


def is_timespan(text: str) -> bool:
    return isinstance(text, str) and _TIMESPAN.fullmatch(text) is not None


def is_time(text: str) -> bool:
    return isinstance(text, str) and _TIME.fullmatch(text) is not None


def parse_timespan(text: str) -> int:
    """Centiseconds in a CMITimespan; ValueError when the text is not one."""
    match = _TIMESPAN.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"not a CMITimespan (HHHH:MM:SS.SS): {text!r}")
    hours, minutes, seconds, fraction = match.groups()
    # One decimal means tenths: ".5" is 50 centiseconds, ".05" is 5.
    centis = int((fraction or "0").ljust(2, "0"))
    return (
        int(hours) * CENTIS_PER_HOUR
        + int(minutes) * CENTIS_PER_MINUTE
        + int(seconds) * CENTIS_PER_SECOND
        + centis
    )


def _write(centiseconds: int) -> str:
    hours, rest = divmod(centiseconds, CENTIS_PER_HOUR)
    minutes, rest = divmod(rest, CENTIS_PER_MINUTE)
    seconds, centis = divmod(rest, CENTIS_PER_SECOND)
    return f"{hours:04d}:{minutes:02d}:{seconds:02d}.{centis:02d}"


def format_timespan(centiseconds: int) -> str:
    """Canonical HHHH:MM:SS.SS, clamped to 9999:59:59.99.

    Negative spans do not exist in SCORM, so they are a caller's bug and
    raise ValueError instead of being clamped to zero.
    """
    if centiseconds < 0:
        raise ValueError(f"a timespan cannot be negative: {centiseconds}")
    return _write(min(centiseconds, MAX_CENTISECONDS))


def add_timespans(a: str, b: str) -> tuple[str, str | None]:
    """The canonical sum of two CMITimespans and a warning if it was clamped.

    The sum is clamped rather than rejected because total_time must stay a
    valid value; the warning says what was lost so it can be reported.
    """
    total = parse_timespan(a) + parse_timespan(b)
    if total <= MAX_CENTISECONDS:
        return _write(total), None
    warning = (
        f"timespan sum {a} + {b} = {_write(total)} exceeds 9999:59:59.99;"
        " clamped to 9999:59:59.99"
    )
    return _write(MAX_CENTISECONDS), warning


def timespan_seconds(text: str) -> float:
    """Total seconds of a CMITimespan, for storage columns and reports."""
    return parse_timespan(text) / CENTIS_PER_SECOND
