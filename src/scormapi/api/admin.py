"""AdminApi: tokens, organizations, users and permission grants."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from fastapi import APIRouter, Query, Request
from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scormapi.api.deps import TokenFirst, caller, public, require, services, visible_user
from scormapi.api.docs import PUBLIC
from scormapi.api.pagination import page_of
from scormapi.api.response_models import (
    PROTECTED,
    AuthenticateResponse,
    OkResponse,
    OrganizationItem,
    UserItem,
    ValidateAccessTokenResponse,
    answers,
)
from scormapi.api.responses import json_response, ok
from scormapi.api.schemas import Body, Name, Str
from scormapi.auth.permissions import ALL_PERMISSIONS, Permission, has_permission
from scormapi.auth.signin import BadCredentials, Throttled, check_credentials
from scormapi.auth.tokens import issue_token
from scormapi.errors import (
    HTTP_STATUS,
    ErrorCode,
    ServiceError,
    invalid,
    not_authorized,
    not_found,
    unauthenticated,
)
from scormapi.ops import users
from scormapi.store import audit, directory
from scormapi.store.models import Organization, User, utcnow

router = APIRouter(prefix="/api/v1/AdminApi", tags=["AdminApi"], route_class=TokenFirst)

class AuthenticateBody(Body):
    username: Str = Field(max_length=255)
    password: Str = Field(max_length=1024)
    grant_type: Str
    scope: Str | None = None
    utc_expiration_date: datetime | None = None


@router.post("/Authenticate", responses=answers(AuthenticateResponse, 403, 413, 422), openapi_extra=PUBLIC)
@public
def authenticate(body: AuthenticateBody, request: Request):
    if body.grant_type != "password":
        raise invalid(['grant_type: must be "password"'])
    svc = services(request)
    s = svc.settings
    expires_at, server_chose = _expiry(body, s.token_lifetime_seconds)
    address = request.client.host if request.client else None
    try:
        user_id = check_credentials(svc.db, s, body.username, body.password, address)
    except Throttled:
        raise ServiceError(ErrorCode.TOO_MANY_ATTEMPTS, "Unable to authenticate: too many failed attempts, try again later") from None
    except BadCredentials:
        raise unauthenticated() from None
    with svc.db.write() as session:
        token = issue_token(session, user_id, expires_at)
    payload: dict = {"access_token": token, "token_type": "bearer"}
    if server_chose:
        payload["expires_in"] = s.token_lifetime_seconds
    return ok(payload)


def _expiry(body: AuthenticateBody, lifetime: int) -> tuple[datetime | None, bool]:
    """(expiry, whether the server chose it). Absent: server's lifetime; null: never."""
    if "utc_expiration_date" not in body.model_fields_set:
        return utcnow() + timedelta(seconds=lifetime), True
    when = body.utc_expiration_date
    if when is None:
        return None, False
    if when.tzinfo is None:
        when = when.replace(tzinfo=utcnow().tzinfo)
    if when <= utcnow():
        raise invalid(["utc_expiration_date: must be in the future"])
    return when, False


@router.get(
    "/ValidateAccessToken",
    # 422: an address whose query decodes to NUL (web/address.py), as for every route.
    responses=answers(ValidateAccessTokenResponse, 403, 422, bodies={403: ValidateAccessTokenResponse}),
)
@public  # answers a bad token with its own body shape
def validate_access_token(request: Request):
    svc = services(request)
    with svc.db.read() as session:
        try:
            principal = caller(request, session)
        except ServiceError as exc:
            body = {"utc_expiration_date": None, "error_message": exc.message, **exc.body()}
            return json_response(body, HTTP_STATUS[exc.code])
    return ok({"utc_expiration_date": principal.expires_at, "error_message": None})


# -- organizations ---------------------------------------------------------


class CreateOrganizationBody(Body):
    name: Name
    short_name: Str = Field(default="", max_length=64)
    parent_org_id: uuid.UUID | None = None


def org_item(org: Organization) -> dict:
    return {
        "org_id": org.id,
        "name": org.name,
        "short_name": org.short_name,
        "parent_org_id": org.parent_id,
    }


def load_org(session: Session, org_id: uuid.UUID | None) -> Organization:
    """The organization, or the root when ``org_id`` is None; 409 when unknown."""
    if org_id is None:
        return directory.root(session)
    org = session.get(Organization, org_id)
    if org is None:
        raise not_found("Organization", org_id)
    return org


@router.post("/CreateOrganization", responses=answers(OrganizationItem, *PROTECTED))
def create_organization(body: CreateOrganizationBody, request: Request):
    svc = services(request)
    with svc.db.write() as session:
        me = caller(request, session)
        parent = load_org(session, body.parent_org_id)
        require(request, session, me, Permission.MANAGE_ORGANIZATIONS, parent.id, "manage organizations", parent.path)
        org = directory.create_org(session, body.name, parent, body.short_name)
        audit.record(session, me.user_id, "organization.create", "organization", str(org.id), {"name": body.name, "parent_org_id": str(parent.id)},
                     org_id=parent.id, subject_user_id=None)
    return ok(org_item(org))


class GetOrganizationsBody(Body):
    parent_org_id: uuid.UUID | None = None


@router.post("/GetOrganizations", responses=answers(list[OrganizationItem], *PROTECTED, paged=True))
def get_organizations(
    body: GetOrganizationsBody, request: Request, page: int | None = Query(None), per_page: int | None = Query(None)
):
    """The children of an organization (of the root when none is named).

    Any permission held in the organization or an ancestor allows the listing.
    """
    svc = services(request)
    paging = page_of(page, per_page)
    with svc.db.read() as session:
        me = caller(request, session)
        parent = load_org(session, body.parent_org_id)
        if not any(has_permission(session, svc.grants, me.user_id, p, parent.path) for p in ALL_PERMISSIONS):
            raise not_authorized("view organizations")
        where = Organization.parent_id == parent.id
        total = session.scalar(select(func.count()).select_from(Organization).where(where))
        orgs = session.scalars(
            select(Organization).where(where).order_by(Organization.name, Organization.id).offset(paging.offset).limit(paging.per_page)
        ).all()
    items = [{**org_item(o), "api_error_entity": {"error_code": 0, "warning_messages": []}} for o in orgs]
    return json_response(items, headers=paging.headers(total))


# -- users -------------------------------------------------------------------


class CreateUserBody(Body):
    login: Name
    password: Str = Field(min_length=8, max_length=1024)
    first_name: Str = Field(default="", max_length=255)
    last_name: Str = Field(default="", max_length=255)
    owner_org_id: uuid.UUID | None = None


def user_item(user: User) -> dict:
    return {
        "user_id": user.id,
        "login": user.login,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "owner_org_id": user.owner_org_id,
    }


@router.post("/CreateUser", responses=answers(UserItem, *PROTECTED))
def create_user(body: CreateUserBody, request: Request):
    svc = services(request)
    with svc.db.write() as session:
        me = caller(request, session)
        owner = load_org(session, body.owner_org_id)
        user = users.create_user(session, svc.grants, me.user_id, body.login, body.password, owner,
                                 body.first_name, body.last_name)
    return ok(user_item(user))


class UserRef(Body):
    user_id: uuid.UUID


@router.post("/GetUser", responses=answers(UserItem, *PROTECTED))
def get_user(body: UserRef, request: Request):
    svc = services(request)
    with svc.db.read() as session:
        me = caller(request, session)
        user = visible_user(request, session, me, body.user_id)
    return ok(user_item(user))



# -- permissions ---------------------------------------------------------------


class GrantBody(Body):
    user_id: uuid.UUID
    org_id: uuid.UUID
    permission: Permission


@router.post("/GrantPermission", responses=answers(OkResponse, *PROTECTED))
def grant_permission(body: GrantBody, request: Request):
    svc = services(request)
    with svc.db.write() as session:
        me = caller(request, session)
        users.grant(session, svc.grants, me.user_id, body.user_id, load_org(session, body.org_id), body.permission)
    svc.grants.forget(body.user_id)
    return ok()


@router.post("/RevokePermission", responses=answers(OkResponse, *PROTECTED))
def revoke_permission(body: GrantBody, request: Request):
    svc = services(request)
    with svc.db.write() as session:
        me = caller(request, session)
        users.revoke(session, svc.grants, me.user_id, body.user_id, load_org(session, body.org_id), body.permission)
    svc.grants.forget(body.user_id)
    return ok()


