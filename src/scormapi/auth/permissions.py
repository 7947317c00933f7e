"""Named permissions and the organization-tree check.

A grant in an organization applies there and in every descendant. Each
organization stores the ids of its ancestors (``path``), so the check is one
indexed query: is there a grant of this permission to this user in any
organization on the target's path?
"""
from __future__ import annotations

import time
import uuid
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from scormapi.store.models import Organization, PermissionGrant


class Permission(StrEnum):
    VIEW_SECTION_ENROLLMENTS = "View Section Enrollments"
    UPDATE_SECTION_ENROLLMENTS = "Update Section Enrollments"
    MANAGE_USERS = "Manage Users"
    MANAGE_ORGANIZATIONS = "Manage Organizations"
    MANAGE_COURSEWARE = "Manage Courseware"
    MANAGE_SECTIONS = "Manage Sections"
    VIEW_AUDIT_LOG = "View Audit Log"


ALL_PERMISSIONS = tuple(Permission)


def ancestor_ids(path: str) -> list[uuid.UUID]:
    return [uuid.UUID(part) for part in path.split("/")]


class GrantCache:
    """Each user's grants, held for ``ttl`` seconds.

    A revoked grant therefore stops working within ``ttl`` seconds in every
    worker; within one worker, a grant or revoke made there clears the entry
    at once.
    """

    def __init__(self, ttl: float):
        self.ttl = ttl
        self._entries: dict[uuid.UUID, tuple[float, frozenset[tuple[uuid.UUID, str]]]] = {}

    def grants(self, session: Session, user_id: uuid.UUID) -> frozenset[tuple[uuid.UUID, str]]:
        now = time.monotonic()
        hit = self._entries.get(user_id)
        if hit and now - hit[0] < self.ttl:
            return hit[1]
        rows = session.execute(
            select(PermissionGrant.org_id, PermissionGrant.permission).where(
                PermissionGrant.user_id == user_id
            )
        ).all()
        value = frozenset((r.org_id, r.permission) for r in rows)
        self._entries[user_id] = (now, value)
        return value

    def forget(self, user_id: uuid.UUID) -> None:
        self._entries.pop(user_id, None)


def has_permission(
    session: Session, cache: GrantCache, user_id: uuid.UUID, permission: str, org_path: str
) -> bool:
    grants = cache.grants(session, user_id)
    return any((org_id, permission) in grants for org_id in ancestor_ids(org_path))


def org_path(session: Session, org_id: uuid.UUID) -> str | None:
    return session.scalar(select(Organization.path).where(Organization.id == org_id))


def may_see_user(session: Session, cache: GrantCache, caller_id: uuid.UUID, user_id: uuid.UUID, owner_path: str) -> bool:
    """GetUser's rule, the one every answer that names a user follows:
    a user sees themself; anyone else needs Manage Users in the user's own
    organization or an ancestor."""
    return user_id == caller_id or has_permission(session, cache, caller_id, Permission.MANAGE_USERS, owner_path)
