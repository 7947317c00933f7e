"""Commit sequence numbers: a late, repeated or out-of-order commit never
overwrites newer data, and says so with the stored number."""
from __future__ import annotations

from tests.api.scorm_helpers import load_attempt
from tests.player.helpers import commit, launch

LOCATION = "cmi.core.lesson_location"


def stale(response, stored_seq):
    assert response.status_code == 409
    body = response.json()
    assert body["applied"] is False and body["commit_seq"] == stored_seq
    assert body["api_error_entity"]["error_code"] == 10
    assert "not applied" in body["api_error_entity"]["error_message"]


def test_a_late_commit_is_refused_and_changes_nothing(world, content_http):
    course = world.course(scos=1)
    launched = launch(world, course)
    base = launched["commit_seq"]
    assert commit(content_http, launched, base + 2, {LOCATION: "newer"}).status_code == 200
    stale(commit(content_http, launched, base + 1, {LOCATION: "older", "cmi.suspend_data": "old"}), base + 2)
    attempt = load_attempt(world, course)
    assert attempt.cmi[LOCATION] == "newer" and "cmi.suspend_data" not in attempt.cmi


def test_a_repeated_commit_is_applied_once(world, content_http):
    course = world.course(scos=1)
    launched = launch(world, course)
    seq = launched["commit_seq"] + 1
    first = commit(content_http, launched, seq, {"cmi.core.session_time": "00:10:00"}, finish=True)
    assert first.status_code == 200 and first.json() == {
        "applied": True, "commit_seq": seq, "lesson_status": "completed", "api_error_entity": {"error_code": 0, "warning_messages": []}}
    stale(commit(content_http, launched, seq, {"cmi.core.session_time": "00:10:00"}, finish=True), seq)
    # The finish (session time into total time) happened once.
    assert load_attempt(world, course).cmi["cmi.core.total_time"] == "0000:10:00.00"


def test_out_of_order_commits_keep_the_newest(world, content_http):
    course = world.course(scos=1)
    launched = launch(world, course)
    base = launched["commit_seq"]
    results = [commit(content_http, launched, base + n, {LOCATION: f"p{n}"}).status_code for n in (1, 4, 2, 3, 5, 5)]
    assert results == [200, 200, 409, 409, 200, 409]
    attempt = load_attempt(world, course)
    assert (attempt.cmi[LOCATION], attempt.commit_seq) == ("p5", base + 5)


def test_a_relaunch_continues_the_sequence(world, content_http):
    course = world.course(scos=1)
    first = launch(world, course)
    assert first["commit_seq"] == 0
    assert commit(content_http, first, 7, {LOCATION: "a", "cmi.core.lesson_status": "incomplete"}, finish=True).status_code == 200
    second = launch(world, course)
    assert second["commit_seq"] == 7
    # The old window's late commit cannot undo the new session's data.
    assert commit(content_http, second, 8, {LOCATION: "b"}).status_code == 200
    stale(commit(content_http, first, 8, {LOCATION: "stale window"}), 8)
    assert load_attempt(world, course).cmi[LOCATION] == "b"
