"""ExportCmiData's work for the API and the console alike: who may export
a scope and with which element names, and the file itself, rendered as it
is read (``store/export.py``) so memory does not grow with the rows.

An element name is judged, once the caller may read the scope, by the data
models of the coursewares it holds.
"""
from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from scormapi.auth.permissions import GrantCache, Permission
from scormapi.cmi.profile import VERSIONS, Profile, answers, for_version
from scormapi.cmi.scorm12.timespan import format_timespan
from scormapi.errors import invalid, not_found
from scormapi.ops import access
from scormapi.ops.attempts import read_values
from scormapi.ops.edits import iso_utc
from scormapi.store import directory, export
from scormapi.store.db import Database
from scormapi.store.models import Assignment, Courseware, Section

CSV = "text/csv"
NDJSON = "application/x-ndjson"
COLUMNS = ("assignment_id", "assignment_status_id", "enrollment_id", "user_id", "login", "sco_id", "attempt_number",
           "lesson_status", "score_raw", "total_time", "started_at", "exited_at", "updated_at")
# Rows rendered per chunk, unless the caller chooses: fewer, larger writes to the socket.
ROWS_PER_CHUNK = 200
# What a spreadsheet would run as a formula when a cell starts with it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def check_export(session: Session, grants: GrantCache, user_id: uuid.UUID, scope: export.Scope,
                 names: list[str]) -> None:
    """Refused unless the user may view enrollments of the scope's section
    and every name is an element of a data model the scope holds."""
    section_id = scope.section_id or _section_of(session, scope.assignment_id)
    found = directory.with_org_path(session, Section, section_id)
    if found is None:
        raise not_found("Section", section_id)
    section, path = found
    access.require(session, grants, user_id, Permission.VIEW_SECTION_ENROLLMENTS, section.org_id, "view CMI data", path)
    check_names(names, profiles_in(session, scope))


def versions_in(session: Session, scope: export.Scope) -> list[str]:
    """The SCORM versions of the coursewares the export reads."""
    stmt = select(Courseware.scorm_version).join(Assignment, Assignment.courseware_id == Courseware.id).distinct()
    if scope.assignment_id is not None:
        stmt = stmt.where(Assignment.id == scope.assignment_id)
    else:
        stmt = stmt.where(Assignment.section_id == scope.section_id)
    return sorted(session.scalars(stmt))


def profiles_in(session: Session, scope: export.Scope) -> list[Profile]:
    """The data models of the coursewares the export reads; with none (a
    section without assignments), every version's, so the names are judged
    as they would be once one is assigned."""
    return [for_version(version) for version in versions_in(session, scope) or list(VERSIONS)]


def check_names(names: list[str], profiles: list[Profile]) -> None:
    """Every name must have a value to give in one of ``profiles``' data
    models, as GetCmiData reads it (its own element, or another version's
    with a counterpart): a file with a column that can never hold a value
    helps nobody. The message gives the first profile's error."""
    problems = []
    for name in names:
        if not any(answers(p, name) for p in profiles):
            problems.append(f"cmi_element_names: {name!r} is not an element of the data model "
                            f"({profiles[0].describe(profiles[0].resolve(name))})")
    if problems:
        raise invalid(problems[:20])


def _section_of(session, assignment_id: uuid.UUID) -> uuid.UUID:
    assignment = session.get(Assignment, assignment_id)
    if assignment is None:
        raise not_found("Assignment", assignment_id)
    return assignment.section_id


def stream(db: Database, scope: export.Scope, names: list[str], since: datetime | None, media: str = CSV,
           rows_per_chunk: int = ROWS_PER_CHUNK) -> Iterator[bytes]:
    """The file, chunk by chunk, read in its own session while it is sent."""
    render = _csv_lines if media == CSV else _ndjson_lines
    with db.read() as session:
        yield from render(export.record_rows(session, scope, since), names, rows_per_chunk)


def file_name(scope: export.Scope, media: str = CSV) -> str:
    kind, ident = ("assignment", scope.assignment_id) if scope.assignment_id else ("section", scope.section_id)
    return f"cmi-{kind}-{ident}.{'csv' if media == CSV else 'ndjson'}"


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


def _csv_lines(rows: Iterable[export.RecordRow], names: list[str], size: int) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*COLUMNS, *names])
    # The header goes at once: the client sees the file begin while the
    # first rows are read.
    yield _drain(buffer)
    for batch in _chunked(rows, size):
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


def _ndjson_lines(rows: Iterable[export.RecordRow], names: list[str], size: int) -> Iterator[bytes]:
    for batch in _chunked(rows, size):
        lines = []
        for row in batch:
            item = dict(zip(COLUMNS, _fields(row)))
            item["cmi"] = dict(zip(names, _values(row, names)))
            lines.append(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
        yield ("\n".join(lines) + "\n").encode()
