"""Importing a SCORM 2004 package stores each SCO's settings; what was left
out or is not run reaches the uploader as warnings, over the API and at the
command line, and the import still succeeds."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from scormapi.packages.importer import build_zip
from scormapi.packages.synthetic import sco_page
from scormapi.store.models import AuditEvent, CoursewareSco
from tests.api.test_import_package import upload
from tests.packages.test_manifest_2004_features import RULES
from tests.packages.test_manifest_2004_settings import item, manifest_2004
from tests.test_cli import data_dir, invoke, local_db  # noqa: F401  (fixtures)

MEASURED = (
    '<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.8"/>'
    "<adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction>"
    "<adlcp:dataFromLMS>chapter=3</adlcp:dataFromLMS>"
    "<imsss:sequencing>"
    '<imsss:limitConditions attemptAbsoluteDurationLimit="PT45M"/>'
    "<imsss:objectives>"
    '<imsss:primaryObjective objectiveID="urn:golf:primary" satisfiedByMeasure="true">'
    "<imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure></imsss:primaryObjective>"
    '<imsss:objective objectiveID="putting"/><imsss:objective objectiveID="Putting"/>'
    "</imsss:objectives></imsss:sequencing>"
)
INVALID = (
    "<adlcp:completionThreshold>1.2</adlcp:completionThreshold>"
    '<imsss:sequencing><imsss:limitConditions attemptAbsoluteDurationLimit="45 minutes"/></imsss:sequencing>'
)
WARNINGS = [
    ("item 'invalid': the maximum time allowed (imsss:limitConditions attemptAbsoluteDurationLimit) '45 minutes' "
    "is not an ISO 8601 duration such as PT1H30M, so it was not imported"),
    ("item 'invalid': the completion threshold (adlcp:completionThreshold) '1.2' is not a number from 0 to 1, "
    "so it was not imported"),
    ("sequencing rules (imsss:sequencingRules) are not supported (used in item 'ruled'): no rule skips, hides or "
    "disables a SCO; the learner gets every SCO, in manifest order"),
]
# (sco_id, completion_threshold, scaled_passing_score, objective_ids, data_from_lms, max_time_allowed,
#  time_limit_action), in manifest order
STORED = [
    ("measured", "0.8", "0.6", "urn:golf:primary putting Putting", "chapter=3", "PT45M", "exit,message"),
    ("invalid", "", "", "", "", "", ""),
    ("ruled", "", "", "", "", "", ""),
]


def package() -> bytes:
    items = item(MEASURED, "measured") + item(INVALID, "invalid") + item(RULES, "ruled")
    return build_zip({"imsmanifest.xml": manifest_2004(items), "index.html": sco_page("Lesson", "", "completed")})


def stored(db, courseware_id) -> list[tuple]:
    with db.read() as s:
        rows = s.scalars(
            select(CoursewareSco).where(CoursewareSco.courseware_id == courseware_id).order_by(CoursewareSco.ordinal)
        ).all()
        return [(r.sco_id, r.completion_threshold, r.scaled_passing_score, r.objective_ids, r.data_from_lms,
                 r.max_time_allowed, r.time_limit_action) for r in rows]


def test_import_package_stores_the_settings_and_answers_with_the_warnings(world, http):
    r = upload(http, world.admin_token, package(), world.top.id)
    assert r.status_code == 200, r.text
    body = r.json()
    courseware_id = uuid.UUID(body["courseware_id"])
    assert body == {
        "courseware_id": str(courseware_id),
        "org_id": str(world.top.id),
        "title": "Course",
        "scorm_version": "2004",
        "scos": [{"sco_id": sco_id, "title": "Lesson", "launch": "index.html"} for sco_id in ("measured", "invalid", "ruled")],
        "api_error_entity": {"error_code": 0, "warning_messages": WARNINGS},
    }
    assert stored(world.db, courseware_id) == STORED
    with world.db.read() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "courseware.import",
                                                  AuditEvent.subject_id == str(courseware_id)))
        assert event.details["warnings"] == WARNINGS


def test_the_command_line_prints_the_warnings(data_dir, local_db, tmp_path):  # noqa: F811
    path = tmp_path / "course2004.zip"
    path.write_bytes(package())
    r = invoke("import", str(path))
    assert r.exit_code == 0, r.output
    assert "Imported Course (SCORM 2004)\n" in r.output
    listed = "".join(f"  {sco_id}: Lesson (index.html)\n" for sco_id in ("measured", "invalid", "ruled"))
    printed = "".join(f"warning: {warning}\n" for warning in WARNINGS)
    assert listed + printed + "\nNext, assign it" in r.output
    with local_db.read() as s:
        courseware_id = s.scalar(select(CoursewareSco.courseware_id).where(CoursewareSco.sco_id == "measured"))
    assert stored(local_db, courseware_id) == STORED
