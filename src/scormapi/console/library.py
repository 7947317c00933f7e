"""The console's courseware pages: importing a package (with its progress), its SCOs, version and warnings, deleting it; and downloading records as CSV.

Importing reads the upload as ImportPackage does (the same bounded
multipart reading and field rules, ``web.uploads``) and imports it with
the same operation (``ops.courseware.import_upload``); the download streams
the file ExportCmiData streams (``ops.export``).
"""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response, StreamingResponse

from scormapi.api.deps import services
from scormapi.auth.permissions import Permission
from scormapi.cmi.profile import VERSIONS, for_version
from scormapi.console import records
from scormapi.console.forms import as_uuid, read_in_org
from scormapi.console.gate import Admin, admin_of, form_refusal, message_page, poster_of, refused, shown_to_admin
from scormapi.console.rendering import page
from scormapi.errors import HTTP_STATUS, ErrorCode, ServiceError
from scormapi.ops import courseware as ops_courseware
from scormapi.ops import export as ops_export
from scormapi.store import export
from scormapi.store.models import Assignment, Organization, Section
from scormapi.web import uploads

router = APIRouter(prefix="/admin", include_in_schema=False)
# Like ImportPackage's, this body bounds itself (package_max_bytes), so the
# server-wide body limit must pass it through (api/app.py's BodyLimit).
IMPORT = "/courseware/import"
IMPORT_PATH = router.prefix + IMPORT

REASON_MAX = 1000
NAMES_MAX = 500
NAME_MAX = 255
NOTICES = {"imported": "The package was imported.", "deleted": "The courseware was deleted; the audit log keeps what it was."}


# -- the list and the import form ------------------------------------------------------


def listing_page(request: Request, admin: Admin, org_id: uuid.UUID | None, done: str = "",
                 problem: ServiceError | None = None, allow_duplicate: bool = False, status: int = 200) -> Response:
    """The courseware of an organization and below, with the import form;
    ``problem`` is an import's refusal, shown beside the file field."""
    grants = services(request).grants

    def listing(session, org: Organization) -> tuple[list, dict]:
        listed = ops_courseware.courseware_in(session, grants, admin.user_id, org)
        return listed, records.names_of(session, grants, admin.user_id, {item.imported_by for item in listed})

    found = read_in_org(request, admin, Permission.MANAGE_COURSEWARE, org_id, listing)
    if isinstance(found, Response):
        return found
    chosen, (listed, names) = found
    context = {"admin": admin, "orgs": chosen.orgs, "chosen": chosen.org, "listed": listed, "names": names,
               "notice": NOTICES.get(done), "allow_duplicate": allow_duplicate,
               "problem": problem.message.removeprefix("Invalid request: ") if problem else None,
               "duplicate_refused": problem is not None and problem.code == ErrorCode.ALREADY_EXISTS}
    return page(request, "library_list.html", context, status)


@router.get("/courseware", name="console_courseware")
def courseware_list(request: Request, org: uuid.UUID | None = None, done: str = ""):
    return shown_to_admin(request, lambda admin: listing_page(request, admin, org, done))


@router.post(IMPORT, name="console_import")
async def import_package(request: Request):
    """The import form, posted as a multipart body (by the form itself, or
    by import.js to show the upload's progress)."""
    admin = await run_in_threadpool(admin_of, request)
    if not isinstance(admin, Admin):
        return admin
    limit = services(request).settings.package_max_bytes
    try:
        form = await uploads.read_package_form(request, limit)
    except ServiceError as exc:
        return await run_in_threadpool(_import_refused, request, admin, None, exc, False)
    try:
        return await run_in_threadpool(_import, request, admin, form, limit)
    finally:
        await form.close()


def _import(request: Request, admin: Admin, form: FormData, limit: int) -> Response:
    csrf = form.get("csrf_token")
    refusal = form_refusal(request, admin, csrf if isinstance(csrf, str) else "")
    if refusal is not None:
        return refusal
    raw_org = form.get("org_id")
    shown_org = as_uuid(raw_org) if isinstance(raw_org, str) else None
    duplicate = form.get("allow_duplicate") in ("true", "1")
    svc = services(request)
    try:
        fields = uploads.package_fields(form, limit)
        imported = ops_courseware.import_upload(
            svc.db, svc.settings, svc.grants, admin.user_id, fields.org_id, fields.upload.file,
            file_name=fields.upload.filename or "", allow_duplicate=fields.allow_duplicate, via="console")
    except ServiceError as exc:
        return _import_refused(request, admin, shown_org, exc, duplicate)
    return RedirectResponse(f"/admin/courseware/{imported.courseware.id}?done=imported", status_code=303)


def _import_refused(request: Request, admin: Admin, org_id: uuid.UUID | None, exc: ServiceError,
                    allow_duplicate: bool) -> Response:
    """A refused import: the form again, its reason beside the file field
    and the status ImportPackage answers; a permission or an unknown
    organization is a refusal page."""
    if exc.code in (ErrorCode.NOT_AUTHORIZED, ErrorCode.ITEM_NOT_FOUND):
        return refused(request, admin, exc)
    return listing_page(request, admin, org_id, problem=exc, allow_duplicate=allow_duplicate,
                        status=HTTP_STATUS.get(exc.code, 422))


# -- one courseware --------------------------------------------------------------------


def detail_page(request: Request, admin: Admin, courseware_id: uuid.UUID, done: str = "",
                delete_problem: str | None = None, reason: str = "", status: int = 200,
                reason_problem: str | None = None) -> Response:
    svc = services(request)
    try:
        with svc.db.read() as session:
            detail = ops_courseware.courseware_detail(session, svc.grants, admin.user_id, courseware_id)
            names = records.names_of(session, svc.grants, admin.user_id, {detail.imported_by})
    except ServiceError as exc:
        return refused(request, admin, exc)
    context = {"admin": admin, "detail": detail, "importer": names.get(detail.imported_by),
               "notice": NOTICES.get(done), "delete_problem": delete_problem, "reason": reason,
               "reason_problem": reason_problem}
    return page(request, "library_detail.html", context, status)


@router.get("/courseware/{courseware_id}", name="console_courseware_detail")
def courseware_detail(request: Request, courseware_id: uuid.UUID, done: str = ""):
    return shown_to_admin(request, lambda admin: detail_page(request, admin, courseware_id, done))


@router.post("/courseware/{courseware_id}/delete", name="console_courseware_delete")
def delete_courseware(
    request: Request,
    courseware_id: uuid.UUID,
    confirm: Annotated[str, Form(max_length=8)] = "",
    # Checked here, so that a long value gets a page, not JSON.
    reason: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
):
    """DeleteCourseware, once the user ticked the confirmation."""
    admin = poster_of(request, csrf_token)
    if not isinstance(admin, Admin):
        return admin
    why = reason.strip()
    if len(why) > REASON_MAX:
        return detail_page(request, admin, courseware_id, reason=reason, status=422,
                           reason_problem=f"The reason has at most {REASON_MAX} characters.")
    if confirm != "1":
        return detail_page(request, admin, courseware_id, reason=reason, status=422,
                           delete_problem="Tick the box to confirm that the courseware and its files are deleted.")
    svc = services(request)
    try:
        with svc.db.write() as session:
            deleted = ops_courseware.delete(session, svc.settings, svc.grants, admin.user_id, courseware_id, why or None)
    except ServiceError as exc:
        if exc.code == ErrorCode.IN_USE:
            return detail_page(request, admin, courseware_id, delete_problem=exc.message, reason=reason, status=409)
        return refused(request, admin, exc)
    return RedirectResponse(f"/admin/courseware?org={deleted['org_id']}&done=deleted", status_code=303)


# -- downloading records ---------------------------------------------------------------


def _scope(request: Request, admin: Admin, section_id: uuid.UUID | None,
           assignment_id: uuid.UUID | None) -> export.Scope | Response:
    """The section or the assignment asked for; a page saying so when not exactly one is."""
    if (section_id is None) == (assignment_id is None):
        return message_page(request, admin, "Not found", "Name a section (section_id) or an assignment (assignment_id).", 404)
    return export.Scope(assignment_id=assignment_id, section_id=section_id)


def _names(text: str) -> tuple[list[str], str | None]:
    """The names typed, one a line, blank lines dropped; and what is wrong with them."""
    names = [line.strip() for line in text.splitlines() if line.strip()]
    if not names:
        return names, "Name at least one CMI element."
    if len(names) > NAMES_MAX:
        return names, f"At most {NAMES_MAX} names."
    if any(len(name) > NAME_MAX for name in names):
        return names, f"A name has at most {NAME_MAX} characters."
    return names, None


def export_page(request: Request, admin: Admin, scope: export.Scope, names_text: str | None = None,
                problem: str | None = None, status: int = 200) -> Response:
    """The download form for a section or an assignment the user may view
    enrollments of; the names default to status, score, time and location."""
    svc = services(request)
    try:
        with svc.db.read() as session:
            ops_export.check_export(session, svc.grants, admin.user_id, scope, [])
            versions = ops_export.versions_in(session, scope)
            title = _scope_title(session, scope)
    except ServiceError as exc:
        return refused(request, admin, exc)
    if names_text is None:
        # Offered: each data model's report names, for the models the scope holds.
        defaults = [name for version in versions or list(VERSIONS) for name in for_version(version).report_names]
        names_text = "\n".join(defaults)
    context = {"admin": admin, "scope": scope, "title": title, "names_text": names_text, "problem": problem}
    return page(request, "library_export.html", context, status)


def _scope_title(session, scope: export.Scope) -> str:
    if scope.assignment_id is not None:
        return f"Assignment {session.get(Assignment, scope.assignment_id).title}"
    return f"Section {session.get(Section, scope.section_id).name}"


@router.get("/export", name="console_export")
def export_form(request: Request, section_id: uuid.UUID | None = None, assignment_id: uuid.UUID | None = None):
    admin = admin_of(request)
    if not isinstance(admin, Admin):
        return admin
    scope = _scope(request, admin, section_id, assignment_id)
    return export_page(request, admin, scope) if isinstance(scope, export.Scope) else scope


@router.get("/export/download", name="console_export_download")
def export_download(
    request: Request,
    section_id: uuid.UUID | None = None,
    assignment_id: uuid.UUID | None = None,
    names: Annotated[str, Query(max_length=NAMES_MAX * (NAME_MAX + 2))] = "",
):
    """The CSV ExportCmiData streams, for the names of the form."""
    admin = admin_of(request)
    if not isinstance(admin, Admin):
        return admin
    scope = _scope(request, admin, section_id, assignment_id)
    if not isinstance(scope, export.Scope):
        return scope
    wanted, problem = _names(names)
    svc = services(request)
    try:
        with svc.db.read() as session:
            ops_export.check_export(session, svc.grants, admin.user_id, scope, [] if problem else wanted)
    except ServiceError as exc:
        if exc.code != ErrorCode.VALIDATION_ERROR:
            return refused(request, admin, exc)
        problem = exc.message.removeprefix("Invalid request: ")
    if problem:
        return export_page(request, admin, scope, names, problem, 422)
    headers = {"Content-Disposition": f'attachment; filename="{ops_export.file_name(scope)}"',
               "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
    return StreamingResponse(ops_export.stream(svc.db, scope, wanted, None), media_type="text/csv; charset=utf-8",
                             headers=headers)
