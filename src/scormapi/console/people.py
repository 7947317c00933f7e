"""The console's users pages: people of an organization, creating one, granting and revoking permissions (ops.users).

The organizations offered are those where the user holds Manage Users
(directly or through an ancestor); what may be granted where is decided by
``ops.users`` and its refusals are shown with its messages.
"""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from scormapi.api.deps import services
from scormapi.auth.permissions import ALL_PERMISSIONS, Permission
from scormapi.console.forms import Chosen, FormState, choose_org, read_in_org
from scormapi.console.gate import Admin, poster_of, refused, shown_to_admin
from scormapi.console.rendering import page
from scormapi.errors import ErrorCode, ServiceError
from scormapi.ops import users as user_ops
from scormapi.store.models import Organization

router = APIRouter(prefix="/admin", include_in_schema=False)

NAME_MAX = 255
PASSWORD_MIN, PASSWORD_MAX = 8, 1024
NOTICES = {"created": "The user was created.", "granted": "The permission was granted.",
           "held": "Nothing changed: the user held that permission there already.",
           "revoked": "The permission was revoked."}


# -- an organization's users -----------------------------------------------------------


@router.get("/users", name="console_users")
def users(request: Request, org: uuid.UUID | None = None, done: str = ""):
    return shown_to_admin(request, lambda admin: users_page(request, admin, org, FormState(), notice=NOTICES.get(done)))


def users_page(request: Request, admin: Admin, org_id: uuid.UUID | None, form: FormState, status: int = 200,
               notice: str | None = None) -> Response:
    grants = services(request).grants
    found = read_in_org(request, admin, Permission.MANAGE_USERS, org_id,
                        lambda session, org: user_ops.users_of(session, grants, admin.user_id, org))
    if isinstance(found, Response):
        return found
    chosen, listed = found
    form.values.setdefault("org", str(chosen.org.id))
    context = {"admin": admin, "orgs": chosen.orgs, "chosen": chosen.org, "users": listed, "form": form,
               "limit": user_ops.USERS_LIMIT, "org_choices": chosen.choices(), "notice": notice}
    return page(request, "people_users.html", context, status)


def user_problems(values: dict[str, str]) -> dict[str, str]:
    """What the create form's fields lack, before ops.users sees them."""
    problems = {}
    login = values["login"]
    if not login or any(ch.isspace() for ch in login) or len(login) > NAME_MAX:
        problems["login"] = f"Give a login of 1 to {NAME_MAX} characters, without spaces."
    for name in ("first_name", "last_name"):
        if len(values[name]) > NAME_MAX:
            problems[name] = f"At most {NAME_MAX} characters."
    if not PASSWORD_MIN <= len(values["password"]) <= PASSWORD_MAX:
        problems["password"] = f"Give a password of {PASSWORD_MIN} to {PASSWORD_MAX} characters."
    return problems


@router.post("/users", name="console_create_user")
def create_user(
    request: Request,
    login: Annotated[str, Form()] = "",
    first_name: Annotated[str, Form()] = "",
    last_name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    org: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
):
    """ops.users.create_user in the chosen organization; the page again with
    the problems beside their fields, or the new user's page."""
    admin = poster_of(request, csrf_token)
    if not isinstance(admin, Admin):
        return admin
    values = {"login": login.strip(), "first_name": first_name.strip(), "last_name": last_name.strip(),
              "password": password, "org": org}
    form = FormState({k: v for k, v in values.items() if k != "password"}, user_problems(values))
    org_id = form.org_id()
    if form.problems:
        return users_page(request, admin, org_id, form, 422)
    svc = services(request)
    try:
        with svc.db.write() as session:
            owner = user_ops.load_org(session, org_id)
            user = user_ops.create_user(session, svc.grants, admin.user_id, values["login"], password, owner,
                                        values["first_name"], values["last_name"])
    except ServiceError as exc:
        if exc.code in (ErrorCode.ALREADY_EXISTS, ErrorCode.VALIDATION_ERROR):
            form.problems["login"] = exc.message
            return users_page(request, admin, org_id, form, 422)
        return refused(request, admin, exc)
    return RedirectResponse(f"/admin/users/{user.id}?done=created", status_code=303)


# -- one user and their grants ---------------------------------------------------------


@router.get("/users/{user_id}", name="console_user")
def user(request: Request, user_id: uuid.UUID, done: str = ""):
    return shown_to_admin(request, lambda admin: user_page(request, admin, user_id, FormState(), notice=NOTICES.get(done)))


def user_page(request: Request, admin: Admin, user_id: uuid.UUID, form: FormState, status: int = 200,
              notice: str | None = None) -> Response:
    svc = services(request)
    try:
        with svc.db.read() as session:
            chosen = choose_org(request, admin, session, Permission.MANAGE_USERS, None)
            if not isinstance(chosen, Chosen):
                return chosen
            found = user_ops.visible_user(session, svc.grants, admin.user_id, user_id)
            held = user_ops.grants_of(session, svc.grants, admin.user_id, user_id, chosen.orgs)
            owner = session.get(Organization, found.owner_org_id)
    except ServiceError as exc:
        return refused(request, admin, exc)
    # Only what the user holds may be handed out: the others are not offered.
    offered = [(str(p), str(p)) for p in ALL_PERMISSIONS if admin.holds(p)]
    context = {"admin": admin, "user": found, "owner": owner, "held": held, "form": form, "notice": notice,
               "permission_choices": offered, "org_choices": chosen.choices()}
    return page(request, "people_user.html", context, status)


def grant_problems(permission: str) -> dict[str, str]:
    if permission not in {str(p) for p in ALL_PERMISSIONS}:
        return {"permission": "Choose one of the permissions listed."}
    return {}


def change_grant(request: Request, user_id: uuid.UUID, permission: str, org: str, csrf_token: str,
                 change) -> Response:
    """The grant and revoke forms: checked, then ``change`` (ops.users.grant or
    revoke) run; it answers which notice the user's page shows."""
    admin = poster_of(request, csrf_token)
    if not isinstance(admin, Admin):
        return admin
    form = FormState({"permission": permission, "org": org}, grant_problems(permission))
    org_id = form.org_id()
    if form.problems:
        return user_page(request, admin, user_id, form, 422)
    svc = services(request)
    try:
        with svc.db.write() as session:
            done = change(session, svc.grants, admin.user_id, user_id, user_ops.load_org(session, org_id), permission)
    except ServiceError as exc:
        return refused(request, admin, exc)
    svc.grants.forget(user_id)
    return RedirectResponse(f"/admin/users/{user_id}?done={done}", status_code=303)


def _grant(session, grants, actor, user_id, org, permission) -> str:
    return "granted" if user_ops.grant(session, grants, actor, user_id, org, permission) else "held"


def _revoke(session, grants, actor, user_id, org, permission) -> str:
    user_ops.revoke(session, grants, actor, user_id, org, permission)
    return "revoked"


@router.post("/users/{user_id}/grant", name="console_grant")
def grant(request: Request, user_id: uuid.UUID, permission: Annotated[str, Form()] = "",
          org: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form(max_length=128)] = ""):
    return change_grant(request, user_id, permission, org, csrf_token, _grant)


@router.post("/users/{user_id}/revoke", name="console_revoke")
def revoke(request: Request, user_id: uuid.UUID, permission: Annotated[str, Form()] = "",
           org: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form(max_length=128)] = ""):
    return change_grant(request, user_id, permission, org, csrf_token, _revoke)
