"""The version-neutral engine on a small data model defined here: an array
whose elements depend on one another, a keyed element, read-only, write-only
and keyword elements; and how a version turns outcomes into its numbers."""

import pytest

from scormapi.cmi import scorm12
from scormapi.cmi.datatypes import DataType
from scormapi.cmi.engine import (
    KEYWORD_CHILDREN,
    KEYWORD_COUNT,
    KEYWORD_VERSION,
    DataModel,
    Element,
    Resolved,
)
from scormapi.cmi.outcomes import Outcome
from scormapi.cmi.scorm12.errors import CODES, ScormError

TYPES = {
    "text": DataType("text", "at most 10 characters", max_length=10),
    "id": DataType("id", "a lowercase identifier", pattern="[a-z0-9_]+", max_length=20),
    "kind": DataType("kind", "a kind", vocabulary=("choice", "other", "none")),
    "level": DataType("level", "an integer 0..10", pattern="[0-9]+", minimum=0, maximum=10),
    "integer": DataType("integer", "an integer", pattern="[0-9]+"),
}
ELEMENTS = (
    Element("toy._version", "text", "RO", keyword=KEYWORD_VERSION, value="1.0"),
    Element("toy.items._children", "text", "RO", keyword=KEYWORD_CHILDREN, value="id,kind,answers"),
    Element("toy.items._count", "integer", "RO", keyword=KEYWORD_COUNT),
    Element("toy.items.n.id", "id", "RW"),
    # Only the LMS may say an item has no kind.
    Element("toy.items.n.kind", "kind", "RW", content_excluded=("none",), requires="toy.items.n.id"),
    Element("toy.items.n.answers._count", "integer", "RO", keyword=KEYWORD_COUNT),
    Element("toy.items.n.answers.n.text", "text", "RW", requires="toy.items.n.kind"),
    Element("toy.learner", "text", "RO"),
    Element("toy.exit", "text", "WO"),
    Element("toy.level", "level", "RW"),
    Element("toy.notes", "text", "RW", operator_limit=True),
    Element("toy.valid.choice.{target}", "kind", "RO"),
)
MODEL = DataModel(ELEMENTS, TYPES)
ITEM = {"toy.items.0.id": "q1", "toy.items.0.kind": "choice", "toy.items.0.answers.0.text": "a"}


def _set(state, name, value, **kwargs):
    """The outcome of a set, and the state it leaves."""
    state = dict(state)
    return MODEL.set_value(state, name, value, **kwargs), state


# --- resolution --------------------------------------------------------


def test_resolve_returns_the_rule_indexes_and_keys():
    resolved = MODEL.resolve("toy.items.3.answers.1.text")
    assert resolved == Resolved(
        "toy.items.3.answers.1.text",
        ELEMENTS[6],
        (3, 1),
        (("toy.items", 3), ("toy.items.3.answers", 1)),
    )
    keyed = MODEL.resolve("toy.valid.choice.{target=unit.1}")
    assert (keyed.element.pattern, keyed.keys) == ("toy.valid.choice.{target}", (("target", "unit.1"),))


UNRESOLVED = [
    ("other.x", Outcome.UNDEFINED),
    ("toy.items", Outcome.UNDEFINED),
    ("toy.items.0.colour", Outcome.UNKNOWN_CHILD),
    ("toy.items.01.id", Outcome.MALFORMED_INDEX),
    ("toy.learner._children", Outcome.NO_CHILDREN),
    ("toy.level._count", Outcome.NOT_AN_ARRAY),
    ("toy.valid.choice", Outcome.MISSING_KEY),
    ("toy.items.0._version", Outcome.NO_VERSION),
    (7, Outcome.UNDEFINED),
]


@pytest.mark.parametrize(("name", "outcome"), UNRESOLVED)
def test_resolve_names_why_a_name_has_no_rule(name, outcome):
    assert MODEL.resolve(name) == outcome
    assert MODEL.get_value(ITEM, name) == ("", outcome)
    assert _set(ITEM, name, "x") == (outcome, ITEM)


# --- get ---------------------------------------------------------------


GETS = [
    ("toy._version", ("1.0", Outcome.OK)),
    ("toy.items._children", ("id,kind,answers", Outcome.OK)),
    ("toy.items._count", ("1", Outcome.OK)),
    ("toy.items.0.answers._count", ("1", Outcome.OK)),
    ("toy.items.0.kind", ("choice", Outcome.OK)),
    ("toy.items.1.id", ("", Outcome.NO_SUCH_ITEM)),
    ("toy.items.0.answers.1.text", ("", Outcome.NO_SUCH_ITEM)),
    ("toy.items.1.answers._count", ("", Outcome.NO_SUCH_ITEM)),
    ("toy.exit", ("", Outcome.WRITE_ONLY)),
    ("toy.level", ("", Outcome.VALUE_NOT_INITIALIZED)),
    ("toy.valid.choice.{target=intro}", ("other", Outcome.OK)),
    ("toy.valid.choice.{target=outro}", ("", Outcome.VALUE_NOT_INITIALIZED)),
]
GET_STATE = {**ITEM, "toy.exit": "done", "toy.valid.choice.{target=intro}": "other"}


@pytest.mark.parametrize(("name", "answer"), GETS)
def test_get_value(name, answer):
    assert MODEL.get_value(GET_STATE, name) == answer


def test_the_lms_reads_write_only_elements():
    assert MODEL.get_value({"toy.exit": "done"}, "toy.exit", as_lms=True) == ("done", Outcome.OK)


def test_counts_come_from_the_keys_present():
    state = {f"toy.items.{i}.id": f"q{i}" for i in range(5)} | {"toy.items.2.answers.0.text": "a"}
    assert MODEL.item_count(state, "toy.items") == 5
    assert MODEL.item_count(state, "toy.items.2.answers") == 1
    assert MODEL.item_count(state, "toy.items.3.answers") == 0
    assert MODEL.get_value(state, "toy.items._count") == ("5", Outcome.OK)
    for not_an_array in ("toy.learner", "toy.items.0", "toy.items.n.answers", "toy"):
        with pytest.raises(ValueError):
            MODEL.item_count(state, not_an_array)


# --- set ---------------------------------------------------------------


REFUSED_SETS = [
    ("toy.items._count", "2", Outcome.KEYWORD_IS_READ_ONLY),
    ("toy._version", "2.0", Outcome.KEYWORD_IS_READ_ONLY),
    ("toy.learner", "Jo", Outcome.READ_ONLY),
    ("toy.valid.choice.{target=intro}", "choice", Outcome.READ_ONLY),
    ("toy.items.2.id", "q3", Outcome.INDEX_OUT_OF_ORDER),
    ("toy.items.0.answers.2.text", "c", Outcome.INDEX_OUT_OF_ORDER),
    ("toy.items.1.kind", "other", Outcome.DEPENDENCY_NOT_ESTABLISHED),
    ("toy.level", "high", Outcome.TYPE_MISMATCH),
    ("toy.level", 5, Outcome.TYPE_MISMATCH),
    ("toy.level", "11", Outcome.OUT_OF_RANGE),
    ("toy.notes", "x" * 11, Outcome.TOO_LONG),
    ("toy.items.0.kind", "none", Outcome.RESERVED_FOR_LMS),
]


@pytest.mark.parametrize(("name", "value", "outcome"), REFUSED_SETS)
def test_set_refusals_change_nothing(name, value, outcome):
    assert _set(ITEM, name, value) == (outcome, ITEM)


def test_an_item_is_appended_at_count_and_its_dependencies_follow():
    outcome, state = _set({}, "toy.items.0.id", "q1")
    assert (outcome, state) == (Outcome.OK, {"toy.items.0.id": "q1"})
    # The answers of an item depend on its kind, which depends on its id.
    assert _set(state, "toy.items.0.answers.0.text", "a") == (Outcome.DEPENDENCY_NOT_ESTABLISHED, state)
    assert _set(state, "toy.items.1.kind", "choice") == (Outcome.DEPENDENCY_NOT_ESTABLISHED, state)
    outcome, state = _set(state, "toy.items.0.kind", "choice")
    outcome, state = _set(state, "toy.items.0.answers.0.text", "a")
    assert (outcome, state) == (Outcome.OK, ITEM)


def test_dependencies_are_checked_after_the_index_and_before_the_value():
    assert _set({}, "toy.items.1.kind", "choice")[0] == Outcome.INDEX_OUT_OF_ORDER
    assert _set({}, "toy.items.0.kind", "bogus")[0] == Outcome.DEPENDENCY_NOT_ESTABLISHED


def test_the_lms_sets_read_only_elements_and_reserved_values():
    assert _set({}, "toy.learner", "Jo", as_lms=True) == (Outcome.OK, {"toy.learner": "Jo"})
    name = "toy.valid.choice.{target=intro}"
    assert _set({}, name, "none", as_lms=True) == (Outcome.OK, {name: "none"})
    assert _set(ITEM, "toy.items.0.kind", "none", as_lms=True) == (Outcome.OK, {**ITEM, "toy.items.0.kind": "none"})
    # Keywords and dependencies bind the LMS too.
    assert _set({}, "toy._version", "2", as_lms=True) == (Outcome.KEYWORD_IS_READ_ONLY, {})
    assert _set({}, "toy.items.0.kind", "choice", as_lms=True) == (Outcome.DEPENDENCY_NOT_ESTABLISHED, {})


def test_values_are_stored_as_given():
    # "{lang=en}" and dots in a value are text, never part of a name.
    outcome, state = _set({}, "toy.notes", "{x=y}a.b")
    assert (outcome, state) == (Outcome.OK, {"toy.notes": "{x=y}a.b"})


def test_the_operator_limit_applies_only_where_the_table_allows_it():
    assert _set({}, "toy.notes", "x" * 50, operator_max_length=50) == (Outcome.OK, {"toy.notes": "x" * 50})
    assert _set({}, "toy.learner", "x" * 50, as_lms=True, operator_max_length=50)[0] == Outcome.TOO_LONG


def test_validate_value_checks_only_name_keyword_and_type():
    assert MODEL.validate_value("toy.learner", "Jo") == Outcome.OK
    assert MODEL.validate_value("toy.items.7.kind", "none") == Outcome.OK
    assert MODEL.validate_value("toy.items._count", "1") == Outcome.KEYWORD_IS_READ_ONLY
    assert MODEL.validate_value("toy.level", "11") == Outcome.OUT_OF_RANGE
    assert MODEL.validate_value("toy.notes", "x" * 11, operator_max_length=11) == Outcome.OK
    assert MODEL.validate_value("toy.nothing", "x") == Outcome.UNDEFINED


def test_every_outcome_is_reached():
    """The cases above, run again: together they reach every outcome but
    those of the rules SCORM 2004 adds (test_engine_rules_2004)."""
    reached = {MODEL.resolve(name) for name, _ in UNRESOLVED}
    reached |= {MODEL.get_value(GET_STATE, name)[1] for name, _ in GETS}
    reached |= {_set(ITEM, name, value)[0] for name, value, _ in REFUSED_SETS}
    assert set(Outcome) - reached == {Outcome.ITEM_LIMIT, Outcome.NOT_UNIQUE, Outcome.WRITE_ONCE}


# --- table JSON ----------------------------------------------------------


def test_table_json():
    data = MODEL.table_json(operator_max_length=50)
    assert list(data) == ["index_regex", "regex_flags", "types", "elements", "arrays"]
    assert list(data["types"]) == ["id", "integer", "kind", "level", "text"]
    assert data["arrays"] == {"toy.items": ["id", "kind", "answers.0.text"], "toy.items.n.answers": ["text"]}
    rows = {row["pattern"]: row for row in data["elements"]}
    assert rows["toy.items.n.kind"] == {
        "pattern": "toy.items.n.kind", "type": "kind", "access": "RW", "keyword": None, "value": None,
        "content_excluded": ["none"], "max_length": None, "requires": "toy.items.n.id",
    }
    assert "requires" not in rows["toy.items.n.id"]
    assert rows["toy.notes"]["max_length"] == 50


# --- building a model ------------------------------------------------------


@pytest.mark.parametrize(
    ("elements", "message"),
    [
        ((Element("a.b", "nope", "RW"),), "unknown type or dependency: a.b"),
        ((Element("a.n.b", "text", "RW", requires="a.n.c"),), "unknown type or dependency: a.n.b"),
        (
            (Element("a.n._count", "integer", "RO", keyword=KEYWORD_COUNT),
             Element("a.n.b", "text", "RW", requires="a.n._count")),
            "unknown type or dependency: a.n.b",
        ),
        ((Element("a.n.{target}", "text", "RW"),), "a keyed segment inside an array item: 'a.n.{target}'"),
        ((Element("a.b", "text", "RW"), Element("a.b", "text", "RO")), "pattern listed twice: 'a.b'"),
    ],
)
def test_an_inconsistent_table_is_refused(elements, message):
    with pytest.raises(ValueError) as raised:
        DataModel(elements, TYPES)
    assert str(raised.value) == message


# --- outcomes to numbers ---------------------------------------------------

SCORM12_CODES = {
    Outcome.OK: 0, Outcome.VALUE_NOT_INITIALIZED: 0, Outcome.UNDEFINED: 401, Outcome.UNKNOWN_CHILD: 201,
    Outcome.MALFORMED_INDEX: 201, Outcome.NO_CHILDREN: 202, Outcome.NOT_AN_ARRAY: 203,
    Outcome.MISSING_KEY: 201, Outcome.NO_VERSION: 201, Outcome.NO_SUCH_ITEM: 201, Outcome.INDEX_OUT_OF_ORDER: 201,
    Outcome.ITEM_LIMIT: 201, Outcome.KEYWORD_IS_READ_ONLY: 402,
    Outcome.READ_ONLY: 403, Outcome.WRITE_ONLY: 404, Outcome.DEPENDENCY_NOT_ESTABLISHED: 101,
    Outcome.NOT_UNIQUE: 101, Outcome.WRITE_ONCE: 101,
    Outcome.TYPE_MISMATCH: 405, Outcome.OUT_OF_RANGE: 405, Outcome.TOO_LONG: 405,
    Outcome.RESERVED_FOR_LMS: 405,
}


def test_scorm12_has_a_number_for_every_outcome():
    assert {outcome: int(code) for outcome, code in CODES.items()} == SCORM12_CODES
    assert all(isinstance(code, ScormError) for code in CODES.values())


# SCORM 1.2 inputs that reach each outcome, and what content sees for them.
SCORM12_SETS = [
    ("cmi.core.score.raw", "50", Outcome.OK),
    ("cmi.core.foo", "x", Outcome.UNKNOWN_CHILD),
    ("cmi.foo", "x", Outcome.UNDEFINED),
    ("cmi.interactions.01.id", "q", Outcome.MALFORMED_INDEX),
    ("cmi.core.lesson_status._children", "x", Outcome.NO_CHILDREN),
    ("cmi.core._count", "1", Outcome.NOT_AN_ARRAY),
    ("cmi.interactions.1.id", "q", Outcome.INDEX_OUT_OF_ORDER),
    ("cmi.core._children", "x", Outcome.KEYWORD_IS_READ_ONLY),
    ("cmi.core.student_id", "s", Outcome.READ_ONLY),
    ("cmi.core.score.raw", "abc", Outcome.TYPE_MISMATCH),
    ("cmi.core.score.raw", "101", Outcome.OUT_OF_RANGE),
    ("cmi.suspend_data", "x" * 4097, Outcome.TOO_LONG),
    ("cmi.core.lesson_status", "not attempted", Outcome.RESERVED_FOR_LMS),
]


@pytest.mark.parametrize(("name", "value", "outcome"), SCORM12_SETS, ids=lambda p: str(p)[:30])
def test_scorm12_set_reports_the_number_of_the_engine_outcome(name, value, outcome):
    assert scorm12.MODEL.set_value({}, name, value, operator_max_length=4096) == outcome
    assert scorm12.set_value({}, name, value) == SCORM12_CODES[outcome]


@pytest.mark.parametrize(
    ("name", "outcome", "answer"),
    [
        ("cmi.core.lesson_location", Outcome.VALUE_NOT_INITIALIZED, ("", 0)),
        ("cmi.objectives.0.id", Outcome.NO_SUCH_ITEM, ("", 201)),
        ("cmi.core.exit", Outcome.WRITE_ONLY, ("", 404)),
    ],
)
def test_scorm12_get_reports_the_number_of_the_engine_outcome(name, outcome, answer):
    assert scorm12.MODEL.get_value({}, name) == ("", outcome)
    assert scorm12.get_value({}, name) == answer
