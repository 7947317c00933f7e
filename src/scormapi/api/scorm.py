"""ScormApi: read (GetCmiData) and repair (EditScormData) learners' SCORM data,
and the audit trail of those repairs (GetEditHistory, our extension).

Decisions the contract leaves open (see also store/attempts.py):

- GetCmiData lists SCOs by sco_id alphabetically ignoring case, ties by code
  point, the same on every database. A SCO never opened shows the LMS's
  initial values and null dates. Values are read as the LMS reads them, so
  write-only elements (in SCORM 1.2, cmi.core.exit and session_time) are shown.
  An element the model does not define reads "" with the SCORM error in
  ``error_message`` and a warning on the item; the request still succeeds.
- Dates are ISO 8601 UTC with milliseconds and "Z", as in the contract's
  example. A date without a zone is taken as UTC.
- EditScormData: ``null`` means the same as leaving the field out (unchanged),
  for every field: a server typed like NexPort's cannot tell the two apart,
  so a client written for it may send nulls for "no change". Clear a text
  field with "" where its SCORM type allows it.
- EditScormData's JSON shape (a string, a number, a boolean) is checked here
  before anything is read; the SCORM values, once the SCO's data model is
  known (``ops/edits.py``, which also holds the rest of the edit's rules).
  So a bad value for a SCO that does not exist, or that the caller may not
  edit, is a 409 or 403; a badly typed field is a 422 whatever the SCO.
  When both kinds of fault are in one body, one 422 names them all.
- ``title`` is 1..255 characters; ``reason`` at most 1000. What each
  data-model field accepts is its version's (SCORM 1.2: ``cmi/scorm12/repair.py``).
"""
from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi import Body as JsonBody
from fastapi.exceptions import RequestValidationError
from pydantic import Field, StringConstraints, ValidationError, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from scormapi.api.deps import TokenFirst, caller, require, services
from scormapi.api.pagination import page_of
from scormapi.api.response_models import PROTECTED, CmiDataItem, EditHistoryItem, OkResponse, answers
from scormapi.api.responses import json_response, ok
from scormapi.api.schemas import Body, Bool, Date, Int, Name, Num, Str
from scormapi.auth.permissions import Permission
from scormapi.cmi.profile import Profile, for_version
from scormapi.errors import ServiceError, envelope, not_found
from scormapi.ops import edits
from scormapi.ops.attempts import read_values
from scormapi.ops.edits import iso_utc
from scormapi.store import attempts
from scormapi.store.models import (
    Assignment,
    AssignmentStatus,
    AuditEvent,
    Courseware,
    CoursewareSco,
    Enrollment,
    Organization,
    ScoAttempt,
    Section,
    User,
)

router = APIRouter(prefix="/api/v1/ScormApi", tags=["ScormApi"], route_class=TokenFirst)

MAX_ELEMENT_NAMES = 500
# Values one GetCmiData page may hold (SCOs x names): a page of 1,000 SCOs x
# 500 names would take a worker past 350 MB. With many names, fewer SCOs fit
# a page; X-Per-Page tells the client the size applied.
MAX_PAGE_VALUES = 20_000
# An edit may carry two 64,000-character suspend_data values: a page of
# history is bounded at this many edits.
MAX_HISTORY_PER_PAGE = 100
OK_ENTITY = {"error_code": 0, "warning_messages": []}


# -- GetCmiData ------------------------------------------------------------------


ElementName = Annotated[Str, StringConstraints(max_length=255)]


class GetCmiDataBody(Body):
    enrollment_id: uuid.UUID
    assignment_id: uuid.UUID
    cmi_element_names: list[ElementName] = Field(max_length=MAX_ELEMENT_NAMES)


def cmi_fields(profile: Profile, state: dict[str, str], names: list[str]) -> tuple[list[dict], list[str]]:
    """The requested values read as the LMS (``ops.attempts.read_values``),
    and a warning per bad or mapped name."""
    read = read_values(profile, state, names)
    fields = [{"cmi_element_name": v.name, "cmi_element_value": v.value, "error_message": v.error_message} for v in read]
    return fields, [v.warning for v in read if v.warning]


# GetCmiData in two statements built once: the learner, permission path,
# assignment and status in one row; every SCO with its attempt's columns
# in the other. Column rows, not ORM objects: nothing here is written.
_CMI_TARGET = (
    select(
        Enrollment.section_id, Section.org_id, Organization.path, User.id, User.login, User.first_name,
        User.last_name, Assignment.section_id.label("assignment_section_id"), Assignment.courseware_id,
        AssignmentStatus.id.label("status_id"), Courseware.scorm_version,
    )
    .select_from(Enrollment)
    .join(Section, Section.id == Enrollment.section_id)
    .join(Organization, Organization.id == Section.org_id)
    .join(User, User.id == Enrollment.user_id)
    .outerjoin(Assignment, Assignment.id == bindparam("assignment_id"))
    .outerjoin(Courseware, Courseware.id == Assignment.courseware_id)
    .outerjoin(
        AssignmentStatus,
        (AssignmentStatus.assignment_id == Assignment.id) & (AssignmentStatus.enrollment_id == Enrollment.id),
    )
    .where(Enrollment.id == bindparam("enrollment_id"))
)
_CMI_ROWS = (
    select(
        CoursewareSco.sco_id, CoursewareSco.title, CoursewareSco.ordinal, *attempts.LAUNCH_COLUMNS,
        ScoAttempt.id.label("attempt_id"), ScoAttempt.cmi, ScoAttempt.title.label("attempt_title"),
        ScoAttempt.started_at, ScoAttempt.exited_at,
    )
    .outerjoin(
        ScoAttempt,
        (ScoAttempt.sco_pk == CoursewareSco.id) & (ScoAttempt.assignment_status_id == bindparam("status_id")),
    )
    .where(CoursewareSco.courseware_id == bindparam("courseware_id"))
)


def cmi_row_item(row, user, profile: Profile, names: list[str], order: tuple[str, ...] = ()) -> dict:
    """One SCO's item from a _CMI_ROWS row (``user``, a _CMI_TARGET row,
    duck-types User for the initial values; ``row`` CoursewareSco, through
    ``attempts.LAUNCH_COLUMNS``); ``order`` is the course's SCO ids in
    manifest order."""
    state = row.cmi if row.attempt_id is not None else attempts.initial_values(user, row, profile, order)
    fields, warnings = cmi_fields(profile, state, names)
    return {
        "title": row.attempt_title or row.title,
        "sco_id": row.sco_id,
        "start_date_utc": iso_utc(row.started_at),
        "exit_date_utc": iso_utc(row.exited_at),
        "cmi_fields": fields,
        "api_error_entity": envelope(0, None, warnings),
    }


@router.post("/GetCmiData", responses=answers(list[CmiDataItem], *PROTECTED, paged=True))
def get_cmi_data(
    body: GetCmiDataBody, request: Request, page: int | None = Query(None), per_page: int | None = Query(None)
):
    """The requested CMI elements of every SCO of the assignment, by sco_id."""
    svc = services(request)
    paging = page_of(page, per_page, max_per_page=max(1, MAX_PAGE_VALUES // max(1, len(body.cmi_element_names))))
    with svc.db.read() as session:
        me = caller(request, session)
        # Plain Core rows on the session's connection: the ORM's execution
        # layer adds a third of the cost here and nothing is written.
        conn = session.connection()
        target = conn.execute(
            _CMI_TARGET, {"enrollment_id": body.enrollment_id, "assignment_id": body.assignment_id}
        ).first()
        if target is None:
            raise not_found("Enrollment", body.enrollment_id)
        require(request, session, me, Permission.VIEW_SECTION_ENROLLMENTS, target.org_id, "view CMI data", target.path)
        if target.courseware_id is None or target.assignment_section_id != target.section_id:
            raise not_found("Assignment", f"{body.assignment_id} in the section of enrollment {body.enrollment_id}")
        rows = conn.execute(_CMI_ROWS, {"status_id": target.status_id, "courseware_id": target.courseware_id}).all()
    order = tuple(r.sco_id for r in sorted(rows, key=lambda r: r.ordinal))
    rows.sort(key=lambda r: attempts.sco_order(r.sco_id))
    window = rows[paging.offset : paging.offset + paging.per_page]
    profile = for_version(target.scorm_version)
    items = [cmi_row_item(r, target, profile, body.cmi_element_names, order) for r in window]
    return json_response(items, headers=paging.headers(len(rows)))


# -- EditScormData ---------------------------------------------------------------


def _as_utc(when: datetime) -> datetime:
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    try:
        return when.astimezone(UTC)
    except OverflowError:
        raise PydanticCustomError("datetime_range", "Date-time is out of range in UTC") from None


class EditScormDataBody(Body):
    """The JSON shape only: each data-model field's SCORM value is judged by
    the SCO's own data model once the SCO is known (``ops.edits``)."""

    assignment_status_id: uuid.UUID
    sco_id: Name
    title: Name | None = None
    start_date_utc: Date | None = None
    exit_date_utc: Date | None = None
    lesson_mode: Str | None = None
    lesson_status: Str | None = None
    lesson_location: Str | None = None
    exit_status: Str | None = None
    session_time: Str | None = None
    total_time: Str | None = None
    raw_score: Num | None = Field(default=None, allow_inf_nan=False)
    suspend_data: Str | None = None
    entry: Str | None = None
    preference_language: Str | None = None
    preference_speed: Int | None = None
    for_credit: Bool | None = None
    # Our extension for SCORM 2004 SCOs (refused for 1.2, which has no such
    # elements): the 2004 statuses and measures the 1.2 fields cannot say.
    completion_status: Str | None = None
    success_status: Str | None = None
    score_scaled: Num | None = Field(default=None, allow_inf_nan=False)
    progress_measure: Num | None = Field(default=None, allow_inf_nan=False)
    # Our extension: why the record was repaired, kept in the audit trail.
    reason: Str | None = Field(default=None, max_length=1000)

    @field_validator(*edits.DATE_FIELDS)
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else _as_utc(value)

    def values(self) -> dict[str, Any]:
        """The data-model fields sent (present and not null), in body order."""
        return {name: getattr(self, name) for name in edits.SCORM_FIELDS if getattr(self, name) is not None}

    def to_request(self) -> edits.EditRequest:
        dates = {name: getattr(self, name) for name in edits.DATE_FIELDS if getattr(self, name) is not None}
        return edits.EditRequest(self.assignment_status_id, self.sco_id, self.values(), self.title, dates, self.reason)


# Body fields in declaration order; an unknown field sorts after them all,
# where pydantic reports it.
_FIELD_ORDER = {name: index for index, name in enumerate(EditScormDataBody.model_fields)}
# Without these the SCO is unknown, so no value can be judged.
_IDENTITY = {"assignment_status_id", "sco_id"}


def parse_edit(request: Request, payload: dict, suspend_data_max: int) -> EditScormDataBody:
    """The body, or one 422 naming every bad field: shape faults (a wrong
    JSON type, an unknown field) and, when the SCO can be found and the
    caller may edit it, the SCORM values of the fields well formed."""
    try:
        return EditScormDataBody.model_validate(payload)
    except ValidationError as exc:
        shape = exc.errors(include_url=False)
    raise RequestValidationError(_with_value_problems(request, payload, shape, suspend_data_max))


def _with_value_problems(request: Request, payload: dict, shape: list[dict], suspend_data_max: int) -> list[dict]:
    """``shape`` and the SCORM problems of the other fields, in body order.
    Shape faults are found before anything is read, so they are the answer
    alone whenever the SCO cannot be judged: a fault in the body as a whole
    or in its identity, an unknown SCO, or a caller who may not edit it."""
    faulty = {err["loc"][0] if err.get("loc") else None for err in shape}
    if None in faulty or faulty & _IDENTITY:
        return shape
    try:
        rest = EditScormDataBody.model_validate({k: v for k, v in payload.items() if k not in faulty})
    except ValidationError:
        return shape
    svc = services(request)
    try:
        with svc.db.read() as session:
            me = caller(request, session)
            problems = edits.check_values(session, svc.grants, me.user_id, rest.assignment_status_id, rest.sco_id,
                                          rest.values(), suspend_data_max)
    except ServiceError:
        return shape
    found = shape + [{"type": "scorm_value", "loc": (p.field,), "msg": p.message} for p in problems]
    return sorted(found, key=lambda err: _FIELD_ORDER.get(err["loc"][0], len(_FIELD_ORDER)))


def _edit_openapi() -> dict:
    # The body is parsed by hand (see parse_edit); document it all the same.
    schema = EditScormDataBody.model_json_schema()
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


# Any JSON object; EditScormDataBody is applied inside (see parse_edit).
JSON_OBJECT = JsonBody()


@router.post("/EditScormData", openapi_extra=_edit_openapi(), responses=answers(OkResponse, *PROTECTED))
def edit_scorm_data(request: Request, payload: dict[str, Any] = JSON_OBJECT):
    """Repair one SCO's current attempt (and its history copy), audited."""
    svc = services(request)
    limit = svc.settings.suspend_data_max
    edit = parse_edit(request, payload, limit).to_request()

    def work(session: Session) -> edits.Edited:
        return edits.edit_scorm_data(session, svc.grants, caller(request, session).user_id, edit, limit)

    return ok(None, attempts.run_with_retry(svc.db, work).warnings)


# -- GetEditHistory --------------------------------------------------------------


class EditHistoryBody(Body):
    assignment_status_id: uuid.UUID
    sco_id: Name


def history_item(event: AuditEvent) -> dict:
    details = event.details or {}
    return {
        "edited_at": iso_utc(event.occurred_at),
        "editor_user_id": event.actor_user_id,
        "reason": event.reason,
        "attempt_number": details.get("attempt_number"),
        "changes": details.get("changes", []),
        "api_error_entity": OK_ENTITY,
    }


@router.post("/GetEditHistory", responses=answers(list[EditHistoryItem], *PROTECTED, paged=True))
def get_edit_history(
    body: EditHistoryBody, request: Request, page: int | None = Query(None), per_page: int | None = Query(None)
):
    """EditScormData's audit trail for one SCO of an assignment status, newest first."""
    svc = services(request)
    paging = page_of(page, per_page, max_per_page=MAX_HISTORY_PER_PAGE)
    with svc.db.read() as session:
        me = caller(request, session)
        found = edits.edit_history(session, svc.grants, me.user_id, body.assignment_status_id, body.sco_id,
                                   paging.offset, paging.per_page)
    return json_response([history_item(e) for e in found.events], headers=paging.headers(found.total))
