"""The player page around the content: progress shown, review mode, and the
API found from a window the content opens."""
from __future__ import annotations

import pytest

from tests.e2e.scripted import scripted_package
from tests.player.helpers import enrolled_course

pytestmark = pytest.mark.e2e

POPUP = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Popup</title></head><body>
<p id="found"></p>
<script>
// ADL discovery from an opened window: up through window.opener's parents.
function findApi(win) {
  for (var hops = 0; win && hops < 10; hops++) {
    if (win.API) return win.API;
    if (win.parent === win) break;
    win = win.parent;
  }
  return null;
}
var api = findApi(window) || findApi(window.opener);
var out = document.getElementById("found");
out.textContent = api ? api.LMSSetValue("cmi.core.lesson_location", "from-popup") + ":" +
  api.LMSGetValue("cmi.core.lesson_location") : "no API";
out.setAttribute("data-done", "true");
</script></body></html>
"""


def test_finish_updates_the_table_of_contents_and_relaunch_reviews(world, learner_browser):
    course = world.course(scos=2, mastery_score=80, max_attempts=1)
    tab = learner_browser
    tab.sign_in(course.learner.login)
    tab.page.get_by_role("link", name="Lesson 1", exact=True).click()
    current = tab.page.locator('.toc a[aria-current="page"] + .toc-status')
    assert current.inner_text() == "not attempted"
    tab.content().locator("#complete").click()
    tab.wait_state("finished")
    # No score, so the mastery score cannot decide: the content's "completed" stands.
    assert current.inner_text() == "completed"

    # Opened again, the finished lesson asks first; one attempt allows only a review.
    tab.page.reload()
    assert tab.page.locator("#attempts-left").inner_text() == "This lesson allows one attempt, and you have taken it."
    tab.page.get_by_role("link", name="Review", exact=True).click()
    tab.wait_state("review")
    assert "nothing you do now is saved" in tab.page.locator("#mode-notice").inner_text()
    assert tab.api("window.API.LMSGetValue('cmi.core.lesson_mode')") == "review"
    assert tab.api("window.API.LMSGetValue('cmi.core.credit')") == "no-credit"


def test_a_window_opened_by_the_content_finds_the_api(world, learner_browser):
    steps = [["LMSInitialize", ""], ["LMSGetValue", "cmi.core.entry"]]
    package = scripted_package(steps, extra_files={"sco1/popup.html": POPUP})
    course = enrolled_course(world, package)
    tab = learner_browser
    tab.sign_in(course.learner.login)
    tab.page.get_by_role("link", name="Scripted SCO", exact=True).click()
    frame = tab.content()
    frame.locator("#results[data-done]").wait_for(state="attached")
    with tab.page.expect_popup() as opened:
        frame.locator("body").evaluate("() => window.open('popup.html', 'lesson-popup')")
    popup = opened.value
    popup.locator("#found[data-done]").wait_for(state="attached")
    assert popup.locator("#found").inner_text() == "true:from-popup"
    assert tab.api("window.API.LMSGetValue('cmi.core.lesson_location')") == "from-popup"
