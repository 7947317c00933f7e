"""ScormRuntime/Commit: what a commit stores, and the run-time rules of
SCORM12.md the server applies on finish and on relaunch."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from scormapi.packages.synthetic import synthetic_scorm12_package
from scormapi.store.models import AssignmentStatus
from tests.api.scorm_helpers import get_cmi, load_attempt, values
from tests.player.helpers import commit, enrolled_course, launch

STATUS, RAW, TOTAL = "cmi.core.lesson_status", "cmi.core.score.raw", "cmi.core.total_time"


def stored(world, course, *names, sco="item_1"):
    items = get_cmi(world, course, list(names)).json()
    item = next(i for i in items if i["sco_id"] == sco)
    return {f["cmi_element_name"]: f["cmi_element_value"] for f in item["cmi_fields"]}


def session(content_http, world, course, seq_values, finish=True, sco="item_1"):
    """One launch and one commit of ``seq_values``; the commit's JSON."""
    launched = launch(world, course, sco)
    r = commit(content_http, launched, launched["commit_seq"] + 1, seq_values, finish=finish)
    assert r.status_code == 200, r.text
    return r.json()


def test_first_launch_gives_the_initial_values_and_the_manifest_values(world):
    package = synthetic_scorm12_package("Manifest values", [{
        "identifier": "item_1", "mastery_score": "75", "data_from_lms": "level=2",
        "max_time_allowed": "0001:30:00", "time_limit_action": "exit,message"}])
    course = enrolled_course(world, package)
    cmi = launch(world, course)["cmi"]
    assert cmi[STATUS] == "not attempted"
    assert cmi["cmi.core.entry"] == "ab-initio"
    assert cmi[TOTAL] == "0000:00:00.00"
    assert cmi["cmi.core.credit"] == "credit" and cmi["cmi.core.lesson_mode"] == "normal"
    assert cmi["cmi.launch_data"] == "level=2"
    assert cmi["cmi.student_data.mastery_score"] == "75"
    assert cmi["cmi.student_data.max_time_allowed"] == "0001:30:00"
    assert cmi["cmi.student_data.time_limit_action"] == "exit,message"
    assert cmi["cmi.core.student_id"] == course.learner.login
    assert cmi["cmi.core.student_name"] == "Lovelace, Ada"


def test_commit_stores_values_typed_columns_and_rolls_up(world, content_http):
    course = world.course(scos=2)
    body = session(content_http, world, course, {STATUS: "incomplete", RAW: "64.5", "cmi.core.session_time": "00:10:00",
                                         "cmi.core.lesson_location": "p2"}, finish=False)
    assert body["applied"] is True and body["api_error_entity"]["error_code"] == 0
    attempt = load_attempt(world, course)
    assert (attempt.lesson_status, attempt.score_raw, attempt.commit_seq) == ("incomplete", 64.5, body["commit_seq"])
    # Not finished: the session's time is not in total_time yet.
    assert attempt.cmi[TOTAL] == "0000:00:00.00" and attempt.total_seconds == 0
    with world.db.read() as s:
        rolled = s.scalar(select(AssignmentStatus).where(AssignmentStatus.id == course.assignment_status.id))
    assert (rolled.status, rolled.score) == ("incomplete", 64.5)
    assert rolled.started_at is not None


def test_finish_adds_the_last_session_time_to_total_time(world, content_http):
    course = world.course(scos=1)
    launched = launch(world, course)
    seq = launched["commit_seq"]
    assert commit(content_http, launched, seq + 1, {"cmi.core.session_time": "10:00:00", STATUS: "incomplete",
                                            "cmi.core.exit": "suspend"}).status_code == 200
    # session_time may be set many times; the last value counts.
    assert commit(content_http, launched, seq + 2, {"cmi.core.session_time": "48:01:45"}, finish=True).status_code == 200
    session(content_http, world, course, {"cmi.core.session_time": "13:00:16"})
    assert stored(world, course, TOTAL)[TOTAL] == "0061:02:01.00"
    attempt = load_attempt(world, course)
    assert attempt.total_seconds == 61 * 3600 + 2 * 60 + 1 and attempt.exited_at is not None


@pytest.mark.parametrize("raw, content_status, final", [
    ("85", None, "passed"),
    ("80", None, "passed"),
    ("79.99", None, "failed"),
    ("50", "passed", "failed"),  # the LMS decides from the mastery score
    ("", "incomplete", "incomplete"),  # no score: the content's status stands
])
def test_mastery_score_decides_passed_or_failed_at_finish(world, content_http, raw, content_status, final):
    course = world.course(scos=1, mastery_score=80)
    sent = {RAW: raw} if raw else {}
    if content_status:
        sent[STATUS] = content_status
    body = session(content_http, world, course, sent)
    assert stored(world, course, STATUS)[STATUS] == final
    if content_status == "passed":
        assert any("contradicts" in w for w in body["api_error_entity"]["warning_messages"])


def test_finish_without_status_is_completed(world, content_http):
    course = world.course(scos=1)
    session(content_http, world, course, {})
    assert stored(world, course, STATUS)[STATUS] == "completed"
    assert load_attempt(world, course).lesson_status == "completed"


def test_browse_mode_is_no_credit_and_ends_browsed(world, content_http):
    course = world.course(scos=1, mastery_score=50)
    launched = launch(world, course, mode="browse")
    assert (launched["lesson_mode"], launched["cmi"]["cmi.core.credit"]) == ("browse", "no-credit")
    assert commit(content_http, launched, launched["commit_seq"] + 1, {RAW: "90"}, finish=True).status_code == 200
    # No credit: the mastery score does not apply.
    assert stored(world, course, STATUS, "cmi.core.lesson_mode")[STATUS] == "browsed"
    # A normal launch afterwards is for credit again.
    again = launch(world, course)
    assert (again["lesson_mode"], again["cmi"]["cmi.core.credit"]) == ("normal", "credit")


def test_suspend_resumes_with_location_and_suspend_data(world, content_http):
    course = world.course(scos=1)
    session(content_http, world, course, {STATUS: "incomplete", "cmi.core.exit": "suspend", "cmi.core.lesson_location": "p9",
                                  "cmi.suspend_data": "a=1"})
    cmi = launch(world, course)["cmi"]
    assert (cmi["cmi.core.entry"], cmi["cmi.core.lesson_location"], cmi["cmi.suspend_data"]) == ("resume", "p9", "a=1")
    # A new session starts without the last session's exit and session_time.
    assert "cmi.core.exit" not in cmi and "cmi.core.session_time" not in cmi


def test_normal_exit_relaunches_with_empty_entry(world, content_http):
    course = world.course(scos=1)
    session(content_http, world, course, {STATUS: "incomplete", "cmi.core.exit": ""})
    assert launch(world, course)["cmi"]["cmi.core.entry"] == ""


def test_leaving_without_finish_counts_the_time_but_keeps_the_status(world, content_http):
    course = world.course(scos=1)
    launched = launch(world, course)
    r = commit(content_http, launched, launched["commit_seq"] + 1, {"cmi.core.session_time": "00:05:00"}, leave=True)
    assert r.status_code == 200
    got = stored(world, course, STATUS, TOTAL)
    assert got == {STATUS: "not attempted", TOTAL: "0000:05:00.00"}


@pytest.mark.parametrize("name, value, scorm", [
    ("cmi.core.total_time", "0001:00:00", "403 Element is read only"),
    ("cmi.core.student_id", "someone", "403 Element is read only"),
    ("cmi.core._children", "x", "402 Invalid set value, element is a keyword"),
    (STATUS, "not attempted", "405 Incorrect data type"),
    (RAW, "100.5", "405 Incorrect data type"),
    ("cmi.core.bogus", "x", "201 Invalid argument error"),
    ("cmi.bogus", "x", "401 Not implemented error"),
    ("cmi.objectives.3.id", "o", "201 Invalid argument error"),
])
def test_every_value_is_validated_as_content_and_one_bad_value_stores_nothing(world, content_http, name, value, scorm):
    course = world.course(scos=1)
    launched = launch(world, course)
    r = commit(content_http, launched, launched["commit_seq"] + 1, {"cmi.core.lesson_location": "kept?", name: value})
    assert r.status_code == 422
    entity = r.json()["api_error_entity"]
    assert entity["error_code"] == 2
    assert entity["error_message"] == f"Invalid request: values.{name}: {scorm}"
    attempt = load_attempt(world, course)
    assert "cmi.core.lesson_location" not in attempt.cmi and attempt.commit_seq == launched["commit_seq"]


def test_values_apply_in_order_so_arrays_grow(world, content_http):
    course = world.course(scos=1)
    sent = {"cmi.interactions.0.id": "q1", "cmi.interactions.1.id": "q2", "cmi.interactions.1.objectives.0.id": "o1",
            "cmi.objectives.0.id": "o1", "cmi.objectives.0.status": "not attempted"}
    session(content_http, world, course, sent, finish=False)
    got = stored(world, course, "cmi.interactions._count", "cmi.interactions.1.objectives.0.id", "cmi.objectives.0.status")
    assert got == {"cmi.interactions._count": "2", "cmi.interactions.1.objectives.0.id": "o1",
                   "cmi.objectives.0.status": "not attempted"}


@pytest.mark.parametrize("body", [
    {"seq": "1", "values": {}},
    {"seq": 0, "values": {}},
    {"seq": 1, "values": {"cmi.core.score.raw": 85}},
    {"seq": 1, "values": [], "finish": True},
    {"seq": 1, "finish": "yes"},
    {"values": {}},
])
def test_malformed_commits_are_422(world, content_http, body):
    course = world.course(scos=1)
    launched = launch(world, course)
    r = content_http.post("/api/v1/ScormRuntime/Commit", params={"access_token": launched["launch_token"]}, json=body)
    assert r.status_code == 422 and r.json()["api_error_entity"]["error_code"] == 2


def test_content_can_write_what_getcmidata_reads_back(world, content_http):
    course = world.course(scos=2)
    sent = {STATUS: "incomplete", "cmi.core.lesson_location": "5", "cmi.core.exit": "suspend",
            "cmi.core.session_time": "0000:12:34.5", "cmi.student_preference.language": "fr"}
    session(content_http, world, course, sent, sco="item_2")
    got = values(get_cmi(world, course, list(sent) + [TOTAL]))
    assert got[1] == {**sent, TOTAL: "0000:12:34.50"}
    assert got[0][STATUS] == "not attempted"
