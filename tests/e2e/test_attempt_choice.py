"""A finished lesson opened again, in a real browser: the learner chooses
Review (nothing saved) or Start a new attempt (while attempts remain), and
My courses shows the attempt the grading method counts."""
from __future__ import annotations

import time

from tests.api.scorm_helpers import load_attempt, load_history


def wait_for(check, what: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def open_lesson(tab, title="Lesson 1"):
    tab.page.goto(f"{tab.base_url}/learn")
    tab.page.get_by_role("link", name=title, exact=True).click()


def take(tab, world, course, status, score, number):
    """Run the open lesson to a finish with ``status`` and ``score`` as its
    content would, and wait until the server holds it."""
    connected(tab)
    api = f"""() => {{ var api = window.API;
        api.LMSSetValue('cmi.core.lesson_status', '{status}');
        api.LMSSetValue('cmi.core.score.raw', '{score}');
        return api.LMSFinish(''); }}"""
    assert tab.runtime().evaluate(api) == "true"
    def saved() -> bool:
        attempt = load_attempt(world, course)
        return attempt is not None and attempt.attempt_number == number and attempt.lesson_status == status

    wait_for(saved, what=f"attempt {number} {status}")


def connected(tab):
    """Until the lesson has called LMSInitialize."""
    tab.content().get_by_text("Connected to the LMS.").wait_for()


def row_of(tab, sco_id="item_1"):
    row = tab.page.locator(f'tr[data-sco-id="{sco_id}"]')
    return [row.locator("td").nth(n).inner_text() for n in range(4)]


def test_review_opens_the_finished_attempt_and_saves_nothing(world, learner_browser):
    course = world.course(scos=1, max_attempts=3)
    tab = learner_browser
    tab.sign_in(course.learner.login)
    open_lesson(tab)
    take(tab, world, course, "passed", 92, 1)
    before = load_attempt(world, course)

    open_lesson(tab)
    page = tab.page
    assert page.locator("#finished-result").inner_text() == "Attempt 1 of 3: passed, score 92."
    assert page.locator("#counted-result").inner_text() == "Your best attempt counts: attempt 1, passed, score 92."
    assert page.locator("#attempts-left").inner_text() == "2 attempts remain."
    # Choosing wrote nothing yet.
    assert load_attempt(world, course).version == before.version
    page.get_by_role("link", name="Review", exact=True).click()
    tab.wait_state("review")
    assert tab.api("window.API.LMSGetValue('cmi.core.lesson_mode')") == "review"
    assert tab.api("window.API.LMSSetValue('cmi.core.lesson_status', 'failed')") == "true"
    tab.api("window.API.LMSFinish('')")
    page.get_by_role("link", name="Back to my courses").click()
    page.wait_for_url(f"{tab.base_url}/learn")
    assert row_of(tab) == ["passed", "92", "0 s", "1"]
    assert tab.page.locator("#attempt-number").count() == 0
    after = load_attempt(world, course)
    assert (after.version, after.cmi, after.attempt_number) == (before.version, before.cmi, 1)


def test_a_new_attempt_starts_afresh_and_the_best_result_still_counts(world, learner_browser):
    course = world.course(scos=1, max_attempts=2)
    tab = learner_browser
    tab.sign_in(course.learner.login)
    open_lesson(tab)
    take(tab, world, course, "passed", 92, 1)

    open_lesson(tab)
    assert tab.page.locator("#attempts-left").inner_text() == "1 attempt remains."
    tab.page.get_by_role("button", name="Start a new attempt").click()
    connected(tab)
    assert tab.api("window.API.LMSGetValue('cmi.core.entry')") == "ab-initio"
    assert tab.page.locator("#attempt-number").inner_text() == "Attempt 2"
    assert tab.api("window.API.LMSGetValue('cmi.core.lesson_status')") in ("not attempted", "incomplete")
    assert load_attempt(world, course).attempt_number == 2
    # Attempt 2 under way: My courses keeps showing attempt 1's result.
    tab.page.goto(f"{tab.base_url}/learn")
    assert row_of(tab)[:2] == ["passed", "92"]
    assert tab.page.locator('tr[data-sco-id="item_1"] .sco-attempt').inner_text() == "2 (attempt 1 counts)"

    open_lesson(tab)
    take(tab, world, course, "failed", 40, 2)
    tab.page.goto(f"{tab.base_url}/learn")
    assert row_of(tab)[:2] == ["passed", "92"]
    assert tab.page.locator(".summary").inner_text().startswith("completed · Score 92")
    assert [h.attempt_number for h in sorted(load_history(world, load_attempt(world, course).id),
                                             key=lambda h: h.attempt_number)] == [1, 2]


def test_when_every_attempt_is_used_only_review_is_offered(world, learner_browser):
    course = world.course(scos=1, max_attempts=2, grading="last")
    tab = learner_browser
    tab.sign_in(course.learner.login)
    open_lesson(tab)
    take(tab, world, course, "passed", 90, 1)
    open_lesson(tab)
    tab.page.get_by_role("button", name="Start a new attempt").click()
    take(tab, world, course, "failed", 30, 2)

    open_lesson(tab)
    page = tab.page
    assert page.locator("#attempts-left").inner_text() == "You have used all 2 attempts this lesson allows."
    assert page.get_by_role("button", name="Start a new attempt").count() == 0
    assert page.locator("#counted-result").inner_text() == (
        "Your latest finished attempt counts: attempt 2, failed, score 30.")
    page.goto(f"{tab.base_url}/learn")
    assert row_of(tab)[:2] == ["failed", "30"]
    assert page.locator(".summary").inner_text().startswith("failed · Score 30")
