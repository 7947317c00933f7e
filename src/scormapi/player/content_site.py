"""The content origin's pages: the run-time page a launch code opens, and
the package files.

Nothing here reads a cookie (``OriginSplit`` drops them before a request
gets here) and nothing sets one: a request is worth what its code or key
is worth, which is one attempt (or, for a course's untracked pages, the
files of one learner's course).
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import FileResponse, RedirectResponse, Response

from scormapi.api.deps import services
from scormapi.cmi.profile import Profile, for_version
from scormapi.player import catalog, content
from scormapi.player.rendering import page, script_json
from scormapi.store import launchcodes
from scormapi.store.models import Courseware
from scormapi.web.origins import COMMIT_PATH, NoContentOrigin, Origins, origins

router = APIRouter(include_in_schema=False)

# Codes and tokens are UUIDs; anything longer is not worth a look-up.
KEY_MAX = 64


# The rules, then the transport, the format checks the binding's table
# names (registered before the binding compiles its rules), the binding
# itself (``Profile.adapter``), and the page's glue, which starts it.
def run_scripts(profile: Profile) -> tuple[str, ...]:
    """The static files the run-time page loads, in order, for a profile."""
    return ("rules.js", "transport.js", *profile.scripts, profile.adapter, "runtime.js")


def run_headers(site: Origins) -> dict:
    # Only the shell on the main origin may frame the run-time page. No
    # referrer: the code in this page's address must not travel anywhere.
    return {
        "Content-Security-Policy": f"default-src 'self'; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors {site.main}",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


def refused(request: Request, status: int, message: str, headers: dict) -> Response:
    context = {"title": "Open the lesson again", "message": message}
    return page(request, "run_refused.html", context, status, headers)


def _spend(request: Request, code: str, redeem):
    """``redeem`` (a launchcodes function) applied to the code, with the
    site and the headers the answer takes; or the refusal to send."""
    svc = services(request)
    try:
        site = origins(svc.settings, request)
    except NoContentOrigin:
        return Response("Not found", status_code=404, media_type="text/plain")
    headers = run_headers(site)
    if len(code) > KEY_MAX:
        return refused(request, 403, "This lesson link is not valid.", headers)
    try:
        return redeem(svc.db, code), site, headers
    except launchcodes.CodeRefused as exc:
        return refused(request, exc.status, str(exc), headers)


@router.get("/run/{code}", name="run")
def run_page(request: Request, code: str):
    """The page that holds the run-time API of the courseware's data model
    (``window.API``, ``window.API_1484_11``): it spends the launch code, and
    frames the SCO under the key the code turned into."""
    svc = services(request)
    spent = _spend(request, code, launchcodes.redeem)
    if isinstance(spent, Response):
        return spent
    run, site, headers = spent
    profile = for_version(run.scorm_version)
    config = {
        "attempt_id": run.attempt_id,
        "attempt_number": run.attempt_number,
        "sco_id": run.sco_id,
        "lesson_mode": run.lesson_mode,
        "launch_token": run.launch_token,
        "commit_url": COMMIT_PATH if run.launch_token else None,
        "commit_seq": run.commit_seq,
        "cmi": run.state,
        "table": profile.table_json(suspend_data_limit=svc.settings.suspend_data_max),
        "main_origin": site.main,
    }
    context = {"title": run.sco_title, "config_json": script_json(config), "scripts": run_scripts(profile),
               "content_url": content.content_href(run.content_key, run.launch)}
    return page(request, "run.html", context, headers=headers)


@router.get("/content/{key}/{path:path}", name="content")
def package_content(request: Request, key: str, path: str):
    svc = services(request)
    courseware_id = _courseware_of(request, key)
    if courseware_id is None:
        return Response("Not allowed", status_code=403, media_type="text/plain")
    file = content.package_file(svc.settings.packages_dir, courseware_id, path)
    if file is None:
        return Response("Not found", status_code=404, media_type="text/plain")
    headers = {"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
    return FileResponse(file, media_type=content.content_type(file), headers=headers)


def _courseware_of(request: Request, key: str):
    """The courseware ``key`` (a launch, content or asset token) opens, or None."""
    if len(key) > KEY_MAX:
        return None
    svc = services(request)
    with svc.db.read() as session:
        principal = svc.tokens.principal(session, key)
        return None if principal is None else launchcodes.key_courseware(session, principal)


@router.get("/asset/{code}", name="asset")
def asset_page(request: Request, code: str, item: str = ""):
    """An untracked page of the course (an item whose resource is an
    asset): the code turns into a key to the course's files, and the frame
    goes on to the item's file under it. No run-time: nothing is recorded."""
    svc = services(request)
    spent = _spend(request, code, launchcodes.redeem_asset)
    if isinstance(spent, Response):
        return spent
    opened, _, headers = spent
    with svc.db.read() as session:
        courseware = session.get(Courseware, opened.courseware_id)
        asset = catalog.find_asset(courseware.structure or [], item)
    if asset is None:
        return refused(request, 404, "This page is not part of the course.", headers)
    return RedirectResponse(content.content_href(opened.key, asset.href), status_code=303, headers=headers)
