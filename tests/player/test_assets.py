"""Items whose resource is an asset (a handout, a page) open in the player:
framed from the content origin under a key to the course's files, with no
run-time and no record."""
from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import func, select

from scormapi.store.models import AccessToken, ScoAttempt
from tests.api.scorm_helpers import load_attempt
from tests.packages.zips import make_zip, manifest_12, sco_resource
from tests.player.helpers import commit, enrolled_course, sign_in

HANDOUT = "<!DOCTYPE html><title>Handout</title><p id='handout'>Read me first.</p>"
ITEMS = """
  <item identifier="lesson" identifierref="r1"><title>Lesson</title></item>
  <item identifier="handout" identifierref="a1"><title>The handout</title></item>
  <item identifier="module"><title>Module</title>
    <item identifier="notes" identifierref="a2" parameters="?part=2"><title>Notes</title></item>
  </item>
  <item identifier="away" identifierref="a3"><title>Elsewhere</title></item>"""
RESOURCES = (
    sco_resource("r1", "index.html")
    + '<resource identifier="a1" type="webcontent" adlcp:scormtype="asset" href="docs/handout.html"/>'
    + '<resource identifier="a2" type="webcontent" href="docs/notes.html"/>'
    + '<resource identifier="a3" type="webcontent" href="https://example.org/page.html"/>'
)


def package() -> bytes:
    return make_zip([
        ("imsmanifest.xml", manifest_12(ITEMS, RESOURCES)),
        ("index.html", "<!DOCTYPE html><title>Lesson</title>"),
        ("docs/handout.html", HANDOUT),
        ("docs/notes.html", "<!DOCTYPE html><title>Notes</title>"),
    ])


@pytest.fixture()
def course(world):
    return enrolled_course(world, package())


@pytest.fixture()
def learner(course, base_url):
    client = sign_in(base_url, course.learner.login)
    yield client
    client.close()


def open_page(learner, course, item="handout", **headers):
    return learner.get(f"/learn/page/{course.assignment_status.id}", params={"item": item}, headers=headers)


def frame_src(shell) -> str:
    return re.search(r'<iframe id="lesson-frame"[^>]*\bsrc="([^"]+)"', shell.text).group(1).replace("&amp;", "&")


def follow(content_http, src: str, content_url: str):
    """The content origin's answer to the frame's address: a redirect to the file."""
    return content_http.get(src.removeprefix(content_url))


def test_an_asset_opens_in_the_shell_from_the_content_origin(world, course, learner, content_http, content_url):
    shell = open_page(learner, course)
    assert shell.status_code == 200
    src = frame_src(shell)
    assert re.fullmatch(re.escape(content_url) + r"/asset/[0-9a-f-]{36}\?item=handout", src)
    assert "<h1>" in shell.text and "The handout" in shell.text
    assert "nothing is recorded" in shell.text
    moved = follow(content_http, src, content_url)
    assert moved.status_code == 303
    location = moved.headers["location"]
    assert re.fullmatch(r"/content/[0-9a-f-]{36}/docs/handout\.html", location)
    assert moved.headers["referrer-policy"] == "no-referrer" and moved.headers["cache-control"] == "no-store"
    page = content_http.get(location)
    assert page.status_code == 200 and page.text == HANDOUT
    # The code was spent; opening the page made no attempt.
    assert follow(content_http, src, content_url).status_code == 410
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(ScoAttempt).where(
            ScoAttempt.assignment_status_id == course.assignment_status.id)) == 0


def test_an_asset_keeps_its_parameters(course, learner, content_http, content_url):
    moved = follow(content_http, frame_src(open_page(learner, course, "notes")), content_url)
    assert moved.status_code == 303 and moved.headers["location"].endswith("/docs/notes.html?part=2")


def test_the_asset_key_opens_files_and_nothing_else(world, course, learner, content_http, content_url):
    key = follow(content_http, frame_src(open_page(learner, course)), content_url).headers["location"].split("/")[2]
    assert content_http.get(f"/content/{key}/index.html").status_code == 200
    r = commit(content_http, key, 1, {"cmi.core.lesson_status": "passed"})
    assert r.status_code == 403
    assert content_http.get(f"/run/{key}").status_code == 403
    assert load_attempt(world, course, "lesson") is None


@pytest.mark.parametrize("item", ["lesson", "module", "away", "missing", "x" * 300], ids=["sco", "heading", "web", "missing", "long"])
def test_only_the_courses_own_pages_open(course, learner, item):
    r = open_page(learner, course, item)
    assert r.status_code == 404 and "lesson-frame" not in r.text


def test_someone_elses_course_page_is_not_found(world, course, base_url):
    stranger = sign_in(base_url, world.user().login)
    r = open_page(stranger, course)
    stranger.close()
    assert r.status_code == 404 and "lesson-frame" not in r.text


def test_a_link_from_another_site_only_offers_the_page(world, course, learner):
    r = open_page(learner, course, **{"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 200 and "lesson-frame" not in r.text and "Open the page" in r.text
    with world.db.read() as s:
        codes = s.scalar(select(func.count()).select_from(AccessToken).where(AccessToken.kind == "asset_code",
                         AccessToken.assignment_status_id == course.assignment_status.id))
    assert codes == 0


def test_a_launch_code_does_not_open_an_asset_nor_the_reverse(world, course, learner, content_http, content_url):
    lesson = learner.get(f"/learn/play/{course.assignment_status.id}", params={"sco": "lesson"})
    launch_src = frame_src(lesson)
    code = launch_src.rsplit("/", 1)[1]
    assert content_http.get(f"/asset/{code}", params={"item": "handout"}).status_code == 403
    asset_code = frame_src(open_page(learner, course)).split("/asset/")[1].split("?")[0]
    assert content_http.get(f"/run/{asset_code}").status_code == 403


def test_the_contents_link_to_the_pages(course, learner):
    shell = learner.get(f"/learn/play/{course.assignment_status.id}", params={"sco": "lesson"})
    assert f'href="/learn/page/{course.assignment_status.id}?item=handout"' in shell.text
    assert f'href="/learn/page/{course.assignment_status.id}?item=notes"' in shell.text
    # The web address cannot be opened: a heading, not a link.
    assert '<span class="toc-heading">Elsewhere</span>' in shell.text


def test_removing_the_enrollment_takes_the_key(world, course, learner, content_http, content_url):
    key = follow(content_http, frame_src(open_page(learner, course)), content_url).headers["location"].split("/")[2]
    r = world.post("LearningApi/DeleteEnrollment", {"enrollment_id": str(course.enrollment.id)})
    assert r.status_code == 200
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(AccessToken).where(
            AccessToken.assignment_status_id == course.assignment_status.id)) == 0
    # Token look-ups may be cached this long; after it the key opens nothing.
    time.sleep(world.settings.auth_cache_seconds + 0.1)
    assert content_http.get(f"/content/{key}/docs/handout.html").status_code == 403
