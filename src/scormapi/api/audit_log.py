"""AdminApi/GetAuditLog: an organization tree's audit trail, newest first,
paged (our extension). The rules are in ops/audit_log.py."""
from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, Request

from scormapi.api.deps import TokenFirst, caller, services
from scormapi.api.pagination import page_of
from scormapi.api.response_models import PROTECTED, AuditEventItem, answers
from scormapi.api.responses import json_response
from scormapi.api.schemas import Body, ZonedDate
from scormapi.api.scorm import OK_ENTITY, iso_utc
from scormapi.ops.audit_log import AuditFilter, audit_log
from scormapi.store.models import AuditEvent

router = APIRouter(prefix="/api/v1/AdminApi", tags=["AdminApi"], route_class=TokenFirst)

# An event may hold a deleted attempt's whole CMI data: a page is bounded
# at this many events.
MAX_EVENTS_PER_PAGE = 100

# ISO 8601 text with its zone: a time without one names no instant.


class AuditLogBody(Body):
    org_id: uuid.UUID
    actor_user_id: uuid.UUID | None = None
    subject_user_id: uuid.UUID | None = None
    since: ZonedDate | None = None
    until: ZonedDate | None = None


def event_item(event: AuditEvent) -> dict:
    return {
        "event_id": event.id,
        "occurred_at": iso_utc(event.occurred_at),
        "action": event.action,
        "actor_user_id": event.actor_user_id,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "subject_user_id": event.subject_user_id,
        "org_id": event.org_id,
        "reason": event.reason,
        "details": event.details or {},
        "api_error_entity": OK_ENTITY,
    }


@router.post("/GetAuditLog", responses=answers(list[AuditEventItem], *PROTECTED, paged=True))
def get_audit_log(
    body: AuditLogBody, request: Request, page: int | None = Query(None), per_page: int | None = Query(None)
):
    """The audit events of an organization and its descendants, newest first."""
    svc = services(request)
    paging = page_of(page, per_page, max_per_page=MAX_EVENTS_PER_PAGE)
    wanted = AuditFilter(body.org_id, body.actor_user_id, body.subject_user_id, body.since, body.until)
    with svc.db.read() as session:
        me = caller(request, session)
        found = audit_log(session, svc.grants, me.user_id, wanted, paging.offset, paging.per_page)
        items = [event_item(e) for e in found.events]
    return json_response(items, headers=paging.headers(found.total))
