"""Closing the tab without LMSFinish (and without LMSCommit) still saves the
last values: the adapter sends them with keepalive as the page goes away."""
from __future__ import annotations

import time

import pytest

from tests.api.scorm_helpers import get_cmi, values
from tests.e2e.scripted import run_script, scripted_package
from tests.player.helpers import enrolled_course

pytestmark = pytest.mark.e2e

SET = {
    "cmi.core.lesson_status": "incomplete",
    "cmi.core.lesson_location": "page-7",
    "cmi.suspend_data": "answers=1,0,1",
    "cmi.core.score.raw": "42",
    "cmi.core.session_time": "0000:00:03.00",
    "cmi.core.exit": "suspend",
}


def wait_for(read, predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        got = read()
        if predicate(got) or time.monotonic() > deadline:
            return got
        time.sleep(0.1)


def test_closing_the_tab_saves_the_last_values(world, learner_browser):
    script = [["LMSInitialize", ""]] + [["LMSSetValue", name, value] for name, value in SET.items()]
    course = enrolled_course(world, scripted_package(script))
    tab = learner_browser
    tab.sign_in(course.learner.login)
    tab.page.get_by_role("link", name="Scripted SCO", exact=True).click()
    assert run_script(tab) == [["true", "0"]] * len(script)
    tab.wait_state("unsaved")

    tab.page.close()

    names = list(SET) + ["cmi.core.total_time"]
    stored = wait_for(lambda: values(get_cmi(world, course, names))[0],
                      lambda got: got["cmi.core.lesson_location"] == "page-7")
    assert {name: stored[name] for name in SET} == SET
    # Leaving ends the session: its time counts; the status stays the content's.
    assert stored["cmi.core.total_time"] == "0000:00:03.00"

    # The next launch resumes from what was saved.
    page = tab.new_page()
    page.goto(f"{tab.base_url}/learn")
    page.get_by_role("link", name="Scripted SCO", exact=True).click()
    page.locator("#save-state[data-phase=running]").wait_for(state="attached")
    assert tab.api("window.API.LMSGetValue('cmi.core.entry')", page) == "resume"
    launched = tab.api("JSON.parse(document.getElementById('scorm-launch').textContent).cmi", page)
    assert launched['cmi.suspend_data'] == 'answers=1,0,1' and launched['cmi.core.lesson_location'] == 'page-7'
