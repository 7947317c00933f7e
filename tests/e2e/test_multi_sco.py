"""RuntimeMinimumCalls_SCORM12.zip: 18 SCOs that only call LMSInitialize on
load and LMSFinish on unload; moving through the table of contents
completes exactly the SCOs visited."""
from __future__ import annotations

import pytest

from tests.api.scorm_helpers import get_cmi
from tests.player.helpers import enrolled_course

pytestmark = pytest.mark.e2e

VISITS = ["How to Play", "Keeping Score", "Etiquette Quiz", "Having Fun Quiz"]


def test_visited_scos_complete_and_others_stay_not_attempted(world, learner_browser, scorm_fixture):
    course = enrolled_course(world, scorm_fixture("RuntimeMinimumCalls_SCORM12.zip"))
    assert len(course.sco_ids) == 18
    tab = learner_browser
    tab.sign_in(course.learner.login)
    tab.page.get_by_role("link", name=VISITS[0], exact=True).click()
    running = tab.page.locator("#save-state[data-phase=running]")
    running.wait_for(state="attached")
    for title in VISITS[1:]:
        tab.page.locator("nav.toc").get_by_role("link", name=title, exact=True).click()
        tab.page.locator('nav.toc a[aria-current="page"]', has_text=title).wait_for()
        running.wait_for(state="attached")
    # The last one is left through the page's own link.
    tab.page.get_by_role("link", name="Back to my courses").click()
    tab.page.wait_for_url("**/learn")

    response = get_cmi(world, course, ["cmi.core.lesson_status", "cmi.core.entry"])
    status = {item["sco_id"]: item["cmi_fields"][0]["cmi_element_value"] for item in response.json()}
    titles = dict(tab.page.locator("tr[data-sco-id]").evaluate_all(
        "rows => rows.map(r => [r.dataset.scoId, r.querySelector('a').textContent.trim()])"))
    visited = {sco for sco, title in titles.items() if title in VISITS}
    assert len(visited) == len(VISITS)
    assert {sco: s for sco, s in status.items() if sco in visited} == dict.fromkeys(visited, "completed")
    assert {sco: s for sco, s in status.items() if sco not in visited} == dict.fromkeys(set(status) - visited, "not attempted")
    # The course list shows the same, and the assignment is under way.
    for sco in visited:
        assert tab.page.locator(f'tr[data-sco-id="{sco}"] .sco-status').inner_text() == "completed"
    assert tab.page.locator(".summary .status").inner_text() == "incomplete"
    assert tab.errors() == []
