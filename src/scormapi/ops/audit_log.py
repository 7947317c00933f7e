"""Reading the audit trail of an organization tree (GetAuditLog).

Decisions:

- An event belongs to the organization its change was authorized in (a
  section's, a courseware's, a user's owner, a new organization's parent);
  reading an organization's log shows its events and its descendants',
  to holders of View Audit Log there or in an ancestor.
- Events recorded before organizations were kept on them (migration 0005)
  belong to none: only the root organization's log shows them, so only a
  holder of View Audit Log at the root sees them.
- ``since`` is inclusive and ``until`` exclusive, so consecutive windows
  never show an event twice; newest first, ties by id, so pages are stable.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select, true
from sqlalchemy.orm import Session

from scormapi.auth.permissions import GrantCache, Permission
from scormapi.errors import invalid, not_found
from scormapi.ops import access
from scormapi.store.models import AuditEvent, Organization


@dataclass(frozen=True)
class AuditFilter:
    org_id: uuid.UUID
    actor_user_id: uuid.UUID | None = None
    subject_user_id: uuid.UUID | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    total: int


def audit_log(
    session: Session, grants: GrantCache, user_id: uuid.UUID, wanted: AuditFilter, offset: int, limit: int
) -> AuditPage:
    """The events ``wanted`` selects, newest first, ``limit`` from ``offset``."""
    if wanted.since is not None and wanted.until is not None and wanted.since > wanted.until:
        raise invalid(["since: must not be after until"])
    org = session.get(Organization, wanted.org_id)
    if org is None:
        raise not_found("Organization", wanted.org_id)
    access.require(session, grants, user_id, Permission.VIEW_AUDIT_LOG, org.id, "view the audit log", org.path)
    where = _in_tree(org) & _matching(wanted)
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(where))
    events = session.scalars(
        select(AuditEvent).where(where)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .offset(offset).limit(limit)
    ).all()
    return AuditPage(list(events), total or 0)


def _in_tree(org: Organization) -> ColumnElement[bool]:
    """Events of ``org`` and its descendants; the root's log is every event,
    those belonging to no organization included."""
    if org.parent_id is None:
        return true()
    # A descendant's path starts with its ancestor's path and "/"; paths
    # are UUIDs and "/", so nothing in them is a LIKE wildcard.
    tree = select(Organization.id).where((Organization.id == org.id) | Organization.path.like(f"{org.path}/%"))
    return AuditEvent.org_id.in_(tree)


def _matching(wanted: AuditFilter) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if wanted.actor_user_id is not None:
        conditions.append(AuditEvent.actor_user_id == wanted.actor_user_id)
    if wanted.subject_user_id is not None:
        conditions.append(AuditEvent.subject_user_id == wanted.subject_user_id)
    if wanted.since is not None:
        conditions.append(AuditEvent.occurred_at >= wanted.since)
    if wanted.until is not None:
        conditions.append(AuditEvent.occurred_at < wanted.until)
    return and_(true(), *conditions)
