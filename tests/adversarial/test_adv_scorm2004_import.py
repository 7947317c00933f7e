"""Importing SCORM 2004 manifests with odd sequencing values through
ImportPackage: a value not of its type is left out with a warning naming the
item and the value, and the import still succeeds."""
from __future__ import annotations

import pytest

from scormapi.packages.synthetic import synthetic_scorm2004_package
from tests.api.scorm_helpers import get_cmi
from tests.player.helpers import enrolled_course
from tests.world import unique

PASSING = "the scaled passing score (imsss:minNormalizedMeasure) {!r} is not a number from -1 to 1, so it was not imported"
THRESHOLD = ("the completion threshold (adlcp:completionThreshold minProgressMeasure) {!r} is not a number from 0 to 1,"
             " so it was not imported")
LIMIT = ("the maximum time allowed (imsss:limitConditions attemptAbsoluteDurationLimit) {!r} is not an ISO 8601"
         " duration such as PT1H30M, so it was not imported")


def package(spec: dict) -> bytes:
    return synthetic_scorm2004_package(unique("Course"), [{"title": "Lesson", **spec}])


def import_package(world, zipped: bytes):
    return world.http.post("/api/v1/ScormApi/ImportPackage", params={"access_token": world.admin_token},
                           data={"org_id": str(world.top.id)}, files={"file": ("course.zip", zipped, "application/zip")})


@pytest.mark.parametrize(("spec", "warning"), [
    ({"scaled_passing_score": "NaN"}, PASSING.format("NaN")),
    ({"scaled_passing_score": "1e999"}, PASSING.format("1e999")),
    ({"scaled_passing_score": "Infinity"}, PASSING.format("Infinity")),
    ({"completion_threshold": "NaN"}, THRESHOLD.format("NaN")),
    ({"completion_threshold": "1e-999"}, THRESHOLD.format("1e-999")),
    ({"max_time_allowed": "P"}, LIMIT.format("P")),
    ({"max_time_allowed": "PT"}, LIMIT.format("PT")),
])
def test_a_setting_not_of_its_type_is_left_out_with_a_warning(world, spec, warning):
    r = import_package(world, package(spec))
    assert r.status_code == 200, r.text
    assert r.json()["api_error_entity"] == {"error_code": 0, "warning_messages": [f"item 'item_1': {warning}"]}
    course = enrolled_course(world, package(spec))
    names = ["cmi.scaled_passing_score", "cmi.completion_threshold", "cmi.max_time_allowed"]
    fields = get_cmi(world, course, names).json()[0]["cmi_fields"]
    assert [f["cmi_element_value"] for f in fields] == ["", "", ""]


def test_a_thousand_objectives_are_offered_in_manifest_order(world):
    ids = [f"urn:obj:{n}" for n in range(1000)]
    r = import_package(world, package({"objective_ids": ids}))
    assert r.status_code == 200, r.text
    course = enrolled_course(world, package({"objective_ids": ids}))
    names = ["cmi.objectives._count", "cmi.objectives.0.id", "cmi.objectives.999.id"]
    fields = get_cmi(world, course, names).json()[0]["cmi_fields"]
    assert [f["cmi_element_value"] for f in fields] == ["1000", "urn:obj:0", "urn:obj:999"]


def test_objective_ids_in_other_scripts_are_kept_exactly(world):
    ids = ["urn:é", "目标-1"]
    course = enrolled_course(world, package({"objective_ids": ids}))
    fields = get_cmi(world, course, ["cmi.objectives.0.id", "cmi.objectives.1.id"]).json()[0]["cmi_fields"]
    assert [f["cmi_element_value"] for f in fields] == ids
