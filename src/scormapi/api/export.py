"""ScormApi/ExportCmiData: an assignment's or a section's records as one
streamed file, CSV (``Accept: text/csv``, the default) or NDJSON
(``Accept: application/x-ndjson``): one row per learner × SCO with the
requested CMI elements.

Everything that can refuse the request (token, body, permission, element
names, the format) is settled before the first byte is sent; then rows are
written as they are read (``store/export.py``), so memory does not grow
with the number of rows. An element name is judged, once the caller may
read the scope, by the data models of the coursewares it holds.
"""
from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import StreamingResponse

from scormapi.api.deps import TokenFirst, caller, require, services
from scormapi.api.response_models import PROTECTED, answers
from scormapi.api.schemas import Body, ZonedDate
from scormapi.api.scorm import MAX_ELEMENT_NAMES, ElementName, iso_utc
from scormapi.auth.permissions import Permission
from scormapi.cmi.profile import VERSIONS, Profile, for_version
from scormapi.cmi.timespan import format_timespan
from scormapi.errors import invalid, not_found
from scormapi.ops.attempts import read_values
from scormapi.ops.learning import load_section
from scormapi.store import export
from scormapi.store.db import Database
from scormapi.store.models import Assignment, Courseware

router = APIRouter(prefix="/api/v1/ScormApi", tags=["ScormApi"], route_class=TokenFirst)

CSV = "text/csv"
NDJSON = "application/x-ndjson"
COLUMNS = ("assignment_id", "assignment_status_id", "enrollment_id", "user_id", "login", "sco_id", "attempt_number",
           "lesson_status", "score_raw", "total_time", "started_at", "exited_at", "updated_at")
# Rows rendered per chunk sent: fewer, larger writes to the socket.
ROWS_PER_CHUNK = 200
# What a spreadsheet would run as a formula when a cell starts with it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


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
        section_id = body.section_id or _section_of(session, body.assignment_id)
        section, path = load_section(session, section_id)
        require(request, session, me, Permission.VIEW_SECTION_ENROLLMENTS, section.org_id, "view CMI data", path)
        _check_names(body.cmi_element_names, _profiles_in(session, scope))
    chunks = _stream(svc.db, scope, body.cmi_element_names, body.modified_since, media)
    kind, ident = ("assignment", body.assignment_id) if body.assignment_id else ("section", body.section_id)
    extension = "csv" if media == CSV else "ndjson"
    headers = {"Content-Disposition": f'attachment; filename="cmi-{kind}-{ident}.{extension}"',
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


def _profiles_in(session: Session, scope: export.Scope) -> list[Profile]:
    """The data models of the coursewares the export reads; with none (a
    section without assignments), every version's, so the names are judged
    as they would be once one is assigned."""
    stmt = select(Courseware.scorm_version).join(Assignment, Assignment.courseware_id == Courseware.id).distinct()
    if scope.assignment_id is not None:
        stmt = stmt.where(Assignment.id == scope.assignment_id)
    else:
        stmt = stmt.where(Assignment.section_id == scope.section_id)
    versions = sorted(session.scalars(stmt)) or list(VERSIONS)
    return [for_version(version) for version in versions]


def _check_names(names: list[str], profiles: list[Profile]) -> None:
    """Every name must be an element of one of ``profiles``' data models: a
    file with a column that can never hold a value helps nobody. A profile's
    ``resolve`` answers an int error code for a name it does not define; the
    message gives the first profile's."""
    problems = []
    for name in names:
        errors = [code for code in (p.resolve(name) for p in profiles) if isinstance(code, int)]
        if len(errors) == len(profiles):
            problems.append(f"cmi_element_names: {name!r} is not an element of the data model "
                            f"({profiles[0].describe(errors[0])})")
    if problems:
        raise invalid(problems[:20])


def _section_of(session, assignment_id: uuid.UUID) -> uuid.UUID:
    assignment = session.get(Assignment, assignment_id)
    if assignment is None:
        raise not_found("Assignment", assignment_id)
    return assignment.section_id


def _stream(db: Database, scope: export.Scope, names: list[str], since: datetime | None, media: str) -> Iterator[bytes]:
    """The file, chunk by chunk, read in its own session while it is sent."""
    render = _csv_lines if media == CSV else _ndjson_lines
    with db.read() as session:
        yield from render(export.record_rows(session, scope, since), names)


def _fields(row: export.RecordRow) -> list:
    return [
        str(row.assignment_id), str(row.assignment_status_id), str(row.enrollment_id), str(row.user_id), row.login,
        row.sco_id, row.attempt_number, row.lesson_status, row.score_raw,
        format_timespan(round(row.total_seconds * 100)), iso_utc(row.started_at), iso_utc(row.exited_at),
        iso_utc(row.updated_at),
    ]


def _values(row: export.RecordRow, names: list[str]) -> list[str]:
    """Read as GetCmiData reads them, by the row's own data model."""
    return [found.value for found in read_values(for_version(row.scorm_version), row.cmi, names)]


def _chunked(rows: Iterable, size: int) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _csv_lines(rows: Iterable[export.RecordRow], names: list[str]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*COLUMNS, *names])
    # The header goes at once: the client sees the file begin while the
    # first rows are read.
    yield _drain(buffer)
    for batch in _chunked(rows, ROWS_PER_CHUNK):
        for row in batch:
            writer.writerow([*(_cell(v) for v in _fields(row)), *(_cell(v) for v in _values(row, names))])
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    """What the buffer holds, encoded, and the buffer emptied."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode()


def _cell(value) -> str:
    """A CSV cell a spreadsheet shows as text: a value that would start a
    formula (learners write comments and suspend data) gets a leading
    apostrophe; plain numbers, negative scores included, stay numbers."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def _ndjson_lines(rows: Iterable[export.RecordRow], names: list[str]) -> Iterator[bytes]:
    for batch in _chunked(rows, ROWS_PER_CHUNK):
        lines = []
        for row in batch:
            item = dict(zip(COLUMNS, _fields(row)))
            item["cmi"] = dict(zip(names, _values(row, names)))
            lines.append(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
        yield ("\n".join(lines) + "\n").encode()
