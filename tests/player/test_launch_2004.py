"""Launching and committing a SCORM 2004 SCO through the run-time API: what
a first launch hands content, what cmi.exit decides for the next launch
(suspend resumes, any other exit ends the attempt), the LMS's evaluated
statuses, and the typed columns and roll-up a 2004 attempt fills."""
from __future__ import annotations

import uuid

import pytest

from scormapi.store.models import AssignmentStatus
from tests.api.scorm_helpers import load_attempt, load_history
from tests.player.helpers import commit, launch

CHOICE_1, CHOICE_2 = "adl.nav.request_valid.choice.{target=item_1}", "adl.nav.request_valid.choice.{target=item_2}"
FIRST_SESSION = {
    "cmi.mode": "normal",
    "cmi.credit": "credit",
    "cmi.entry": "ab-initio",
    "cmi.completion_status": "unknown",
    "cmi.success_status": "unknown",
    "cmi.total_time": "PT0H0M0S",
    "cmi.time_limit_action": "continue,no message",
    "adl.nav.request": "_none_",
    CHOICE_1: "true",
    CHOICE_2: "true",
}
# What a lesson under way reports before it is left for later.
UNDER_WAY = {"cmi.completion_status": "incomplete", "cmi.location": "page-3", "cmi.suspend_data": "a=1;b=2",
             "cmi.score.raw": "40", "cmi.session_time": "PT10M"}


@pytest.fixture()
def course(world):
    return world.course(scos=2, scorm_version="2004")


def session(content_http, world, course, values, sco_id="item_1", **ending):
    """One launch of the SCO and one commit of ``values`` ending it as
    ``ending`` says (finish=True is Terminate, leave=True the learner left)."""
    launched = launch(world, course, sco_id=sco_id)
    r = commit(content_http, launched, launched["commit_seq"] + 1, values, **ending)
    assert r.status_code == 200, r.text
    return launched, r.json()


def rolled_up(world, course) -> tuple:
    with world.db.read() as s:
        status = s.get(AssignmentStatus, course.assignment_status.id)
        return status.status, status.score, status.total_seconds


def attempt_history(world, course, names):
    body = {"assignment_status_id": str(course.assignment_status.id), "sco_id": "item_1", "cmi_element_names": names}
    return world.post("ScormApi/GetAttemptHistory", body)


# -- the first launch ------------------------------------------------------------------


def test_the_first_launch_hands_a_fresh_2004_state(world, course):
    first = launch(world, course)
    assert (first["attempt_number"], first["lesson_mode"], first["commit_seq"]) == (1, "normal", 0)
    cmi = first["cmi"]
    assert {name: cmi[name] for name in FIRST_SESSION} == FIRST_SESSION
    assert (cmi["adl.nav.request_valid.continue"], cmi["adl.nav.request_valid.previous"]) == ("true", "false")
    assert (cmi["cmi.learner_id"], cmi["cmi.learner_name"]) == (course.learner.login, "Lovelace, Ada")
    # Nothing of SCORM 1.2's model, and nothing content has not written yet.
    assert not [name for name in cmi if name.startswith("cmi.core.")]
    assert "cmi.location" not in cmi and "cmi.score.raw" not in cmi and "cmi.exit" not in cmi
    assert first["api_error_entity"] == {"error_code": 0, "warning_messages": []}
    attempt = load_attempt(world, course)
    assert (attempt.lesson_status, attempt.completion_status, attempt.success_status, attempt.total_seconds) == (
        "not attempted", "unknown", "unknown", 0.0)
    assert attempt.started_at is not None


def test_the_last_sco_can_go_back_but_not_on(world, course):
    last = launch(world, course, sco_id="item_2")["cmi"]
    assert (last["adl.nav.request_valid.continue"], last["adl.nav.request_valid.previous"]) == ("false", "true")
    assert (last[CHOICE_1], last[CHOICE_2], last["cmi.entry"]) == ("true", "true", "ab-initio")


# -- what the exit decides -------------------------------------------------------------


def test_a_suspended_session_resumes_the_same_attempt_with_its_values(world, content_http, course):
    first, answer = session(content_http, world, course, {**UNDER_WAY, "cmi.exit": "suspend"}, finish=True)
    assert answer == {"applied": True, "commit_seq": 1, "lesson_status": "incomplete",
                      "api_error_entity": {"error_code": 0, "warning_messages": []}}
    again = launch(world, course)
    assert (again["attempt_id"], again["attempt_number"], again["lesson_mode"]) == (first["attempt_id"], 1, "normal")
    cmi = again["cmi"]
    assert cmi["cmi.entry"] == "resume"
    assert {name: cmi[name] for name in ("cmi.completion_status", "cmi.location", "cmi.suspend_data", "cmi.score.raw")} == {
        "cmi.completion_status": "incomplete", "cmi.location": "page-3", "cmi.suspend_data": "a=1;b=2",
        "cmi.score.raw": "40"}
    # session_time and exit belong to the session that set them.
    assert (cmi["cmi.total_time"], "cmi.session_time" in cmi, "cmi.exit" in cmi) == ("PT10M", False, False)
    assert load_history(world, uuid.UUID(first["attempt_id"])) == []


def test_a_normal_exit_of_an_incomplete_sco_starts_attempt_2_at_the_next_launch(world, content_http, course):
    first, answer = session(content_http, world, course, {**UNDER_WAY, "cmi.exit": "normal"}, finish=True)
    assert answer["lesson_status"] == "incomplete"
    second = launch(world, course)
    assert (second["attempt_id"], second["attempt_number"], second["lesson_mode"]) == (first["attempt_id"], 2, "normal")
    assert second["api_error_entity"] == {"error_code": 0, "warning_messages": []}
    cmi = second["cmi"]
    assert {name: cmi[name] for name in FIRST_SESSION} == FIRST_SESSION
    assert "cmi.location" not in cmi and "cmi.suspend_data" not in cmi and "cmi.score.raw" not in cmi
    # A window still open on attempt 1 cannot write into attempt 2.
    stale = commit(content_http, first, 50, {"cmi.location": "from attempt 1"})
    assert stale.status_code == 403
    r = attempt_history(world, course, ["cmi.location", "cmi.exit"])
    assert r.status_code == 200, r.text
    assert [(item["attempt_number"], item["current"], item["lesson_status"], item["completion_status"],
             item["success_status"], item["score_raw"], item["total_time"]) for item in r.json()] == [
        (2, True, "not attempted", "unknown", "unknown", None, "0000:00:00.00"),
        (1, False, "incomplete", "incomplete", "unknown", 40.0, "0000:10:00.00"),
    ]
    archived = r.json()[1]["cmi_fields"]
    assert archived == [
        {"cmi_element_name": "cmi.location", "cmi_element_value": "page-3", "error_message": None},
        {"cmi_element_name": "cmi.exit", "cmi_element_value": "normal", "error_message": None},
    ]


def test_an_ended_attempt_with_no_attempt_left_opens_for_review(world, content_http):
    course = world.course(scos=2, scorm_version="2004", max_attempts=1)
    session(content_http, world, course, {**UNDER_WAY, "cmi.exit": "normal"}, finish=True)
    before = load_attempt(world, course)
    review = launch(world, course)
    assert (review["lesson_mode"], review["attempt_number"], review["launch_token"], review["commit_url"]) == (
        "review", 1, None, None)
    assert review["api_error_entity"]["warning_messages"] == [
        ("Attempt 1 was ended by the lesson (incomplete), so it opened for review; "
        "every attempt the assignment allows (1) is used")]
    cmi = review["cmi"]
    assert (cmi["cmi.mode"], cmi["cmi.credit"], cmi["cmi.location"], cmi["cmi.completion_status"]) == (
        "review", "no-credit", "page-3", "incomplete")
    after = load_attempt(world, course)
    assert (after.attempt_number, after.version, after.cmi) == (1, before.version, before.cmi)


def test_leaving_without_terminate_or_exit_resumes(world, content_http, course):
    session(content_http, world, course, UNDER_WAY, leave=True)
    left = load_attempt(world, course)
    assert (left.cmi["cmi.exit"], left.cmi["cmi.total_time"], left.total_seconds) == ("suspend", "PT10M", 600.0)
    assert left.exited_at is not None
    again = launch(world, course)
    assert (again["attempt_number"], again["cmi"]["cmi.entry"], again["cmi"]["cmi.location"]) == (1, "resume", "page-3")


def test_a_value_out_of_range_is_refused_and_nothing_is_stored(world, content_http, course):
    launched = launch(world, course)
    before = load_attempt(world, course)
    r = commit(content_http, launched, 1, {"cmi.location": "p2", "cmi.score.scaled": "2"}, finish=True)
    assert (r.status_code, r.json()) == (422, {"api_error_entity": {
        "error_code": 2, "warning_messages": [],
        "error_message": "Invalid request: values.cmi.score.scaled: 407 Data Model Element Value Out Of Range"}})
    after = load_attempt(world, course)
    assert (after.cmi, after.commit_seq, after.version, after.exited_at) == (before.cmi, 0, before.version, None)


def test_each_finish_adds_its_session_time_to_total_time(world, content_http, course):
    session(content_http, world, course, {**UNDER_WAY, "cmi.exit": "suspend"}, finish=True)
    session(content_http, world, course, {"cmi.session_time": "PT5M", "cmi.exit": "suspend"}, finish=True)
    attempt = load_attempt(world, course)
    assert (attempt.cmi["cmi.total_time"], attempt.total_seconds, attempt.attempt_number) == ("PT15M", 900.0, 1)
    assert launch(world, course)["cmi"]["cmi.total_time"] == "PT15M"
    assert rolled_up(world, course) == ("incomplete", 40.0, 900.0)


# -- typed columns, roll-up, evaluated statuses ----------------------------------------


def test_typed_columns_and_the_roll_up_follow_the_2004_statuses(world, content_http, course):
    passed = {"cmi.completion_status": "completed", "cmi.success_status": "passed", "cmi.score.raw": "85",
              "cmi.score.scaled": "0.85", "cmi.session_time": "PT12M", "cmi.exit": "normal"}
    _, answer = session(content_http, world, course, passed, finish=True)
    assert answer["lesson_status"] == "passed"
    attempt = load_attempt(world, course)
    assert (attempt.lesson_status, attempt.completion_status, attempt.success_status, attempt.score_raw,
            attempt.score_scaled, attempt.total_seconds) == ("passed", "completed", "passed", 85.0, 0.85, 720.0)
    # One SCO of two done: the assignment is under way.
    assert rolled_up(world, course) == ("incomplete", 85.0, 720.0)
    scaled_only = {"cmi.completion_status": "completed", "cmi.score.scaled": "0.65", "cmi.session_time": "PT3M",
                   "cmi.exit": "normal"}
    session(content_http, world, course, scaled_only, sco_id="item_2", finish=True)
    second = load_attempt(world, course, "item_2")
    assert (second.lesson_status, second.score_raw, second.score_scaled) == ("completed", 65.0, 0.65)
    assert rolled_up(world, course) == ("completed", 75.0, 900.0)
    # A passed SCO is finished: relaunching it reviews, it does not restart.
    review = launch(world, course)
    assert (review["lesson_mode"], review["attempt_number"]) == ("review", 1)


def test_the_threshold_decides_completion_whatever_content_says(world, content_http):
    course = world.course(scos=2, scorm_version="2004", sco_spec={"completion_threshold": "0.8"})
    launched = launch(world, course)
    assert launched["cmi"]["cmi.completion_threshold"] == "0.8"
    values = {"cmi.progress_measure": "0.9", "cmi.completion_status": "incomplete", "cmi.session_time": "PT1M",
              "cmi.exit": "normal"}
    r = commit(content_http, launched, 1, values, finish=True)
    assert r.status_code == 200, r.text
    assert r.json() == {"applied": True, "commit_seq": 1, "lesson_status": "completed", "api_error_entity": {
        "error_code": 0, "warning_messages": [
            ("cmi.completion_status 'incomplete' set by content contradicts cmi.progress_measure '0.9' against "
            "cmi.completion_threshold '0.8'; set to 'completed'")]}}
    attempt = load_attempt(world, course)
    assert (attempt.cmi["cmi.completion_status"], attempt.completion_status, attempt.lesson_status) == (
        "completed", "completed", "completed")


def test_below_the_threshold_a_completed_claim_reads_incomplete(world, content_http):
    course = world.course(scos=2, scorm_version="2004", sco_spec={"completion_threshold": "0.8"})
    values = {"cmi.progress_measure": "0.5", "cmi.completion_status": "completed", "cmi.exit": "suspend"}
    _, answer = session(content_http, world, course, values, finish=True)
    assert answer["lesson_status"] == "incomplete"
    assert load_attempt(world, course).completion_status == "incomplete"
    assert launch(world, course)["cmi"]["cmi.completion_status"] == "incomplete"


def test_a_session_nobody_ended_keeps_its_attempt(world, content_http, course):
    """A launch whose lesson never committed, finished or left (the page
    never loaded, the browser died) has ended nothing: the next launch
    resumes the same attempt rather than spending a new one."""
    first = launch(world, course)
    assert commit(content_http, first, first["commit_seq"] + 1, {"cmi.location": "p2"}).status_code == 200
    again = launch(world, course)
    assert (again["attempt_number"], again["cmi"]["cmi.location"]) == (1, "p2")
    third = launch(world, course)
    assert third["attempt_number"] == 1
    assert load_history(world, load_attempt(world, course).id) == []
