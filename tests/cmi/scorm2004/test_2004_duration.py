"""SCORM 2004 timeinterval(second,10,2): the syntax SCORM2004.md §2 gives,
ADL's field-by-field addition, and the conversions to and from the SCORM
1.2 CMITimespan."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scormapi.cmi.scorm12.timespan import MAX_CENTISECONDS, format_timespan, parse_timespan
from scormapi.cmi.scorm2004.duration import (
    CENTIS_PER_DAY,
    CENTIS_PER_HOUR,
    CENTIS_PER_MONTH,
    CENTIS_PER_YEAR,
    ZERO_DURATION,
    Duration,
    add_durations,
    duration_centiseconds,
    duration_seconds,
    duration_to_timespan,
    format_seconds,
    is_duration,
    parse_duration,
    timespan_to_duration,
    write_duration,
)

VALID = [
    "PT0S", "PT0H0M0S", "P0Y029DT0H", "PT1H", "PT1M", "PT1S", "PT1.5S", "PT0.05S", "P1Y", "P1M", "P1D",
    "P1Y2M3DT4H5M6.78S", "P0001Y", "PT0000H0000M0000.00S", "PT123456789S", "P1DT1S", "PT10M", "P99Y99M99D",
    "PT1.0S", "P1Y6M14DT1H",
]  # fmt: skip
INVALID = [
    "", "P", "PT", "P1DT", "P1Y6M14DT", "P0S", "P1W", "-PT1S", "+PT1S", "PT1.123S", "PT1.S", "PT.5S", "T1H",
    "P1H", "PT1D", "P1.5Y", "PT1H1H", "PT1M1H", "P1D1Y", "p1y", "pt1s", "PT1s", " PT1S", "PT1S ", "PT1S\n",
    "1Y", "PT1,5S", "P\u0661Y", "PT1HT1M", "P1YT", "PTS", "PT-1S", "PT1.5M", "PT1H 1M",
]  # fmt: skip


@pytest.mark.parametrize("value", VALID)
def test_valid(value):
    assert is_duration(value)


@pytest.mark.parametrize("value", [*INVALID, None, 5])
def test_invalid(value):
    assert not is_duration(value)
    with pytest.raises(ValueError):
        duration_centiseconds(value)


@pytest.mark.parametrize(
    ("value", "centiseconds"),
    [
        ("PT0S", 0),
        ("PT1.5S", 150),
        ("PT0.05S", 5),
        ("PT1H2M3.25S", CENTIS_PER_HOUR + 2 * 6000 + 325),
        ("P2D", 2 * CENTIS_PER_DAY),
        ("P1M", CENTIS_PER_MONTH),
        ("P1Y", CENTIS_PER_YEAR),
    ],
)
def test_centiseconds(value, centiseconds):
    assert duration_centiseconds(value) == centiseconds


def test_seconds_count_years_and_months_as_adl_does():
    assert duration_seconds("P1Y") == 31_536_000
    assert duration_seconds("P1M") == 2_628_029
    assert duration_seconds("P1DT1H1M1.01S") == 86_400 + 3_600 + 61.01


@pytest.mark.parametrize(
    ("total", "session", "result"),
    [
        ("PT0H0M0S", "P0Y029DT0H", "P29D"),  # the ADL example
        ("PT0H0M0S", "PT0S", ZERO_DURATION),
        ("PT0S", "PT0H0M0S", ZERO_DURATION),
        ("PT23H59M", "PT61S", "P1DT1S"),
        ("PT59.99S", "PT0.01S", "PT1M"),
        ("PT1.5S", "PT1.5S", "PT3S"),
        ("PT0.5S", "PT0.05S", "PT0.55S"),
        ("PT30H", "PT0S", "P1DT6H"),
        ("P1Y11M", "P2M", "P1Y13M"),  # months are not carried into years
        ("P40D", "PT0S", "P40D"),  # nor days into months
        ("PT1H", "PT30M", "PT1H30M"),
    ],
)
def test_add(total, session, result):
    assert add_durations(total, session) == result


@pytest.mark.parametrize(("total", "session"), [("PT0S", "P"), ("P", "PT0S"), ("0000:01:00", "PT0S")])
def test_add_rejects_invalid(total, session):
    with pytest.raises(ValueError):
        add_durations(total, session)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, ZERO_DURATION), (0.0, ZERO_DURATION), (0.004, ZERO_DURATION), (0.006, "PT0.01S"), (1.5, "PT1.5S"),
     (60, "PT1M"), (3600, "PT1H"), (90061.5, "PT25H1M1.5S"), (360000 * 24, "PT2400H")],
)  # fmt: skip
def test_format_seconds(seconds, text):
    assert format_seconds(seconds) == text


@pytest.mark.parametrize("seconds", [-0.01, -1, float("inf"), float("nan")])
def test_format_seconds_rejects_what_is_no_duration(seconds):
    with pytest.raises(ValueError):
        format_seconds(seconds)


@pytest.mark.parametrize(
    ("timespan", "duration"),
    [("0000:00:00.00", ZERO_DURATION), ("00:00:00", ZERO_DURATION), ("0001:30:00", "PT1H30M"),
     ("48:01:45.5", "PT48H1M45.5S"), ("9999:59:59.99", "PT9999H59M59.99S"), ("00:00:00.05", "PT0.05S")],
)  # fmt: skip
def test_timespan_to_duration(timespan, duration):
    assert timespan_to_duration(timespan) == duration


@pytest.mark.parametrize(
    ("duration", "timespan"),
    [("PT0H0M0S", "0000:00:00.00"), ("P1DT0.5S", "0024:00:00.50"), ("PT90M", "0001:30:00.00"),
     ("PT9999H59M59.99S", "9999:59:59.99"), ("P416DT15H59M59.99S", "9999:59:59.99")],
)  # fmt: skip
def test_duration_to_timespan(duration, timespan):
    assert duration_to_timespan(duration) == (timespan, None)


@pytest.mark.parametrize("duration", ["PT10000H", "P1Y2M", "P417D", "PT9999H59M60S"])
def test_duration_to_timespan_clamps_with_a_warning(duration):
    timespan, warning = duration_to_timespan(duration)
    assert timespan == "9999:59:59.99"
    assert warning == f"duration {duration} exceeds 9999:59:59.99; clamped to 9999:59:59.99"


@pytest.mark.parametrize("value", ["P", "0001:00:00", "1:00:00", ""])
def test_duration_to_timespan_rejects_what_is_no_duration(value):
    with pytest.raises(ValueError):
        duration_to_timespan(value)


@pytest.mark.parametrize("value", ["PT1H", "1:00:00", "00:60:00", ""])
def test_timespan_to_duration_rejects_what_is_no_timespan(value):
    with pytest.raises(ValueError):
        timespan_to_duration(value)


# ---- properties ---------------------------------------------------------------

small = st.integers(0, 10**6)


@st.composite
def durations(draw):
    """Any valid timeinterval text: each field present or not, zero-padded
    or not, seconds with 0, 1 or 2 fraction digits."""
    fields = {unit: draw(st.one_of(st.none(), small)) for unit in ("Y", "Mo", "D", "H", "Mi", "S")}
    pad = draw(st.integers(0, 3))

    def part(unit, letter):
        return "" if fields[unit] is None else f"{fields[unit]:0{pad}d}{letter}"

    seconds = part("S", "")
    if seconds:
        seconds += draw(st.sampled_from(["", f".{draw(st.integers(0, 9))}", f".{draw(st.integers(0, 99)):02d}"])) + "S"
    clock = part("H", "H") + part("Mi", "M") + seconds
    date = part("Y", "Y") + part("Mo", "M") + part("D", "D")
    if not date and not clock:
        clock = "0S"
    return "P" + date + (f"T{clock}" if clock else "")


@given(durations())
def test_every_generated_duration_is_valid_and_canonical_form_keeps_it(value):
    assert is_duration(value)
    canonical = add_durations(value, ZERO_DURATION)
    assert is_duration(canonical)
    assert duration_centiseconds(canonical) == duration_centiseconds(value)
    assert add_durations(canonical, "PT0S") == canonical


@given(durations(), durations())
def test_add_is_commutative_and_the_centisecond_sum(a, b):
    total = add_durations(a, b)
    assert total == add_durations(b, a)
    assert duration_centiseconds(total) == duration_centiseconds(a) + duration_centiseconds(b)
    assert duration_centiseconds(total) >= max(duration_centiseconds(a), duration_centiseconds(b))


@given(durations(), durations(), durations())
def test_add_is_associative(a, b, c):
    assert add_durations(add_durations(a, b), c) == add_durations(a, add_durations(b, c))


@given(durations())
def test_years_and_months_stay_as_written(value):
    written, total = parse_duration(value), parse_duration(add_durations(value, "PT0S"))
    assert (total.years, total.months) == (written.years, written.months)
    assert total.hours < 24 and total.minutes < 60 and total.centiseconds < 6000


@given(st.integers(0, 10**13))
def test_format_seconds_round_trips_centiseconds(centis):
    text = format_seconds(centis / 100)
    assert is_duration(text) and duration_centiseconds(text) == centis
    assert "D" not in text


@given(st.integers(0, MAX_CENTISECONDS))
def test_timespan_round_trips(centis):
    timespan = format_timespan(centis)
    duration = timespan_to_duration(timespan)
    assert is_duration(duration) and duration_centiseconds(duration) == centis
    assert duration_to_timespan(duration) == (timespan, None)


@given(durations())
def test_duration_to_timespan_is_the_clamped_length(value):
    timespan, warning = duration_to_timespan(value)
    exact = duration_centiseconds(value)
    assert parse_timespan(timespan) == min(exact, MAX_CENTISECONDS)
    assert (warning is not None) == (exact > MAX_CENTISECONDS)


@given(st.builds(Duration, small, small, small, small, small, st.integers(0, 10**8)))
def test_written_durations_read_back_field_by_field(duration):
    assert parse_duration(write_duration(duration)) == duration
