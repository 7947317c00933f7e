import pytest

from scormapi.cmi.scorm12.errors import ERROR_STRINGS, ScormError, describe

EXPECTED = [
    (ScormError.NO_ERROR, 0, "No error"),
    (ScormError.GENERAL_EXCEPTION, 101, "General exception"),
    (ScormError.INVALID_ARGUMENT, 201, "Invalid argument error"),
    (ScormError.CANNOT_HAVE_CHILDREN, 202, "Element cannot have children"),
    (ScormError.NOT_AN_ARRAY, 203, "Element not an array - cannot have count"),
    (ScormError.NOT_INITIALIZED, 301, "Not initialized"),
    (ScormError.NOT_IMPLEMENTED, 401, "Not implemented error"),
    (ScormError.KEYWORD_SET, 402, "Invalid set value, element is a keyword"),
    (ScormError.READ_ONLY, 403, "Element is read only"),
    (ScormError.WRITE_ONLY, 404, "Element is write only"),
    (ScormError.INCORRECT_DATA_TYPE, 405, "Incorrect data type"),
]


@pytest.mark.parametrize(("member", "number", "text"), EXPECTED)
def test_code_number_and_text(member, number, text):
    assert member == number
    assert ERROR_STRINGS[number] == text
    assert describe(member) == f"{number} {text}"
    assert describe(number) == f"{number} {text}"


def test_table_has_exactly_the_codes():
    assert set(ERROR_STRINGS) == {m.value for m in ScormError}
    assert all(type(k) is int for k in ERROR_STRINGS)


def test_no_error_is_falsy_so_callers_can_test_it():
    assert not ScormError.NO_ERROR
    assert ScormError.READ_ONLY


def test_describe_unknown_code():
    assert describe(999) == "999 Unknown error code"
