import re

import pytest
from cmi_samples import CASES, VALID_AND_INVALID

from scormapi.cmi.datatypes import WHITESPACE_CLASS
from scormapi.cmi.scorm12.types import TYPES, DataType, is_valid, vocabulary

VALID = [(name, value) for name, case in CASES.items() for value in case["valid"]]
INVALID = [(name, value) for name, case in CASES.items() for value in case["invalid"]]


def _id(param):
    return repr(param)[:40] if isinstance(param, str) else None


@pytest.mark.parametrize(("type_name", "value"), VALID, ids=_id)
def test_valid(type_name, value):
    assert is_valid(type_name, value)


@pytest.mark.parametrize(("type_name", "value"), INVALID, ids=_id)
def test_invalid(type_name, value):
    assert not is_valid(type_name, value)


def test_every_type_has_cases_and_samples():
    assert set(CASES) == set(TYPES) == set(VALID_AND_INVALID)


@pytest.mark.parametrize("type_name", sorted(TYPES))
def test_samples_agree(type_name):
    valid, invalid = VALID_AND_INVALID[type_name]
    assert TYPES[type_name].is_valid(valid)
    assert not TYPES[type_name].is_valid(invalid)


@pytest.mark.parametrize("type_name", sorted(TYPES))
@pytest.mark.parametrize("value", [None, 5, 5.0, b"x", ["x"]])
def test_non_strings_are_invalid(type_name, value):
    assert not TYPES[type_name].is_valid(value)


def test_max_length_override():
    string4096 = TYPES["CMIString4096"]
    assert not string4096.is_valid("x" * 5000)
    assert string4096.is_valid("x" * 5000, max_length=64000)
    assert not string4096.is_valid("x" * 64001, max_length=64000)


def test_unknown_type_name():
    with pytest.raises(KeyError):
        is_valid("CMINothing", "")


def test_whitespace_class_is_the_union_of_python_and_javascript_whitespace():
    spelled_out = re.compile(f"[{WHITESPACE_CLASS}]")
    javascript_only = {"\ufeff"}
    for code in range(0x10000):
        char = chr(code)
        expected = char.isspace() or char in javascript_only
        assert bool(spelled_out.fullmatch(char)) == expected, hex(code)


def test_vocabulary_builder():
    colours = vocabulary("colour", ("red", "blue"))
    assert colours.name == "CMIVocabulary.colour"
    assert colours.is_valid("red") and not colours.is_valid("green")
    assert "'red'" in colours.description


@pytest.mark.parametrize("type_name", sorted(TYPES))
def test_to_json_shape(type_name):
    data = TYPES[type_name].to_json()
    assert data["name"] == type_name
    assert set(data) == {"name", "description", "regex", "minimum", "maximum",
                         "max_length", "vocabulary", "allow_blank"}
    if data["regex"] is not None:
        assert data["regex"].startswith("^(?:") and data["regex"].endswith(")$")
        re.compile(data["regex"])


def test_types_are_immutable_and_comparable():
    score = TYPES["CMIScore"]
    with pytest.raises(AttributeError):
        score.maximum = 200
    assert score == DataType("CMIScore", score.description, score.pattern, 0, 100,
                             allow_blank=True)
