"""Sections, their enrollments and assignments: listing, creating and
deleting them, for LearningApi and the console alike.

Decisions:

- Sections are listed to holders of Manage Sections, View or Update
  Section Enrollments in the organization or an ancestor; enrollments to
  holders of View Section Enrollments; a learner is named only to those
  who may see the user (``may_see_user``).
- Enrolling and unenrolling take Update Section Enrollments; sections and
  assignments Manage Sections. Only a user the caller may see can be
  enrolled: enrolling one would otherwise reveal them in the listing.
- Courseware usable in a section is owned by its organization or an
  ancestor; any other answers as unknown, so ids from another tree reveal
  nothing.
- A delete keeps the learners' records in the audit trail
  (``store.learning.delete_statuses``). Deleting a section deletes each
  assignment and each enrollment as DeleteAssignment and DeleteEnrollment
  do, with their own audit records, under the one permission DeleteAssignment
  takes (Manage Sections), then the section, in one transaction.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scormapi.auth.permissions import GrantCache, Permission, ancestor_ids, has_permission, may_see_user
from scormapi.errors import ErrorCode, ServiceError, not_authorized, not_found
from scormapi.ops import access
from scormapi.ops.users import load_org, visible_user
from scormapi.store import audit, directory, learning
from scormapi.store.models import Assignment, Courseware, Enrollment, Organization, Section, User

# Any of these in the organization (or an ancestor) lets a caller list its sections.
SECTION_READERS = (
    Permission.MANAGE_SECTIONS,
    Permission.VIEW_SECTION_ENROLLMENTS,
    Permission.UPDATE_SECTION_ENROLLMENTS,
)


def load_section(session: Session, section_id: uuid.UUID) -> tuple[Section, str]:
    """The section and its organization's path; ITEM_NOT_FOUND when unknown."""
    found = directory.with_org_path(session, Section, section_id)
    if found is None:
        raise not_found("Section", section_id)
    return found


# -- sections --------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    """One page of a listing and how many there are in all."""

    items: list
    total: int


def sections_of(session: Session, grants: GrantCache, actor: uuid.UUID, org_id: uuid.UUID, offset: int,
                limit: int) -> Listed:
    """The sections of one organization (not of its descendants), by name."""
    org = load_org(session, org_id)
    if not any(has_permission(session, grants, actor, p, org.path) for p in SECTION_READERS):
        raise not_authorized("view sections")
    where = Section.org_id == org.id
    total = session.scalar(select(func.count()).select_from(Section).where(where))
    sections = session.scalars(
        select(Section).where(where).order_by(Section.name, Section.id).offset(offset).limit(limit)
    ).all()
    return Listed(list(sections), total or 0)


def create_section(session: Session, grants: GrantCache, actor: uuid.UUID, org_id: uuid.UUID, name: str) -> Section:
    org = load_org(session, org_id)
    access.require(session, grants, actor, Permission.MANAGE_SECTIONS, org.id, "manage sections", org.path)
    section = learning.create_section(session, org, name)
    audit.record(session, actor, "section.create", "section", str(section.id), {"org_id": str(org.id), "name": name},
                 org_id=org.id, subject_user_id=None)
    return section


@dataclass(frozen=True)
class SectionDeleted:
    assignments: int
    enrollments: int
    assignment_statuses: int


def delete_section(session: Session, grants: GrantCache, actor: uuid.UUID, section_id: uuid.UUID,
                   reason: str | None) -> SectionDeleted:
    """The section with its assignments and enrollments, every learner's
    records kept in the audit trail (Manage Sections)."""
    section, path = load_section(session, section_id)
    access.require(session, grants, actor, Permission.MANAGE_SECTIONS, section.org_id, "manage sections", path)
    statuses = 0
    assignments = session.scalars(select(Assignment).where(Assignment.section_id == section.id)).all()
    for assignment in assignments:
        statuses += _delete_assignment(session, actor, section, assignment, reason)
    enrollments = session.scalars(select(Enrollment).where(Enrollment.section_id == section.id)).all()
    for enrollment in enrollments:
        # No status is left once the assignments are gone: this removes the enrollment and says so.
        statuses += _delete_enrollment(session, actor, section, enrollment, reason)
    details = {"org_id": str(section.org_id), "name": section.name, "assignments_deleted": len(assignments),
               "enrollments_deleted": len(enrollments), "assignment_statuses_deleted": statuses}
    session.execute(delete(Section).where(Section.id == section.id))
    audit.record(session, actor, "section.delete", "section", str(section.id), details, reason,
                 org_id=section.org_id, subject_user_id=None)
    return SectionDeleted(len(assignments), len(enrollments), statuses)


# -- enrollments -----------------------------------------------------------------


def enrollments_of(session: Session, grants: GrantCache, actor: uuid.UUID, section_id: uuid.UUID, offset: int,
                   limit: int) -> Listed:
    """A section's enrollments by login, as (enrollment, user) pairs; the
    user is None where the caller may not see them (GetUser would refuse)."""
    section, path = load_section(session, section_id)
    access.require(session, grants, actor, Permission.VIEW_SECTION_ENROLLMENTS, section.org_id,
                   "view section enrollments", path)
    where = Enrollment.section_id == section.id
    total = session.scalar(select(func.count()).select_from(Enrollment).where(where))
    rows = session.execute(
        select(Enrollment, User, Organization.path)
        .join(User, User.id == Enrollment.user_id)
        .join(Organization, Organization.id == User.owner_org_id)
        .where(where)
        .order_by(User.login, Enrollment.id)
        .offset(offset)
        .limit(limit)
    ).all()
    items = [(e, u if may_see_user(session, grants, actor, u.id, owner_path) else None) for e, u, owner_path in rows]
    return Listed(items, total or 0)


def create_enrollment(session: Session, grants: GrantCache, actor: uuid.UUID, section_id: uuid.UUID,
                      user_id: uuid.UUID) -> Enrollment:
    section, path = load_section(session, section_id)
    access.require(session, grants, actor, Permission.UPDATE_SECTION_ENROLLMENTS, section.org_id,
                   "update section enrollments", path)
    user = visible_user(session, grants, actor, user_id)
    try:
        enrollment = learning.create_enrollment(session, section, user)
        session.flush()
    except (learning.AlreadyEnrolled, IntegrityError):
        # IntegrityError: a concurrent request enrolled the same user first.
        raise ServiceError(ErrorCode.ALREADY_EXISTS, f"User {user.id} is already enrolled in section {section.id}") from None
    audit.record(session, actor, "enrollment.create", "enrollment", str(enrollment.id),
                 {"section_id": str(section.id), "user_id": str(user.id)},
                 org_id=section.org_id, subject_user_id=user.id)
    return enrollment


def delete_enrollment(session: Session, grants: GrantCache, actor: uuid.UUID, enrollment_id: uuid.UUID,
                      reason: str | None) -> int:
    """Unenroll a learner, their records of every assignment kept in the
    audit trail; how many assignment statuses went."""
    enrollment = session.get(Enrollment, enrollment_id)
    if enrollment is None:
        raise not_found("Enrollment", enrollment_id)
    section, path = load_section(session, enrollment.section_id)
    access.require(session, grants, actor, Permission.UPDATE_SECTION_ENROLLMENTS, section.org_id,
                   "update section enrollments", path)
    return _delete_enrollment(session, actor, section, enrollment, reason)


def _delete_enrollment(session: Session, actor: uuid.UUID, section: Section, enrollment: Enrollment,
                       reason: str | None) -> int:
    removed = learning.delete_enrollment(session, enrollment, actor, reason)
    audit.record(
        session, actor, "enrollment.delete", "enrollment", str(enrollment.id),
        {"section_id": str(section.id), "user_id": str(enrollment.user_id), "assignment_statuses_deleted": removed},
        reason, org_id=section.org_id, subject_user_id=enrollment.user_id,
    )
    return removed


# -- assignments -----------------------------------------------------------------


def usable_courseware(session: Session, section_path: str) -> list[Courseware]:
    """The courseware a section of ``section_path`` may be assigned, by title."""
    return list(session.scalars(
        select(Courseware).where(Courseware.org_id.in_(ancestor_ids(section_path)))
        .order_by(Courseware.title, Courseware.id)
    ))


def load_courseware_for(session: Session, courseware_id: uuid.UUID, section_path: str) -> Courseware:
    """Courseware usable in a section, else ITEM_NOT_FOUND as for unknown
    courseware. The row is share-locked (PostgreSQL): a DeleteCourseware
    running at the same time either waits for this assignment and then
    refuses, or has deleted the row first and this answers not found,
    never a broken foreign key."""
    courseware = session.get(Courseware, courseware_id, with_for_update={"read": True})
    if courseware is None or courseware.org_id not in ancestor_ids(section_path):
        raise not_found("Courseware", courseware_id)
    return courseware


@dataclass(frozen=True)
class AssignmentWanted:
    section_id: uuid.UUID
    courseware_id: uuid.UUID
    title: str | None  # the courseware's title when None
    max_attempts: int = 0
    grading_method: str = "highest"


def create_assignment(session: Session, grants: GrantCache, actor: uuid.UUID, wanted: AssignmentWanted) -> Assignment:
    section, path = load_section(session, wanted.section_id)
    access.require(session, grants, actor, Permission.MANAGE_SECTIONS, section.org_id, "manage sections", path)
    courseware = load_courseware_for(session, wanted.courseware_id, path)
    assignment = learning.create_assignment(
        session, section, courseware, wanted.title or courseware.title,
        max_attempts=wanted.max_attempts, grading_method=wanted.grading_method,
    )
    audit.record(
        session, actor, "assignment.create", "assignment", str(assignment.id),
        {"section_id": str(section.id), "courseware_id": str(courseware.id),
         "max_attempts": wanted.max_attempts, "grading_method": wanted.grading_method},
        org_id=section.org_id, subject_user_id=None,
    )
    return assignment


def assignments_of(session: Session, grants: GrantCache, actor: uuid.UUID, section_id: uuid.UUID) -> list[Assignment]:
    """A section's assignments by title, to those who may list its sections."""
    section, path = load_section(session, section_id)
    if not any(has_permission(session, grants, actor, p, path) for p in SECTION_READERS):
        raise not_authorized("view sections")
    return list(session.scalars(
        select(Assignment).where(Assignment.section_id == section.id).order_by(Assignment.title, Assignment.id)
    ))


def delete_assignment(session: Session, grants: GrantCache, actor: uuid.UUID, assignment_id: uuid.UUID,
                      reason: str | None) -> int:
    """Remove an assignment from its section, every learner's records of it
    kept in the audit trail; how many assignment statuses went."""
    assignment = session.get(Assignment, assignment_id)
    if assignment is None:
        raise not_found("Assignment", assignment_id)
    section, path = load_section(session, assignment.section_id)
    access.require(session, grants, actor, Permission.MANAGE_SECTIONS, section.org_id, "manage sections", path)
    return _delete_assignment(session, actor, section, assignment, reason)


def _delete_assignment(session: Session, actor: uuid.UUID, section: Section, assignment: Assignment,
                       reason: str | None) -> int:
    removed = learning.delete_assignment(session, assignment, actor, reason)
    audit.record(
        session, actor, "assignment.delete", "assignment", str(assignment.id),
        {
            "section_id": str(section.id), "courseware_id": str(assignment.courseware_id), "title": assignment.title,
            "max_attempts": assignment.max_attempts, "grading_method": assignment.grading_method,
            "assignment_statuses_deleted": removed,
        },
        reason, org_id=section.org_id, subject_user_id=None,
    )
    return removed
