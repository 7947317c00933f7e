"""Relaunching a finished SCO: review unless a new attempt is asked for,
within the assignment's max_attempts; the grading method decides which
attempt the roll-up shows."""
from __future__ import annotations

import pytest

from scormapi.store.models import AssignmentStatus
from tests.api.scorm_helpers import load_attempt, load_history
from tests.player.helpers import commit, launch

RUNTIME = "ScormRuntime/Launch"
FINISHED = {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "90", "cmi.core.session_time": "00:20:00",
            "cmi.core.lesson_location": "end"}


def finish(content_http, world, course, sent=FINISHED, new_attempt=False, sco_id="item_1"):
    launched = launch(world, course, sco_id=sco_id, new_attempt=new_attempt)
    assert launched["lesson_mode"] == "normal"
    assert commit(content_http, launched, launched["commit_seq"] + 1, sent, finish=True).status_code == 200
    return launched


def result(score, status="passed", minutes=10):
    return {"cmi.core.lesson_status": status, "cmi.core.score.raw": str(score), "cmi.core.session_time": f"00:{minutes:02d}:00"}


def rolled_up(world, course) -> tuple:
    with world.db.read() as s:
        status = s.get(AssignmentStatus, course.assignment_status.id)
        return status.status, status.score, status.total_seconds


def launch_body(course, **extra):
    return {"assignment_status_id": str(course.assignment_status.id), "sco_id": "item_1", **extra}


@pytest.mark.parametrize("status", ["passed", "completed", "failed"])
def test_a_new_attempt_archives_the_finished_one_and_starts_afresh(world, content_http, status):
    course = world.course(scos=1)
    old = finish(content_http, world, course, {**FINISHED, "cmi.core.lesson_status": status})
    fresh = launch(world, course, new_attempt=True)
    assert (fresh["attempt_number"], fresh["lesson_mode"]) == (2, "normal")
    cmi = fresh["cmi"]
    assert (cmi["cmi.core.lesson_status"], cmi["cmi.core.entry"], cmi["cmi.core.total_time"]) == (
        "not attempted", "ab-initio", "0000:00:00.00")
    assert "cmi.core.lesson_location" not in cmi and "cmi.core.score.raw" not in cmi
    attempt = load_attempt(world, course)
    (archived,) = load_history(world, attempt.id)
    assert archived.attempt_number == 1 and archived.lesson_status == status
    assert archived.cmi["cmi.core.lesson_location"] == "end" and archived.total_seconds == 1200
    # A window still open on the first attempt cannot write into the second.
    r = commit(content_http, old, 1000, {"cmi.core.lesson_location": "from attempt 1"})
    assert r.status_code == 403
    assert "cmi.core.lesson_location" not in load_attempt(world, course).cmi


def test_opening_a_finished_lesson_reviews_it_and_throws_nothing_away(world, content_http):
    """The issue's learner: passed, 90, 20 min; reopening without asking for
    a new attempt must not turn that into incomplete, no score, 0 s."""
    course = world.course(scos=1, max_attempts=3)
    finish(content_http, world, course)
    before = load_attempt(world, course)
    assert rolled_up(world, course) == ("completed", 90.0, 1200.0)
    r = world.post(RUNTIME, launch_body(course), token=world.token(course.learner))
    assert r.status_code == 200
    review = r.json()
    assert (review["lesson_mode"], review["attempt_number"], review["launch_token"], review["commit_url"]) == (
        "review", 1, None, None)
    assert review["api_error_entity"]["warning_messages"] == [
        "Attempt 1 is finished (passed), so it opened for review; ask for new_attempt to start attempt 2 (2 left)"]
    cmi = review["cmi"]
    assert (cmi["cmi.core.lesson_mode"], cmi["cmi.core.credit"], cmi["cmi.core.lesson_status"]) == (
        "review", "no-credit", "passed")
    after = load_attempt(world, course)
    assert (after.cmi, after.version, after.commit_seq, after.attempt_number) == (
        before.cmi, before.version, before.commit_seq, 1)
    assert rolled_up(world, course) == ("completed", 90.0, 1200.0)


def test_unlimited_attempts_say_so_in_the_review_warning(world, content_http):
    course = world.course(scos=1)
    finish(content_http, world, course)
    r = world.post(RUNTIME, launch_body(course), token=world.token(course.learner))
    assert r.json()["api_error_entity"]["warning_messages"] == [
        "Attempt 1 is finished (passed), so it opened for review; ask for new_attempt to start attempt 2 (no limit)"]


def test_attempts_used_up_refuse_a_new_one_and_still_review(world, content_http):
    course = world.course(scos=1, max_attempts=2)
    finish(content_http, world, course, result(60, "failed"))
    finish(content_http, world, course, result(70, "failed"), new_attempt=True)
    before = load_attempt(world, course)
    r = world.post(RUNTIME, launch_body(course, new_attempt=True), token=world.token(course.learner))
    assert r.status_code == 409
    assert r.json() == {"api_error_entity": {"error_code": 13, "warning_messages": [], "error_message":
                        "No attempts left: all 2 attempts this assignment allows are used; the lesson can still be reviewed"}}
    after = load_attempt(world, course)
    assert (after.version, after.attempt_number, after.cmi) == (before.version, 2, before.cmi)
    review = world.post(RUNTIME, launch_body(course), token=world.token(course.learner)).json()
    assert (review["lesson_mode"], review["attempt_number"]) == ("review", 2)
    assert review["api_error_entity"]["warning_messages"] == [
        "Attempt 2 is finished (failed), so it opened for review; every attempt the assignment allows (2) is used"]


def test_one_attempt_is_what_the_old_review_policy_was(world, content_http):
    course = world.course(scos=1, max_attempts=1)
    finish(content_http, world, course)
    r = world.post(RUNTIME, launch_body(course, new_attempt=True), token=world.token(course.learner))
    assert r.status_code == 409 and r.json()["api_error_entity"]["error_code"] == 13
    assert load_history(world, load_attempt(world, course).id)[0].attempt_number == 1


def test_an_unfinished_attempt_is_resumed_even_when_a_new_one_is_asked_for(world, content_http):
    course = world.course(scos=1)
    finish(content_http, world, course, {"cmi.core.lesson_status": "incomplete", "cmi.core.exit": "suspend"})
    r = world.post(RUNTIME, launch_body(course, new_attempt=True), token=world.token(course.learner))
    again = r.json()
    assert again["attempt_number"] == 1 and again["cmi"]["cmi.core.entry"] == "resume"
    assert again["api_error_entity"]["warning_messages"] == [
        "Attempt 1 is not finished, so it was resumed; a new attempt can start once it is finished"]
    assert load_history(world, load_attempt(world, course).id) == []


def test_an_asked_for_review_of_an_attempt_under_way_saves_nothing(world, content_http):
    course = world.course(scos=1)
    finish(content_http, world, course, {"cmi.core.lesson_status": "incomplete", "cmi.core.lesson_location": "p3"})
    before = load_attempt(world, course)
    review = launch(world, course, mode="review")
    assert (review["lesson_mode"], review["launch_token"], review["cmi"]["cmi.core.lesson_location"]) == (
        "review", None, "p3")
    after = load_attempt(world, course)
    assert (after.version, after.cmi) == (before.version, before.cmi)


def test_a_review_of_a_lesson_never_opened_has_nothing_to_show(world):
    course = world.course(scos=1)
    r = world.post(RUNTIME, launch_body(course, lesson_mode="review"), token=world.token(course.learner))
    assert r.status_code == 409
    assert r.json()["api_error_entity"]["error_message"] == "Nothing to review: SCO 'item_1' was never opened"
    assert load_attempt(world, course) is None


@pytest.mark.parametrize("bad, field", [({"new_attempt": "yes"}, "new_attempt"), ({"lesson_mode": "replay"}, "lesson_mode")])
def test_launch_refuses_bad_attempt_fields(world, bad, field):
    course = world.course(scos=1)
    r = world.post(RUNTIME, launch_body(course, **bad), token=world.token(course.learner))
    assert r.status_code == 422 and field in r.json()["api_error_entity"]["error_message"]
    assert load_attempt(world, course) is None


def test_a_completing_finish_is_filed_in_history_at_once(world, content_http):
    course = world.course(scos=1)
    finish(content_http, world, course)
    attempt = load_attempt(world, course)
    (filed,) = load_history(world, attempt.id)
    assert filed.cmi == attempt.cmi and filed.attempt_number == 1


# -- grading across attempts -----------------------------------------------------------


def test_an_attempt_under_way_never_hides_the_finished_result(world, content_http):
    course = world.course(scos=1)
    finish(content_http, world, course, result(92, minutes=12))
    # A new attempt opened and left without touching anything.
    fresh = launch(world, course, new_attempt=True)
    assert commit(content_http, fresh, fresh["commit_seq"] + 1, {}, leave=True).status_code == 200
    assert load_attempt(world, course).lesson_status == "not attempted"
    assert rolled_up(world, course) == ("completed", 92.0, 720.0)


# Attempt 1 passed 80, attempt 2 failed 60, attempt 3 passed 70: what each method shows.
GRADED = {"highest": ("completed", 80.0, 600.0), "last": ("completed", 70.0, 180.0), "first": ("completed", 80.0, 600.0)}


@pytest.mark.parametrize("method", sorted(GRADED))
def test_each_grading_method_picks_its_attempt(world, content_http, method):
    course = world.course(scos=1, grading=method)
    finish(content_http, world, course, result(80, minutes=10))
    finish(content_http, world, course, result(60, "failed", minutes=5), new_attempt=True)
    after_two = {"highest": ("completed", 80.0, 600.0), "last": ("failed", 60.0, 300.0), "first": ("completed", 80.0, 600.0)}
    assert rolled_up(world, course) == after_two[method]
    finish(content_http, world, course, result(70, minutes=3), new_attempt=True)
    assert rolled_up(world, course) == GRADED[method]


def test_highest_prefers_a_pass_to_a_higher_failed_score(world, content_http):
    course = world.course(scos=1, grading="highest")
    finish(content_http, world, course, result(75, "passed"))
    finish(content_http, world, course, result(85, "failed"), new_attempt=True)
    assert rolled_up(world, course)[:2] == ("completed", 75.0)


def test_the_roll_up_of_several_scos_grades_each(world, content_http):
    course = world.course(scos=2, grading="highest")
    finish(content_http, world, course, result(90), sco_id="item_1")
    finish(content_http, world, course, result(40, "failed"), sco_id="item_1", new_attempt=True)
    finish(content_http, world, course, result(70), sco_id="item_2")
    assert rolled_up(world, course) == ("completed", 80.0, 1200.0)
