"""Package files for the content frame: only inside the package, only to
those who may take it."""
from __future__ import annotations

import os

import httpx
import pytest

from scormapi.store.courseware import package_dir
from tests.player.helpers import launch, sign_in


@pytest.fixture()
def course(world):
    return world.course(scos=1)


@pytest.fixture()
def learner(course, base_url):
    client = sign_in(base_url, course.learner.login)
    yield client
    client.close()


def url(course, path):
    return f"/content/{course.courseware.id}/{path}"


def test_an_enrolled_learner_gets_the_files_with_their_types(world, course, learner):
    folder = package_dir(world.settings, course.courseware.id)
    (folder / "sco1" / "app.js").write_text("var x = 1;")
    (folder / "sco1" / "style.css").write_text("p {}")
    (folder / "sco1" / "data.bin").write_bytes(b"\x00\x01")
    r = learner.get(url(course, "sco1/index.html"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "LMSInitialize" in r.text
    assert learner.get(url(course, "sco1/app.js")).headers["content-type"].startswith("text/javascript")
    assert learner.get(url(course, "sco1/style.css")).headers["content-type"].startswith("text/css")
    assert learner.get(url(course, "sco1/data.bin")).headers["content-type"] == "application/octet-stream"
    assert learner.get(url(course, "imsmanifest.xml")).headers["content-type"].startswith("application/xml")


def test_strangers_and_anonymous_get_nothing(world, course, base_url):
    stranger = sign_in(base_url, world.user().login)
    assert stranger.get(url(course, "sco1/index.html")).status_code == 403
    stranger.close()
    with httpx.Client(base_url=base_url) as anonymous:
        assert anonymous.get(url(course, "sco1/index.html")).status_code == 403
        # An API token is not a launch token.
        r = anonymous.get(url(course, "sco1/index.html"), params={"access_token": world.admin_token})
        assert r.status_code == 403


def test_a_launch_token_opens_its_own_courseware_only(world, course, base_url):
    token = launch(world, course)["launch_token"]
    other = world.course(scos=1)
    with httpx.Client(base_url=base_url) as content:
        assert content.get(url(course, "sco1/index.html"), params={"access_token": token}).status_code == 200
        assert content.get(url(other, "sco1/index.html"), params={"access_token": token}).status_code == 403


@pytest.mark.parametrize("path", [
    "%2e%2e/secret.txt",
    "sco1/%2e%2e/%2e%2e/secret.txt",
    "..%2fsecret.txt",
    "%2e%2e%5csecret.txt",
    "sco1%5c..%5c..%5csecret.txt",
    "%2fetc%2fpasswd",
    "sco1/index.html%00.txt",
    "sco1//index.html",
    "sco1/%2e/index.html",
    "sco1",
    "missing.html",
    "link/secret.txt",
])
def test_paths_outside_the_package_or_not_files_are_404(world, course, learner, path):
    packages = world.settings.packages_dir
    (packages / "secret.txt").write_text("secret")
    folder = package_dir(world.settings, course.courseware.id)
    if not (folder / "link").exists():
        os.symlink(packages, folder / "link")
    r = learner.get(url(course, path))
    assert r.status_code == 404 and "secret" not in r.text
