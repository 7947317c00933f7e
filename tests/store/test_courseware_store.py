"""import_package: files in place, rows in document order, nothing left behind on failure."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from scormapi.packages.errors import PackageError
from scormapi.packages.importer import build_zip, synthetic_scorm12_package
from scormapi.store.courseware import import_package, package_dir
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
        {"identifier": "intro", "title": "Intro", "sco_id": "intro", "is_visible": True, "children": []},
        {"identifier": "mod", "title": "Module", "sco_id": None, "is_visible": True, "children": [
            {"identifier": "deep", "title": "Deep", "sco_id": "deep", "is_visible": True, "children": []},
            {"identifier": "hidden", "title": "Hidden", "sco_id": "hidden", "is_visible": False, "children": []},
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
