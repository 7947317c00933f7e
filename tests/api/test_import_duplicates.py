"""ScormApi/ImportPackage and a zip the organization already imported:
409 naming the first courseware, or a second copy with allow_duplicate."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from scormapi.packages.importer import synthetic_scorm12_package
from scormapi.store.models import AuditEvent, Courseware
from tests.api.test_import_package import PATH, courseware_count, staging_leftovers
from tests.world import unique

SCOS = [{"identifier": "intro", "title": "Intro"}]


def upload(world, content: bytes, org=None, allow_duplicate=None, name="course.zip"):
    data = {"org_id": str((org or world.top).id)}
    if allow_duplicate is not None:
        data["allow_duplicate"] = allow_duplicate
    return world.http.post(PATH, params={"access_token": world.admin_token},
                           files={"file": (name, content, "application/zip")}, data=data)


def imported(world, content: bytes, **kw) -> Courseware:
    r = upload(world, content, **kw)
    assert r.status_code == 200, r.text
    with world.db.read() as s:
        return s.get(Courseware, uuid.UUID(r.json()["courseware_id"]))


def named(courseware: Courseware) -> str:
    return f"courseware {courseware.id} ({courseware.title!r}, {courseware.created_at.strftime('%Y-%m-%d %H:%M')} UTC)"


def import_event(world, courseware_id) -> AuditEvent:
    with world.db.read() as s:
        return s.scalar(select(AuditEvent).where(AuditEvent.subject_id == str(courseware_id),
                                                 AuditEvent.action == "courseware.import"))


@pytest.fixture()
def package() -> bytes:
    return synthetic_scorm12_package(unique("Putting"), SCOS)


def test_the_same_zip_again_is_409_naming_the_first(world, db, package):
    first = imported(world, package)
    before = courseware_count(db)
    r = upload(world, package, name="again.zip")
    assert r.status_code == 409
    assert r.json() == {"api_error_entity": {
        "error_code": 8,
        "error_message": f"This package was already imported as {named(first)}; "
                         "import it again with allow_duplicate to make a second copy",
        "warning_messages": [],
    }}
    assert courseware_count(db) == before and staging_leftovers(world.settings) == []


@pytest.mark.parametrize("flag", ["false", "0"])
def test_a_false_flag_still_refuses(world, package, flag):
    imported(world, package)
    r = upload(world, package, allow_duplicate=flag)
    assert r.status_code == 409 and r.json()["api_error_entity"]["error_code"] == 8


@pytest.mark.parametrize("flag", ["true", "1"])
def test_allowed_a_duplicate_is_imported_with_a_warning(world, db, package, flag):
    first = imported(world, package)
    r = upload(world, package, allow_duplicate=flag)
    assert r.status_code == 200, r.text
    cid = r.json()["courseware_id"]
    assert cid != str(first.id)
    assert r.json() == {
        "courseware_id": cid,
        "org_id": str(world.top.id),
        "title": first.title,
        "scorm_version": "1.2",
        "scos": [{"sco_id": "intro", "title": "Intro", "launch": "sco1/index.html"}],
        "api_error_entity": {"error_code": 0, "warning_messages": [f"This package duplicates {named(first)}"]},
    }
    with db.read() as s:
        second = s.get(Courseware, uuid.UUID(cid))
    assert second.package_sha256 == first.package_sha256
    assert import_event(world, cid).details == {
        "org_id": str(world.top.id), "title": first.title, "file_name": "course.zip", "warnings": [],
        "duplicate_of": str(first.id),
    }


def test_a_first_import_has_no_duplicate_of_and_no_warning(world, package):
    r = upload(world, package, allow_duplicate="true")
    assert r.status_code == 200, r.text
    assert r.json()["api_error_entity"] == {"error_code": 0, "warning_messages": []}
    assert "duplicate_of" not in import_event(world, r.json()["courseware_id"]).details


def test_the_same_zip_in_another_organization_is_not_a_duplicate(world, package):
    imported(world, package)
    r = upload(world, package, org=world.org())
    assert r.status_code == 200, r.text
    assert r.json()["api_error_entity"] == {"error_code": 0, "warning_messages": []}


@pytest.mark.parametrize("flag", ["", "yes", "True", "2", "false "])
def test_a_flag_that_is_not_a_boolean_is_422_naming_it(world, db, package, flag):
    before = courseware_count(db)
    r = upload(world, package, allow_duplicate=flag)
    assert r.status_code == 422
    assert r.json() == {"api_error_entity": {
        "error_code": 2,
        "error_message": "Invalid request: allow_duplicate: must be true or false (or 1 or 0)",
        "warning_messages": [],
    }}
    assert courseware_count(db) == before


def test_a_bad_flag_and_a_bad_org_are_named_together(world, package):
    r = world.http.post(PATH, params={"access_token": world.admin_token},
                        files={"file": ("course.zip", package, "application/zip")},
                        data={"org_id": "nope", "allow_duplicate": "maybe"})
    assert r.status_code == 422
    assert r.json()["api_error_entity"]["error_message"] == (
        "Invalid request: org_id: not a valid UUID; allow_duplicate: must be true or false (or 1 or 0)")


def test_the_flag_sent_as_a_file_is_422(world, package):
    r = world.http.post(PATH, params={"access_token": world.admin_token},
                        files={"file": ("course.zip", package, "application/zip"),
                               "allow_duplicate": ("flag.txt", b"true", "text/plain")},
                        data={"org_id": str(world.top.id)})
    # The parser takes one file per request: the second is refused as such,
    # never read as the flag.
    assert r.status_code == 422
    assert r.json() == {"api_error_entity": {
        "error_code": 2,
        "error_message": "Invalid request: body: Too many files. Maximum number of files is 1.",
        "warning_messages": [],
    }}


def test_openapi_describes_the_flag(http):
    schema = http.get("/openapi.json").json()["paths"][PATH]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    flag = schema["properties"]["allow_duplicate"]
    assert (flag["type"], flag["enum"], flag["default"]) == ("string", ["true", "false", "1", "0"], "false")
    assert "error 8" in flag["description"]
    assert schema["required"] == ["file"]
