"""A bug answers 500 in the envelope and leaves the keep-alive connection
usable; unknown paths and wrong methods answer in the envelope too."""
from __future__ import annotations

import http.client
import logging
from urllib.parse import urlsplit

import orjson

from scormapi.api import admin

INTERNAL = {"api_error_entity": {"error_code": 1, "error_message": "Internal error", "warning_messages": []}}


def _broken(*_args, **_kwargs):
    raise RuntimeError("a bug")


def test_a_500_keeps_the_connection_open(world, base_url, monkeypatch, caplog):
    monkeypatch.setattr(admin.directory, "create_org", _broken)
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    body = orjson.dumps({"name": "x", "parent_org_id": str(world.top.id)})
    headers = {"Content-Type": "application/json"}
    try:
        with caplog.at_level(logging.ERROR, logger="scormapi"):
            conn.request("POST", f"/api/v1/AdminApi/CreateOrganization?access_token={world.admin_token}", body, headers)
            first = conn.getresponse()
            assert (first.status, orjson.loads(first.read())) == (500, INTERNAL)
        assert first.getheader("connection") != "close"
        sock = conn.sock
        assert sock is not None, "the server closed the connection after the 500"
        conn.request("GET", f"/api/v1/AdminApi/ValidateAccessToken?access_token={world.admin_token}")
        second = conn.getresponse()
        assert second.status == 200
        second.read()
        assert conn.sock is sock, "the second request needed a new connection"
    finally:
        conn.close()
    assert any("a bug" in (r.exc_text or "") for r in caplog.records), "the traceback was not logged"


def test_an_unknown_path_is_404_in_the_envelope(http):
    r = http.post("/api/v1/ScormApi/NoSuchOperation", json={})
    assert (r.status_code, r.json()) == (404, {"api_error_entity": {
        "error_code": 5, "error_message": "Not Found", "warning_messages": []}})


def test_a_wrong_method_is_405_in_the_envelope_with_allow(http):
    r = http.get("/api/v1/ScormApi/GetCmiData")
    assert (r.status_code, r.json()) == (405, {"api_error_entity": {
        "error_code": 2, "error_message": "Method Not Allowed", "warning_messages": []}})
    assert r.headers["allow"] == "POST"


def test_the_error_log_line_holds_no_secret(caplog):
    """A failure under /content/<key>/ logs the path redacted, like the access log."""
    import logging

    from scormapi.api.unexpected import UnexpectedErrors
    from tests.threads import run_apart

    async def failing(scope, receive, send):
        raise RuntimeError("boom")

    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    secret = "3f2b8c1e-9d4a-4f6b-8e2c-7a1d5b9c0e3f"
    scope = {"type": "http", "method": "GET", "path": f"/content/{secret}/index.html", "headers": []}
    with caplog.at_level(logging.ERROR, logger="scormapi"):
        run_apart(UnexpectedErrors(failing), scope, receive, send)
    assert sent[0]["status"] == 500
    assert "unhandled error in GET /content/[redacted]/index.html" in caplog.text
    assert secret not in caplog.text
