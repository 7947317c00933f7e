"""LMSGetValue / LMSSetValue over a flat state, for content and for the LMS."""

import pytest
from cmi_samples import VALID_AND_INVALID, concrete
from hypothesis import given, settings
from hypothesis import strategies as st

from scormapi.cmi.scorm12 import (
    ELEMENTS,
    LaunchContext,
    get_value,
    initial_state,
    item_count,
    set_value,
    validate_value,
)
from scormapi.cmi.scorm12.errors import ScormError

OK = ScormError.NO_ERROR
DATA = [e for e in ELEMENTS if e.keyword is None]
KEYWORDS = [e for e in ELEMENTS if e.keyword is not None]
BY_ACCESS = {access: [e for e in DATA if e.access == access] for access in ("RO", "WO", "RW")}


def _ids(element):
    return element.pattern


def _state_with_items():
    """A state in which index 0 of every array exists."""
    return {
        "cmi.objectives.0.id": "o1",
        "cmi.interactions.0.id": "i1",
        "cmi.interactions.0.objectives.0.id": "o1",
        "cmi.interactions.0.correct_responses.0.pattern": "a",
    }


def _sample(element, index):
    return VALID_AND_INVALID[element.type][index]


# --- every data element, by access ---------------------------------------


@pytest.mark.parametrize("element", BY_ACCESS["RW"] + BY_ACCESS["WO"], ids=_ids)
@pytest.mark.parametrize("as_lms", [False, True])
def test_writable_element_stores_a_valid_value(element, as_lms):
    state, name, value = {}, concrete(element.pattern), _sample(element, 0)
    assert set_value(state, name, value, as_lms=as_lms) == OK
    assert state[name] == value


# Content writing a read-only element gets 403 before its value is looked at.
SETTABLE = [(e, lms) for e in DATA for lms in (False, True) if lms or e.access != "RO"]


@pytest.mark.parametrize(("element", "as_lms"), SETTABLE, ids=lambda p: getattr(p, "pattern", None))
def test_invalid_value_is_405_and_changes_nothing(element, as_lms):
    state = _state_with_items()
    before = dict(state)
    name = concrete(element.pattern)
    assert set_value(state, name, _sample(element, 1), as_lms=as_lms) == 405
    assert state == before


@pytest.mark.parametrize("element", BY_ACCESS["RO"], ids=_ids)
def test_read_only_element(element):
    state, name, value = {}, concrete(element.pattern), _sample(element, 0)
    assert set_value(state, name, value) == ScormError.READ_ONLY
    assert set_value(state, name, _sample(element, 1)) == ScormError.READ_ONLY
    assert state == {}
    assert set_value(state, name, value, as_lms=True) == OK
    assert get_value(state, name) == (value, OK)


@pytest.mark.parametrize("element", BY_ACCESS["WO"], ids=_ids)
def test_write_only_element(element):
    state, name, value = {}, concrete(element.pattern), _sample(element, 0)
    assert set_value(state, name, value) == OK
    assert get_value(state, name) == ("", ScormError.WRITE_ONLY)
    assert get_value(state, name, as_lms=True) == (value, OK)


@pytest.mark.parametrize("element", BY_ACCESS["RW"], ids=_ids)
@pytest.mark.parametrize("as_lms", [False, True])
def test_read_write_element_reads_back(element, as_lms):
    state, name, value = {}, concrete(element.pattern), _sample(element, 0)
    set_value(state, name, value)
    assert get_value(state, name, as_lms=as_lms) == (value, OK)


@pytest.mark.parametrize("element", BY_ACCESS["RW"] + BY_ACCESS["RO"], ids=_ids)
def test_unstored_element_reads_empty(element):
    name = concrete(element.pattern)
    # The objective item must exist without storing the element under test.
    creator = "cmi.objectives.0.status" if name == "cmi.objectives.0.id" else "cmi.objectives.0.id"
    state = {creator: "x"}
    assert get_value(state, name) == ("", OK)


@pytest.mark.parametrize("element", DATA, ids=_ids)
@pytest.mark.parametrize("value", [None, 5, 1.5, b"x"])
def test_non_string_value_is_405(element, value):
    state = {}
    assert set_value(state, concrete(element.pattern), value, as_lms=True) == 405
    assert validate_value(concrete(element.pattern), value) == 405
    assert state == {}


# --- keywords --------------------------------------------------------------


@pytest.mark.parametrize("element", KEYWORDS, ids=_ids)
@pytest.mark.parametrize("as_lms", [False, True])
def test_keywords_cannot_be_set(element, as_lms):
    state = _state_with_items()
    name = concrete(element.pattern)
    assert set_value(state, name, "1", as_lms=as_lms) == ScormError.KEYWORD_SET
    assert validate_value(name, "1") == ScormError.KEYWORD_SET
    assert name not in state


@pytest.mark.parametrize("element", [e for e in KEYWORDS if e.keyword != "count"], ids=_ids)
@pytest.mark.parametrize("as_lms", [False, True])
def test_fixed_keywords_read_from_the_table(element, as_lms):
    assert get_value(_state_with_items(), concrete(element.pattern), as_lms=as_lms) == (
        element.value,
        OK,
    )


@pytest.mark.parametrize("as_lms", [False, True])
def test_cmi_children_lists_the_top_level_categories(as_lms):
    state = {"cmi.core.lesson_status": "incomplete"}
    assert get_value(state, "cmi._children", as_lms=as_lms) == (
        "core,suspend_data,launch_data,comments,objectives,student_data,student_preference,interactions",
        OK,
    )
    assert set_value(state, "cmi._children", "core", as_lms=as_lms) == ScormError.KEYWORD_SET
    assert validate_value("cmi._children", "core") == ScormError.KEYWORD_SET
    assert state == {"cmi.core.lesson_status": "incomplete"}


COUNTS = [e for e in KEYWORDS if e.keyword == "count"]


def _first_leaf(array_pattern):
    """The first data element directly inside one item of an array."""
    depth = array_pattern.count(".") + 3
    return next(
        e.pattern for e in DATA
        if e.pattern.startswith(array_pattern + ".n.") and e.pattern.count(".") + 1 == depth
    )


@pytest.mark.parametrize("element", COUNTS, ids=_ids)
def test_counts_start_at_zero_and_follow_the_state(element):
    array_pattern = element.pattern[: -len("._count")]
    leaf = _first_leaf(array_pattern).rsplit(".", 1)[1]
    name, array = concrete(element.pattern), concrete(array_pattern)
    state = {"cmi.interactions.0.id": "i"} if array.startswith("cmi.interactions.0.") else {}
    assert get_value(state, name) == ("0", OK)
    for index in range(3):
        assert set_value(state, f"{array}.{index}.{leaf}", "v1", as_lms=True) == OK
    assert get_value(state, name) == ("3", OK)
    assert get_value(state, name, as_lms=True) == ("3", OK)
    assert item_count(state, array) == 3


@pytest.mark.parametrize("count", [0, 1, 2, 3, 7, 8, 9, 63, 64, 65, 100, 257])
def test_count_of_many_items(count):
    state = {f"cmi.objectives.{i}.id": "o" for i in range(count)}
    assert get_value(state, "cmi.objectives._count") == (str(count), OK)


@pytest.mark.parametrize(
    "key",
    [
        "cmi.objectives.0.score.min",
        "cmi.objectives.0.status",
        "cmi.interactions.0.latency",
        "cmi.interactions.0.objectives.0.id",
        "cmi.interactions.0.correct_responses.0.pattern",
    ],
)
def test_any_stored_element_makes_the_item_exist(key):
    array = key.split(".0.", 1)[0]
    assert item_count({key: "x"}, array) == 1


def test_count_stops_at_the_first_missing_item():
    # Only a hand-assembled state can have a gap; set_value appends in order.
    state = {"cmi.objectives.0.id": "a", "cmi.objectives.4.id": "e"}
    assert item_count(state, "cmi.objectives") == 1
    assert get_value(state, "cmi.objectives._count") == ("1", OK)
    assert get_value(state, "cmi.objectives.4.id") == ("e", OK)  # nothing stored is hidden
    assert get_value(state, "cmi.objectives.2.id") == ("", ScormError.INVALID_ARGUMENT)


@pytest.mark.parametrize("array", ["cmi.core", "cmi.objectives.0", "cmi.foo", "cmi.01", "", None])
def test_item_count_of_a_non_array(array):
    with pytest.raises(ValueError):
        item_count({}, array)


def test_count_ignores_lookalike_keys():
    state = {"cmi.objectivesX.0.id": "a", "cmi.objectives.x.id": "b", "cmi.objectives.01.id": "c"}
    assert item_count(state, "cmi.objectives") == 0


def test_nested_counts_are_per_item():
    state = {
        "cmi.interactions.0.id": "i0",
        "cmi.interactions.0.objectives.0.id": "a",
        "cmi.interactions.0.objectives.1.id": "b",
        "cmi.interactions.1.id": "i1",
    }
    assert get_value(state, "cmi.interactions._count") == ("2", OK)
    assert get_value(state, "cmi.interactions.0.objectives._count") == ("2", OK)
    assert get_value(state, "cmi.interactions.1.objectives._count") == ("0", OK)
    assert get_value(state, "cmi.interactions.1.correct_responses._count") == ("0", OK)


# --- arrays: append in order, read only what exists -------------------------


def test_append_in_order():
    state = {}
    assert set_value(state, "cmi.interactions.1.id", "q") == ScormError.INVALID_ARGUMENT
    assert set_value(state, "cmi.interactions.0.id", "q0") == OK
    assert set_value(state, "cmi.interactions.0.result", "correct") == OK  # n < count
    assert set_value(state, "cmi.interactions.1.id", "q1") == OK  # n == count
    assert set_value(state, "cmi.interactions.3.id", "q3") == ScormError.INVALID_ARGUMENT
    assert get_value(state, "cmi.interactions._count") == ("2", OK)


def test_nested_append_needs_each_level_in_order():
    state = {}
    name = "cmi.interactions.0.correct_responses.{}.pattern"
    assert set_value(state, "cmi.interactions.1.correct_responses.0.pattern", "a") == 201
    assert set_value(state, name.format(1), "a") == 201
    assert set_value(state, name.format(0), "a") == OK  # appends both levels
    assert set_value(state, name.format(1), "b") == OK
    assert set_value(state, name.format(3), "c") == 201
    assert get_value(state, "cmi.interactions._count") == ("1", OK)
    assert get_value(state, "cmi.interactions.0.correct_responses._count") == ("2", OK)


@pytest.mark.parametrize("as_lms", [False, True])
def test_index_rules_apply_to_the_lms_too(as_lms):
    assert set_value({}, "cmi.objectives.1.id", "o", as_lms=as_lms) == 201


@pytest.mark.parametrize(
    "name",
    [
        "cmi.objectives.0.id",
        "cmi.objectives.0.score.raw",
        "cmi.objectives.0.score._children",
        "cmi.interactions.0.id",
        "cmi.interactions.0.objectives._count",
        "cmi.interactions.0.correct_responses._count",
        "cmi.interactions.0.objectives.0.id",
    ],
)
@pytest.mark.parametrize("as_lms", [False, True])
def test_reading_an_item_beyond_the_count_is_201(name, as_lms):
    assert get_value({}, name, as_lms=as_lms) == ("", ScormError.INVALID_ARGUMENT)


def test_reading_beyond_the_count_of_an_existing_array():
    state = {"cmi.objectives.0.id": "o1"}
    assert get_value(state, "cmi.objectives.0.id") == ("o1", OK)
    assert get_value(state, "cmi.objectives.1.id") == ("", ScormError.INVALID_ARGUMENT)


# --- name errors reach get and set unchanged --------------------------------


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("cmi.foo", 401),
        ("cmi.core.foo", 201),
        ("cmi.core.student_id._children", 202),
        ("cmi.core._count", 203),
        ("cmi.interactions.01.id", 201),
        (None, 401),
    ],
)
@pytest.mark.parametrize("as_lms", [False, True])
def test_name_errors(name, error, as_lms):
    state = {}
    assert get_value(state, name, as_lms=as_lms) == ("", error)
    assert set_value(state, name, "x", as_lms=as_lms) == error
    assert validate_value(name, "x") == error
    assert state == {}


# --- value rules particular to elements --------------------------------------


def test_content_may_not_set_not_attempted():
    state = {"cmi.core.lesson_status": "incomplete"}
    assert set_value(state, "cmi.core.lesson_status", "not attempted") == 405
    assert state["cmi.core.lesson_status"] == "incomplete"
    assert validate_value("cmi.core.lesson_status", "not attempted") == OK
    assert set_value(state, "cmi.core.lesson_status", "not attempted", as_lms=True) == OK


def test_objective_status_may_be_not_attempted():
    state = {}
    assert set_value(state, "cmi.objectives.0.status", "not attempted") == OK


@pytest.mark.parametrize("element", ["cmi.core.score.raw", "cmi.objectives.0.score.max"])
def test_scores_may_be_blanked(element):
    state = {}
    assert set_value(state, element, "80") == OK
    assert set_value(state, element, "") == OK
    assert get_value(state, element) == ("", OK)


@pytest.mark.parametrize(
    ("length", "limit", "error"),
    [(4096, None, 0), (4097, None, 405), (4097, 64000, 0), (64000, 64000, 0), (64001, 64000, 405)],
)
def test_suspend_data_limit(length, limit, error):
    state, value = {}, "x" * length
    options = {} if limit is None else {"suspend_data_limit": limit}
    assert set_value(state, "cmi.suspend_data", value, **options) == error
    assert validate_value("cmi.suspend_data", value, **options) == error
    assert ("cmi.suspend_data" in state) == (error == 0)


def test_operator_limit_applies_to_suspend_data_only():
    assert set_value({}, "cmi.comments", "x" * 4097, suspend_data_limit=64000) == 405


def test_set_replaces_rather_than_appends():
    state = {}
    set_value(state, "cmi.comments", "first")
    set_value(state, "cmi.comments", "second")
    assert state["cmi.comments"] == "second"


def test_exit_and_entry_accept_blank():
    state = {}
    assert set_value(state, "cmi.core.exit", "") == OK
    assert set_value(state, "cmi.core.entry", "", as_lms=True) == OK


# --- launch context and first-launch state -----------------------------------


def test_initial_state_minimal():
    state = initial_state(LaunchContext(student_id="u-1", student_name="Doe, Jane"))
    assert state == {
        "cmi.core.student_id": "u-1",
        "cmi.core.student_name": "Doe, Jane",
        "cmi.core.credit": "credit",
        "cmi.core.lesson_mode": "normal",
        "cmi.core.lesson_status": "not attempted",
        "cmi.core.entry": "ab-initio",
        "cmi.core.total_time": "0000:00:00.00",
        "cmi.launch_data": "",
        "cmi.comments_from_lms": "",
    }


def test_initial_state_full_reads_back_through_the_api():
    ctx = LaunchContext(
        student_id="u-1",
        student_name="Doe, Jane",
        credit="no-credit",
        lesson_mode="browse",
        launch_data="chapter=2",
        mastery_score="80",
        max_time_allowed="00:30:00",
        time_limit_action="exit,message",
        comments_from_lms="Welcome",
    )
    state = initial_state(ctx)
    expected = {
        "cmi.core.credit": "no-credit",
        "cmi.core.lesson_mode": "browse",
        "cmi.launch_data": "chapter=2",
        "cmi.student_data.mastery_score": "80",
        "cmi.student_data.max_time_allowed": "00:30:00",
        "cmi.student_data.time_limit_action": "exit,message",
        "cmi.comments_from_lms": "Welcome",
        "cmi.core.total_time": "0000:00:00.00",
    }
    for name, value in expected.items():
        assert get_value(state, name) == (value, OK)


def test_initial_state_is_valid_for_every_element():
    state = initial_state(LaunchContext("u-1", "Doe, Jane", mastery_score="75.5"))
    for name, value in state.items():
        assert validate_value(name, value) == OK, name


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("student_id", ""),
        ("student_id", "has space"),
        ("student_name", "x" * 256),
        ("credit", "yes"),
        ("lesson_mode", "exam"),
        ("launch_data", "x" * 4097),
        ("mastery_score", "eighty"),
        ("max_time_allowed", "30 min"),
        ("time_limit_action", "stop"),
        ("comments_from_lms", "x" * 4097),
        ("student_id", 42),
    ],
)
def test_launch_context_rejects_invalid_values(field, value):
    values = {"student_id": "u-1", "student_name": "Doe, Jane", field: value}
    with pytest.raises(ValueError, match=field.split("_")[-1]):
        LaunchContext(**values)


# --- properties over random sequences of writes ------------------------------

WRITABLE = [e.pattern for e in DATA if e.access != "RO"]


@st.composite
def writes(draw):
    """A content write: an element with random indexes and a value that is
    either the type's valid sample or short random text."""
    pattern = draw(st.sampled_from(WRITABLE))
    parts = [str(draw(st.integers(0, 3))) if p == "n" else p for p in pattern.split(".")]
    element = next(e for e in DATA if e.pattern == pattern)
    value = draw(st.one_of(st.just(VALID_AND_INVALID[element.type][0]),
                           st.text("0123456789.-: abc", max_size=6)))
    return ".".join(parts), value


def _items(state, array):
    """Indexes of items that have a stored key under `array`."""
    prefix = array + "."
    return {int(k[len(prefix):].split(".")[0]) for k in state
            if k.startswith(prefix) and k[len(prefix):].split(".")[0].isdigit()}


@settings(max_examples=150, deadline=None)
@given(st.lists(writes(), max_size=40))
def test_writes_keep_items_contiguous_and_values_valid(operations):
    state = {}
    for name, value in operations:
        before = dict(state)
        error = set_value(state, name, value)
        assert state == (before if error else {**before, name: value})
    for name, value in state.items():
        assert validate_value(name, value) == OK
    arrays = ["cmi.objectives", "cmi.interactions"] + [
        f"cmi.interactions.{i}.{sub}" for i in _items(state, "cmi.interactions")
        for sub in ("objectives", "correct_responses")
    ]
    for array in arrays:
        assert _items(state, array) == set(range(item_count(state, array)))
