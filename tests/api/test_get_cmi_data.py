"""ScormApi/GetCmiData: fields, ordering, paging, permissions, bad input."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from scormapi.auth.permissions import Permission
from scormapi.store import directory
from scormapi.store.models import CoursewareSco
from tests.api.scorm_helpers import (
    OK,
    PLACES,
    entity,
    get_cmi,
    place_org,
    seed_attempt,
    user_with,
    values,
)

CORE = [
    "cmi.core.student_id",
    "cmi.core.student_name",
    "cmi.core.lesson_location",
    "cmi.core.credit",
    "cmi.core.lesson_status",
    "cmi.core.entry",
    "cmi.core.score.raw",
    "cmi.core.total_time",
    "cmi.core.lesson_mode",
    "cmi.core.exit",
    "cmi.core.session_time",
    "cmi.suspend_data",
    "cmi.student_data.mastery_score",
]


@pytest.fixture()
def course(world, mid):
    return world.course(scos=2, mastery_score=80, org=mid)


def field(name, value, error=None):
    return {"cmi_element_name": name, "cmi_element_value": value, "error_message": error}


def test_never_opened_scos_show_the_lms_initial_values(world, course):
    r = get_cmi(world, course, CORE)
    assert r.status_code == 200
    login = course.learner.login
    initial = ["", "", "", "credit", "not attempted", "ab-initio", "", "0000:00:00.00", "normal", "", "", "", "80"]
    initial[0], initial[1] = login, "Lovelace, Ada"
    assert r.json() == [
        {
            "title": f"Lesson {n}",
            "sco_id": f"item_{n}",
            "start_date_utc": None,
            "exit_date_utc": None,
            "cmi_fields": [field(name, value) for name, value in zip(CORE, initial)],
            "api_error_entity": OK,
        }
        for n in (1, 2)
    ]
    assert r.headers["content-type"] == "application/json"


def test_an_attempt_shows_its_values_dates_and_write_only_elements(world, course):
    seed_attempt(
        world, course, "item_2",
        cmi={"cmi.core.lesson_status": "incomplete", "cmi.core.exit": "suspend", "cmi.core.session_time": "0000:05:00",
             "cmi.core.score.raw": "42.5", "cmi.suspend_data": "page=3", "cmi.core.lesson_location": "p3",
             "cmi.interactions.0.id": "q1", "cmi.interactions.0.result": "wrong"},
        title="Renamed lesson",
        started_at=datetime(2025, 9, 13, 12, 9, 34, 390123, tzinfo=UTC),
        exited_at=datetime(2025, 9, 13, 12, 19, 0, tzinfo=UTC),
    )
    names = ["cmi.core.lesson_status", "cmi.core.exit", "cmi.core.session_time", "cmi.core.score.raw",
             "cmi.suspend_data", "cmi.core.lesson_location", "cmi.interactions.0.result"]
    r = get_cmi(world, course, names)
    assert r.status_code == 200
    assert r.json()[1] == {
        "title": "Renamed lesson",
        "sco_id": "item_2",
        "start_date_utc": "2025-09-13T12:09:34.390Z",
        "exit_date_utc": "2025-09-13T12:19:00.000Z",
        "cmi_fields": [field(n, v) for n, v in zip(
            names, ["incomplete", "suspend", "0000:05:00", "42.5", "page=3", "p3", "wrong"])],
        "api_error_entity": OK,
    }
    assert values(r)[0]["cmi.core.lesson_status"] == "not attempted"


@pytest.mark.parametrize(
    "name, value, error",
    [
        ("cmi.core._children", ("student_id,student_name,lesson_location,credit,lesson_status,entry,score,"
                                "total_time,lesson_mode,exit,session_time"), None),
        ("cmi.core.score._children", "raw,min,max", None),
        ("cmi._children", ("core,suspend_data,launch_data,comments,objectives,student_data,"
                           "student_preference,interactions"), None),
        ("cmi._children._children", "", "202 Element cannot have children"),
        ("cmi._version", "3.4", None),
        ("cmi.interactions._count", "2", None),
        ("cmi.interactions.1.id", "q2", None),
        ("cmi.interactions.1.objectives._count", "0", None),
        ("cmi.objectives._count", "0", None),
        ("cmi.interactions.2.id", "", "201 Invalid argument error"),
        ("cmi.core.foo", "", "201 Invalid argument error"),
        ("cmi.core.lesson_status._children", "", "202 Element cannot have children"),
        ("cmi.core._count", "", "203 Element not an array - cannot have count"),
        ("cmi.foo", "", "401 Not implemented error"),
        ("adl.nav.request", "", "401 Not implemented error"),
        ("", "", "401 Not implemented error"),
    ],
)
def test_keywords_indexed_and_unknown_names(world, course, name, value, error):
    seed_attempt(world, course, "item_1", cmi={"cmi.interactions.0.id": "q1", "cmi.interactions.1.id": "q2"})
    r = get_cmi(world, course, ["cmi.core.lesson_status", name])
    assert r.status_code == 200
    item = r.json()[0]
    assert item["cmi_fields"] == [field("cmi.core.lesson_status", "not attempted"), field(name, value, error)]
    assert item["api_error_entity"] == (OK if error is None else {"error_code": 0, "warning_messages": [f"{name}: {error}"]})


def test_every_item_warns_about_each_unknown_name(world, course):
    r = get_cmi(world, course, ["cmi.nope", "cmi.core.entry", "cmi.nope"])
    assert r.status_code == 200
    for item in r.json():
        assert item["api_error_entity"]["warning_messages"] == ["cmi.nope: 401 Not implemented error"] * 2
        assert [f["error_message"] for f in item["cmi_fields"]] == ["401 Not implemented error", None, "401 Not implemented error"]


def test_empty_name_list_gives_items_without_fields(world, course):
    r = get_cmi(world, course, [])
    assert r.status_code == 200
    assert [(i["sco_id"], i["cmi_fields"]) for i in r.json()] == [("item_1", []), ("item_2", [])]


def test_scos_are_ordered_alphabetically_by_sco_id(world, course):
    with world.db.write() as s:
        for ordinal, sco_id in enumerate(["zeta", "Alpha", "beta", "ITEM_10"], start=10):
            s.add(CoursewareSco(courseware_id=course.courseware.id, sco_id=sco_id, title=sco_id, launch="x.html", ordinal=ordinal))
    r = get_cmi(world, course, [])
    assert [i["sco_id"] for i in r.json()] == ["Alpha", "beta", "item_1", "ITEM_10", "item_2", "zeta"]


# -- paging -------------------------------------------------------------------------


@pytest.fixture()
def three(world):
    return world.course(scos=3)


@pytest.mark.parametrize(
    "params, page, per_page, ids",
    [
        ({}, 1, 30, ["item_1", "item_2", "item_3"]),
        ({"per_page": 0}, 1, 30, ["item_1", "item_2", "item_3"]),
        ({"per_page": -1}, 1, 30, ["item_1", "item_2", "item_3"]),
        ({"per_page": 5000}, 1, 1000, ["item_1", "item_2", "item_3"]),
        ({"per_page": 2}, 1, 2, ["item_1", "item_2"]),
        ({"per_page": 2, "page": 2}, 2, 2, ["item_3"]),
        ({"per_page": 2, "page": 3}, 3, 2, []),
        ({"page": 2}, 2, 30, []),
        ({"page": 0, "per_page": 1}, 1, 1, ["item_1"]),
        ({"page": -4, "per_page": 1}, 1, 1, ["item_1"]),
        ({"page": 10**20, "per_page": 10**20}, 2**31 - 1, 1000, []),
    ],
)
def test_paging(world, three, params, page, per_page, ids):
    r = get_cmi(world, three, ["cmi.core.entry"], params=params)
    assert r.status_code == 200
    assert [i["sco_id"] for i in r.json()] == ids
    assert (r.headers["X-Total-Count"], r.headers["X-Per-Page"], r.headers["X-Page"]) == ("3", str(per_page), str(page))


@pytest.mark.parametrize("params", [{"page": "x"}, {"per_page": "1.5"}])
def test_non_integer_paging_is_422(world, three, params):
    r = get_cmi(world, three, [], params=params)
    assert r.status_code == 422
    assert r.json()["api_error_entity"]["error_code"] == 2


def test_reads_a_constant_number_of_queries_whatever_the_page_size(world, db, app, monkeypatch):
    """No N+1: ten SCOs cost the same statements as one."""
    # Token and grant look-ups stay cached throughout, however slow the run.
    monkeypatch.setattr(app.state.services.tokens, "ttl", 600)
    monkeypatch.setattr(app.state.services.grants, "ttl", 600)
    small, large = world.course(scos=1), world.course(scos=10)
    counts = []

    def count(*_):
        counts[-1] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for course in (small, large, small, large):
            counts.append(0)
            assert get_cmi(world, course, ["cmi.core.lesson_status", "cmi.core.entry"]).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert counts[2] == counts[3] <= 6


# -- not found ------------------------------------------------------------------------


def test_unknown_enrollment_is_409(world, course):
    body = {"enrollment_id": str(uuid.uuid4()), "assignment_id": str(course.assignment.id), "cmi_element_names": []}
    r = world.post("ScormApi/GetCmiData", body)
    assert r.status_code == 409
    assert r.json() == entity(5, f"Enrollment {body['enrollment_id']} was not found")


def test_unknown_assignment_is_409(world, course):
    missing = uuid.uuid4()
    body = {"enrollment_id": str(course.enrollment.id), "assignment_id": str(missing), "cmi_element_names": []}
    r = world.post("ScormApi/GetCmiData", body)
    assert r.status_code == 409
    assert r.json() == entity(5, f"Assignment {missing} in the section of enrollment {course.enrollment.id} was not found")


def test_assignment_of_another_section_is_409(world, course):
    other = world.course(scos=1)
    body = {"enrollment_id": str(course.enrollment.id), "assignment_id": str(other.assignment.id), "cmi_element_names": []}
    r = world.post("ScormApi/GetCmiData", body)
    assert r.status_code == 409
    assert r.json()["api_error_entity"]["error_code"] == 5


# -- permissions ----------------------------------------------------------------------


@pytest.mark.parametrize("place", PLACES)
def test_view_permission_by_place(world, course, mid, place):
    _, token = user_with(world, place_org(world, mid, place), Permission.VIEW_SECTION_ENROLLMENTS)
    r = get_cmi(world, course, ["cmi.core.entry"], token=token)
    if PLACES[place]:
        assert r.status_code == 200 and len(r.json()) == 2
    else:
        assert r.status_code == 403
        assert r.json() == entity(4, "Not authorized to view CMI data")


def test_update_permission_alone_does_not_allow_reading(world, course, mid):
    _, token = user_with(world, mid, Permission.UPDATE_SECTION_ENROLLMENTS)
    r = get_cmi(world, course, [], token=token)
    assert r.status_code == 403
    assert r.json() == entity(4, "Not authorized to view CMI data")


def test_revoked_permission_stops_working_once_the_cache_forgets(world, course, mid, app):
    user, token = user_with(world, mid, Permission.VIEW_SECTION_ENROLLMENTS)
    assert get_cmi(world, course, [], token=token).status_code == 200
    with world.db.write() as s:
        directory.revoke(s, user.id, mid.id, Permission.VIEW_SECTION_ENROLLMENTS)
    app.state.services.grants.forget(user.id)
    r = get_cmi(world, course, [], token=token)
    assert r.status_code == 403
    assert r.json() == entity(4, "Not authorized to view CMI data")


@pytest.mark.parametrize("token", ["expired", "missing", "unknown", "not-a-uuid"])
def test_bad_tokens_are_403(world, course, token):
    tokens = {
        "expired": world.token(world.admin, expired=True),
        "missing": "",
        "unknown": str(uuid.uuid4()),
        "not-a-uuid": "xyz",
    }
    r = get_cmi(world, course, [], token=tokens[token])
    assert r.status_code == 403
    assert r.json() == entity(3, "Unable to authenticate")


# -- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, field_name",
    [
        ({"enrollment_id": "not-a-uuid"}, "enrollment_id"),
        ({"assignment_id": "1234"}, "assignment_id"),
        ({"assignment_id": 5}, "assignment_id"),
        ({"cmi_element_names": "cmi.core.entry"}, "cmi_element_names"),
        ({"cmi_element_names": {"a": 1}}, "cmi_element_names"),
        ({"cmi_element_names": [5]}, "cmi_element_names.0"),
        ({"cmi_element_names": ["cmi.core.entry", None]}, "cmi_element_names.1"),
        ({"cmi_element_names": ["x" * 256]}, "cmi_element_names.0"),
        ({"cmi_element_names": ["cmi.core.entry"] * 501}, "cmi_element_names"),
        ({"cmi_element_names": None}, "cmi_element_names"),
    ],
)
def test_malformed_body_is_422_naming_the_field(world, course, change, field_name):
    body = {"enrollment_id": str(course.enrollment.id), "assignment_id": str(course.assignment.id),
            "cmi_element_names": [], **change}
    r = world.post("ScormApi/GetCmiData", body)
    assert r.status_code == 422
    entity_ = r.json()["api_error_entity"]
    assert entity_["error_code"] == 2
    assert entity_["error_message"].startswith(f"Invalid request: {field_name}: ")


@pytest.mark.parametrize("missing", ["enrollment_id", "assignment_id", "cmi_element_names"])
def test_missing_field_is_422(world, course, missing):
    body = {"enrollment_id": str(course.enrollment.id), "assignment_id": str(course.assignment.id), "cmi_element_names": []}
    del body[missing]
    r = world.post("ScormApi/GetCmiData", body)
    assert r.status_code == 422
    assert r.json() == entity(2, f"Invalid request: {missing}: Field required")


def test_500_names_are_allowed(world, course):
    r = get_cmi(world, course, ["cmi.core.entry"] * 500)
    assert r.status_code == 200 and len(r.json()[0]["cmi_fields"]) == 500


@pytest.mark.parametrize("content", [b"", b"[]", b'"x"', b"{", b"null", b"42", b"\x80", b'{"a": "\xff"}'])
def test_non_object_body_is_422(world, content):
    r = world.post("ScormApi/GetCmiData", content=content, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["api_error_entity"]["error_code"] == 2
    assert r.json()["api_error_entity"]["error_message"]
