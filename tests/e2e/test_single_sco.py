"""singlescobasic.zip, a real single-SCO course: take it, leave, come back."""
from __future__ import annotations

import pytest

from scormapi.cmi.scorm12.timespan import add_timespans, timespan_seconds
from tests.api.scorm_helpers import get_cmi, values
from tests.player.helpers import enrolled_course

pytestmark = pytest.mark.e2e

READ = ["cmi.core.lesson_status", "cmi.core.lesson_location", "cmi.core.total_time",
        "cmi.core.session_time", "cmi.core.exit", "cmi.core.entry"]


def golf_pages(tab):
    """The package's own frame (its launch page) and the page frame inside it."""
    launch = tab.content()
    return launch, launch.frame_locator("#contentFrame")


def page_forward(tab, clicks: int) -> None:
    launch, inner = golf_pages(tab)
    inner.locator("h1").first.wait_for()
    for _ in range(clicks):
        launch.locator("#butNext").click()
    inner.locator("h1").first.wait_for()


def test_take_leave_and_resume_singlescobasic(world, learner_browser, scorm_fixture):
    course = enrolled_course(world, scorm_fixture("singlescobasic.zip"))
    tab = learner_browser
    tab.sign_in(course.learner.login)
    tab.page.get_by_role("link", name="Golf Explained", exact=True).click()
    tab.page.locator("#save-state[data-phase=running]").wait_for(state="attached")
    page_forward(tab, 3)
    # The content reports session time in whole seconds; make it at least one.
    tab.page.wait_for_timeout(1100)
    launch, _ = golf_pages(tab)
    launch.locator("#butExit").click()  # "save your progress?" is accepted: exit = suspend
    # Suspended, not finished: opening it again resumes.
    tab.wait_state("suspended")
    assert tab.page.locator("#save-state").inner_text() == "Progress saved — you can resume later"

    first = values(get_cmi(world, course, READ))[0]
    assert first["cmi.core.lesson_status"] == "incomplete"
    assert first["cmi.core.lesson_location"] == "3"
    assert first["cmi.core.exit"] == "suspend"
    assert timespan_seconds(first["cmi.core.session_time"]) >= 1
    assert first["cmi.core.total_time"] == add_timespans("0000:00:00.00", first["cmi.core.session_time"])[0]

    # Relaunch: the content offers to resume where it left off (accepted).
    tab.page.get_by_role("link", name="Back to my courses").click()
    tab.page.wait_for_url("**/learn")
    tab.page.get_by_role("link", name="Golf Explained", exact=True).click()
    tab.page.locator("#save-state[data-phase=running]").wait_for(state="attached")
    assert tab.api("window.API.LMSGetValue('cmi.core.entry')") == "resume"
    _, inner = golf_pages(tab)
    inner.locator("h1").first.wait_for()
    # shell > run-time page > the package's launch page > its page frame
    assert tab.page.frames[3].url.endswith("Playing/OtherScoring.html")
    tab.page.wait_for_timeout(1100)
    page_forward(tab, 1)
    launch.locator("#butExit").click()
    tab.wait_state("suspended")

    second = values(get_cmi(world, course, READ))[0]
    assert second["cmi.core.lesson_location"] == "4"
    assert second["cmi.core.total_time"] == add_timespans(first["cmi.core.total_time"], second["cmi.core.session_time"])[0]
    assert timespan_seconds(second["cmi.core.total_time"]) >= 2
    assert any("resume" in d for d in tab.dialogs)
    assert tab.errors() == []
