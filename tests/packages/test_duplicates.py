"""The same zip imported twice into an organization: refused unless asked for,
recognised by the SHA-256 of its bytes, compared within the organization only."""
from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from scormapi.errors import ErrorCode, ServiceError
from scormapi.packages.importer import build_zip, synthetic_scorm12_package
from scormapi.store.courseware import import_package, package_sha256, register_package, staged_package
from scormapi.store.models import Courseware, CoursewareSco, Organization
from tests.world import unique

SCOS = [{"identifier": "intro", "title": "Intro"}, {"identifier": "quiz", "title": "Quiz"}]


def package(title: str | None = None) -> bytes:
    return synthetic_scorm12_package(title or unique("Golf"), SCOS)


def imported(world, zipped, org=None, allow_duplicate: bool = False) -> Courseware:
    with world.db.write() as s:
        owner = s.get(Organization, (org or world.top).id)
        return import_package(s, world.settings, owner, zipped, allow_duplicate=allow_duplicate)


def refusal(courseware: Courseware) -> str:
    when = courseware.created_at.strftime("%Y-%m-%d %H:%M")
    return (f"This package was already imported as courseware {courseware.id} ({courseware.title!r}, {when} UTC); "
            "import it again with allow_duplicate to make a second copy")


def org_courseware(world, org=None) -> list[Courseware]:
    with world.db.read() as s:
        return list(s.scalars(select(Courseware).where(Courseware.org_id == (org or world.top).id)
                              .order_by(Courseware.created_at)))


def packages_dir_entries(world) -> set[str]:
    return {p.name for p in world.settings.packages_dir.iterdir()}


def test_the_hash_of_the_zip_is_stored(world):
    zipped = package()
    courseware = imported(world, zipped)
    assert [row.package_sha256 for row in org_courseware(world)] == [hashlib.sha256(zipped).hexdigest()]
    assert courseware.package_sha256 == hashlib.sha256(zipped).hexdigest()


def test_every_kind_of_source_hashes_to_the_zips_sha256(tmp_path: Path):
    zipped = package()
    expected = hashlib.sha256(zipped).hexdigest()
    on_disk = tmp_path / "course.zip"
    on_disk.write_bytes(zipped)
    upload = io.BytesIO(zipped)
    upload.seek(17)
    with zipfile.ZipFile(on_disk) as opened:
        hashes = [package_sha256(zipped), package_sha256(on_disk), package_sha256(str(on_disk)),
                  package_sha256(upload), package_sha256(opened)]
    assert hashes == [expected] * 5
    # A file object is left where it was: the caller may still be reading it.
    assert upload.tell() == 17


def test_the_same_zip_again_is_409_naming_the_first(world, db):
    zipped = package()
    first = imported(world, zipped)
    entries = packages_dir_entries(world)
    with db.read() as s:
        scos_before = s.scalar(select(func.count()).select_from(CoursewareSco))
    with pytest.raises(ServiceError) as refused:
        imported(world, zipped)
    assert (refused.value.code, refused.value.message) == (ErrorCode.ALREADY_EXISTS, refusal(first))
    assert refused.value.body()["api_error_entity"] == {
        "error_code": 8, "error_message": refusal(first), "warning_messages": []}
    # Nothing half-written: no second row, no SCOs, no folder (staged or placed).
    assert [row.id for row in org_courseware(world)] == [first.id]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(CoursewareSco)) == scos_before
    assert packages_dir_entries(world) == entries


def test_a_second_copy_when_allowed_has_the_same_hash(world):
    zipped = package()
    first = imported(world, zipped)
    second = imported(world, zipped, allow_duplicate=True)
    rows = org_courseware(world)
    assert [row.id for row in rows] == [first.id, second.id]
    assert rows[0].package_sha256 == rows[1].package_sha256 == hashlib.sha256(zipped).hexdigest()
    assert {path.name for path in world.settings.packages_dir.iterdir()} >= {str(first.id), str(second.id)}


def test_register_package_names_the_courseware_it_duplicates(world):
    zipped = package()
    first = imported(world, zipped)
    with world.db.read() as s:
        org = s.get(Organization, world.top.id)
    with staged_package(world.settings, zipped) as staged, world.db.write() as s:
        registered = register_package(s, world.settings, org, staged, allow_duplicate=True)
        assert (registered.duplicate_of.id, registered.courseware.package_sha256) == (first.id, staged.sha256)
    with staged_package(world.settings, package()) as staged, world.db.write() as s:
        assert register_package(s, world.settings, org, staged).duplicate_of is None


def test_of_several_copies_the_oldest_is_named(world):
    zipped = package()
    imported(world, zipped)
    second = imported(world, zipped, allow_duplicate=True)
    # Made the oldest by its date, not by the order of the inserts.
    with world.db.write() as s:
        oldest = s.get(Courseware, second.id)
        oldest.created_at = oldest.created_at - timedelta(days=30)
    with world.db.read() as s:
        oldest = s.get(Courseware, second.id)
    for _ in range(2):
        with pytest.raises(ServiceError) as refused:
            imported(world, zipped)
        assert refused.value.message == refusal(oldest)


def test_another_organization_is_never_compared(world):
    zipped = package()
    imported(world, zipped)
    elsewhere = world.org()
    other = imported(world, zipped, org=elsewhere)
    assert [row.id for row in org_courseware(world, elsewhere)] == [other.id]
    assert len(org_courseware(world)) == 1


def test_a_zip_one_byte_different_is_not_a_duplicate(world):
    zipped = package()
    files = unzipped(zipped)
    files["sco1/index.html"] = files["sco1/index.html"] + b" "
    different = build_zip(files)
    assert len(different) >= len(zipped) and different != zipped
    first = imported(world, zipped)
    second = imported(world, different)
    assert [row.id for row in org_courseware(world)] == [first.id, second.id]
    assert second.package_sha256 == hashlib.sha256(different).hexdigest() != first.package_sha256


def test_a_one_byte_change_in_the_zip_itself_is_not_a_duplicate(world):
    """The zip's own bytes count, not what it unpacks to: a comment differs
    by one byte and unpacks to the same files."""
    zipped = package()
    commented = rewrite_comment(zipped, b"x")
    assert len(commented) == len(zipped) + 1
    first = imported(world, zipped)
    second = imported(world, commented)
    assert first.id != second.id and second.package_sha256 == hashlib.sha256(commented).hexdigest()


def test_courseware_imported_before_hashes_matches_nothing(world):
    zipped = package()
    first = imported(world, zipped)
    with world.db.write() as s:
        s.get(Courseware, first.id).package_sha256 = None
    second = imported(world, zipped)
    assert [row.package_sha256 for row in org_courseware(world)] == [None, second.package_sha256]


def unzipped(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def rewrite_comment(data: bytes, comment: bytes) -> bytes:
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as z:
        z.comment = comment
    return buffer.getvalue()
