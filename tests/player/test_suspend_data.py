"""suspend_data: lenient 64000 by default, strict 4096 by choice; a longer
value is refused whole, never truncated."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from scormapi.auth.tokens import token_hash
from scormapi.cmi.scorm12 import table_json
from scormapi.config import Settings
from scormapi.errors import HTTP_STATUS, ServiceError
from scormapi.store import runtime
from scormapi.store.models import AccessToken
from tests.api.scorm_helpers import load_attempt
from tests.player.helpers import commit, launch

DATA = "cmi.suspend_data"


def test_lenient_default_takes_64000_and_refuses_64001_whole(world, content_http):
    course = world.course(scos=1)
    launched = launch(world, course)
    assert commit(content_http, launched, 1, {DATA: "s" * 64000}).status_code == 200
    r = commit(content_http, launched, 2, {DATA: "t" * 64001})
    assert r.status_code == 422
    assert r.json()["api_error_entity"]["error_message"] == f"Invalid request: values.{DATA}: 405 Incorrect data type"
    attempt = load_attempt(world, course)
    assert attempt.cmi[DATA] == "s" * 64000 and attempt.commit_seq == 1


def _token_id(world, token):
    with world.db.read() as s:
        return s.scalar(select(AccessToken.id).where(AccessToken.token_hash == token_hash(token)))


def test_strict_limit_is_4096(world, tmp_path):
    strict = Settings(data_dir=tmp_path, suspend_data_limit="strict")
    course = world.course(scos=1)
    launched = launch(world, course)
    token_id, attempt_id = _token_id(world, launched["launch_token"]), uuid.UUID(launched["attempt_id"])
    assert runtime.commit(world.db, strict, token_id, attempt_id, 1, {DATA: "x" * 4096}).applied
    with pytest.raises(ServiceError) as refused:
        runtime.commit(world.db, strict, token_id, attempt_id, 2, {DATA: "x" * 4097})
    assert HTTP_STATUS[refused.value.code] == 422 and "405" in refused.value.message
    assert load_attempt(world, course).cmi[DATA] == "x" * 4096


def test_the_browser_gets_the_same_limit_in_the_data_model(content_http):
    r = content_http.get("/api/v1/ScormRuntime/DataModel")
    assert r.status_code == 200
    body = r.json()
    assert body["data_model"] == table_json(suspend_data_limit=64000)
    (element,) = [e for e in body["data_model"]["elements"] if e["pattern"] == DATA]
    assert element["max_length"] == 64000
