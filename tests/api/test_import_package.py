"""ScormApi/ImportPackage: multipart upload of a SCORM zip."""
from __future__ import annotations

import io
import os
import threading
import uuid
import zipfile

import pytest
from sqlalchemy import func, select

from scormapi.auth.permissions import Permission
from scormapi.packages.importer import build_zip, synthetic_scorm12_package
from scormapi.store import directory
from scormapi.store.courseware import package_dir
from scormapi.store.models import AuditEvent, Courseware, CoursewareSco
from tests.packages.zips import empty_entries_zip, rename_raw

OK = {"error_code": 0, "warning_messages": []}
PATH = "/api/v1/ScormApi/ImportPackage"
TWO_SCOS = [{"identifier": "intro", "title": "Intro", "mastery_score": 70}, {"identifier": "quiz", "title": "Quiz"}]


def upload(http, token, content: bytes, org_id=None, name="course.zip"):
    data = {} if org_id is None else {"org_id": str(org_id)}
    return http.post(PATH, params={"access_token": token}, files={"file": (name, content, "application/zip")}, data=data)


def entity(r):
    return r.json()["api_error_entity"]


def courseware_count(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Courseware))


def staging_leftovers(settings) -> list[str]:
    if not settings.packages_dir.exists():
        return []
    return [p.name for p in settings.packages_dir.iterdir() if p.name.startswith(".import-")]


def test_import_package(world, http, db):
    r = upload(http, world.admin_token, synthetic_scorm12_package("Golf Basics", TWO_SCOS), world.top.id)
    assert r.status_code == 200, r.text
    cid = r.json()["courseware_id"]
    assert r.json() == {
        "courseware_id": cid,
        "org_id": str(world.top.id),
        "title": "Golf Basics",
        "scorm_version": "1.2",
        "scos": [
            {"sco_id": "intro", "title": "Intro", "launch": "sco1/index.html"},
            {"sco_id": "quiz", "title": "Quiz", "launch": "sco2/index.html"},
        ],
        "api_error_entity": OK,
    }
    with db.read() as s:
        cw = s.get(Courseware, uuid.UUID(cid))
        scos = s.scalars(select(CoursewareSco).where(CoursewareSco.courseware_id == cw.id).order_by(CoursewareSco.ordinal)).all()
        event = s.scalar(select(AuditEvent).where(AuditEvent.subject_id == cid))
    assert cw.org_id == world.top.id and [x.mastery_score for x in scos] == ["70", ""]
    assert (event.action, event.actor_user_id, event.details["file_name"]) == ("courseware.import", world.admin.id, "course.zip")
    assert (package_dir(world.settings, cw.id) / "sco2" / "index.html").is_file()


def test_imported_courseware_can_be_assigned(world, http):
    cid = upload(http, world.admin_token, synthetic_scorm12_package("Assignable", TWO_SCOS), world.top.id).json()["courseware_id"]
    sid = world.post("LearningApi/CreateSection", {"org_id": str(world.top.id), "name": "S"}).json()["section_id"]
    r = world.post("LearningApi/CreateAssignment", {"section_id": sid, "courseware_id": cid})
    assert r.status_code == 200 and r.json()["title"] == "Assignable"


def test_org_defaults_to_the_root_which_needs_root_permission(world, http, db):
    before = courseware_count(db)
    r = upload(http, world.admin_token, synthetic_scorm12_package("Root", TWO_SCOS))
    assert r.status_code == 403
    assert entity(r) == {"error_code": 4, "error_message": "Not authorized to manage courseware", "warning_messages": []}
    assert courseware_count(db) == before


def test_needs_manage_courseware(world, http, db):
    user = world.user(permissions={world.top: [Permission.MANAGE_SECTIONS, Permission.UPDATE_SECTION_ENROLLMENTS]})
    before = courseware_count(db)
    r = upload(http, world.token(user), synthetic_scorm12_package("No", TWO_SCOS), world.top.id)
    assert r.status_code == 403 and entity(r)["error_code"] == 4
    assert courseware_count(db) == before and staging_leftovers(world.settings) == []
    allowed = world.user(permissions={world.top: [Permission.MANAGE_COURSEWARE]})
    assert upload(http, world.token(allowed), synthetic_scorm12_package("Yes", TWO_SCOS), world.top.id).status_code == 200


@pytest.mark.parametrize("token", [None, "", "6f1c1f0e-3b7a-4c55-9a0e-2d4b8e7f9a11"])
def test_needs_a_valid_token(http, token):
    params = {} if token is None else {"access_token": token}
    r = http.post(PATH, params=params, files={"file": ("a.zip", b"PK", "application/zip")})
    assert r.status_code == 403
    assert entity(r) == {"error_code": 3, "error_message": "Unable to authenticate", "warning_messages": []}


def test_unknown_org_is_409(world, http):
    missing = uuid.uuid4()
    r = upload(http, world.admin_token, synthetic_scorm12_package("X", TWO_SCOS), missing)
    assert r.status_code == 409 and entity(r)["error_message"] == f"Organization {missing} was not found"


def invalid_package(message: str) -> dict:
    return {"error_code": 9, "error_message": f"Invalid package: {message}", "warning_messages": []}


def test_not_a_zip_is_422(world, http, db):
    before = courseware_count(db)
    r = upload(http, world.admin_token, b"this is not a zip file", world.top.id)
    assert r.status_code == 422
    assert entity(r)["error_code"] == 9 and "zip" in entity(r)["error_message"].lower()
    assert courseware_count(db) == before and staging_leftovers(world.settings) == []


def test_zip_without_manifest_is_422_naming_it(world, http):
    r = upload(http, world.admin_token, build_zip({"index.html": "<p>hi</p>"}), world.top.id)
    assert r.status_code == 422
    assert entity(r)["error_code"] == 9 and "imsmanifest.xml" in entity(r)["error_message"]


def test_missing_launch_file_is_422_naming_the_sco(world, http):
    good = synthetic_scorm12_package("Broken", TWO_SCOS)
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        files = {n: z.read(n) for n in z.namelist() if n != "sco2/index.html"}
    r = upload(http, world.admin_token, build_zip(files), world.top.id)
    assert r.status_code == 422
    assert "sco2/index.html" in entity(r)["error_message"] and "'quiz'" in entity(r)["error_message"]
    assert staging_leftovers(world.settings) == []


def test_path_traversal_is_422(world, http):
    r = upload(http, world.admin_token, build_zip({"imsmanifest.xml": "<manifest/>", "../evil.txt": "x"}), world.top.id)
    assert r.status_code == 422 and entity(r)["error_code"] == 9


def test_missing_file_part_is_422(world, http):
    r = http.post(PATH, params={"access_token": world.admin_token}, data={"org_id": str(world.top.id)},
                  files={"other": ("x.zip", b"PK", "application/zip")})
    assert r.status_code == 422
    assert entity(r) == {"error_code": 2, "error_message": "Invalid request: file: a SCORM package (zip) is required", "warning_messages": []}


def test_file_sent_as_a_plain_field_is_422(world, http):
    r = http.post(PATH, params={"access_token": world.admin_token}, data={"file": "not a file", "org_id": str(world.top.id)},
                  files={"unused": ("x.txt", b"x", "text/plain")})
    assert r.status_code == 422 and "file:" in entity(r)["error_message"]


def test_malformed_org_id_is_422(world, http):
    r = upload(http, world.admin_token, synthetic_scorm12_package("X", TWO_SCOS), "not-a-uuid")
    assert r.status_code == 422
    assert entity(r) == {"error_code": 2, "error_message": "Invalid request: org_id: not a valid UUID", "warning_messages": []}


@pytest.mark.parametrize("content_type, content", [("application/json", b"{}"), ("application/zip", b"PK\x03\x04")])
def test_non_multipart_body_is_422(world, http, content_type, content):
    r = http.post(PATH, params={"access_token": world.admin_token}, content=content, headers={"Content-Type": content_type})
    assert r.status_code == 422 and "multipart/form-data" in entity(r)["error_message"]


def test_empty_body_is_422(world, http):
    r = http.post(PATH, params={"access_token": world.admin_token})
    assert r.status_code == 422 and entity(r)["error_code"] == 2


def test_package_over_the_limit_is_refused(world, http, db, monkeypatch):
    package = synthetic_scorm12_package("Big", TWO_SCOS)
    monkeypatch.setattr(world.settings, "package_max_bytes", len(package) - 1)
    before = courseware_count(db)
    r = upload(http, world.admin_token, package, world.top.id)
    assert r.status_code == 422
    assert entity(r) == {"error_code": 9, "warning_messages": [],
                         "error_message": f"The package is larger than the limit of {len(package) - 1} bytes"}
    assert courseware_count(db) == before


def test_streamed_upload_over_the_limit_is_cut_off(world, http, monkeypatch):
    """No Content-Length (chunked): the count while streaming stops it."""
    monkeypatch.setattr(world.settings, "package_max_bytes", 1000)
    boundary = "scormapiboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.zip\"\r\n"
            "Content-Type: application/zip\r\n\r\n").encode()

    def body():
        yield head
        for _ in range(200):
            yield b"\0" * 1024
        yield f"\r\n--{boundary}--\r\n".encode()

    r = http.post(PATH, params={"access_token": world.admin_token}, content=body(),
                  headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 422 and entity(r)["error_code"] == 9
    assert "larger than the limit" in entity(r)["error_message"]


def test_declared_length_over_the_limit_is_refused_up_front(world, http, monkeypatch):
    monkeypatch.setattr(world.settings, "package_max_bytes", 10)
    r = upload(http, world.admin_token, b"x" * (128 * 1024), world.top.id)
    assert r.status_code == 422 and "larger than the limit of 10 bytes" in entity(r)["error_message"]


def test_larger_package_spooled_to_disk_imports(world, http):
    """A package above the in-memory spool size (1 MiB) still imports."""
    good = synthetic_scorm12_package("Media", TWO_SCOS)
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        files = {n: z.read(n) for n in z.namelist()}
    files["media/video.bin"] = os.urandom(2 * 1024 * 1024)
    r = upload(http, world.admin_token, build_zip(files), world.top.id)
    assert r.status_code == 200, r.text
    cid = uuid.UUID(r.json()["courseware_id"])
    assert (package_dir(world.settings, cid) / "media" / "video.bin").stat().st_size == 2 * 1024 * 1024


def test_openapi_documents_the_multipart_body(http):
    op = http.get("/openapi.json").json()["paths"][PATH]["post"]
    assert set(op["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]) == {"file", "org_id", "allow_duplicate"}


def test_other_writers_do_not_wait_for_an_extraction(world, http, db, monkeypatch):
    """While a package unzips, the database takes other writes (on SQLite a
    write transaction would hold its one write lock)."""
    from scormapi.store import courseware as store

    real_prepare = store.prepare_package
    wrote_meanwhile = []

    def prepare_while_someone_writes(*args, **kwargs):
        def write():
            with db.write() as s:
                directory.create_org(s, "written during an extraction", directory.root(s))
            wrote_meanwhile.append(True)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        writer.join(timeout=5)
        return real_prepare(*args, **kwargs)

    monkeypatch.setattr(store, "prepare_package", prepare_while_someone_writes)
    r = upload(http, world.admin_token, synthetic_scorm12_package("Meanwhile", TWO_SCOS), world.top.id)
    assert r.status_code == 200, r.text
    assert wrote_meanwhile == [True]


# ---- hardening: manifest values, raw zip directories, the client's file name ----------


def test_the_sco_id_column_and_the_manifest_limit_agree(world, http, db):
    """255 characters import on every database; 256 are refused by name,
    never cut and never a 500."""
    r = upload(http, world.admin_token, synthetic_scorm12_package("Long ids", [{"identifier": "i" * 255}]), world.top.id)
    assert r.status_code == 200, r.text
    assert r.json()["scos"][0]["sco_id"] == "i" * 255
    before = courseware_count(db)
    r = upload(http, world.admin_token, synthetic_scorm12_package("Too long", [{"identifier": "i" * 256}]), world.top.id)
    assert r.status_code == 422
    assert entity(r) == invalid_package(f"the identifier of item '{'i' * 40}'... is 256 characters long, more than the 255 allowed")
    assert courseware_count(db) == before and staging_leftovers(world.settings) == []


@pytest.mark.parametrize(
    "spec, message",
    [
        ({"mastery_score": "1" * 33}, "adlcp:masteryscore of item 'item_1' is 33 characters long, more than the 32 allowed"),
        ({"max_time_allowed": "0" * 40}, "the maximum time allowed of item 'item_1' is 40 characters long, more than the 32 allowed"),
        ({"time_limit_action": "x" * 33}, "adlcp:timelimitaction of item 'item_1' is 33 characters long, more than the 32 allowed"),
        ({"title": "T" * 256}, "the title of item 'item_1' is 256 characters long, more than the 255 allowed"),
    ],
)
def test_run_time_settings_and_titles_over_their_columns_are_422(world, http, db, spec, message):
    before = courseware_count(db)
    r = upload(http, world.admin_token, synthetic_scorm12_package("Settings", [spec]), world.top.id)
    assert r.status_code == 422
    assert entity(r) == invalid_package(message)
    assert courseware_count(db) == before


def test_a_nul_in_a_manifest_is_422(world, http):
    files = unzipped(synthetic_scorm12_package("Nul", TWO_SCOS))
    files["imsmanifest.xml"] = files["imsmanifest.xml"].replace(b"<title>Intro</title>", b"<title>In&#0;tro</title>")
    r = upload(http, world.admin_token, build_zip(files), world.top.id)
    assert r.status_code == 422
    assert entity(r)["error_message"].startswith("Invalid package: imsmanifest.xml is not well-formed XML")


def test_a_nul_in_a_raw_zip_name_is_422(world, http):
    files = unzipped(synthetic_scorm12_package("Nul name", TWO_SCOS))
    files["evil.htmlX.png"] = b"<script>"
    data = rename_raw(build_zip(files), "evil.htmlX.png", b"evil.html\x00.png")
    r = upload(http, world.admin_token, data, world.top.id)
    assert r.status_code == 422
    assert entity(r) == invalid_package("zip entry 'evil.html\\x00.png' has a control character (U+0000) in its name")
    assert staging_leftovers(world.settings) == []


def test_a_zip_declaring_too_many_entries_is_422(world, http):
    r = upload(http, world.admin_token, empty_entries_zip(20_000), world.top.id)
    assert r.status_code == 422
    assert entity(r) == invalid_package("the zip declares 20000 entries, more than the 10000 allowed")


def test_a_nul_in_the_uploaded_file_name_is_kept_out_of_the_audit_record(world, http, db):
    """PostgreSQL refuses a NUL in text: the import must not fail for it."""
    boundary = "scormapiboundary"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"org_id\"\r\n\r\n{world.top.id}\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"golf\x00\x1b.zip\"\r\n"
        "Content-Type: application/zip\r\n\r\n"
    ).encode() + synthetic_scorm12_package("Nul file name", TWO_SCOS) + f"\r\n--{boundary}--\r\n".encode()
    r = http.post(PATH, params={"access_token": world.admin_token}, content=body,
                  headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 200, r.text
    with db.read() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.subject_id == r.json()["courseware_id"]))
    assert event.details["file_name"] == "golf\ufffd\ufffd.zip"


def unzipped(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}
