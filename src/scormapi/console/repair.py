"""The repair form: which EditScormData fields it offers for a SCO, how a
submitted form becomes an ``ops.edits.EditRequest``, and the preview of
an edit before it is saved.

The form only turns text into the JSON types the API receives (a number,
a whole number, true or false, a date in UTC); every SCORM rule is the operation's
(``ops.edits.check_values``), and so are the warnings: the preview runs
``edit_scorm_data`` itself in a transaction that is rolled back.
"""
from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from scormapi.auth.permissions import GrantCache
from scormapi.cmi.profile import Profile
from scormapi.ops import edits
from scormapi.store.db import Database
from scormapi.store.models import CoursewareSco, ScoAttempt

NUMBER_FIELDS = frozenset({"raw_score", "score_scaled", "progress_measure"})
WHOLE_FIELDS = frozenset({"preference_speed"})
CHOICE_FIELDS = {"for_credit": {"credit": True, "no-credit": False}}
REASON_MAX = 1000
TITLE_MAX = 255
# The attempt's own fields (not the data model's), after the data model's.
ATTEMPT_LABELS = {"title": "Title", "start_date_utc": "Start date (UTC)", "exit_date_utc": "Exit date (UTC)"}
LABELS = {
    "lesson_mode": "Lesson mode", "lesson_status": "Lesson status", "lesson_location": "Lesson location",
    "exit_status": "Exit", "session_time": "Session time", "total_time": "Total time", "raw_score": "Raw score",
    "suspend_data": "Suspend data", "entry": "Entry", "preference_language": "Preferred language",
    "preference_speed": "Preferred speed", "for_credit": "Credit", "completion_status": "Completion status",
    "success_status": "Success status", "score_scaled": "Scaled score", "progress_measure": "Progress measure",
}


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str  # "text", "number", "choice", "long" or "datetime"
    elements: tuple[str, ...]  # what it writes, for the hint
    current: str


def form_fields(profile: Profile, state: Mapping[str, str]) -> list[FormField]:
    """The fields the SCO's data model gives meaning to, in the contract's
    order, each with the stored value(s) it would replace."""
    found = []
    for name in edits.SCORM_FIELDS:
        writes = profile.edit_fields.get(name)
        if writes is None:
            continue
        elements = tuple(element for element, _ in writes)
        current = " / ".join(state.get(element, "") for element in elements)
        found.append(FormField(name, LABELS.get(name, name), _kind(name), elements, current))
    return found


def attempt_fields(sco: CoursewareSco | None, attempt: ScoAttempt | None) -> list[FormField]:
    """The title and dates of the current attempt, each under the name the
    changes and the audit record give it; the dates as stored, in UTC."""
    title = (attempt.title if attempt is not None else None) or (sco.title if sco is not None else "")
    found = [FormField("title", ATTEMPT_LABELS["title"], "text", ("title",), title)]
    for name, column in edits.DATE_FIELDS.items():
        stored = edits.iso_utc(getattr(attempt, column)) if attempt is not None else None
        found.append(FormField(name, ATTEMPT_LABELS[name], "datetime", (name,), stored or ""))
    return found


def _kind(name: str) -> str:
    if name in CHOICE_FIELDS:
        return "choice"
    if name == "suspend_data":
        return "long"
    return "number" if name in NUMBER_FIELDS | WHOLE_FIELDS else "text"


@dataclass(frozen=True)
class Submitted:
    """A repair form as sent: the typed values (data model, title, dates),
    the reason, and what the form itself could not read (field -> message)."""

    values: dict[str, object]
    reason: str
    problems: dict[str, str]
    title: str | None = None
    dates: dict[str, datetime] = field(default_factory=dict)

    def request(self, status_id: uuid.UUID, sco_id: str) -> edits.EditRequest:
        return edits.EditRequest(status_id, sco_id, self.values, self.title, self.dates, self.reason)


def read_form(fields: list[FormField], form: Mapping[str, str]) -> Submitted:
    """A blank field leaves its element unchanged."""
    values: dict[str, object] = {}
    problems: dict[str, str] = {}
    for spec in fields:
        text = form.get(spec.name, "")
        if text == "":
            continue
        try:
            values[spec.name] = _typed(spec.name, text)
        except ValueError as exc:
            problems[spec.name] = str(exc)
    title = values.pop("title", None)
    dates = {name: values.pop(name) for name in edits.DATE_FIELDS if name in values}
    reason = form.get("reason", "").strip()
    if not reason:
        problems["reason"] = "A reason is required: say why the record is repaired."
    elif len(reason) > REASON_MAX:
        problems["reason"] = f"At most {REASON_MAX} characters."
    return Submitted(values, reason, problems, title, dates)


def _typed(name: str, text: str) -> object:
    if name == "title":
        if len(text) > TITLE_MAX:
            raise ValueError(f"At most {TITLE_MAX} characters.")
        return text
    if name in edits.DATE_FIELDS:
        return utc_moment(text)
    if name in CHOICE_FIELDS:
        if text not in CHOICE_FIELDS[name]:
            raise ValueError(f"Choose one of: {', '.join(CHOICE_FIELDS[name])}.")
        return CHOICE_FIELDS[name][text]
    if name in WHOLE_FIELDS:
        try:
            return int(text.strip())
        except ValueError:
            raise ValueError("must be a whole number") from None
    if name in NUMBER_FIELDS:
        try:
            number = float(text.strip())
        except ValueError:
            raise ValueError("must be a number") from None
        if not math.isfinite(number):
            raise ValueError("must be a finite number")
        return number
    return text


def utc_moment(text: str) -> datetime:
    """A ``datetime-local`` value (2026-03-01T09:30, seconds optional) read
    as UTC; one naming its own offset is taken at that offset."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("Give a date and time as YYYY-MM-DDTHH:MM, in UTC.") from None
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    try:
        return when.astimezone(UTC)
    except OverflowError:
        raise ValueError("This date and time is out of range in UTC.") from None


def problems_by_field(found: list[edits.Problem]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for problem in found:
        merged[problem.field] = f"{merged[problem.field]}; {problem.message}" if problem.field in merged else problem.message
    return merged


class _RolledBack(Exception):
    def __init__(self, edited: edits.Edited):
        self.edited = edited


def preview(db: Database, grants: GrantCache, user_id: uuid.UUID, request: edits.EditRequest,
            suspend_data_max: int) -> edits.Edited:
    """What the edit would change and warn about, by the operation itself,
    with nothing kept: raising out of the transaction rolls it back."""
    try:
        with db.write() as session:
            raise _RolledBack(edits.edit_scorm_data(session, grants, user_id, request, suspend_data_max))
    except _RolledBack as done:
        return done.edited


def check(session: Session, grants: GrantCache, user_id: uuid.UUID, status_id: uuid.UUID, sco_id: str,
          submitted: Submitted, suspend_data_max: int) -> dict[str, str]:
    """Every problem of the form: its own, then the data model's for the
    fields it could read (``ops.edits.check_values``)."""
    found = edits.check_values(session, grants, user_id, status_id, sco_id, submitted.values, suspend_data_max)
    return {**problems_by_field(found), **submitted.problems}
