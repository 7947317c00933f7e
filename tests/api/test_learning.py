"""LearningApi: sections, enrollments, assignments, assignment statuses."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from scormapi.auth.permissions import Permission
from scormapi.store.models import (
    Assignment,
    AssignmentStatus,
    AuditEvent,
    Enrollment,
    Section,
)
from tests.world import unique

OK = {"error_code": 0, "warning_messages": []}


def entity(r):
    return r.json()["api_error_entity"]


def refused(message: str) -> dict:
    return {"api_error_entity": {"error_code": 4, "error_message": message, "warning_messages": []}}


def audited(db, subject_id, action: str, actor) -> bool:
    with db.read() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.subject_id == str(subject_id)))
    return event is not None and event.action == action and event.actor_user_id == actor.id


def section_id(world, org=None, name=None) -> str:
    r = world.post("LearningApi/CreateSection", {"org_id": str((org or world.top).id), "name": name or unique("section")})
    assert r.status_code == 200, r.text
    return r.json()["section_id"]


def holder(world, *permissions, org=None):
    """A token for a user holding only ``permissions`` in ``org`` (default: the world's top)."""
    org = org or world.top
    return world.token(world.user(org=org, permissions={org: permissions}))


# -- CreateSection -----------------------------------------------------------------


def test_create_section(world, db):
    child = world.org()
    r = world.post("LearningApi/CreateSection", {"org_id": str(child.id), "name": "Golf 101 - Fall"})
    assert r.status_code == 200
    sid = r.json()["section_id"]
    assert r.json() == {"section_id": sid, "org_id": str(child.id), "name": "Golf 101 - Fall", "api_error_entity": OK}
    with db.read() as s:
        section = s.get(Section, uuid.UUID(sid))
    assert (section.org_id, section.name) == (child.id, "Golf 101 - Fall")
    assert audited(db, sid, "section.create", world.admin)


def test_create_section_needs_manage_sections(world, db):
    token = holder(world, Permission.VIEW_SECTION_ENROLLMENTS, Permission.UPDATE_SECTION_ENROLLMENTS)
    r = world.post("LearningApi/CreateSection", {"org_id": str(world.top.id), "name": "Nope"}, token=token)
    assert r.status_code == 403
    assert r.json() == refused("Not authorized to manage sections")
    with db.read() as s:
        assert s.scalar(select(Section).where(Section.org_id == world.top.id, Section.name == "Nope")) is None


def test_manage_sections_in_a_child_does_not_reach_the_parent(world):
    child = world.org()
    token = holder(world, Permission.MANAGE_SECTIONS, org=child)
    assert world.post("LearningApi/CreateSection", {"org_id": str(world.top.id), "name": "x"}, token=token).status_code == 403
    assert world.post("LearningApi/CreateSection", {"org_id": str(child.id), "name": "x"}, token=token).status_code == 200


def test_create_section_unknown_org_is_409(world):
    missing = uuid.uuid4()
    r = world.post("LearningApi/CreateSection", {"org_id": str(missing), "name": "x"})
    assert r.status_code == 409
    assert r.json() == {"api_error_entity": {"error_code": 5, "error_message": f"Organization {missing} was not found", "warning_messages": []}}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "x"}, "org_id"),
        ({"org_id": "not-a-uuid", "name": "x"}, "org_id"),
        ({"org_id": None, "name": "x"}, "org_id"),
        ({"org_id": "ORG"}, "name"),
        ({"org_id": "ORG", "name": ""}, "name"),
        ({"org_id": "ORG", "name": 7}, "name"),
        ({"org_id": "ORG", "name": "x" * 256}, "name"),
    ],
)
def test_create_section_bad_input_is_422(world, body, field):
    body = {k: (str(world.top.id) if v == "ORG" else v) for k, v in body.items()}
    r = world.post("LearningApi/CreateSection", body)
    assert r.status_code == 422
    assert entity(r)["error_code"] == 2 and field in entity(r)["error_message"]


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b"null", b'"text"'])
def test_unparseable_body_is_422(world, http, content):
    r = http.post("/api/v1/LearningApi/CreateSection", content=content, params={"access_token": world.admin_token},
                  headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and entity(r)["error_code"] == 2


@pytest.mark.parametrize(
    "op", ["CreateSection", "GetSections", "CreateEnrollment", "GetEnrollments", "CreateAssignment", "GetAssignmentStatus"]
)
@pytest.mark.parametrize("token", ["", "not-a-token", None])
def test_every_operation_needs_a_valid_token(world, http, op, token):
    params = {} if token is None else {"access_token": token or str(uuid.uuid4())}
    r = http.post(f"/api/v1/LearningApi/{op}", json={}, params=params)
    # Authentication is checked after the body: an empty body is a 422 first.
    assert r.status_code in (403, 422)
    ids = {"org_id": str(world.top.id), "name": "x", "section_id": str(uuid.uuid4()), "user_id": str(uuid.uuid4()),
           "courseware_id": str(uuid.uuid4()), "enrollment_id": str(uuid.uuid4()), "assignment_id": str(uuid.uuid4())}
    r = http.post(f"/api/v1/LearningApi/{op}", json=ids, params=params)
    assert r.status_code == 403
    assert r.json() == {"api_error_entity": {"error_code": 3, "error_message": "Unable to authenticate", "warning_messages": []}}


# -- GetSections -------------------------------------------------------------------


def test_get_sections_paged_by_name(world):
    org = world.org()
    names = [f"section {i:02d}" for i in range(5)]
    ids = {name: section_id(world, org, name) for name in reversed(names)}
    section_id(world, world.org(parent=org), "in a child org: not listed")
    r = world.post("LearningApi/GetSections", {"org_id": str(org.id)}, params={"page": 2, "per_page": 2})
    assert r.status_code == 200
    assert r.json() == [
        {"section_id": ids[n], "org_id": str(org.id), "name": n, "api_error_entity": OK} for n in names[2:4]
    ]
    assert (r.headers["X-Total-Count"], r.headers["X-Per-Page"], r.headers["X-Page"]) == ("5", "2", "2")
    past = world.post("LearningApi/GetSections", {"org_id": str(org.id)}, params={"page": 4, "per_page": 2})
    assert past.status_code == 200 and past.json() == [] and past.headers["X-Total-Count"] == "5"


def test_get_sections_clamps_paging(world):
    section_id(world)
    r = world.post("LearningApi/GetSections", {"org_id": str(world.top.id)}, params={"page": 0, "per_page": 5000})
    assert (r.headers["X-Page"], r.headers["X-Per-Page"]) == ("1", "1000")


def test_get_sections_allowed_to_enrollment_viewers(world):
    section_id(world)
    token = holder(world, Permission.VIEW_SECTION_ENROLLMENTS)
    assert len(world.post("LearningApi/GetSections", {"org_id": str(world.top.id)}, token=token).json()) == 1


def test_get_sections_refused_without_a_section_permission(world):
    token = holder(world, Permission.MANAGE_USERS, Permission.MANAGE_COURSEWARE)
    r = world.post("LearningApi/GetSections", {"org_id": str(world.top.id)}, token=token)
    assert r.status_code == 403 and r.json() == refused("Not authorized to view sections")


def test_get_sections_unknown_org_is_409(world):
    assert world.post("LearningApi/GetSections", {"org_id": str(uuid.uuid4())}).status_code == 409


# -- CreateEnrollment / GetEnrollments ---------------------------------------------


def test_create_enrollment_makes_statuses_for_existing_assignments(world, db):
    course = world.course(scos=1)
    learner = world.user(first_name="Grace", last_name="Hopper")
    r = world.post("LearningApi/CreateEnrollment", {"section_id": str(course.section.id), "user_id": str(learner.id)})
    assert r.status_code == 200
    eid = r.json()["enrollment_id"]
    assert r.json() == {"enrollment_id": eid, "section_id": str(course.section.id), "user_id": str(learner.id), "api_error_entity": OK}
    with db.read() as s:
        enrollment = s.get(Enrollment, uuid.UUID(eid))
        statuses = s.scalars(select(AssignmentStatus).where(AssignmentStatus.enrollment_id == enrollment.id)).all()
    assert (enrollment.section_id, enrollment.user_id) == (course.section.id, learner.id)
    assert [(st.assignment_id, st.status) for st in statuses] == [(course.assignment.id, "not attempted")]
    assert audited(db, eid, "enrollment.create", world.admin)


def test_enrolling_twice_is_409_already_exists(world):
    course = world.course(scos=1)
    body = {"section_id": str(course.section.id), "user_id": str(course.learner.id)}
    r = world.post("LearningApi/CreateEnrollment", body)
    assert r.status_code == 409
    assert entity(r) == {"error_code": 8, "warning_messages": [],
                         "error_message": f"User {course.learner.id} is already enrolled in section {course.section.id}"}


def test_create_enrollment_needs_update_section_enrollments(world, db):
    sid = section_id(world)
    learner = world.user()
    token = holder(world, Permission.MANAGE_SECTIONS, Permission.VIEW_SECTION_ENROLLMENTS)
    r = world.post("LearningApi/CreateEnrollment", {"section_id": sid, "user_id": str(learner.id)}, token=token)
    assert r.status_code == 403 and r.json() == refused("Not authorized to update section enrollments")
    with db.read() as s:
        assert s.scalar(select(Enrollment).where(Enrollment.user_id == learner.id)) is None
    # Enrolling someone else also needs to see them (GetUser's rule; see test_tenants.py).
    ok_token = holder(world, Permission.UPDATE_SECTION_ENROLLMENTS, Permission.MANAGE_USERS)
    assert world.post("LearningApi/CreateEnrollment", {"section_id": sid, "user_id": str(learner.id)}, token=ok_token).status_code == 200


@pytest.mark.parametrize("missing", ["section", "user"])
def test_create_enrollment_unknown_ids_are_409(world, missing):
    sid = section_id(world) if missing == "user" else str(uuid.uuid4())
    uid = str(world.user().id) if missing == "section" else str(uuid.uuid4())
    r = world.post("LearningApi/CreateEnrollment", {"section_id": sid, "user_id": uid})
    assert r.status_code == 409
    assert entity(r)["error_message"] == f"{missing.capitalize()} {sid if missing == 'section' else uid} was not found"


@pytest.mark.parametrize("body", [{}, {"section_id": "x", "user_id": "y"}, {"section_id": 5, "user_id": 6}])
def test_create_enrollment_bad_input_is_422(world, body):
    r = world.post("LearningApi/CreateEnrollment", body)
    assert r.status_code == 422
    assert "section_id" in entity(r)["error_message"] and "user_id" in entity(r)["error_message"]


def test_get_enrollments_paged_by_login(world):
    sid = section_id(world)
    logins = [f"{unique('zz')}-{i}" for i in range(3)]
    users = {login: world.user(login=login, first_name="F", last_name=login[-1]) for login in logins}
    eids = {}
    for login in reversed(logins):
        eids[login] = world.post("LearningApi/CreateEnrollment", {"section_id": sid, "user_id": str(users[login].id)}).json()["enrollment_id"]
    r = world.post("LearningApi/GetEnrollments", {"section_id": sid}, params={"per_page": 2})
    assert r.status_code == 200
    assert r.json() == [
        {"enrollment_id": eids[login], "section_id": sid, "user_id": str(users[login].id), "login": login,
         "first_name": "F", "last_name": login[-1], "api_error_entity": OK}
        for login in logins[:2]
    ]
    assert (r.headers["X-Total-Count"], r.headers["X-Per-Page"], r.headers["X-Page"]) == ("3", "2", "1")
    assert world.post("LearningApi/GetEnrollments", {"section_id": sid}, params={"per_page": 2, "page": 3}).json() == []


def test_get_enrollments_needs_view_section_enrollments(world):
    sid = section_id(world)
    token = holder(world, Permission.MANAGE_SECTIONS)
    r = world.post("LearningApi/GetEnrollments", {"section_id": sid}, token=token)
    assert r.status_code == 403 and r.json() == refused("Not authorized to view section enrollments")


def test_get_enrollments_unknown_section_is_409(world):
    assert world.post("LearningApi/GetEnrollments", {"section_id": str(uuid.uuid4())}).status_code == 409


# -- CreateAssignment --------------------------------------------------------------


def test_create_assignment_makes_statuses_for_existing_enrollments(world, db):
    course = world.course(scos=1)
    body = {"section_id": str(course.section.id), "courseware_id": str(course.courseware.id), "title": "Review it", "max_attempts": 3, "grading_method": "last"}
    r = world.post("LearningApi/CreateAssignment", body)
    assert r.status_code == 200
    aid = r.json()["assignment_id"]
    assert r.json() == {"assignment_id": aid, "section_id": str(course.section.id), "courseware_id": str(course.courseware.id),
                        "title": "Review it", "max_attempts": 3, "grading_method": "last", "api_error_entity": OK}
    with db.read() as s:
        assignment = s.get(Assignment, uuid.UUID(aid))
        statuses = s.scalars(select(AssignmentStatus).where(AssignmentStatus.assignment_id == assignment.id)).all()
    assert (assignment.title, assignment.max_attempts, assignment.grading_method) == ("Review it", 3, "last")
    assert [st.enrollment_id for st in statuses] == [course.enrollment.id]
    assert audited(db, aid, "assignment.create", world.admin)


def test_create_assignment_defaults(world):
    course = world.course(scos=1)
    r = world.post("LearningApi/CreateAssignment", {"section_id": str(course.section.id), "courseware_id": str(course.courseware.id)})
    assert r.status_code == 200
    assert (r.json()["title"], r.json()["max_attempts"], r.json()["grading_method"]) == (course.courseware.title, 0, "highest")


def test_courseware_of_an_ancestor_may_be_assigned_but_not_of_a_sibling(world):
    course = world.course(scos=1)
    child, sibling = world.org(), world.org()
    sibling_course = world.course(scos=1, org=sibling)
    sid = section_id(world, child)
    ok_r = world.post("LearningApi/CreateAssignment", {"section_id": sid, "courseware_id": str(course.courseware.id)})
    assert ok_r.status_code == 200
    bad = world.post("LearningApi/CreateAssignment", {"section_id": sid, "courseware_id": str(sibling_course.courseware.id)})
    assert bad.status_code == 409
    assert entity(bad) == {"error_code": 5, "warning_messages": [],
                           "error_message": f"Courseware {sibling_course.courseware.id} was not found"}


def test_create_assignment_needs_manage_sections(world):
    course = world.course(scos=1)
    token = holder(world, Permission.MANAGE_COURSEWARE, Permission.UPDATE_SECTION_ENROLLMENTS)
    r = world.post("LearningApi/CreateAssignment", {"section_id": str(course.section.id), "courseware_id": str(course.courseware.id)}, token=token)
    assert r.status_code == 403 and r.json() == refused("Not authorized to manage sections")


@pytest.mark.parametrize(
    "patch, field",
    [
        ({"attempt_policy": "forever"}, "attempt_policy"),
        ({"attempt_policy": 1}, "attempt_policy"),
        ({"max_attempts": -1}, "max_attempts"),
        ({"max_attempts": 1001}, "max_attempts"),
        ({"max_attempts": "2"}, "max_attempts"),
        ({"max_attempts": 2.0}, "max_attempts"),
        ({"grading_method": "best"}, "grading_method"),
        ({"grading_method": None}, "grading_method"),
        ({"title": ""}, "title"),
        ({"title": 3}, "title"),
        ({"courseware_id": "nope"}, "courseware_id"),
    ],
)
def test_create_assignment_bad_input_is_422(world, patch, field):
    body = {"section_id": str(uuid.uuid4()), "courseware_id": str(uuid.uuid4()), **patch}
    r = world.post("LearningApi/CreateAssignment", body)
    assert r.status_code == 422 and field in entity(r)["error_message"]


def test_create_assignment_unknown_section_is_409(world):
    course = world.course(scos=1)
    r = world.post("LearningApi/CreateAssignment", {"section_id": str(uuid.uuid4()), "courseware_id": str(course.courseware.id)})
    assert r.status_code == 409 and entity(r)["error_message"].startswith("Section ")


# -- GetAssignmentStatus -----------------------------------------------------------


def test_get_assignment_status_of_a_fresh_enrollment(world):
    course = world.course(scos=2)
    r = world.post("LearningApi/GetAssignmentStatus", {"enrollment_id": str(course.enrollment.id), "assignment_id": str(course.assignment.id)})
    assert r.status_code == 200
    assert r.json() == {
        "assignment_status_id": str(course.assignment_status.id),
        "enrollment_id": str(course.enrollment.id),
        "assignment_id": str(course.assignment.id),
        "status": "not attempted",
        "score": None,
        "total_time": "0000:00:00.00",
        "started_date_utc": None,
        "completed_date_utc": None,
        "api_error_entity": OK,
    }


def test_get_assignment_status_reports_progress(world, db):
    course = world.course(scos=1)
    started = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    with db.write() as s:
        status = s.get(AssignmentStatus, course.assignment_status.id)
        status.status, status.score, status.total_seconds = "passed", 92.5, 3723.25
        status.started_at, status.completed_at = started, started.replace(hour=10)
    r = world.post("LearningApi/GetAssignmentStatus", {"enrollment_id": str(course.enrollment.id), "assignment_id": str(course.assignment.id)})
    body = r.json()
    assert (body["status"], body["score"], body["total_time"]) == ("passed", 92.5, "0001:02:03.25")
    assert (body["started_date_utc"], body["completed_date_utc"]) == ("2024-03-01T09:30:00Z", "2024-03-01T10:30:00Z")


def test_get_assignment_status_needs_view_section_enrollments(world):
    course = world.course(scos=1)
    token = holder(world, Permission.UPDATE_SECTION_ENROLLMENTS, Permission.MANAGE_SECTIONS)
    body = {"enrollment_id": str(course.enrollment.id), "assignment_id": str(course.assignment.id)}
    r = world.post("LearningApi/GetAssignmentStatus", body, token=token)
    assert r.status_code == 403 and r.json() == refused("Not authorized to view section enrollments")
    assert world.post("LearningApi/GetAssignmentStatus", body, token=holder(world, Permission.VIEW_SECTION_ENROLLMENTS)).status_code == 200


def test_get_assignment_status_unknown_ids_are_409(world):
    course = world.course(scos=1)
    missing = uuid.uuid4()
    r = world.post("LearningApi/GetAssignmentStatus", {"enrollment_id": str(missing), "assignment_id": str(course.assignment.id)})
    assert r.status_code == 409 and entity(r)["error_message"] == f"Enrollment {missing} was not found"
    r = world.post("LearningApi/GetAssignmentStatus", {"enrollment_id": str(course.enrollment.id), "assignment_id": str(missing)})
    assert r.status_code == 409 and entity(r)["error_message"] == f"Assignment {missing} was not found"


def test_get_assignment_status_bad_uuid_is_422(world):
    r = world.post("LearningApi/GetAssignmentStatus", {"enrollment_id": "123", "assignment_id": str(uuid.uuid4())})
    assert r.status_code == 422 and "enrollment_id" in entity(r)["error_message"]


@pytest.mark.parametrize("policy, attempts", [("review", 1), ("new_attempt", 0)])
def test_create_assignment_still_understands_attempt_policy(world, db, policy, attempts):
    course = world.course(scos=1)
    body = {"section_id": str(course.section.id), "courseware_id": str(course.courseware.id), "attempt_policy": policy}
    r = world.post("LearningApi/CreateAssignment", body)
    assert r.status_code == 200
    assert r.json()["max_attempts"] == attempts and "attempt_policy" not in r.json()
    assert entity(r)["warning_messages"] == [f"attempt_policy is deprecated: {policy!r} is max_attempts {attempts}"]
    with db.read() as s:
        assert s.get(Assignment, uuid.UUID(r.json()["assignment_id"])).max_attempts == attempts


def test_create_assignment_refuses_attempt_policy_with_max_attempts(world, db):
    course = world.course(scos=1)
    body = {"section_id": str(course.section.id), "courseware_id": str(course.courseware.id),
            "attempt_policy": "review", "max_attempts": 1}
    r = world.post("LearningApi/CreateAssignment", body)
    assert r.status_code == 422 and r.json() == {"api_error_entity": {
        "error_code": 2, "warning_messages": [],
        "error_message": "Invalid request: attempt_policy: give max_attempts or the older attempt_policy, not both"}}
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Assignment).where(Assignment.section_id == course.section.id)) == 1
