"""LearningApi: sections, enrollments, assignments and assignment statuses."""
from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Query, Request
from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scormapi.api.deps import TokenFirst, caller, require, services, visible_user
from scormapi.api.pagination import page_of
from scormapi.api.response_models import (
    PROTECTED,
    AssignmentItem,
    AssignmentStatusItem,
    EnrollmentItem,
    EnrollmentListItem,
    OkResponse,
    SectionItem,
    answers,
)
from scormapi.api.responses import json_response, ok
from scormapi.api.schemas import Body, Int, Name, Str
from scormapi.auth.permissions import Permission, ancestor_ids, has_permission, may_see_user
from scormapi.cmi.timespan import format_timespan
from scormapi.errors import ErrorCode, ServiceError, invalid, not_authorized, not_found
from scormapi.store import audit, directory, learning
from scormapi.store.models import (
    Assignment,
    AssignmentStatus,
    Courseware,
    Enrollment,
    Organization,
    Section,
    User,
)

router = APIRouter(prefix="/api/v1/LearningApi", tags=["LearningApi"], route_class=TokenFirst)

OK_ENTITY = {"error_code": 0, "warning_messages": []}
# Any of these in the organization (or an ancestor) lets a caller list its sections.
SECTION_READERS = (
    Permission.MANAGE_SECTIONS,
    Permission.VIEW_SECTION_ENROLLMENTS,
    Permission.UPDATE_SECTION_ENROLLMENTS,
)


def section_item(section: Section) -> dict:
    return {"section_id": section.id, "org_id": section.org_id, "name": section.name}


def load_section(session: Session, section_id: uuid.UUID) -> tuple[Section, str]:
    """The section and its organization's path; 409 when unknown."""
    found = directory.with_org_path(session, Section, section_id)
    if found is None:
        raise not_found("Section", section_id)
    return found


# -- sections --------------------------------------------------------------------


class CreateSectionBody(Body):
    org_id: uuid.UUID
    name: Name


@router.post("/CreateSection", responses=answers(SectionItem, *PROTECTED))
def create_section(body: CreateSectionBody, request: Request):
    svc = services(request)
    with svc.db.write() as session:
        me = caller(request, session)
        org = session.get(Organization, body.org_id)
        if org is None:
            raise not_found("Organization", body.org_id)
        require(request, session, me, Permission.MANAGE_SECTIONS, org.id, "manage sections", org.path)
        section = learning.create_section(session, org, body.name)
        audit.record(session, me.user_id, "section.create", "section", str(section.id), {"org_id": str(org.id), "name": body.name},
                     org_id=org.id, subject_user_id=None)
    return ok(section_item(section))


class GetSectionsBody(Body):
    org_id: uuid.UUID


@router.post("/GetSections", responses=answers(list[SectionItem], *PROTECTED, paged=True))
def get_sections(body: GetSectionsBody, request: Request, page: int | None = Query(None), per_page: int | None = Query(None)):
    """The sections of one organization (not of its descendants), by name."""
    svc = services(request)
    paging = page_of(page, per_page)
    with svc.db.read() as session:
        me = caller(request, session)
        org = session.get(Organization, body.org_id)
        if org is None:
            raise not_found("Organization", body.org_id)
        if not any(has_permission(session, svc.grants, me.user_id, p, org.path) for p in SECTION_READERS):
            raise not_authorized("view sections")
        where = Section.org_id == org.id
        total = session.scalar(select(func.count()).select_from(Section).where(where))
        sections = session.scalars(
            select(Section).where(where).order_by(Section.name, Section.id).offset(paging.offset).limit(paging.per_page)
        ).all()
    items = [{**section_item(s), "api_error_entity": OK_ENTITY} for s in sections]
    return json_response(items, headers=paging.headers(total))


# -- enrollments -----------------------------------------------------------------


class CreateEnrollmentBody(Body):
    section_id: uuid.UUID
    user_id: uuid.UUID


def enrollment_item(enrollment: Enrollment) -> dict:
    return {"enrollment_id": enrollment.id, "section_id": enrollment.section_id, "user_id": enrollment.user_id}


@router.post("/CreateEnrollment", responses=answers(EnrollmentItem, *PROTECTED))
def create_enrollment(body: CreateEnrollmentBody, request: Request):
    svc = services(request)
    with svc.db.write() as session:
        me = caller(request, session)
        section, path = load_section(session, body.section_id)
        require(request, session, me, Permission.UPDATE_SECTION_ENROLLMENTS, section.org_id, "update section enrollments", path)
        # Only a user the caller may see: enrolling one would otherwise
        # reveal them through GetEnrollments.
        user = visible_user(request, session, me, body.user_id)
        try:
            enrollment = learning.create_enrollment(session, section, user)
            session.flush()
        except (learning.AlreadyEnrolled, IntegrityError):
            # IntegrityError: a concurrent request enrolled the same user first.
            raise ServiceError(ErrorCode.ALREADY_EXISTS, f"User {user.id} is already enrolled in section {section.id}") from None
        audit.record(session, me.user_id, "enrollment.create", "enrollment", str(enrollment.id), {"section_id": str(section.id), "user_id": str(user.id)},
                     org_id=section.org_id, subject_user_id=user.id)
    return ok(enrollment_item(enrollment))


class GetEnrollmentsBody(Body):
    section_id: uuid.UUID


@router.post("/GetEnrollments", responses=answers(list[EnrollmentListItem], *PROTECTED, paged=True))
def get_enrollments(body: GetEnrollmentsBody, request: Request, page: int | None = Query(None), per_page: int | None = Query(None)):
    """A section's enrollments with their users' names, by login."""
    svc = services(request)
    paging = page_of(page, per_page)
    with svc.db.read() as session:
        me = caller(request, session)
        section, path = load_section(session, body.section_id)
        require(request, session, me, Permission.VIEW_SECTION_ENROLLMENTS, section.org_id, "view section enrollments", path)
        where = Enrollment.section_id == section.id
        total = session.scalar(select(func.count()).select_from(Enrollment).where(where))
        rows = session.execute(
            select(Enrollment, User, Organization.path)
            .join(User, User.id == Enrollment.user_id)
            .join(Organization, Organization.id == User.owner_org_id)
            .where(where)
            .order_by(User.login, Enrollment.id)
            .offset(paging.offset)
            .limit(paging.per_page)
        ).all()
        grants = svc.grants
        items = [
            enrollment_row(e, u if may_see_user(session, grants, me.user_id, u.id, owner_path) else None)
            for e, u, owner_path in rows
        ]
    return json_response(items, headers=paging.headers(total))


def enrollment_row(enrollment: Enrollment, user: User | None) -> dict:
    """A GetEnrollments item; a user the caller may not see (GetUser would
    refuse) shows as an id only: login and names null."""
    return {
        **enrollment_item(enrollment),
        "login": user.login if user else None,
        "first_name": user.first_name if user else None,
        "last_name": user.last_name if user else None,
        "api_error_entity": OK_ENTITY,
    }


# -- assignments -----------------------------------------------------------------


class CreateAssignmentBody(Body):
    section_id: uuid.UUID
    courseware_id: uuid.UUID
    # The courseware's title when left out.
    title: Str | None = Field(default=None, min_length=1, max_length=255)
    max_attempts: Int = Field(default=0, ge=0, le=learning.MAX_ATTEMPTS_LIMIT, description="attempts allowed on each SCO; 0: no limit")
    grading_method: Literal["highest", "last", "first"] = Field(
        default="highest", description="which finished attempt counts: the best, the latest or the first"
    )
    attempt_policy: Literal["new_attempt", "review"] | None = Field(
        default=None, json_schema_extra={"deprecated": True}, description="deprecated, before max_attempts: new_attempt = 0 (no limit), review = 1"
    )

    def settings(self) -> tuple[int, list[str]]:
        """max_attempts, with what an old script's attempt_policy means and a warning saying so."""
        if self.attempt_policy is None:
            return self.max_attempts, []
        if "max_attempts" in self.model_fields_set:
            raise invalid(["attempt_policy: give max_attempts or the older attempt_policy, not both"])
        mapped = POLICY_ATTEMPTS[self.attempt_policy]
        return mapped, [f"attempt_policy is deprecated: {self.attempt_policy!r} is max_attempts {mapped}"]


# What the older attempt_policy setting meant, in attempts (migration 0003).
POLICY_ATTEMPTS = {"new_attempt": 0, "review": 1}


def assignment_item(assignment: Assignment) -> dict:
    return {
        "assignment_id": assignment.id,
        "section_id": assignment.section_id,
        "courseware_id": assignment.courseware_id,
        "title": assignment.title,
        "max_attempts": assignment.max_attempts,
        "grading_method": assignment.grading_method,
    }


def load_courseware_for(session: Session, courseware_id: uuid.UUID, section_path: str) -> Courseware:
    """Courseware usable in a section: owned by its organization or an ancestor.

    Courseware elsewhere answers like unknown courseware (409), so ids from
    another organization tree reveal nothing. The row is share-locked
    (PostgreSQL): a DeleteCourseware running at the same time either waits
    for this assignment and then refuses, or has deleted the row first and
    this answers 409, never a broken foreign key.
    """
    courseware = session.get(Courseware, courseware_id, with_for_update={"read": True})
    if courseware is None or courseware.org_id not in ancestor_ids(section_path):
        raise not_found("Courseware", courseware_id)
    return courseware


@router.post("/CreateAssignment", responses=answers(AssignmentItem, *PROTECTED))
def create_assignment(body: CreateAssignmentBody, request: Request):
    svc = services(request)
    with svc.db.write() as session:
        me = caller(request, session)
        section, path = load_section(session, body.section_id)
        require(request, session, me, Permission.MANAGE_SECTIONS, section.org_id, "manage sections", path)
        courseware = load_courseware_for(session, body.courseware_id, path)
        max_attempts, warnings = body.settings()
        assignment = learning.create_assignment(
            session, section, courseware, body.title or courseware.title,
            max_attempts=max_attempts, grading_method=body.grading_method,
        )
        audit.record(
            session, me.user_id, "assignment.create", "assignment", str(assignment.id),
            {"section_id": str(section.id), "courseware_id": str(courseware.id),
             "max_attempts": max_attempts, "grading_method": body.grading_method},
            org_id=section.org_id, subject_user_id=None,
        )
    return ok(assignment_item(assignment), warnings)


# -- assignment statuses ---------------------------------------------------------


class AssignmentStatusRef(Body):
    enrollment_id: uuid.UUID
    assignment_id: uuid.UUID


def status_item(status: AssignmentStatus) -> dict:
    return {
        "assignment_status_id": status.id,
        "enrollment_id": status.enrollment_id,
        "assignment_id": status.assignment_id,
        "status": status.status,
        "score": status.score,
        "total_time": format_timespan(round(status.total_seconds * 100)),
        "started_date_utc": status.started_at,
        "completed_date_utc": status.completed_at,
    }


@router.post("/GetAssignmentStatus", responses=answers(AssignmentStatusItem, *PROTECTED))
def get_assignment_status(body: AssignmentStatusRef, request: Request):
    svc = services(request)
    with svc.db.read() as session:
        me = caller(request, session)
        path = learning.enrollment_org_path(session, body.enrollment_id)
        if path is None:
            raise not_found("Enrollment", body.enrollment_id)
        require(request, session, me, Permission.VIEW_SECTION_ENROLLMENTS, ancestor_ids(path)[-1], "view section enrollments", path)
        status = learning.get_assignment_status(session, body.enrollment_id, body.assignment_id)
        if status is None:
            raise not_found("Assignment", body.assignment_id)
    return ok(status_item(status))


# -- undoing: deletes that keep the learners' records in the audit trail ------------


class DeleteEnrollmentBody(Body):
    enrollment_id: uuid.UUID
    reason: Str | None = Field(default=None, max_length=1000)


@router.post("/DeleteEnrollment", responses=answers(OkResponse, *PROTECTED))
def delete_enrollment(body: DeleteEnrollmentBody, request: Request):
    """Unenroll a learner; their records of every assignment go to the audit trail."""
    svc = services(request)
    with svc.db.write() as session:
        me = caller(request, session)
        enrollment = session.get(Enrollment, body.enrollment_id)
        if enrollment is None:
            raise not_found("Enrollment", body.enrollment_id)
        section, path = load_section(session, enrollment.section_id)
        require(request, session, me, Permission.UPDATE_SECTION_ENROLLMENTS, section.org_id, "update section enrollments", path)
        removed = learning.delete_enrollment(session, enrollment, me.user_id, body.reason)
        audit.record(
            session, me.user_id, "enrollment.delete", "enrollment", str(enrollment.id),
            {"section_id": str(section.id), "user_id": str(enrollment.user_id), "assignment_statuses_deleted": removed},
            body.reason, org_id=section.org_id, subject_user_id=enrollment.user_id,
        )
    return ok()


class DeleteAssignmentBody(Body):
    assignment_id: uuid.UUID
    reason: Str | None = Field(default=None, max_length=1000)


@router.post("/DeleteAssignment", responses=answers(OkResponse, *PROTECTED))
def delete_assignment(body: DeleteAssignmentBody, request: Request):
    """Remove an assignment from its section; every learner's records of it go to the audit trail."""
    svc = services(request)
    with svc.db.write() as session:
        me = caller(request, session)
        assignment = session.get(Assignment, body.assignment_id)
        if assignment is None:
            raise not_found("Assignment", body.assignment_id)
        section, path = load_section(session, assignment.section_id)
        require(request, session, me, Permission.MANAGE_SECTIONS, section.org_id, "manage sections", path)
        removed = learning.delete_assignment(session, assignment, me.user_id, body.reason)
        audit.record(
            session, me.user_id, "assignment.delete", "assignment", str(assignment.id),
            {
                "section_id": str(section.id), "courseware_id": str(assignment.courseware_id), "title": assignment.title,
                "max_attempts": assignment.max_attempts, "grading_method": assignment.grading_method,
                "assignment_statuses_deleted": removed,
            },
            body.reason, org_id=section.org_id, subject_user_id=None,
        )
    return ok()
