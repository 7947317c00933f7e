"""ScormApi: read (GetCmiData) and repair (EditScormData) learners' SCORM data,
and the audit trail of those repairs (GetEditHistory, our extension).

Decisions the contract leaves open (see also store/attempts.py):

- GetCmiData lists SCOs by sco_id alphabetically ignoring case, ties by code
  point, the same on every database. A SCO never opened shows the LMS's
  initial values and null dates. Values are read as the LMS reads them, so
  write-only elements (cmi.core.exit, cmi.core.session_time) are shown.
  An element the model does not define reads "" with the SCORM error in
  ``error_message`` and a warning on the item; the request still succeeds.
- Dates are ISO 8601 UTC with milliseconds and "Z", as in the contract's
  example. A date without a zone is taken as UTC.
- EditScormData: ``null`` means the same as leaving the field out (unchanged),
  for every field: a server typed like NexPort's cannot tell the two apart,
  so a client written for it may send nulls for "no change". Clear a text
  field with "" where its SCORM type allows it.
- ``exit_status`` takes the seed's "normal" (stored as "") and "suspend", and
  also what cmi.core.exit itself allows: "time-out", "logout", "".
- ``raw_score`` is written as a CMIDecimal without exponent (85.0 → "85");
  it must lie in 0..100. ``title`` is 1..255 characters; ``reason`` at most
  1000.
- Only changed fields count: a value equal to the stored one is no change,
  and an edit without changes writes nothing (no attempt, no audit record).
- Warnings only concern fields the edit changed.
- The audit record names typed fields (title, start_date_utc, exit_date_utc)
  by their request field name; cmi fields by their element name.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi import Body as JsonBody
from fastapi.exceptions import RequestValidationError
from pydantic import (
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from scormapi.api.deps import TokenFirst, caller, require, services
from scormapi.api.pagination import page_of
from scormapi.api.response_models import PROTECTED, CmiDataItem, EditHistoryItem, OkResponse, answers
from scormapi.api.responses import json_response, ok
from scormapi.api.schemas import Body, Bool, Date, Int, Name, Num, Str
from scormapi.auth.permissions import Permission
from scormapi.cmi import scorm12
from scormapi.cmi.errors import describe
from scormapi.cmi.profile import Profile, for_version
from scormapi.cmi.timespan import is_timespan, parse_timespan
from scormapi.cmi.types import CMI_DECIMAL, TYPES
from scormapi.errors import envelope, invalid, not_found
from scormapi.ops.attempts import StatusPlace, place_sco, read_values, status_place, subject_id
from scormapi.store import attempts, audit
from scormapi.store.models import (
    Assignment,
    AssignmentStatus,
    AuditEvent,
    Courseware,
    CoursewareSco,
    Enrollment,
    Organization,
    ScoAttempt,
    ScoAttemptHistory,
    Section,
    User,
    utcnow,
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
EDIT_ACTION = "scorm.edit"
SUBJECT_TYPE = "sco_attempt"
OK_ENTITY = {"error_code": 0, "warning_messages": []}


def iso_utc(when: datetime | None) -> str | None:
    if when is None:
        return None
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# -- GetCmiData ------------------------------------------------------------------


ElementName = Annotated[Str, StringConstraints(max_length=255)]


class GetCmiDataBody(Body):
    enrollment_id: uuid.UUID
    assignment_id: uuid.UUID
    cmi_element_names: list[ElementName] = Field(max_length=MAX_ELEMENT_NAMES)


def cmi_fields(profile: Profile, state: dict[str, str], names: list[str]) -> tuple[list[dict], list[str]]:
    """The requested values read as the LMS (``ops.attempts.read_values``),
    and a warning per bad name."""
    read = read_values(profile, state, names)
    fields = [{"cmi_element_name": v.name, "cmi_element_value": v.value, "error_message": v.error_message} for v in read]
    return fields, [f"{v.name}: {v.error_message}" for v in read if v.error_message]


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
        CoursewareSco.sco_id, CoursewareSco.title, CoursewareSco.mastery_score, CoursewareSco.data_from_lms,
        CoursewareSco.max_time_allowed, CoursewareSco.time_limit_action,
        ScoAttempt.id.label("attempt_id"), ScoAttempt.cmi, ScoAttempt.title.label("attempt_title"),
        ScoAttempt.started_at, ScoAttempt.exited_at,
    )
    .outerjoin(
        ScoAttempt,
        (ScoAttempt.sco_pk == CoursewareSco.id) & (ScoAttempt.assignment_status_id == bindparam("status_id")),
    )
    .where(CoursewareSco.courseware_id == bindparam("courseware_id"))
)


def cmi_row_item(row, user, profile: Profile, names: list[str]) -> dict:
    """One SCO's item from a _CMI_ROWS row (``user``, a _CMI_TARGET row,
    duck-types User for the initial values)."""
    state = row.cmi if row.attempt_id is not None else attempts.initial_values(user, row, profile)
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
    rows.sort(key=lambda r: attempts.sco_order(r.sco_id))
    window = rows[paging.offset : paging.offset + paging.per_page]
    profile = for_version(target.scorm_version)
    items = [cmi_row_item(r, target, profile, body.cmi_element_names) for r in window]
    return json_response(items, headers=paging.headers(len(rows)))


# -- shared by EditScormData and GetEditHistory -----------------------------------


# The SCO, its current attempt and that attempt's history copy in one
# statement: EditScormData needs all three and each round trip costs.
_SCO_ATTEMPT_HISTORY = (
    select(CoursewareSco, ScoAttempt, ScoAttemptHistory)
    .outerjoin(
        ScoAttempt,
        (ScoAttempt.sco_pk == CoursewareSco.id) & (ScoAttempt.assignment_status_id == bindparam("status_id")),
    )
    .outerjoin(
        ScoAttemptHistory,
        (ScoAttemptHistory.attempt_id == ScoAttempt.id)
        & (ScoAttemptHistory.attempt_number == ScoAttempt.attempt_number),
    )
    .where(CoursewareSco.courseware_id == bindparam("courseware_id"), CoursewareSco.sco_id == bindparam("sco_id"))
)


def load_sco_attempt(
    session: Session, target: StatusPlace, sco_id: str
) -> tuple[CoursewareSco, ScoAttempt | None, ScoAttemptHistory | None]:
    """The SCO (409 when unknown), its current attempt and the attempt's
    archived copy under the same number (each None when there is none)."""
    row = session.execute(
        _SCO_ATTEMPT_HISTORY, {"status_id": target.status.id, "courseware_id": target.assignment.courseware_id, "sco_id": sco_id}
    ).first()
    if row is None:
        raise not_found("SCO", f"{sco_id!r} of the assignment's courseware")
    return row[0], row[1], row[2]


# -- EditScormData ---------------------------------------------------------------


def _decimal(number: float) -> str:
    """A JSON number as a CMIDecimal: no exponent, no trailing ".0"."""
    if number.is_integer():
        return str(int(number))
    return format(Decimal(repr(number)), "f")


def _exit(value: str) -> str:
    return "" if value == "normal" else value


# Request field → (CMI element, JSON value → element value).
CMI_FIELDS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "lesson_mode": ("cmi.core.lesson_mode", str),
    "lesson_status": ("cmi.core.lesson_status", str),
    "lesson_location": ("cmi.core.lesson_location", str),
    "exit_status": ("cmi.core.exit", _exit),
    "session_time": ("cmi.core.session_time", str),
    "total_time": ("cmi.core.total_time", str),
    "raw_score": ("cmi.core.score.raw", _decimal),
    "suspend_data": ("cmi.suspend_data", str),
    "entry": ("cmi.core.entry", str),
    "preference_language": ("cmi.student_preference.language", str),
    "preference_speed": ("cmi.student_preference.speed", str),
    "for_credit": ("cmi.core.credit", lambda credit: "credit" if credit else "no-credit"),
}
# What the edit warnings compare.
STATUS, SCORE_RAW, TOTAL_TIME = (CMI_FIELDS[f][0] for f in ("lesson_status", "raw_score", "total_time"))
DATE_FIELDS = {"start_date_utc": "started_at", "exit_date_utc": "exited_at"}


def _as_utc(when: datetime) -> datetime:
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    try:
        return when.astimezone(UTC)
    except OverflowError:
        raise PydanticCustomError("datetime_range", "Date-time is out of range in UTC") from None


UtcDate = Date


class EditScormDataBody(Body):
    assignment_status_id: uuid.UUID
    sco_id: Name
    title: Name | None = None
    start_date_utc: UtcDate | None = None
    exit_date_utc: UtcDate | None = None
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
    # Our extension: why the record was repaired, kept in the audit trail.
    reason: Str | None = Field(default=None, max_length=1000)

    @field_validator(*CMI_FIELDS)
    @classmethod
    def _scorm_value(cls, value: Any, info: ValidationInfo) -> Any:
        """Each value against its element's SCORM type. A field validator, so
        pydantic reports every bad field of the body in one 422."""
        if value is None:
            return value
        element, convert = CMI_FIELDS[info.field_name]
        limit = (info.context or {}).get("suspend_data_max", scorm12.SUSPEND_DATA_LIMIT)
        code = scorm12.validate_value(element, convert(value), suspend_data_limit=limit)
        if code:
            raise PydanticCustomError(
                "scorm_value", "not a valid {element} ({rule}): {error}",
                {"element": element, "rule": _rule(element, limit), "error": describe(code)},
            )
        return value

    @field_validator(*DATE_FIELDS)
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else _as_utc(value)

    def sent(self) -> set[str]:
        """Fields that ask for a change: present and not null."""
        return {name for name in self.model_fields_set if getattr(self, name) is not None}


def _rule(element: str, suspend_data_max: int) -> str:
    resolved = scorm12.resolve(element)
    if resolved.element.operator_limit:
        return f"at most {suspend_data_max} characters"
    return TYPES[resolved.element.type].description


def parse_edit(payload: dict, suspend_data_max: int) -> EditScormDataBody:
    """Validate with the deployment's suspend_data limit (a validation
    context FastAPI's own body parsing cannot pass); errors are rendered like
    any request validation error."""
    try:
        return EditScormDataBody.model_validate(payload, context={"suspend_data_max": suspend_data_max})
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False)) from None


@dataclass(frozen=True)
class Change:
    name: str
    old: str | None
    new: str | None

    def to_json(self) -> dict:
        return {"cmi_element_name": self.name, "old_value": self.old, "new_value": self.new}


@dataclass
class Edit:
    """What one request changes, compared with what is stored."""

    cmi: dict[str, str]
    title: str | None
    dates: dict[str, datetime]
    changes: list[Change]


def plan_edit(body: EditScormDataBody, state: dict[str, str], attempt: ScoAttempt | None, sco: CoursewareSco) -> Edit:
    sent = body.sent()
    wanted = {el: convert(getattr(body, f)) for f, (el, convert) in CMI_FIELDS.items() if f in sent}
    cmi = {el: new for el, new in wanted.items() if state.get(el, "") != new}
    changes = [Change(el, state.get(el, ""), new) for el, new in cmi.items()]
    title = body.title if "title" in sent else None
    old_title = (attempt.title if attempt is not None else None) or sco.title
    if title is not None and title != old_title:
        changes.append(Change("title", old_title, title))
    dates = {col: getattr(body, f) for f, col in DATE_FIELDS.items() if f in sent}
    for field, column in DATE_FIELDS.items():
        old = getattr(attempt, column) if attempt is not None else None
        if column in dates and dates[column] != old:
            changes.append(Change(field, iso_utc(old), iso_utc(dates[column])))
    return Edit(cmi, title, dates, changes)


def apply_edit(record: ScoAttempt | ScoAttemptHistory, edit: Edit, suspend_data_max: int, profile: Profile) -> None:
    """Apply to an attempt or its history copy; values were validated already,
    so a refusal here is a bug, reported as such rather than half-applied."""
    state = dict(record.cmi or {})
    for name, value in edit.cmi.items():
        code = profile.set_value(state, name, value, as_lms=True, suspend_data_limit=suspend_data_max)
        if code:
            raise invalid([f"{name}: {profile.describe(code)}"])
    attempts.replace_cmi(record, state, profile)
    if edit.title is not None:
        record.title = edit.title
    for column, when in edit.dates.items():
        setattr(record, column, when)


def _mastery_warning(state: dict[str, str]) -> str | None:
    status = state.get(STATUS, "")
    raw = state.get(SCORE_RAW, "")
    mastery = state.get("cmi.student_data.mastery_score", "")
    if status not in ("passed", "failed") or not (CMI_DECIMAL.is_valid(raw) and CMI_DECIMAL.is_valid(mastery)):
        return None
    below = Decimal(raw) < Decimal(mastery)
    if status == "passed" and below:
        return f"lesson_status 'passed' contradicts the mastery score: raw_score {raw} is below the mastery score {mastery}"
    if status == "failed" and not below:
        return f"lesson_status 'failed' contradicts the mastery score: raw_score {raw} reaches the mastery score {mastery}"
    return None


def _time_warning(state: dict[str, str]) -> str | None:
    total, session = state.get(TOTAL_TIME, ""), state.get("cmi.core.session_time", "")
    if is_timespan(total) and is_timespan(session) and parse_timespan(total) < parse_timespan(session):
        return f"total_time {total} is less than session_time {session}"
    return None


def edit_warnings(edit: Edit, attempt: ScoAttempt) -> list[str]:
    """Valid but suspicious results, for the fields this edit changed."""
    changed = {c.name for c in edit.changes}
    found = []
    if changed & {STATUS, SCORE_RAW}:
        found.append(_mastery_warning(attempt.cmi))
    if changed & {TOTAL_TIME, "cmi.core.session_time"}:
        found.append(_time_warning(attempt.cmi))
    if changed & set(DATE_FIELDS) and attempt.started_at and attempt.exited_at and attempt.exited_at < attempt.started_at:
        found.append("exit_date_utc is before start_date_utc")
    return [w for w in found if w]


def _edit(session: Session, request: Request, body: EditScormDataBody, suspend_data_max: int) -> list[str]:
    """One attempt of the edit transaction; re-run from scratch on a lost race."""
    me = caller(request, session)
    target = status_place(session, body.assignment_status_id, lock=True)
    require(request, session, me, Permission.UPDATE_SECTION_ENROLLMENTS, target.org_id, "edit SCORM data", target.org_path)
    sco, attempt, history = load_sco_attempt(session, target, body.sco_id)
    profile = target.profile
    state = attempt.cmi if attempt is not None else attempts.initial_values(target.learner, sco, profile)
    edit = plan_edit(body, state, attempt, sco)
    if not edit.changes:
        return []
    if attempt is None:
        attempt = attempts.get_or_create_attempt(session, target.status.id, sco, target.learner)
    apply_edit(attempt, edit, suspend_data_max, profile)
    attempt.updated_at = utcnow()
    if history is not None:
        apply_edit(history, edit, suspend_data_max, profile)
    attempts.rollup(session, target.status)
    warnings = edit_warnings(edit, attempt)
    details = {"attempt_number": attempt.attempt_number, "changes": [c.to_json() for c in edit.changes], "warnings": warnings}
    audit.record(session, me.user_id, EDIT_ACTION, SUBJECT_TYPE, subject_id(target.status.id, sco.sco_id), details, body.reason,
                 org_id=target.org_id, subject_user_id=target.learner.id)
    return warnings


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
    body = parse_edit(payload, limit)
    warnings = attempts.run_with_retry(svc.db, lambda session: _edit(session, request, body, limit))
    return ok(None, warnings)


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
        target = status_place(session, body.assignment_status_id)
        require(request, session, me, Permission.VIEW_SECTION_ENROLLMENTS, target.org_id, "view CMI data", target.org_path)
        sco = place_sco(session, target, body.sco_id)
        where = (
            (AuditEvent.subject_type == SUBJECT_TYPE)
            & (AuditEvent.subject_id == subject_id(target.status.id, sco.sco_id))
            & (AuditEvent.action == EDIT_ACTION)
        )
        total = session.scalar(select(func.count()).select_from(AuditEvent).where(where))
        events = session.scalars(
            select(AuditEvent)
            .where(where)
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .offset(paging.offset)
            .limit(paging.per_page)
        ).all()
    return json_response([history_item(e) for e in events], headers=paging.headers(total))
