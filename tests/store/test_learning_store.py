"""Sections, enrollments and assignments keep one status per (enrollment, assignment)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from scormapi.store import learning
from scormapi.store.models import AssignmentStatus, Courseware, Organization, User


def _count_statuses(s, assignment_id) -> int:
    return s.scalar(select(func.count()).select_from(AssignmentStatus).where(AssignmentStatus.assignment_id == assignment_id))


def test_statuses_are_made_whichever_comes_first(world):
    course = world.course(scos=1)
    late_learner = world.user()
    with world.db.write() as s:
        section = s.merge(course.section)
        enrollment = learning.create_enrollment(s, section, s.get(User, late_learner.id))
        second = learning.create_assignment(s, section, s.get(Courseware, course.courseware.id), "Again", max_attempts=1)
        s.flush()
        assert _count_statuses(s, course.assignment.id) == 2
        assert _count_statuses(s, second.id) == 2
        fresh = learning.get_assignment_status(s, enrollment.id, second.id)
    assert (fresh.status, fresh.score, fresh.total_seconds, fresh.started_at) == ("not attempted", None, 0.0, None)
    assert course.assignment_status.status == "not attempted"


def test_enrolling_twice_raises(world):
    course = world.course(scos=1)
    with world.db.write() as s, pytest.raises(learning.AlreadyEnrolled):
        learning.create_enrollment(s, s.merge(course.section), s.get(User, course.learner.id))


@pytest.mark.parametrize("bad", [{"grading_method": "best"}, {"max_attempts": -1}, {"max_attempts": 1001}],
                         ids=["grading", "negative", "too-many"])
def test_unknown_attempt_settings_are_refused(world, bad):
    course = world.course(scos=1)
    with world.db.write() as s, pytest.raises(ValueError):
        learning.create_assignment(s, s.merge(course.section), s.get(Courseware, course.courseware.id), "x", **bad)


def test_enrollment_org_path(world):
    course = world.course(scos=1)
    with world.db.read() as s:
        assert learning.enrollment_org_path(s, course.enrollment.id) == s.get(Organization, world.top.id).path
