"""A course's untracked pages (asset items) open from the player's contents
in a real browser, and nothing is recorded for them."""
from __future__ import annotations

from tests.api.scorm_helpers import load_attempt
from tests.packages.zips import make_zip, manifest_12, sco_resource
from tests.player.helpers import enrolled_course

ITEMS = """
  <item identifier="lesson" identifierref="r1"><title>Lesson</title></item>
  <item identifier="handout" identifierref="a1"><title>The handout</title></item>"""
RESOURCES = sco_resource("r1", "index.html") + \
    '<resource identifier="a1" type="webcontent" adlcp:scormtype="asset" href="docs/handout.html"><file href="docs/handout.html"/></resource>'
LESSON = "<!DOCTYPE html><title>Lesson</title><p id='lesson'>The lesson.</p>"
HANDOUT = "<!DOCTYPE html><title>Handout</title><p id='handout'>Read me first.</p><img src='pic.svg' alt='a picture' id='pic'>"
PICTURE = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><rect width='10' height='10'/></svg>"


def test_a_handout_opens_from_the_contents_and_records_nothing(world, learner_browser):
    package = make_zip([("imsmanifest.xml", manifest_12(ITEMS, RESOURCES)), ("index.html", LESSON),
                        ("docs/handout.html", HANDOUT), ("docs/pic.svg", PICTURE)])
    course = enrolled_course(world, package)
    tab = learner_browser
    tab.sign_in(course.learner.login)
    tab.page.get_by_role("link", name="Lesson", exact=True).click()
    tab.page.locator(".toc").get_by_role("link", name="The handout").click()
    tab.page.wait_for_url(f"**/learn/page/{course.assignment_status.id}?item=handout")
    frame = tab.page.frame_locator("#lesson-frame")
    assert frame.locator("#handout").inner_text() == "Read me first."
    # Its relative links resolve under the same key.
    assert frame.locator("#pic").evaluate("img => img.complete && img.naturalWidth") == 10
    assert tab.page.locator("h1").inner_text() == f"{course.courseware.title}: The handout"
    assert "nothing is recorded" in tab.page.locator("#mode-notice").inner_text()
    assert tab.page.locator('.toc a[aria-current="page"]').inner_text() == "The handout"
    tab.page.get_by_role("link", name="Back to my courses").click()
    tab.page.wait_for_url(f"{tab.base_url}/learn", timeout=2_000)
    # Only the lesson, which was opened, has an attempt.
    assert load_attempt(world, course, "lesson") is not None
    assert load_attempt(world, course, "handout") is None
