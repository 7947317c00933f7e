"""Users and their permissions: creating a user, granting and revoking,
for AdminApi and ``scormapi admin create`` alike.

``actor`` None is the operator at the command line, who is trusted with
the whole installation; anyone else is checked: Manage Users in the
organization, and to grant or revoke a permission, that permission too (no
one hands out more than they hold).
"""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scormapi.auth.permissions import ALL_PERMISSIONS, GrantCache, Permission, may_see_user
from scormapi.errors import ErrorCode, ServiceError, invalid, not_authorized, not_found
from scormapi.ops import access
from scormapi.store import audit, directory
from scormapi.store.models import Organization, PermissionGrant, User

# Users listed at once on one organization's page.
USERS_LIMIT = 500


def load_org(session: Session, org_id: uuid.UUID) -> Organization:
    org = session.get(Organization, org_id)
    if org is None:
        raise not_found("Organization", org_id)
    return org


def visible_user(session: Session, grants: GrantCache, actor: uuid.UUID, user_id: uuid.UUID) -> User:
    """The user, if ``actor`` may see them (``may_see_user``): ITEM_NOT_FOUND
    when unknown, NOT_AUTHORIZED otherwise."""
    found = directory.with_org_path(session, User, user_id, User.owner_org_id)
    if found is None:
        raise not_found("User", user_id)
    user, owner_path = found
    if not may_see_user(session, grants, actor, user.id, owner_path):
        raise not_authorized("view this user")
    return user


def users_of(session: Session, grants: GrantCache, actor: uuid.UUID, org: Organization) -> list[User]:
    """The users ``org`` owns (not its descendants'), by login, the first
    USERS_LIMIT (Manage Users)."""
    access.require(session, grants, actor, Permission.MANAGE_USERS, org.id, "manage users", org.path)
    return list(session.scalars(
        select(User).where(User.owner_org_id == org.id).order_by(User.login).limit(USERS_LIMIT)))


def grants_of(session: Session, grants: GrantCache, actor: uuid.UUID, user_id: uuid.UUID,
              within: list[Organization]) -> list[tuple[str, Organization]]:
    """The user's grants in the organizations of ``within`` (those the
    actor manages users in), by organization path and permission."""
    visible_user(session, grants, actor, user_id)
    orgs = {org.id: org for org in within}
    rows = session.execute(select(PermissionGrant.permission, PermissionGrant.org_id)
                           .where(PermissionGrant.user_id == user_id)).all()
    held = [(permission, orgs[org_id]) for permission, org_id in rows if org_id in orgs]
    return sorted(held, key=lambda pair: (pair[1].path, pair[0]))


def create_user(
    session: Session, grants: GrantCache | None, actor: uuid.UUID | None, login: str, password: str,
    owner: Organization, first_name: str = "", last_name: str = "", *, via: str | None = None,
) -> User:
    """A new user owned by ``owner``, audited; ALREADY_EXISTS when the login is taken."""
    if not login.strip() or any(ch.isspace() for ch in login):
        raise invalid(["login: must be non-empty and without whitespace"])
    if actor is not None:
        access.require(session, grants, actor, Permission.MANAGE_USERS, owner.id, "manage users", owner.path)
    try:
        user = directory.create_user(session, login, password, owner, first_name, last_name)
        session.flush()
    except (directory.LoginTaken, IntegrityError):
        raise ServiceError(ErrorCode.ALREADY_EXISTS, f"Login {login!r} is already taken") from None
    details = {"login": user.login, "owner_org_id": str(owner.id), **({"via": via} if via else {})}
    audit.record(session, actor, "user.create", "user", str(user.id), details, org_id=owner.id, subject_user_id=user.id)
    return user


def _may_grant(session: Session, grants: GrantCache | None, actor: uuid.UUID | None, user_id: uuid.UUID,
               org: Organization, permission: str) -> None:
    if session.get(User, user_id) is None:
        raise not_found("User", user_id)
    if actor is None:
        return
    access.require(session, grants, actor, Permission.MANAGE_USERS, org.id, "manage users", org.path)
    access.require(session, grants, actor, permission, org.id, f"grant {permission!r}", org.path)


def grant(session: Session, grants: GrantCache | None, actor: uuid.UUID | None, user_id: uuid.UUID,
          org: Organization, permission: str) -> bool:
    """Grant ``permission`` in ``org``, audited; False when it was held already."""
    _may_grant(session, grants, actor, user_id, org, permission)
    if not directory.grant(session, user_id, org.id, permission, actor):
        return False
    audit.record(session, actor, "permission.grant", "user", str(user_id), {"org_id": str(org.id), "permission": permission},
                 org_id=org.id, subject_user_id=user_id)
    return True


def revoke(session: Session, grants: GrantCache | None, actor: uuid.UUID | None, user_id: uuid.UUID,
           org: Organization, permission: str) -> None:
    """Revoke ``permission`` in ``org``, audited; ITEM_NOT_FOUND when it was not held."""
    _may_grant(session, grants, actor, user_id, org, permission)
    if not directory.revoke(session, user_id, org.id, permission):
        raise not_found("Permission grant", f"{permission!r} for user {user_id} in {org.id}")
    audit.record(session, actor, "permission.revoke", "user", str(user_id), {"org_id": str(org.id), "permission": permission},
                 org_id=org.id, subject_user_id=user_id)


def create_admin(session: Session, login: str, password: str) -> User:
    """A user at the root holding every permission there: the operator's
    first account (``scormapi admin create``, the demo)."""
    root = directory.root(session)
    user = create_user(session, None, None, login, password, root, via="cli admin create")
    for permission in ALL_PERMISSIONS:
        grant(session, None, None, user.id, root, str(permission))
    return user
