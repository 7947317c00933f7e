"""Organizations, users and permission grants: the data side of AdminApi.

The HTTP layer checks who may do what; these functions only write, so the
command line (``admin create``, ``demo``) and tests share them.
"""
from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scormapi.auth.passwords import hash_password
from scormapi.store.models import Organization, PermissionGrant, User


class LoginTaken(Exception):
    pass


def with_org_path(session: Session, model, ident: uuid.UUID, org_column=None):
    """The row ``ident`` of ``model`` and the path of the organization that
    owns it (``org_column``, by default ``model.org_id``): what every
    permission check needs, in one query. None when there is no such row."""
    owner = model.org_id if org_column is None else org_column
    row = session.execute(
        select(model, Organization.path).join(Organization, Organization.id == owner).where(model.id == ident)
    ).first()
    return (row[0], row[1]) if row else None


def root(session: Session) -> Organization:
    return session.scalars(select(Organization).where(Organization.parent_id.is_(None))).one()


def create_org(session: Session, name: str, parent: Organization, short_name: str = "") -> Organization:
    org_id = uuid.uuid4()
    org = Organization(id=org_id, name=name, short_name=short_name, parent_id=parent.id, path=f"{parent.path}/{org_id}")
    session.add(org)
    return org


def login_taken(session: Session, login: str) -> bool:
    return session.scalar(select(User.id).where(func.lower(User.login) == login.lower())) is not None


def create_user(
    session: Session, login: str, password: str, owner: Organization, first_name: str = "", last_name: str = ""
) -> User:
    """A new user; LoginTaken when the login exists (compared case-insensitively)."""
    if login_taken(session, login):
        raise LoginTaken(login)
    user = User(
        id=uuid.uuid4(),
        login=login,
        password_hash=hash_password(password),
        first_name=first_name,
        last_name=last_name,
        owner_org_id=owner.id,
    )
    session.add(user)
    return user


def grant(session: Session, user_id: uuid.UUID, org_id: uuid.UUID, permission: str, by: uuid.UUID | None = None) -> bool:
    """Grant once; False when the grant already existed."""
    exists = session.scalar(
        select(PermissionGrant.id).where(
            PermissionGrant.user_id == user_id, PermissionGrant.org_id == org_id, PermissionGrant.permission == permission
        )
    )
    if exists is None:
        session.add(PermissionGrant(user_id=user_id, org_id=org_id, permission=permission, granted_by=by))
    return exists is None


def revoke(session: Session, user_id: uuid.UUID, org_id: uuid.UUID, permission: str) -> bool:
    """Remove a grant; False when there was none."""
    found = session.scalar(
        select(PermissionGrant).where(
            PermissionGrant.user_id == user_id, PermissionGrant.org_id == org_id, PermissionGrant.permission == permission
        )
    )
    if found is not None:
        session.delete(found)
    return found is not None
