"""ops/learning: sections, enrollments and assignments as operations any
face calls: the permission each takes, the store call and its audit record."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from scormapi.auth.permissions import GrantCache, Permission
from scormapi.errors import ErrorCode, ServiceError
from scormapi.ops import learning
from scormapi.store.models import AuditEvent, Enrollment, Section
from tests.world import unique


def test_creating_a_section_takes_manage_sections_and_is_audited(world):
    grants = GrantCache(0)
    viewer = world.user(permissions={world.top: [Permission.VIEW_SECTION_ENROLLMENTS]})
    with world.db.write() as s, pytest.raises(ServiceError) as refused:
        learning.create_section(s, grants, viewer.id, world.top.id, "Nope")
    assert (refused.value.code, refused.value.message) == (ErrorCode.NOT_AUTHORIZED, "Not authorized to manage sections")
    with world.db.write() as s:
        made = learning.create_section(s, grants, world.admin.id, world.top.id, "Morning")
    with world.db.read() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.subject_id == str(made.id)))
    assert (event.action, event.details, event.org_id) == ("section.create", {"org_id": str(world.top.id), "name": "Morning"},
                                                           world.top.id)


def test_enrolling_a_user_the_caller_may_not_see_is_refused(world):
    grants = GrantCache(0)
    course = world.course()
    enroller = world.user(permissions={world.top: [Permission.UPDATE_SECTION_ENROLLMENTS]})
    other = world.user(login=unique("other"))
    with world.db.write() as s, pytest.raises(ServiceError) as refused:
        learning.create_enrollment(s, grants, enroller.id, course.section.id, other.id)
    assert refused.value.message == "Not authorized to view this user"
    with world.db.read() as s:
        assert s.scalar(select(Enrollment).where(Enrollment.user_id == other.id)) is None


def test_deleting_a_section_audits_each_part(world):
    grants = GrantCache(0)
    course = world.course()
    with world.db.write() as s:
        deleted = learning.delete_section(s, grants, world.admin.id, course.section.id, "retired")
    assert deleted == learning.SectionDeleted(1, 1, 1)
    with world.db.read() as s:
        assert s.get(Section, course.section.id) is None
        found = sorted(s.scalars(select(AuditEvent.action).where(AuditEvent.org_id == world.top.id,
                                                                 AuditEvent.reason == "retired")))
    assert found == ["assignment.delete", "assignment_status.delete", "enrollment.delete", "section.delete"]


def test_courseware_of_another_tree_cannot_be_assigned(world):
    grants = GrantCache(0)
    course = world.course()
    elsewhere = world.org()
    with world.db.write() as s:
        section = learning.create_section(s, grants, world.admin.id, elsewhere.id, "Child section")
    with world.db.read() as s:
        path = learning.load_section(s, section.id)[1]
        # A child organization's section may use its parent's courseware.
        assert [c.id for c in learning.usable_courseware(s, path)] == [course.courseware.id]
    sibling_course = world.course(org=elsewhere)
    with world.db.write() as s, pytest.raises(ServiceError) as refused:
        wanted = learning.AssignmentWanted(course.section.id, sibling_course.courseware.id, None)
        learning.create_assignment(s, grants, world.admin.id, wanted)
    assert refused.value.message == f"Courseware {sibling_course.courseware.id} was not found"
