"""The finished lesson's choice page and the new-attempt form, over HTTP."""
from __future__ import annotations

import re

import pytest

from tests.api.scorm_helpers import load_attempt, load_history
from tests.player.helpers import commit, launch, sign_in

PASSED = {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "92"}


def finished(world, content_http, course, values=PASSED, new_attempt=False):
    launched = launch(world, course, new_attempt=new_attempt)
    assert commit(content_http, launched, launched["commit_seq"] + 1, values, finish=True).status_code == 200


def play(learner, course, **params):
    return learner.get(f"/learn/play/{course.assignment_status.id}", params={"sco": "item_1", **params})


def new_attempt_form(page_html: str) -> dict:
    action = re.search(r'<form method="post" action="([^"]+/learn/new-attempt/[^"]+)"', page_html).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page_html))
    return {"action": action, "data": {"csrf_token": fields["csrf_token"], "sco": fields["sco"]}}


@pytest.fixture()
def done(world, content_http, base_url):
    course = world.course(scos=1, max_attempts=2)
    finished(world, content_http, course)
    learner = sign_in(base_url, course.learner.login)
    yield course, learner
    learner.close()


def test_a_finished_lesson_asks_before_opening_and_writes_nothing(world, done):
    course, learner = done
    before = load_attempt(world, course)
    r = play(learner, course)
    assert r.status_code == 200 and 'id="lesson-frame"' not in r.text
    assert "Attempt 1 of 2:" in r.text and "1 attempt remains." in r.text
    assert f'href="/learn/play/{course.assignment_status.id}?sco=item_1&amp;mode=review"' in r.text
    assert load_attempt(world, course).version == before.version


def test_the_form_starts_one_attempt_however_often_it_is_sent(world, done):
    course, learner = done
    form = new_attempt_form(play(learner, course).text)
    first = learner.post(form["action"], data=form["data"])
    assert first.status_code == 303
    assert first.headers["location"] == f"/learn/play/{course.assignment_status.id}?sco=item_1"
    attempt = load_attempt(world, course)
    assert (attempt.attempt_number, attempt.lesson_status, attempt.started_at) == (2, "not attempted", None)
    again = learner.post(form["action"], data=form["data"])
    assert again.status_code == 303 and load_attempt(world, course).attempt_number == 2
    assert [h.attempt_number for h in load_history(world, attempt.id)] == [1]
    # The lesson then opens as a first launch of attempt 2.
    shell = learner.get(first.headers["location"])
    assert 'id="lesson-frame"' in shell.text
    assert load_attempt(world, course).cmi["cmi.core.entry"] == "ab-initio"


def test_a_form_without_the_session_token_starts_nothing(world, done):
    course, learner = done
    form = new_attempt_form(play(learner, course).text)
    r = learner.post(form["action"], data={**form["data"], "csrf_token": "forged"})
    assert r.status_code == 400 and "The form expired" in r.text
    assert load_attempt(world, course).attempt_number == 1


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                                     {"Origin": "https://elsewhere.example"}], ids=["cross-site", "same-site", "origin"])
def test_a_form_another_site_posts_starts_nothing(world, done, headers):
    course, learner = done
    form = new_attempt_form(play(learner, course).text)
    r = learner.post(form["action"], data=form["data"], headers=headers)
    assert r.status_code == 400 and "not sent from this site" in r.text
    assert load_attempt(world, course).attempt_number == 1


def test_a_stranger_is_sent_to_sign_in(world, done, http):
    course, _ = done
    r = http.post(f"/learn/new-attempt/{course.assignment_status.id}", data={"sco": "item_1", "csrf_token": "x"})
    assert r.status_code == 303 and "/login" in r.headers["location"]
    assert load_attempt(world, course).attempt_number == 1


def test_attempts_used_up_offer_only_review(world, content_http, done):
    course, learner = done
    form = new_attempt_form(play(learner, course).text)
    assert learner.post(form["action"], data=form["data"]).status_code == 303
    finished(world, content_http, course, {"cmi.core.lesson_status": "failed", "cmi.core.score.raw": "10"})
    page = play(learner, course)
    assert "You have used all 2 attempts this lesson allows." in page.text and "new-attempt" not in page.text
    # A form kept from before is refused, and says the lesson can be reviewed.
    r = learner.post(form["action"], data=form["data"])
    assert r.status_code == 409 and "No attempts left" in r.text and "mode=review" in r.text
    assert load_attempt(world, course).attempt_number == 2


def test_someone_elses_assignment_status_is_not_found(world, done, content_http, base_url):
    course, _ = done
    other = world.user()
    stranger = sign_in(base_url, other.login)
    form = {"sco": "item_1", "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', stranger.get("/learn").text).group(1)}
    r = stranger.post(f"/learn/new-attempt/{course.assignment_status.id}", data=form)
    stranger.close()
    assert r.status_code == 404 and load_attempt(world, course).attempt_number == 1


def test_an_unknown_mode_opens_as_a_normal_launch(world, content_http, base_url):
    course = world.course(scos=1)
    learner = sign_in(base_url, course.learner.login)
    r = play(learner, course, mode="replay")
    learner.close()
    assert r.status_code == 200 and 'id="lesson-frame"' in r.text
    assert load_attempt(world, course).cmi["cmi.core.lesson_mode"] == "normal"


def test_a_review_link_for_a_lesson_never_opened_says_so(world, base_url):
    course = world.course(scos=1)
    learner = sign_in(base_url, course.learner.login)
    r = play(learner, course, mode="review")
    learner.close()
    assert r.status_code == 404 and "Nothing to review" in r.text
    assert load_attempt(world, course) is None
