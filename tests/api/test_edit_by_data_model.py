"""EditScormData judged by the data model of the SCO's courseware: which
fault wins when the SCO cannot be judged, a field the version gives no
meaning, a field that writes several elements."""
from __future__ import annotations

import dataclasses
import uuid

import pytest

from scormapi.auth.permissions import Permission
from scormapi.cmi import profile as profiles
from scormapi.store.models import Courseware
from tests.api.scorm_helpers import audit_count, audit_events, edit, entity, load_attempt, seed_attempt, user_with

STATUS_RULE = "one of 'passed', 'completed', 'failed', 'incomplete', 'browsed', 'not attempted'"
BAD_STATUS = f"lesson_status: not a valid cmi.core.lesson_status ({STATUS_RULE}): 405 Incorrect data type"


@pytest.fixture()
def course(world, mid):
    return world.course(scos=1, mastery_score=80, org=mid)


# -- which fault is answered --------------------------------------------------------------


def test_a_bad_value_for_an_unknown_sco_is_the_409(world, course):
    count = audit_count(world)
    r = edit(world, course, "item_9", lesson_status="done")
    assert (r.status_code, r.json()) == (409, entity(5, "SCO 'item_9' of the assignment's courseware was not found"))
    assert audit_count(world) == count


def test_a_bad_value_for_an_unknown_status_is_the_409(world):
    missing = uuid.uuid4()
    r = world.post("ScormApi/EditScormData", {"assignment_status_id": str(missing), "sco_id": "item_1",
                                              "lesson_status": "done"})
    assert (r.status_code, r.json()) == (409, entity(5, f"Assignment status {missing} was not found"))


def test_a_caller_who_may_not_edit_learns_nothing_of_the_values(world, course, mid):
    _, token = user_with(world, mid, Permission.VIEW_SECTION_ENROLLMENTS)
    r = edit(world, course, token=token, lesson_status="done")
    assert (r.status_code, r.json()) == (403, entity(4, "Not authorized to edit SCORM data"))
    assert load_attempt(world, course) is None


def test_a_badly_typed_field_is_the_422_whatever_the_sco(world, course):
    r = edit(world, course, "item_9", raw_score="50", lesson_status="done")
    assert (r.status_code, r.json()) == (422, entity(2, "Invalid request: raw_score: Input should be a valid number"))


def test_a_badly_typed_field_hides_the_values_from_a_caller_who_may_not_edit(world, course, mid):
    _, token = user_with(world, mid, Permission.VIEW_SECTION_ENROLLMENTS)
    r = edit(world, course, token=token, raw_score="50", lesson_status="done")
    assert (r.status_code, r.json()) == (422, entity(2, "Invalid request: raw_score: Input should be a valid number"))


def test_a_bad_identity_is_answered_alone(world, course):
    r = world.post("ScormApi/EditScormData", {"assignment_status_id": "nope", "sco_id": "item_1",
                                              "lesson_status": "done"})
    assert r.status_code == 422
    assert r.json()["api_error_entity"]["error_message"] == (
        "Invalid request: assignment_status_id: Input should be a valid UUID, invalid character: found `n` at 0")


def test_shape_and_value_faults_of_a_known_sco_are_named_together_in_body_order(world, course):
    r = edit(world, course, lessonstatus=1, lesson_status="done", raw_score="50")
    assert (r.status_code, r.json()) == (422, entity(
        2, f"Invalid request: {BAD_STATUS}; raw_score: Input should be a valid number; lessonstatus: unknown field"))


# -- a version's own fields ------------------------------------------------------------------


def _as_2004(world, course) -> None:
    with world.db.write() as s:
        s.get(Courseware, course.courseware.id).scorm_version = "2004"


@pytest.fixture()
def version_2004(monkeypatch):
    """A 2004 profile without lesson_mode, whose lesson_status also writes a
    comment: the shapes a version's field map may take, on the 1.2 model."""
    fields = {name: writes for name, writes in profiles.SCORM12.edit_fields.items() if name != "lesson_mode"}
    fields["lesson_status"] = (("cmi.core.lesson_status", str), ("cmi.comments", lambda status: f"set to {status}"))
    profile = dataclasses.replace(profiles.SCORM12, version="2004", edit_fields=fields)
    monkeypatch.setitem(profiles._PROFILES, "2004", profile)
    return profile


def test_a_field_without_meaning_in_the_version_is_refused(world, course, version_2004):
    _as_2004(world, course)
    before = seed_attempt(world, course)
    r = edit(world, course, lesson_mode="browse", lesson_status="done", lesson_location="p2")
    assert (r.status_code, r.json()) == (422, entity(2, "Invalid request: lesson_mode: has no meaning in SCORM 2004; "
                                                       + BAD_STATUS))
    assert load_attempt(world, course).version == before.version


def test_the_same_field_is_meaningful_in_1_2(world, course, version_2004):
    r = edit(world, course, lesson_mode="browse")
    assert (r.status_code, r.json()) == (200, {"api_error_entity": {"error_code": 0, "warning_messages": []}})
    assert load_attempt(world, course).cmi["cmi.core.lesson_mode"] == "browse"


def test_a_field_of_several_elements_writes_and_records_each(world, course, version_2004):
    _as_2004(world, course)
    r = edit(world, course, lesson_status="passed", raw_score=50)
    assert r.status_code == 200
    assert r.json()["api_error_entity"]["warning_messages"] == [
        "lesson_status 'passed' contradicts the mastery score: raw_score 50 is below the mastery score 80"]
    attempt = load_attempt(world, course)
    assert (attempt.cmi["cmi.core.lesson_status"], attempt.cmi["cmi.comments"], attempt.lesson_status) == (
        "passed", "set to passed", "passed")
    [event] = audit_events(world, course)
    assert event.details["changes"] == [
        {"cmi_element_name": "cmi.core.lesson_status", "old_value": "not attempted", "new_value": "passed"},
        {"cmi_element_name": "cmi.comments", "old_value": "", "new_value": "set to passed"},
        {"cmi_element_name": "cmi.core.score.raw", "old_value": "", "new_value": "50"},
    ]
