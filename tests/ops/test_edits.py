"""ops/edits: EditScormData as one operation any face calls, with the rules
of the SCO's data model (the SCORM 1.2 profile's field map, rules and
warnings)."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from scormapi.auth.permissions import GrantCache, Permission
from scormapi.cmi.profile import SCORM12
from scormapi.errors import ErrorCode, ServiceError
from scormapi.ops import edits
from scormapi.store.models import AuditEvent, ScoAttempt

STATUS_RULE = "one of 'passed', 'completed', 'failed', 'incomplete', 'browsed', 'not attempted'"


# -- the SCORM 1.2 profile ---------------------------------------------------------------


def test_every_contract_field_writes_its_1_2_element():
    written = {name: [(element, convert(value)) for element, convert in SCORM12.edit_fields[name]]
               for name, value in [("lesson_mode", "browse"), ("lesson_status", "passed"), ("lesson_location", "p"),
                                   ("exit_status", "normal"), ("session_time", "00:00:01"), ("total_time", "00:00:02"),
                                   ("raw_score", 85.0), ("suspend_data", "s"), ("entry", "resume"),
                                   ("preference_language", "fr"), ("preference_speed", 5), ("for_credit", False)]}
    # The fields after for_credit are SCORM 2004's, which 1.2 refuses.
    assert list(written) == list(edits.SCORM_FIELDS)[:12] == list(SCORM12.edit_fields)
    assert written == {
        "lesson_mode": [("cmi.core.lesson_mode", "browse")],
        "lesson_status": [("cmi.core.lesson_status", "passed")],
        "lesson_location": [("cmi.core.lesson_location", "p")],
        "exit_status": [("cmi.core.exit", "")],
        "session_time": [("cmi.core.session_time", "00:00:01")],
        "total_time": [("cmi.core.total_time", "00:00:02")],
        "raw_score": [("cmi.core.score.raw", "85")],
        "suspend_data": [("cmi.suspend_data", "s")],
        "entry": [("cmi.core.entry", "resume")],
        "preference_language": [("cmi.student_preference.language", "fr")],
        "preference_speed": [("cmi.student_preference.speed", "5")],
        "for_credit": [("cmi.core.credit", "no-credit")],
    }


def test_value_problems_name_every_bad_field_in_order():
    problems = edits.value_problems(SCORM12, {"lesson_status": "done", "lesson_location": "ok", "raw_score": 100.5,
                                              "suspend_data": "x" * 11, "nonsense": 1}, 10)
    assert [str(p) for p in problems] == [
        f"lesson_status: not a valid cmi.core.lesson_status ({STATUS_RULE}): 405 Incorrect data type",
        "raw_score: not a valid cmi.core.score.raw (a CMIDecimal 0..100 or blank): 405 Incorrect data type",
        "suspend_data: not a valid cmi.suspend_data (at most 10 characters): 405 Incorrect data type",
        "nonsense: has no meaning in SCORM 1.2",
    ]


@pytest.mark.parametrize("old, new, warnings", [
    ({}, {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "50", "cmi.student_data.mastery_score": "80"},
     ["lesson_status 'passed' contradicts the mastery score: raw_score 50 is below the mastery score 80"]),
    # A contradiction the edit did not touch is not reported again.
    ({"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "50", "cmi.student_data.mastery_score": "80"},
     {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "50", "cmi.student_data.mastery_score": "80",
      "cmi.core.lesson_location": "p"}, []),
    ({"cmi.core.total_time": "00:00:05"}, {"cmi.core.total_time": "00:00:01", "cmi.core.session_time": "00:00:02"},
     ["total_time 00:00:01 is less than session_time 00:00:02"]),
])
def test_the_1_2_warnings_compare_the_state_before_and_after(old, new, warnings):
    assert SCORM12.edit_warnings(old, new) == warnings


def test_the_rule_of_suspend_data_is_the_deployment_s():
    assert SCORM12.describe_rule("cmi.suspend_data", 4096) == "at most 4096 characters"
    assert SCORM12.describe_rule("cmi.core.lesson_location", 4096) == "at most 255 characters"


# -- the operation, called from any face -----------------------------------------------------


@pytest.fixture()
def grants():
    return GrantCache(ttl=60)


def request_for(course, **values) -> edits.EditRequest:
    return edits.EditRequest(course.assignment_status.id, "item_1", values)


def audit_count(world) -> int:
    with world.db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent))


def test_an_edit_writes_audits_and_answers_its_changes(world, grants):
    course = world.course(scos=1, mastery_score=80)
    request = edits.EditRequest(course.assignment_status.id, "item_1", {"lesson_status": "passed", "raw_score": 50},
                                title="T", dates={"start_date_utc": datetime(2025, 1, 1, tzinfo=UTC)}, reason="why")
    with world.db.write() as s:
        done = edits.edit_scorm_data(s, grants, world.admin.id, request, 64000)
    assert [c.to_json() for c in done.changes] == [
        {"cmi_element_name": "cmi.core.lesson_status", "old_value": "not attempted", "new_value": "passed"},
        {"cmi_element_name": "cmi.core.score.raw", "old_value": "", "new_value": "50"},
        {"cmi_element_name": "title", "old_value": "Lesson 1", "new_value": "T"},
        {"cmi_element_name": "start_date_utc", "old_value": None, "new_value": "2025-01-01T00:00:00.000Z"},
    ]
    assert done.warnings == ["lesson_status 'passed' contradicts the mastery score: raw_score 50 is below the mastery score 80"]
    with world.db.read() as s:
        attempt = s.scalar(select(ScoAttempt).where(ScoAttempt.assignment_status_id == course.assignment_status.id))
        found = edits.edit_history(s, grants, world.admin.id, course.assignment_status.id, "item_1", 0, 10)
    assert (attempt.lesson_status, attempt.score_raw, attempt.title) == ("passed", 50.0, "T")
    assert found.total == 1
    assert (found.events[0].reason, found.events[0].details["warnings"]) == ("why", done.warnings)


def test_a_bad_value_is_refused_with_the_api_s_message_and_nothing_written(world, grants):
    course = world.course(scos=1)
    count = audit_count(world)
    with pytest.raises(ServiceError) as refused, world.db.write() as s:
        edits.edit_scorm_data(s, grants, world.admin.id, request_for(course, lesson_status="done", entry="Resume"),
                              64000)
    assert (refused.value.code, refused.value.message) == (ErrorCode.VALIDATION_ERROR, "Invalid request: " + "; ".join([
        f"lesson_status: not a valid cmi.core.lesson_status ({STATUS_RULE}): 405 Incorrect data type",
        "entry: not a valid cmi.core.entry (one of 'ab-initio', 'resume', ''): 405 Incorrect data type"]))
    assert audit_count(world) == count


def test_the_permission_is_checked_before_the_values(world, grants):
    course = world.course(scos=1)
    viewer = world.user(permissions={world.top: [Permission.VIEW_SECTION_ENROLLMENTS]})
    with pytest.raises(ServiceError) as refused, world.db.write() as s:
        edits.edit_scorm_data(s, grants, viewer.id, request_for(course, lesson_status="done"), 64000)
    assert (refused.value.code, refused.value.message) == (ErrorCode.NOT_AUTHORIZED, "Not authorized to edit SCORM data")


def test_check_values_writes_nothing(world, grants):
    course = world.course(scos=1)
    with world.db.read() as s:
        problems = edits.check_values(s, grants, world.admin.id, course.assignment_status.id, "item_1",
                                      {"lesson_mode": "test"}, 64000)
    assert [str(p) for p in problems] == [
        "lesson_mode: not a valid cmi.core.lesson_mode (one of 'browse', 'normal', 'review'): 405 Incorrect data type"]
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(ScoAttempt).where(
            ScoAttempt.assignment_status_id == course.assignment_status.id)) == 0
