"""Leaving a lesson right after it reported its status: My courses, the
page the learner lands on, already shows that status, even when the
commit is slow. The shell asks the run-time page to save and waits for it
before it goes."""
from __future__ import annotations

import time

import pytest

from tests.api.scorm_helpers import get_cmi, values
from tests.e2e.scripted import run_script, scripted_package
from tests.player.helpers import enrolled_course

pytestmark = pytest.mark.e2e

# Slower than a page load, well inside the time the shell waits.
COMMIT_DELAY_S = 1.5

SCRIPT = [
    ["LMSInitialize", ""],
    ["LMSSetValue", "cmi.core.lesson_status", "completed"],
    ["LMSSetValue", "cmi.core.lesson_location", "page-2"],
]


def slow_commits(page) -> list[str]:
    """Every commit reaches the server COMMIT_DELAY_S late; the list holds
    the bodies of those that have reached it."""
    landed: list[str] = []

    def delay(route):
        time.sleep(COMMIT_DELAY_S)
        landed.append(route.request.post_data or "")
        route.continue_()

    page.route("**/api/v1/ScormRuntime/Commit", delay)
    return landed


def open_lesson(world, tab):
    course = enrolled_course(world, scripted_package(SCRIPT))
    tab.sign_in(course.learner.login)
    row = tab.page.locator('tr[data-sco-id="item_1"] .sco-status')
    assert row.inner_text() == "not attempted"
    tab.page.get_by_role("link", name="Scripted SCO", exact=True).click()
    assert run_script(tab) == [["true", "0"]] * len(SCRIPT)
    tab.wait_state("unsaved")
    return course, row


@pytest.mark.parametrize("link", ["Back to my courses", "My courses"])
def test_my_courses_shows_the_status_just_set(world, learner_browser, link):
    tab = learner_browser
    course, row = open_lesson(world, tab)
    landed = slow_commits(tab.page)

    with tab.page.expect_response(f"{tab.base_url}/learn") as learn:
        tab.page.get_by_role("link", name=link, exact=True).click()
    tab.page.wait_for_url("**/learn")

    # Rendered once, not reloaded: it already has what the lesson set, and
    # no cache may keep the old page for the Back button.
    assert learn.value.headers["cache-control"] == "no-store"
    assert row.inner_text() == "completed"
    assert tab.page.locator(".summary .status").inner_text() == "completed"
    assert len(landed) == 1 and '"leave":true' in landed[0]


def test_the_contents_wait_for_the_save_too(world, learner_browser):
    """The lesson marks itself incomplete and finishes as it is closed: the
    next lesson's page already lists that status."""
    course = world.course(scos=2)
    tab = learner_browser
    tab.sign_in(course.learner.login)
    tab.page.get_by_role("link", name="Lesson 1", exact=True).click()
    tab.content().locator("#lms-state", has_text="Connected").wait_for()
    lesson_1 = tab.page.locator("nav.toc li", has=tab.page.get_by_role("link", name="Lesson 1", exact=True))
    assert lesson_1.locator(".toc-status").inner_text() == "not attempted"
    landed = slow_commits(tab.page)

    tab.page.locator("nav.toc").get_by_role("link", name="Lesson 2", exact=True).click()
    tab.page.locator('nav.toc a[aria-current="page"]', has_text="Lesson 2").wait_for()

    assert lesson_1.locator(".toc-status").inner_text() == "incomplete"
    assert len(landed) == 1 and '"finish":true' in landed[0]


def test_signing_out_saves_first(world, learner_browser):
    tab = learner_browser
    course, _ = open_lesson(world, tab)
    landed = slow_commits(tab.page)

    tab.page.get_by_role("button", name="Sign out").click()
    tab.page.wait_for_url("**/login**")

    stored = values(get_cmi(world, course, ["cmi.core.lesson_status", "cmi.core.lesson_location"]))[0]
    assert stored == {"cmi.core.lesson_status": "completed", "cmi.core.lesson_location": "page-2"}
    assert len(landed) == 1


def test_a_lesson_that_never_answers_does_not_keep_the_learner(world, learner_browser):
    tab = learner_browser
    open_lesson(world, tab)
    # The run-time page stops answering (as one stuck in a long script would).
    tab.page.route("**/api/v1/ScormRuntime/Commit", lambda route: None)
    tab.runtime().evaluate("window.addEventListener('message', e => e.stopImmediatePropagation(), true)")

    started = time.monotonic()
    tab.page.get_by_role("link", name="Back to my courses").click()
    tab.page.wait_for_url("**/learn", timeout=10_000)
    assert time.monotonic() - started < 5
