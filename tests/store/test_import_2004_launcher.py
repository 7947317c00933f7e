"""What a SCO is launched with: the settings its import stored, SCORM 2004's
beside SCORM 1.2's, read back from the database."""
from __future__ import annotations

from sqlalchemy import select

from scormapi.packages.importer import build_zip, synthetic_scorm12_package
from scormapi.packages.synthetic import sco_page
from scormapi.store import attempts
from scormapi.store.courseware import import_package
from scormapi.store.models import CoursewareSco, Organization, User
from tests.packages.test_import_2004_settings import MEASURED
from tests.packages.test_manifest_2004_settings import item, manifest_2004


def imported_scos(world, zipped: bytes) -> list[CoursewareSco]:
    with world.db.write() as s:
        courseware_id = import_package(s, world.settings, s.get(Organization, world.top.id), zipped).id
    with world.db.read() as s:
        return list(s.scalars(
            select(CoursewareSco).where(CoursewareSco.courseware_id == courseware_id).order_by(CoursewareSco.ordinal)
        ))


def launched_with(world, sco: CoursewareSco) -> dict:
    with world.db.read() as s:
        launcher = attempts.launcher(s.get(User, world.admin.id), sco)
    return dict(launcher.manifest)


def test_a_2004_sco_is_launched_with_its_settings(world):
    zipped = build_zip({
        "imsmanifest.xml": manifest_2004(item(MEASURED, "measured") + item("", "plain")),
        "index.html": sco_page("Lesson", "", "completed"),
    })
    measured, plain = imported_scos(world, zipped)
    assert launched_with(world, measured) == {
        "data_from_lms": "chapter=3",
        "mastery_score": "",
        "max_time_allowed": "PT45M",
        "time_limit_action": "exit,message",
        "completion_threshold": "0.8",
        "scaled_passing_score": "0.6",
        "objective_ids": "urn:golf:primary putting Putting",
    }
    assert launched_with(world, plain) == dict.fromkeys(
        ("data_from_lms", "mastery_score", "max_time_allowed", "time_limit_action",
         "completion_threshold", "scaled_passing_score", "objective_ids"), ""
    )


def test_a_12_sco_has_none_of_the_2004_settings(world):
    [sco] = imported_scos(world, synthetic_scorm12_package("Twelve", [{"identifier": "a", "mastery_score": "80"}]))
    manifest = launched_with(world, sco)
    assert (manifest["mastery_score"], manifest["completion_threshold"], manifest["scaled_passing_score"],
            manifest["objective_ids"]) == ("80", "", "", "")
