"""LearningApi: sections, enrollments, assignments and assignment statuses."""
from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Query, Request
from pydantic import Field

from scormapi.api.deps import TokenFirst, caller, require, services
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
from scormapi.auth.permissions import Permission, ancestor_ids
from scormapi.cmi.scorm12.timespan import format_timespan
from scormapi.errors import invalid, not_found
from scormapi.ops import learning as learning_ops
from scormapi.store import learning
from scormapi.store.models import Assignment, AssignmentStatus, Enrollment, Section, User

router = APIRouter(prefix="/api/v1/LearningApi", tags=["LearningApi"], route_class=TokenFirst)

OK_ENTITY = {"error_code": 0, "warning_messages": []}


def section_item(section: Section) -> dict:
    return {"section_id": section.id, "org_id": section.org_id, "name": section.name}


# -- sections --------------------------------------------------------------------


class CreateSectionBody(Body):
    org_id: uuid.UUID
    name: Name


@router.post("/CreateSection", responses=answers(SectionItem, *PROTECTED))
def create_section(body: CreateSectionBody, request: Request):
    svc = services(request)
    with svc.db.write() as session:
        me = caller(request, session)
        section = learning_ops.create_section(session, svc.grants, me.user_id, body.org_id, body.name)
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
        listed = learning_ops.sections_of(session, svc.grants, me.user_id, body.org_id, paging.offset, paging.per_page)
    items = [{**section_item(s), "api_error_entity": OK_ENTITY} for s in listed.items]
    return json_response(items, headers=paging.headers(listed.total))


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
        enrollment = learning_ops.create_enrollment(session, svc.grants, me.user_id, body.section_id, body.user_id)
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
        listed = learning_ops.enrollments_of(session, svc.grants, me.user_id, body.section_id, paging.offset,
                                             paging.per_page)
        items = [enrollment_row(e, u) for e, u in listed.items]
    return json_response(items, headers=paging.headers(listed.total))


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


@router.post("/CreateAssignment", responses=answers(AssignmentItem, *PROTECTED))
def create_assignment(body: CreateAssignmentBody, request: Request):
    svc = services(request)
    with svc.db.write() as session:
        me = caller(request, session)
        max_attempts, warnings = body.settings()
        wanted = learning_ops.AssignmentWanted(body.section_id, body.courseware_id, body.title, max_attempts,
                                               body.grading_method)
        assignment = learning_ops.create_assignment(session, svc.grants, me.user_id, wanted)
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
        learning_ops.delete_enrollment(session, svc.grants, me.user_id, body.enrollment_id, body.reason)
    return ok()


class DeleteAssignmentBody(Body):
    assignment_id: uuid.UUID
    reason: Str | None = Field(default=None, max_length=1000)


class DeleteSectionBody(Body):
    section_id: uuid.UUID
    reason: Str | None = Field(default=None, max_length=1000)


@router.post("/DeleteSection", responses=answers(OkResponse, *PROTECTED))
def delete_section(body: DeleteSectionBody, request: Request):
    """Remove a section with its assignments and enrollments; every learner's records go to the audit trail."""
    svc = services(request)
    with svc.db.write() as session:
        me = caller(request, session)
        learning_ops.delete_section(session, svc.grants, me.user_id, body.section_id, body.reason)
    return ok()


@router.post("/DeleteAssignment", responses=answers(OkResponse, *PROTECTED))
def delete_assignment(body: DeleteAssignmentBody, request: Request):
    """Remove an assignment from its section; every learner's records of it go to the audit trail."""
    svc = services(request)
    with svc.db.write() as session:
        me = caller(request, session)
        learning_ops.delete_assignment(session, svc.grants, me.user_id, body.assignment_id, body.reason)
    return ok()
