"""Reading a SCORM package upload, for every face that takes one
(ScormApi/ImportPackage, the console's import form).

The upload is streamed to a temporary file part by part, so memory stays
flat whatever the package size, and refused as soon as it passes the
package limit (the request body limit does not apply to these paths: the
upload bounds itself).
"""
from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from scormapi.errors import ErrorCode, ServiceError, invalid

# Room for the multipart boundaries, part headers and the few text fields
# (org_id, allow_duplicate, a form's CSRF token) on top of the package.
ENVELOPE_SLACK = 64 * 1024

# The form's spellings of a boolean: HTML forms and curl -F send text.
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


def too_large(limit: int) -> ServiceError:
    return ServiceError(ErrorCode.INVALID_PACKAGE, f"The package is larger than the limit of {limit} bytes")


async def read_package_form(request: Request, limit: int) -> FormData:
    """The multipart form, its file part spooled to disk; refused before a
    byte is read when the declared length is already too large."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + ENVELOPE_SLACK:
        raise too_large(limit)
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise invalid(["body: multipart/form-data with a 'file' part (the zip) is required"])
    body = _bounded(request.stream(), limit + ENVELOPE_SLACK, limit)
    parser = MultiPartParser(request.headers, body, max_files=1, max_fields=8)
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
class PackageForm:
    upload: UploadFile
    org_id: uuid.UUID | None
    allow_duplicate: bool


def package_fields(form: FormData, limit: int) -> PackageForm:
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
    return PackageForm(upload, org_id, allow_duplicate)


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
