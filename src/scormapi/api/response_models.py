"""What each operation answers, as the OpenAPI document describes it.

These models only document: the operations build their JSON by hand and
return it pre-serialized (see responses.py), so nothing here runs per
request. They leave extra properties allowed, so a field added to a response
later does not make the document wrong, only incomplete.
"""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from scormapi.errors import ErrorCode

# -- the envelope ------------------------------------------------------------------


class ApiErrorEntity(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"error_code": 0, "warning_messages": []}]})

    error_code: int = Field(description="0 on success; see the README's table of codes")
    error_message: str | None = Field(default=None, description="left out on success")
    warning_messages: list[str]


class ErrorResponse(BaseModel):
    """Every error: the envelope alone (NexPort's ApiResponseBase)."""

    api_error_entity: ApiErrorEntity


class OkResponse(ErrorResponse):
    """A success that returns nothing but the envelope."""


def _error_example(code: ErrorCode, message: str) -> dict:
    return {"api_error_entity": {"error_code": int(code), "error_message": message, "warning_messages": []}}


_ERRORS: dict[int, tuple[str, dict]] = {
    403: ("not authenticated (error 3, 7) or not authorized (error 4)",
          _error_example(ErrorCode.AUTHENTICATION_ERROR, "Unable to authenticate")),
    404: ("not served on this origin: the run-time's commits go to the content origin (the launch's commit_url)",
          _error_example(ErrorCode.ITEM_NOT_FOUND, "Not Found")),
    409: ("an unknown item (error 5), a lost race (6), an existing item (8), a stale commit (10), an item in use (12)",
          _error_example(ErrorCode.ITEM_NOT_FOUND, "Enrollment 00000000-0000-0000-0000-000000000000 was not found")),
    413: ("the request body is larger than the server accepts (error 11)",
          _error_example(ErrorCode.REQUEST_TOO_LARGE, "Request body too large")),
    422: ("the request is malformed or a value is invalid (error 2, 9); the message names every bad field",
          _error_example(ErrorCode.VALIDATION_ERROR, "Invalid request: lessonstatus: unknown field")),
}

PAGING_HEADERS = {
    "X-Total-Count": {"description": "items in all pages", "schema": {"type": "integer"}},
    "X-Per-Page": {"description": "the page size applied", "schema": {"type": "integer"}},
    "X-Page": {"description": "the page number applied", "schema": {"type": "integer"}},
}


def answers(model: Any, *errors: int, paged: bool = False, bodies: dict[int, Any] | None = None) -> dict:
    """``responses=`` for a route: its 200 body and its error statuses, each
    in the envelope unless ``bodies`` gives a status a model of its own."""
    success: dict = {"model": model, "description": "success"}
    if paged:
        success["headers"] = PAGING_HEADERS
    documented: dict = {200: success}
    for status in errors:
        description, example = _ERRORS[status]
        documented[status] = {
            "model": (bodies or {}).get(status, ErrorResponse), "description": description,
            "content": {"application/json": {"example": example}},
        }
    return documented


# Statuses almost every operation may answer: a caller without a valid token
# or permission, an unknown item, a bad or too large body.
PROTECTED = (403, 409, 413, 422)


# -- AdminApi ------------------------------------------------------------------------


class AuthenticateResponse(BaseModel):
    access_token: uuid.UUID
    token_type: Literal["bearer"]
    expires_in: int | None = Field(default=None, description="seconds; only when the server chose the expiry")
    api_error_entity: ApiErrorEntity


class ValidateAccessTokenResponse(BaseModel):
    utc_expiration_date: datetime | None = Field(description="null for a token that never expires, and on error")
    error_message: str | None
    api_error_entity: ApiErrorEntity


class OrganizationItem(BaseModel):
    org_id: uuid.UUID
    name: str
    short_name: str
    parent_org_id: uuid.UUID | None
    api_error_entity: ApiErrorEntity


class UserItem(BaseModel):
    user_id: uuid.UUID
    login: str
    first_name: str
    last_name: str
    owner_org_id: uuid.UUID
    api_error_entity: ApiErrorEntity


# -- LearningApi -----------------------------------------------------------------------


class SectionItem(BaseModel):
    section_id: uuid.UUID
    org_id: uuid.UUID
    name: str
    api_error_entity: ApiErrorEntity


class EnrollmentItem(BaseModel):
    enrollment_id: uuid.UUID
    section_id: uuid.UUID
    user_id: uuid.UUID
    api_error_entity: ApiErrorEntity


class EnrollmentListItem(EnrollmentItem):
    # Null when the caller may not see the user (see the README's "Who may see a user").
    login: str | None
    first_name: str | None
    last_name: str | None


class AssignmentItem(BaseModel):
    assignment_id: uuid.UUID
    section_id: uuid.UUID
    courseware_id: uuid.UUID
    title: str
    max_attempts: int = Field(description="attempts allowed on each SCO; 0: no limit")
    grading_method: Literal["highest", "last", "first"]
    api_error_entity: ApiErrorEntity


class AssignmentStatusItem(BaseModel):
    assignment_status_id: uuid.UUID = Field(description="what EditScormData and GetEditHistory name")
    enrollment_id: uuid.UUID
    assignment_id: uuid.UUID
    status: str = Field(description="rolled up from the SCOs: not attempted, incomplete, completed, passed, failed…")
    score: float | None
    total_time: str = Field(description="CMITimespan, HHHH:MM:SS.SS")
    started_date_utc: datetime | None
    completed_date_utc: datetime | None
    api_error_entity: ApiErrorEntity


# -- ScormApi ----------------------------------------------------------------------------


class ScoItem(BaseModel):
    sco_id: str
    title: str
    launch: str


class CoursewareItem(BaseModel):
    courseware_id: uuid.UUID
    org_id: uuid.UUID
    title: str
    scorm_version: str
    scos: list[ScoItem]
    api_error_entity: ApiErrorEntity


class CmiField(BaseModel):
    cmi_element_name: str
    cmi_element_value: str
    error_message: str | None = Field(description="the SCORM error for a name the data model does not define")


class CmiDataItem(BaseModel):
    """One SCO of GetCmiData, exactly as the contract shows it."""

    title: str
    sco_id: str
    start_date_utc: datetime | None
    exit_date_utc: datetime | None
    cmi_fields: list[CmiField]
    api_error_entity: ApiErrorEntity


class EditChange(BaseModel):
    cmi_element_name: str = Field(description="the element, or title / start_date_utc / exit_date_utc")
    old_value: str | None
    new_value: str | None


class EditHistoryItem(BaseModel):
    edited_at: datetime
    editor_user_id: uuid.UUID | None
    reason: str | None
    attempt_number: int | None
    changes: list[EditChange]
    api_error_entity: ApiErrorEntity


# -- ScormRuntime ------------------------------------------------------------------------

CMI_VALUES_EXAMPLE = {"cmi.core.lesson_status": "incomplete", "cmi.core.lesson_location": "page-3"}


class DataModelResponse(BaseModel):
    data_model: dict[str, Any] = Field(
        description="the SCORM 1.2 element table the browser validates with",
        json_schema_extra={"example": {"version": "3.4", "elements": [], "types": {}, "arrays": {}, "errors": {}}},
    )
    api_error_entity: ApiErrorEntity


class LaunchResponse(BaseModel):
    attempt_id: uuid.UUID
    attempt_number: int
    sco_id: str
    lesson_mode: str
    launch_token: str | None = Field(description="null in review: nothing is saved")
    commit_url: str | None
    commit_seq: int
    content_url: str
    cmi: dict[str, str] = Field(json_schema_extra={"example": CMI_VALUES_EXAMPLE})
    api_error_entity: ApiErrorEntity


class CommitResponse(BaseModel):
    applied: bool
    commit_seq: int
    lesson_status: str | None = None
    api_error_entity: ApiErrorEntity



class StaleCommitResponse(ErrorResponse):
    """A refused commit: for a stale one (error 10) also the stored number."""

    applied: bool | None = None
    commit_seq: int | None = None


# -- attempts and the audit log ----------------------------------------------------------


class AttemptHistoryItem(BaseModel):
    """One attempt of a SCO, current or archived (GetAttemptHistory)."""

    attempt_number: int
    current: bool = Field(description="the learner's current attempt; false: archived")
    started_at: datetime | None = Field(description="null until the learner opens the attempt")
    exited_at: datetime | None
    lesson_status: str = Field(description="the attempt's status in SCORM 1.2's words, for either model")
    completion_status: str = Field(description="completed, incomplete, not attempted or unknown (SCORM 2004's words)")
    success_status: str = Field(description="passed, failed or unknown (SCORM 2004's words)")
    score_raw: float | None
    score_scaled: float | None = Field(description="-1..1; for SCORM 1.2, raw_score / 100")
    total_time: str = Field(description="CMITimespan, HHHH:MM:SS.SS")
    counted: bool = Field(description="the attempt the assignment's grading method counts")
    cmi_fields: list[CmiField] = Field(description="the requested elements, as GetCmiData's cmi_fields")
    api_error_entity: ApiErrorEntity


class ResetAttemptResponse(BaseModel):
    assignment_status_id: uuid.UUID
    sco_id: str
    attempt_number: int = Field(description="the fresh attempt's number")
    api_error_entity: ApiErrorEntity


class AuditEventItem(BaseModel):
    event_id: uuid.UUID
    occurred_at: datetime
    action: str = Field(description='what happened, e.g. "scorm.edit", "sco_attempt.reset", "user.create"')
    actor_user_id: uuid.UUID | None = Field(description="null for the command line")
    subject_type: str
    subject_id: str
    subject_user_id: uuid.UUID | None = Field(description="the learner or user the event is about")
    org_id: uuid.UUID | None = Field(description="null for events recorded before organizations were kept")
    reason: str | None
    details: dict[str, Any] = Field(
        description="what the change was; its fields depend on the action",
        json_schema_extra={"example": {"sco_id": "item_1", "attempt_number": 1, "new_attempt_number": 2,
                                       "lesson_status": "failed", "score_raw": 40.0}},
    )
    api_error_entity: ApiErrorEntity
