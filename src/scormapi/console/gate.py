"""Who is using the console: a signed-in user holding at least one
administrative permission somewhere.

The session is the learner pages' own (``player.session``): one sign-in
form, one cookie, one throttle. A user holding no grant at all gets a
refusal page; what each page shows beyond that is decided by the
permission checks of the operations it calls.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from scormapi.api.deps import services
from scormapi.auth.permissions import Permission
from scormapi.console.rendering import page
from scormapi.errors import ErrorCode, ServiceError
from scormapi.player.pages import opened_by_this_site
from scormapi.player.session import current_learner, same
from scormapi.store.models import User


@dataclass(frozen=True)
class Admin:
    """The signed-in administrator of a console request."""

    user_id: uuid.UUID
    login: str
    csrf: str
    # The permissions held in some organization: what the navigation offers.
    held: frozenset[str]

    def holds(self, permission: Permission) -> bool:
        return str(permission) in self.held


def to_sign_in(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(request.url_for("login_form").include_query_params(next=target), status_code=303)


def admin_of(request: Request) -> Admin | Response:
    """The console's user, or the response to send instead: the sign-in
    form for no one, a refusal for a user without administrative grants."""
    learner = current_learner(request)
    if learner is None:
        return to_sign_in(request)
    svc = services(request)
    with svc.db.read() as session:
        held = frozenset(permission for _, permission in svc.grants.grants(session, learner.user_id))
        login = session.get(User, learner.user_id).login
    if not held:
        return page(request, "refused.html", {"admin": None, "learner_session": learner}, 403)
    return Admin(learner.user_id, login, learner.csrf, held)


def shown_to_admin(request: Request, show: Callable[[Admin], Response]) -> Response:
    """``show``'s page for the console's user, or ``admin_of``'s response."""
    admin = admin_of(request)
    return show(admin) if isinstance(admin, Admin) else admin


def form_refusal(request: Request, admin: Admin, csrf_token: str) -> Response | None:
    """Why a console form may not be acted on (sent from another site, or
    without the session's CSRF value), or None when it may."""
    if not opened_by_this_site(request):
        message = "This form was not sent from this site's own pages. Go back, reload the page and try again."
        return message_page(request, admin, "Not sent from this site", message, 400)
    if not same(csrf_token, admin.csrf):
        return message_page(request, admin, "The form expired", "Go back, reload the page and try again.", 400)
    return None


def poster_of(request: Request, csrf_token: str) -> Admin | Response:
    """The console's user of a POST whose form may be acted on; otherwise
    the response to send instead (``admin_of``'s, or ``form_refusal``'s)."""
    admin = admin_of(request)
    if not isinstance(admin, Admin):
        return admin
    refusal = form_refusal(request, admin, csrf_token)
    return admin if refusal is None else refusal


def message_page(request: Request, admin: Admin | None, title: str, message: str, status: int) -> Response:
    return page(request, "message.html", {"admin": admin, "title": title, "message": message}, status)


# A page, not the API: an unknown record is a 404 here.
PAGE_STATUS = {ErrorCode.NOT_AUTHORIZED: 403, ErrorCode.ITEM_NOT_FOUND: 404, ErrorCode.VALIDATION_ERROR: 422,
               ErrorCode.CONCURRENCY_CONFLICT: 409}
TITLES = {ErrorCode.NOT_AUTHORIZED: "Not allowed", ErrorCode.ITEM_NOT_FOUND: "Not found"}


def refused(request: Request, admin: Admin, exc: ServiceError) -> Response:
    """An operation's refusal as a page, with the operation's own message."""
    return message_page(request, admin, TITLES.get(exc.code, "Not done"), exc.message, PAGE_STATUS.get(exc.code, 400))
