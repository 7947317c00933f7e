"""``scormapi import`` of a zip the organization already imported: refused
with the message and no traceback, or a second copy with --allow-duplicate."""
from __future__ import annotations

import hashlib

from sqlalchemy import select

from scormapi import cli
from scormapi.packages.importer import synthetic_scorm12_package
from scormapi.store import directory
from scormapi.store.models import AuditEvent, Courseware, Organization
from tests.test_cli import data_dir, invoke, local_db  # noqa: F401  (fixtures)


def package_file(tmp_path, title: str = "Chipping", name: str = "chipping.zip"):
    path = tmp_path / name
    path.write_bytes(synthetic_scorm12_package(title, [{"identifier": "a", "title": "Only"}]))
    return path


def all_courseware(db) -> list[Courseware]:
    with db.read() as s:
        return list(s.scalars(select(Courseware).order_by(Courseware.created_at)))


def named(courseware: Courseware) -> str:
    return f"courseware {courseware.id} ({courseware.title!r}, {courseware.created_at.strftime('%Y-%m-%d %H:%M')} UTC)"


def test_the_same_zip_again_exits_1_naming_the_first(data_dir, local_db, tmp_path):  # noqa: F811
    package = package_file(tmp_path)
    assert invoke("import", str(package)).exit_code == 0
    [first] = all_courseware(local_db)
    assert first.package_sha256 == hashlib.sha256(package.read_bytes()).hexdigest()
    r = invoke("import", str(package))
    assert r.exit_code == 1
    assert r.stderr == (
        f"error: chipping.zip: This package was already imported as {named(first)}; import it again with "
        "allow_duplicate to make a second copy (here: scormapi import --allow-duplicate)\n"
    )
    assert "Traceback" not in r.output and isinstance(r.exception, SystemExit)
    assert [row.id for row in all_courseware(local_db)] == [first.id]
    assert sorted(p.name for p in (data_dir / "packages").iterdir()) == [str(first.id)]


def test_allow_duplicate_imports_a_second_copy_and_says_of_what(data_dir, local_db, tmp_path):  # noqa: F811
    package = package_file(tmp_path)
    assert invoke("import", str(package)).exit_code == 0
    [first] = all_courseware(local_db)
    r = invoke("import", str(package), "--allow-duplicate")
    assert r.exit_code == 0, r.output
    first_again, second = all_courseware(local_db)
    assert first_again.id == first.id and second.package_sha256 == first.package_sha256
    lines = r.output.splitlines()
    start = lines.index("Imported Chipping (SCORM 1.2)")
    assert lines[start:start + 3] == [
        "Imported Chipping (SCORM 1.2)",
        f"courseware_id: {second.id}",
        f"This is a second copy: the same package was already imported as {named(first)}",
    ]
    with local_db.read() as s:
        details = s.scalar(select(AuditEvent.details).where(AuditEvent.subject_id == str(second.id)))
    # The same record as ImportPackage writes (ops.courseware), and where it came from.
    assert details == {"org_id": str(second.org_id), "title": "Chipping", "file_name": "chipping.zip", "warnings": [],
                       "via": "cli import", "duplicate_of": str(first.id)}


def test_a_first_import_with_the_flag_says_nothing_of_copies(data_dir, local_db, tmp_path):  # noqa: F811
    r = invoke("import", str(package_file(tmp_path)), "--allow-duplicate")
    assert r.exit_code == 0, r.output
    assert "second copy" not in r.output
    [courseware] = all_courseware(local_db)
    with local_db.read() as s:
        details = s.scalar(select(AuditEvent.details).where(AuditEvent.subject_id == str(courseware.id)))
    assert "duplicate_of" not in details


def test_another_organization_may_import_the_same_zip(data_dir, local_db, tmp_path):  # noqa: F811
    package = package_file(tmp_path)
    assert invoke("import", str(package)).exit_code == 0
    with local_db.write() as s:
        campus = directory.create_org(s, "Campus", directory.root(s))
    r = invoke("import", str(package), "--org", str(campus.id))
    assert r.exit_code == 0, r.output
    assert "second copy" not in r.output
    assert [row.org_id for row in all_courseware(local_db)][1] == campus.id


def test_the_demo_seeds_twice_and_its_course_counts_as_imported(data_dir, local_db, tmp_path):  # noqa: F811
    """A second seeding finds the demo's course, and the demo's zip given to
    ``import`` for the same organization is a duplicate of it."""
    info = cli.seed_demo(cli.settings())
    assert cli.seed_demo(cli.settings()).courseware_id == info.courseware_id
    [demo] = [row for row in all_courseware(local_db) if row.title == cli.DEMO_COURSE]
    package = tmp_path / "demo.zip"
    package.write_bytes(synthetic_scorm12_package(cli.DEMO_COURSE, cli.DEMO_SCOS))
    with local_db.read() as s:
        school = s.get(Organization, info.org_id)
    r = invoke("import", str(package), "--org", str(school.id))
    assert r.exit_code == 1 and f"already imported as {named(demo)}" in r.output
    assert [row.id for row in all_courseware(local_db) if row.title == cli.DEMO_COURSE] == [info.courseware_id]
    assert len(all_courseware(local_db)) == 2  # and the 2004 course, once
