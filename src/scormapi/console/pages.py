"""The console's pages under /admin: the organization tree, finding a
learner, a learner's record, a SCO's record with its repair and reset
forms, and the audit log.

Every read of a record and every change goes through an operation of
``scormapi.ops`` (its permission check, its validation, its audit record);
an operation's refusal is shown as a page with its message.
"""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Query, Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, RedirectResponse, Response

from scormapi.api.deps import services
from scormapi.auth.permissions import Permission, has_permission
from scormapi.console import records, repair
from scormapi.console.cmi_tables import cmi_tables
from scormapi.console.gate import Admin, admin_of, form_refusal, message_page, refused
from scormapi.console.rendering import STATIC, page, templates
from scormapi.errors import ServiceError
from scormapi.ops import attempts as attempt_ops
from scormapi.ops import edits
from scormapi.ops.audit_log import AuditFilter, audit_log
from scormapi.player.content import content_type
from scormapi.store import attempts
from scormapi.store.models import Organization, User

router = APIRouter(prefix="/admin", include_in_schema=False)

HISTORY_PER_PAGE = 50
AUDIT_PER_PAGE = 25
SCO_ID_MAX = 255
def record_href(status_id: uuid.UUID, sco_id: str, **extra: str) -> str:
    """The SCO page's URL; the SCO id goes in the query, fully encoded."""
    return f"/admin/records/{status_id}?{urlencode({'sco': sco_id, **extra}, quote_via=quote, safe='')}"


templates.env.globals["record_href"] = record_href


# -- the organization tree -------------------------------------------------------------


@router.get("", name="console_home")
def home(request: Request):
    admin = admin_of(request)
    if not isinstance(admin, Admin):
        return admin
    svc = services(request)
    with svc.db.read() as session:
        nodes = records.tree(records.reach(session, svc.grants, admin.user_id))
    return page(request, "home.html", {"admin": admin, "nodes": nodes})


# -- learners --------------------------------------------------------------------------


@router.get("/learners", name="console_learners")
def learners(request: Request, q: Annotated[str, Query(max_length=255)] = "", org: uuid.UUID | None = None):
    """Learners of the organizations the user may view enrollments in (or of
    one of them, with ``org``), found by login or name with ``q``."""
    admin = admin_of(request)
    if not isinstance(admin, Admin):
        return admin
    svc = services(request)
    text = q.strip()
    with svc.db.read() as session:
        viewable = records.reach(session, svc.grants, admin.user_id, Permission.VIEW_SECTION_ENROLLMENTS)
        chosen = next((o for o in viewable if o.id == org), None) if org else None
        if org and chosen is None:
            return message_page(request, admin, "Not found", "No such organization among those you may view.", 404)
        within = records.subtree(viewable, chosen) if chosen else viewable
        found = records.find_learners(session, svc.grants, admin.user_id, within, text) if text or chosen else []
    context = {"admin": admin, "q": text, "org": chosen, "found": found, "searched": bool(text or chosen),
               "limit": records.SEARCH_LIMIT, "may_view": bool(viewable)}
    return page(request, "learners.html", context)


@router.get("/learners/{user_id}", name="console_learner")
def learner(request: Request, user_id: uuid.UUID):
    """The learner's enrollments where the user may view them; none is a 404."""
    admin = admin_of(request)
    if not isinstance(admin, Admin):
        return admin
    svc = services(request)
    with svc.db.read() as session:
        viewable = records.reach(session, svc.grants, admin.user_id, Permission.VIEW_SECTION_ENROLLMENTS)
        enrollments = records.learner_record(session, user_id, viewable)
        name = records.learner_of(session, svc.grants, admin.user_id, user_id) if enrollments else None
    if not enrollments:
        return message_page(request, admin, "Not found", "No learner with enrollments you may view has this id.", 404)
    return page(request, "learner.html", {"admin": admin, "learner": name, "enrollments": enrollments})


# -- one SCO's record ------------------------------------------------------------------


def sco_page(request: Request, admin: Admin, status_id: uuid.UUID, sco_id: str, form: dict | None = None,
             status: int = 200, notice: str | None = None) -> Response:
    """The SCO's record: its CMI values, attempt and edit histories, and the
    forms the user may use. ``form`` holds a repair form being re-shown."""
    svc = services(request)
    try:
        with svc.db.read() as session:
            history = attempt_ops.attempt_history(session, svc.grants, admin.user_id, status_id, sco_id, [], 0,
                                                  HISTORY_PER_PAGE)
            edited = edits.edit_history(session, svc.grants, admin.user_id, status_id, sco_id, 0, HISTORY_PER_PAGE)
            context = _record_context(session, svc.grants, admin, status_id, sco_id)
            context["editors"] = records.names_of(session, svc.grants, admin.user_id,
                                                  {e.actor_user_id for e in edited.events})
    except ServiceError as exc:
        return refused(request, admin, exc)
    context.update({"history": history, "edits": edited, "form": form or {}, "notice": notice})
    return page(request, "sco.html", context, status)


def _record_context(session, grants, admin: Admin, status_id: uuid.UUID, sco_id: str) -> dict:
    """What the page shows beside the histories; read once the operations
    allowed the user to view the record."""
    place = attempt_ops.status_place(session, status_id)
    sco = attempt_ops.place_sco(session, place, sco_id)
    attempt = attempts.find_attempt(session, status_id, sco.id)
    state = attempt.cmi if attempt is not None else attempts.initial_values(
        place.learner, sco, place.profile, attempts.sco_ids_in_order(session, sco.courseware_id))
    may_edit = has_permission(session, grants, admin.user_id, Permission.UPDATE_SECTION_ENROLLMENTS, place.org_path)
    learner = records.named(session, grants, admin.user_id, place.learner, _owner_path(session, place.learner))
    return {
        "admin": admin, "place": place, "sco": sco, "attempt": attempt, "tables": cmi_tables(state),
        "learner": learner, "may_edit": may_edit, "fields": repair.form_fields(place.profile, state) + repair.attempt_fields(sco, attempt),
        "status_id": status_id,
    }


def _owner_path(session, user: User) -> str:
    return session.get(Organization, user.owner_org_id).path


def _sco_param(sco: str) -> str | None:
    return sco if 0 < len(sco) <= SCO_ID_MAX else None


@router.get("/records/{status_id}", name="console_record")
def record(request: Request, status_id: uuid.UUID, sco: str = "", done: str = ""):
    admin = admin_of(request)
    if not isinstance(admin, Admin):
        return admin
    if _sco_param(sco) is None:
        return message_page(request, admin, "Not found", "Name the SCO: ?sco=<its identifier>.", 404)
    notice = {"saved": "The repair was saved; it is the newest entry of the edit history.",
              "reset": "A fresh attempt was started; the previous one is in the attempt history.",
              "unchanged": "Nothing was saved: every value given equals the stored one."}.get(done)
    return sco_page(request, admin, status_id, sco, notice=notice)


@router.post("/records/{status_id}/edit", name="console_edit")
async def edit(request: Request, status_id: uuid.UUID):
    """A repair: shown back with its problems, or with its changes and
    warnings to confirm, or (``confirm=1``) saved."""
    form = {key: value for key, value in (await request.form()).items() if isinstance(value, str)}
    return await run_in_threadpool(_edit, request, status_id, form)


def _edit(request: Request, status_id: uuid.UUID, form: dict[str, str]) -> Response:
    admin = admin_of(request)
    if not isinstance(admin, Admin):
        return admin
    sco_id = _sco_param(form.get("sco", ""))
    if sco_id is None:
        return message_page(request, admin, "Not found", "The form names no SCO.", 404)
    refusal = form_refusal(request, admin, form.get("csrf_token", ""))
    if refusal is not None:
        return refusal
    svc = services(request)
    limit = svc.settings.suspend_data_max
    try:
        with svc.db.read() as session:
            # Only the field names are wanted here: nothing of the record
            # is read before the operation's permission check.
            place = attempt_ops.status_place(session, status_id)
            named = repair.form_fields(place.profile, {}) + repair.attempt_fields(None, None)
            submitted = repair.read_form(named, form)
            problems = repair.check(session, svc.grants, admin.user_id, status_id, sco_id, submitted, limit)
        if problems:
            return sco_page(request, admin, status_id, sco_id, {"values": form, "problems": problems}, 422)
        wanted = submitted.request(status_id, sco_id)
        if form.get("confirm") != "1":
            planned = repair.preview(svc.db, svc.grants, admin.user_id, wanted, limit)
            if not planned.changes:
                return RedirectResponse(record_href(status_id, sco_id, done="unchanged"), status_code=303)
            return sco_page(request, admin, status_id, sco_id, {"values": form, "preview": planned})
        saved = attempts.run_with_retry(
            svc.db, lambda session: edits.edit_scorm_data(session, svc.grants, admin.user_id, wanted, limit))
    except ServiceError as exc:
        return refused(request, admin, exc)
    done = "saved" if saved.changes else "unchanged"
    return RedirectResponse(record_href(status_id, sco_id, done=done), status_code=303)


@router.post("/records/{status_id}/reset", name="console_reset")
def reset(
    request: Request,
    status_id: uuid.UUID,
    # Lengths are checked here, so that a long value gets a page, not JSON.
    sco: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
):
    """Start a fresh attempt of the SCO (ResetScormAttempt), with a reason."""
    admin = admin_of(request)
    if not isinstance(admin, Admin):
        return admin
    if _sco_param(sco) is None:
        return message_page(request, admin, "Not found", "The form names no SCO.", 404)
    refusal = form_refusal(request, admin, csrf_token)
    if refusal is not None:
        return refusal
    why = reason.strip()
    if not why or len(why) > repair.REASON_MAX:
        problem = "A reason is required: say why the attempt is reset." if not why else f"At most {repair.REASON_MAX} characters."
        return sco_page(request, admin, status_id, sco, {"reset_problem": problem, "reset_reason": reason}, 422)
    svc = services(request)
    try:
        attempts.run_with_retry(svc.db, lambda session: attempt_ops.reset_attempt(
            session, svc.grants, admin.user_id, status_id, sco, why))
    except ServiceError as exc:
        return refused(request, admin, exc)
    return RedirectResponse(record_href(status_id, sco, done="reset"), status_code=303)


# -- the audit log ---------------------------------------------------------------------


def _day(text: str, problems: dict[str, str], name: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems[name] = "Give a date as YYYY-MM-DD."
        return None


def _after(day: date) -> datetime | None:
    """The start of the day after ``day``: the log's bound for "until",
    which includes its day. The calendar's last day has no day after it,
    and nothing happens after it either: no bound."""
    if day == date.max:
        return None
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), UTC)


def _user_id(session, login: str) -> uuid.UUID | None:
    """The id of the user with ``login``; an unknown login matches no event
    (saying it is unknown would tell who exists elsewhere)."""
    if not login:
        return None
    found = session.scalar(select(User.id).where(User.login == login))
    return found or uuid.uuid4()


@router.get("/audit", name="console_audit")
def audit(
    request: Request,
    org: uuid.UUID | None = None,
    actor: Annotated[str, Query(max_length=255)] = "",
    learner: Annotated[str, Query(max_length=255)] = "",
    since: Annotated[str, Query(max_length=32)] = "",
    until: Annotated[str, Query(max_length=32)] = "",
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
):
    """ops.audit_log for an organization the user may read it in, filtered
    by actor and learner login and by day (``until`` includes its day)."""
    admin = admin_of(request)
    if not isinstance(admin, Admin):
        return admin
    svc = services(request)
    problems: dict[str, str] = {}
    first, last = _day(since, problems, "since"), _day(until, problems, "until")
    if first and last and first > last:
        problems["until"] = "The last day must not be before the first."
    with svc.db.read() as session:
        orgs = records.reach(session, svc.grants, admin.user_id, Permission.VIEW_AUDIT_LOG)
        chosen = next((o for o in orgs if o.id == org), None) if org else (records.tree(orgs)[0].org if orgs else None)
        context = {"admin": admin, "orgs": orgs, "chosen": chosen, "actor": actor, "learner": learner, "since": since,
                   "until": until, "problems": problems, "events": [], "total": 0, "page": page_number,
                   "per_page": AUDIT_PER_PAGE, "names": {}}
        if chosen is None:
            message = "You hold View Audit Log in no organization." if not orgs else "No such organization among yours."
            return message_page(request, admin, "Not allowed" if not orgs else "Not found", message, 403 if not orgs else 404)
        if problems:
            return page(request, "audit.html", context, 422)
        wanted = AuditFilter(
            chosen.id, _user_id(session, actor.strip()), _user_id(session, learner.strip()),
            datetime.combine(first, datetime.min.time(), UTC) if first else None,
            _after(last) if last else None,
        )
        try:
            found = audit_log(session, svc.grants, admin.user_id, wanted, (page_number - 1) * AUDIT_PER_PAGE,
                              AUDIT_PER_PAGE)
        except ServiceError as exc:
            return refused(request, admin, exc)
        people = {e.actor_user_id for e in found.events} | {e.subject_user_id for e in found.events}
        context.update({"events": found.events, "total": found.total,
                        "names": records.names_of(session, svc.grants, admin.user_id, people)})
    return page(request, "audit.html", context)


@router.get("/static/{name}", name="console_static")
def static_file(name: str):
    path = STATIC / name
    if "/" in name or name.startswith(".") or not path.is_file():
        return Response("Not found", status_code=404, media_type="text/plain")
    return FileResponse(path, media_type=content_type(path), headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})
