"""ScormApi/ImportPackage: upload a SCORM package (multipart) and get a course
with its SCOs; ScormApi/DeleteCourseware: remove one no assignment uses.

The one async operation: the upload is streamed to a temporary file part by
part (``web.uploads``: memory stays flat whatever the package size) and
refused as soon as it passes ``settings.package_max_bytes``. Database work
and extraction run in the thread pool like every other operation.

A zip the organization already imported is refused (409, naming the
courseware it made) unless the form says ``allow_duplicate``; a second copy
made that way says which courseware it duplicates in its warnings and its
audit record.
"""
from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from scormapi.api.deps import TokenFirst, caller, services
from scormapi.api.response_models import PROTECTED, CoursewareItem, OkResponse, answers
from scormapi.api.responses import ok
from scormapi.api.schemas import Body, Str
from scormapi.auth.tokens import Principal
from scormapi.ops import courseware as ops_courseware
from scormapi.store.models import Courseware, CoursewareSco
from scormapi.web import uploads

router = APIRouter(prefix="/api/v1/ScormApi", tags=["ScormApi"], route_class=TokenFirst)
IMPORT_PACKAGE = "/ImportPackage"
# The one body larger than settings.max_body_bytes: the upload bounds itself.
UPLOAD_PATH = router.prefix + IMPORT_PACKAGE

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


@router.post(IMPORT_PACKAGE, openapi_extra=_OPENAPI_BODY, responses=answers(CoursewareItem, *PROTECTED))
async def import_package_endpoint(request: Request):
    svc = services(request)
    # Authenticate before reading a byte of a possibly large upload.
    me = await run_in_threadpool(_authenticate, request)
    limit = svc.settings.package_max_bytes
    form = await uploads.read_package_form(request, limit)
    try:
        fields = uploads.package_fields(form, limit)
        body, warnings = await run_in_threadpool(_import, request, me, fields)
    finally:
        await form.close()
    return ok(body, warnings)


def _authenticate(request: Request) -> Principal:
    with services(request).db.read() as session:
        return caller(request, session)


def _import(request: Request, me: Principal, fields: uploads.PackageForm) -> tuple[dict, list[str]]:
    svc = services(request)
    imported = ops_courseware.import_upload(
        svc.db, svc.settings, svc.grants, me.user_id, fields.org_id, fields.upload.file,
        file_name=fields.upload.filename or "", allow_duplicate=fields.allow_duplicate,
    )
    return courseware_body(imported.courseware, imported.scos), imported.warning_messages()


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
        ops_courseware.delete(session, svc.settings, svc.grants, me.user_id, body.courseware_id, body.reason)
    return ok()
