"""ScormApi/ResetScormAttempt: an administrator files a SCO's current
attempt in history and starts a fresh one, rolled up and audited."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from scormapi.auth.permissions import Permission
from scormapi.store.models import AccessToken, AssignmentStatus, AuditEvent, ScoAttempt
from tests.api.scorm_helpers import (
    OK,
    PLACES,
    audit_count,
    audit_events,
    entity,
    load_attempt,
    load_history,
    place_org,
    user_with,
)
from tests.api.test_attempt_history import take_attempts, took
from tests.api.test_schema_fuzz import CHECKS, OPERATIONS
from tests.player.helpers import commit, launch


@pytest.fixture()
def course(world, mid):
    return world.course(scos=2, org=mid)


def reset(world, course, sco_id="item_1", token=None, **fields):
    body = {"assignment_status_id": str(course.assignment_status.id), "sco_id": sco_id, **fields}
    return world.post("ScormApi/ResetScormAttempt", body, token=token)


def rollup_of(world, course) -> tuple:
    with world.db.read() as s:
        status = s.get(AssignmentStatus, course.assignment_status.id)
        return status.status, status.score, status.total_seconds, status.started_at, status.completed_at


def launch_tokens(world, attempt_id) -> list[AccessToken]:
    with world.db.read() as s:
        return list(s.scalars(select(AccessToken).where(AccessToken.attempt_id == attempt_id, AccessToken.kind == "launch")))


def state_of(world, course, attempt_id) -> tuple:
    """What a refused reset must leave as it was: the attempt, its history,
    its launch tokens and the audit trail."""
    attempt = load_attempt(world, course)
    return (attempt.attempt_number, attempt.version, attempt.cmi, sorted(h.attempt_number for h in load_history(world, attempt_id)),
            [t.revoked_at for t in launch_tokens(world, attempt_id)], audit_count(world), rollup_of(world, course))


def test_reset_files_the_attempt_and_starts_a_fresh_one(world, course):
    attempt_id = take_attempts(world, course, took("failed", "40", 10, 1))
    before = load_attempt(world, course)
    r = reset(world, course, reason="ticket 77: content froze")
    assert r.status_code == 200
    assert r.json() == {"assignment_status_id": str(course.assignment_status.id), "sco_id": "item_1",
                        "attempt_number": 2, "api_error_entity": OK}
    [archived] = load_history(world, attempt_id)
    assert (archived.attempt_number, archived.lesson_status, archived.score_raw, archived.total_seconds) == (
        1, "failed", 40.0, 600.0)
    assert archived.cmi == before.cmi
    assert (archived.started_at, archived.exited_at) == (datetime(2025, 1, 1, 9, 0, tzinfo=UTC),
                                                         datetime(2025, 1, 1, 9, 10, tzinfo=UTC))
    fresh = load_attempt(world, course)
    assert fresh.id == attempt_id
    assert (fresh.attempt_number, fresh.lesson_status, fresh.score_raw, fresh.total_seconds) == (2, "not attempted", None, 0.0)
    assert (fresh.started_at, fresh.exited_at) == (None, None)
    # The initial values the LMS gives a SCO never opened.
    assert {k: fresh.cmi.get(k, "") for k in ("cmi.core.lesson_status", "cmi.core.entry", "cmi.core.lesson_location",
                                      "cmi.core.score.raw", "cmi.core.total_time", "cmi.suspend_data", "cmi.core.exit",
                                      "cmi.core.student_id")} == {
        "cmi.core.lesson_status": "not attempted", "cmi.core.entry": "ab-initio", "cmi.core.lesson_location": "",
        "cmi.core.score.raw": "", "cmi.core.total_time": "0000:00:00.00", "cmi.suspend_data": "", "cmi.core.exit": "",
        "cmi.core.student_id": course.learner.login}


def test_the_audit_record(world, course, mid):
    take_attempts(world, course, took("failed", "40", 10, 1))
    assert reset(world, course, reason="ticket 77").status_code == 200
    [event] = audit_events(world, course)
    assert (event.action, event.subject_type, event.subject_id) == (
        "sco_attempt.reset", "sco_attempt", f"{course.assignment_status.id}/item_1")
    assert (event.actor_user_id, event.reason, event.org_id, event.subject_user_id) == (
        world.admin.id, "ticket 77", mid.id, course.learner.id)
    assert event.details == {"sco_id": "item_1", "attempt_number": 1, "new_attempt_number": 2,
                             "lesson_status": "failed", "score_raw": 40.0}


def test_without_a_reason_the_reason_is_null(world, course):
    take_attempts(world, course, took("incomplete", None, 10, 1))
    assert reset(world, course).status_code == 200
    assert audit_events(world, course)[0].reason is None


def test_the_roll_up_follows(world, course):
    take_attempts(world, course, took("incomplete", None, 10, 1))
    assert rollup_of(world, course)[:3] == ("incomplete", None, 600.0)
    assert reset(world, course).status_code == 200
    # Nothing has finished, so the fresh attempt is the one that counts.
    status, score, seconds, started, completed = rollup_of(world, course)
    assert (status, score, seconds, completed) == ("not attempted", None, 0.0, None)
    # The archived attempt was still taken: the assignment was started then.
    assert started == datetime(2025, 1, 1, 9, 0, tzinfo=UTC)


def test_a_finished_attempt_still_counts_after_a_reset(world, course):
    take_attempts(world, course, took("passed", "90", 10, 1), sco_id="item_1")
    take_attempts(world, course, took("passed", "70", 5, 2), sco_id="item_2")
    assert rollup_of(world, course)[:3] == ("completed", 80.0, 900.0)
    assert reset(world, course).status_code == 200
    assert rollup_of(world, course)[:3] == ("completed", 80.0, 900.0)


def test_the_old_attempts_launch_tokens_are_revoked(world, course):
    launched = launch(world, course)
    assert commit(world.http, launched, launched["commit_seq"] + 1, {"cmi.core.lesson_location": "p1"}).status_code == 200
    assert [t.revoked_at for t in launch_tokens(world, uuid.UUID(launched["attempt_id"]))] == [None]
    assert reset(world, course).status_code == 200
    [token] = launch_tokens(world, uuid.UUID(launched["attempt_id"]))
    assert token.revoked_at is not None
    # The window still open on the old attempt can no longer write.
    late = commit(world.http, launched, launched["commit_seq"] + 2, {"cmi.core.lesson_location": "late"})
    assert late.status_code == 403
    assert late.json()["api_error_entity"]["error_code"] == 3
    assert "cmi.core.lesson_location" not in load_attempt(world, course).cmi


def test_the_learner_then_opens_the_fresh_attempt_as_a_first_launch(world, course):
    take_attempts(world, course, took("incomplete", None, 10, 1))
    assert reset(world, course).status_code == 200
    launched = launch(world, course)
    assert (launched["attempt_number"], launched["cmi"]["cmi.core.entry"], launched["cmi"].get("cmi.core.lesson_location", "")) == (
        2, "ab-initio", "")
    assert load_attempt(world, course).started_at is not None


def test_a_reset_is_allowed_when_every_attempt_is_used(world, mid):
    course = world.course(scos=1, org=mid, max_attempts=1)
    take_attempts(world, course, took("failed", "20", 10, 1))
    r = reset(world, course)
    assert r.status_code == 200
    assert r.json()["attempt_number"] == 2
    assert load_attempt(world, course).attempt_number == 2


def test_each_reset_files_one_more_attempt(world, course):
    attempt_id = take_attempts(world, course, took("failed", "20", 10, 1))
    assert [reset(world, course).json()["attempt_number"] for _ in range(3)] == [2, 3, 4]
    assert sorted(h.attempt_number for h in load_history(world, attempt_id)) == [1, 2, 3]
    assert [e.details["new_attempt_number"] for e in audit_events(world, course)] == [2, 3, 4]


def test_a_finished_attempt_already_filed_is_refreshed_not_doubled(world, course):
    attempt_id = take_attempts(world, course, took("passed", "85", 10, 1))
    assert [h.attempt_number for h in load_history(world, attempt_id)] == [1]
    assert reset(world, course).status_code == 200
    [archived] = load_history(world, attempt_id)
    assert (archived.attempt_number, archived.lesson_status, archived.score_raw) == (1, "passed", 85.0)
    assert archived.started_at == datetime(2025, 1, 1, 9, 0, tzinfo=UTC)


def test_other_scos_are_left_alone(world, course):
    take_attempts(world, course, took("failed", "20", 10, 1))
    take_attempts(world, course, took("incomplete", None, 10, 1), sco_id="item_2")
    assert reset(world, course).status_code == 200
    other = load_attempt(world, course, "item_2")
    assert (other.attempt_number, other.lesson_status) == (1, "incomplete")
    assert load_history(world, other.id) == []


def test_a_sco_never_opened_has_nothing_to_reset(world, course):
    before = audit_count(world)
    r = reset(world, course, reason="by mistake")
    assert r.status_code == 409
    assert r.json() == entity(5, "Nothing to reset: SCO 'item_1' was never opened")
    assert load_attempt(world, course) is None
    assert audit_count(world) == before


def test_unknown_assignment_status_is_409(world):
    missing = uuid.uuid4()
    r = world.post("ScormApi/ResetScormAttempt", {"assignment_status_id": str(missing), "sco_id": "item_1"})
    assert r.status_code == 409
    assert r.json() == entity(5, f"Assignment status {missing} was not found")


def test_unknown_sco_is_409(world, course):
    r = reset(world, course, "item_9")
    assert r.status_code == 409
    assert r.json() == entity(5, "SCO 'item_9' of the assignment's courseware was not found")


def open_attempt(world, course) -> uuid.UUID:
    """An attempt in progress, with its live launch token."""
    launched = launch(world, course)
    assert commit(world.http, launched, launched["commit_seq"] + 1, {"cmi.core.lesson_status": "incomplete"}).status_code == 200
    return uuid.UUID(launched["attempt_id"])


@pytest.mark.parametrize("place", PLACES)
def test_update_permission_by_place(world, course, mid, place):
    attempt_id = open_attempt(world, course)
    holder, token = user_with(world, place_org(world, mid, place), Permission.UPDATE_SECTION_ENROLLMENTS)
    before = state_of(world, course, attempt_id)
    r = reset(world, course, token=token)
    if PLACES[place]:
        assert r.status_code == 200 and r.json()["attempt_number"] == 2
        [event] = audit_events(world, course)
        assert (event.action, event.actor_user_id) == ("sco_attempt.reset", holder.id)
    else:
        assert r.status_code == 403
        assert r.json() == entity(4, "Not authorized to reset SCORM attempts")
        assert state_of(world, course, attempt_id) == before


@pytest.mark.parametrize("permissions", [(), (Permission.VIEW_SECTION_ENROLLMENTS,),
                                         (Permission.VIEW_SECTION_ENROLLMENTS, Permission.VIEW_AUDIT_LOG)])
def test_view_only_callers_cannot_reset(world, course, mid, permissions):
    attempt_id = open_attempt(world, course)
    _, token = user_with(world, mid, *permissions)
    before = state_of(world, course, attempt_id)
    r = reset(world, course, token=token)
    assert r.status_code == 403
    assert r.json() == entity(4, "Not authorized to reset SCORM attempts")
    assert state_of(world, course, attempt_id) == before


@pytest.mark.parametrize("which", ["expired", "missing", "unknown"])
def test_bad_tokens_are_403(world, course, which):
    attempt_id = open_attempt(world, course)
    token = {"expired": world.token(world.admin, expired=True), "missing": "", "unknown": str(uuid.uuid4())}[which]
    before = state_of(world, course, attempt_id)
    r = reset(world, course, token=token)
    assert r.status_code == 403
    assert r.json() == entity(3, "Unable to authenticate")
    assert state_of(world, course, attempt_id) == before


@pytest.mark.parametrize(
    "change, message",
    [
        ({"reason": "x" * 1001}, "Invalid request: reason: String should have at most 1000 characters"),
        ({"reason": 7}, "Invalid request: reason: Input should be a valid string"),
        ({"attempt_number": 1}, "Invalid request: attempt_number: unknown field"),
        ({"sco_id": None}, "Invalid request: sco_id: Input should be a valid string"),
    ],
)
def test_bad_bodies_are_422_and_change_nothing(world, course, change, message):
    attempt_id = open_attempt(world, course)
    before = state_of(world, course, attempt_id)
    r = reset(world, course, **change)
    assert r.status_code == 422
    assert r.json() == entity(2, message)
    assert state_of(world, course, attempt_id) == before


def test_no_reset_event_for_a_refused_reset(world, course, mid):
    open_attempt(world, course)
    _, token = user_with(world, mid, Permission.VIEW_SECTION_ENROLLMENTS)
    r = reset(world, course, token=token)
    assert r.status_code == 403 and r.json() == entity(4, "Not authorized to reset SCORM attempts")
    with world.db.read() as s:
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "sco_attempt.reset",
                                                 AuditEvent.subject_user_id == course.learner.id)) is None


def test_the_version_moves_so_a_racing_edit_re_reads(world, course):
    attempt_id = take_attempts(world, course, took("failed", "20", 10, 1))
    with world.db.read() as s:
        before = s.get(ScoAttempt, attempt_id).version
    assert reset(world, course).status_code == 200
    with world.db.read() as s:
        assert s.get(ScoAttempt, attempt_id).version > before


def test_the_answer_is_the_documented_one(world, course, base_url):
    open_attempt(world, course)
    body = {"assignment_status_id": str(course.assignment_status.id), "sco_id": "item_1", "reason": "documented"}
    case = OPERATIONS["POST /api/v1/ScormApi/ResetScormAttempt"].Case(
        body=body, media_type="application/json", query={"access_token": world.admin_token})
    response = case.call(base_url=base_url)
    assert response.status_code == 200, response.text
    case.validate_response(response, checks=CHECKS)
