"""ScormApi/GetAttemptHistory: every attempt of one SCO, current and
archived, newest first, with the requested CMI values."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from scormapi.auth.permissions import Permission
from scormapi.store.models import AuditEvent, ScoAttempt, ScoAttemptHistory
from tests.api.scorm_helpers import PLACES, entity, load_history, place_org, user_with
from tests.api.test_schema_fuzz import CHECKS, OPERATIONS
from tests.player.helpers import commit, launch

NAMES = ["cmi.core.lesson_location", "cmi.core.exit", "cmi.foo"]
NOT_IMPLEMENTED = "401 Not implemented error"


def took(status: str, score: str | None, minutes: int, day: int) -> dict:
    """What content reports in one attempt, and the dates it ran."""
    values = {"cmi.core.lesson_status": status, "cmi.core.session_time": f"0000:{minutes:02d}:00",
              "cmi.core.lesson_location": f"page-{day}", "cmi.core.exit": "suspend"}
    if score is not None:
        values["cmi.core.score.raw"] = score
    start = datetime(2025, 1, day, 9, 0, tzinfo=UTC)
    return {"values": values, "started_at": start, "exited_at": start + timedelta(minutes=minutes)}


def take_attempts(world, course, *taken: dict, sco_id: str = "item_1") -> uuid.UUID:
    """The learner takes the SCO through the run-time, once per ``taken``:
    each launch after the first asks for a new attempt, each commit
    finishes (a finished attempt is filed in history at once). The dates
    are then set to the given ones, before the next launch archives the
    attempt with them. The attempt's id."""
    for number, spec in enumerate(taken, start=1):
        launched = launch(world, course, sco_id, new_attempt=number > 1)
        assert launched["attempt_number"] == number
        r = commit(world.http, launched, launched["commit_seq"] + 1, spec["values"], finish=True)
        assert r.status_code == 200, r.text
        date_attempt(world, uuid.UUID(launched["attempt_id"]), spec["started_at"], spec["exited_at"])
    return uuid.UUID(launched["attempt_id"])


def date_attempt(world, attempt_id: uuid.UUID, started_at: datetime, exited_at: datetime) -> None:
    """The current attempt's dates, and its history copy's when it is filed."""
    with world.db.write() as s:
        attempt = s.get(ScoAttempt, attempt_id)
        attempt.started_at, attempt.exited_at = started_at, exited_at
        s.execute(update(ScoAttemptHistory).where(
            ScoAttemptHistory.attempt_id == attempt_id, ScoAttemptHistory.attempt_number == attempt.attempt_number,
        ).values(started_at=started_at, exited_at=exited_at))


def attempt_history(world, course, sco_id="item_1", names=None, token=None, params=None):
    body = {"assignment_status_id": str(course.assignment_status.id), "sco_id": sco_id}
    if names is not None:
        body["cmi_element_names"] = names
    return world.post("ScormApi/GetAttemptHistory", body, token=token, params=params or {})


def reset(world, course, sco_id="item_1"):
    body = {"assignment_status_id": str(course.assignment_status.id), "sco_id": sco_id}
    return world.post("ScormApi/ResetScormAttempt", body)


def values(location: str, names=NAMES) -> list[dict]:
    by_name = {"cmi.core.lesson_location": (location, None), "cmi.core.exit": ("suspend", None),
               "cmi.foo": ("", NOT_IMPLEMENTED)}
    return [{"cmi_element_name": n, "cmi_element_value": by_name[n][0], "error_message": by_name[n][1]} for n in names]


def entity_ok(names=NAMES) -> dict:
    warnings = [f"cmi.foo: {NOT_IMPLEMENTED}"] if "cmi.foo" in names else []
    return {"error_code": 0, "warning_messages": warnings}


@pytest.fixture()
def course(world, mid):
    return world.course(scos=2, org=mid)


def test_a_sco_never_opened_has_no_attempts(world, course):
    r = attempt_history(world, course, names=NAMES)
    assert r.status_code == 200
    assert r.json() == []
    assert (r.headers["X-Total-Count"], r.headers["X-Per-Page"], r.headers["X-Page"]) == ("0", "30", "1")


def test_every_attempt_newest_first_with_its_values(world, course):
    take_attempts(world, course, took("passed", "80", 10, 1), took("failed", "40", 20, 2), took("incomplete", None, 5, 3))
    r = attempt_history(world, course, names=NAMES)
    assert r.status_code == 200
    assert r.headers["X-Total-Count"] == "3"
    assert r.json() == [
        {"attempt_number": 3, "current": True, "started_at": "2025-01-03T09:00:00.000Z",
         "exited_at": "2025-01-03T09:05:00.000Z", "lesson_status": "incomplete", "completion_status": "incomplete",
         "success_status": "unknown", "score_raw": None, "score_scaled": None,
         "total_time": "0000:05:00.00", "counted": False, "cmi_fields": values("page-3"), "api_error_entity": entity_ok()},
        {"attempt_number": 2, "current": False, "started_at": "2025-01-02T09:00:00.000Z",
         "exited_at": "2025-01-02T09:20:00.000Z", "lesson_status": "failed", "completion_status": "completed",
         "success_status": "failed", "score_raw": 40.0, "score_scaled": 0.4,
         "total_time": "0000:20:00.00", "counted": False, "cmi_fields": values("page-2"), "api_error_entity": entity_ok()},
        {"attempt_number": 1, "current": False, "started_at": "2025-01-01T09:00:00.000Z",
         "exited_at": "2025-01-01T09:10:00.000Z", "lesson_status": "passed", "completion_status": "completed",
         "success_status": "passed", "score_raw": 80.0, "score_scaled": 0.8,
         "total_time": "0000:10:00.00", "counted": True, "cmi_fields": values("page-1"), "api_error_entity": entity_ok()},
    ]


def test_a_finished_current_attempt_filed_in_history_is_listed_once_as_current(world, course):
    attempt_id = take_attempts(world, course, took("failed", "30", 10, 1), took("passed", "90", 10, 2))
    # The finish filed attempt 2 in history while it is still the current one.
    assert sorted(h.attempt_number for h in load_history(world, attempt_id)) == [1, 2]
    r = attempt_history(world, course)
    assert [(i["attempt_number"], i["current"], i["counted"]) for i in r.json()] == [(2, True, True), (1, False, False)]
    assert r.headers["X-Total-Count"] == "2"


def test_other_scos_attempts_are_not_listed(world, course):
    take_attempts(world, course, took("passed", "80", 10, 1), took("failed", "40", 20, 2), sco_id="item_2")
    take_attempts(world, course, took("incomplete", None, 1, 5))
    assert [(i["attempt_number"], i["lesson_status"]) for i in attempt_history(world, course).json()] == [(1, "incomplete")]


@pytest.mark.parametrize("grading, counted", [("highest", 2), ("last", 3), ("first", 1)])
def test_counted_is_the_attempt_the_grading_method_picks(world, mid, grading, counted):
    course = world.course(scos=1, org=mid, grading=grading)
    take_attempts(world, course, took("failed", "50", 10, 1), took("passed", "95", 10, 2), took("passed", "70", 10, 3),
                  took("incomplete", None, 1, 4))
    items = attempt_history(world, course).json()
    assert [i["attempt_number"] for i in items if i["counted"]] == [counted]


def test_an_attempt_in_progress_counts_while_none_has_finished(world, course):
    take_attempts(world, course, took("incomplete", None, 10, 1))
    assert reset(world, course).status_code == 200
    launched = launch(world, course)
    assert commit(world.http, launched, launched["commit_seq"] + 1, {"cmi.core.lesson_status": "incomplete"}).status_code == 200
    assert [(i["attempt_number"], i["counted"]) for i in attempt_history(world, course).json()] == [(2, True), (1, False)]


def test_without_names_no_values(world, course):
    take_attempts(world, course, took("passed", "80", 10, 1))
    [item] = attempt_history(world, course).json()
    assert (item["cmi_fields"], item["api_error_entity"]) == ([], {"error_code": 0, "warning_messages": []})


def test_values_are_read_as_the_lms_reads_them(world, course):
    take_attempts(world, course, took("passed", "80", 10, 1))
    # session_time is write-only for content; an administrator reads it.
    names = ["cmi.core._children", "cmi.core.session_time", "cmi.interactions._count", "cmi.core.foo"]
    [item] = attempt_history(world, course, names=names).json()
    assert [(v["cmi_element_value"], v["error_message"]) for v in item["cmi_fields"]] == [
        ("student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time",
         None),
        ("0000:10:00", None),
        ("0", None),
        ("", "201 Invalid argument error"),
    ]
    assert item["api_error_entity"]["warning_messages"] == ["cmi.core.foo: 201 Invalid argument error"]


@pytest.mark.parametrize(
    "params, page, per_page, numbers",
    [
        ({}, 1, 30, [3, 2, 1]),
        ({"per_page": 2}, 1, 2, [3, 2]),
        ({"per_page": 2, "page": 2}, 2, 2, [1]),
        ({"per_page": 2, "page": 3}, 3, 2, []),
        ({"per_page": 0, "page": 0}, 1, 30, [3, 2, 1]),
        ({"per_page": 5000}, 1, 100, [3, 2, 1]),
    ],
)
def test_paging(world, course, params, page, per_page, numbers):
    take_attempts(world, course, took("failed", "10", 1, 1), took("failed", "20", 1, 2), took("failed", "30", 1, 3))
    r = attempt_history(world, course, params=params)
    assert r.status_code == 200
    assert [i["attempt_number"] for i in r.json()] == numbers
    assert (r.headers["X-Total-Count"], r.headers["X-Per-Page"], r.headers["X-Page"]) == ("3", str(per_page), str(page))


def test_many_names_make_smaller_pages(world, course):
    take_attempts(world, course, took("failed", "10", 1, 1), took("failed", "20", 1, 2))
    # A page holds at most 20,000 values, as GetCmiData's.
    r = attempt_history(world, course, names=["cmi.core.lesson_status"] * 500, params={"per_page": 100})
    assert r.status_code == 200
    assert (r.headers["X-Per-Page"], len(r.json()), len(r.json()[0]["cmi_fields"])) == ("40", 2, 500)


def test_a_fresh_attempt_after_a_reset_is_not_started(world, course):
    take_attempts(world, course, took("failed", "40", 10, 1))
    assert reset(world, course).status_code == 200
    first, second = attempt_history(world, course, names=["cmi.core.lesson_status", "cmi.core.entry"]).json()
    assert {k: first[k] for k in ("attempt_number", "current", "started_at", "exited_at", "lesson_status", "score_raw",
                                  "total_time", "counted")} == {
        "attempt_number": 2, "current": True, "started_at": None, "exited_at": None, "lesson_status": "not attempted",
        "score_raw": None, "total_time": "0000:00:00.00", "counted": False}
    assert [v["cmi_element_value"] for v in first["cmi_fields"]] == ["not attempted", "ab-initio"]
    assert (second["attempt_number"], second["current"], second["counted"]) == (1, False, True)


def test_unknown_assignment_status_is_409(world):
    missing = uuid.uuid4()
    r = world.post("ScormApi/GetAttemptHistory", {"assignment_status_id": str(missing), "sco_id": "item_1"})
    assert r.status_code == 409
    assert r.json() == entity(5, f"Assignment status {missing} was not found")


def test_unknown_sco_is_409(world, course):
    r = attempt_history(world, course, "item_9")
    assert r.status_code == 409
    assert r.json() == entity(5, "SCO 'item_9' of the assignment's courseware was not found")


@pytest.mark.parametrize("place", PLACES)
def test_view_permission_by_place(world, course, mid, place):
    take_attempts(world, course, took("passed", "80", 10, 1))
    _, token = user_with(world, place_org(world, mid, place), Permission.VIEW_SECTION_ENROLLMENTS)
    r = attempt_history(world, course, token=token)
    if PLACES[place]:
        assert r.status_code == 200 and [i["attempt_number"] for i in r.json()] == [1]
    else:
        assert r.status_code == 403
        assert r.json() == entity(4, "Not authorized to view CMI data")


@pytest.mark.parametrize("permissions", [(), (Permission.UPDATE_SECTION_ENROLLMENTS, Permission.VIEW_AUDIT_LOG)])
def test_other_permissions_do_not_allow_reading(world, course, mid, permissions):
    _, token = user_with(world, mid, *permissions)
    r = attempt_history(world, course, token=token)
    assert r.status_code == 403
    assert r.json() == entity(4, "Not authorized to view CMI data")


def test_a_refused_caller_learns_nothing_about_a_missing_sco(world, course, mid):
    _, token = user_with(world, world.org(world.top), Permission.VIEW_SECTION_ENROLLMENTS)
    assert attempt_history(world, course, "item_9", token=token).status_code == 403


@pytest.mark.parametrize("which", ["expired", "missing", "unknown"])
def test_bad_tokens_are_403(world, course, which):
    token = {"expired": world.token(world.admin, expired=True), "missing": "", "unknown": str(uuid.uuid4())}[which]
    r = attempt_history(world, course, token=token)
    assert r.status_code == 403
    assert r.json() == entity(3, "Unable to authenticate")


@pytest.mark.parametrize(
    "change, message",
    [
        ({"attempt": 1}, "Invalid request: attempt: unknown field"),
        ({"sco_id": ""}, "Invalid request: sco_id: String should have at least 1 character"),
        ({"cmi_element_names": "cmi.core.lesson_status"}, "Invalid request: cmi_element_names: Input should be a valid list"),
        ({"cmi_element_names": ["x"] * 501}, "Invalid request: cmi_element_names: List should have at most 500 items after validation, not 501"),
    ],
)
def test_bad_bodies_are_422(world, course, change, message):
    body = {"assignment_status_id": str(course.assignment_status.id), "sco_id": "item_1", **change}
    r = world.post("ScormApi/GetAttemptHistory", body)
    assert r.status_code == 422
    assert r.json() == entity(2, message)


def test_reading_writes_nothing(world, course):
    attempt_id = take_attempts(world, course, took("passed", "80", 10, 1))
    def snapshot():
        with world.db.read() as s:
            attempt = s.get(ScoAttempt, attempt_id)
            history = sorted((h.attempt_number, h.cmi, h.archived_at) for h in s.scalars(
                select(ScoAttemptHistory).where(ScoAttemptHistory.attempt_id == attempt_id)))
            events = s.scalar(select(func.count()).select_from(AuditEvent))
            return attempt.version, attempt.cmi, history, events

    before = snapshot()
    assert attempt_history(world, course, names=NAMES).status_code == 200
    assert snapshot() == before


def test_the_answer_is_the_documented_one(world, course, base_url):
    take_attempts(world, course, took("failed", "30", 10, 1), took("passed", "90", 10, 2))
    body = {"assignment_status_id": str(course.assignment_status.id), "sco_id": "item_1", "cmi_element_names": NAMES}
    case = OPERATIONS["POST /api/v1/ScormApi/GetAttemptHistory"].Case(
        body=body, media_type="application/json", query={"access_token": world.admin_token})
    response = case.call(base_url=base_url)
    assert response.status_code == 200, response.text
    case.validate_response(response, checks=CHECKS)
