"""Launch tokens reach one attempt and nothing else; launching needs the
learner's own assignment."""
from __future__ import annotations

import httpx
import pytest

from tests.api.scorm_helpers import get_cmi, load_attempt
from tests.player.helpers import commit, launch, sign_in

UNAUTHENTICATED = {"error_code": 3, "error_message": "Unable to authenticate", "warning_messages": []}


def test_a_launch_token_cannot_call_the_admin_or_scorm_api(world, http):
    course = world.course(scos=1)
    token = launch(world, course)["launch_token"]
    r = http.get("/api/v1/AdminApi/ValidateAccessToken", params={"access_token": token})
    assert r.status_code == 403 and r.json()["api_error_entity"] == UNAUTHENTICATED
    r = get_cmi(world, course, ["cmi.core.lesson_status"], token=token)
    assert r.status_code == 403 and r.json() == {"api_error_entity": UNAUTHENTICATED}
    r = world.post("ScormApi/EditScormData", {"assignment_status_id": str(course.assignment_status.id),
                                              "sco_id": "item_1", "lesson_status": "passed"}, token=token)
    assert r.status_code == 403
    r = world.post("ScormRuntime/Launch", {"assignment_status_id": str(course.assignment_status.id), "sco_id": "item_1"},
                   token=token)
    assert r.status_code == 403


def test_a_launch_token_writes_only_its_own_attempt(world, content_http):
    mine = world.course(scos=2)
    other = world.course(scos=1)
    token_1 = launch(world, mine, "item_1")["launch_token"]
    launch(world, mine, "item_2")
    launch(world, other, "item_1")
    assert commit(content_http, token_1, 100, {"cmi.core.lesson_location": "only here"}).status_code == 200
    assert load_attempt(world, mine, "item_1").cmi["cmi.core.lesson_location"] == "only here"
    assert "cmi.core.lesson_location" not in load_attempt(world, mine, "item_2").cmi
    assert "cmi.core.lesson_location" not in load_attempt(world, other, "item_1").cmi


def test_other_tokens_cannot_commit(world, content_http, base_url, content_url):
    course = world.course(scos=1)
    launch(world, course)
    access = world.token(course.learner)
    assert commit(content_http, access, 1, {}).status_code == 403
    assert commit(content_http, world.admin_token, 1, {}).status_code == 403
    assert commit(content_http, "not-a-token", 1, {}).status_code == 403
    # A signed-in browser session is no launch token either, on either origin.
    browser = sign_in(base_url, course.learner.login)
    cookie = browser.cookies["scormapi_session"]
    assert browser.post("/api/v1/ScormRuntime/Commit", json={"seq": 1, "values": {}}).status_code == 404
    browser.close()
    with httpx.Client(base_url=content_url, cookies={"scormapi_session": cookie}) as content:
        r = content.post("/api/v1/ScormRuntime/Commit", json={"seq": 1, "values": {}})
    assert (r.status_code, r.json()) == (403, {"api_error_entity": UNAUTHENTICATED})


def test_a_learner_launches_only_their_own_assignment(world):
    course = world.course(scos=1)
    stranger = world.user(world.top)
    body = {"assignment_status_id": str(course.assignment_status.id), "sco_id": "item_1"}
    r = world.post("ScormRuntime/Launch", body, token=world.token(stranger))
    assert r.status_code == 409
    assert r.json()["api_error_entity"]["error_code"] == 5
    # Nor can an administrator launch as the learner: launching is the learner's.
    assert world.post("ScormRuntime/Launch", body).status_code == 409
    r = world.post("ScormRuntime/Launch", {**body, "sco_id": "no_such_sco"}, token=world.token(course.learner))
    assert r.status_code == 409


def test_the_launch_answer_has_what_an_adapter_needs(world, content_url):
    course = world.course(scos=1)
    launched = launch(world, course)
    assert launched["commit_url"] == f"{content_url}/api/v1/ScormRuntime/Commit"
    assert launched["content_url"] == f"{content_url}/content/{launched['launch_token']}/sco1/index.html"
    assert launched["attempt_number"] == 1 and launched["sco_id"] == "item_1"
    assert launched["api_error_entity"] == {"error_code": 0, "warning_messages": []}


@pytest.mark.parametrize("mode", ["Review", "bogus", ""])
def test_launch_modes_a_learner_cannot_choose(world, mode):
    course = world.course(scos=1)
    body = {"assignment_status_id": str(course.assignment_status.id), "sco_id": "item_1", "lesson_mode": mode}
    assert world.post("ScormRuntime/Launch", body, token=world.token(course.learner)).status_code == 422
