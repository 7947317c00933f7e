import pytest
from hypothesis import given
from hypothesis import strategies as st

from scormapi.cmi.scorm12.timespan import (
    MAX_CENTISECONDS,
    ZERO_TIMESPAN,
    add_timespans,
    format_timespan,
    is_time,
    is_timespan,
    parse_timespan,
    timespan_seconds,
)

HOUR = 360_000


@pytest.mark.parametrize(
    ("text", "centiseconds"),
    [
        ("00:00:00", 0),
        ("0000:00:00.00", 0),
        ("00:00:00.5", 50),
        ("00:00:00.05", 5),
        ("00:00:01.1", 110),
        ("00:01:00", 6_000),
        ("48:01:45", 48 * HOUR + 105 * 100),
        ("123:00:00", 123 * HOUR),
        ("9999:59:59.99", MAX_CENTISECONDS),
    ],
)
def test_parse_valid(text, centiseconds):
    assert is_timespan(text)
    assert parse_timespan(text) == centiseconds


INVALID_TIMESPANS = [
    "",
    "1:00:00",  # hours need 2 digits
    "10000:00:00",  # at most 4
    "00:60:00",
    "00:00:60",
    "00:0:00",
    "00:00:0",
    "00:00",
    "00:00:00.",
    "00:00:00.123",
    " 00:00:00",
    "00:00:00 ",
    "00:00:00\n",
    "-01:00:00",
    "PT1H",
    "\u0660\u0660:00:00",  # Arabic-Indic digits are not [0-9]
]


@pytest.mark.parametrize("text", [*INVALID_TIMESPANS, None, 5])
def test_parse_invalid(text):
    assert not is_timespan(text)
    with pytest.raises(ValueError):
        parse_timespan(text)


@pytest.mark.parametrize(
    ("centiseconds", "text"),
    [
        (0, ZERO_TIMESPAN),
        (1, "0000:00:00.01"),
        (6_000, "0000:01:00.00"),
        (MAX_CENTISECONDS, "9999:59:59.99"),
        (MAX_CENTISECONDS + 1, "9999:59:59.99"),
        (10**12, "9999:59:59.99"),
    ],
)
def test_format(centiseconds, text):
    assert format_timespan(centiseconds) == text


def test_format_rejects_negative():
    with pytest.raises(ValueError):
        format_timespan(-1)


def test_add_spec_example():
    assert add_timespans("48:01:45", "13:00:16") == ("0061:02:01.00", None)


def test_add_clamps_with_warning():
    total, warning = add_timespans("9999:00:00", "01:00:00")
    assert total == "9999:59:59.99"
    assert "10000:00:00.00" in warning and "clamped" in warning


def test_add_exact_maximum_is_not_clamped():
    assert add_timespans("9999:59:59.98", "00:00:00.01") == ("9999:59:59.99", None)


@pytest.mark.parametrize(("a", "b"), [("1:00:00", "00:00:00"), ("00:00:00", "x")])
def test_add_rejects_invalid(a, b):
    with pytest.raises(ValueError):
        add_timespans(a, b)


def test_timespan_seconds():
    assert timespan_seconds("01:01:30.5") == 3690.5
    with pytest.raises(ValueError):
        timespan_seconds("nope")


@pytest.mark.parametrize("text", ["00:00:00", "23:59:59", "23:59:59.99", "12:30:00.5"])
def test_time_valid(text):
    assert is_time(text)


@pytest.mark.parametrize(
    "text",
    ["24:00:00", "7:00:00", "12:60:00", "12:00:60", "12:00:00.123", "0012:00:00", "", None],
)
def test_time_invalid(text):
    assert not is_time(text)


centis = st.integers(min_value=0, max_value=MAX_CENTISECONDS)


@st.composite
def timespans(draw, max_hours=9999):
    """Any valid CMITimespan text, with every optional form."""
    hours = draw(st.integers(0, max_hours))
    width = draw(st.integers(max(2, len(str(hours))), 4))
    minutes, seconds = draw(st.integers(0, 59)), draw(st.integers(0, 59))
    fraction = draw(st.sampled_from(["", ".{}".format(draw(st.integers(0, 9))),
                                     ".{:02d}".format(draw(st.integers(0, 99)))]))
    return f"{hours:0{width}d}:{minutes:02d}:{seconds:02d}{fraction}"


@given(centis)
def test_parse_of_format_round_trips(value):
    assert parse_timespan(format_timespan(value)) == value


@given(timespans())
def test_format_of_parse_normalises(text):
    canonical = format_timespan(parse_timespan(text))
    assert len(canonical) == 13 and is_timespan(canonical)
    assert parse_timespan(canonical) == parse_timespan(text)
    assert format_timespan(parse_timespan(canonical)) == canonical


@given(timespans(max_hours=4999), timespans(max_hours=4999))
def test_add_is_commutative_and_the_integer_sum(a, b):
    total, warning = add_timespans(a, b)
    assert warning is None
    assert total == add_timespans(b, a)[0]
    assert parse_timespan(total) == parse_timespan(a) + parse_timespan(b)


@given(timespans(max_hours=3333), timespans(max_hours=3333), timespans(max_hours=3333))
def test_add_is_associative_below_the_clamp(a, b, c):
    left = add_timespans(add_timespans(a, b)[0], c)[0]
    right = add_timespans(a, add_timespans(b, c)[0])[0]
    assert left == right


@given(timespans(), timespans())
def test_clamping_never_produces_an_invalid_value(a, b):
    total, warning = add_timespans(a, b)
    exact = parse_timespan(a) + parse_timespan(b)
    assert is_timespan(total)
    assert parse_timespan(total) == min(exact, MAX_CENTISECONDS)
    assert (warning is not None) == (exact > MAX_CENTISECONDS)


@given(st.integers(min_value=0, max_value=10**15))
def test_format_is_always_valid(value):
    assert is_timespan(format_timespan(value))
