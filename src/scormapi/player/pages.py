"""The learner's pages on the main origin: sign-in, the course list, and
the player shell around a lesson.

Plain server-rendered HTML. The lesson itself runs on the content origin
(``content_site.py``); the shell only frames it, so the learner's
navigation stays here and nothing here is reachable by the content.
"""
from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Request
from starlette.responses import FileResponse, RedirectResponse, Response

from scormapi.api.deps import services
from scormapi.errors import ErrorCode, ServiceError
from scormapi.player import catalog, content, content_site
from scormapi.player.rendering import PAGE_HEADERS, STATIC, page, script_json, templates
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
from scormapi.store import launchcodes, runtime
from scormapi.web.origins import NoContentOrigin, Origins, origins, same_origin

router = APIRouter(include_in_schema=False)
router.include_router(content_site.router)

# What content needs of its frame; without allow-top-navigation it cannot
# navigate the learner's window away.
SANDBOX = "allow-scripts allow-same-origin allow-forms allow-popups allow-modals allow-downloads"
# Sec-Fetch-Site values a launch is made for: this site's own pages, or the
# learner typing the address. An absent header (a client that is no
# browser, or an old one) is allowed too: it cannot come from a page.
OWN_SITE = ("same-origin", "none")
SCO_ID_MAX = 255


def play_href(status_id: uuid.UUID, sco_id: str, mode: str | None = None) -> str:
    """The shell's URL for a SCO. The id goes in the query string, fully
    encoded: a path segment could not carry "/", "." or ".." faithfully."""
    query = {"sco": sco_id, **({"mode": mode} if mode and mode != "normal" else {})}
    return f"/learn/play/{status_id}?{urlencode(query, quote_via=quote, safe='')}"


def page_href(status_id: uuid.UUID, item_id: str) -> str:
    """The shell's URL for an untracked page of the course (an asset item)."""
    return f"/learn/page/{status_id}?{urlencode({'item': item_id}, quote_via=quote, safe='')}"


templates.env.globals["play_href"] = play_href
templates.env.globals["page_href"] = page_href


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
    if not opened_by_this_site(request):
        return login_page(request, target, "This form was not sent from this site's own sign-in page. Please sign in again.", 400)
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
    if not opened_by_this_site(request):
        return not_from_this_site(request)
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
    svc = services(request)
    with svc.db.read() as session:
        cards = catalog.assignments_of(session, learner.user_id)
        name = catalog.learner_name(session, learner.user_id)
        # Any grant opens the console (console.gate): offer the way there.
        administers = bool(svc.grants.grants(session, learner.user_id))
    return page(request, "learn.html", {"learner": learner, "name": name, "cards": cards, "administers": administers})


def not_found_page(request: Request, learner: Learner, message: str) -> Response:
    return page(request, "message.html", {"title": "Not found", "message": message, "learner": learner}, 404)


def opened_by_this_site(request: Request) -> bool:
    """Whether the learner's own use of this site made the request, not
    another site's page nor course content (another port of the same host
    is same-site, not same-origin). Browsers say so in Sec-Fetch-Site; one
    that does not (an old one) is judged by Origin, then Referer, when it
    sends them; a client that sends none of the three is not a browser
    another page could steer."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in OWN_SITE
    sender = request.headers.get("origin") or request.headers.get("referer")
    return sender is None or same_origin(sender, main_origin(request))


def main_origin(request: Request) -> str:
    try:
        return origins(services(request).settings, request).main
    except NoContentOrigin:
        return f"{request.url.scheme}://{request.url.netloc}"


def not_from_this_site(request: Request) -> Response:
    """A form another origin posted (content can plant cookies for the host
    and post forms): refused before it is read."""
    return page(request, "message.html", {"title": "Not sent from this site", "message": "This form was not sent from this site's own pages. Go back, reload the page and try again."}, 400)


def shell_headers(site: Origins) -> dict:
    csp = f"default-src 'self'; script-src 'self'; frame-src {site.content}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    return {**PAGE_HEADERS, "Content-Security-Policy": csp}


@router.get("/learn/play/{status_id}", name="play")
def play(request: Request, status_id: uuid.UUID, sco: str = "", mode: str = "normal"):
    """The player shell: it launches the SCO and frames the content origin's
    run-time page through a one-minute, single-use launch code."""
    learner = current_learner(request)
    if learner is None:
        return to_login(request)
    if not opened_by_this_site(request):
        # Opening a lesson writes (a session, maybe a new attempt): no other
        # site, nor the content origin (same-site, another port), may do it
        # for the learner. A click on this link is the learner's own.
        link = play_href(status_id, sco, mode)
        return page(request, "message.html", {"title": "Open the lesson", "message": "Follow the link to open the lesson.", "link": link, "learner": learner})
    svc = services(request)
    try:
        site = origins(svc.settings, request)
    except NoContentOrigin as exc:
        return page(request, "message.html", {"title": "Lessons unavailable", "message": f"Lessons cannot open: {exc}.", "learner": learner}, 503)
    if not sco or len(sco) > SCO_ID_MAX:
        return not_found_page(request, learner, f"No lesson {sco!r} in this assignment.")
    mode = mode if mode in runtime.MODES else "normal"
    try:
        finished = None if mode == "review" else runtime.finished_attempt(svc.db, learner.user_id, status_id, sco)
        if finished is not None:
            return choice_page(request, learner, status_id, sco, finished)
        opened = runtime.launch(svc.db, learner.user_id, status_id, sco, mode=mode, with_token=False)
    except ServiceError as exc:
        return not_found_page(request, learner, exc.message)
    code = launchcodes.issue_code(svc.db, learner.user_id, opened)
    return shell_page(request, learner, status_id, opened, f"{site.content}/run/{code}", site)


def choice_page(request: Request, learner: Learner, status_id: uuid.UUID, sco_id: str,
                finished: runtime.FinishedAttempt) -> Response:
    """A finished lesson asks first: review it (nothing saved) or, while the
    assignment allows, start a new attempt. Opening it never silently
    throws the result away."""
    with services(request).db.read() as session:
        course = catalog.course_of(session, status_id)
        row = next(r for r in course.rows if r.sco_id == sco_id)
    multi = catalog.openable(catalog.table_of_contents(course.structure, course.rows)) > 1
    context = {"learner": learner, "status_id": status_id, "course": course.title, "sco": row, "finished": finished,
               "multi": multi}
    return page(request, "attempt_choice.html", context)


@router.post("/learn/new-attempt/{status_id}", name="new_attempt")
def new_attempt(
    request: Request,
    status_id: uuid.UUID,
    sco: Annotated[str, Form(max_length=SCO_ID_MAX)] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
):
    """Start the next attempt of a finished lesson, then open it. A second
    press (or a reload) finds the attempt under way and only opens it."""
    learner = current_learner(request)
    if learner is None:
        return to_login(request)
    if not opened_by_this_site(request):
        return not_from_this_site(request)
    if not same(csrf_token, learner.csrf):
        message = "The form expired; go back to your courses and try again."
        return page(request, "message.html", {"title": "New attempt not started", "message": message, "learner": learner}, 400)
    try:
        runtime.start_new_attempt(services(request).db, learner.user_id, status_id, sco)
    except ServiceError as exc:
        if exc.code == ErrorCode.NO_ATTEMPTS_LEFT:
            return page(request, "message.html", {"title": "No attempts left", "message": exc.message, "learner": learner,
                                                  "link": play_href(status_id, sco, "review"), "link_text": "Review the lesson"}, 409)
        return not_found_page(request, learner, exc.message)
    return RedirectResponse(play_href(status_id, sco), status_code=303)


def shell_page(request: Request, learner: Learner, status_id: uuid.UUID, opened: runtime.Launch, run_url: str,
               site: Origins) -> Response:
    svc = services(request)
    with svc.db.read() as session:
        course = catalog.course_of(session, status_id)
        toc = catalog.table_of_contents(course.structure, course.rows)
    context = {
        "learner": learner,
        "course": course.title,
        "sco": opened.sco,
        "status_id": status_id,
        "toc": toc,
        "multi": catalog.openable(toc) > 1,
        "mode": opened.lesson_mode,
        "attempt_number": opened.attempt_number,
        "shell_json": script_json({"content_origin": site.content}),
        "navigation_json": script_json(navigation_config(status_id, opened.sco.sco_id, course.rows)),
        "run_url": run_url,
        "sandbox": SANDBOX,
    }
    return page(request, "play.html", context, headers=shell_headers(site))


def navigation_config(status_id: uuid.UUID, sco_id: str, rows: list[catalog.ScoRow]) -> dict:
    """What shell.js needs to follow a lesson's navigation request: the
    lesson open, every lesson of the course in manifest order with its
    address (hidden ones too: a request may name them), and where leaving
    the course goes."""
    lessons = [[row.sco_id, play_href(status_id, row.sco_id)] for row in rows]
    return {"sco": sco_id, "lessons": lessons, "home": "/learn"}


@router.get("/learn/page/{status_id}", name="course_page")
def course_page(request: Request, status_id: uuid.UUID, item: str = ""):
    """An untracked page of the course (a handout, a page: an item whose
    resource is an asset) in the shell. No run-time, no record; the frame
    opens it on the content origin through a one-minute asset code."""
    learner = current_learner(request)
    if learner is None:
        return to_login(request)
    if not opened_by_this_site(request):
        # Issuing the code writes; a link from elsewhere gets a click first.
        return page(request, "message.html", {"title": "Open the page", "message": "Follow the link to open the page.",
                                              "link": page_href(status_id, item), "link_text": "Open the page", "learner": learner})
    svc = services(request)
    try:
        site = origins(svc.settings, request)
    except NoContentOrigin as exc:
        return page(request, "message.html", {"title": "Lessons unavailable", "message": f"Lessons cannot open: {exc}.", "learner": learner}, 503)
    with svc.db.read() as session:
        found = runtime.learner_status(session, learner.user_id, status_id) if len(item) <= SCO_ID_MAX else None
        course = catalog.course_of(session, status_id) if found else None
    entry = catalog.find_asset(course.structure, item) if course else None
    if entry is None:
        return not_found_page(request, learner, f"No page {item!r} in this assignment.")
    code = launchcodes.issue_asset_code(svc.db, learner.user_id, status_id)
    run_url = f"{site.content}/asset/{code}?{urlencode({'item': item}, quote_via=quote, safe='')}"
    context = {
        "learner": learner, "course": course.title, "status_id": status_id, "multi": True,
        "toc": catalog.table_of_contents(course.structure, course.rows), "page_title": entry.title,
        "current_item": item, "sco": None, "mode": "untracked", "shell_json": script_json({"content_origin": site.content}),
        "run_url": run_url, "sandbox": SANDBOX,
    }
    return page(request, "play.html", context, headers=shell_headers(site))


@router.get("/learn/play/{status_id}/{sco_id:path}")
def play_by_path(status_id: uuid.UUID, sco_id: str, mode: str = "normal"):
    """The address lessons had before the id moved to the query: kept for
    bookmarks. It only redirects; the shell decides whether to launch."""
    return RedirectResponse(play_href(status_id, sco_id, mode), status_code=303)


# -- files ---------------------------------------------------------------------------


@router.get("/player/static/{name}", name="player_static")
def static_file(name: str):
    """The player's own files, on both origins (each page loads its scripts from its own)."""
    path = STATIC / name
    if "/" in name or name.startswith(".") or not path.is_file():
        return Response("Not found", status_code=404, media_type="text/plain")
    # Revalidated each time: a new release must reach open browsers at once.
    return FileResponse(path, media_type=content.content_type(path), headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})
