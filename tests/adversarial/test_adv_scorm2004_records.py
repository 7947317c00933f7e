"""GetCmiData and EditScormData on a SCORM 2004 SCO given odd names and
extreme values: each answer is the documented one, in the envelope."""
from __future__ import annotations

import json

import pytest

from tests.api.scorm_helpers import OK, edit, get_cmi, history
from tests.player.helpers import launch

HUGE_YEARS = "P" + "9" * 400 + "Y"
ENDLESS_YEARS = "P" + "9" * 5000 + "Y"


@pytest.fixture()
def course(world):
    return world.course(scos=2, scorm_version="2004")


def fields_of(world, course, names: list[str]) -> tuple[list[dict], list[str]]:
    r = get_cmi(world, course, names)
    assert r.status_code == 200, r.text
    item = r.json()[0]
    return item["cmi_fields"], item["api_error_entity"]["warning_messages"]


def value_of(world, course, name: str) -> str:
    return fields_of(world, course, [name])[0][0]["cmi_element_value"]


def refused(response, field: str) -> str:
    """The 422's message, checked to name ``field``."""
    assert response.status_code == 422, response.text
    entity = response.json()["api_error_entity"]
    assert entity["error_code"] == 2
    assert entity["error_message"].startswith(f"Invalid request: {field}: "), entity["error_message"]
    return entity["error_message"]


# -- GetCmiData ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cmi.objectives.3.id", "cmi.objectives.99999999999999999999999.id",
                                  "cmi.interactions.0.id"])
def test_a_2004_record_past_its_count_is_301_not_a_12_mapping(world, course, name):
    """SCORM 2004 GetValue with n >= _count is 301; the name is the 2004
    model's own, so no warning may call it "not a SCORM 2004 element"."""
    fields, warnings = fields_of(world, course, [name])
    assert fields == [{"cmi_element_name": name, "cmi_element_value": "", "error_message": "301 General Get Failure"}]
    assert warnings == [f"{name}: 301 General Get Failure"]


def test_choice_is_true_for_every_sco_of_the_course_before_any_launch(world, course):
    """README: choice.{target=ID} is true for each SCO of the course; a SCO
    never opened reads the LMS's initial values."""
    names = ["adl.nav.request_valid.choice.{target=item_1}", "adl.nav.request_valid.choice.{target=item_2}"]
    fields, _ = fields_of(world, course, names)
    assert [f["cmi_element_value"] for f in fields] == ["true", "true"]


@pytest.mark.parametrize(("name", "error"), [
    ("cmi.interactions.0.student_response", "401 Undefined Data Model Element"),
    ("cmi.core._children", "401 Undefined Data Model Element"),
    ("adl.nav.request_valid.choice", "301 General Get Failure"),
    ("adl.nav.request_valid.choice.{target=}", "401 Undefined Data Model Element"),
    ("cmi.learner_name{lang=en}", "401 Undefined Data Model Element"),
    ("cmi..location", "401 Undefined Data Model Element"),
])
def test_odd_names_read_empty_with_their_error(world, course, name, error):
    fields, warnings = fields_of(world, course, [name])
    assert fields == [{"cmi_element_name": name, "cmi_element_value": "", "error_message": error}]
    assert warnings == [f"{name}: {error}"]


# -- EditScormData: 500s ----------------------------------------------------------------


def test_a_raw_score_of_1e308_is_answered_in_the_envelope(world, course):
    r = edit(world, course, raw_score=1e308, reason="odd")
    assert r.status_code in (200, 422), r.text
    if r.status_code == 422:
        refused(r, "raw_score")
    else:
        assert r.json() == {"api_error_entity": OK}


@pytest.mark.parametrize(("field", "value"), [("total_time", HUGE_YEARS), ("session_time", HUGE_YEARS),
                                              ("session_time", ENDLESS_YEARS), ("total_time", ENDLESS_YEARS)])
def test_a_duration_of_endless_years_is_answered_in_the_envelope(world, course, field, value):
    r = edit(world, course, **{field: value}, reason="odd")
    assert r.status_code in (200, 422), r.text
    if r.status_code == 422:
        refused(r, field)
        assert history(world, course).json() == []
    else:
        assert get_cmi(world, course, ["cmi.core.total_time", "cmi.core.session_time"]).status_code == 200


# -- EditScormData: wrong answers --------------------------------------------------------


def test_lesson_status_unknown_is_not_a_12_word(world, course):
    """lesson_status takes SCORM 1.2's words (README's table); "unknown" is
    none of them, so it is refused and nothing is written."""
    refused(edit(world, course, lesson_status="unknown", reason="odd"), "lesson_status")
    assert history(world, course).json() == []


def test_a_bad_lesson_status_names_the_12_vocabulary(world, course):
    """The message lists what lesson_status accepts, not cmi.completion_status's
    words (which include "unknown", itself refused by lesson_status)."""
    message = refused(edit(world, course, lesson_status="bogus"), "lesson_status")
    assert "'unknown'" not in message


# -- EditScormData: what already holds, kept as guards -------------------------------------


@pytest.mark.parametrize(("fields", "element", "stored"), [
    ({"score_scaled": -0.0}, "cmi.score.scaled", "0"),
    ({"score_scaled": 1e-7}, "cmi.score.scaled", "0.0000001"),
    ({"session_time": "0001:00:00"}, "cmi.session_time", "PT1H"),
    ({"total_time": "9999:59:59.99"}, "cmi.total_time", "PT9999H59M59.99S"),
    ({"session_time": "P1Y"}, "cmi.session_time", "P1Y"),
    ({"for_credit": False}, "cmi.credit", "no-credit"),
])
def test_edge_values_are_stored_as_documented(world, course, fields, element, stored):
    r = edit(world, course, **fields, reason="edge")
    assert r.status_code == 200, r.text
    assert value_of(world, course, element) == stored


@pytest.mark.parametrize(("fields", "field"), [
    ({"score_scaled": 1e308}, "score_scaled"),
    ({"progress_measure": 1.0000000001}, "progress_measure"),
    ({"session_time": "PT0.001S"}, "session_time"),
    ({"session_time": "9999:99:99"}, "session_time"),
    ({"total_time": "0001:00:00.123"}, "total_time"),
    ({"completion_status": "passed"}, "completion_status"),
    ({"success_status": "completed"}, "success_status"),
])
def test_values_outside_their_2004_type_are_refused(world, course, fields, field):
    refused(edit(world, course, **fields), field)
    assert history(world, course).json() == []


def test_preference_speed_has_no_meaning_in_2004(world, course):
    r = edit(world, course, preference_speed=0)
    assert r.status_code == 422
    assert r.json()["api_error_entity"]["error_message"] == (
        "Invalid request: preference_speed: has no meaning in SCORM 2004")


# -- the same names through the other reads ------------------------------------------------


def test_attempt_history_reads_a_2004_record_past_its_count_as_301(world, course, content_http):
    launch(world, course)
    body = {"assignment_status_id": str(course.assignment_status.id), "sco_id": "item_1",
            "cmi_element_names": ["cmi.objectives.5.id"]}
    r = world.post("ScormApi/GetAttemptHistory", body)
    assert r.status_code == 200, r.text
    item = r.json()[0]
    assert item["cmi_fields"] == [{"cmi_element_name": "cmi.objectives.5.id", "cmi_element_value": "",
                                   "error_message": "301 General Get Failure"}]
    assert item["api_error_entity"]["warning_messages"] == ["cmi.objectives.5.id: 301 General Get Failure"]


def test_an_export_of_a_2004_assignment_answers_12_names_as_get_cmi_data_does(world, course):
    """README: ExportCmiData reads values as GetCmiData reads them, and
    GetCmiData answers a 1.2 name of a 2004 SCO through the mapping."""
    body = {"assignment_id": str(course.assignment.id), "cmi_element_names": ["cmi.core.lesson_status"]}
    r = world.post("ScormApi/ExportCmiData", body, headers={"Accept": "application/x-ndjson"})
    assert r.status_code == 200, r.text
    rows = [json.loads(line) for line in r.content.decode().splitlines()]
    assert [row["cmi"] for row in rows] == [{"cmi.core.lesson_status": "not attempted"}] * 2


def test_a_learner_name_that_looks_like_a_language_tag_reads_whole_in_12(world):
    """cmi.core.student_name is the learner's name: a last name that happens
    to start with "{lang=fr}" is the learner's, not a delimiter."""
    learner = world.user(first_name="Ada", last_name="{lang=fr}Curie")
    course = world.course(scos=1, scorm_version="2004", learner=learner)
    assert value_of(world, course, "cmi.core.student_name") == "{lang=fr}Curie, Ada"
