"""Navigation between the SCOs of a course in manifest order."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scormapi.cmi.scorm2004.navigation import Decision, decide, request_valid

ORDER = ("sco_1", "sco_2", "sco_3")


def _choices(value):
    return {
        **{f"adl.nav.request_valid.choice.{{target={sco}}}": value for sco in ORDER},
        **{f"adl.nav.request_valid.jump.{{target={sco}}}": value for sco in ORDER},
    }


@pytest.mark.parametrize(
    ("current", "continue_", "previous"),
    [("sco_1", "true", "false"), ("sco_2", "true", "true"), ("sco_3", "false", "true")],
)
def test_request_valid_by_position(current, continue_, previous):
    assert request_valid(ORDER, current) == {
        "adl.nav.request_valid.continue": continue_,
        "adl.nav.request_valid.previous": previous,
        **_choices("true"),
    }


def test_a_single_sco_course_has_nowhere_to_go():
    assert request_valid(["only"], "only") == {
        "adl.nav.request_valid.continue": "false",
        "adl.nav.request_valid.previous": "false",
        "adl.nav.request_valid.choice.{target=only}": "true",
        "adl.nav.request_valid.jump.{target=only}": "true",
    }


def test_a_sco_outside_the_order_is_a_caller_error():
    with pytest.raises(ValueError, match="'sco_9' is not in the course's order"):
        request_valid(ORDER, "sco_9")
    with pytest.raises(ValueError, match="'sco_9' is not in the course's order"):
        decide("continue", ORDER, "sco_9")


@pytest.mark.parametrize(
    ("request_", "current", "decision"),
    [
        ("continue", "sco_1", Decision("launch", "sco_2")),
        ("continue", "sco_2", Decision("launch", "sco_3")),
        ("previous", "sco_3", Decision("launch", "sco_2")),
        ("previous", "sco_2", Decision("launch", "sco_1")),
        ("{target=sco_3}choice", "sco_1", Decision("launch", "sco_3")),
        ("{target=sco_1}choice", "sco_1", Decision("launch", "sco_1")),
        ("{target=sco_1}jump", "sco_3", Decision("launch", "sco_1")),
        ("exit", "sco_2", Decision("exit")),
        ("exitAll", "sco_2", Decision("exit_all")),
        ("abandon", "sco_2", Decision("exit", abandoned=True)),
        ("abandonAll", "sco_2", Decision("exit_all", abandoned=True)),
        ("suspendAll", "sco_2", Decision("suspend_all", "sco_2")),
        ("_none_", "sco_2", Decision("none")),
    ],
)
def test_decide(request_, current, decision):
    assert decide(request_, ORDER, current) == decision


@pytest.mark.parametrize(
    ("request_", "current", "reason"),
    [
        ("continue", "sco_3", "continue from 'sco_3': it is the last SCO of the course"),
        ("previous", "sco_1", "previous from 'sco_1': it is the first SCO of the course"),
        ("{target=sco_9}choice", "sco_1", "choice to 'sco_9': no such SCO in the course"),
        ("{target=SCO_1}jump", "sco_1", "jump to 'SCO_1': no such SCO in the course"),
        ("{target=sco_2}continue", "sco_1", "unknown navigation request '{target=sco_2}continue'"),
        ("choice", "sco_1", "unknown navigation request 'choice'"),
        ("Continue", "sco_1", "unknown navigation request 'Continue'"),
        ("", "sco_1", "unknown navigation request ''"),
    ],
)
def test_a_request_that_is_not_valid_does_nothing_and_says_why(request_, current, reason):
    assert decide(request_, ORDER, current) == Decision("none", reason=reason)


@given(
    order=st.lists(st.text("abcxyz_0123", min_size=1, max_size=4), min_size=1, max_size=6, unique=True),
    data=st.data(),
)
def test_decide_launches_exactly_where_request_valid_says_true(order, data):
    current = data.draw(st.sampled_from(order))
    target = data.draw(st.sampled_from([*order, "missing"]))
    valid = request_valid(order, current)
    for request_, key in (
        ("continue", "adl.nav.request_valid.continue"),
        ("previous", "adl.nav.request_valid.previous"),
        (f"{{target={target}}}choice", f"adl.nav.request_valid.choice.{{target={target}}}"),
        (f"{{target={target}}}jump", f"adl.nav.request_valid.jump.{{target={target}}}"),
    ):
        launched = decide(request_, order, current).action == "launch"
        assert launched == (valid.get(key, "false") == "true")
