"""An administrator's repair of one SCO's current attempt (EditScormData)
and the audit trail of those repairs (GetEditHistory).

What a request field writes, which values it accepts and what an edit warns
about are the data model's: the profile of the SCO's courseware
(``Profile.edit_fields``, ``describe_rule``, ``edit_warnings``). So a value
is judged only once the SCO is known, after the caller's permission.

Decisions (see also api/scorm.py):

- Only changed fields count: a value equal to the stored one is no change,
  and an edit without changes writes nothing (no attempt, no audit record).
- Warnings only concern fields the edit changed.
- The audit record names typed fields (title, start_date_utc, exit_date_utc)
  by their request field name; data-model fields by their element name.
- A field the SCO's SCORM version gives no meaning is refused (422), like a
  bad value, so a repair never silently does less than it was asked.
"""
from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from scormapi.auth.permissions import GrantCache, Permission
from scormapi.cmi.profile import Profile
from scormapi.errors import invalid, not_found
from scormapi.ops import access
from scormapi.ops.attempts import StatusPlace, place_sco, status_place, subject_id
from scormapi.store import attempts, audit
from scormapi.store.models import AuditEvent, CoursewareSco, ScoAttempt, ScoAttemptHistory, utcnow

EDIT_ACTION = "scorm.edit"
SUBJECT_TYPE = "sco_attempt"
# The contract's fields a data model gives meaning to, in the contract's
# order (the order problems are reported in).
SCORM_FIELDS = (
    "lesson_mode", "lesson_status", "lesson_location", "exit_status", "session_time", "total_time", "raw_score",
    "suspend_data", "entry", "preference_language", "preference_speed", "for_credit",
    # Our extension, for SCORM 2004.
    "completion_status", "success_status", "score_scaled", "progress_measure",
)
# Request field -> the attempt's column.
DATE_FIELDS = {"start_date_utc": "started_at", "exit_date_utc": "exited_at"}


def iso_utc(when: datetime | None) -> str | None:
    """ISO 8601 UTC with milliseconds and "Z", as the contract's example."""
    if when is None:
        return None
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class EditRequest:
    """What a repair asks for; a field absent (from ``values`` or ``dates``,
    or None) stays unchanged. ``values`` holds SCORM_FIELDS by JSON value,
    of the JSON type each has (str, number, bool); dates are in UTC."""

    assignment_status_id: uuid.UUID
    sco_id: str
    values: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    title: str | None = None
    dates: Mapping[str, datetime] = dataclasses.field(default_factory=dict)
    reason: str | None = None


@dataclass(frozen=True)
class Problem:
    """A refused field and why, e.g. ("raw_score", "not a valid ...")."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass(frozen=True)
class Change:
    name: str
    old: str | None
    new: str | None

    def to_json(self) -> dict:
        return {"cmi_element_name": self.name, "old_value": self.old, "new_value": self.new}


@dataclass(frozen=True)
class Edited:
    """What an edit changed (nothing: nothing written) and its warnings."""

    changes: list[Change]
    warnings: list[str]


# -- validation ------------------------------------------------------------------


def value_problems(profile: Profile, values: Mapping[str, Any], suspend_data_max: int) -> list[Problem]:
    """Every field of ``values`` the data model refuses, in ``values``'
    order: one without meaning in this version, or a value one of its
    elements does not accept."""
    problems = []
    for name, value in values.items():
        writes = profile.edit_fields.get(name)
        if writes is None:
            problems.append(Problem(name, f"has no meaning in SCORM {profile.version}"))
            continue
        for element, convert in writes:
            try:
                converted = convert(value)
            except ValueError as refused:
                # A field whose words are not the element's (1.2's lesson_status on a 2004 SCO).
                problems.append(Problem(name, str(refused)))
                break
            code = profile.validate_value(element, converted, suspend_data_limit=suspend_data_max)
            if code:
                rule = profile.describe_rule(element, suspend_data_max)
                problems.append(Problem(name, f"not a valid {element} ({rule}): {profile.describe(code)}"))
                break
    return problems


def check_values(
    session: Session, grants: GrantCache, user_id: uuid.UUID, status_id: uuid.UUID, sco_id: str,
    values: Mapping[str, Any], suspend_data_max: int,
) -> list[Problem]:
    """``value_problems`` for the SCO, with the edit's own permission check
    and look-ups and nothing written: for a face that found other faults in
    a request and reports them all at once."""
    target = status_place(session, status_id)
    _may_edit(session, grants, user_id, target)
    place_sco(session, target, sco_id)
    return value_problems(target.profile, values, suspend_data_max)


def _may_edit(session: Session, grants: GrantCache, user_id: uuid.UUID, target: StatusPlace) -> None:
    access.require(session, grants, user_id, Permission.UPDATE_SECTION_ENROLLMENTS, target.org_id, "edit SCORM data",
                   target.org_path)


# -- EditScormData ---------------------------------------------------------------


# The SCO, its current attempt and that attempt's history copy in one
# statement: an edit needs all three and each round trip costs.
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
    """The SCO (ITEM_NOT_FOUND when unknown), its current attempt and the
    attempt's archived copy under the same number (each None when none)."""
    row = session.execute(
        _SCO_ATTEMPT_HISTORY,
        {"status_id": target.status.id, "courseware_id": target.assignment.courseware_id, "sco_id": sco_id},
    ).first()
    if row is None:
        raise not_found("SCO", f"{sco_id!r} of the assignment's courseware")
    return row[0], row[1], row[2]


@dataclass
class _Plan:
    """What one request changes, compared with what is stored."""

    cmi: dict[str, str]
    title: str | None
    dates: dict[str, datetime]
    changes: list[Change]


def _plan(profile: Profile, request: EditRequest, state: dict[str, str], attempt: ScoAttempt | None,
          sco: CoursewareSco) -> _Plan:
    wanted = {element: convert(value) for name, value in request.values.items() if value is not None
              for element, convert in profile.edit_fields[name]}
    cmi = {element: new for element, new in wanted.items() if state.get(element, "") != new}
    changes = [Change(element, state.get(element, ""), new) for element, new in cmi.items()]
    old_title = (attempt.title if attempt is not None else None) or sco.title
    title = request.title if request.title is not None and request.title != old_title else None
    if title is not None:
        changes.append(Change("title", old_title, title))
    dates = {}
    for name, column in DATE_FIELDS.items():
        when = request.dates.get(name)
        old = getattr(attempt, column) if attempt is not None else None
        if when is not None:
            dates[column] = when
            if when != old:
                changes.append(Change(name, iso_utc(old), iso_utc(when)))
    return _Plan(cmi, title, dates, changes)


def _apply(record: ScoAttempt | ScoAttemptHistory, plan: _Plan, suspend_data_max: int, profile: Profile) -> None:
    """Apply to an attempt or its history copy; values were validated already,
    so a refusal here is a bug, reported as such rather than half-applied."""
    state = dict(record.cmi or {})
    for name, value in plan.cmi.items():
        code = profile.set_value(state, name, value, as_lms=True, suspend_data_limit=suspend_data_max)
        if code:
            raise invalid([f"{name}: {profile.describe(code)}"])
    attempts.replace_cmi(record, state, profile)
    if plan.title is not None:
        record.title = plan.title
    for column, when in plan.dates.items():
        setattr(record, column, when)


def _warnings(profile: Profile, plan: _Plan, old: dict[str, str], attempt: ScoAttempt) -> list[str]:
    """The data model's warnings, then the dates' (which are no model's)."""
    found = profile.edit_warnings(old, attempt.cmi)
    dates_changed = any(c.name in DATE_FIELDS for c in plan.changes)
    if dates_changed and attempt.started_at and attempt.exited_at and attempt.exited_at < attempt.started_at:
        found.append("exit_date_utc is before start_date_utc")
    return found


def edit_scorm_data(
    session: Session, grants: GrantCache, user_id: uuid.UUID, request: EditRequest, suspend_data_max: int
) -> Edited:
    """Apply ``request`` to the SCO's current attempt (made from the initial
    values when the learner never opened it) and to its archived copy under
    the same number, roll the assignment status up and record the edit
    (Update Section Enrollments). Checked in this order: the assignment
    status (ITEM_NOT_FOUND), the permission, the SCO (ITEM_NOT_FOUND), the
    values (VALIDATION_ERROR naming every bad field). Run it in
    ``attempts.run_with_retry``: a commit racing it makes it start over."""
    target = status_place(session, request.assignment_status_id, lock=True)
    _may_edit(session, grants, user_id, target)
    sco, attempt, history = load_sco_attempt(session, target, request.sco_id)
    profile = target.profile
    problems = value_problems(profile, {k: v for k, v in request.values.items() if v is not None}, suspend_data_max)
    if problems:
        raise invalid([str(p) for p in problems])
    state = dict(attempt.cmi if attempt is not None else attempts.initial_values(target.learner, sco, profile))
    plan = _plan(profile, request, state, attempt, sco)
    if not plan.changes:
        return Edited([], [])
    if attempt is None:
        attempt = attempts.get_or_create_attempt(session, target.status.id, sco, target.learner)
    _apply(attempt, plan, suspend_data_max, profile)
    attempt.updated_at = utcnow()
    if history is not None:
        _apply(history, plan, suspend_data_max, profile)
    attempts.rollup(session, target.status)
    warnings = _warnings(profile, plan, state, attempt)
    details = {"attempt_number": attempt.attempt_number, "changes": [c.to_json() for c in plan.changes],
               "warnings": warnings}
    audit.record(session, user_id, EDIT_ACTION, SUBJECT_TYPE, subject_id(target.status.id, sco.sco_id), details,
                 request.reason, org_id=target.org_id, subject_user_id=target.learner.id)
    return Edited(plan.changes, warnings)


# -- GetEditHistory --------------------------------------------------------------


@dataclass(frozen=True)
class EditHistory:
    events: list[AuditEvent]
    total: int


def edit_history(
    session: Session, grants: GrantCache, user_id: uuid.UUID, status_id: uuid.UUID, sco_id: str,
    offset: int, limit: int,
) -> EditHistory:
    """The SCO's recorded edits, newest first, ``limit`` from ``offset``
    (View Section Enrollments)."""
    target = status_place(session, status_id)
    access.require(session, grants, user_id, Permission.VIEW_SECTION_ENROLLMENTS, target.org_id, "view CMI data",
                   target.org_path)
    sco = place_sco(session, target, sco_id)
    where = (
        (AuditEvent.subject_type == SUBJECT_TYPE)
        & (AuditEvent.subject_id == subject_id(target.status.id, sco.sco_id))
        & (AuditEvent.action == EDIT_ACTION)
    )
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(where))
    events = session.scalars(
        select(AuditEvent).where(where)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .offset(offset).limit(limit)
    ).all()
    return EditHistory(list(events), total or 0)
