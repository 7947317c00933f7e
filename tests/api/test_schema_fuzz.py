"""Every API operation of the published OpenAPI document, driven with
requests schemathesis generates from it (valid and invalid alike), over
HTTP, as an administrator holding every permission: the answer is always
JSON in the contract's envelope with one of the contract's statuses.

The hand-written fuzzing in test_fuzz_envelope.py starts from real data;
this covers every operation the schema lists, including ones no test names.
"""
from __future__ import annotations

import tempfile

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from scormapi.api.app import create_app
from scormapi.config import Settings
from scormapi.store.db import Database
from tests.world import World

CONTRACT_STATUSES = {200, 403, 409, 422}


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


# Our own parametrization (one test id per operation), so that pytest-xdist
# schedules every operation rather than one test standing for all.
@pytest.mark.parametrize("label", sorted(OPERATIONS))
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_requests_get_the_envelope(label, data, base_url, admin_token):
    case = data.draw(requests_for(label))
    response = case.call(base_url=base_url, params={"access_token": admin_token})
    assert response.status_code in CONTRACT_STATUSES, f"{label}: {response.status_code} {response.text[:500]}"
    assert response.headers["content-type"][0].startswith("application/json"), label
    body = response.json()
    entity = envelope_of(body)
    if response.status_code != 200 or entity is not None:
        assert isinstance(entity["error_code"], int) and isinstance(entity["warning_messages"], list), body
    if response.status_code != 200:
        assert entity["error_code"] != 0 and entity["error_message"], body


def test_every_api_operation_is_covered():
    assert len(OPERATIONS) >= 20 and "POST /api/v1/ScormApi/EditScormData" in OPERATIONS
