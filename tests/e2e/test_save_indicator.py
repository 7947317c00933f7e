"""The player's save indicator says only what is true: nothing saved before
the first commit, the time of each save, "Saving…" while a commit is on
its way, suspended apart from finished, and an alert when the server
refuses progress."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from scormapi.store.models import AccessToken
from tests.api.scorm_helpers import get_cmi, values
from tests.e2e.conftest import LearnerBrowser
from tests.e2e.scripted import run_script, scripted_package
from tests.player.helpers import enrolled_course

pytestmark = pytest.mark.e2e

# The learner's own time zone: the indicator reads their wall clock.
ZONE = "Europe/Berlin"
COMMIT = "**/api/v1/ScormRuntime/Commit"


@pytest.fixture()
def tab(browser, base_url):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, timezone_id=ZONE)
    yield LearnerBrowser(context, base_url)
    context.close()


def at(hour: int, minute: int, second: int) -> datetime:
    return datetime(2026, 3, 4, hour, minute, second, tzinfo=ZoneInfo(ZONE))


def indicator(tab) -> tuple[str | None, str | None, str]:
    element = tab.page.locator("#save-state")
    return element.get_attribute("data-state"), element.get_attribute("role"), element.inner_text()


def shows(tab, state: str, text: str, role: str = "status") -> None:
    expect(tab.page.locator("#save-state")).to_have_text(text)
    assert indicator(tab) == (state, role, text)


def open_scripted(world, tab, mastery_score: str | None = None):
    """A lesson that only calls LMSInitialize; the test makes every other call."""
    sco = {"mastery_score": mastery_score} if mastery_score else {}
    course = enrolled_course(world, scripted_package([["LMSInitialize", ""]], **sco))
    tab.sign_in(course.learner.login)
    tab.page.get_by_role("link", name="Scripted SCO", exact=True).click()
    assert run_script(tab) == [["true", "0"]]
    tab.page.locator("#save-state[data-phase=running]").wait_for(state="attached")
    return course


def call(tab, function: str, *args: str) -> str:
    quoted = ", ".join(repr(a) for a in args)
    return tab.api(f"window.API.{function}({quoted})")


def held_commits(page) -> list:
    """Commits stop on their way until the test lets each go."""
    held: list = []
    page.route(COMMIT, lambda route: held.append(route))
    return held


def test_nothing_saved_at_first_then_each_save_shows_its_time(world, tab):
    course = open_scripted(world, tab)
    # Started, nothing saved yet: never "saved" before the server said so.
    shows(tab, "ready", "Ready")

    held = held_commits(tab.page)
    tab.page.clock.set_fixed_time(at(14, 2, 31))
    assert call(tab, "LMSSetValue", "cmi.core.lesson_location", "page-1") == "true"
    shows(tab, "unsaved", "Not saved yet")
    assert call(tab, "LMSCommit", "") == "true"
    shows(tab, "saving", "Saving…")
    _wait_held(tab, held, 1)
    held[0].continue_()
    shows(tab, "saved", "Saved at 14:02:31")

    # A second save reads differently.
    tab.page.clock.set_fixed_time(at(14, 5, 9))
    call(tab, "LMSSetValue", "cmi.core.lesson_location", "page-2")
    shows(tab, "unsaved", "Not saved yet")
    call(tab, "LMSCommit", "")
    shows(tab, "saving", "Saving…")
    _wait_held(tab, held, 2)
    held[1].continue_()
    shows(tab, "saved", "Saved at 14:05:09")
    stored = values(get_cmi(world, course, ["cmi.core.lesson_location"]))[0]
    assert stored == {"cmi.core.lesson_location": "page-2"}


def test_suspend_says_the_lesson_can_be_resumed_not_finished(world, tab):
    """The lesson goes on next time, so it is not "finished"."""
    open_scripted(world, tab)
    call(tab, "LMSSetValue", "cmi.core.lesson_status", "incomplete")
    call(tab, "LMSSetValue", "cmi.core.exit", "suspend")
    assert call(tab, "LMSFinish", "") == "true"
    shows(tab, "suspended", "Progress saved — you can resume later")


def _wait_held(tab, held: list, count: int) -> None:
    """Until ``count`` commits have been stopped on their way."""
    for _ in range(100):
        if len(held) >= count:
            return
        tab.page.wait_for_timeout(50)
    assert len(held) >= count


def test_a_passed_finish_says_the_lesson_is_finished(world, tab):
    open_scripted(world, tab, mastery_score="80")
    call(tab, "LMSSetValue", "cmi.core.score.raw", "90")
    call(tab, "LMSSetValue", "cmi.core.lesson_status", "passed")
    assert call(tab, "LMSFinish", "") == "true"
    shows(tab, "finished", "Lesson finished. Your progress is saved.")


def test_a_suspended_but_passed_lesson_is_finished(world, tab):
    """exit "suspend" cannot bring a passed lesson back: it opens for review."""
    open_scripted(world, tab, mastery_score="80")
    call(tab, "LMSSetValue", "cmi.core.score.raw", "90")
    call(tab, "LMSSetValue", "cmi.core.lesson_status", "passed")
    call(tab, "LMSSetValue", "cmi.core.exit", "suspend")
    call(tab, "LMSFinish", "")
    shows(tab, "finished", "Lesson finished. Your progress is saved.")


def test_a_refused_commit_is_an_alert_that_stays(world, tab):
    course = open_scripted(world, tab)
    call(tab, "LMSSetValue", "cmi.core.lesson_location", "page-1")
    call(tab, "LMSCommit", "")
    tab.wait_state("saved")
    # The launch ends on the server (as when the lesson is restarted elsewhere).
    with world.db.write() as s:
        s.execute(update(AccessToken).where(AccessToken.user_id == course.learner.id, AccessToken.kind == "launch")
                  .values(revoked_at=datetime.now(ZoneInfo("UTC"))))

    call(tab, "LMSSetValue", "cmi.core.lesson_location", "page-2")
    call(tab, "LMSCommit", "")
    refused = ("Progress not saved: Unable to authenticate: this launch has ended (the lesson was restarted); "
               "open the lesson again")
    shows(tab, "error", refused, role="alert")
    # Later changes do not hide that something was lost.
    call(tab, "LMSSetValue", "cmi.core.lesson_location", "page-3")
    call(tab, "LMSCommit", "")
    tab.page.wait_for_timeout(500)
    assert indicator(tab) == ("error", "alert", refused)


def test_an_unreachable_server_is_retried_and_then_saved(world, tab):
    open_scripted(world, tab)
    aborted: list = []

    def drop(route):
        aborted.append(route.request.url)
        route.abort()

    tab.page.route(COMMIT, drop)
    call(tab, "LMSSetValue", "cmi.core.lesson_location", "page-1")
    call(tab, "LMSCommit", "")
    shows(tab, "saving", "Saving… (trying again)")
    tab.page.unroute(COMMIT)
    tab.wait_state("saved")
    assert indicator(tab)[2].startswith("Saved at ")
    assert aborted


def test_review_says_nothing_is_saved(world, tab):
    course = world.course(scos=1, max_attempts=1)
    tab.sign_in(course.learner.login)
    tab.page.get_by_role("link", name="Lesson 1", exact=True).click()
    tab.content().locator("#complete").click()
    tab.wait_state("finished")
    # Opened again, the finished lesson offers a review (one attempt allowed).
    tab.page.reload()
    tab.page.get_by_role("link", name="Review", exact=True).click()
    shows(tab, "review", "Review: nothing is saved")
