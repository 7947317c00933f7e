"""Relaunching a finished SCO: the assignment's attempt policy decides."""
from __future__ import annotations

import pytest

from tests.api.scorm_helpers import load_attempt, load_history
from tests.player.helpers import commit, launch

FINISHED = {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "90", "cmi.core.session_time": "00:20:00",
            "cmi.core.lesson_location": "end"}


def finish(content_http, world, course, sent=FINISHED):
    launched = launch(world, course)
    assert commit(content_http, launched, launched["commit_seq"] + 1, sent, finish=True).status_code == 200
    return launched


@pytest.mark.parametrize("status", ["passed", "completed", "failed"])
def test_new_attempt_archives_the_finished_one_and_starts_afresh(world, content_http, status):
    course = world.course(scos=1, max_attempts=0)
    old = finish(content_http, world, course, {**FINISHED, "cmi.core.lesson_status": status})
    fresh = launch(world, course)
    assert fresh["attempt_number"] == 2
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


def test_an_unfinished_attempt_is_resumed_whatever_the_policy(world, content_http):
    course = world.course(scos=1, max_attempts=0)
    finish(content_http, world, course, {"cmi.core.lesson_status": "incomplete", "cmi.core.exit": "suspend"})
    again = launch(world, course)
    assert again["attempt_number"] == 1 and again["cmi"]["cmi.core.entry"] == "resume"


def test_review_shows_the_finished_attempt_and_saves_nothing(world, content_http):
    course = world.course(scos=1, max_attempts=1)
    finish(content_http, world, course)
    before = load_attempt(world, course)
    review = launch(world, course)
    assert review["lesson_mode"] == "review" and review["attempt_number"] == 1
    assert review["launch_token"] is None and review["commit_url"] is None
    cmi = review["cmi"]
    assert (cmi["cmi.core.lesson_mode"], cmi["cmi.core.credit"], cmi["cmi.core.lesson_status"]) == (
        "review", "no-credit", "passed")
    after = load_attempt(world, course)
    assert (after.cmi, after.version, after.commit_seq) == (before.cmi, before.version, before.commit_seq)
    assert load_history(world, after.id)[0].attempt_number == 1


def test_a_completing_finish_is_filed_in_history_at_once(world, content_http):
    course = world.course(scos=1)
    finish(content_http, world, course)
    attempt = load_attempt(world, course)
    (filed,) = load_history(world, attempt.id)
    assert filed.cmi == attempt.cmi and filed.attempt_number == 1
