"""The learner's web pages: sign-in, the course list, the player, and the
package files its frame loads.

Plain server-rendered HTML; the only scripts are the run-time adapter and
the player glue under ``static/``.
"""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated

import orjson
from fastapi import APIRouter, Form, Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from scormapi.api.deps import services
from scormapi.api.runtime import data_model, launch_item
from scormapi.errors import ServiceError
from scormapi.player import catalog, content
from scormapi.player.session import (
    LOGIN_CSRF_COOKIE,
    Learner,
    SignInRefused,
    clear_session_cookie,
    current_learner,
    login_csrf,
    same,
    set_login_csrf_cookie,
    set_session_cookie,
    sign_in,
    sign_out,
)
from scormapi.store import runtime
from scormapi.store.models import Courseware

HERE = Path(__file__).parent
STATIC = HERE / "static"
templates = Jinja2Templates(directory=str(HERE / "templates"))

router = APIRouter(include_in_schema=False)

# Pages never belong in another site's frame; the player frames only itself.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
PLAYER_HEADERS = {**PAGE_HEADERS, "Content-Security-Policy": "default-src 'self'; script-src 'self'; frame-ancestors 'self'"}


def page(request: Request, name: str, context: dict, status: int = 200, headers: dict | None = None) -> Response:
    return templates.TemplateResponse(request, name, context, status_code=status, headers=headers or PAGE_HEADERS)


def safe_next(target: str | None) -> str:
    """Only a path on this site: "//host" and "/\\host" would leave it."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/learn"
    return target


def to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(request.url_for("login_form").include_query_params(next=target), status_code=303)


@router.get("/")
def home():
    return RedirectResponse("/learn", status_code=303)


# -- sign-in -----------------------------------------------------------------------


def login_page(request: Request, next_url: str, error: str | None = None, status: int = 200, login: str = "") -> Response:
    token = login_csrf(request)
    response = page(request, "login.html", {"csrf": token, "next": next_url, "error": error, "login": login}, status)
    set_login_csrf_cookie(response, request, token)
    return response


@router.get("/login", name="login_form")
def login_form(request: Request, next: str = "/learn"):
    if current_learner(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return login_page(request, safe_next(next))


@router.post("/login")
def login_submit(
    request: Request,
    login: Annotated[str, Form(max_length=255)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
    next: Annotated[str, Form(max_length=2048)] = "/learn",
):
    target = safe_next(next)
    if not same(csrf_token, request.cookies.get(LOGIN_CSRF_COOKIE)):
        return login_page(request, target, "The form expired. Please sign in again.", 400, login)
    try:
        token = sign_in(request, login, password)
    except SignInRefused as refused:
        return login_page(request, target, str(refused), 401, login)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, request, token)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout", name="logout")
def logout(request: Request, csrf_token: Annotated[str, Form(max_length=128)] = ""):
    learner = current_learner(request)
    if learner is not None:
        if not same(csrf_token, learner.csrf):
            return page(request, "message.html", {"title": "Sign-out failed", "message": "The form expired; go back and try again.", "learner": learner}, 400)
        sign_out(request, learner)
    response = RedirectResponse(request.url_for("login_form"), status_code=303)
    clear_session_cookie(response, request)
    return response


# -- the learner's courses ------------------------------------------------------------


@router.get("/learn", name="learn")
def learn(request: Request):
    learner = current_learner(request)
    if learner is None:
        return to_login(request)
    db = services(request).db
    with db.read() as session:
        cards = catalog.assignments_of(session, learner.user_id)
        name = catalog.learner_name(session, learner.user_id)
    return page(request, "learn.html", {"learner": learner, "name": name, "cards": cards})


def not_found_page(request: Request, learner: Learner, message: str) -> Response:
    return page(request, "message.html", {"title": "Not found", "message": message, "learner": learner}, 404)


@router.get("/learn/play/{status_id}/{sco_id}", name="play")
def play(request: Request, status_id: uuid.UUID, sco_id: str, mode: str = "normal"):
    learner = current_learner(request)
    if learner is None:
        return to_login(request)
    if request.headers.get("sec-fetch-site") == "cross-site":
        # Opening a lesson writes (a session, maybe a new attempt): another
        # site must not be able to do it for the learner with a link.
        return page(request, "message.html", {"title": "Open the lesson", "message": "Follow the link to open the lesson.", "link": request.url.path, "learner": learner})
    svc = services(request)
    try:
        opened = runtime.launch(svc.db, learner.user_id, status_id, sco_id, browse=mode == "browse")
    except ServiceError as exc:
        return not_found_page(request, learner, exc.message)
    with svc.db.read() as session:
        courseware = session.get(Courseware, opened.courseware_id)
        rows = catalog.sco_rows(session, status_id, opened.courseware_id)
        toc = catalog.table_of_contents(courseware.structure or [], rows)
    config = {**launch_item(opened, request), "table": data_model(svc.settings.suspend_data_max)}
    context = {
        "learner": learner,
        "course": courseware.title,
        "sco": opened.sco,
        "status_id": status_id,
        "toc": toc,
        "multi": len(rows) > 1,
        "mode": opened.lesson_mode,
        "config_json": script_json(config),
        "content_url": config["content_url"],
    }
    return page(request, "play.html", context, headers=PLAYER_HEADERS)


def script_json(value) -> str:
    """JSON safe inside a <script> element: no "</script>" or "<!--" can form."""
    text = orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# -- files ---------------------------------------------------------------------------


@router.get("/player/static/{name}", name="player_static")
def static_file(name: str):
    path = STATIC / name
    if "/" in name or name.startswith(".") or not path.is_file():
        return Response("Not found", status_code=404, media_type="text/plain")
    # Revalidated each time: a new release must reach open browsers at once.
    return FileResponse(path, media_type=content.content_type(path), headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})


@router.get("/content/{courseware_id}/{path:path}", name="content")
def package_content(request: Request, courseware_id: uuid.UUID, path: str):
    svc = services(request)
    if not _may_see(request, courseware_id):
        return Response("Not allowed", status_code=403, media_type="text/plain")
    file = content.package_file(svc.settings.packages_dir, courseware_id, path)
    if file is None:
        return Response("Not found", status_code=404, media_type="text/plain")
    headers = {"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"}
    return FileResponse(file, media_type=content.content_type(file), headers=headers)


def _may_see(request: Request, courseware_id: uuid.UUID) -> bool:
    svc = services(request)
    learner = current_learner(request)
    with svc.db.read() as session:
        if learner is not None and content.learner_may_see(session, learner.user_id, courseware_id):
            return True
        token = request.query_params.get("access_token")
        principal = svc.tokens.principal(session, token) if token and len(token) <= 64 else None
        if principal is None or principal.kind != "launch" or principal.attempt_id is None:
            return False
        return content.attempt_courseware(session, principal.attempt_id) == courseware_id
