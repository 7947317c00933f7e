"""Hostile bodies never produce a 500: every answer is the envelope.

Each operation starts from a valid body; hypothesis replaces one field with an
arbitrary JSON value (or sends arbitrary JSON as the whole body) and the
answer must be a 200/403/409/422 carrying ``api_error_entity``.
"""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Text with what databases cannot store: NUL, and lone surrogates (which
# st.text leaves out by default; JSON's \ud800 escapes can carry them).
hostile_text = st.text(st.characters(codec=None, categories=None), max_size=300) | st.sampled_from(
    ["\x00", "a\x00b", "\ud800", "x\udfff", "\ud83d", "\U0001f600\x00"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=300) | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10) | hostile_text, inner, max_size=4),
    max_leaves=8,
)

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def valid_bodies(world) -> dict[str, dict]:
    course = world.course(scos=2, mastery_score=80)
    return {
        "ScormApi/GetCmiData": {"enrollment_id": str(course.enrollment.id), "assignment_id": str(course.assignment.id),
                                "cmi_element_names": ["cmi.core.lesson_status", "cmi.core.score.raw"]},
        "ScormApi/EditScormData": {"assignment_status_id": str(course.assignment_status.id), "sco_id": "item_1",
                                   "lesson_status": "completed", "raw_score": 50, "session_time": "0000:01:00",
                                   "for_credit": True, "preference_speed": 0, "exit_status": "suspend",
                                   "start_date_utc": "2026-01-01T00:00:00Z"},
        "ScormApi/GetEditHistory": {"assignment_status_id": str(course.assignment_status.id), "sco_id": "item_1"},
        "LearningApi/GetAssignmentStatus": {"enrollment_id": str(course.enrollment.id), "assignment_id": str(course.assignment.id)},
        "AdminApi/CreateOrganization": {"name": "fuzzed", "parent_org_id": str(world.top.id)},
        "AdminApi/GetUser": {"user_id": str(world.admin.id)},
    }


def post_escaped(world, operation: str, body):
    """The body as JSON with every non-ASCII character escaped, so that a lone
    surrogate travels as \\udXXX (httpx's own encoder cannot send one)."""
    return world.http.post(f"/api/v1/{operation}", content=json.dumps(body).encode("ascii"),
                           headers={"Content-Type": "application/json"}, params={"access_token": world.admin_token})


def check(response) -> None:
    assert response.status_code in (200, 403, 409, 422), response.text
    body = response.json()
    entity = body["api_error_entity"] if isinstance(body, dict) else (body[0]["api_error_entity"] if body else None)
    if entity is not None:
        assert isinstance(entity["error_code"], int) and isinstance(entity["warning_messages"], list)


@pytest.fixture()
def bodies(world):
    return valid_bodies(world)


@pytest.mark.parametrize("operation", [
    "ScormApi/GetCmiData", "ScormApi/EditScormData", "ScormApi/GetEditHistory",
    "LearningApi/GetAssignmentStatus", "AdminApi/CreateOrganization", "AdminApi/GetUser",
])
@FUZZ
@given(data=st.data())
def test_one_field_replaced_by_anything(world, bodies, operation, data):
    body = dict(bodies[operation])
    field = data.draw(st.sampled_from(sorted(body)))
    body[field] = data.draw(json_values)
    check(post_escaped(world, operation, body))


@pytest.mark.parametrize("operation", ["ScormApi/GetCmiData", "ScormApi/EditScormData", "AdminApi/Authenticate"])
@FUZZ
@given(payload=json_values)
def test_whole_body_replaced_by_anything(world, operation, payload):
    check(post_escaped(world, operation, payload))


@pytest.mark.parametrize("operation", [
    "ScormApi/GetCmiData", "ScormApi/EditScormData", "AdminApi/CreateOrganization", "AdminApi/Authenticate",
])
@FUZZ
@given(data=st.data())
def test_a_field_named_anything_gets_the_envelope(world, bodies, operation, data):
    """Field names are client text too: unknown ones are refused by name,
    unencodable ones without the handler failing."""
    body = dict(bodies.get(operation, {}))
    body[data.draw(hostile_text | st.text(max_size=20))] = data.draw(json_values)
    check(post_escaped(world, operation, body))


@FUZZ
@given(page=st.integers(min_value=-(2**70), max_value=2**70), per_page=st.integers(min_value=-(2**70), max_value=2**70))
def test_any_paging_numbers(world, bodies, page, per_page):
    r = world.post("ScormApi/GetCmiData", bodies["ScormApi/GetCmiData"], params={"page": page, "per_page": per_page})
    check(r)
