"""Who may do what: the one permission check every operation makes."""
from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from scormapi.auth.permissions import GrantCache, has_permission, org_path
from scormapi.errors import not_authorized


def require(
    session: Session,
    grants: GrantCache,
    user_id: uuid.UUID,
    permission: str,
    org_id: uuid.UUID,
    what: str,
    path: str | None = None,
) -> None:
    """NOT_AUTHORIZED ("Not authorized to {what}") unless the user holds
    ``permission`` in ``org_id`` or an ancestor. ``path`` is the
    organization's path when the caller has it already (saves a query)."""
    path = path or org_path(session, org_id)
    if path is None or not has_permission(session, grants, user_id, permission, path):
        raise not_authorized(what)
