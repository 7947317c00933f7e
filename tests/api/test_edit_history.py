"""ScormApi/GetEditHistory: EditScormData's audit trail per SCO, newest first."""
from __future__ import annotations

import re
import uuid

import pytest

from scormapi.auth.permissions import Permission
from tests.api.scorm_helpers import (
    OK,
    PLACES,
    edit,
    entity,
    history,
    place_org,
    user_with,
)

ISO_MS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


@pytest.fixture()
def course(world, mid):
    return world.course(scos=2, org=mid)


def test_no_edits_no_history(world, course):
    r = history(world, course)
    assert r.status_code == 200
    assert r.json() == []
    assert (r.headers["X-Total-Count"], r.headers["X-Per-Page"], r.headers["X-Page"]) == ("0", "30", "1")


def test_edits_newest_first_with_editor_reason_and_changes(world, course, mid):
    other, token = user_with(world, mid, Permission.UPDATE_SECTION_ENROLLMENTS)
    assert edit(world, course, lesson_status="incomplete", reason="first").status_code == 200
    assert edit(world, course, token=token, lesson_status="passed", raw_score=90).status_code == 200
    assert edit(world, course, "item_2", lesson_location="elsewhere").status_code == 200
    r = history(world, course)
    assert r.status_code == 200
    items = r.json()
    assert all(ISO_MS.fullmatch(i.pop("edited_at")) for i in items)
    assert items == [
        {
            "editor_user_id": str(other.id),
            "reason": None,
            "attempt_number": 1,
            "changes": [
                {"cmi_element_name": "cmi.core.lesson_status", "old_value": "incomplete", "new_value": "passed"},
                {"cmi_element_name": "cmi.core.score.raw", "old_value": "", "new_value": "90"},
            ],
            "api_error_entity": OK,
        },
        {
            "editor_user_id": str(world.admin.id),
            "reason": "first",
            "attempt_number": 1,
            "changes": [{"cmi_element_name": "cmi.core.lesson_status", "old_value": "not attempted", "new_value": "incomplete"}],
            "api_error_entity": OK,
        },
    ]
    assert r.headers["X-Total-Count"] == "2"


def test_rejected_and_empty_edits_leave_no_trace(world, course):
    assert edit(world, course, lesson_status="done").status_code == 422
    assert edit(world, course, lesson_status="not attempted").status_code == 200
    assert history(world, course).json() == []


@pytest.mark.parametrize(
    "params, page, per_page, locations",
    [
        ({}, 1, 30, ["c", "b", "a"]),
        ({"per_page": 2}, 1, 2, ["c", "b"]),
        ({"per_page": 2, "page": 2}, 2, 2, ["a"]),
        ({"per_page": 2, "page": 3}, 3, 2, []),
        ({"per_page": 0, "page": 0}, 1, 30, ["c", "b", "a"]),
        # A page of history holds at most 100 edits (see test_page_bounds.py).
        ({"per_page": 5000}, 1, 100, ["c", "b", "a"]),
        ({"page": 10**20}, 2**31 - 1, 30, []),
    ],
)
def test_paging(world, course, params, page, per_page, locations):
    for location in "abc":
        assert edit(world, course, lesson_location=location).status_code == 200
    r = history(world, course, params=params)
    assert r.status_code == 200
    assert [i["changes"][0]["new_value"] for i in r.json()] == locations
    assert (r.headers["X-Total-Count"], r.headers["X-Per-Page"], r.headers["X-Page"]) == ("3", str(per_page), str(page))


def test_unknown_assignment_status_is_409(world):
    missing = uuid.uuid4()
    r = world.post("ScormApi/GetEditHistory", {"assignment_status_id": str(missing), "sco_id": "item_1"})
    assert r.status_code == 409
    assert r.json() == entity(5, f"Assignment status {missing} was not found")


def test_unknown_sco_is_409(world, course):
    r = history(world, course, "item_9")
    assert r.status_code == 409
    assert r.json() == entity(5, "SCO 'item_9' of the assignment's courseware was not found")


@pytest.mark.parametrize("place", PLACES)
def test_view_permission_by_place(world, course, mid, place):
    _, token = user_with(world, place_org(world, mid, place), Permission.VIEW_SECTION_ENROLLMENTS)
    r = history(world, course, token=token)
    if PLACES[place]:
        assert r.status_code == 200 and r.json() == []
    else:
        assert r.status_code == 403
        assert r.json() == entity(4, "Not authorized to view CMI data")


def test_update_permission_alone_does_not_allow_reading(world, course, mid):
    _, token = user_with(world, mid, Permission.UPDATE_SECTION_ENROLLMENTS)
    assert history(world, course, token=token).status_code == 403


@pytest.mark.parametrize("which", ["expired", "missing"])
def test_bad_tokens_are_403(world, course, which):
    token = world.token(world.admin, expired=True) if which == "expired" else ""
    r = history(world, course, token=token)
    assert r.status_code == 403
    assert r.json() == entity(3, "Unable to authenticate")


@pytest.mark.parametrize(
    "body, field",
    [
        ({"assignment_status_id": "nope", "sco_id": "item_1"}, "assignment_status_id"),
        ({"sco_id": "item_1"}, "assignment_status_id"),
        ({"assignment_status_id": str(uuid.uuid4()), "sco_id": ""}, "sco_id"),
        ({"assignment_status_id": str(uuid.uuid4()), "sco_id": 5}, "sco_id"),
        ({"assignment_status_id": str(uuid.uuid4()), "sco_id": "x" * 256}, "sco_id"),
        ({"assignment_status_id": str(uuid.uuid4())}, "sco_id"),
    ],
)
def test_malformed_body_is_422(world, body, field):
    r = world.post("ScormApi/GetEditHistory", body)
    assert r.status_code == 422
    assert r.json()["api_error_entity"]["error_message"].startswith(f"Invalid request: {field}: ")
