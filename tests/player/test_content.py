"""Package files for the content frame: on the content origin only, under a
key that opens one attempt's courseware, and only inside the package."""
from __future__ import annotations

import os
import time

import httpx
import pytest

from scormapi.store.courseware import package_dir
from tests.player.helpers import commit, launch, sign_in


@pytest.fixture()
def course(world):
    return world.course(scos=1)


@pytest.fixture()
def key(world, course):
    return launch(world, course)["launch_token"]


def url(key, path):
    return f"/content/{key}/{path}"


def test_a_launch_token_gets_its_files_with_their_types(world, course, key, content_http):
    folder = package_dir(world.settings, course.courseware.id)
    (folder / "sco1" / "app.js").write_text("var x = 1;")
    (folder / "sco1" / "style.css").write_text("p {}")
    (folder / "sco1" / "data.bin").write_bytes(b"\x00\x01")
    r = content_http.get(url(key, "sco1/index.html"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "same-origin"
    assert "LMSInitialize" in r.text and "set-cookie" not in r.headers
    assert content_http.get(url(key, "sco1/app.js")).headers["content-type"].startswith("text/javascript")
    assert content_http.get(url(key, "sco1/style.css")).headers["content-type"].startswith("text/css")
    assert content_http.get(url(key, "sco1/data.bin")).headers["content-type"] == "application/octet-stream"
    assert content_http.get(url(key, "imsmanifest.xml")).headers["content-type"].startswith("application/xml")


def test_the_main_origin_serves_no_package_file(key, http):
    r = http.get(url(key, "sco1/index.html"))
    assert r.status_code == 404 and "LMSInitialize" not in r.text


def test_no_other_key_opens_files(world, course, base_url, content_url):
    learner = sign_in(base_url, course.learner.login)
    session_token = learner.cookies["scormapi_session"]
    # The learner's cookie goes to the content port too (cookies ignore
    # ports); the content origin never reads it.
    with httpx.Client(base_url=content_url, cookies={"scormapi_session": session_token}) as content:
        for bogus in (session_token, world.admin_token, world.token(course.learner), "not-a-token", "x" * 65):
            assert content.get(url(bogus, "sco1/index.html")).status_code == 403
    learner.close()


def test_a_launch_token_opens_only_its_own_courseware(world, course, key, content_http):
    other = world.course(scos=1)
    other_key = launch(world, other)["launch_token"]
    assert content_http.get(url(key, "sco1/index.html")).status_code == 200
    # The key alone says which package: there is no courseware id to swap.
    mine = package_dir(world.settings, course.courseware.id) / "sco1" / "index.html"
    theirs = package_dir(world.settings, other.courseware.id) / "sco1" / "index.html"
    mine.write_text("mine")
    theirs.write_text("theirs")
    assert content_http.get(url(key, "sco1/index.html")).text == "mine"
    assert content_http.get(url(other_key, "sco1/index.html")).text == "theirs"
    assert content_http.get(url(key, f"%2e%2e/{other.courseware.id}/sco1/index.html")).status_code == 404


def test_a_retired_launch_token_opens_nothing(world, content_http):
    course = world.course(scos=1)
    first = launch(world, course)
    finished = commit(content_http, first, first["commit_seq"] + 1, {"cmi.core.lesson_status": "passed"}, finish=True)
    assert finished.status_code == 200
    launch(world, course, new_attempt=True)  # a new attempt retires the old one's tokens
    # Token look-ups may be cached this long; after it the revocation bites.
    time.sleep(world.settings.auth_cache_seconds + 0.1)
    assert content_http.get(url(first["launch_token"], "sco1/index.html")).status_code == 403


@pytest.mark.parametrize("path", [
    "%2e%2e/secret.txt",
    "sco1/%2e%2e/%2e%2e/secret.txt",
    "..%2fsecret.txt",
    "%2e%2e%5csecret.txt",
    "sco1%5c..%5c..%5csecret.txt",
    "%2fetc%2fpasswd",
    "sco1//index.html",
    "sco1/%2e/index.html",
    "sco1",
    "missing.html",
    "link/secret.txt",
])
def test_paths_outside_the_package_or_not_files_are_404(world, course, key, content_http, path):
    packages = world.settings.packages_dir
    (packages / "secret.txt").write_text("secret")
    folder = package_dir(world.settings, course.courseware.id)
    if not (folder / "link").exists():
        os.symlink(packages, folder / "link")
    r = content_http.get(url(key, path))
    assert r.status_code == 404 and "secret" not in r.text


def test_a_nul_in_the_path_is_refused_before_any_file_is_looked_for(world, course, key, content_http):
    r = content_http.get(url(key, "sco1/index.html%00.txt"))
    assert r.status_code == 422 and r.json()["api_error_entity"]["error_code"] == 2
