"""Items the manifest hides (isvisible="false") are hidden on My courses as
in the player's table of contents."""
from __future__ import annotations

import re

from scormapi.packages.importer import synthetic_scorm12_package
from scormapi.player.catalog import visible_rows
from tests.player.helpers import enrolled_course, sign_in


def _hidden_course(world):
    package = synthetic_scorm12_package("Visibility", [
        {"title": "Shown lesson", "identifier": "shown"},
        {"title": "Hidden lesson", "identifier": "hidden", "visible": False},
        {"title": "Hidden module", "visible": False, "children": [{"title": "Under a hidden module", "identifier": "under"}]},
    ])
    return enrolled_course(world, package)


def test_my_courses_lists_only_the_visible_lessons(world, base_url):
    course = _hidden_course(world)
    browser = sign_in(base_url, course.learner.login)
    page = browser.get("/learn").text
    browser.close()
    links = re.findall(r'href="/learn/play/[^/"?]+\?sco=([^"]+)"', page)
    assert links == ["shown"]
    assert "Shown lesson" in page and "Hidden lesson" not in page and "Under a hidden module" not in page


def test_a_hidden_lesson_still_opens_by_its_address(world, base_url):
    """Hidden is not forbidden: content may link to it, and the roll-up counts it."""
    course = _hidden_course(world)
    browser = sign_in(base_url, course.learner.login)
    r = browser.get(f"/learn/play/{course.assignment_status.id}", params={"sco": "hidden"})
    browser.close()
    assert r.status_code == 200 and 'id="lesson-frame"' in r.text and "Hidden lesson" in r.text


def test_a_courseware_without_a_stored_tree_shows_every_lesson():
    rows = ["a", "b"]
    assert visible_rows(rows, []) == rows
