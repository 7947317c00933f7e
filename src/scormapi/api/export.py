"""ScormApi/ExportCmiData: an assignment's or a section's records as one
streamed file, CSV (``Accept: text/csv``, the default) or NDJSON
(``Accept: application/x-ndjson``): one row per learner × SCO with the
requested CMI elements.

Everything that can refuse the request (token, body, permission, element
names, the format) is settled before the first byte is sent; then rows are
written as they are read (``ops/export.py``, which the console's download
uses too).
"""
from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from pydantic import Field, model_validator
from starlette.responses import StreamingResponse

from scormapi.api.deps import TokenFirst, caller, services
from scormapi.api.response_models import PROTECTED, answers
from scormapi.api.schemas import Body, ZonedDate
from scormapi.api.scorm import MAX_ELEMENT_NAMES, ElementName
from scormapi.errors import invalid
from scormapi.ops import export as ops_export
from scormapi.ops.export import COLUMNS, CSV, NDJSON
from scormapi.store import export

router = APIRouter(prefix="/api/v1/ScormApi", tags=["ScormApi"], route_class=TokenFirst)

# Rows rendered per chunk sent: fewer, larger writes to the socket.
ROWS_PER_CHUNK = ops_export.ROWS_PER_CHUNK


class ExportBody(Body):
    section_id: uuid.UUID | None = None
    assignment_id: uuid.UUID | None = None
    cmi_element_names: list[ElementName] = Field(default_factory=list, max_length=MAX_ELEMENT_NAMES)
    modified_since: ZonedDate | None = Field(default=None, description="only attempts changed at or after this time")

    @model_validator(mode="after")
    def _one_scope(self):
        if (self.section_id is None) == (self.assignment_id is None):
            raise ValueError("give exactly one of section_id and assignment_id")
        return self


_STREAMED = {"schema": {"type": "string"}}


@router.post(
    "/ExportCmiData",
    response_class=StreamingResponse,
    responses={**answers(None, *PROTECTED), 200: {
        "description": "one row per learner × SCO, streamed: a header row of " + ", ".join(COLUMNS)
                       + " and the requested element names (CSV), or one JSON object per line (NDJSON)",
        "content": {CSV: _STREAMED, NDJSON: _STREAMED}}},
)
def export_cmi_data(body: ExportBody, request: Request):
    """The records of an assignment (or of every assignment of a section) as CSV or NDJSON."""
    media = _media_type(request.headers.get("accept", ""))
    svc = services(request)
    scope = export.Scope(assignment_id=body.assignment_id, section_id=body.section_id)
    with svc.db.read() as session:
        me = caller(request, session)
        ops_export.check_export(session, svc.grants, me.user_id, scope, body.cmi_element_names)
    chunks = ops_export.stream(svc.db, scope, body.cmi_element_names, body.modified_since, media,
                               ROWS_PER_CHUNK)
    headers = {"Content-Disposition": f'attachment; filename="{ops_export.file_name(scope, media)}"',
               "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
    return StreamingResponse(chunks, media_type=f"{media}; charset=utf-8" if media == CSV else media, headers=headers)


def _media_type(accept: str) -> str:
    """NDJSON when asked for, else CSV (also for */* or no Accept); 422 for
    a client that accepts neither."""
    kinds = [part.split(";")[0].strip().lower() for part in accept.split(",") if part.strip()]
    if NDJSON in kinds:
        return NDJSON
    if not kinds or any(kind in (CSV, "text/*", "*/*") for kind in kinds):
        return CSV
    raise invalid([f"Accept: send {CSV} or {NDJSON}"])
