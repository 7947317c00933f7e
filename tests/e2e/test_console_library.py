"""The console's courseware pages in Chromium: import a package while its
upload progress shows, read its SCOs and warnings, be refused a second
copy beside the file field, delete it, and download a section's records;
the import also without JavaScript. At desktop and phone width."""
from __future__ import annotations

import csv
import io
import random
import re
import zipfile

import pytest

from scormapi.auth.permissions import Permission
from scormapi.packages.importer import build_zip
from scormapi.packages.synthetic import sco_page
from tests.e2e.test_console import DESKTOP, assert_accessible, photograph, shots_dir, sign_in
from tests.packages.test_import_2004_settings import WARNINGS
from tests.packages.test_import_2004_settings import package as package_with_warnings
from tests.packages.test_manifest_2004_settings import item, manifest_2004
from tests.world import unique

pytestmark = pytest.mark.e2e


@pytest.fixture()
def librarian(world):
    return world.user(login=unique("librarian"), first_name="Lee", last_name="Brarian",
                      permissions={world.top: (Permission.MANAGE_COURSEWARE, Permission.VIEW_SECTION_ENROLLMENTS)})


@pytest.fixture()
def tab(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


def padded(package: bytes) -> bytes:
    """The package with a file of 600 kB no compression shrinks: an upload
    that takes a while on a slow uplink, within the server's body limit."""
    buffer = io.BytesIO(package)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("media/clip.bin", random.Random(7).randbytes(600_000))
    return buffer.getvalue()


def zip_file(tmp_path, content: bytes, name="course.zip"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_a_librarian_imports_reads_and_deletes_courseware(world, librarian, base_url, tab, tmp_path):
    folder = shots_dir(tmp_path)
    page = tab
    sign_in(page, base_url, librarian.login)
    page.get_by_role("link", name="Courseware").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Courseware of {world.top.name}"
    assert_accessible(page)
    photograph(page, folder, "courseware-list-empty")

    # A slow uplink, so that the upload's progress can be seen on its way.
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    network.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                      "uploadThroughput": 100_000})
    content = padded(package_with_warnings())
    page.get_by_label(f"SCORM package (.zip) for {world.top.name}").set_input_files(str(zip_file(tmp_path, content)))
    page.get_by_role("button", name="Import").click()
    page.wait_for_function("() => { const v = document.querySelector('#c-progress').value; return v > 10 && v < 90; }")
    status = page.locator("#c-progress-text")
    assert re.fullmatch(r"Uploaded [1-8][0-9]% of the package\.", status.inner_text())
    assert status.get_attribute("role") == "status" and page.get_by_role("button", name="Import").is_disabled()
    assert_accessible(page)
    photograph(page, folder, "courseware-import-progress")
    network.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                      "uploadThroughput": -1})

    # The courseware's page: version, SCOs and the import's warnings.
    page.wait_for_url("**/admin/courseware/*?done=imported")
    assert page.get_by_role("heading", level=1).inner_text() == "Course"
    assert page.locator(".notice[role=status]").inner_text() == "The package was imported."
    assert page.locator(".scorm-version").inner_text() == "2004"
    assert page.locator("#import-warnings li").all_inner_texts() == WARNINGS
    assert page.locator("#sco-list tbody tr").count() == 3
    assert page.locator('tr[data-sco-id="measured"] td').all_inner_texts()[2:] == ["0.8", "0.6", "urn:golf:primary putting Putting"]
    assert_accessible(page)
    photograph(page, folder, "courseware-detail")

    # The same zip again is refused beside the file field, in place.
    page.get_by_role("link", name=f"Courseware of {world.top.name}").click()
    page.get_by_label(f"SCORM package (.zip) for {world.top.name}").set_input_files(
        str(zip_file(tmp_path, content, "again.zip")))
    page.get_by_role("button", name="Import").click()
    error = page.locator("#c-file-error")
    error.wait_for()
    assert error.inner_text().startswith("This package was already imported as courseware ")
    assert page.evaluate("() => document.activeElement.id") == "c-file-error"
    assert page.locator("#c-file").get_attribute("aria-describedby") == "c-file-error"
    assert_accessible(page)
    photograph(page, folder, "courseware-duplicate-refused")

    # Deleting: refused until confirmed, then gone.
    page.locator("#courseware").get_by_role("link", name="Course").click()
    page.get_by_label("Reason (optional, kept in the audit log)").fill("uploaded by mistake")
    page.get_by_role("button", name="Delete the courseware").click()
    assert page.locator("#d-confirm-error").inner_text() == "Tick the box to confirm that the courseware and its files are deleted."
    assert_accessible(page)
    photograph(page, folder, "courseware-delete-unconfirmed")
    page.get_by_label("Delete “Course” with its 3 SCOs and files").check()
    page.get_by_role("button", name="Delete the courseware").click()
    page.wait_for_url("**/admin/courseware?org=*&done=deleted")
    assert page.get_by_role("status").inner_text() == "The courseware was deleted; the audit log keeps what it was."
    assert page.locator("#courseware").count() == 0


def test_the_import_works_without_javascript(world, librarian, base_url, browser, tmp_path):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, base_url, librarian.login)
        page.goto(f"{base_url}/admin/courseware")
        items = item("", "only")
        content = build_zip({"imsmanifest.xml": manifest_2004(items), "index.html": sco_page("Lesson", "", "completed")})
        page.get_by_label(f"SCORM package (.zip) for {world.top.name}").set_input_files(str(zip_file(tmp_path, content)))
        page.get_by_role("button", name="Import").click()
        page.wait_for_url("**/admin/courseware/*?done=imported")
        assert page.locator('tr[data-sco-id="only"] th').inner_text() == "only"
        assert page.get_by_text("The import raised no warnings.").is_visible()
        assert page.locator("#c-progress").count() == 0
    finally:
        context.close()


def test_a_section_s_records_download_as_csv(world, librarian, content_http, base_url, tab, tmp_path):
    folder = shots_dir(tmp_path)
    course = world.course(scos=2)
    sign_in(tab, base_url, librarian.login)
    tab.goto(f"{base_url}/admin/export?section_id={course.section.id}")
    assert tab.get_by_label("CMI element names").input_value().split("\n") == [
        "cmi.core.lesson_status", "cmi.core.score.raw", "cmi.core.total_time", "cmi.core.lesson_location"]
    assert_accessible(tab)
    photograph(tab, folder, "export-form")
    tab.get_by_label("CMI element names").fill("cmi.core.lesson_status\ncmi.core.student_name")
    with tab.expect_download() as download:
        tab.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename == f"cmi-section-{course.section.id}.csv"
    rows = list(csv.reader(io.StringIO(download.value.path().read_text())))
    assert rows[0][-2:] == ["cmi.core.lesson_status", "cmi.core.student_name"]
    assert [(row[5], row[-2], row[-1]) for row in rows[1:]] == [
        ("item_1", "not attempted", "Lovelace, Ada"), ("item_2", "not attempted", "Lovelace, Ada")]

    # A name no data model defines is named beside the field.
    tab.get_by_label("CMI element names").fill("cmi.core.nothing")
    tab.get_by_role("button", name="Download CSV").click()
    assert tab.locator("#e-names-error").inner_text().startswith("cmi_element_names: 'cmi.core.nothing' is not an element")
    assert_accessible(tab)
    photograph(tab, folder, "export-refused")
