"""The console's courseware pages and records download through a real
server: importing (with its refusals shown beside the file field), a
courseware's SCOs and warnings, deleting, the CSV download, and who may
see and do each."""
from __future__ import annotations

import csv
import io
import re
import uuid
from contextlib import closing

import pytest
from sqlalchemy import func, select

from scormapi.auth.permissions import ALL_PERMISSIONS, Permission
from scormapi.ops.courseware import DELETE_ACTION, IMPORT_ACTION
from scormapi.ops.edits import iso_utc
from scormapi.packages.synthetic import synthetic_scorm12_package
from scormapi.store import directory
from scormapi.store.courseware import describe, import_package
from scormapi.store.models import AuditEvent, Courseware, CoursewareSco, Organization
from tests.console.helpers import current_attempt, stuck_scene, text_of
from tests.packages.test_import_2004_settings import WARNINGS
from tests.packages.test_import_2004_settings import package as package_with_warnings
from tests.player.helpers import csrf_field, sign_in
from tests.world import unique

EXPORT_COLUMNS = ["assignment_id", "assignment_status_id", "enrollment_id", "user_id", "login", "sco_id",
                  "attempt_number", "lesson_status", "score_raw", "total_time", "started_at", "exited_at",
                  "updated_at"]
DEFAULT_12 = ["cmi.core.lesson_status", "cmi.core.score.raw", "cmi.core.total_time", "cmi.core.lesson_location"]


def signed_in(base_url, user):
    return closing(sign_in(base_url, user.login))


@pytest.fixture()
def librarian(world):
    return world.user(login=unique("librarian"), first_name="Lee", last_name="Brarian",
                      permissions={world.top: (Permission.MANAGE_COURSEWARE,)})


@pytest.fixture()
def lib(librarian, base_url):
    with signed_in(base_url, librarian) as client:
        yield client


def import_form(client, org_id, content: bytes, name="course.zip", **fields):
    """POST the import form as the courseware page sends it."""
    listing = client.get(f"/admin/courseware?org={org_id}")
    data = {"csrf_token": csrf_field(listing.text), "org_id": str(org_id), **fields}
    return client.post("/admin/courseware/import", data=data, files={"file": (name, content, "application/zip")})


def courseware_of(world, org_id) -> list[Courseware]:
    with world.db.read() as s:
        return list(s.scalars(select(Courseware).where(Courseware.org_id == org_id).order_by(Courseware.created_at)))


def audit_of(world, courseware_id, action) -> list[AuditEvent]:
    with world.db.read() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action,
                                                       AuditEvent.subject_id == str(courseware_id))))


def imported_directly(world, org, title="Direct course") -> Courseware:
    with world.db.write() as s:
        return import_package(s, world.settings, s.get(Organization, org.id),
                              synthetic_scorm12_package(title, [{"title": "Only lesson", "mastery_score": 75}]))


def field_error(html: str, field_id: str) -> str:
    control = re.search(rf'<(?:input|textarea)[^>]*\bid="{field_id}"[^>]*>', html)[0]
    assert f'{field_id}-error' in control and 'aria-invalid="true"' in control
    return text_of(re.search(rf'<p class="field-error" id="{field_id}-error">(.*?)</p>', html, re.DOTALL)[1])


# -- the list --------------------------------------------------------------------------


def test_the_list_shows_the_courseware_of_the_organization_and_below(world, lib):
    child = world.org(name="Child unit")
    top_course = imported_directly(world, world.top, "Top course")
    child_course = imported_directly(world, child, "Child course")
    r = lib.get(f"/admin/courseware?org={world.top.id}")
    assert r.status_code == 200
    assert r.text.count("<h1>") == 1
    rows = {row: text_of(html) for row, html in re.findall(r'<tr data-courseware-id="([^"]+)">(.*?)</tr>', r.text, re.DOTALL)}
    assert set(rows) == {str(top_course.id), str(child_course.id)}
    # Imported without an audit record (in the store directly): who is not known.
    assert rows[str(top_course.id)].startswith(f"Top course 1.2 1 {world.top.name} 20")
    assert rows[str(top_course.id)].endswith("UTC not recorded")
    assert rows[str(child_course.id)].startswith("Child course 1.2 1 Child unit")
    assert f'href="/admin/courseware/{child_course.id}"' in r.text
    # Only the child's, opened there.
    below = lib.get(f"/admin/courseware?org={child.id}")
    assert str(top_course.id) not in below.text and str(child_course.id) in below.text


def test_the_import_form_works_without_script_and_names_its_progress(world, lib):
    html = lib.get("/admin/courseware").text
    assert f"Courseware of {world.top.name}" in text_of(html)
    form = re.search(r'<form method="post" action="/admin/courseware/import"[^>]*>', html)[0]
    assert 'enctype="multipart/form-data"' in form
    assert '<label for="c-file">' in html and '<label for="c-duplicate">' in html
    assert '<progress id="c-progress"' in html and 'role="status" aria-live="polite"' in html
    assert '<script src="http://' in html and "/admin/static/import.js" in html


def test_the_progress_script_is_served(lib):
    r = lib.get("/admin/static/import.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert "xhr.upload.addEventListener(\"progress\"" in r.text


# -- importing -------------------------------------------------------------------------


def test_an_import_is_saved_audited_and_shows_its_scos_and_warnings(world, lib, librarian):
    r = import_form(lib, world.top.id, package_with_warnings())
    assert r.status_code == 303
    [made] = courseware_of(world, world.top.id)
    assert r.headers["location"] == f"/admin/courseware/{made.id}?done=imported"
    [event] = audit_of(world, made.id, IMPORT_ACTION)
    assert (event.actor_user_id, event.org_id) == (librarian.id, world.top.id)
    assert event.details == {"org_id": str(world.top.id), "title": "Course", "file_name": "course.zip",
                             "warnings": WARNINGS, "via": "console"}
    page = lib.get(r.headers["location"])
    assert page.status_code == 200
    text = text_of(page.text)
    assert "The package was imported." in text
    assert (f"SCORM version 2004 SCOs 3 Organization {world.top.name} Imported {made.created_at:%Y-%m-%d %H:%M:%S} UTC "
            f"By Lee Brarian ({librarian.login}) Assignments using it 0") in text
    warnings = re.search(r'<ul class="warnings" id="import-warnings">(.*?)</ul>', page.text, re.DOTALL)[1]
    assert [text_of(w) for w in re.findall(r"<li[^>]*>(.*?)</li>", warnings, re.DOTALL)] == WARNINGS
    rows = [text_of(row) for row in re.findall(r'<tr data-sco-id="[^"]+">(.*?)</tr>', page.text, re.DOTALL)]
    assert rows == ["measured Lesson index.html 0.8 0.6 urn:golf:primary putting Putting",
                    "invalid Lesson index.html – – –", "ruled Lesson index.html – – –"]
    assert "Completion threshold Scaled passing score Objectives" in text


def test_the_same_zip_again_is_refused_beside_the_file_unless_a_second_copy(world, lib):
    content = synthetic_scorm12_package(unique("Twice"), [{"title": "Lesson 1"}])
    assert import_form(lib, world.top.id, content).status_code == 303
    [first] = courseware_of(world, world.top.id)
    again = import_form(lib, world.top.id, content)
    assert again.status_code == 409
    assert field_error(again.text, "c-file") == (
        f"This package was already imported as {describe(first)}; import it again with allow_duplicate to make a "
        "second copy. To import it anyway, tick “Import as a second copy” below.")
    assert len(courseware_of(world, world.top.id)) == 1
    copy = import_form(lib, world.top.id, content, allow_duplicate="true")
    assert copy.status_code == 303
    second = courseware_of(world, world.top.id)[1]
    page = lib.get(copy.headers["location"])
    assert text_of(page.text).count(f"This package duplicates {describe(first)}") == 1
    assert audit_of(world, second.id, IMPORT_ACTION)[0].details["duplicate_of"] == str(first.id)


def test_a_bad_package_or_no_file_is_named_beside_the_field(world, lib):
    bad = import_form(lib, world.top.id, b"not a zip at all")
    assert bad.status_code == 422
    assert field_error(bad.text, "c-file").startswith("Invalid package: ")
    listing = lib.get(f"/admin/courseware?org={world.top.id}")
    none = lib.post("/admin/courseware/import", data={"csrf_token": csrf_field(listing.text), "org_id": str(world.top.id)},
                    files={"other": ("x.txt", b"x", "text/plain")})
    assert none.status_code == 422
    assert field_error(none.text, "c-file") == "file: a SCORM package (zip) is required"
    assert courseware_of(world, world.top.id) == []


def test_an_import_without_the_form_token_is_refused(world, lib):
    r = lib.post("/admin/courseware/import", data={"csrf_token": "forged", "org_id": str(world.top.id)},
                 files={"file": ("course.zip", synthetic_scorm12_package("X", [{"title": "L"}]), "application/zip")})
    assert r.status_code == 400 and "The form expired" in text_of(r.text)
    assert courseware_of(world, world.top.id) == []


# -- deleting --------------------------------------------------------------------------


def test_deleting_asks_for_confirmation_then_deletes_and_audits(world, lib, librarian):
    made = imported_directly(world, world.top)
    page = lib.get(f"/admin/courseware/{made.id}")
    assert '<label for="d-confirm">Delete “Direct course” with its 1 SCO and files</label>' in page.text
    data = {"csrf_token": csrf_field(page.text), "reason": "replaced by version 2"}
    unconfirmed = lib.post(f"/admin/courseware/{made.id}/delete", data=data)
    assert unconfirmed.status_code == 422
    assert field_error(unconfirmed.text, "d-confirm") == "Tick the box to confirm that the courseware and its files are deleted."
    assert "replaced by version 2</textarea>" in unconfirmed.text
    too_long = lib.post(f"/admin/courseware/{made.id}/delete", data={**data, "confirm": "1", "reason": "x" * 1001})
    assert too_long.status_code == 422 and field_error(too_long.text, "d-reason") == "The reason has at most 1000 characters."
    assert len(courseware_of(world, world.top.id)) == 1
    r = lib.post(f"/admin/courseware/{made.id}/delete", data={**data, "confirm": "1"})
    assert (r.status_code, r.headers["location"]) == (303, f"/admin/courseware?org={world.top.id}&done=deleted")
    assert courseware_of(world, world.top.id) == []
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(CoursewareSco).where(CoursewareSco.courseware_id == made.id)) == 0
    [event] = audit_of(world, made.id, DELETE_ACTION)
    assert (event.actor_user_id, event.reason, event.org_id) == (librarian.id, "replaced by version 2", world.top.id)
    assert event.details["sco_ids"] == ["item_1"]
    assert "The courseware was deleted; the audit log keeps what it was." in text_of(lib.get(r.headers["location"]).text)


def test_assigned_courseware_offers_no_delete_and_a_forced_one_is_refused(world, lib):
    course = world.course(scos=1)
    page = lib.get(f"/admin/courseware/{course.courseware.id}")
    assert "1 assignment uses this courseware, so it cannot be deleted. Delete those assignments first." in text_of(page.text)
    assert "/delete" not in page.text
    r = lib.post(f"/admin/courseware/{course.courseware.id}/delete",
                 data={"csrf_token": csrf_field(page.text), "confirm": "1"})
    assert r.status_code == 409
    assert f"Courseware {course.courseware.id} is still assigned, so it cannot be deleted" in text_of(r.text)
    assert len(courseware_of(world, world.top.id)) == 1


# -- who may --------------------------------------------------------------------------


def test_a_view_only_user_gets_no_courseware_page_and_cannot_change_any(world, base_url):
    viewer = world.user(permissions={world.top: (Permission.VIEW_SECTION_ENROLLMENTS,)})
    made = imported_directly(world, world.top)
    with signed_in(base_url, viewer) as client:
        listing = client.get("/admin/courseware")
        assert listing.status_code == 403
        assert "Not allowed You hold Manage Courseware in no organization." in text_of(listing.text)
        assert 'href="/admin/courseware"' not in listing.text
        detail = client.get(f"/admin/courseware/{made.id}")
        assert detail.status_code == 403 and "Not authorized to manage courseware" in text_of(detail.text)
        csrf = csrf_field(client.get("/admin").text)
        deleted = client.post(f"/admin/courseware/{made.id}/delete", data={"csrf_token": csrf, "confirm": "1"})
        assert deleted.status_code == 403 and "Not authorized to manage courseware" in text_of(deleted.text)
        upload = client.post("/admin/courseware/import", data={"csrf_token": csrf, "org_id": str(world.top.id)},
                             files={"file": ("c.zip", synthetic_scorm12_package("V", [{"title": "L"}]), "application/zip")})
        assert upload.status_code == 403 and "Not authorized to manage courseware" in text_of(upload.text)
    assert [c.id for c in courseware_of(world, world.top.id)] == [made.id]


def test_an_administrator_of_a_sibling_tree_sees_none_of_it(world, base_url):
    with world.db.write() as s:
        sibling = directory.create_org(s, unique("sibling"), directory.root(s))
    stranger = world.user(sibling, permissions={sibling: ALL_PERMISSIONS})
    made = imported_directly(world, world.top, "Our course")
    with signed_in(base_url, stranger) as client:
        own = client.get("/admin/courseware")
        assert own.status_code == 200 and f"Courseware of {sibling.name}" in text_of(own.text)
        assert "Our course" not in own.text
        assert client.get(f"/admin/courseware?org={world.top.id}").status_code == 404
        detail = client.get(f"/admin/courseware/{made.id}")
        assert detail.status_code == 403 and "Our course" not in detail.text
        upload = client.post("/admin/courseware/import", data={"csrf_token": csrf_field(own.text), "org_id": str(world.top.id)},
                             files={"file": ("c.zip", synthetic_scorm12_package("S", [{"title": "L"}]), "application/zip")})
        assert upload.status_code == 403 and "Not authorized to manage courseware" in text_of(upload.text)
    assert [c.id for c in courseware_of(world, world.top.id)] == [made.id]


def test_a_user_without_any_grant_is_refused(world, base_url):
    nobody = world.user()
    with signed_in(base_url, nobody) as client:
        for path in ("/admin/courseware", f"/admin/courseware/{uuid.uuid4()}", f"/admin/export?section_id={uuid.uuid4()}"):
            r = client.get(path)
            assert r.status_code == 403, path
            assert "Administrators only" in text_of(r.text)


# -- downloading records --------------------------------------------------------------


@pytest.fixture()
def scene(world, content_http):
    return stuck_scene(world, content_http)


def read_csv(r) -> list[list[str]]:
    return list(csv.reader(io.StringIO(r.text)))


def test_the_download_form_offers_status_score_time_and_location(scene, base_url):
    with signed_in(base_url, scene.viewer) as client:
        r = client.get(f"/admin/export?assignment_id={scene.course.assignment.id}")
    assert r.status_code == 200
    assert f"Assignment {scene.course.assignment.title}: one row per learner and SCO, as CSV." in text_of(r.text)
    names = re.search(r'<textarea id="e-names"[^>]*>(.*?)</textarea>', r.text, re.DOTALL)[1]
    assert names.split("\n") == DEFAULT_12
    assert '<label for="e-names">CMI element names</label>' in r.text


def test_the_download_is_the_records_as_csv(world, scene, base_url):
    course, learner = scene.course, scene.course.learner
    attempt = current_attempt(world, course)
    with signed_in(base_url, scene.viewer) as client:
        r = client.get("/admin/export/download", params={"section_id": str(course.section.id), "names": "\n".join(DEFAULT_12)})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == f'attachment; filename="cmi-section-{course.section.id}.csv"'
    ids = [str(course.assignment.id), str(course.assignment_status.id), str(course.enrollment.id), str(learner.id), learner.login]
    assert read_csv(r) == [
        EXPORT_COLUMNS + DEFAULT_12,
        ids + ["item_1", "1", "incomplete", "40.0", "0000:05:00.00", iso_utc(attempt.started_at), iso_utc(attempt.exited_at),
               iso_utc(attempt.updated_at), "incomplete", "40", "0000:05:00.00", "page-3"],
        ids + ["item_2", "", "not attempted", "", "0000:00:00.00", "", "", "", "not attempted", "", "0000:00:00.00", ""],
    ]
    # ExportCmiData answers the same file.
    api = world.post("ScormApi/ExportCmiData", {"section_id": str(course.section.id), "cmi_element_names": DEFAULT_12})
    assert api.text == r.text


def test_an_unknown_element_name_is_named_beside_the_field(scene, base_url):
    with signed_in(base_url, scene.viewer) as client:
        r = client.get("/admin/export/download",
                       params={"assignment_id": str(scene.course.assignment.id), "names": "cmi.core.lesson_status\ncmi.nope"})
    assert r.status_code == 422
    assert field_error(r.text, "e-names").startswith("cmi_element_names: 'cmi.nope' is not an element of the data model (")
    assert "cmi.core.lesson_status\ncmi.nope</textarea>" in r.text


def test_no_names_is_refused_and_no_scope_is_not_found(scene, base_url):
    with signed_in(base_url, scene.viewer) as client:
        empty = client.get("/admin/export/download", params={"assignment_id": str(scene.course.assignment.id), "names": " \n"})
        assert empty.status_code == 422 and field_error(empty.text, "e-names") == "Name at least one CMI element."
        assert client.get("/admin/export").status_code == 404
        both = client.get("/admin/export", params={"assignment_id": str(scene.course.assignment.id),
                                                   "section_id": str(scene.course.section.id)})
        assert both.status_code == 404


def test_a_sibling_administrator_may_not_download(scene, base_url):
    with signed_in(base_url, scene.stranger) as client:
        form = client.get(f"/admin/export?section_id={scene.course.section.id}")
        assert form.status_code == 403 and "Not authorized to view CMI data" in text_of(form.text)
        r = client.get("/admin/export/download", params={"section_id": str(scene.course.section.id), "names": "cmi.core.lesson_status"})
        assert r.status_code == 403 and "Grace" not in r.text and scene.course.learner.login not in r.text


def test_managing_courseware_alone_does_not_open_records(scene, librarian, base_url):
    with signed_in(base_url, librarian) as client:
        r = client.get(f"/admin/export?assignment_id={scene.course.assignment.id}")
    assert r.status_code == 403 and "Not authorized to view CMI data" in text_of(r.text)


def test_a_package_larger_than_the_request_body_limit_imports(world, lib, settings):
    """The console's import bounds itself by the package limit, as
    ImportPackage does: the server-wide body limit must not refuse it."""
    import os
    import zipfile
    from io import BytesIO

    buffer = BytesIO(synthetic_scorm12_package("Large", [{"title": "Lesson"}]))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_STORED) as archive:
        # Incompressible, so the zip really is past the body limit.
        archive.writestr("media/clip.bin", os.urandom(settings.max_body_bytes + 200_000))
    assert len(buffer.getvalue()) > settings.max_body_bytes
    r = import_form(lib, world.top.id, buffer.getvalue(), name="large.zip")
    assert r.status_code == 303, r.text
    assert [c.title for c in courseware_of(world, world.top.id)] == ["Large"]
