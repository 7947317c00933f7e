"""import_package: files in place, rows in document order, nothing left behind on failure."""
from __future__ import annotations

import dataclasses
import os
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from scormapi.errors import ErrorCode, ServiceError
from scormapi.packages.errors import PackageError
from scormapi.packages.importer import build_zip, synthetic_scorm12_package
from scormapi.packages.limits import MANIFEST_LIMITS, ManifestLimits
from scormapi.store import courseware as store
from scormapi.store import learning
from scormapi.store.courseware import (
    STAGING_PREFIX,
    delete_courseware,
    import_package,
    package_dir,
    remove_abandoned_staging,
)
from scormapi.store.models import Courseware, CoursewareSco, Organization

NESTED = [
    {"identifier": "intro", "title": "Intro", "mastery_score": 80, "max_time_allowed": "00:30:00",
     "time_limit_action": "exit,message", "data_from_lms": "hello"},
    {"identifier": "mod", "title": "Module", "children": [
        {"identifier": "deep", "title": "Deep"},
        {"identifier": "hidden", "title": "Hidden", "visible": False},
    ]},
]


def _leftovers(settings) -> list:
    return [p.name for p in settings.packages_dir.iterdir() if p.name.startswith(".import-")]


def test_import_places_files_and_rows(world):
    with world.db.write() as s:
        cw = import_package(s, world.settings, s.get(Organization, world.top.id), synthetic_scorm12_package("Golf 101", NESTED))
    folder = package_dir(world.settings, cw.id)
    assert (folder / "imsmanifest.xml").is_file() and (folder / "sco1" / "index.html").is_file()
    with world.db.read() as s:
        stored = s.get(Courseware, cw.id)
        scos = s.scalars(select(CoursewareSco).where(CoursewareSco.courseware_id == cw.id).order_by(CoursewareSco.ordinal)).all()
    assert (stored.title, stored.scorm_version, stored.identifier, stored.org_id) == ("Golf 101", "1.2", "synthetic.golf-101", world.top.id)
    assert stored.structure == [
        {"identifier": "intro", "title": "Intro", "sco_id": "intro", "is_visible": True, "asset": None, "children": []},
        {"identifier": "mod", "title": "Module", "sco_id": None, "is_visible": True, "asset": None, "children": [
            {"identifier": "deep", "title": "Deep", "sco_id": "deep", "is_visible": True, "asset": None, "children": []},
            {"identifier": "hidden", "title": "Hidden", "sco_id": "hidden", "is_visible": False, "asset": None, "children": []},
        ]},
    ]
    assert [(x.ordinal, x.sco_id, x.title, x.launch) for x in scos] == [
        (0, "intro", "Intro", "sco1/index.html"), (1, "deep", "Deep", "sco2/index.html"), (2, "hidden", "Hidden", "sco3/index.html"),
    ]
    assert (scos[0].mastery_score, scos[0].max_time_allowed, scos[0].time_limit_action, scos[0].data_from_lms) == (
        "80", "00:30:00", "exit,message", "hello")
    assert scos[1].mastery_score == ""


def test_bad_package_leaves_nothing(world):
    with world.db.write() as s, pytest.raises(PackageError):
        import_package(s, world.settings, s.get(Organization, world.top.id), build_zip({"readme.txt": "no manifest"}))
    assert _leftovers(world.settings) == []


def test_rolled_back_transaction_removes_the_folder(world):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), world.db.write() as s:
        cw = import_package(s, world.settings, s.get(Organization, world.top.id), synthetic_scorm12_package("Gone", [{}]))
        assert package_dir(world.settings, cw.id).is_dir()
        raise Boom
    assert not package_dir(world.settings, cw.id).exists()
    with world.db.read() as s:
        assert s.get(Courseware, cw.id) is None


def test_failed_insert_removes_the_staging_folder(world):
    missing_org = Organization(id=uuid.uuid4(), name="ghost", path="x")
    with pytest.raises(IntegrityError), world.db.write() as s:
        import_package(s, world.settings, missing_org, synthetic_scorm12_package("Orphan", [{}]))
    assert _leftovers(world.settings) == []


# ---- manifest limits and columns -----------------------------------------------


def test_the_manifest_limits_are_the_column_sizes():
    """A manifest value that passes the limits always fits its column."""
    columns = {
        "identifier": [Courseware.__table__.c.identifier, CoursewareSco.__table__.c.sco_id],
        "title": [Courseware.__table__.c.title, CoursewareSco.__table__.c.title],
        "mastery_score": [CoursewareSco.__table__.c.mastery_score],
        "max_time_allowed": [CoursewareSco.__table__.c.max_time_allowed],
        "time_limit_action": [CoursewareSco.__table__.c.time_limit_action],
    }
    for field in dataclasses.fields(ManifestLimits):
        assert {column.type.length for column in columns[field.name]} == {getattr(MANIFEST_LIMITS, field.name)}, field.name
    assert set(columns) == {field.name for field in dataclasses.fields(ManifestLimits)}


def test_values_at_the_limits_are_stored_whole(world):
    spec = {"identifier": "i" * 255, "title": "T" * 255, "mastery_score": "8" * 32, "max_time_allowed": "1" * 32,
            "time_limit_action": "t" * 32}
    with world.db.write() as s:
        cw = import_package(s, world.settings, s.get(Organization, world.top.id), synthetic_scorm12_package("C" * 255, [spec]))
    with world.db.read() as s:
        stored = s.get(Courseware, cw.id)
        sco = s.scalar(select(CoursewareSco).where(CoursewareSco.courseware_id == cw.id))
    assert stored.title == "C" * 255
    assert (sco.sco_id, sco.title, sco.mastery_score, sco.max_time_allowed, sco.time_limit_action) == (
        "i" * 255, "T" * 255, "8" * 32, "1" * 32, "t" * 32)


# ---- staging folders left by a killed import ---------------------------------------


def _staging(packages_dir: Path, age: timedelta, inner_age: timedelta | None = None) -> Path:
    """A staging folder as a killed import leaves it, last touched ``age`` ago."""
    folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=packages_dir))
    inner = folder / ".content.partial-0123"
    (inner / "sco1").mkdir(parents=True)
    (inner / "sco1" / "index.html").write_text("half")
    then = time.time() - age.total_seconds()
    inner_then = time.time() - (inner_age or age).total_seconds()
    os.utime(inner, (inner_then, inner_then))
    os.utime(folder, (then, then))
    return folder


def test_abandoned_staging_folders_are_removed(tmp_path):
    old = _staging(tmp_path, timedelta(hours=2))
    fresh = _staging(tmp_path, timedelta(minutes=5))
    busy = _staging(tmp_path, timedelta(hours=2), inner_age=timedelta(seconds=10))
    package = tmp_path / str(uuid.uuid4())
    package.mkdir()
    os.utime(package, (0, 0))
    assert remove_abandoned_staging(tmp_path) == [old.name]
    assert not old.exists() and fresh.is_dir() and busy.is_dir() and package.is_dir()


def test_the_age_is_a_parameter(tmp_path):
    folder = _staging(tmp_path, timedelta(minutes=5))
    assert remove_abandoned_staging(tmp_path, older_than=timedelta(minutes=10)) == []
    assert remove_abandoned_staging(tmp_path, older_than=timedelta(minutes=1)) == [folder.name]


def test_no_packages_folder_yet_is_nothing_to_do(tmp_path):
    assert remove_abandoned_staging(tmp_path / "missing") == []


def test_an_import_in_progress_keeps_its_folder(world):
    """The sweep runs beside imports: the folder being extracted stays."""
    swept = []
    real_prepare = store.prepare_package

    def prepare_and_sweep(source, dest, *args, **kwargs):
        result = real_prepare(source, dest, *args, **kwargs)
        swept.extend(remove_abandoned_staging(world.settings.packages_dir, older_than=timedelta(minutes=10)))
        return result

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store, "prepare_package", prepare_and_sweep)
        with world.db.write() as s:
            cw = import_package(s, world.settings, s.get(Organization, world.top.id), synthetic_scorm12_package("Busy", [{}]))
    assert swept == [] and (package_dir(world.settings, cw.id) / "sco1" / "index.html").is_file()


# ---- deleting ---------------------------------------------------------------------


def test_deleted_files_go_only_when_the_deletion_commits(world):
    class Boom(Exception):
        pass

    with world.db.write() as s:
        cw = import_package(s, world.settings, s.get(Organization, world.top.id), synthetic_scorm12_package("Kept", [{}]))
    folder = package_dir(world.settings, cw.id)
    with pytest.raises(Boom), world.db.write() as s:
        delete_courseware(s, world.settings, s.get(Courseware, cw.id))
        assert folder.is_dir()  # not before the commit
        raise Boom
    with world.db.read() as s:
        assert s.get(Courseware, cw.id) is not None
    assert folder.is_dir()
    with world.db.write() as s:
        deleted = delete_courseware(s, world.settings, s.get(Courseware, cw.id))
        assert folder.is_dir()
    assert not folder.exists() and deleted["sco_ids"] == ["item_1"]


def test_an_assignment_created_meanwhile_stops_the_deletion(world):
    """The deletion waits for a transaction assigning the courseware, then
    sees the assignment: a 409, never a foreign-key failure."""
    with world.db.write() as s:
        cw = import_package(s, world.settings, s.get(Organization, world.top.id), synthetic_scorm12_package("Raced", [{}]))
    assigned, release = threading.Event(), threading.Event()

    def assign() -> None:
        with world.db.write() as s:
            section = learning.create_section(s, s.get(Organization, world.top.id), "racing")
            learning.create_assignment(s, section, s.get(Courseware, cw.id), "Meanwhile", max_attempts=1)
            s.flush()
            assigned.set()
            release.wait(10)

    assigner = threading.Thread(target=assign)
    assigner.start()
    assert assigned.wait(10)
    threading.Timer(0.3, release.set).start()
    with pytest.raises(ServiceError) as raised, world.db.write() as s:
        delete_courseware(s, world.settings, s.get(Courseware, cw.id))
    assigner.join(10)
    assert raised.value.code == ErrorCode.IN_USE and "'Meanwhile'" in raised.value.message
    assert package_dir(world.settings, cw.id).is_dir()
