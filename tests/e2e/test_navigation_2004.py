"""SCORM 2004 navigation requests in Chromium: a generated course of three
SCOs whose pages set adl.nav.request before they terminate (with their own
Suspend or Complete button); once the final commit is saved the shell lands
where each request says, and stays when the request cannot be delivered."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.api.scorm_helpers import get_cmi

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("SCORMAPI_SCREENSHOTS")


def lesson(tab):
    return tab.content()


def connected(tab) -> None:
    lesson(tab).get_by_text("Connected to the LMS.").wait_for()


def in_lesson(tab, expression: str) -> str:
    """``expression`` run as the lesson's page, with ``api`` its API_1484_11."""
    script = f"body => {{ const api = body.ownerDocument.defaultView.parent.API_1484_11; return {expression}; }}"
    return lesson(tab).locator("body").evaluate(script)


def request_then(tab, request: str, button: str) -> None:
    """The lesson asks for ``request`` and ends its session with ``button``."""
    assert in_lesson(tab, f"api.SetValue('adl.nav.request', '{request}')") == "true"
    lesson(tab).get_by_role("button", name=button, exact=True).click()


def current(tab) -> str:
    return tab.page.locator('nav.toc a[aria-current="page"]').inner_text()


def landed_on(tab, sco_id: str, title: str) -> None:
    tab.page.wait_for_url(f"**/learn/play/*?sco={sco_id}")
    assert current(tab) == title
    connected(tab)


def valid(tab) -> tuple[str, str]:
    return (in_lesson(tab, "api.GetValue('adl.nav.request_valid.continue')"),
            in_lesson(tab, "api.GetValue('adl.nav.request_valid.previous')"))


def test_the_shell_goes_where_each_request_says(world, learner_browser):
    course = world.course(scorm_version="2004", scos=3)
    tab = learner_browser
    tab.sign_in(course.learner.login)
    tab.page.get_by_role("link", name="Lesson 1", exact=True).click()
    connected(tab)
    assert valid(tab) == ("true", "false")

    request_then(tab, "continue", "Suspend")
    landed_on(tab, "item_2", "Lesson 2")
    assert valid(tab) == ("true", "true")

    request_then(tab, "previous", "Suspend")
    landed_on(tab, "item_1", "Lesson 1")
    # Suspended by the request's own session, so it resumes.
    assert lesson(tab).locator("#entry").inner_text() == "resume"

    request_then(tab, "{target=item_3}choice", "Suspend")
    landed_on(tab, "item_3", "Lesson 3")
    assert valid(tab) == ("false", "true")
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        tab.page.screenshot(path=str(Path(SHOTS) / "7-navigation-lesson-3.png"))

    # Nothing follows the last SCO: the learner stays, the session saved.
    address = tab.page.url
    request_then(tab, "continue", "Suspend")
    tab.wait_state("suspended")
    tab.page.wait_for_timeout(500)
    assert tab.page.url == address
    assert lesson(tab).locator("#lms-state").inner_text() == "Suspended. You can come back later."
    assert tab.page.locator("#save-state").inner_text() == "Progress saved — you can resume later"

    # The learner carries on with the shell's contents; exitAll leaves the course.
    tab.page.locator("nav.toc").get_by_role("link", name="Lesson 2", exact=True).click()
    landed_on(tab, "item_2", "Lesson 2")
    request_then(tab, "exitAll", "Complete")
    tab.page.wait_for_url(f"{tab.base_url}/learn")
    statuses = [tab.page.locator(f'tr[data-sco-id="{sco}"] .sco-status').inner_text() for sco in course.sco_ids]
    assert statuses == ["incomplete", "completed", "incomplete"]

    response = get_cmi(world, course, ["cmi.completion_status", "cmi.exit", "cmi.entry"])
    fields = {item["sco_id"]: [f["cmi_element_value"] for f in item["cmi_fields"]] for item in response.json()}
    assert fields == {
        "item_1": ["incomplete", "suspend", "resume"],
        "item_2": ["completed", "normal", "resume"],
        "item_3": ["incomplete", "suspend", "ab-initio"],
    }
    assert tab.errors() == []
