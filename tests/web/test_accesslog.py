"""Tokens never reach the access log: checked on the rule, and on the log of
a real ``scormapi serve`` after real calls."""
from __future__ import annotations

import os
import subprocess
import uuid

import httpx
import pytest

from scormapi.web.accesslog import redact
from tests.processes import console_script, free_port, stop, wait_for

TOKEN = "3f2b8c1e-9d4a-4f6b-8e2c-7a1d5b9c0e3f"


@pytest.mark.parametrize("target,shown", [
    (f"/api/v1/ScormApi/GetCmiData?access_token={TOKEN}", "/api/v1/ScormApi/GetCmiData?access_token=[redacted]"),
    (f"/x?page=2&access_token={TOKEN}&per_page=5", "/x?page=2&access_token=[redacted]&per_page=5"),
    (f"/x?ACCESS_TOKEN={TOKEN}", "/x?ACCESS_TOKEN=[redacted]"),
    (f"/x?access%5Ftoken={TOKEN}", "/x?access%5Ftoken=[redacted]"),
    (f"/run/{TOKEN}", "/run/[redacted]"),
    (f"/content/{TOKEN}/pages/intro.html?step=2", "/content/[redacted]/pages/intro.html?step=2"),
    ("/api/v1/AdminApi/Authenticate", "/api/v1/AdminApi/Authenticate"),
    ("/learn/play/abc/item_1", "/learn/play/abc/item_1"),
])
def test_redact(target, shown):
    assert redact(target) == shown


def test_a_real_servers_log_holds_no_token(tmp_path):
    script = console_script()
    env = {**os.environ, "SCORMAPI_DATA_DIR": str(tmp_path)}
    env.pop("SCORMAPI_DATABASE_URL", None)
    password = "a long enough password"
    subprocess.run([str(script), "admin", "create", "--login", "logadmin", "--password", password], env=env, check=True,
                   capture_output=True)
    port, content_port = free_port(), free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([str(script), "serve", "--port", str(port), "--content-port", str(content_port)], stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/api/v1/ScormRuntime/DataModel", proc)
            auth = httpx.post(f"{base}/api/v1/AdminApi/Authenticate",
                              json={"username": "logadmin", "password": password, "grant_type": "password"})
            token = auth.json()["access_token"]
            secret = str(uuid.uuid4())
            body = {"enrollment_id": str(uuid.uuid4()), "assignment_id": str(uuid.uuid4()), "cmi_element_names": []}
            assert httpx.post(f"{base}/api/v1/ScormApi/GetCmiData", params={"access_token": token}, json=body).status_code == 409
            httpx.get(f"{base}/api/v1/AdminApi/ValidateAccessToken", params={"access_token": token})
            httpx.get(f"{base}/run/{secret}")
            httpx.get(f"{base}/content/{secret}/index.html")
            httpx.get(f"http://127.0.0.1:{content_port}/run/{secret}")
            httpx.get(f"http://127.0.0.1:{content_port}/content/{secret}/index.html")
        finally:
            stop(proc)
    text = log.read_text(errors="replace")
    assert "POST /api/v1/ScormApi/GetCmiData?access_token=[redacted] HTTP/1.1" in text
    assert "GET /api/v1/AdminApi/ValidateAccessToken?access_token=[redacted] HTTP/1.1" in text
    assert "GET /run/[redacted] HTTP/1.1" in text and "GET /content/[redacted]/index.html HTTP/1.1" in text
    assert token not in text and secret not in text
