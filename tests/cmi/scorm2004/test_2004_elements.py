"""The SCORM 2004 element table and the numbers content sees for each
kind of mistake (SCORM2004.md §3, §4 and §6)."""

import pytest

from scormapi.cmi.outcomes import Outcome
from scormapi.cmi.scorm2004.elements import (
    ELEMENTS,
    MODEL,
    get_value,
    item_count,
    set_value,
    table_json,
    validate_value,
)
from scormapi.cmi.scorm2004.errors import ERROR_STRINGS, GET_CODES, SET_CODES, describe

# Every element of the 4th edition but the shared data: type and access.
TABLE = {
    "cmi._version": ("characterstring250", "RO"),
    "cmi.comments_from_learner._children": ("characterstring250", "RO"),
    "cmi.comments_from_learner._count": ("integer", "RO"),
    "cmi.comments_from_learner.n.comment": ("localized_string4000", "RW"),
    "cmi.comments_from_learner.n.location": ("characterstring250", "RW"),
    "cmi.comments_from_learner.n.timestamp": ("time", "RW"),
    "cmi.comments_from_lms._children": ("characterstring250", "RO"),
    "cmi.comments_from_lms._count": ("integer", "RO"),
    "cmi.comments_from_lms.n.comment": ("localized_string4000", "RO"),
    "cmi.comments_from_lms.n.location": ("characterstring250", "RO"),
    "cmi.comments_from_lms.n.timestamp": ("time", "RO"),
    "cmi.completion_status": ("state.completion_status", "RW"),
    "cmi.completion_threshold": ("real_0_1", "RO"),
    "cmi.credit": ("state.credit", "RO"),
    "cmi.entry": ("state.entry", "RO"),
    "cmi.exit": ("state.exit", "WO"),
    "cmi.interactions._children": ("characterstring250", "RO"),
    "cmi.interactions._count": ("integer", "RO"),
    "cmi.interactions.n.id": ("long_identifier", "RW"),
    "cmi.interactions.n.type": ("state.interaction_type", "RW"),
    "cmi.interactions.n.objectives._count": ("integer", "RO"),
    "cmi.interactions.n.objectives.n.id": ("long_identifier", "RW"),
    "cmi.interactions.n.timestamp": ("time", "RW"),
    "cmi.interactions.n.correct_responses._count": ("integer", "RO"),
    "cmi.interactions.n.correct_responses.n.pattern": ("pattern", "RW"),
    "cmi.interactions.n.weighting": ("real", "RW"),
    "cmi.interactions.n.learner_response": ("response", "RW"),
    "cmi.interactions.n.result": ("state.result", "RW"),
    "cmi.interactions.n.latency": ("timeinterval", "RW"),
    "cmi.interactions.n.description": ("localized_string250", "RW"),
    "cmi.launch_data": ("characterstring4000", "RO"),
    "cmi.learner_id": ("long_identifier", "RO"),
    "cmi.learner_name": ("localized_string250", "RO"),
    "cmi.learner_preference._children": ("characterstring250", "RO"),
    "cmi.learner_preference.audio_level": ("real_ge_0", "RW"),
    "cmi.learner_preference.language": ("language_or_blank", "RW"),
    "cmi.learner_preference.delivery_speed": ("real_ge_0", "RW"),
    "cmi.learner_preference.audio_captioning": ("state.audio_captioning", "RW"),
    "cmi.location": ("characterstring1000", "RW"),
    "cmi.max_time_allowed": ("timeinterval", "RO"),
    "cmi.mode": ("state.mode", "RO"),
    "cmi.objectives._children": ("characterstring250", "RO"),
    "cmi.objectives._count": ("integer", "RO"),
    "cmi.objectives.n.id": ("long_identifier", "RW"),
    "cmi.objectives.n.score._children": ("characterstring250", "RO"),
    "cmi.objectives.n.score.scaled": ("real_-1_1", "RW"),
    "cmi.objectives.n.score.raw": ("real", "RW"),
    "cmi.objectives.n.score.min": ("real", "RW"),
    "cmi.objectives.n.score.max": ("real", "RW"),
    "cmi.objectives.n.success_status": ("state.success_status", "RW"),
    "cmi.objectives.n.completion_status": ("state.completion_status", "RW"),
    "cmi.objectives.n.progress_measure": ("real_0_1", "RW"),
    "cmi.objectives.n.description": ("localized_string250", "RW"),
    "cmi.progress_measure": ("real_0_1", "RW"),
    "cmi.scaled_passing_score": ("real_-1_1", "RO"),
    "cmi.score._children": ("characterstring250", "RO"),
    "cmi.score.scaled": ("real_-1_1", "RW"),
    "cmi.score.raw": ("real", "RW"),
    "cmi.score.min": ("real", "RW"),
    "cmi.score.max": ("real", "RW"),
    "cmi.session_time": ("timeinterval", "WO"),
    "cmi.success_status": ("state.success_status", "RW"),
    "cmi.suspend_data": ("characterstring64000", "RW"),
    "cmi.time_limit_action": ("state.time_limit_action", "RO"),
    "cmi.total_time": ("timeinterval", "RO"),
    "adl.data._children": ("characterstring250", "RO"),
    "adl.data._count": ("integer", "RO"),
    "adl.data.n.id": ("long_identifier", "RO"),
    "adl.data.n.store": ("characterstring64000", "RW"),
    "adl.nav.request": ("state.nav_request", "RW"),
    "adl.nav.request_valid.continue": ("state.request_valid", "RO"),
    "adl.nav.request_valid.previous": ("state.request_valid", "RO"),
    "adl.nav.request_valid.choice.{target}": ("state.request_valid", "RO"),
    "adl.nav.request_valid.jump.{target}": ("state.request_valid", "RO"),
}


def test_the_table_holds_every_element_with_its_type_and_access():
    assert {e.pattern: (e.type, e.access) for e in ELEMENTS} == TABLE


@pytest.mark.parametrize("name, children", [
    ("cmi.comments_from_learner._children", "comment,location,timestamp"),
    ("cmi.interactions._children",
     "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description"),
    ("cmi.learner_preference._children", "audio_level,language,delivery_speed,audio_captioning"),
    ("cmi.objectives._children", "id,score,success_status,completion_status,progress_measure,description"),
    ("cmi.score._children", "scaled,raw,min,max"),
    ("cmi._version", "1.0"),
    ("cmi.interactions._count", "0"),
    ("adl.data._children", "id,store"),
    ("adl.data._count", "0"),
])
def test_keywords(name, children):
    assert get_value({}, name) == (children, 0)
    assert set_value({}, name, children) == 404


# A state with one item of each array, for names below them.
STATE = {
    "cmi.interactions.0.id": "urn:q:1",
    "cmi.interactions.0.type": "choice",
    "cmi.interactions.0.correct_responses.0.pattern": "a[,]b",
    "cmi.objectives.0.id": "obj1",
    "cmi.comments_from_lms.0.comment": "Welcome",
    "cmi.location": "page 3",
    "cmi.exit": "suspend",
}


@pytest.mark.parametrize("name, answer", [
    ("cmi.location", ("page 3", 0)),
    ("cmi.suspend_data", ("", 403)),
    ("cmi.score.raw", ("", 403)),
    ("cmi.exit", ("", 405)),
    ("cmi.session_time", ("", 405)),
    ("cmi.interactions.1.id", ("", 301)),
    ("cmi.interactions.0.objectives._children", ("", 301)),
    ("cmi.location._children", ("", 301)),
    ("cmi.score._count", ("", 301)),
    ("cmi.location._version", ("", 301)),
    ("cmi.interactions.0._version", ("", 301)),
    ("cmi._children", ("", 401)),
    ("cmi._count", ("", 401)),
    ("adl._children", ("", 401)),
    ("cmi.interactions.0.correct_responses._count", ("1", 0)),
    ("cmi.comments_from_lms._count", ("1", 0)),
    ("cmi.objectives", ("", 401)),
    ("cmi.score", ("", 401)),
    ("cmi", ("", 401)),
    ("cmi.core.lesson_status", ("", 401)),
    ("cmi.interactions.a.id", ("", 401)),
    ("", ("", 401)),
    ("adl.nav.request_valid.choice", ("", 301)),
    ("adl.nav.request_valid.choice.{target=intro}", ("false", 0)),
    ("adl.nav.request_valid.continue", ("unknown", 0)),
    ("adl.nav.request", ("", 403)),
])
def test_get_value_answers(name, answer):
    assert get_value(STATE, name) == answer


def test_the_lms_reads_write_only_elements():
    assert get_value(STATE, "cmi.exit", as_lms=True) == ("suspend", 0)


@pytest.mark.parametrize("name, value, code", [
    ("cmi.location", "", 0),
    ("cmi.location", "x" * 1000, 0),
    ("cmi.credit", "illegal_state", 404),
    ("cmi.total_time", "PT1S", 404),
    ("cmi._version", "2.0", 404),
    ("cmi.comments_from_lms.1.comment", "x", 404),
    ("cmi.comments_from_lms.2.comment", "x", 351),
    ("cmi.interactions.2.id", "q", 351),
    ("cmi.interactions.01.id", "q", 351),
    # Read left to right: the gap at 5 comes before the unknown leaf.
    ("cmi.interactions.5.bogus", "q", 351),
    ("cmi.interactions.1.bogus", "q", 401),
    # A store exists only when the LMS made it (its id), which it never does here.
    ("adl.data.0.store", "x", 408),
    ("cmi.interactions.1.type", "choice", 408),
    ("cmi.interactions.1.objectives.0.id", "o", 408),
    ("cmi.interactions.1.result", "correct", 408),
    ("cmi.objectives.1.score.scaled", "0.5", 408),
    ("cmi.objectives.1.id", "obj1", 351),
    ("cmi.objectives.0.id", "obj2", 351),
    ("cmi.objectives.0.id", "", 351),
    ("cmi.objectives.0.id", "obj1", 0),
    ("cmi.interactions.0.correct_responses.1.pattern", "a[,]b", 351),
    ("cmi.interactions.0.correct_responses.1.pattern", "c", 0),
    ("cmi.interactions.0.learner_response", "a[,]a", 406),
    ("cmi.score.scaled", "1.5", 407),
    ("cmi.score.scaled", "-1", 0),
    ("cmi.score.scaled", "abc", 406),
    ("cmi.progress_measure", "-0.1", 407),
    ("cmi.learner_preference.audio_level", "-1", 407),
    ("cmi.learner_preference.audio_captioning", "2", 406),
    ("cmi.learner_preference.language", "", 0),
    ("cmi.completion_status", "not attempted", 0),
    ("cmi.success_status", "completed", 406),
    ("cmi.exit", "normal", 0),
    ("cmi.session_time", "PT1H2M3.45S", 0),
    ("cmi.session_time", "P0S", 406),
    ("cmi.interactions.0.result", "wrong", 406),
    ("cmi.interactions.0.result", "-35", 0),
    ("cmi.core.lesson_status", "passed", 401),
    ("cmi.bogus", "x", 401),
    ("adl.nav.request", "{target=intro}choice", 0),
    ("adl.nav.request", "{target=intro}jump", 0),
    ("adl.nav.request", "exitAll", 0),
    ("adl.nav.request", "start", 406),
    ("adl.nav.request_valid.continue", "true", 404),
])
def test_set_value_answers(name, value, code):
    state = dict(STATE)
    assert set_value(state, name, value) == code
    assert (state == STATE) == (code != 0 or state.get(name) == STATE.get(name))


def test_a_second_true_false_pattern_is_past_the_limit():
    state = {"cmi.interactions.0.id": "q", "cmi.interactions.0.type": "true-false"}
    assert set_value(state, "cmi.interactions.0.correct_responses.0.pattern", "true") == 0
    assert set_value(state, "cmi.interactions.0.correct_responses.1.pattern", "false") == 351
    assert item_count(state, "cmi.interactions.0.correct_responses") == 1


def test_a_new_type_clears_the_responses_of_the_old_one():
    state = {**STATE, "cmi.interactions.0.learner_response": "a"}
    assert set_value(state, "cmi.interactions.0.type", "fill-in") == 0
    assert get_value(state, "cmi.interactions.0.correct_responses._count") == ("0", 0)
    assert get_value(state, "cmi.interactions.0.learner_response") == ("", 403)
    assert state["cmi.interactions.0.id"] == "urn:q:1"


def test_interaction_objective_ids_are_unique_within_the_interaction():
    state = dict(STATE)
    assert set_value(state, "cmi.interactions.0.objectives.0.id", "obj1") == 0
    assert set_value(state, "cmi.interactions.0.objectives.1.id", "obj1") == 351
    assert set_value(state, "cmi.interactions.1.id", "q2") == 0
    assert set_value(state, "cmi.interactions.1.objectives.0.id", "obj1") == 0


@pytest.mark.parametrize("threshold, measure, status", [
    ("0.8", None, "unknown"), ("0.8", "0.79", "incomplete"), ("0.8", "0.8", "completed"), ("0", "0", "completed"),
])
def test_completion_status_is_evaluated_from_the_threshold(threshold, measure, status):
    state = {"cmi.completion_threshold": threshold, "cmi.completion_status": "completed"}
    if measure is not None:
        state["cmi.progress_measure"] = measure
    assert get_value(state, "cmi.completion_status") == (status, 0)


@pytest.mark.parametrize("passing, scaled, status", [
    ("0.7", None, "unknown"), ("0.7", "0.69", "failed"), ("0.7", "0.7", "passed"), ("-1", "-1", "passed"),
])
def test_success_status_is_evaluated_from_the_passing_score(passing, scaled, status):
    state = {"cmi.scaled_passing_score": passing, "cmi.success_status": "failed"}
    if scaled is not None:
        state["cmi.score.scaled"] = scaled
    assert get_value(state, "cmi.success_status") == (status, 0)


def test_without_thresholds_the_statuses_are_the_contents():
    assert get_value({"cmi.completion_status": "incomplete"}, "cmi.completion_status") == ("incomplete", 0)
    assert get_value({"cmi.success_status": "passed"}, "cmi.success_status") == ("passed", 0)


def test_the_operator_may_raise_the_suspend_data_limit_never_lower_it():
    assert set_value({}, "cmi.suspend_data", "x" * 64000, suspend_data_limit=4096) == 0
    limits = {e["pattern"]: e["max_length"] for e in table_json(suspend_data_limit=4096)["elements"]}
    assert limits["cmi.suspend_data"] == 64000
    state = {}
    assert set_value(state, "cmi.suspend_data", "x" * 64001) == 406
    assert set_value(state, "cmi.suspend_data", "x" * 64001, suspend_data_limit=100000) == 0
    assert validate_value("cmi.suspend_data", "x" * 64001, suspend_data_limit=100000) == 0


def test_the_lms_sets_read_only_elements():
    state = {}
    assert set_value(state, "cmi.completion_threshold", "0.5", as_lms=True) == 0
    assert set_value(state, "adl.nav.request_valid.choice.{target=a}", "true", as_lms=True) == 0
    assert get_value(state, "adl.nav.request_valid.choice.{target=a}") == ("true", 0)


def test_validate_value_checks_a_response_against_the_interactions_type():
    assert validate_value("cmi.interactions.0.learner_response", "true", state=STATE) == 0
    assert validate_value("cmi.interactions.0.learner_response", "a b", state=STATE) == 406
    assert validate_value("cmi.interactions.0.learner_response", "a") == 408


def test_every_outcome_has_a_number_for_each_operation_and_a_text():
    assert set(GET_CODES) == set(Outcome) == set(SET_CODES)
    assert {int(code) for code in [*GET_CODES.values(), *SET_CODES.values()]} <= set(ERROR_STRINGS)
    assert describe(406) == "406 Data Model Element Type Mismatch"
    assert describe(1444) == "1444 Unknown error code"


def test_table_json_gives_the_browser_both_code_maps():
    table = table_json()
    assert table["version"] == "1.0" and table["access_last"] is True
    assert table["error_codes"]["INDEX_OUT_OF_ORDER"] == 351
    assert table["get_error_codes"]["NO_SUCH_ITEM"] == 301
    assert table["errors"]["408"] == "Data Model Dependency Not Established"
    assert set(table["types"]) == set(MODEL.types)


def test_an_objectives_statuses_read_unknown_once_it_exists():
    state = {"cmi.objectives.0.id": "obj1"}
    assert get_value(state, "cmi.objectives.0.success_status") == ("unknown", 0)
    assert get_value(state, "cmi.objectives.0.completion_status") == ("unknown", 0)
    assert get_value(state, "cmi.objectives.1.success_status") == ("", 301)
