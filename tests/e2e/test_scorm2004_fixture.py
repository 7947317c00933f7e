"""RuntimeBasicCalls_SCORM20043rdEdition.zip, a real SCORM 2004 course, in
Chromium: one SCO ("Golf Explained") of 15 pages that it moves through with
its own Previous / Next buttons, keeping the page in cmi.location. Its Exit
button sets adl.nav.request (suspendAll half-way, after "save your
progress?"; exitAll once the last page was reached) and terminates; the
shell takes the learner back to My courses once the commit is saved. The
last page is a knowledge check whose score the content reports.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from scormapi.cmi.scorm2004.duration import ZERO_DURATION, add_durations, duration_seconds
from tests.api.scorm_helpers import get_cmi, values
from tests.player.helpers import enrolled_course

pytestmark = pytest.mark.e2e

READ = ["cmi.completion_status", "cmi.success_status", "cmi.score.raw", "cmi.score.min", "cmi.score.max",
        "cmi.score.scaled", "cmi.location", "cmi.total_time", "cmi.exit", "cmi.entry"]
PAGES = 15
# Screenshots of the shell go here when set (a folder), for looking at.
SHOTS = os.environ.get("SCORMAPI_SCREENSHOTS")


def shot(tab, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        tab.page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def golf(tab):
    """The package's launch page (its buttons) and the page frame inside it."""
    launch = tab.content()
    return launch, launch.frame_locator("#contentFrame")


def shown_page(tab) -> str:
    """The address of the page the launch page shows (shell > run-time page
    > the package's launch page > its page frame)."""
    return tab.page.frames[3].url


def forward(tab, clicks: int) -> None:
    """Next, ``clicks`` times, each once the page before has loaded: a
    click while the content frame is still navigating may be lost."""
    for _ in range(clicks):
        _step(tab, "#butNext")


def shows(tab, ending: str) -> bool:
    """Whether the content frame comes to show the page ``ending`` names
    within a few seconds (it may still be on its way there)."""
    deadline = time.monotonic() + 15
    while not shown_page(tab).endswith(ending):
        if time.monotonic() > deadline:
            return False
        tab.page.wait_for_timeout(50)
    return True


def _step(tab, button: str) -> None:
    launch, inner = golf(tab)
    inner.locator("h1").first.wait_for()
    before = shown_page(tab)
    launch.locator(button).click()
    deadline = time.monotonic() + 15
    while shown_page(tab) == before:
        assert time.monotonic() < deadline, f"{button} did not leave {before}"
        tab.page.wait_for_timeout(50)
    golf(tab)[1].locator("h1").first.wait_for()


def open_golf(tab) -> None:
    tab.page.get_by_role("link", name="Golf Explained", exact=True).click()
    tab.page.locator("#save-state[data-phase=running]").wait_for(state="attached")


def session_times(requests: list[dict]) -> list[str]:
    """The cmi.session_time values the content sent, one per session."""
    return [body["values"]["cmi.session_time"] for body in requests if "cmi.session_time" in body["values"]]


def answer_every_question(tab) -> None:
    """The knowledge check marks each right answer with class correctAnswer
    (a radio, or a text field followed by the number it expects)."""
    _, inner = golf(tab)
    inner.locator("h1", has_text="Knowledge Check").wait_for()
    inner.locator("#test").evaluate("""test => {
        test.querySelectorAll('.correctAnswer').forEach(answer => {
            const input = answer.querySelector('input');
            if (input.type === 'radio') input.checked = true;
            else input.value = answer.textContent.match(/\\((\\d+)\\)/)[1];
        });
    }""")
    inner.get_by_role("button", name="Submit Answers").click()
    inner.locator("h3", has_text="Score: 100").wait_for()


def test_take_suspend_resume_and_finish_the_2004_golf_course(world, learner_browser, scorm_fixture):
    course = enrolled_course(world, scorm_fixture("RuntimeBasicCalls_SCORM20043rdEdition.zip"))
    assert course.sco_ids == ["item_1"]
    tab = learner_browser
    commits: list[dict] = []
    tab.page.on("request", lambda r: commits.append(json.loads(r.post_data)) if r.url.endswith("/Commit") else None)
    tab.sign_in(course.learner.login)
    shot(tab, "1-my-courses")
    open_golf(tab)
    assert tab.api("window.API_1484_11.GetValue('cmi.entry')") == "ab-initio"
    forward(tab, 3)
    assert shows(tab, "Playing/OtherScoring.html")
    shot(tab, "2-lesson-page-4")
    # The content reports session time to the hundredth; make it clearly more than nothing.
    tab.page.wait_for_timeout(1100)
    launch, _ = golf(tab)
    launch.locator("#butExit").click()  # "save your progress?" accepted: exit suspend, suspendAll
    # suspendAll: back to My courses once saved, the lesson left to resume.
    tab.page.wait_for_url(f"{tab.base_url}/learn")
    shot(tab, "3-back-after-suspend-all")
    assert tab.page.locator('tr[data-sco-id="item_1"] .sco-status').inner_text() == "incomplete"

    first = values(get_cmi(world, course, READ))[0]
    first_session = session_times(commits)
    assert len(first_session) == 1 and duration_seconds(first_session[0]) >= 1
    assert first == {
        "cmi.completion_status": "incomplete", "cmi.success_status": "unknown", "cmi.score.raw": "",
        "cmi.score.min": "", "cmi.score.max": "", "cmi.score.scaled": "", "cmi.location": "3",
        "cmi.total_time": add_durations(ZERO_DURATION, first_session[0]), "cmi.exit": "suspend",
        "cmi.entry": "ab-initio",
    }

    # Resumed: the content offers to go back to where it was (accepted).
    open_golf(tab)
    assert tab.api("window.API_1484_11.GetValue('cmi.entry')") == "resume"
    _, inner = golf(tab)
    inner.locator("h1").first.wait_for()
    assert shows(tab, "Playing/OtherScoring.html")
    assert any("resume from where you previously left off" in d for d in tab.dialogs)
    shot(tab, "4-resumed-at-page-4")
    forward(tab, 1)
    _step(tab, "#butPrevious")
    forward(tab, PAGES - 1 - 3)
    assert shown_page(tab).split("/")[-1].startswith("assessmenttemplate.html")
    answer_every_question(tab)
    shot(tab, "5-knowledge-check-scored")
    tab.page.wait_for_timeout(1100)
    dialogs_before = len(tab.dialogs)
    launch.locator("#butExit").click()  # the last page was reached: exit normal, exitAll, no question asked
    tab.page.wait_for_url(f"{tab.base_url}/learn")
    shot(tab, "6-back-after-exit-all")
    assert len(tab.dialogs) == dialogs_before
    assert tab.page.locator('tr[data-sco-id="item_1"] .sco-status').inner_text() == "passed"

    second_session = session_times(commits)[1:]
    assert len(second_session) == 1 and duration_seconds(second_session[0]) >= 1
    final = values(get_cmi(world, course, READ))[0]
    assert final == {
        "cmi.completion_status": "completed", "cmi.success_status": "passed", "cmi.score.raw": "100",
        "cmi.score.min": "0", "cmi.score.max": "100", "cmi.score.scaled": "1", "cmi.location": "14",
        "cmi.total_time": add_durations(first["cmi.total_time"], second_session[0]), "cmi.exit": "",
        "cmi.entry": "resume",
    }
    assert tab.errors() == []
