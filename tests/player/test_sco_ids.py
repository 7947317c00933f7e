"""Manifest identifiers go into URLs encoded: every character opens the
right lesson from My courses, the table of contents and the sign-in
redirect, through the real HTTP server."""
from __future__ import annotations

import html
import io
import re
import zipfile
from xml.sax.saxutils import quoteattr

import httpx
import pytest

from scormapi.packages.synthetic import build_zip, synthetic_scorm12_package
from tests.api.scorm_helpers import load_attempt
from tests.player.helpers import csrf_field, enrolled_course, sign_in
from tests.world import PASSWORD

# One of each kind that once broke a URL: a path separator, query and
# fragment marks, an escape that decodes to a separator, a space,
# non-ASCII, ampersands, and the dot segments browsers collapse.
SCO_IDS = ["a/b", "q?x=1", "h#1", "p%2Fq", "sp ace", "ünï-ñ", "a&b;c", "..", ".", "+plus"]


def package_with_ids(ids: list[str]) -> bytes:
    specs = [{"identifier": f"item_{n}", "title": f"Lesson {n}"} for n in range(1, len(ids) + 1)]
    with zipfile.ZipFile(io.BytesIO(synthetic_scorm12_package("Odd identifiers", specs))) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    manifest = files["imsmanifest.xml"].decode()
    for n, sco_id in enumerate(ids, start=1):
        manifest = manifest.replace(f'<item identifier="item_{n}"', f"<item identifier={quoteattr(sco_id)}")
    files["imsmanifest.xml"] = manifest
    return build_zip(files)


@pytest.fixture(scope="module")
def odd_course(db, settings, base_url):
    from tests.world import World

    with httpx.Client(base_url=base_url) as http:
        world = World(db, settings, http)
        return world, enrolled_course(world, package_with_ids(SCO_IDS))


def hrefs(page_text: str) -> dict[str, str]:
    """Lesson title -> the link's URL, as a browser reads the attribute."""
    return {title: html.unescape(href) for href, title in re.findall(r'<a href="(/learn/play/[^"]+)"[^>]*>([^<]+)</a>', page_text)}


def current_lesson(page_text: str) -> str:
    return html.unescape(re.search(r'data-sco-id="([^"]*)"\s+aria-current="page"', page_text).group(1))


def test_the_course_imports_every_identifier(odd_course):
    _, course = odd_course
    assert sorted(course.sco_ids) == sorted(SCO_IDS)


@pytest.mark.parametrize("n", range(1, len(SCO_IDS) + 1))
def test_my_courses_and_the_contents_open_the_right_lesson(odd_course, base_url, n):
    world, course = odd_course
    sco_id = SCO_IDS[n - 1]
    learner = sign_in(base_url, course.learner.login)
    courses = learner.get("/learn")
    assert courses.status_code == 200
    link = hrefs(courses.text)[f"Lesson {n}"]
    shell = learner.get(link)
    assert shell.status_code == 200, shell.text
    assert current_lesson(shell.text) == sco_id
    assert load_attempt(world, course, sco_id).started_at is not None
    # The table of contents links back to every lesson the same way.
    other = SCO_IDS[n % len(SCO_IDS)]
    toc_link = hrefs(shell.text)[f"Lesson {n % len(SCO_IDS) + 1}"]
    assert current_lesson(learner.get(toc_link).text) == other
    learner.close()


def test_the_sign_in_redirect_keeps_the_identifier(odd_course, base_url):
    _, course = odd_course
    learner = sign_in(base_url, course.learner.login)
    link = hrefs(learner.get("/learn").text)["Lesson 1"]
    learner.close()
    with httpx.Client(base_url=base_url) as stranger:
        r = stranger.get(link)
        assert r.status_code == 303
        form = stranger.get(r.headers["location"])
        nxt = html.unescape(re.search(r'name="next" value="([^"]*)"', form.text).group(1))
        assert nxt == link
        r = stranger.post("/login", data={"login": course.learner.login, "password": PASSWORD,
                                          "csrf_token": csrf_field(form.text), "next": nxt})
        assert r.status_code == 303 and r.headers["location"] == link
        assert current_lesson(stranger.get(link).text) == SCO_IDS[0]


def test_an_unknown_or_missing_identifier_is_a_not_found_page(odd_course, base_url):
    _, course = odd_course
    learner = sign_in(base_url, course.learner.login)
    base = f"/learn/play/{course.assignment_status.id}"
    for params in ({"sco": "a"}, {"sco": "a/b/"}, {}, {"sco": "x" * 300}):
        r = learner.get(base, params=params)
        assert r.status_code == 404 and "Not found" in r.text
    learner.close()


def test_an_old_lesson_address_redirects_to_the_new_one(odd_course, base_url):
    _, course = odd_course
    learner = sign_in(base_url, course.learner.login)
    r = learner.get(f"/learn/play/{course.assignment_status.id}/sp%20ace", params={"mode": "browse"})
    learner.close()
    assert r.status_code == 303
    assert r.headers["location"] == f"/learn/play/{course.assignment_status.id}?sco=sp%20ace&mode=browse"
