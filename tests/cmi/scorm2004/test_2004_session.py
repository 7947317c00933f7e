"""The LMS's SCORM 2004 session rules: launch, evaluation, Terminate,
attempts and the summary status."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scormapi.cmi.scorm2004.session import (
    begin_session,
    ends_attempt,
    evaluate,
    finish_session,
    initial_state,
    is_complete,
    launch_values,
    leave_session,
    summary_status,
)

LEARNER = {"learner_id": "u-1", "learner_name": "{lang=en}Jane Doe"}
MANIFEST = {
    "data_from_lms": "level=2",
    "completion_threshold": "0.8",
    "scaled_passing_score": "0.6",
    "max_time_allowed": "PT1H30M",
    "time_limit_action": "exit,message",
    "objective_ids": "obj_primary urn:x:obj-2",
}
NEW_STATE = {
    "cmi.learner_id": "u-1",
    "cmi.learner_name": "{lang=en}Jane Doe",
    "cmi.credit": "credit",
    "cmi.mode": "normal",
    "cmi.time_limit_action": "continue,no message",
    "cmi.completion_status": "unknown",
    "cmi.success_status": "unknown",
    "cmi.total_time": "PT0H0M0S",
    "cmi.learner_preference.audio_level": "1",
    "cmi.learner_preference.language": "",
    "cmi.learner_preference.delivery_speed": "1",
    "cmi.learner_preference.audio_captioning": "0",
    "adl.nav.request": "_none_",
    "cmi.entry": "ab-initio",
}


# --- launch ------------------------------------------------------------------


def test_initial_state_without_a_manifest():
    assert initial_state(**LEARNER) == NEW_STATE


def test_initial_state_takes_the_manifest_values_and_objectives():
    state = initial_state(**LEARNER, credit="no-credit", mode="review", manifest=MANIFEST)
    assert state == {
        **NEW_STATE,
        "cmi.credit": "no-credit",
        "cmi.mode": "review",
        "cmi.launch_data": "level=2",
        "cmi.completion_threshold": "0.8",
        "cmi.scaled_passing_score": "0.6",
        "cmi.max_time_allowed": "PT1H30M",
        "cmi.time_limit_action": "exit,message",
        "cmi.objectives.0.id": "obj_primary",
        "cmi.objectives.0.success_status": "unknown",
        "cmi.objectives.0.completion_status": "unknown",
        "cmi.objectives.1.id": "urn:x:obj-2",
        "cmi.objectives.1.success_status": "unknown",
        "cmi.objectives.1.completion_status": "unknown",
    }


def test_manifest_values_the_model_refuses_are_left_out():
    manifest = {
        "data_from_lms": "",
        "completion_threshold": "1.5",
        "scaled_passing_score": "high",
        "max_time_allowed": "P1W",
        "time_limit_action": "exit",
        "objective_ids": "a urn: a b",
    }
    assert launch_values(**LEARNER, manifest=manifest) == {
        "cmi.learner_id": "u-1",
        "cmi.learner_name": "{lang=en}Jane Doe",
        "cmi.credit": "credit",
        "cmi.mode": "normal",
        "cmi.time_limit_action": "continue,no message",
    }
    state = initial_state(**LEARNER, manifest=manifest)
    assert [state[f"cmi.objectives.{n}.id"] for n in range(2)] == ["a", "b"]
    assert "cmi.objectives.2.id" not in state


@pytest.mark.parametrize(("credit", "mode"), [("yes", "normal"), ("credit", "Normal"), ("", "browse")])
def test_a_launch_outside_the_vocabulary_is_a_caller_error(credit, mode):
    with pytest.raises(ValueError, match="invalid launch values"):
        launch_values(**LEARNER, credit=credit, mode=mode)


# --- begin_session -------------------------------------------------------------


@pytest.mark.parametrize(
    ("exit_", "nav_request", "first", "entry"),
    [
        ("suspend", "_none_", False, "resume"),
        ("normal", "suspendAll", False, "resume"),
        ("", "suspendAll", False, "resume"),
        ("suspend", "_none_", True, "resume"),
        ("normal", "_none_", False, ""),
        ("", "continue", False, ""),
        ("time-out", "_none_", False, ""),
        ("logout", "_none_", False, ""),
        (None, "_none_", False, ""),
        (None, "_none_", True, "ab-initio"),
        ("normal", "exitAll", True, "ab-initio"),
    ],
)
def test_entry_follows_how_the_last_session_ended(exit_, nav_request, first, entry):
    state = {**NEW_STATE, "adl.nav.request": nav_request}
    if exit_ is not None:
        state["cmi.exit"] = exit_
    assert begin_session(state, **LEARNER, first=first)["cmi.entry"] == entry


def test_a_resumed_session_keeps_content_data_and_refreshes_the_launch():
    state = {
        **initial_state(**LEARNER, manifest=MANIFEST),
        "cmi.location": "p7",
        "cmi.suspend_data": "page=7",
        "cmi.completion_status": "incomplete",
        "cmi.score.scaled": "0.4",
        "cmi.total_time": "PT10M",
        "cmi.session_time": "PT10M",
        "cmi.exit": "suspend",
        "adl.nav.request": "suspendAll",
        "cmi.interactions.0.id": "q1",
        "cmi.learner_preference.language": "fr",
    }
    before = dict(state)
    manifest = {"completion_threshold": "0.5", "objective_ids": "urn:x:obj-2 obj_new"}
    began = begin_session(state, learner_id="u-1", learner_name="Jane", mode="browse", manifest=manifest, first=False)
    assert state == before
    assert began == {
        **NEW_STATE,
        "cmi.learner_name": "Jane",
        "cmi.mode": "browse",
        "cmi.entry": "resume",
        "cmi.completion_threshold": "0.5",
        "cmi.objectives.0.id": "obj_primary",
        "cmi.objectives.0.success_status": "unknown",
        "cmi.objectives.0.completion_status": "unknown",
        "cmi.objectives.1.id": "urn:x:obj-2",
        "cmi.objectives.1.success_status": "unknown",
        "cmi.objectives.1.completion_status": "unknown",
        "cmi.objectives.2.id": "obj_new",
        "cmi.objectives.2.success_status": "unknown",
        "cmi.objectives.2.completion_status": "unknown",
        "cmi.location": "p7",
        "cmi.suspend_data": "page=7",
        "cmi.completion_status": "incomplete",
        "cmi.score.scaled": "0.4",
        "cmi.total_time": "PT10M",
        "cmi.interactions.0.id": "q1",
        "cmi.learner_preference.language": "fr",
    }


def test_begin_session_fills_in_initial_values_an_old_state_lacks():
    began = begin_session({"cmi.location": "p1"}, **LEARNER, first=True)
    assert began == {**NEW_STATE, "cmi.location": "p1"}


# --- evaluate --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("threshold", "progress", "completion"),
    [
        ("0.8", "0.8", "completed"),
        ("0.8", "0.9", "completed"),
        ("0.8", "0.7999999", "incomplete"),
        ("0.7", "7e-1", "completed"),
        ("0.7000001", "0.7", "incomplete"),
        ("0", "0", "completed"),
        ("1", ".9999999", "incomplete"),
        ("0.8", None, "unknown"),
        (None, "0.1", "not attempted"),
        # Never stored (every writer validates); compared as GetValue and the browser do: NaN is never met.
        ("bad", "0.1", "incomplete"),
    ],
)
def test_completion_follows_the_threshold_whatever_the_sco_said(threshold, progress, completion):
    state = {"cmi.completion_status": "not attempted"}
    if threshold is not None:
        state["cmi.completion_threshold"] = threshold
    if progress is not None:
        state["cmi.progress_measure"] = progress
    assert evaluate(state) == {**state, "cmi.completion_status": completion}


@pytest.mark.parametrize(
    ("passing", "scaled", "success"),
    [
        ("0.6", "0.6", "passed"),
        ("0.6", "1", "passed"),
        ("0.6", "0.5999999", "failed"),
        ("-0.5", "-0.5", "passed"),
        ("-0.5", "-0.51", "failed"),
        ("0.6", None, "unknown"),
        (None, "0.1", "failed"),
    ],
)
def test_success_follows_the_passing_score_whatever_the_sco_said(passing, scaled, success):
    state = {"cmi.success_status": "failed"}
    if passing is not None:
        state["cmi.scaled_passing_score"] = passing
    if scaled is not None:
        state["cmi.score.scaled"] = scaled
    assert evaluate(state) == {**state, "cmi.success_status": success}


def test_evaluate_adds_statuses_an_unset_sco_never_wrote():
    state = {"cmi.completion_threshold": "0.5", "cmi.scaled_passing_score": "0.5"}
    assert evaluate(state) == {**state, "cmi.completion_status": "unknown", "cmi.success_status": "unknown"}
    assert evaluate({}) == {}


_REALS = st.decimals(min_value=0, max_value=1, places=7, allow_nan=False, allow_infinity=False)


@given(threshold=_REALS, low=_REALS, high=_REALS)
def test_evaluate_is_monotone_in_the_measure(threshold, low, high):
    low, high = sorted((low, high))
    rank = {"incomplete": 0, "completed": 1}

    def completion(measure: Decimal) -> str:
        state = {"cmi.completion_threshold": str(threshold), "cmi.progress_measure": str(measure)}
        return evaluate(state)["cmi.completion_status"]

    assert rank[completion(low)] <= rank[completion(high)]
    assert completion(threshold) == "completed"


# --- finish_session ----------------------------------------------------------------


def test_finish_adds_the_session_time_and_keeps_it():
    state = {**NEW_STATE, "cmi.total_time": "PT23H59M", "cmi.session_time": "PT61S"}
    assert finish_session(state) == ({**state, "cmi.total_time": "P1DT1S", "cmi.exit": ""}, [])


def test_finish_without_a_session_time_leaves_the_total():
    assert finish_session(NEW_STATE) == ({**NEW_STATE, "cmi.exit": ""}, [])


def test_finish_keeps_the_exit_content_set_and_stores_an_unset_one_as_blank():
    assert finish_session({**NEW_STATE, "cmi.exit": "suspend"})[0]["cmi.exit"] == "suspend"
    settled, _ = finish_session(NEW_STATE)
    assert settled["cmi.exit"] == "" and ends_attempt(settled) and not ends_attempt(NEW_STATE)


def test_finish_reports_a_session_time_it_cannot_add():
    state = {**NEW_STATE, "cmi.session_time": "01:00:00"}
    assert finish_session(state) == (
        {**state, "cmi.exit": ""},
        ["session_time '01:00:00' not added to total_time 'PT0H0M0S': not a timeinterval"],
    )


def test_finish_evaluates_and_reports_what_it_overrode():
    state = {
        **NEW_STATE,
        "cmi.completion_threshold": "0.8",
        "cmi.progress_measure": "0.5",
        "cmi.completion_status": "completed",
        "cmi.scaled_passing_score": "0.6",
        "cmi.success_status": "passed",
    }
    before = dict(state)
    settled, warnings = finish_session(state)
    assert state == before
    assert settled == {**state, "cmi.completion_status": "incomplete", "cmi.success_status": "unknown", "cmi.exit": ""}
    assert warnings == [
        (
            "cmi.completion_status 'completed' set by content contradicts cmi.progress_measure '0.5'"
            " against cmi.completion_threshold '0.8'; set to 'incomplete'"
        ),
        (
            "cmi.success_status 'passed' set by content contradicts cmi.score.scaled '(unset)'"
            " against cmi.scaled_passing_score '0.6'; set to 'unknown'"
        ),
    ]


def test_finish_does_not_warn_when_it_decides_an_unknown_status():
    state = {**NEW_STATE, "cmi.scaled_passing_score": "0.6", "cmi.score.scaled": "0.9"}
    assert finish_session(state) == ({**state, "cmi.success_status": "passed", "cmi.exit": ""}, [])


@pytest.mark.parametrize("mode", ["browse", "review"])
def test_finish_invents_no_status_in_browse_or_review(mode):
    state = {**NEW_STATE, "cmi.mode": mode, "cmi.session_time": "PT5M"}
    assert finish_session(state) == ({**state, "cmi.total_time": "PT5M", "cmi.exit": ""}, [])


def test_leaving_without_terminate_only_adds_the_time():
    state = {
        **NEW_STATE,
        "cmi.session_time": "PT2M",
        "cmi.completion_threshold": "0.8",
        "cmi.progress_measure": "0.9",
        "cmi.completion_status": "incomplete",
    }
    before = dict(state)
    assert leave_session(state) == {**state, "cmi.total_time": "PT2M", "cmi.exit": "suspend"}
    assert state == before
    assert leave_session({**NEW_STATE, "cmi.session_time": "bad"}) == {
        **NEW_STATE, "cmi.session_time": "bad", "cmi.exit": "suspend"}


def test_leaving_keeps_an_exit_the_content_chose():
    state = {**NEW_STATE, "cmi.exit": "normal"}
    assert leave_session(state)["cmi.exit"] == "normal"
    assert ends_attempt(leave_session(state)) and not ends_attempt(leave_session(NEW_STATE))


# --- attempts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exit_", "nav_request", "ends"),
    [
        ("suspend", "_none_", False),
        ("suspend", "continue", False),
        ("normal", "suspendAll", False),
        ("", "suspendAll", False),
        ("suspend", "exitAll", True),
        ("suspend", "abandon", True),
        ("suspend", "abandonAll", True),
        ("normal", "_none_", True),
        ("", "_none_", True),
        ("time-out", "_none_", True),
        ("logout", "_none_", True),
        # A session a launch began and nobody ended: the attempt stays open.
        (None, None, False),
        (None, "_none_", False),
    ],
)
def test_ends_attempt(exit_, nav_request, ends):
    state = {name: value for name, value in (("cmi.exit", exit_), ("adl.nav.request", nav_request)) if value is not None}
    assert ends_attempt(state) is ends


# --- summary ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "status"),
    [
        ({"cmi.success_status": "passed", "cmi.completion_status": "incomplete"}, "passed"),
        ({"cmi.success_status": "failed", "cmi.completion_status": "completed"}, "failed"),
        ({"cmi.completion_status": "completed"}, "completed"),
        ({"cmi.completion_status": "incomplete"}, "incomplete"),
        ({"cmi.completion_status": "not attempted"}, "not attempted"),
        ({}, "not attempted"),
        ({"cmi.location": "p2"}, "incomplete"),
        ({"cmi.total_time": "PT1S"}, "incomplete"),
        ({"cmi.total_time": "P0D"}, "not attempted"),
        ({"cmi.exit": "suspend"}, "incomplete"),
        ({"cmi.learner_preference.language": "fr", "adl.nav.request": "continue"}, "not attempted"),
        ({"cmi.comments_from_lms.0.comment": "hi", "cmi.launch_data": "x"}, "not attempted"),
        (
            {"cmi.objectives.0.id": "o1", "cmi.objectives.0.success_status": "unknown", "cmi.objectives.0.completion_status": "unknown"},
            "not attempted",
        ),
        ({"cmi.objectives.0.id": "o1", "cmi.objectives.0.success_status": "passed"}, "incomplete"),
        ({"cmi.mode": "browse"}, "browsed"),
        ({"cmi.mode": "browse", "cmi.completion_status": "incomplete"}, "browsed"),
        ({"cmi.mode": "browse", "cmi.completion_status": "completed"}, "completed"),
        ({"cmi.mode": "browse", "cmi.success_status": "failed"}, "failed"),
        ({"cmi.scaled_passing_score": "0.5", "cmi.score.scaled": "0.5", "cmi.success_status": "failed"}, "passed"),
        ({"cmi.completion_threshold": "0.5", "cmi.progress_measure": "0.2", "cmi.completion_status": "completed"}, "incomplete"),
    ],
)
def test_summary_status(values, status):
    state = {**NEW_STATE, **values}
    assert summary_status(state) == status
    assert is_complete(state) is (status in ("passed", "completed", "failed"))


def test_finishing_settles_on_the_status_getvalue_answered():
    """Past a double's precision the two comparisons could differ; the
    session compares as the engine (and the browser) does."""
    from scormapi.cmi.scorm2004.elements import get_value

    state = {"cmi.completion_threshold": "0.70000000000000001", "cmi.progress_measure": "0.7"}
    assert get_value(state, "cmi.completion_status") == ("completed", 0)
    assert evaluate(state)["cmi.completion_status"] == "completed"
