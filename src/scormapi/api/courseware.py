"""ScormApi/ImportPackage: upload a SCORM package (multipart) and get a course
with its SCOs; ScormApi/DeleteCourseware: remove one no assignment uses.

The one async operation: the upload is streamed to a temporary file part by
part (memory stays flat whatever the package size) and refused as soon as it
passes ``settings.package_max_bytes``. Database work and extraction run in
the thread pool like every other operation.

A zip the organization already imported is refused (409, naming the
courseware it made) unless the form says ``allow_duplicate``; a second copy
made that way says which courseware it duplicates in its warnings and its
audit record.
"""
from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

from fastapi import APIRouter, Request
from pydantic import Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from scormapi.api.admin import load_org
from scormapi.api.deps import TokenFirst, caller, require, services
from scormapi.api.response_models import PROTECTED, CoursewareItem, OkResponse, answers
from scormapi.api.responses import ok
from scormapi.api.schemas import Body, Str
from scormapi.auth.permissions import Permission
from scormapi.auth.tokens import Principal
from scormapi.errors import ErrorCode, ServiceError, invalid, not_found
from scormapi.ops import courseware as ops_courseware
from scormapi.packages.errors import PackageError
from scormapi.store import audit, directory
from scormapi.store.courseware import (
    delete_courseware,
    staged_package,
)
from scormapi.store.models import Courseware, CoursewareSco

router = APIRouter(prefix="/api/v1/ScormApi", tags=["ScormApi"], route_class=TokenFirst)
IMPORT_PACKAGE = "/ImportPackage"
# The one body larger than settings.max_body_bytes: the upload bounds itself.
UPLOAD_PATH = router.prefix + IMPORT_PACKAGE

# Room for the multipart boundaries, part headers and the org_id and
# allow_duplicate fields on top of the package itself.
ENVELOPE_SLACK = 64 * 1024

_OPENAPI_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "the SCORM package (zip)"},
                        "org_id": {"type": "string", "format": "uuid", "description": "owner; the root when left out"},
                        "allow_duplicate": {
                            "type": "string",
                            "enum": ["true", "false", "1", "0"],
                            "default": "false",
                            "description": "import a zip this organization already imported as a second copy "
                                           "(otherwise refused with error 8, naming the courseware it made)",
                        },
                    },
                }
            }
        },
    }
}


def too_large(limit: int) -> ServiceError:
    return ServiceError(ErrorCode.INVALID_PACKAGE, f"The package is larger than the limit of {limit} bytes")


@router.post(IMPORT_PACKAGE, openapi_extra=_OPENAPI_BODY, responses=answers(CoursewareItem, *PROTECTED))
async def import_package_endpoint(request: Request):
    svc = services(request)
    # Authenticate before reading a byte of a possibly large upload.
    me = await run_in_threadpool(_authenticate, request)
    limit = svc.settings.package_max_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + ENVELOPE_SLACK:
        raise too_large(limit)
    form = await _read_form(request, limit)
    try:
        fields = _fields(form, limit)
        body, warnings = await run_in_threadpool(_import, request, me, fields)
    finally:
        await form.close()
    return ok(body, warnings)


def _authenticate(request: Request) -> Principal:
    with services(request).db.read() as session:
        return caller(request, session)


async def _read_form(request: Request, limit: int) -> FormData:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise invalid(["body: multipart/form-data with a 'file' part (the zip) is required"])
    parser = MultiPartParser(request.headers, _bounded(request.stream(), limit + ENVELOPE_SLACK, limit), max_files=1, max_fields=8)
    try:
        return await parser.parse()
    except MultiPartException as exc:
        raise invalid([f"body: {exc.message}"]) from None


async def _bounded(chunks: AsyncIterator[bytes], max_bytes: int, limit: int) -> AsyncIterator[bytes]:
    """The request body, cut off with an error once it passes ``max_bytes``."""
    seen = 0
    async for chunk in chunks:
        seen += len(chunk)
        if seen > max_bytes:
            raise too_large(limit)
        yield chunk


@dataclass(frozen=True)
class _ImportForm:
    upload: UploadFile
    org_id: uuid.UUID | None
    allow_duplicate: bool


# The form's spellings of a boolean: HTML forms and curl -F send text.
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


def _fields(form: FormData, limit: int) -> _ImportForm:
    """The form's fields; a 422 naming every malformed one."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise invalid(["file: a SCORM package (zip) is required"])
    if upload.size is not None and upload.size > limit:
        raise too_large(limit)
    problems: list[str] = []
    org_id = _org_id(form.get("org_id"), problems)
    allow_duplicate = _allow_duplicate(form.get("allow_duplicate"), problems)
    if problems:
        raise invalid(problems)
    return _ImportForm(upload, org_id, allow_duplicate)


def _org_id(raw, problems: list[str]) -> uuid.UUID | None:
    if raw is None or raw == "":
        return None
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        problems.append("org_id: not a valid UUID")
        return None


def _allow_duplicate(raw, problems: list[str]) -> bool:
    if raw is None:
        return False
    if isinstance(raw, str) and raw in _BOOLEANS:
        return _BOOLEANS[raw]
    problems.append("allow_duplicate: must be true or false (or 1 or 0)")
    return False


def _import(request: Request, me: Principal, fields: _ImportForm) -> tuple[dict, list[str]]:
    svc = services(request)
    # Checked in a read transaction, and the package extracted before the
    # write transaction (see staged_package): on SQLite that one holds the
    # database's only write lock.
    with svc.db.read() as session:
        org = load_org(session, fields.org_id)
        ops_courseware.may_import(session, svc.grants, me.user_id, org)
    fields.upload.file.seek(0)
    try:
        with staged_package(svc.settings, fields.upload.file) as staged, svc.db.write() as session:
            imported = ops_courseware.register_import(
                session, svc.settings, me.user_id, org, staged,
                file_name=fields.upload.filename or "", allow_duplicate=fields.allow_duplicate,
            )
            note = imported.duplicate_note()
            return courseware_body(imported.courseware, imported.scos), imported.warnings + ([note] if note else [])
    except PackageError as exc:
        raise ServiceError(ErrorCode.INVALID_PACKAGE, f"Invalid package: {exc.message}") from None


def courseware_body(courseware: Courseware, scos: list[CoursewareSco]) -> dict:
    return {
        "courseware_id": courseware.id,
        "org_id": courseware.org_id,
        "title": courseware.title,
        "scorm_version": courseware.scorm_version,
        "scos": [{"sco_id": s.sco_id, "title": s.title, "launch": s.launch} for s in scos],
    }


class DeleteCoursewareBody(Body):
    courseware_id: uuid.UUID
    reason: Str | None = Field(default=None, max_length=1000)


@router.post("/DeleteCourseware", responses=answers(OkResponse, *PROTECTED))
def delete_courseware_endpoint(body: DeleteCoursewareBody, request: Request):
    """Delete courseware no assignment uses, with its SCOs and files; what
    it was stays in the audit trail."""
    svc = services(request)
    with svc.db.write() as session:
        me = caller(request, session)
        courseware, path = _load_courseware(session, body.courseware_id)
        require(request, session, me, Permission.MANAGE_COURSEWARE, courseware.org_id, "manage courseware", path)
        deleted = delete_courseware(session, svc.settings, courseware)
        audit.record(session, me.user_id, "courseware.delete", "courseware", str(courseware.id), deleted, body.reason,
                     org_id=courseware.org_id, subject_user_id=None)
    return ok()


def _load_courseware(session: Session, courseware_id: uuid.UUID) -> tuple[Courseware, str]:
    """The courseware and its organization's path; 409 when unknown."""
    found = directory.with_org_path(session, Courseware, courseware_id)
    if found is None:
        raise not_found("Courseware", courseware_id)
    return found
