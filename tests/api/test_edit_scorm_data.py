"""ScormApi/EditScormData: every field, validation, warnings, permissions,
history, audit and concurrent edits."""
from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import select

from scormapi.auth.permissions import Permission
from scormapi.store import attempts, directory
from scormapi.store.models import AssignmentStatus, ScoAttempt
from tests.api.scorm_helpers import (
    OK,
    PLACES,
    audit_count,
    audit_events,
    edit,
    entity,
    get_cmi,
    load_attempt,
    load_history,
    place_org,
    seed_attempt,
    user_with,
    values,
)

OK_BODY = {"api_error_entity": OK}
STATUS_RULE = "one of 'passed', 'completed', 'failed', 'incomplete', 'browsed', 'not attempted'"


@pytest.fixture()
def course(world, mid):
    return world.course(scos=2, mastery_score=80, org=mid)


def read(world, course, *names, sco=0):
    return [values(get_cmi(world, course, list(names)))[sco][n] for n in names]


# -- each field ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, sent, element, stored",
    [
        ("lesson_mode", "browse", "cmi.core.lesson_mode", "browse"),
        ("lesson_mode", "review", "cmi.core.lesson_mode", "review"),
        *[("lesson_status", s, "cmi.core.lesson_status", s)
          for s in ("passed", "completed", "failed", "incomplete", "browsed", "not attempted")],
        ("lesson_location", "slide-7", "cmi.core.lesson_location", "slide-7"),
        ("lesson_location", "x" * 255, "cmi.core.lesson_location", "x" * 255),
        ("exit_status", "normal", "cmi.core.exit", ""),
        ("exit_status", "suspend", "cmi.core.exit", "suspend"),
        ("exit_status", "time-out", "cmi.core.exit", "time-out"),
        ("exit_status", "logout", "cmi.core.exit", "logout"),
        ("exit_status", "", "cmi.core.exit", ""),
        ("session_time", "0001:02:03.45", "cmi.core.session_time", "0001:02:03.45"),
        ("session_time", "00:00:05", "cmi.core.session_time", "00:00:05"),
        ("total_time", "9999:59:59.99", "cmi.core.total_time", "9999:59:59.99"),
        ("raw_score", 85, "cmi.core.score.raw", "85"),
        ("raw_score", 85.0, "cmi.core.score.raw", "85"),
        ("raw_score", 85.5, "cmi.core.score.raw", "85.5"),
        ("raw_score", 0, "cmi.core.score.raw", "0"),
        ("raw_score", 100, "cmi.core.score.raw", "100"),
        ("raw_score", 0.0001, "cmi.core.score.raw", "0.0001"),
        ("suspend_data", "s" * 64000, "cmi.suspend_data", "s" * 64000),
        ("suspend_data", "", "cmi.suspend_data", ""),
        ("entry", "resume", "cmi.core.entry", "resume"),
        ("entry", "", "cmi.core.entry", ""),
        ("preference_language", "fr-CA", "cmi.student_preference.language", "fr-CA"),
        ("preference_speed", -100, "cmi.student_preference.speed", "-100"),
        ("preference_speed", 100, "cmi.student_preference.speed", "100"),
        ("for_credit", False, "cmi.core.credit", "no-credit"),
        ("for_credit", True, "cmi.core.credit", "credit"),
    ],
)
def test_each_field_lands_in_its_element(world, course, field, sent, element, stored):
    seed_attempt(world, course, cmi={"cmi.core.credit": "no-credit", "cmi.core.exit": "logout",
                                     "cmi.core.entry": "ab-initio", "cmi.core.total_time": "0100:00:00"})
    r = edit(world, course, **{field: sent})
    assert r.status_code == 200
    assert r.json() == OK_BODY
    assert read(world, course, element) == [stored]


def test_title_and_dates(world, course):
    r = edit(world, course, title="Lesson one (repaired)", start_date_utc="2025-09-13T14:00:00+02:00",
             exit_date_utc="2025-09-13T12:30:00.5")
    assert r.status_code == 200 and r.json() == OK_BODY
    item = get_cmi(world, course, []).json()[0]
    assert (item["title"], item["start_date_utc"], item["exit_date_utc"]) == (
        "Lesson one (repaired)", "2025-09-13T12:00:00.000Z", "2025-09-13T12:30:00.500Z")


def test_fields_not_sent_and_null_fields_stay_unchanged(world, course):
    seed_attempt(world, course, cmi={"cmi.core.lesson_status": "incomplete", "cmi.core.score.raw": "40",
                                     "cmi.suspend_data": "keep"}, title="Kept",
                 started_at=datetime(2025, 1, 1, tzinfo=UTC))
    r = edit(world, course, lesson_location="p9", lesson_status=None, raw_score=None, title=None,
             start_date_utc=None, suspend_data=None, for_credit=None, preference_speed=None)
    assert r.status_code == 200
    names = ["cmi.core.lesson_location", "cmi.core.lesson_status", "cmi.core.score.raw", "cmi.suspend_data", "cmi.core.credit"]
    assert read(world, course, *names) == ["p9", "incomplete", "40", "keep", "credit"]
    item = get_cmi(world, course, []).json()[0]
    assert (item["title"], item["start_date_utc"]) == ("Kept", "2025-01-01T00:00:00.000Z")
    assert [c["cmi_element_name"] for c in audit_events(world, course)[-1].details["changes"]] == ["cmi.core.lesson_location"]


def test_first_edit_creates_the_attempt_from_the_initial_values(world, course):
    assert load_attempt(world, course) is None
    r = edit(world, course, lesson_status="incomplete")
    assert r.status_code == 200
    attempt = load_attempt(world, course)
    assert attempt.attempt_number == 1
    assert attempt.cmi["cmi.core.entry"] == "ab-initio"
    assert attempt.cmi["cmi.core.student_id"] == course.learner.login
    assert attempt.cmi["cmi.student_data.mastery_score"] == "80"
    assert (attempt.lesson_status, attempt.started_at) == ("incomplete", None)
    assert load_attempt(world, course, "item_2") is None


def test_an_edit_that_changes_nothing_writes_nothing(world, course):
    before = audit_count(world)
    r = edit(world, course, lesson_status="not attempted", entry="ab-initio", title="Lesson 1")
    assert r.status_code == 200 and r.json() == OK_BODY
    assert load_attempt(world, course) is None
    assert audit_count(world) == before


def test_typed_columns_and_the_assignment_status_follow(world, course):
    assert edit(world, course, "item_1", lesson_status="passed", raw_score=90, total_time="0000:10:00",
                exit_date_utc="2025-02-01T00:00:00Z", start_date_utc="2025-01-31T00:00:00Z").status_code == 200
    attempt = load_attempt(world, course)
    assert (attempt.lesson_status, attempt.score_raw, attempt.total_seconds) == ("passed", 90.0, 600.0)

    def status():
        with world.db.read() as s:
            return s.get(AssignmentStatus, course.assignment_status.id)

    one = status()
    assert (one.status, one.score, one.total_seconds, one.completed_at) == ("incomplete", 90.0, 600.0, None)
    assert one.started_at == datetime(2025, 1, 31, tzinfo=UTC)
    assert edit(world, course, "item_2", lesson_status="completed", raw_score=70, total_time="0000:05:00").status_code == 200
    two = status()
    assert (two.status, two.score, two.total_seconds) == ("completed", 80.0, 900.0)
    assert two.completed_at == datetime(2025, 2, 1, tzinfo=UTC)
    assert edit(world, course, "item_2", lesson_status="failed", raw_score=10).status_code == 200
    assert (status().status, status().score) == ("failed", 50.0)
    assert edit(world, course, "item_2", lesson_status="incomplete").status_code == 200
    assert (status().status, status().completed_at) == ("incomplete", None)


def test_every_edit_bumps_the_version(world, course):
    version = seed_attempt(world, course).version
    edit(world, course, lesson_location="a")
    edit(world, course, lesson_location="b")
    assert load_attempt(world, course).version == version + 2


# -- validation -------------------------------------------------------------------------


def scorm_message(field, element, rule):
    return f"{field}: not a valid {element} ({rule}): 405 Incorrect data type"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("lesson_mode", "test", scorm_message("lesson_mode", "cmi.core.lesson_mode", "one of 'browse', 'normal', 'review'")),
        ("lesson_mode", "Normal", None),
        ("lesson_mode", 5, "lesson_mode: Input should be a valid string"),
        ("lesson_status", "done", scorm_message("lesson_status", "cmi.core.lesson_status", STATUS_RULE)),
        ("lesson_status", "Passed", None),
        ("lesson_status", ["passed"], None),
        ("lesson_location", "x" * 256, scorm_message("lesson_location", "cmi.core.lesson_location", "at most 255 characters")),
        ("exit_status", "quit", None),
        ("exit_status", "Normal", None),
        ("session_time", "1:00:00", scorm_message("session_time", "cmi.core.session_time", "HHHH:MM:SS[.S[S]], hours 2-4 digits")),
        ("session_time", "00:60:00", None),
        ("session_time", 100, "session_time: Input should be a valid string"),
        ("total_time", "0000:00:00.123", None),
        ("total_time", "P1D", None),
        ("raw_score", "50", "raw_score: Input should be a valid number"),
        ("raw_score", 100.01, scorm_message("raw_score", "cmi.core.score.raw", "a CMIDecimal 0..100 or blank")),
        ("raw_score", -1, None),
        ("raw_score", 1e300, None),
        ("raw_score", True, "raw_score: Input should be a valid number"),
        ("suspend_data", "x" * 64001, scorm_message("suspend_data", "cmi.suspend_data", "at most 64000 characters")),
        ("suspend_data", 5, "suspend_data: Input should be a valid string"),
        ("entry", "Resume", None),
        ("preference_language", "x" * 256, None),
        ("preference_speed", 1.5, "preference_speed: Input should be a valid integer"),
        ("preference_speed", "5", "preference_speed: Input should be a valid integer"),
        ("preference_speed", 101, scorm_message("preference_speed", "cmi.student_preference.speed", "a CMISInteger -100..100")),
        ("preference_speed", -101, None),
        ("for_credit", "true", "for_credit: Input should be a valid boolean"),
        ("for_credit", 1, "for_credit: Input should be a valid boolean"),
        ("title", "", None),
        ("title", "x" * 256, None),
        ("title", 5, None),
        ("start_date_utc", "yesterday", None),
        ("start_date_utc", 5, "start_date_utc: Input should be an ISO 8601 date-time string"),
        ("exit_date_utc", "2025-13-01T00:00:00Z", None),
        ("exit_date_utc", "0001-01-01T00:00:00+01:00", "exit_date_utc: Date-time is out of range in UTC"),
        ("reason", "x" * 1001, "reason: String should have at most 1000 characters"),
        ("reason", 5, None),
        ("assignment_status_id", "nope", None),
        ("assignment_status_id", None, None),
        ("sco_id", "", None),
        ("sco_id", 5, None),
        ("sco_id", "x" * 256, None),
    ],
)
def test_a_bad_value_is_422_and_changes_nothing(world, course, field, value, message):
    before = seed_attempt(world, course, cmi={"cmi.core.lesson_status": "incomplete"})
    count = audit_count(world)
    r = edit(world, course, **{"lesson_location": "new", field: value})
    assert r.status_code == 422
    entity_ = r.json()["api_error_entity"]
    assert entity_["error_code"] == 2
    assert entity_["error_message"].startswith(f"Invalid request: {field}: ")
    if message is not None:
        assert entity_["error_message"] == f"Invalid request: {message}"
    after = load_attempt(world, course)
    assert (after.cmi, after.version, after.title) == (before.cmi, before.version, before.title)
    assert audit_count(world) == count


def test_every_bad_field_is_named_at_once(world, course):
    r = edit(world, course, raw_score="50", lesson_status="done", preference_speed=1.5, suspend_data="x" * 64001,
             title="", lesson_location="fine", exit_status="quit")
    assert r.status_code == 422
    message = r.json()["api_error_entity"]["error_message"]
    named = [part.split(":")[0] for part in message.removeprefix("Invalid request: ").split("; ")]
    assert named == ["title", "lesson_status", "exit_status", "raw_score", "suspend_data", "preference_speed"]
    assert load_attempt(world, course) is None


def test_strict_suspend_data_limit(world, course, app, monkeypatch):
    services = app.state.services
    monkeypatch.setattr(services, "settings", services.settings.model_copy(update={"suspend_data_limit": "strict"}))
    assert edit(world, course, suspend_data="x" * 4096).status_code == 200
    r = edit(world, course, suspend_data="x" * 4097)
    assert r.status_code == 422
    assert r.json() == entity(2, "Invalid request: " + scorm_message("suspend_data", "cmi.suspend_data", "at most 4096 characters"))


@pytest.mark.parametrize("content", [b"", b"[]", b'"x"', b"{", b"null", b"42", b"{}"])
def test_empty_or_non_object_body_is_422(world, content):
    r = world.post("ScormApi/EditScormData", content=content, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["api_error_entity"]["error_code"] == 2


def test_the_openapi_document_describes_the_body(app):
    post = app.openapi()["paths"]["/api/v1/ScormApi/EditScormData"]["post"]
    schema = post["requestBody"]["content"]["application/json"]["schema"]
    assert set(schema["properties"]) == {
        "assignment_status_id", "sco_id", "title", "start_date_utc", "exit_date_utc", "lesson_mode", "lesson_status",
        "lesson_location", "exit_status", "session_time", "total_time", "raw_score", "suspend_data", "entry",
        "preference_language", "preference_speed", "for_credit", "completion_status", "success_status",
        "score_scaled", "progress_measure", "reason"}
    assert schema["required"] == ["assignment_status_id", "sco_id"]


def test_an_unknown_field_is_refused_by_name_and_changes_nothing(world, course):
    """A misspelt repair field ("lessonstatus") must not look like a repair that happened."""
    seed_attempt(world, course, cmi={"cmi.core.lesson_location": "before"})
    count = audit_count(world)
    r = edit(world, course, lesson_location="here", lessonstatus="completed")
    assert (r.status_code, r.json()) == (422, {"api_error_entity": {
        "error_code": 2, "error_message": "Invalid request: lessonstatus: unknown field", "warning_messages": []}})
    assert read(world, course, "cmi.core.lesson_location") == ["before"]
    assert audit_count(world) == count


# -- warnings -----------------------------------------------------------------------------


PASSED_LOW = "lesson_status 'passed' contradicts the mastery score: raw_score 50 is below the mastery score 80"
FAILED_HIGH = "lesson_status 'failed' contradicts the mastery score: raw_score 80 reaches the mastery score 80"


@pytest.mark.parametrize(
    "fields, warnings",
    [
        ({"lesson_status": "passed", "raw_score": 50}, [PASSED_LOW]),
        ({"lesson_status": "failed", "raw_score": 80}, [FAILED_HIGH]),
        ({"lesson_status": "passed", "raw_score": 80}, []),
        ({"lesson_status": "failed", "raw_score": 79.99}, []),
        ({"lesson_status": "passed"}, []),
        ({"lesson_status": "completed", "raw_score": 5}, []),
        ({"total_time": "0000:01:00", "session_time": "0000:02:00"},
         ["total_time 0000:01:00 is less than session_time 0000:02:00"]),
        ({"total_time": "0000:02:00", "session_time": "0000:02:00"}, []),
        ({"start_date_utc": "2025-01-02T00:00:00Z", "exit_date_utc": "2025-01-01T00:00:00Z"},
         ["exit_date_utc is before start_date_utc"]),
        ({"start_date_utc": "2025-01-01T00:00:00Z", "exit_date_utc": "2025-01-01T00:00:00Z"}, []),
        ({"lesson_status": "passed", "raw_score": 50, "total_time": "00:00:01", "session_time": "00:00:02",
          "start_date_utc": "2025-01-02T00:00:00Z", "exit_date_utc": "2025-01-01T00:00:00Z"},
         [PASSED_LOW, "total_time 00:00:01 is less than session_time 00:00:02", "exit_date_utc is before start_date_utc"]),
    ],
)
def test_suspicious_but_valid_edits_warn(world, course, fields, warnings):
    r = edit(world, course, **fields)
    assert r.status_code == 200
    assert r.json() == {"api_error_entity": {"error_code": 0, "warning_messages": warnings}}
    assert audit_events(world, course)[-1].details["warnings"] == warnings


def test_changing_only_the_score_still_checks_the_stored_status(world, course):
    seed_attempt(world, course, cmi={"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "90"})
    r = edit(world, course, raw_score=50)
    assert r.json()["api_error_entity"]["warning_messages"] == [PASSED_LOW]


def test_warnings_only_concern_changed_fields(world, course):
    seed_attempt(world, course, cmi={"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "50"})
    assert edit(world, course, lesson_location="x").json() == OK_BODY


def test_no_mastery_score_no_contradiction(world):
    course = world.course(scos=1)
    assert edit(world, course, lesson_status="passed", raw_score=1).json() == OK_BODY


# -- not found ------------------------------------------------------------------------


def test_unknown_assignment_status_is_409(world):
    missing = uuid.uuid4()
    r = world.post("ScormApi/EditScormData", {"assignment_status_id": str(missing), "sco_id": "item_1", "lesson_status": "passed"})
    assert r.status_code == 409
    assert r.json() == entity(5, f"Assignment status {missing} was not found")


@pytest.mark.parametrize("sco_id", ["item_3", "ITEM_1", "nope"])
def test_sco_outside_the_courseware_is_409(world, course, sco_id):
    before = audit_count(world)
    r = edit(world, course, sco_id, lesson_status="passed")
    assert r.status_code == 409
    assert r.json() == entity(5, f"SCO {sco_id!r} of the assignment's courseware was not found")
    assert audit_count(world) == before


# -- permissions ----------------------------------------------------------------------


@pytest.mark.parametrize("place", PLACES)
def test_update_permission_by_place(world, course, mid, place):
    _, token = user_with(world, place_org(world, mid, place), Permission.UPDATE_SECTION_ENROLLMENTS)
    r = edit(world, course, token=token, lesson_status="completed")
    if PLACES[place]:
        assert r.status_code == 200 and r.json() == OK_BODY
        assert read(world, course, "cmi.core.lesson_status") == ["completed"]
    else:
        assert r.status_code == 403
        assert r.json() == entity(4, "Not authorized to edit SCORM data")
        assert load_attempt(world, course) is None


def test_view_permission_alone_does_not_allow_editing(world, course, mid):
    _, token = user_with(world, mid, Permission.VIEW_SECTION_ENROLLMENTS)
    r = edit(world, course, token=token, lesson_status="completed")
    assert r.status_code == 403
    assert r.json() == entity(4, "Not authorized to edit SCORM data")


def test_revoked_update_permission_stops_working_once_the_cache_forgets(world, course, mid, app):
    user, token = user_with(world, mid, Permission.UPDATE_SECTION_ENROLLMENTS)
    assert edit(world, course, token=token, lesson_location="a").status_code == 200
    with world.db.write() as s:
        directory.revoke(s, user.id, mid.id, Permission.UPDATE_SECTION_ENROLLMENTS)
    app.state.services.grants.forget(user.id)
    r = edit(world, course, token=token, lesson_location="b")
    assert r.status_code == 403
    assert read(world, course, "cmi.core.lesson_location") == ["a"]


@pytest.mark.parametrize("which", ["expired", "missing", "unknown"])
def test_bad_tokens_are_403(world, course, which):
    token = {"expired": world.token(world.admin, expired=True), "missing": "", "unknown": str(uuid.uuid4())}[which]
    r = edit(world, course, token=token, lesson_status="passed")
    assert r.status_code == 403
    assert r.json() == entity(3, "Unable to authenticate")
    assert load_attempt(world, course) is None


# -- history and audit --------------------------------------------------------------------


def test_the_archived_copy_of_the_current_attempt_is_edited_too(world, course):
    seed_attempt(world, course, cmi={"cmi.core.lesson_status": "failed", "cmi.core.score.raw": "30"})
    with world.db.write() as s:
        attempt = s.get(ScoAttempt, load_attempt(world, course).id)
        attempts.archive(s, attempt)
    r = edit(world, course, lesson_status="passed", raw_score=95, total_time="0000:20:00", title="Fixed",
             exit_date_utc="2025-03-01T00:00:00Z")
    assert r.status_code == 200
    attempt = load_attempt(world, course)
    [copy] = load_history(world, attempt.id)
    assert copy.cmi == attempt.cmi
    assert (copy.lesson_status, copy.score_raw, copy.total_seconds) == ("passed", 95.0, 1200.0)
    assert (copy.title, copy.exited_at) == ("Fixed", datetime(2025, 3, 1, tzinfo=UTC))


def test_history_of_an_earlier_attempt_is_left_alone(world, course):
    seed_attempt(world, course, cmi={"cmi.core.lesson_status": "failed"})
    with world.db.write() as s:
        attempt = s.get(ScoAttempt, load_attempt(world, course).id)
        attempts.archive(s, attempt)
        attempt.attempt_number = 2
    edit(world, course, lesson_status="passed")
    [copy] = load_history(world, load_attempt(world, course).id)
    assert (copy.attempt_number, copy.lesson_status, copy.cmi["cmi.core.lesson_status"]) == (1, "failed", "failed")


def test_the_audit_record(world, course):
    seed_attempt(world, course, cmi={"cmi.core.lesson_status": "incomplete", "cmi.core.exit": "suspend"})
    r = edit(world, course, lesson_status="completed", exit_status="normal", title="T",
             start_date_utc="2025-01-01T00:00:00Z", reason="Learner finished offline (ticket 42)")
    assert r.status_code == 200
    [event] = audit_events(world, course)
    assert (event.action, event.subject_type, event.subject_id) == (
        "scorm.edit", "sco_attempt", f"{course.assignment_status.id}/item_1")
    assert (event.actor_user_id, event.reason) == (world.admin.id, "Learner finished offline (ticket 42)")
    assert event.details == {
        "attempt_number": 1,
        "changes": [
            {"cmi_element_name": "cmi.core.lesson_status", "old_value": "incomplete", "new_value": "completed"},
            {"cmi_element_name": "cmi.core.exit", "old_value": "suspend", "new_value": ""},
            {"cmi_element_name": "title", "old_value": "Lesson 1", "new_value": "T"},
            {"cmi_element_name": "start_date_utc", "old_value": None, "new_value": "2025-01-01T00:00:00.000Z"},
        ],
        "warnings": [],
    }


# -- concurrency --------------------------------------------------------------------------


def test_concurrent_edits_of_one_attempt_all_land(world, course, base_url):
    """Two editors racing on one attempt: neither overwrites the other."""
    version = seed_attempt(world, course).version
    rounds, failures = 8, []

    def editor(field, prefix):
        with httpx.Client(base_url=base_url, timeout=30) as client:
            for n in range(rounds):
                body = {"assignment_status_id": str(course.assignment_status.id), "sco_id": "item_1", field: f"{prefix}{n}"}
                r = client.post("/api/v1/ScormApi/EditScormData", json=body, params={"access_token": world.admin_token})
                if r.status_code != 200:
                    failures.append(r.text)

    threads = [threading.Thread(target=editor, args=a) for a in (("lesson_location", "a"), ("suspend_data", "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert read(world, course, "cmi.core.lesson_location", "cmi.suspend_data") == [f"a{rounds - 1}", f"b{rounds - 1}"]
    assert len(audit_events(world, course)) == 2 * rounds
    with world.db.read() as s:
        attempt = s.scalar(select(ScoAttempt).where(ScoAttempt.assignment_status_id == course.assignment_status.id))
    assert attempt.version == version + 2 * rounds
