"""LearningApi/DeleteEnrollment, DeleteAssignment and DeleteSection: undoing a mistake,
permission-checked, audited, every learner record kept in the audit trail."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from scormapi.auth.permissions import Permission
from scormapi.cmi.profile import SCORM12
from scormapi.store import attempts
from scormapi.store.models import (
    AccessToken,
    Assignment,
    AssignmentStatus,
    AuditEvent,
    Enrollment,
    ScoAttempt,
    ScoAttemptHistory,
    Section,
)
from tests.api.scorm_helpers import OK, PLACES, edit, entity, place_org, seed_attempt, user_with
from tests.player.helpers import commit, launch


@pytest.fixture()
def course(world, mid):
    return world.course(scos=2, org=mid)


def _count(world, model, *where) -> int:
    with world.db.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def _events(world, action: str) -> list[AuditEvent]:
    with world.db.read() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.occurred_at)))


def _records_of(world, course):
    """A finished, archived first attempt and a current second one on item_1,
    and a launch token on it: everything a delete must take along."""
    attempt = seed_attempt(world, course, cmi={"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "92"})
    with world.db.write() as s:
        current = s.get(ScoAttempt, attempt.id)
        attempts.archive(s, current)
        current.attempt_number = 2
        attempts.replace_cmi(current, {**current.cmi, "cmi.core.lesson_status": "incomplete", "cmi.core.score.raw": ""},
                             SCORM12)
    launched = launch(world, course)
    return attempt, launched


def test_delete_enrollment_removes_the_records_and_keeps_them_in_the_audit_trail(world, course, http):
    attempt, launched = _records_of(world, course)
    body = {"enrollment_id": str(course.enrollment.id), "reason": "enrolled in the wrong section"}
    r = world.post("LearningApi/DeleteEnrollment", body)
    assert (r.status_code, r.json()) == (200, {"api_error_entity": OK})

    assert _count(world, Enrollment, Enrollment.id == course.enrollment.id) == 0
    assert _count(world, AssignmentStatus, AssignmentStatus.enrollment_id == course.enrollment.id) == 0
    assert _count(world, ScoAttempt, ScoAttempt.id == attempt.id) == 0
    assert _count(world, ScoAttemptHistory, ScoAttemptHistory.attempt_id == attempt.id) == 0
    assert _count(world, AccessToken, AccessToken.attempt_id == attempt.id) == 0

    [deleted] = [e for e in _events(world, "enrollment.delete") if e.subject_id == str(course.enrollment.id)]
    assert (deleted.actor_user_id, deleted.reason) == (world.admin.id, "enrolled in the wrong section")
    assert deleted.details == {"section_id": str(course.section.id), "user_id": str(course.learner.id), "assignment_statuses_deleted": 1}
    [record] = [e for e in _events(world, "assignment_status.delete") if e.subject_id == str(course.assignment_status.id)]
    assert record.reason == "enrolled in the wrong section" and record.actor_user_id == world.admin.id
    # The roll-up as it stood: item_1's archived pass counts (grading
    # "highest") while its second attempt is under way; item_2 is not started.
    started = record.details.pop("started_at")
    assert started is not None and started.startswith("20")
    assert record.details == {
        "enrollment_id": str(course.enrollment.id), "assignment_id": str(course.assignment.id),
        "status": "incomplete", "score": 92.0, "total_seconds": 0.0, "completed_at": None,
    }
    kept = [e for e in _events(world, "sco_attempt.delete") if e.subject_id == f"{course.assignment_status.id}/item_1"]
    assert {e.reason for e in kept} == {"enrolled in the wrong section"}
    attempts_kept = sorted((e.details["archived"], e.details["attempt_number"], e.details["lesson_status"],
                            e.details["cmi"]["cmi.core.score.raw"]) for e in kept)
    # The archived first attempt (passed, 92) and the current second one.
    assert attempts_kept == [(False, 2, "incomplete", ""), (True, 1, "passed", "92")]
    assert {e.details["sco_id"] for e in kept} == {"item_1"}

    # The learner's open lesson can no longer write.
    assert commit(http, launched, launched["commit_seq"] + 1, {"cmi.core.lesson_location": "p2"}).status_code == 403
    # Enrolling again starts from nothing.
    again = world.post("LearningApi/CreateEnrollment", {"section_id": str(course.section.id), "user_id": str(course.learner.id)})
    assert again.status_code == 200


def test_delete_assignment_removes_every_learners_records(world, course, mid):
    second = world.user(mid)
    again = world.post("LearningApi/CreateEnrollment", {"section_id": str(course.section.id), "user_id": str(second.id)})
    assert again.status_code == 200
    edit(world, course, lesson_status="completed", raw_score=70)
    r = world.post("LearningApi/DeleteAssignment", {"assignment_id": str(course.assignment.id)})
    assert (r.status_code, r.json()) == (200, {"api_error_entity": OK})
    assert _count(world, Assignment, Assignment.id == course.assignment.id) == 0
    assert _count(world, AssignmentStatus, AssignmentStatus.assignment_id == course.assignment.id) == 0
    # The enrollments stay: only the assignment went.
    assert _count(world, Enrollment, Enrollment.section_id == course.section.id) == 2
    [deleted] = [e for e in _events(world, "assignment.delete") if e.subject_id == str(course.assignment.id)]
    assert deleted.reason is None
    assert deleted.details == {
        "section_id": str(course.section.id), "courseware_id": str(course.courseware.id), "title": course.assignment.title,
        "max_attempts": 0, "grading_method": "highest", "assignment_statuses_deleted": 2,
    }
    records = [e.details for e in _events(world, "assignment_status.delete") if e.details["assignment_id"] == str(course.assignment.id)]
    assert len(records) == 2
    [edited] = [e.details for e in _events(world, "sco_attempt.delete") if e.subject_id == f"{course.assignment_status.id}/item_1"]
    assert (edited["archived"], edited["lesson_status"], edited["cmi"]["cmi.core.score.raw"]) == (False, "completed", "70")
    status = world.post("LearningApi/GetAssignmentStatus", {"enrollment_id": str(course.enrollment.id), "assignment_id": str(course.assignment.id)})
    assert status.status_code == 409


def test_a_large_assignment_is_deleted_in_rounds(world, course, mid, monkeypatch):
    from scormapi.store import learning

    monkeypatch.setattr(learning, "DELETE_BATCH", 2)
    monkeypatch.setattr(learning, "ATTEMPTS_AT_ONCE", 3)
    learners = [world.user(mid) for _ in range(4)]
    for learner in learners:
        world.post("LearningApi/CreateEnrollment", {"section_id": str(course.section.id), "user_id": str(learner.id)})
    for sco_id in course.sco_ids:
        assert edit(world, course, sco_id=sco_id, lesson_location=f"at {sco_id}").status_code == 200
    r = world.post("LearningApi/DeleteAssignment", {"assignment_id": str(course.assignment.id)})
    assert r.status_code == 200
    assert _count(world, AssignmentStatus, AssignmentStatus.assignment_id == course.assignment.id) == 0
    [deleted] = [e for e in _events(world, "assignment.delete") if e.subject_id == str(course.assignment.id)]
    assert deleted.details["assignment_statuses_deleted"] == 5
    kept = [e for e in _events(world, "sco_attempt.delete") if e.details["assignment_status_id"] == str(course.assignment_status.id)]
    assert sorted(e.details["cmi"]["cmi.core.lesson_location"] for e in kept) == [f"at {s}" for s in sorted(course.sco_ids)]


def test_delete_section_removes_its_assignments_enrollments_and_records(world, course, mid):
    edit(world, course, lesson_status="completed", raw_score=70)
    body = {"section_id": str(course.section.id), "reason": "a test section"}
    r = world.post("LearningApi/DeleteSection", body)
    assert (r.status_code, r.json()) == (200, {"api_error_entity": OK})
    assert _count(world, Section, Section.id == course.section.id) == 0
    assert _count(world, Assignment, Assignment.section_id == course.section.id) == 0
    assert _count(world, Enrollment, Enrollment.section_id == course.section.id) == 0
    assert _count(world, AssignmentStatus, AssignmentStatus.id == course.assignment_status.id) == 0
    [deleted] = [e for e in _events(world, "section.delete") if e.subject_id == str(course.section.id)]
    assert (deleted.reason, deleted.org_id) == ("a test section", mid.id)
    assert deleted.details == {"org_id": str(mid.id), "name": course.section.name, "assignments_deleted": 1,
                               "enrollments_deleted": 1, "assignment_statuses_deleted": 1}
    [record] = [e.details for e in _events(world, "sco_attempt.delete") if e.subject_id == f"{course.assignment_status.id}/item_1"]
    assert (record["lesson_status"], record["cmi"]["cmi.core.score.raw"]) == ("completed", "70")
    # Each part went as its own delete would take it, in the same trail.
    assert [e.reason for e in _events(world, "assignment.delete") if e.subject_id == str(course.assignment.id)] == [
        "a test section"]
    assert [e.reason for e in _events(world, "enrollment.delete") if e.subject_id == str(course.enrollment.id)] == [
        "a test section"]


def _ident(course, body_key: str) -> str:
    return str({"enrollment_id": course.enrollment.id, "assignment_id": course.assignment.id,
                "section_id": course.section.id}[body_key])


@pytest.mark.parametrize("operation,body_key,permission", [
    ("DeleteEnrollment", "enrollment_id", Permission.UPDATE_SECTION_ENROLLMENTS),
    ("DeleteAssignment", "assignment_id", Permission.MANAGE_SECTIONS),
    ("DeleteSection", "section_id", Permission.MANAGE_SECTIONS),
])
@pytest.mark.parametrize("place", list(PLACES))
def test_permission_matrix(world, course, mid, operation, body_key, permission, place):
    ident = _ident(course, body_key)
    _, token = user_with(world, place_org(world, mid, place), permission)
    r = world.post(f"LearningApi/{operation}", {body_key: ident}, token=token)
    if PLACES[place]:
        assert r.status_code == 200
    else:
        assert r.status_code == 403 and r.json()["api_error_entity"]["error_code"] == 4
        assert _count(world, AssignmentStatus, AssignmentStatus.id == course.assignment_status.id) == 1


@pytest.mark.parametrize("operation,body_key,other", [
    ("DeleteEnrollment", "enrollment_id", Permission.VIEW_SECTION_ENROLLMENTS),
    ("DeleteAssignment", "assignment_id", Permission.UPDATE_SECTION_ENROLLMENTS),
    ("DeleteSection", "section_id", Permission.UPDATE_SECTION_ENROLLMENTS),
])
def test_another_permission_is_not_enough(world, course, mid, operation, body_key, other):
    ident = _ident(course, body_key)
    _, token = user_with(world, mid, other)
    r = world.post(f"LearningApi/{operation}", {body_key: ident}, token=token)
    assert r.status_code == 403 and r.json()["api_error_entity"]["error_code"] == 4


@pytest.mark.parametrize("operation,body_key,kind", [
    ("DeleteEnrollment", "enrollment_id", "Enrollment"), ("DeleteAssignment", "assignment_id", "Assignment"),
    ("DeleteSection", "section_id", "Section"),
])
def test_unknown_ids_are_409_and_no_token_is_403(world, operation, body_key, kind, http):
    ghost = "6f1c1f0e-3b7a-4c55-9a0e-2d4b8e7f9a11"
    r = world.post(f"LearningApi/{operation}", {body_key: ghost})
    assert (r.status_code, r.json()) == (409, entity(5, f"{kind} {ghost} was not found"))
    r = http.post(f"/api/v1/LearningApi/{operation}", json={body_key: ghost})
    assert r.status_code == 403 and r.json()["api_error_entity"]["error_code"] == 3
