"""Request lines the load generator sends, and the ceiling endpoint."""
from __future__ import annotations

import asyncio
import json
import random

from scormapi.benchmark import scenarios
from scormapi.benchmark.cmidata import suspend_pool
from scormapi.benchmark.manifest import Manifest, Sample
from scormapi.benchmark.server import CEILING_PATH, ceiling_body, ceiling_size, with_ceiling
from scormapi.cmi import scorm12
from scormapi.cmi.scorm12.errors import ScormError

SAMPLE = Sample("bench-x-0000001", "e-id", "s-id", "sco_02", "a-id", "launch-token")
MANIFEST = Manifest("sqlite://", "admin-token", "asg-id", "pw", 1, 10, 10, 0.0, "unused")


def _split(line: str) -> tuple[str, str, str]:
    method, path, body = line.split("\t")
    return method, path, body


def test_commit_lines_carry_one_sequence_number_and_twenty_valid_values():
    rng = random.Random(1)
    scenario = scenarios.commit([SAMPLE], rng, suspend_pool(rng, 2))
    method, path, body = _split(scenario.lines[0])
    assert (method, path) == ("POST", "/api/v1/ScormRuntime/Commit?access_token=launch-token")
    assert body.count(scenarios.SEQ) == 1
    payload = json.loads(body.replace(scenarios.SEQ, "7"))
    assert payload["seq"] == 7 and payload["finish"] is False
    assert len(payload["values"]) == 20
    state: dict[str, str] = {}
    for name, value in payload["values"].items():
        # As content sets them, in order, on an attempt that holds nothing yet.
        assert scorm12.set_value(state, name, value, suspend_data_limit=64000) == ScormError.NO_ERROR, name


def test_edit_lines_change_the_location_every_time():
    scenario = scenarios.edit_scorm_data(MANIFEST, [SAMPLE], random.Random(1))
    _, path, body = _split(scenario.lines[0])
    assert path.endswith("access_token=admin-token")
    payload = json.loads(body)
    assert payload["lesson_location"] == "slide-" + scenarios.SEQ
    assert (payload["assignment_status_id"], payload["sco_id"]) == ("s-id", "sco_02")


def test_the_ceiling_receives_the_get_cmi_data_requests():
    real = scenarios.get_cmi_data(MANIFEST, [SAMPLE]).lines[0]
    bare = scenarios.ceiling(MANIFEST, [SAMPLE], 1234).lines[0]
    assert _split(real)[2] == _split(bare)[2]
    assert _split(bare)[1] == CEILING_PATH + "?bytes=1234"


def test_ceiling_size_and_body():
    assert ceiling_size(b"bytes=3359") == 3359
    assert ceiling_size(b"x=1&bytes=10") == 10
    assert ceiling_size(b"bytes=abc") == 2
    assert len(ceiling_body(3359)) == 3359 and json.loads(ceiling_body(40)) == "x" * 38


async def _call(app, path: str, query: bytes, body: bytes) -> tuple[int, bytes]:
    """One HTTP request through an ASGI app: (status, body)."""
    sent: list[dict] = []
    incoming = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return incoming.pop(0)

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "query_string": query, "headers": []}
    await app(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def test_the_ceiling_answers_in_front_of_the_app():
    async def inner(scope, receive, send):
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    app = with_ceiling(inner)
    status, body = asyncio.run(_call(app, CEILING_PATH, b"bytes=500", b'{"enrollment_id": "x"}'))
    assert status == 200 and len(body) == 500
    assert asyncio.run(_call(app, "/api/v1/anything", b"", b""))[0] == 204
