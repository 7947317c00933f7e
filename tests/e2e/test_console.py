"""The administrator console in Chromium, walked as a support person: find
the learner whose lesson is stuck "incomplete", read its CMI values,
repair status, score and dates with a reason, heed the warning, confirm,
see the edit in the history, download the assignment's records, and start
a fresh attempt; at desktop and phone width, by keyboard-reachable,
labelled controls."""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from tests.console.helpers import current_attempt, record_path, stuck_scene
from tests.world import PASSWORD

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Every visible form control has a label naming it; no two h1; headings never skip a level.
ACCESSIBILITY = """() => {
  const unlabelled = [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter(el => !(el.labels && el.labels.length)).map(el => el.name || el.id);
  const levels = [...document.querySelectorAll('h1, h2, h3, h4')].map(h => Number(h.tagName[1]));
  const skips = levels.filter((level, i) => i > 0 && level > levels[i - 1] + 1);
  const described = [...document.querySelectorAll('[aria-describedby]')]
    .flatMap(el => el.getAttribute('aria-describedby').split(' ')).filter(id => !document.getElementById(id));
  return {unlabelled, h1: levels.filter(l => l === 1).length, skips, dangling: described};
}"""


def shots_dir(tmp_path) -> Path:
    """Where screenshots go: SCORMAPI_SCREENSHOTS when set, to be looked at."""
    folder = Path(os.environ.get("SCORMAPI_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sideways_scroll(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def assert_accessible(page) -> None:
    found = page.evaluate(ACCESSIBILITY)
    assert found == {"unlabelled": [], "h1": 1, "skips": [], "dangling": []}


def photograph(page, folder: Path, name: str) -> None:
    """The page at desktop and phone width; at the phone's, nothing scrolls sideways."""
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(folder / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size(PHONE)
    assert sideways_scroll(page) == 0
    page.screenshot(path=str(folder / f"{name}-390.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


@pytest.fixture()
def tab(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


def sign_in(page, base_url, login):
    page.goto(f"{base_url}/admin")
    page.wait_for_url("**/login?next=%2Fadmin")
    page.get_by_label("Login").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/admin")


def test_a_support_person_repairs_a_stuck_record(world, content_http, base_url, tab, tmp_path):
    scene = stuck_scene(world, content_http)
    folder = shots_dir(tmp_path)
    page = tab
    sign_in(page, base_url, scene.support.login)
    assert page.get_by_role("heading", level=1).inner_text() == "Organizations"

    # Find the learner.
    page.get_by_label("Login or name").fill("hopper")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=f"Grace Hopper ({scene.course.learner.login})").click()
    row = page.locator('tr[data-sco-id="item_1"]')
    assert row.locator(".sco-status").inner_text() == "incomplete"
    assert_accessible(page)
    photograph(page, folder, "learner")

    # Read its CMI values.
    row.get_by_role("link", name="Lesson 1").click()
    values = page.locator("#cmi-values")
    assert values.locator("tr", has_text="cmi.core.lesson_status").locator("td").inner_text() == "incomplete"
    assert values.locator("tr", has_text="cmi.core.score.raw").locator("td").inner_text() == "40"
    assert page.locator("table", has=page.locator("th", has_text="student_response")).locator("tbody tr").count() == 1
    assert_accessible(page)
    photograph(page, folder, "sco")

    # Repair status and score: the first check warns and saves nothing.
    page.get_by_label("Lesson status").fill("passed")
    page.get_by_label("Raw score").fill("70")
    page.get_by_label("Start date (UTC)").fill("2026-03-01T09:30")
    page.get_by_label("Exit date (UTC)").fill("2026-03-01T10:15")
    page.locator("#f-reason").fill("Finished on paper; the course froze on the last page")
    page.get_by_role("button", name="Check the repair").click()
    warning = page.get_by_role("alert")
    assert "contradicts the mastery score: raw_score 70 is below the mastery score 80" in warning.inner_text()
    changes = page.locator(".confirm .changes").inner_text()
    assert "start_date_utc: “" in changes and "” → “2026-03-01T09:30:00.000Z”" in changes
    assert "” → “2026-03-01T10:15:00.000Z”" in changes
    assert current_attempt(world, scene.course).lesson_status == "incomplete"
    assert_accessible(page)
    photograph(page, folder, "sco-confirm")

    # Confirmed, it is saved and listed with who, why, old and new.
    page.get_by_role("button", name="Save the repair").click()
    assert "The repair was saved" in page.get_by_role("status").inner_text()
    entry = page.locator("#edit-history li").first
    text = entry.inner_text()
    assert f"by Sam Support ({scene.support.login})" in text
    assert "Reason: Finished on paper; the course froze on the last page" in text
    assert "cmi.core.lesson_status: “incomplete” → “passed”" in text
    assert "cmi.core.score.raw: “40” → “70”" in text
    assert "Warned: lesson_status 'passed' contradicts the mastery score" in text
    assert page.locator(".record-status").inner_text() == "passed"
    assert page.get_by_label("Exit date (UTC)").input_value() == ""
    assert "now “2026-03-01T10:15:00.000Z”" in page.locator("#f-exit_date_utc-hint").inner_text()

    # The section's page downloads the assignment's records, repaired.
    download_the_assignment(page, base_url, scene)
    page.goto(f"{base_url}{record_path(scene.course)}")

    # A fresh attempt, the old one kept in the history.
    page.locator("#reset-reason").fill("Learner asked to retake it")
    page.get_by_role("button", name="Start a fresh attempt").click()
    assert "A fresh attempt was started" in page.get_by_role("status").inner_text()
    history = page.locator("#attempt-history tbody tr")
    assert history.count() == 2
    assert history.nth(0).locator("th").inner_text() == "2"
    assert history.nth(1).locator("td").first.inner_text() == "passed"
    assert current_attempt(world, scene.course).attempt_number == 2


def download_the_assignment(page, base_url, scene) -> None:
    """From the section's page, the assignment's CSV, read back."""
    course = scene.course
    page.goto(f"{base_url}/admin/sections/{course.section.id}")
    page.get_by_role("link", name=f"Download the records of {course.assignment.title} (CSV)").click()
    page.wait_for_url(f"{base_url}/admin/export?assignment_id={course.assignment.id}")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename == f"cmi-assignment-{course.assignment.id}.csv"
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert rows[0] == ["assignment_id", "assignment_status_id", "enrollment_id", "user_id", "login", "sco_id",
                       "attempt_number", "lesson_status", "score_raw", "total_time", "started_at", "exited_at",
                       "updated_at", "cmi.core.lesson_status", "cmi.core.score.raw", "cmi.core.total_time",
                       "cmi.core.lesson_location"]
    repaired = next(row for row in rows[1:] if row[5] == "item_1")
    assert repaired[:9] == [str(course.assignment.id), str(course.assignment_status.id), str(course.enrollment.id),
                            str(course.learner.id), course.learner.login, "item_1", "1", "passed", "70.0"]
    assert repaired[10:12] == ["2026-03-01T09:30:00.000Z", "2026-03-01T10:15:00.000Z"]
    assert repaired[13:16] == ["passed", "70", "0000:05:00.00"]
    assert len(rows) == 3


def test_keyboard_focus_is_visible_on_the_console(world, content_http, base_url, tab):
    scene = stuck_scene(world, content_http)
    sign_in(tab, base_url, scene.support.login)
    tab.goto(f"{base_url}{record_path(scene.course)}")
    tab.keyboard.press("Tab")
    focused = "() => [document.activeElement.textContent.trim(), getComputedStyle(document.activeElement).outlineStyle]"
    assert tab.evaluate(focused) == ["Skip to content", "solid"]
    # From the skip link, keyboard focus lands in the page's content.
    tab.keyboard.press("Enter")
    tab.locator("#f-lesson_status").focus()
    tab.keyboard.press("Shift+Tab")
    tab.keyboard.press("Tab")
    assert tab.evaluate("() => [document.activeElement.id, getComputedStyle(document.activeElement).outlineStyle]") == [
        "f-lesson_status", "solid"]


def test_a_view_only_user_reads_but_cannot_repair(world, content_http, base_url, tab):
    scene = stuck_scene(world, content_http)
    sign_in(tab, base_url, scene.viewer.login)
    tab.goto(f"{base_url}{record_path(scene.course)}")
    assert tab.locator("#cmi-values").is_visible()
    assert tab.locator("form.repair").count() == 0 and tab.locator("#reset-reason").count() == 0
    assert tab.locator("#read-only").is_visible()


def test_a_sibling_administrator_sees_nothing_of_it(world, content_http, base_url, tab):
    scene = stuck_scene(world, content_http)
    sign_in(tab, base_url, scene.stranger.login)
    tab.get_by_label("Login or name").fill("Hopper")
    tab.get_by_role("button", name="Search").click()
    assert "No learner found." in tab.locator("main").inner_text()
    tab.goto(f"{base_url}{record_path(scene.course)}")
    assert tab.get_by_role("heading", level=1).inner_text() == "Not allowed"
    assert "Grace" not in tab.content()
