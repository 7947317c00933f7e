"""SCORM 2004 timeinterval(second,10,2): ISO 8601 durations such as
"PT1H30M5.25S", checked, compared, added and converted to and from the
SCORM 1.2 CMITimespan.

Arithmetic runs on whole centiseconds (the finest unit the type can write),
so adding session times to a total never drifts the way float seconds would.

Canonical form (what `add_durations`, `format_seconds` and
`timespan_to_duration` write): the fields in order with the zero ones left
out, seconds with at most two fraction digits and no trailing zeros
("PT1.5S", "P29DT2H0.05S"); the zero duration is written "PT0H0M0S", the
form the ADL reference and the initial cmi.total_time use.
"""

import re
from dataclasses import dataclass

from ..scorm12.timespan import MAX_CENTISECONDS, format_timespan, parse_timespan

# Without anchors, for a DataType. Written with [0-9] because Python's \d
# also matches other scripts' digits and JavaScript's does not. The two
# lookaheads carry the rules the field list alone cannot say: "P" needs at
# least one field (so "P" is refused) and "T" needs at least one time field
# (so "PT" and "P1DT" are refused).
DURATION_PATTERN = (
    r"P(?=[0-9T])(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+D)?"
    r"(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+(?:\.[0-9]{1,2})?S)?)?"
)
ZERO_DURATION = "PT0H0M0S"
# The longest timeinterval kept. The standard bounds no field's width, but
# a value must stay countable (as seconds, as a float): 64 characters hold
# a field of 50 digits, far past any real duration.
DURATION_MAX_LENGTH = 64

_DURATION = re.compile(
    r"P(?=[0-9T])(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)D)?"
    r"(?:T(?=[0-9])(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+)(?:\.([0-9]{1,2}))?S)?)?"
)

CENTIS_PER_SECOND = 100
CENTIS_PER_MINUTE = 60 * CENTIS_PER_SECOND
CENTIS_PER_HOUR = 60 * CENTIS_PER_MINUTE
CENTIS_PER_DAY = 24 * CENTIS_PER_HOUR
# Years and months have no fixed length; these are the lengths the ADL
# reference counts when it compares durations (a year of 365 days).
CENTIS_PER_MONTH = 2_628_029 * CENTIS_PER_SECOND
CENTIS_PER_YEAR = 31_536_000 * CENTIS_PER_SECOND


@dataclass(frozen=True)
class Duration:
    """A duration field by field, seconds as centiseconds. A field may hold
    more than its unit ("PT90M") until `normalized` carries it."""

    years: int = 0
    months: int = 0
    days: int = 0
    hours: int = 0
    minutes: int = 0
    centiseconds: int = 0

    def normalized(self) -> "Duration":
        """Carries seconds into minutes, minutes into hours and hours into
        days, as ADL does when it adds; years and months stay as written."""
        clock = self.hours * CENTIS_PER_HOUR + self.minutes * CENTIS_PER_MINUTE + self.centiseconds
        days, clock = divmod(clock, CENTIS_PER_DAY)
        hours, clock = divmod(clock, CENTIS_PER_HOUR)
        minutes, centis = divmod(clock, CENTIS_PER_MINUTE)
        return Duration(self.years, self.months, self.days + days, hours, minutes, centis)

    def total_centiseconds(self) -> int:
        return (
            self.years * CENTIS_PER_YEAR
            + self.months * CENTIS_PER_MONTH
            + self.days * CENTIS_PER_DAY
            + self.hours * CENTIS_PER_HOUR
            + self.minutes * CENTIS_PER_MINUTE
            + self.centiseconds
        )

    def __add__(self, other: "Duration") -> "Duration":
        return Duration(
            self.years + other.years,
            self.months + other.months,
            self.days + other.days,
            self.hours + other.hours,
            self.minutes + other.minutes,
            self.centiseconds + other.centiseconds,
        ).normalized()


def is_duration(value: object) -> bool:
    return isinstance(value, str) and _DURATION.fullmatch(value) is not None


def parse_duration(value: str) -> Duration:
    """The fields of a timeinterval; ValueError when `value` is not one."""
    match = _DURATION.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"not a timeinterval (ISO 8601 duration): {value!r}")
    years, months, days, hours, minutes, seconds, fraction = match.groups()
    # One decimal means tenths: ".5" is 50 centiseconds, ".05" is 5.
    centis = int(seconds or "0") * CENTIS_PER_SECOND + int((fraction or "0").ljust(2, "0"))
    return Duration(int(years or 0), int(months or 0), int(days or 0), int(hours or 0), int(minutes or 0), centis)


def duration_centiseconds(value: str) -> int:
    """The length of a timeinterval in centiseconds, counting years and
    months as ADL does (CENTIS_PER_YEAR, CENTIS_PER_MONTH)."""
    return parse_duration(value).total_centiseconds()


def duration_seconds(value: str) -> float:
    """The length of a timeinterval in seconds, for comparisons and reports."""
    return duration_centiseconds(value) / CENTIS_PER_SECOND


def write_duration(duration: Duration) -> str:
    """`duration` in the canonical form of the module docstring, fields as
    given (not carried: see `Duration.normalized`)."""
    seconds, centis = divmod(duration.centiseconds, CENTIS_PER_SECOND)
    second_text = f"{seconds}.{centis:02d}".rstrip("0").rstrip(".") if centis else str(seconds)
    date = "".join(f"{n}{unit}" for n, unit in zip((duration.years, duration.months, duration.days), "YMD") if n)
    clock = "".join(f"{n}{unit}" for n, unit in ((duration.hours, "H"), (duration.minutes, "M")) if n)
    if duration.centiseconds:
        clock += f"{second_text}S"
    if not date and not clock:
        return ZERO_DURATION
    return "P" + date + (f"T{clock}" if clock else "")


def add_durations(total: str, session: str) -> str:
    """total + session, field by field, carrying seconds to minutes to hours
    to days only (a day has a fixed length, a month does not), canonical:
    "PT0H0M0S" + "P0Y029DT0H" is "P29D", "PT23H59M" + "PT61S" is "P1DT1S".
    ValueError when either is not a timeinterval."""
    return write_duration(parse_duration(total) + parse_duration(session))


def _clock_duration(centiseconds: int) -> Duration:
    """Hours, minutes and centiseconds of a span, hours not carried into
    days (the SCORM 1.2 mapping counts in hours)."""
    hours, rest = divmod(centiseconds, CENTIS_PER_HOUR)
    minutes, centis = divmod(rest, CENTIS_PER_MINUTE)
    return Duration(hours=hours, minutes=minutes, centiseconds=centis)


def format_seconds(seconds: float) -> str:
    """A canonical timeinterval of `seconds`, rounded to the centisecond;
    hours are not carried into days ("PT25H0.5S"), zero is "PT0H0M0S".
    ValueError for a negative or non-finite number (no such duration)."""
    if not 0 <= seconds < float("inf"):
        raise ValueError(f"a duration cannot be {seconds!r} seconds")
    return write_duration(_clock_duration(round(seconds * CENTIS_PER_SECOND)))


def timespan_to_duration(timespan: str) -> str:
    """A SCORM 1.2 CMITimespan "HHHH:MM:SS.SS" as a canonical timeinterval
    ("0001:30:00" is "PT1H30M"); ValueError when it is not a CMITimespan."""
    return write_duration(_clock_duration(parse_timespan(timespan)))


def duration_to_timespan(duration: str) -> tuple[str, str | None]:
    """A timeinterval as a canonical CMITimespan, days as 24 hours and years
    and months as ADL counts them, and a warning when the span exceeds
    9999:59:59.99, the most a CMITimespan can write: it is then clamped to
    that, as `timespan.add_timespans` does, since a total time must stay a
    valid value. ValueError when `duration` is not a timeinterval."""
    centis = duration_centiseconds(duration)
    if centis <= MAX_CENTISECONDS:
        return format_timespan(centis), None
    warning = f"duration {duration} exceeds 9999:59:59.99; clamped to 9999:59:59.99"
    return format_timespan(MAX_CENTISECONDS), warning
