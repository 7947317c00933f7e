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
) -> AuditEvent:
    event = AuditEvent(
        actor_user_id=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details or {},
        reason=reason,
    )
    session.add(event)
    return event
