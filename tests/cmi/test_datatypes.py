"""Why a SCORM 1.2 data type refuses a value: the wrong type, a number out
of range, or too long."""

import pytest
from cmi_samples import CASES

from scormapi.cmi.datatypes import DataType
from scormapi.cmi.outcomes import Outcome
from scormapi.cmi.scorm12.types import TYPES

MISMATCH, RANGE, LONG = Outcome.TYPE_MISMATCH, Outcome.OUT_OF_RANGE, Outcome.TOO_LONG

# Per type: one accepted value, then refused values with the reason.
REFUSALS = {
    "CMIBlank": ("", {" ": MISMATCH, "0": MISMATCH}),
    "CMIString255": ("x" * 255, {"x" * 256: LONG}),
    "CMIString4096": ("x" * 4096, {"x" * 4097: LONG}),
    "CMIDecimal": ("-1.5", {"1e3": MISMATCH, "": MISMATCH, "abc": MISMATCH}),
    "CMIInteger": ("65536", {"65537": RANGE, "-1": MISMATCH, "1.0": MISMATCH}),
    "CMISInteger": ("-32768", {"-32769": RANGE, "32769": RANGE, "1.5": MISMATCH}),
    "CMIIdentifier": ("q" * 255, {"q" * 256: LONG, "q 1": MISMATCH, "": MISMATCH}),
    "CMITime": ("23:59:59.99", {"24:00:00": MISMATCH, "noon": MISMATCH}),
    "CMITimespan": ("9999:59:59.99", {"1:00:00": MISMATCH, "": MISMATCH}),
    "CMIFeedback": ("x" * 255, {"x" * 256: LONG}),
    "CMIScore": ("", {"abc": MISMATCH, "101": RANGE, "100.01": RANGE, "-1": RANGE, "1e2": MISMATCH}),
    "CMIAudio": ("100", {"-2": RANGE, "101": RANGE, "loud": MISMATCH, "5.5": MISMATCH}),
    "CMISpeed": ("-100", {"-101": RANGE, "101": RANGE, "fast": MISMATCH}),
    "CMIText": ("-1", {"2": RANGE, "-2": RANGE, "on": MISMATCH}),
    "CMIVocabulary.credit": ("no-credit", {"Credit": MISMATCH}),
    "CMIVocabulary.status": ("not attempted", {"done": MISMATCH, "": MISMATCH}),
    "CMIVocabulary.entry": ("", {"Resume": MISMATCH}),
    "CMIVocabulary.mode": ("review", {"test": MISMATCH}),
    "CMIVocabulary.exit": ("time-out", {"quit": MISMATCH}),
    "CMIVocabulary.time_limit_action": ("exit,message", {"exit, message": MISMATCH}),
    "CMIVocabulary.interaction_type": ("numeric", {"essay": MISMATCH}),
    "CMIVocabulary.result": ("-2.5", {"maybe": MISMATCH, "Correct": MISMATCH}),
}


def test_every_type_is_covered():
    assert set(REFUSALS) == set(TYPES)


@pytest.mark.parametrize("type_name", sorted(REFUSALS))
def test_each_refusal_names_its_reason(type_name):
    accepted, refused = REFUSALS[type_name]
    data_type = TYPES[type_name]
    assert data_type.check(accepted) == Outcome.OK
    assert {value: data_type.check(value) for value in refused} == refused


@pytest.mark.parametrize("type_name", sorted(TYPES))
@pytest.mark.parametrize("value", [5, None, 1.5, b"x", ["x"]], ids=repr)
def test_a_value_that_is_not_a_string_is_a_type_mismatch(type_name, value):
    assert TYPES[type_name].check(value) == MISMATCH


@pytest.mark.parametrize("type_name", sorted(CASES))
def test_is_valid_is_check_without_the_reason(type_name):
    data_type = TYPES[type_name]
    for value in CASES[type_name]["valid"]:
        assert (data_type.check(value), data_type.is_valid(value)) == (Outcome.OK, True), value
    for value in CASES[type_name]["invalid"]:
        assert data_type.check(value) != Outcome.OK and not data_type.is_valid(value), value


def test_an_operator_limit_replaces_the_types_length():
    string4096 = TYPES["CMIString4096"]
    assert string4096.check("x" * 64000, max_length=64000) == Outcome.OK
    assert string4096.check("x" * 64001, max_length=64000) == LONG
    assert string4096.check("x" * 11, max_length=10) == LONG


def test_length_is_checked_before_format():
    # A huge value is refused for its length without running the regex on it.
    assert TYPES["CMIIdentifier"].check("q " * 200) == LONG


def test_rules_apply_in_the_documented_order():
    listed_blank = DataType("T", "d", pattern="[a-z]", vocabulary=("ABC",), max_length=1, allow_blank=True)
    assert listed_blank.check("ABC") == Outcome.OK  # the vocabulary wins over the length
    assert listed_blank.check("") == Outcome.OK  # blank allowed before the regex
    assert listed_blank.check("ab") == LONG
    assert listed_blank.check("A") == MISMATCH
    closed = DataType("V", "d", vocabulary=("a",), allow_blank=True)
    assert closed.check("") == MISMATCH  # a closed vocabulary accepts nothing else
