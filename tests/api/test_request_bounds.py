"""Every request is bounded before it costs anything: the body's size is
checked as it streams in (before parsing or authentication), and the token
before the body is validated."""
from __future__ import annotations

import socket
from urllib.parse import urlsplit

import orjson
import pytest

from tests.player.helpers import launch

LIMIT = 1024 * 1024
TOO_LARGE = {
    "api_error_entity": {
        "error_code": 11,
        "error_message": f"The request body is larger than the limit of {LIMIT} bytes",
        "warning_messages": [],
    }
}
UNAUTHENTICATED = {"api_error_entity": {"error_code": 3, "error_message": "Unable to authenticate", "warning_messages": []}}


def test_the_default_limit_is_one_mebibyte(settings):
    assert settings.max_body_bytes == LIMIT


@pytest.mark.parametrize("path", ["/api/v1/ScormApi/GetCmiData", "/api/v1/AdminApi/Authenticate", "/login"])
def test_a_declared_length_over_the_limit_is_refused_before_reading(http, path):
    body = b"x" * (LIMIT + 1)
    r = http.post(path, content=body, headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()) == (413, TOO_LARGE)
    assert r.headers["connection"] == "close"


def test_a_streamed_body_is_cut_off_at_the_limit(http):
    """No Content-Length (chunked): counted as it arrives."""

    def chunks():
        for _ in range(3):
            yield b" " * (512 * 1024)

    r = http.post("/api/v1/AdminApi/Authenticate", content=chunks(), headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()) == (413, TOO_LARGE)


def _raw_request(base_url: str, head: bytes, send_chunks: int, chunk: bytes) -> tuple[bytes, int]:
    """Send ``head`` then up to ``send_chunks`` chunked-encoding chunks until the
    server answers; the answer and how many chunks it took."""
    url = urlsplit(base_url)
    with socket.create_connection((url.hostname, url.port), timeout=30) as conn:
        conn.sendall(head)
        conn.setblocking(False)
        sent = 0
        answer = b""
        frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        while sent < send_chunks:
            try:
                answer += conn.recv(65536)
                if answer:
                    break
            except BlockingIOError:
                pass
            try:
                conn.sendall(frame)
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                break
            sent += 1
        conn.setblocking(True)
        while b"\r\n\r\n" not in answer:
            more = conn.recv(65536)
            if not more:
                break
            answer += more
        return answer, sent


def test_a_huge_unauthenticated_body_is_answered_long_before_its_end(base_url):
    """150 MB offered, chunked: the server answers 413 after about a mebibyte
    and never reads (or holds) the rest."""
    head = (
        b"POST /api/v1/ScormApi/EditScormData HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    answer, sent = _raw_request(base_url, head, send_chunks=150, chunk=b" " * (1024 * 1024))
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert sent < 20


def test_a_body_under_the_limit_is_parsed_as_usual(http):
    body = orjson.dumps({"username": "x" * (LIMIT - 200), "password": "p", "grant_type": "password"})
    assert len(body) < LIMIT
    r = http.post("/api/v1/AdminApi/Authenticate", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code in (403, 422) and r.json()["api_error_entity"]["error_code"] in (2, 3)


def test_the_longest_suspend_data_fits_a_commit(world, content_http):
    """64,000 characters, each escaped as \\uXXXX by the browser's JSON."""
    course = world.course(scos=1)
    launched = launch(world, course)
    values = {"cmi.suspend_data": "é" * 64000}
    body = orjson.dumps({"seq": launched["commit_seq"] + 1, "values": values}).decode().replace("é", "\\u00e9")
    assert len(body.encode()) > 6 * 64000
    r = content_http.post(
        "/api/v1/ScormRuntime/Commit",
        content=body,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {launched['launch_token']}"},
    )
    assert r.status_code == 200, r.text


# -- the token before the body ----------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b'{"lessonstatus": "passed"}', b"{not json", b'{"assignment_status_id": 5, "sco_id": []}', b""],
)
@pytest.mark.parametrize(
    "path",
    ["ScormApi/EditScormData", "ScormApi/GetCmiData", "LearningApi/CreateEnrollment", "AdminApi/CreateUser",
     "ScormRuntime/Launch", "LearningApi/DeleteAssignment", "ScormApi/DeleteCourseware"],
)
def test_without_a_token_the_body_is_never_looked_at(http, path, content):
    r = http.post(f"/api/v1/{path}", content=content, headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()) == (403, UNAUTHENTICATED)


@pytest.mark.parametrize("content", [b'{"seq": "x", "valuez": 1}', b"{not json", b""])
def test_a_commit_without_a_token_is_refused_before_its_body(content_http, content):
    r = content_http.post("/api/v1/ScormRuntime/Commit", content=content, headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()) == (403, UNAUTHENTICATED)


def test_an_unknown_token_is_refused_before_the_body(http):
    r = http.post(
        "/api/v1/ScormApi/EditScormData",
        params={"access_token": "6f1c1f0e-3b7a-4c55-9a0e-2d4b8e7f9a11"},
        content=b'{"lessonstatus": 1}',
        headers={"Content-Type": "application/json"},
    )
    assert (r.status_code, r.json()) == (403, UNAUTHENTICATED)


def test_a_token_of_the_wrong_kind_is_refused_before_the_body(world, http, content_http):
    course = world.course(scos=1)
    launched = launch(world, course)
    r = http.post("/api/v1/ScormApi/GetCmiData", params={"access_token": launched["launch_token"]}, content=b"{")
    assert (r.status_code, r.json()) == (403, UNAUTHENTICATED)
    r = content_http.post("/api/v1/ScormRuntime/Commit", headers={"Authorization": f"Bearer {world.admin_token}"}, content=b"{")
    assert (r.status_code, r.json()) == (403, UNAUTHENTICATED)


def test_with_a_valid_token_the_body_is_validated(world):
    r = world.post("ScormApi/GetCmiData", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["api_error_entity"]["error_code"] == 2


def test_the_package_upload_has_its_own_larger_limit(world):
    """ImportPackage streams past max_body_bytes: a 2 MiB upload is read
    (and refused for what it is, not for its size)."""
    files = {"file": ("big.zip", b"\0" * (2 * LIMIT), "application/zip")}
    r = world.post("ScormApi/ImportPackage", files=files, data={"org_id": str(world.top.id)})
    assert r.status_code == 422 and r.json()["api_error_entity"]["error_code"] == 9
