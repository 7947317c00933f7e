"""Sections, enrollments, assignments and assignment statuses: the data side of LearningApi.

Every (enrollment, assignment) pair of a section has exactly one
AssignmentStatus, made as soon as both exist: GetCmiData and the player can
then rely on it being there instead of creating it on a read.
"""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from scormapi.store.models import (
    Assignment,
    AssignmentStatus,
    Courseware,
    Enrollment,
    Organization,
    Section,
    User,
)

ATTEMPT_POLICIES = ("new_attempt", "review")


class AlreadyEnrolled(Exception):
    pass


def create_section(session: Session, org: Organization, name: str) -> Section:
    section = Section(id=uuid.uuid4(), org_id=org.id, name=name)
    session.add(section)
    # The models declare no relationships, so the unit of work cannot order
    # parent before child inserts: each parent is flushed as it is made.
    session.flush()
    return section


def find_enrollment(session: Session, section_id: uuid.UUID, user_id: uuid.UUID) -> Enrollment | None:
    return session.scalar(
        select(Enrollment).where(Enrollment.section_id == section_id, Enrollment.user_id == user_id)
    )


def create_enrollment(session: Session, section: Section, user: User) -> Enrollment:
    """Enroll ``user``; AlreadyEnrolled when they are. Statuses for every assignment come with it."""
    if find_enrollment(session, section.id, user.id) is not None:
        raise AlreadyEnrolled(f"{user.id} in {section.id}")
    enrollment = Enrollment(id=uuid.uuid4(), section_id=section.id, user_id=user.id)
    session.add(enrollment)
    session.flush()
    assignment_ids = session.scalars(select(Assignment.id).where(Assignment.section_id == section.id)).all()
    for assignment_id in assignment_ids:
        session.add(AssignmentStatus(id=uuid.uuid4(), enrollment_id=enrollment.id, assignment_id=assignment_id))
    return enrollment


def create_assignment(
    session: Session, section: Section, courseware: Courseware, title: str, attempt_policy: str = "new_attempt"
) -> Assignment:
    """Assign ``courseware`` to the section; statuses for every enrollment come with it."""
    if attempt_policy not in ATTEMPT_POLICIES:
        raise ValueError(f"attempt_policy must be one of {ATTEMPT_POLICIES}")
    assignment = Assignment(
        id=uuid.uuid4(), section_id=section.id, courseware_id=courseware.id, title=title, attempt_policy=attempt_policy
    )
    session.add(assignment)
    session.flush()
    enrollment_ids = session.scalars(select(Enrollment.id).where(Enrollment.section_id == section.id)).all()
    for enrollment_id in enrollment_ids:
        session.add(AssignmentStatus(id=uuid.uuid4(), enrollment_id=enrollment_id, assignment_id=assignment.id))
    return assignment


def get_assignment_status(
    session: Session, enrollment_id: uuid.UUID, assignment_id: uuid.UUID
) -> AssignmentStatus | None:
    return session.scalar(
        select(AssignmentStatus).where(
            AssignmentStatus.enrollment_id == enrollment_id, AssignmentStatus.assignment_id == assignment_id
        )
    )


def enrollment_org_path(session: Session, enrollment_id: uuid.UUID) -> str | None:
    """The organization path of an enrollment's section: what permission checks need."""
    return session.scalar(
        select(Organization.path)
        .join(Section, Section.org_id == Organization.id)
        .join(Enrollment, Enrollment.section_id == Section.id)
        .where(Enrollment.id == enrollment_id)
    )
