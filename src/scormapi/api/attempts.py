"""ScormApi: every attempt of one SCO (GetAttemptHistory) and an
administrator's reset of the current one (ResetScormAttempt), our
extensions. The rules are in ops/attempts.py; this module parses and renders."""
from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, Request
from pydantic import Field

from scormapi.api.deps import TokenFirst, caller, services
from scormapi.api.pagination import page_of
from scormapi.api.response_models import PROTECTED, AttemptHistoryItem, ResetAttemptResponse, answers
from scormapi.api.responses import json_response, ok
from scormapi.api.schemas import Body, Name, Str
from scormapi.api.scorm import MAX_ELEMENT_NAMES, MAX_PAGE_VALUES, ElementName, iso_utc
from scormapi.cmi.scorm12.timespan import format_timespan
from scormapi.errors import envelope
from scormapi.ops import attempts as attempt_ops
from scormapi.store.attempts import run_with_retry

router = APIRouter(prefix="/api/v1/ScormApi", tags=["ScormApi"], route_class=TokenFirst)

# A page of history holds at most this many attempts, fewer when many
# element names are asked for (the same bound on values as GetCmiData).
MAX_ATTEMPTS_PER_PAGE = 100


class AttemptHistoryBody(Body):
    assignment_status_id: uuid.UUID
    sco_id: Name
    cmi_element_names: list[ElementName] = Field(default_factory=list, max_length=MAX_ELEMENT_NAMES)


def attempt_item(record: attempt_ops.AttemptRecord) -> dict:
    warnings = [v.warning for v in record.cmi_values if v.warning]
    return {
        "attempt_number": record.attempt_number,
        "current": record.current,
        "started_at": iso_utc(record.started_at),
        "exited_at": iso_utc(record.exited_at),
        "lesson_status": record.lesson_status,
        "completion_status": record.completion_status,
        "success_status": record.success_status,
        "score_raw": record.score_raw,
        "score_scaled": record.score_scaled,
        # As GetAssignmentStatus shows time: centiseconds, CMITimespan.
        "total_time": format_timespan(round(record.total_seconds * 100)),
        "counted": record.counted,
        "cmi_fields": [
            {"cmi_element_name": v.name, "cmi_element_value": v.value, "error_message": v.error_message}
            for v in record.cmi_values
        ],
        "api_error_entity": envelope(0, None, warnings),
    }


@router.post("/GetAttemptHistory", responses=answers(list[AttemptHistoryItem], *PROTECTED, paged=True))
def get_attempt_history(
    body: AttemptHistoryBody, request: Request, page: int | None = Query(None), per_page: int | None = Query(None)
):
    """Every attempt of one SCO, current and archived, newest first, with the requested CMI values."""
    svc = services(request)
    bound = min(MAX_ATTEMPTS_PER_PAGE, max(1, MAX_PAGE_VALUES // max(1, len(body.cmi_element_names))))
    paging = page_of(page, per_page, max_per_page=bound)
    with svc.db.read() as session:
        me = caller(request, session)
        found = attempt_ops.attempt_history(
            session, svc.grants, me.user_id, body.assignment_status_id, body.sco_id, body.cmi_element_names,
            paging.offset, paging.per_page,
        )
    return json_response([attempt_item(r) for r in found.attempts], headers=paging.headers(found.total))


class ResetAttemptBody(Body):
    assignment_status_id: uuid.UUID
    sco_id: Name
    # Why the attempt was reset, kept in the audit trail.
    reason: Str | None = Field(default=None, max_length=1000)


@router.post("/ResetScormAttempt", responses=answers(ResetAttemptResponse, *PROTECTED))
def reset_scorm_attempt(body: ResetAttemptBody, request: Request):
    """File the SCO's current attempt in history and start a fresh one, audited."""
    svc = services(request)

    def reset(session):
        me = caller(request, session)
        return attempt_ops.reset_attempt(
            session, svc.grants, me.user_id, body.assignment_status_id, body.sco_id, body.reason
        )

    done = run_with_retry(svc.db, reset)
    return ok({"assignment_status_id": done.assignment_status_id, "sco_id": done.sco_id,
               "attempt_number": done.attempt_number})
