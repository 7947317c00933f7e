"""ScormApi/DeleteCourseware: permission-checked, refused while assigned,
files gone after the commit, what was deleted kept in the audit trail."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from scormapi.auth.permissions import Permission
from scormapi.packages.importer import synthetic_scorm12_package
from scormapi.store import directory, learning
from scormapi.store.courseware import package_dir
from scormapi.store.models import AuditEvent, Courseware, CoursewareSco, Organization
from tests.api.test_import_package import upload
from tests.world import unique

OK = {"error_code": 0, "warning_messages": []}
OP = "ScormApi/DeleteCourseware"
SCOS = [{"identifier": "intro", "title": "Intro"}, {"identifier": "quiz", "title": "Quiz"}]


def imported(world, org=None) -> Courseware:
    """Courseware imported through ImportPackage (so its import is audited)."""
    r = upload(world.http, world.admin_token, synthetic_scorm12_package("Golf Basics", SCOS), (org or world.top).id)
    assert r.status_code == 200, r.text
    with world.db.read() as s:
        return s.get(Courseware, uuid.UUID(r.json()["courseware_id"]))


def still_there(world, courseware: Courseware) -> bool:
    with world.db.read() as s:
        row = s.get(Courseware, courseware.id) is not None
        scos = s.scalar(select(func.count()).select_from(CoursewareSco).where(CoursewareSco.courseware_id == courseware.id))
    files = package_dir(world.settings, courseware.id).is_dir()
    assert row == files == (scos == 2), (row, files, scos)
    return row


def events(world, courseware: Courseware) -> dict[str, AuditEvent]:
    with world.db.read() as s:
        found = s.scalars(select(AuditEvent).where(AuditEvent.subject_id == str(courseware.id))).all()
    return {event.action: event for event in found}


def refused(code: int, message: str) -> dict:
    return {"api_error_entity": {"error_code": code, "error_message": message, "warning_messages": []}}


def test_delete_courseware(world):
    courseware = imported(world)
    r = world.post(OP, {"courseware_id": str(courseware.id), "reason": "replaced by version 2"})
    assert r.status_code == 200, r.text
    assert r.json() == {"api_error_entity": OK}
    assert not still_there(world, courseware)
    recorded = events(world, courseware)
    assert set(recorded) == {"courseware.import", "courseware.delete"}
    deleted = recorded["courseware.delete"]
    assert (deleted.actor_user_id, deleted.subject_type, deleted.reason) == (world.admin.id, "courseware", "replaced by version 2")
    assert deleted.details == {
        "org_id": str(world.top.id), "title": "Golf Basics", "identifier": "synthetic.golf-basics",
        "scorm_version": "1.2", "sco_ids": ["intro", "quiz"],
    }


def test_unknown_courseware_is_409(world):
    missing = uuid.uuid4()
    r = world.post(OP, {"courseware_id": str(missing)})
    assert r.status_code == 409
    assert r.json() == refused(5, f"Courseware {missing} was not found")


def test_assigned_courseware_is_refused_naming_the_assignments(world):
    course = world.course()
    with world.db.write() as s:
        section = learning.create_section(s, s.get(Organization, world.top.id), unique("section"))
        other = learning.create_assignment(s, section, s.get(Courseware, course.courseware.id), "Golf again", max_attempts=1)
    r = world.post(OP, {"courseware_id": str(course.courseware.id)})
    assert r.status_code == 409
    assert r.json() == refused(
        12,
        f"Courseware {course.courseware.id} is still assigned, so it cannot be deleted: 2 assignments use it: "
        f"{course.assignment.title!r} ({course.assignment.id}), 'Golf again' ({other.id}). Delete those assignments first.",
    )
    assert still_there(world, course.courseware)
    assert "courseware.delete" not in events(world, course.courseware)


def test_many_assignments_are_counted_not_all_listed(world):
    course = world.course()
    with world.db.write() as s:
        section = learning.create_section(s, s.get(Organization, world.top.id), unique("section"))
        for n in range(11):
            learning.create_assignment(s, section, s.get(Courseware, course.courseware.id), f"Copy {n}", max_attempts=1)
    message = world.post(OP, {"courseware_id": str(course.courseware.id)}).json()["api_error_entity"]["error_message"]
    assert "12 assignments use it" in message and message.endswith(" and 2 more. Delete those assignments first.")
    assert message.count("(") == 10


def test_courseware_can_go_once_its_assignment_is_deleted(world):
    course = world.course()
    assert world.post("LearningApi/DeleteAssignment", {"assignment_id": str(course.assignment.id)}).status_code == 200
    r = world.post(OP, {"courseware_id": str(course.courseware.id)})
    assert r.status_code == 200, r.text
    assert not still_there(world, course.courseware)


def test_no_token_is_403(world, http):
    courseware = imported(world)
    r = http.post(f"/api/v1/{OP}", json={"courseware_id": str(courseware.id)})
    assert r.status_code == 403
    assert r.json() == refused(3, "Unable to authenticate")
    assert still_there(world, courseware)


def _not_authorized(world, courseware, user) -> None:
    r = world.post(OP, {"courseware_id": str(courseware.id)}, token=world.token(user))
    assert r.status_code == 403
    assert r.json() == refused(4, "Not authorized to manage courseware")
    assert still_there(world, courseware)


def test_another_organization_tree_is_403(world):
    courseware = imported(world)
    with world.db.write() as s:
        elsewhere = directory.create_org(s, unique("org"), directory.root(s))
    _not_authorized(world, courseware, world.user(elsewhere, permissions={elsewhere: [Permission.MANAGE_COURSEWARE]}))


def test_a_sibling_organization_is_403(world):
    mine, sibling = world.org(), world.org()
    courseware = imported(world, mine)
    _not_authorized(world, courseware, world.user(sibling, permissions={sibling: [Permission.MANAGE_COURSEWARE]}))


def test_a_child_organization_is_403(world):
    """A grant applies downwards only: one in a child cannot delete the parent's courseware."""
    child = world.org()
    courseware = imported(world)
    _not_authorized(world, courseware, world.user(child, permissions={child: [Permission.MANAGE_COURSEWARE]}))


def test_other_permissions_do_not_do(world):
    courseware = imported(world)
    others = [p for p in Permission if p != Permission.MANAGE_COURSEWARE]
    _not_authorized(world, courseware, world.user(permissions={world.top: others}))


def test_a_grant_in_an_ancestor_organization_does(world):
    child = world.org()
    courseware = imported(world, child)
    user = world.user(permissions={world.top: [Permission.MANAGE_COURSEWARE]})
    r = world.post(OP, {"courseware_id": str(courseware.id)}, token=world.token(user))
    assert r.status_code == 200, r.text
    assert not still_there(world, courseware)
    assert events(world, courseware)["courseware.delete"].actor_user_id == user.id


@pytest.mark.parametrize(
    "body, field",
    [({}, "courseware_id"), ({"courseware_id": "nope"}, "courseware_id"),
     ({"courseware_id": str(uuid.uuid4()), "reason": "r" * 1001}, "reason")],
)
def test_a_malformed_body_is_422(world, body, field):
    r = world.post(OP, body)
    assert r.status_code == 422
    entity = r.json()["api_error_entity"]
    assert entity["error_code"] == 2 and f"{field}:" in entity["error_message"]
