"""SCORM 2004 manifests shaped like the ones the ADL conformance packages and
common authoring samples ship: white space around identifiers and objective
ids, one SCO resource launched by many items with parameters under an
xml:base, settings on cluster items, a default organization that does not
exist, a course of assets only. Each manifest is written here, in the same
structure, so the test shows what is read.
"""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from scormapi.packages.errors import PackageError
from scormapi.packages.importer import build_zip
from scormapi.packages.manifest import parse_manifest
from scormapi.packages.synthetic import sco_page
from scormapi.store.models import CoursewareSco
from tests.api.test_import_package import upload
from tests.packages.test_manifest_2004_settings import NAMESPACES


def conformance_manifest(items: str, *, resource_type: str = "sco", default: str = "course") -> bytes:
    """A 4th edition manifest in the conformance packages' layout: one
    launch page under resources/ shared by every item, helper assets beside it."""
    return f"""<?xml version = "1.0" standalone = "no"?>
<manifest identifier = "pkg_shape" version = "1.1" {NAMESPACES}>
   <metadata>
      <schema>ADL SCORM</schema>
      <schemaversion>2004 4th Edition</schemaversion>
   </metadata>
   <organizations default = "{default}">
      <organization identifier = "course">
         <title>Shaped course</title>
         {items}
      </organization>
   </organizations>
   <resources>
      <resource identifier = "  LAUNCH  " type = "webcontent" adlcp:scormType = "{resource_type}"
                href = "Runner.htm" xml:base = "resources/">
         <file href = "Runner.htm"/>
         <dependency identifierref = "HELPERS"/>
      </resource>
      <resource identifier = "HELPERS" type = "webcontent" adlcp:scormType = "asset" xml:base = "common/">
         <file href = "helpers.js"/>
      </resource>
   </resources>
</manifest>""".encode()


def activity(number: int, body: str = "", identifier: str = "") -> str:
    identifier = identifier or f"act_{number}"
    return (
        f'<item identifier = "{identifier}" identifierref = "LAUNCH" parameters = "?case=shape&amp;act={number}">'
        f"<title>Activity {number}</title>{body}</item>"
    )


def objectives(inner: str) -> str:
    return f"<imsss:sequencing><imsss:objectives>{inner}</imsss:objectives></imsss:sequencing>"


# ---- objective ids with white space around them ----------------------------------------------


PADDED_OBJECTIVES = objectives(
    '<imsss:primaryObjective objectiveID = "  main  "/>'
    '<imsss:objective objectiveID = " goal%20one     "/>'
    '<imsss:objective objectiveID = "\tgoal_two\n"/>'
)


def test_white_space_around_an_objective_id_is_not_part_of_it():
    # objectiveID is an xs:anyURI: the schema collapses its white space.
    parsed = parse_manifest(conformance_manifest(activity(1, PADDED_OBJECTIVES)))
    [sco] = parsed.scos
    assert sco.objective_ids == ("main", "goal%20one", "goal_two")
    assert parsed.warnings == ()


def test_an_objective_id_with_white_space_inside_is_still_left_out():
    inner = objectives('<imsss:objective objectiveID = " two words "/><imsss:objective objectiveID = " kept "/>')
    parsed = parse_manifest(conformance_manifest(activity(1, inner)))
    assert parsed.scos[0].objective_ids == ("kept",)
    assert parsed.warnings == (
        "item 'act_1': the objective id 'two words' contains white space, so that objective was not imported",
    )


def test_padded_ids_naming_one_objective_are_imported_once():
    inner = objectives('<imsss:objective objectiveID = "obj"/><imsss:objective objectiveID = "  obj "/>')
    parsed = parse_manifest(conformance_manifest(activity(1, inner)))
    assert parsed.scos[0].objective_ids == ("obj",)
    assert parsed.warnings == (
        "item 'act_1': the objective id 'obj' is used by more than one objective, so it was imported once",
    )


def test_importing_padded_objective_ids_stores_them_trimmed(world, http):
    package = build_zip({
        "imsmanifest.xml": conformance_manifest(activity(1, PADDED_OBJECTIVES) + activity(2)),
        "resources/Runner.htm": sco_page("Runner", "", "completed"),
        "common/helpers.js": "",
    })
    r = upload(http, world.admin_token, package, world.top.id)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["scos"] == [
        {"sco_id": "act_1", "title": "Activity 1", "launch": "resources/Runner.htm?case=shape&act=1"},
        {"sco_id": "act_2", "title": "Activity 2", "launch": "resources/Runner.htm?case=shape&act=2"},
    ]
    assert body["api_error_entity"] == {"error_code": 0, "warning_messages": []}
    with world.db.read() as s:
        rows = s.execute(
            select(CoursewareSco.sco_id, CoursewareSco.objective_ids)
            .where(CoursewareSco.courseware_id == uuid.UUID(body["courseware_id"]))
            .order_by(CoursewareSco.ordinal)
        ).all()
    assert [tuple(row) for row in rows] == [("act_1", "main goal%20one goal_two"), ("act_2", "")]


# ---- identifiers and launch URLs -----------------------------------------------------------------


def test_padded_item_and_resource_identifiers_are_read_trimmed():
    items = activity(1, identifier="   act_1   ") + activity(2)
    parsed = parse_manifest(conformance_manifest(items))
    assert [(sco.identifier, sco.resource_identifier, sco.launch) for sco in parsed.scos] == [
        ("act_1", "LAUNCH", "resources/Runner.htm?case=shape&act=1"),
        ("act_2", "LAUNCH", "resources/Runner.htm?case=shape&act=2"),
    ]


def test_every_item_of_a_shared_launch_page_is_its_own_sco_inside_clusters():
    cluster = f'<item identifier = "cluster"><title>Cluster</title>{activity(2)}{activity(3)}</item>'
    parsed = parse_manifest(conformance_manifest(activity(1) + cluster + activity(4)))
    assert [sco.identifier for sco in parsed.scos] == ["act_1", "act_2", "act_3", "act_4"]
    [_, middle, _] = parsed.items
    assert (middle.identifier, middle.sco, [child.identifier for child in middle.children]) == (
        "cluster", None, ["act_2", "act_3"],
    )


def test_a_completion_threshold_on_a_cluster_gives_its_scos_none():
    # A cluster's threshold weighs a roll-up by measure; its SCOs read their own.
    measured = activity(3, '<adlcp:completionThreshold completedByMeasure="true"/>')
    cluster = (
        f'<item identifier = "cluster"><title>Cluster</title>{activity(2)}{measured}'
        '<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.45"></adlcp:completionThreshold>'
        "</item>"
    )
    parsed = parse_manifest(conformance_manifest(activity(1) + cluster))
    assert [(sco.identifier, sco.completion_threshold) for sco in parsed.scos] == [
        ("act_1", ""), ("act_2", ""), ("act_3", "1.0"),
    ]
    # Never silence: the cluster's own threshold is a roll-up this LMS does not run.
    assert parsed.warnings == (
        "completion thresholds of clusters (adlcp:completionThreshold on an item that holds items) are not "
        "supported (used in item 'cluster'): a cluster's completion is rolled up from its SCOs' own statuses, "
        "as for every course",
    )


def test_the_longest_launch_data_the_standard_names_is_kept_whole():
    data = "".join(f"{n:04d}" + "x" * 16 for n in range(200))  # 4,000 characters
    parsed = parse_manifest(conformance_manifest(activity(1, f"<adlcp:dataFromLMS>{data}</adlcp:dataFromLMS>")))
    assert parsed.scos[0].data_from_lms == data


def test_a_default_organization_that_does_not_exist_imports_the_first():
    parsed = parse_manifest(conformance_manifest(activity(1) + activity(2), default="MISSING_ORG"))
    assert [sco.identifier for sco in parsed.scos] == ["act_1", "act_2"]
    assert parsed.warnings == (
        (
            "the default organization 'MISSING_ORG' named in <organizations> does not exist; "
            "the first organization, 'course', was imported instead"
        ),
    )


# ---- a course of assets only ---------------------------------------------------------------------


def test_a_course_whose_items_are_all_assets_is_refused_naming_why():
    # There is nothing to track: an asset has no run-time and no record.
    with pytest.raises(PackageError) as refused:
        parse_manifest(conformance_manifest(activity(1) + activity(2), resource_type="asset"))
    assert refused.value.message == (
        "the package has no SCO: no item of organization 'course' uses a resource with adlcp:scormType=\"sco\""
    )
