"""The console's users and sections pages in Chromium: create a user,
grant a permission, create a section, enroll the user, assign a course and
unenroll after confirming; at desktop and phone width, with labelled
controls and headings in order."""
from __future__ import annotations

import pytest

from scormapi.auth.permissions import ALL_PERMISSIONS
from tests.e2e.test_console import assert_accessible, photograph, shots_dir, sign_in
from tests.world import unique

pytestmark = pytest.mark.e2e


@pytest.fixture()
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_an_administrator_manages_users_and_sections(world, base_url, tab, tmp_path):
    folder = shots_dir(tmp_path)
    course = world.course()
    manager = world.user(login=unique("manager"), first_name="Mia", last_name="Manager",
                         permissions={world.top: ALL_PERMISSIONS})
    page = tab
    sign_in(page, base_url, manager.login)

    # A new user, then a permission for them.
    page.get_by_role("link", name="Users").click()
    page.get_by_label("Organization", exact=True).first.select_option(str(world.top.id))
    login = unique("kay")
    page.locator("#u-login").fill(login)
    page.get_by_label("First name").fill("Kay")
    page.get_by_label("Last name").fill("Moore")
    page.locator("#u-password").fill("long enough password")
    page.locator("#u-org").select_option(str(world.top.id))
    assert_accessible(page)
    photograph(page, folder, "users")
    page.get_by_role("button", name="Create the user").click()
    assert page.get_by_role("status").inner_text() == "The user was created."
    assert page.get_by_role("heading", level=1).inner_text() == login
    page.locator("#g-permission").select_option("View Section Enrollments")
    page.get_by_role("button", name="Grant").click()
    assert page.get_by_role("status").inner_text() == "The permission was granted."
    assert page.locator("#grants tbody tr").count() == 1
    assert_accessible(page)
    photograph(page, folder, "user")

    # A section with the user enrolled and the course assigned.
    page.get_by_role("link", name="Sections").click()
    page.locator("#s-name").fill("Evening class")
    page.get_by_role("button", name="Create the section").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Evening class"
    page.locator("#e-login").fill(login)
    page.get_by_role("button", name="Enroll").click()
    assert page.get_by_role("status").inner_text() == "The user was enrolled."
    assert page.locator("#enrollments tbody tr").inner_text().startswith(f"Kay Moore ({login})")
    page.locator("#a-courseware").select_option(str(course.courseware.id))
    page.locator("#a-max_attempts").fill("2")
    page.locator("#a-grading_method").select_option("last")
    page.get_by_role("button", name="Create the assignment").click()
    assert page.get_by_role("status").inner_text() == "The assignment was created."
    row = page.locator("#assignments tbody tr")
    assert row.locator("td").nth(1).inner_text() == "2" and row.locator("td").nth(2).inner_text() == "last"
    assert_accessible(page)
    photograph(page, folder, "section")

    # Unenrolling asks first.
    page.get_by_role("button", name=f"Unenroll Kay Moore ({login})").click()
    assert page.get_by_role("heading", name="Unenroll this learner?").is_visible()
    page.get_by_label("Reason (kept in the audit trail)").fill("Signed up by mistake")
    assert_accessible(page)
    photograph(page, folder, "section-confirm")
    page.get_by_role("button", name="Delete the enrollment").click()
    assert "The enrollment was deleted" in page.get_by_role("status").inner_text()
    assert page.locator("#enrollments").count() == 0
