"""ScormApi/ExportCmiData: an assignment's or a section's records, streamed
as CSV or NDJSON, one row per learner × SCO."""
from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from scormapi.auth.permissions import Permission
from scormapi.store import learning
from scormapi.store.models import Courseware, Section, User
from tests.api.scorm_helpers import seed_attempt

PATH = "ScormApi/ExportCmiData"
NAMES = ["cmi.core.lesson_location", "cmi.suspend_data", "cmi.core.exit"]
HEADER = ["assignment_id", "assignment_status_id", "enrollment_id", "user_id", "login", "sco_id", "attempt_number",
          "lesson_status", "score_raw", "total_time", "started_at", "exited_at", "updated_at", *NAMES]


def export(world, body, accept=None, token=None):
    headers = {"Accept": accept} if accept else {}
    return world.post(PATH, body, token=token, headers=headers)


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.fixture()
def course(world):
    course = world.course(scos=2)
    seed_attempt(world, course, "item_1", cmi={
        "cmi.core.lesson_status": "passed", "cmi.core.score.raw": "92", "cmi.core.total_time": "0000:12:30.00",
        "cmi.core.lesson_location": "page 4", "cmi.suspend_data": "=HYPERLINK(\"x\")", "cmi.core.exit": "suspend"})
    return course


def test_csv_has_a_row_per_learner_and_sco(world, course):
    r = export(world, {"assignment_id": str(course.assignment.id), "cmi_element_names": NAMES}, accept="text/csv")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == f'attachment; filename="cmi-assignment-{course.assignment.id}.csv"'
    header, first, second = rows_of(r)
    assert header == HEADER
    ids = [str(course.assignment.id), str(course.assignment_status.id), str(course.enrollment.id), str(course.learner.id),
           course.learner.login]
    assert first[:10] == [*ids, "item_1", "1", "passed", "92.0", "0000:12:30.00"]
    # Written by the learner, it would run as a formula in a spreadsheet: kept as text.
    assert first[13:] == ["page 4", "'=HYPERLINK(\"x\")", "suspend"]
    # Never opened: the LMS's initial values, no attempt, no dates.
    assert second == [*ids, "item_2", "", "not attempted", "", "0000:00:00.00", "", "", "", "", "", ""]


def test_ndjson_keeps_values_as_they_are(world, course):
    body = {"assignment_id": str(course.assignment.id), "cmi_element_names": NAMES}
    r = export(world, body, accept="application/x-ndjson")
    assert r.status_code == 200 and r.headers["content-type"] == "application/x-ndjson"
    lines = r.content.decode().splitlines()
    first, second = (json.loads(line) for line in lines)
    assert first["sco_id"] == "item_1" and first["attempt_number"] == 1 and first["score_raw"] == 92.0
    assert first["cmi"] == {"cmi.core.lesson_location": "page 4", "cmi.suspend_data": "=HYPERLINK(\"x\")",
                            "cmi.core.exit": "suspend"}
    assert first["started_at"] is None and first["login"] == course.learner.login
    assert second["attempt_number"] is None and second["lesson_status"] == "not attempted"


@pytest.mark.parametrize("accept", [None, "*/*", "text/*", "text/html, text/csv;q=0.9"], ids=["none", "any", "text", "list"])
def test_csv_is_the_default(world, course, accept):
    r = export(world, {"assignment_id": str(course.assignment.id), "cmi_element_names": []}, accept=accept)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert rows_of(r)[0] == HEADER[:13]


def test_a_format_neither_is_refused_before_anything_is_read(world, course):
    r = export(world, {"assignment_id": str(course.assignment.id), "cmi_element_names": []}, accept="application/pdf")
    assert r.status_code == 422 and r.json() == {"api_error_entity": {
        "error_code": 2, "warning_messages": [],
        "error_message": "Invalid request: Accept: send text/csv or application/x-ndjson"}}


def test_a_section_exports_every_assignment_and_learner(world, course):
    other_learner = world.user()
    with world.db.write() as s:
        section = s.get(Section, course.section.id)
        learning.create_enrollment(s, section, s.get(User, other_learner.id))
        second = learning.create_assignment(s, section, s.get(Courseware, course.courseware.id), "Again")
    r = export(world, {"section_id": str(course.section.id), "cmi_element_names": []})
    rows = rows_of(r)[1:]
    assert len(rows) == 2 * 2 * 2
    assert {(row[0], row[4], row[5]) for row in rows} == {
        (str(a), login, sco) for a in (course.assignment.id, second.id)
        for login in (course.learner.login, other_learner.login) for sco in ("item_1", "item_2")}
    assert r.headers["content-disposition"].endswith(f'cmi-section-{course.section.id}.csv"')


def test_modified_since_keeps_only_attempts_changed_since(world, course):
    body = {"assignment_id": str(course.assignment.id), "cmi_element_names": []}
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    earlier = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    assert [row[5] for row in rows_of(export(world, {**body, "modified_since": earlier}))[1:]] == ["item_1"]
    assert rows_of(export(world, {**body, "modified_since": later}))[1:] == []


@pytest.mark.parametrize("body, message", [
    ({}, "give exactly one of section_id and assignment_id"),
    ({"section_id": "S", "assignment_id": "A"}, "give exactly one of section_id and assignment_id"),
    ({"assignment_id": "A", "modified_since": "2026-01-01T00:00:00"}, "modified_since: Input should have timezone info"),
    ({"assignment_id": "A", "modified_since": 1767225600}, "modified_since: Input should be an ISO 8601 date-time string"),
    ({"assignment_id": "A", "cmi_element_names": ["cmi.core.nope"]}, "'cmi.core.nope' is not an element of the data model"),
    ({"assignment_id": "A", "cmi_element_names": "cmi.core.exit"}, "cmi_element_names"),
    ({"assignment_id": "A", "extra": 1}, "extra"),
], ids=["no-scope", "two-scopes", "naive-time", "epoch-number", "unknown-name", "names-not-a-list", "extra-field"])
def test_bad_requests_are_422(world, course, body, message):
    ids = {"S": str(course.section.id), "A": str(course.assignment.id)}
    body = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    r = export(world, body)
    assert r.status_code == 422 and r.json()["api_error_entity"]["error_code"] == 2
    assert message in r.json()["api_error_entity"]["error_message"]


def test_unknown_scopes_are_409(world):
    for body, kind in (({"assignment_id": str(uuid.uuid4())}, "Assignment"), ({"section_id": str(uuid.uuid4())}, "Section")):
        r = export(world, body)
        assert r.status_code == 409 and r.json()["api_error_entity"]["error_message"].startswith(kind)


def test_permissions(world, course):
    body = {"assignment_id": str(course.assignment.id), "cmi_element_names": []}
    sibling = world.org()
    cells = [
        ({world.top: [Permission.VIEW_SECTION_ENROLLMENTS]}, 200),
        ({world.top: [Permission.UPDATE_SECTION_ENROLLMENTS, Permission.MANAGE_SECTIONS]}, 403),
        ({sibling: [Permission.VIEW_SECTION_ENROLLMENTS]}, 403),
        ({}, 403),
    ]
    for grants, status in cells:
        token = world.token(world.user(permissions=grants))
        r = export(world, body, token=token)
        assert r.status_code == status, grants
        if status == 403:
            assert r.json()["api_error_entity"]["error_message"] == "Not authorized to view CMI data"
    assert export(world, body, token="nope").status_code == 403


def test_the_file_is_streamed_not_built_whole(world, course, http, monkeypatch):
    from scormapi.api import export as export_api
    monkeypatch.setattr(export_api, "ROWS_PER_CHUNK", 1)
    body = {"assignment_id": str(course.assignment.id), "cmi_element_names": NAMES}
    with http.stream("POST", "/api/v1/ScormApi/ExportCmiData", json=body, params={"access_token": world.admin_token}) as r:
        assert r.status_code == 200
        assert "content-length" not in r.headers and r.headers["transfer-encoding"] == "chunked"
        chunks = [chunk for chunk in r.iter_raw() if chunk]
    # The header and each row went out on their own.
    assert len(chunks) >= 3
    assert b"".join(chunks).decode().count("\r\n") == 3
