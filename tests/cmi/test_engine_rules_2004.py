"""The engine's rules SCORM 2004 needs, on a small model defined here:
access checked after placement, a type another element picks, unique and
write-once values, an array limit that depends on a type, a change that
clears dependent values, defaults and an evaluated value."""

import pytest

from scormapi.cmi.datatypes import DataType
from scormapi.cmi.engine import KEYWORD_COUNT, KEYWORD_VERSION, DataModel, Element, Evaluation
from scormapi.cmi.outcomes import Outcome

TYPES = {
    "text": DataType("text", "at most 10 characters", max_length=10),
    "id": DataType("id", "a lowercase identifier", pattern="[a-z0-9_]+", max_length=20),
    "kind": DataType("kind", "a kind", vocabulary=("choice", "other")),
    "answer.choice": DataType("answer.choice", "letters", pattern="[a-z]+"),
    "answer.other": DataType("answer.other", "at most 5 characters", max_length=5),
    "measure": DataType("measure", "a number 0..1", pattern=r"[0-9]+(?:\.[0-9]+)?", minimum=0, maximum=1),
    "status": DataType("status", "a status", vocabulary=("done", "undone", "unknown")),
    "yesno": DataType("yesno", "true or false", vocabulary=("true", "false")),
    "integer": DataType("integer", "an integer", pattern="[0-9]+"),
}
ELEMENTS = (
    Element("toy._version", "text", "RO", keyword=KEYWORD_VERSION, value="1.0"),
    Element("toy.items._count", "integer", "RO", keyword=KEYWORD_COUNT),
    Element("toy.items.n.id", "id", "RW", unique=True, write_once=True),
    Element("toy.items.n.kind", "kind", "RW", requires="toy.items.n.id",
            clears=("toy.items.n.answers", "toy.items.n.response")),
    Element("toy.items.n.answers._count", "integer", "RO", keyword=KEYWORD_COUNT),
    Element("toy.items.n.answers.n.text", "answer", "RW", requires="toy.items.n.kind",
            type_by="toy.items.n.kind", unique_by=("choice",), limit_by=(("other", 1),)),
    Element("toy.items.n.response", "answer", "RW", requires="toy.items.n.kind", type_by="toy.items.n.kind"),
    Element("toy.items.n.note", "text", "RO"),
    Element("toy.threshold", "measure", "RO"),
    Element("toy.measure", "measure", "RW"),
    Element("toy.status", "status", "RW",
            evaluated=Evaluation("toy.threshold", "toy.measure", "done", "undone", "unknown")),
    Element("toy.valid.choice.{target}", "yesno", "RO", default="false"),
    Element("toy.exit", "text", "WO"),
)
MODEL = DataModel(ELEMENTS, TYPES, access_last=True)
ITEM = {"toy.items.0.id": "q1", "toy.items.0.kind": "choice", "toy.items.0.answers.0.text": "a"}


def _set(state, name, value, **kwargs):
    state = dict(state)
    return MODEL.set_value(state, name, value, **kwargs), state


@pytest.mark.parametrize("name, outcome", [
    # Placement before access: a gap in a read-only item's array is a gap.
    ("toy.items.5.note", Outcome.INDEX_OUT_OF_ORDER),
    # An item at _count may be begun, so access decides.
    ("toy.items.1.note", Outcome.READ_ONLY),
    ("toy.items._count", Outcome.KEYWORD_IS_READ_ONLY),
    ("toy.items.3.answers._count", Outcome.INDEX_OUT_OF_ORDER),
    ("toy.items.1.answers._count", Outcome.KEYWORD_IS_READ_ONLY),
    ("toy.valid.choice", Outcome.MISSING_KEY),
    ("toy.valid.choice.{target=x}", Outcome.READ_ONLY),
])
def test_access_is_checked_after_placement(name, outcome):
    assert _set(ITEM, name, "x")[0] is outcome


def test_a_type_picked_by_another_element():
    assert _set(ITEM, "toy.items.0.answers.1.text", "b")[0] is Outcome.OK
    assert _set(ITEM, "toy.items.0.answers.1.text", "b c")[0] is Outcome.TYPE_MISMATCH
    other = {**ITEM, "toy.items.0.kind": "other"}
    assert _set(other, "toy.items.0.response", "b c")[0] is Outcome.OK
    assert _set(other, "toy.items.0.response", "b c d e")[0] is Outcome.TOO_LONG
    # Without the element that picks it, nothing can be checked.
    assert _set({"toy.items.0.id": "q"}, "toy.items.0.response", "a")[0] is Outcome.DEPENDENCY_NOT_ESTABLISHED
    assert MODEL.validate_value("toy.items.0.response", "a") is Outcome.DEPENDENCY_NOT_ESTABLISHED
    assert MODEL.validate_value("toy.items.0.response", "a b", state=other) is Outcome.OK


def test_unique_and_write_once_values():
    two = {**ITEM, "toy.items.1.id": "q2"}
    assert _set(two, "toy.items.1.id", "q1")[0] is Outcome.WRITE_ONCE
    assert _set(two, "toy.items.1.id", "q2")[0] is Outcome.OK
    assert _set(two, "toy.items.2.id", "q1")[0] is Outcome.NOT_UNIQUE
    # Checked before the type: an empty id on an item that has one.
    assert _set(two, "toy.items.1.id", "")[0] is Outcome.WRITE_ONCE
    assert _set(ITEM, "toy.items.0.answers.1.text", "a")[0] is Outcome.NOT_UNIQUE
    # Setting an item's own value again is no repeat.
    assert _set(ITEM, "toy.items.0.answers.0.text", "a")[0] is Outcome.OK


def test_an_array_limit_that_depends_on_the_type():
    other = {"toy.items.0.id": "q1", "toy.items.0.kind": "other", "toy.items.0.answers.0.text": "a"}
    outcome, state = _set(other, "toy.items.0.answers.1.text", "a")
    assert outcome is Outcome.ITEM_LIMIT and state == other
    # Unique only for choices.
    assert _set(other, "toy.items.0.answers.0.text", "b")[0] is Outcome.OK


def test_a_changed_type_clears_what_depended_on_it():
    full = {**ITEM, "toy.items.0.answers.1.text": "b", "toy.items.0.response": "a", "toy.items.1.id": "q2"}
    outcome, state = _set(full, "toy.items.0.kind", "other")
    assert outcome is Outcome.OK
    assert state == {"toy.items.0.id": "q1", "toy.items.0.kind": "other", "toy.items.1.id": "q2"}
    assert MODEL.get_value(state, "toy.items.0.answers._count") == ("0", Outcome.OK)
    # The same value again changes nothing.
    assert _set(full, "toy.items.0.kind", "choice")[1] == full


def test_defaults_and_evaluated_values():
    assert MODEL.get_value({}, "toy.valid.choice.{target=a}") == ("false", Outcome.OK)
    assert MODEL.get_value({"toy.valid.choice.{target=a}": "true"}, "toy.valid.choice.{target=a}") == ("true", Outcome.OK)
    assert MODEL.get_value({}, "toy.status") == ("", Outcome.VALUE_NOT_INITIALIZED)
    assert MODEL.get_value({"toy.status": "done"}, "toy.status") == ("done", Outcome.OK)
    threshold = {"toy.threshold": "0.5", "toy.status": "done"}
    assert MODEL.get_value(threshold, "toy.status") == ("unknown", Outcome.OK)
    assert MODEL.get_value({**threshold, "toy.measure": "0.4"}, "toy.status") == ("undone", Outcome.OK)
    assert MODEL.get_value({**threshold, "toy.measure": "0.5"}, "toy.status") == ("done", Outcome.OK)


def test_the_table_json_carries_the_new_rules_only_where_set():
    table = MODEL.table_json()
    elements = {e["pattern"]: e for e in table["elements"]}
    assert table["access_last"] is True
    assert elements["toy.items.n.answers.n.text"] == {
        "pattern": "toy.items.n.answers.n.text", "type": "answer", "access": "RW", "keyword": None, "value": None,
        "content_excluded": [], "max_length": None, "requires": "toy.items.n.kind", "type_by": "toy.items.n.kind",
        "unique_by": ["choice"], "limit_by": {"other": 1},
    }
    assert elements["toy.items.n.id"]["unique"] is True and elements["toy.items.n.id"]["write_once"] is True
    assert elements["toy.items.n.kind"]["clears"] == ["toy.items.n.answers", "toy.items.n.response"]
    assert elements["toy.valid.choice.{target}"]["default"] == "false"
    assert elements["toy.status"]["evaluated"] == {
        "threshold": "toy.threshold", "measure": "toy.measure", "met": "done", "unmet": "undone", "unset": "unknown",
    }
    assert "access_last" not in DataModel(ELEMENTS, TYPES).table_json()


def test_a_type_by_without_every_variant_is_refused():
    types = {k: v for k, v in TYPES.items() if k != "answer.other"}
    with pytest.raises(ValueError, match="toy.items.n.answers.n.text"):
        DataModel(ELEMENTS, types)
