"""Recording administrative changes."""
from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from scormapi.store.models import AuditEvent


def record(
    session: Session,
    actor: uuid.UUID | None,
    action: str,
    subject_type: str,
    subject_id: str,
    details: dict | None = None,
    reason: str | None = None,
    *,
    org_id: uuid.UUID | None,
    subject_user_id: uuid.UUID | None,
) -> AuditEvent:
    """Add one event to the session (committed with the change it records).

    ``org_id`` is the organization the change belongs to, the one its
    permission was checked in, and ``subject_user_id`` the user it is about
    (None when it is about no user): both are required so that no caller can
    leave an event out of GetAuditLog by forgetting them.
    """
    event = AuditEvent(
        actor_user_id=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details or {},
        reason=reason,
        org_id=org_id,
        subject_user_id=subject_user_id,
    )
    session.add(event)
    return event
