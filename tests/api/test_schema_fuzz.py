"""Every API operation of the published OpenAPI document, driven with
requests schemathesis generates from it (valid and invalid alike), over
HTTP, as an administrator holding every permission and without a token:
every answer is what the document says it is (status, content type, body,
headers), in the contract's envelope with one of the contract's statuses.

The hand-written fuzzing in test_fuzz_envelope.py starts from real data;
this covers every operation the schema lists, including ones no test names.
"""
from __future__ import annotations

import tempfile
from urllib.parse import urlsplit

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis import checks as generic_checks
from schemathesis.specs.openapi import checks

from scormapi.api.app import create_app
from scormapi.config import Settings
from scormapi.packages.importer import synthetic_scorm12_package
from scormapi.store.db import Database
from tests.player.helpers import launch
from tests.world import PASSWORD, World, unique

# 404: only the commit, on the main origin (it is served on the content origin).
CONTRACT_STATUSES = {200, 403, 404, 409, 413, 422}


def published_schema() -> dict:
    """The OpenAPI document as the server publishes it; building it touches
    no database (the engine connects lazily and is never used)."""
    unused = f"sqlite:///{tempfile.gettempdir()}/scormapi-openapi-unused.db"
    app = create_app(Settings(database_url=unused), Database(unused))
    return app.openapi()


# Only the JSON API: the learner pages answer HTML by design.
schema = schemathesis.openapi.from_dict(published_schema()).include(path_regex=r"^/api/v1/")


@pytest.fixture(scope="module")
def admin_token(db, settings, base_url) -> str:
    with httpx.Client(base_url=base_url) as http:
        return World(db, settings, http).admin_token


def envelope_of(body) -> dict | None:
    """The api_error_entity of an object, or of a list's first item."""
    if isinstance(body, dict):
        return body.get("api_error_entity")
    if isinstance(body, list) and body:
        return body[0].get("api_error_entity")
    return None


OPERATIONS = {result.ok().label: result.ok() for result in schema.get_all_operations()}


def requests_for(label: str):
    """Requests that fit the operation's schema and requests that break it."""
    operation = OPERATIONS[label]
    return st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
    )


# What every response must be, checked against the published document: a
# documented status, a documented content type, a body that conforms to
# that status's schema, the documented headers, never a 5xx; and a request
# the document calls invalid must be refused.
CHECKS = [
    generic_checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
    checks.negative_data_rejection,
]


def check_envelope(label: str, response) -> None:
    assert response.status_code in CONTRACT_STATUSES, f"{label}: {response.status_code} {response.text[:500]}"
    body = response.json()
    entity = envelope_of(body)
    if response.status_code != 200 or entity is not None:
        assert isinstance(entity["error_code"], int) and isinstance(entity["warning_messages"], list), body
    if response.status_code != 200:
        assert entity["error_code"] != 0 and entity["error_message"], body


# Our own parametrization (one test id per operation), so that pytest-xdist
# schedules every operation rather than one test standing for all.
@pytest.mark.parametrize("label", sorted(OPERATIONS))
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_requests_as_an_administrator(label, data, base_url, admin_token):
    case = data.draw(requests_for(label))
    response = case.call(base_url=base_url, params={"access_token": admin_token})
    case.validate_response(response, checks=CHECKS)
    check_envelope(label, response)


@pytest.mark.parametrize("label", sorted(OPERATIONS))
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_requests_without_a_token(label, data, base_url):
    case = data.draw(requests_for(label))
    response = case.call(base_url=base_url)
    case.validate_response(response, checks=CHECKS)
    check_envelope(label, response)
    if OPERATIONS[label].definition.raw.get("security") != []:
        assert response.status_code in (403, 404, 413, 422), f"{label}: {response.status_code} {response.text[:300]}"


def test_every_api_operation_is_covered():
    assert len(OPERATIONS) >= 20 and "POST /api/v1/ScormApi/EditScormData" in OPERATIONS


# -- successes, checked against the document ------------------------------------------
# Generated ids almost never name real items, so the fuzzing above mostly
# sees errors; these real requests make every 200 body face the document.


def success_requests(world) -> dict[str, dict]:
    course = world.course(scos=2)
    learner_token = world.token(course.learner)
    status = {"assignment_status_id": str(course.assignment_status.id), "sco_id": "item_1"}
    section = {"section_id": str(course.section.id)}
    other = world.user()
    grant = {"user_id": str(other.id), "org_id": str(world.top.id), "permission": "View Section Enrollments"}
    world.post("ScormApi/EditScormData", {**status, "lesson_status": "completed", "reason": "seed"})
    return {
        "POST /api/v1/AdminApi/Authenticate": {"body": {"username": world.admin.login, "password": PASSWORD, "grant_type": "password"}},
        "GET /api/v1/AdminApi/ValidateAccessToken": {},
        "POST /api/v1/AdminApi/CreateOrganization": {"body": {"name": "documented", "parent_org_id": str(world.top.id)}},
        "POST /api/v1/AdminApi/GetOrganizations": {"body": {"parent_org_id": str(world.top.id)}},
        "POST /api/v1/AdminApi/CreateUser": {"body": {"login": unique("doc"), "password": PASSWORD, "owner_org_id": str(world.top.id)}},
        "POST /api/v1/AdminApi/GetUser": {"body": {"user_id": str(other.id)}},
        "POST /api/v1/AdminApi/GrantPermission": {"body": grant},
        # After the grant above (dicts keep their order).
        "POST /api/v1/AdminApi/RevokePermission": {"body": grant},
        "POST /api/v1/LearningApi/CreateSection": {"body": {"org_id": str(world.top.id), "name": "documented"}},
        "POST /api/v1/LearningApi/GetSections": {"body": {"org_id": str(world.top.id)}},
        "POST /api/v1/LearningApi/CreateEnrollment": {"body": {**section, "user_id": str(other.id)}},
        "POST /api/v1/LearningApi/GetEnrollments": {"body": section},
        "POST /api/v1/LearningApi/CreateAssignment": {"body": {**section, "courseware_id": str(course.courseware.id)}},
        "POST /api/v1/LearningApi/GetAssignmentStatus": {"body": {"enrollment_id": str(course.enrollment.id), "assignment_id": str(course.assignment.id)}},
        "POST /api/v1/ScormApi/GetCmiData": {"body": {"enrollment_id": str(course.enrollment.id), "assignment_id": str(course.assignment.id),
                                                      "cmi_element_names": ["cmi.core.lesson_status", "cmi.nothing"]}},
        "POST /api/v1/ScormApi/EditScormData": {"body": {**status, "lesson_location": "p2", "reason": "documented"}},
        "POST /api/v1/ScormApi/GetEditHistory": {"body": status},
        "POST /api/v1/ScormApi/GetAttemptHistory": {"body": {**status, "cmi_element_names": ["cmi.core.lesson_status"]}},
        "POST /api/v1/AdminApi/GetAuditLog": {"body": {"org_id": str(world.top.id)}},
        # After the history read above: the reset files the attempt away.
        "POST /api/v1/ScormApi/ResetScormAttempt": {"body": {**status, "reason": "documented"}},
        "GET /api/v1/ScormRuntime/DataModel": {},
        "POST /api/v1/ScormRuntime/Launch": {"body": {**status, "lesson_mode": "normal"}, "token": learner_token},
    }


def test_every_success_body_is_the_documented_one(world, base_url):
    planned = success_requests(world)
    for label, request in planned.items():
        extra = {"body": request["body"], "media_type": "application/json"} if "body" in request else {}
        case = OPERATIONS[label].Case(query={"access_token": request.get("token", world.admin_token)}, **extra)
        response = case.call(base_url=base_url)
        assert response.status_code == 200, f"{label}: {response.text[:300]}"
        case.validate_response(response, checks=CHECKS)


def test_an_import_body_is_the_documented_one(world, base_url):
    case = OPERATIONS["POST /api/v1/ScormApi/ImportPackage"].Case(
        body={"file": synthetic_scorm12_package(unique("Documented"), [{"title": "One"}]), "org_id": str(world.top.id)},
        media_type="multipart/form-data", query={"access_token": world.admin_token},
    )
    response = case.call(base_url=base_url)
    assert response.status_code == 200, response.text
    case.validate_response(response, checks=CHECKS)


# -- the commit, on the content origin where it is served -------------------------------

COMMIT = "POST /api/v1/ScormRuntime/Commit"


def content_origin(launched: dict) -> str:
    parts = urlsplit(launched["commit_url"])
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture(scope="module")
def launched(db, settings, base_url) -> dict:
    with httpx.Client(base_url=base_url) as http:
        world = World(db, settings, http)
        return launch(world, world.course(scos=1))


def test_a_commit_body_is_the_documented_one(launched):
    case = OPERATIONS[COMMIT].Case(body={"seq": 1, "values": {"cmi.core.lesson_location": "p1"}},
                                   media_type="application/json", headers={"Authorization": f"Bearer {launched['launch_token']}"})
    response = case.call(base_url=content_origin(launched))
    assert response.status_code == 200, response.text
    case.validate_response(response, checks=CHECKS)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_commits_with_a_launch_token(launched, data):
    """Valid and invalid commits of one live attempt: applied, stale or refused, each as documented."""
    case = data.draw(requests_for(COMMIT))
    response = case.call(base_url=content_origin(launched), headers={"Authorization": f"Bearer {launched['launch_token']}"})
    case.validate_response(response, checks=CHECKS)
    check_envelope(COMMIT, response)
