"""SCORM 2004 features that are not run import with one warning each,
naming where they are used and what the learner gets instead."""
from __future__ import annotations

import zipfile

import pytest

from scormapi.packages.manifest import parse_manifest
from tests.packages.test_manifest_2004_settings import item, manifest_2004
from tests.packages.test_real_packages import BASIC_2004

PLAYED_IN_ORDER = "no rule skips, hides or disables a SCO; the learner gets every SCO, in manifest order"
RULES = (
    "<imsss:sequencing><imsss:sequencingRules><imsss:preConditionRule>"
    '<imsss:ruleConditions><imsss:ruleCondition condition="satisfied"/></imsss:ruleConditions>'
    '<imsss:ruleAction action="skip"/></imsss:preConditionRule></imsss:sequencingRules></imsss:sequencing>'
)
ROLLUP = (
    "<imsss:sequencing><imsss:rollupRules><imsss:rollupRule>"
    '<imsss:rollupConditions><imsss:rollupCondition condition="completed"/></imsss:rollupConditions>'
    '<imsss:rollupAction action="satisfied"/></imsss:rollupRule></imsss:rollupRules></imsss:sequencing>'
)
CONSIDERATIONS = '<imsss:sequencing><adlseq:rollupConsiderations requiredForSatisfied="ifAttempted"/></imsss:sequencing>'
GLOBAL = (
    '<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="p">'
    '<imsss:mapInfo targetObjectiveID="urn:global:p" writeSatisfiedStatus="true"/>'
    "</imsss:primaryObjective></imsss:objectives></imsss:sequencing>"
)
SHARED_DATA = '<adlcp:data><adlcp:map targetID="urn:store:notes" sharedDataGlobalToSystem="false"/></adlcp:data>'
PRESENTATION = (
    "<adlnav:presentation><adlnav:navigationInterface>"
    "<adlnav:hideLMSUI>continue</adlnav:hideLMSUI></adlnav:navigationInterface></adlnav:presentation>"
)


@pytest.mark.parametrize(
    ("body", "warning"),
    [
        (RULES, "sequencing rules (imsss:sequencingRules) are not supported (used in item 'sco_1'): " + PLAYED_IN_ORDER),
        (ROLLUP, ("rollup rules (imsss:rollupRules) are not supported (used in item 'sco_1'): the course's status is "
                 "rolled up from every SCO's own status, score and time, as for every course")),
        (CONSIDERATIONS, ("rollup considerations (adlseq:rollupConsiderations) are not supported (used in item "
                         "'sco_1'): every SCO counts in the course's status, as for every course")),
        (GLOBAL, ("global objectives (imsss:mapInfo) are not supported (used in item 'sco_1'): each SCO's objectives "
                 "are its own, shared with no other SCO or course")),
        (SHARED_DATA, ("shared data (adlcp:data) is not supported (used in item 'sco_1'): the SCOs have no shared data "
                      "stores: adl.data is empty")),
        (PRESENTATION, ("navigation presentation (adlnav:presentation) is not supported (used in item 'sco_1'): the "
                       "player shows its own table of contents and navigation with every SCO")),
    ],
)
def test_each_feature_imports_with_its_warning(body, warning):
    parsed = parse_manifest(manifest_2004(item(body)))
    assert [s.identifier for s in parsed.scos] == ["sco_1"]
    assert parsed.warnings == (warning,)


def test_a_feature_used_by_many_items_is_one_warning_naming_the_first_three():
    items = "".join(item(RULES, f"sco_{n}") for n in range(1, 6))
    assert parse_manifest(manifest_2004(items)).warnings == (
        "sequencing rules (imsss:sequencingRules) are not supported "
        "(used in item 'sco_1', item 'sco_2', item 'sco_3' and 2 more): " + PLAYED_IN_ORDER,
    )


def test_features_are_found_in_clusters_the_organization_and_referenced_collection_entries():
    cluster = (
        '<item identifier="module"><title>Module</title>' + ROLLUP
        + item('<imsss:sequencing IDRef="rules"/>', "sco_1") + "</item>"
    )
    collection = (
        '<imsss:sequencingCollection><imsss:sequencing ID="rules">' + RULES[len("<imsss:sequencing>"):]
        + '<imsss:sequencing ID="unused">' + GLOBAL[len("<imsss:sequencing>"):]
        + "</imsss:sequencingCollection>"
    )
    parsed = parse_manifest(manifest_2004(cluster, collection=collection, organization_extra=CONSIDERATIONS))
    assert parsed.warnings == (
        "sequencing rules (imsss:sequencingRules) are not supported (used in item 'sco_1'): " + PLAYED_IN_ORDER,
        ("rollup rules (imsss:rollupRules) are not supported (used in item 'module'): the course's status is "
        "rolled up from every SCO's own status, score and time, as for every course"),
        ("rollup considerations (adlseq:rollupConsiderations) are not supported (used in organization 'org'): "
        "every SCO counts in the course's status, as for every course"),
    )


CONTROL_WARNING = (
    "sequencing control modes other than the defaults (imsss:controlMode{settings}) are not supported "
    "(used in {places}): the learner may open any SCO from the table of contents, which lists them in manifest "
    "order, and go on to the next or back to the previous one"
)


@pytest.mark.parametrize(
    "attributes",
    ['choice="false"', 'choiceExit="false"', 'forwardOnly="true"', 'useCurrentAttemptObjectiveInfo="false"',
     'useCurrentAttemptProgressInfo="0"'],
)
def test_a_control_mode_other_than_the_defaults(attributes):
    sequencing = f"<imsss:sequencing><imsss:controlMode {attributes}/></imsss:sequencing>"
    parsed = parse_manifest(manifest_2004(item(), organization_extra=sequencing))
    assert parsed.warnings == (CONTROL_WARNING.format(settings=" " + attributes, places="organization 'org'"),)


def test_control_modes_are_gathered_into_one_warning():
    first = '<imsss:sequencing><imsss:controlMode choice="false" flow="true"/></imsss:sequencing>'
    second = '<imsss:sequencing><imsss:controlMode forwardOnly="true" choice="false"/></imsss:sequencing>'
    items = item(first, "a") + item(second, "b")
    assert parse_manifest(manifest_2004(items)).warnings == (
        CONTROL_WARNING.format(settings=' choice="false" forwardOnly="true"', places="item 'a', item 'b'"),
    )


@pytest.mark.parametrize(
    "attributes",
    ['choice="true" flow="false"', 'flow="true"', 'choice="true" flow="true" forwardOnly="false"', ""],
)
def test_default_control_modes_and_flow_are_not_warned_about(attributes):
    # flow="true" asks for next/previous, which the player always offers.
    sequencing = f"<imsss:sequencing><imsss:controlMode {attributes}/></imsss:sequencing>"
    assert parse_manifest(manifest_2004(item(), organization_extra=sequencing)).warnings == ()


def test_features_in_metadata_are_not_reported():
    metadata = f"<metadata><lom>{SHARED_DATA}{RULES}</lom></metadata>"
    assert parse_manifest(manifest_2004(item(metadata))).warnings == ()


def test_features_of_an_organization_not_imported_are_not_reported():
    other = f'<organization identifier="other"><title>Other</title>{item(RULES, "elsewhere")}</organization>'
    xml = manifest_2004(item()).replace(b"</organizations>", other.encode() + b"</organizations>")
    parsed = parse_manifest(xml)
    assert ([s.identifier for s in parsed.scos], parsed.warnings) == (["sco_1"], ())


def test_several_features_one_warning_each_in_a_fixed_order():
    parsed = parse_manifest(manifest_2004(item(PRESENTATION + GLOBAL + SHARED_DATA) + item(RULES, "sco_2")))
    assert [warning.split(" (", 1)[0] for warning in parsed.warnings] == [
        "sequencing rules", "global objectives", "shared data", "navigation presentation",
    ]


def test_the_real_2004_package_imports_without_warnings(scorm_fixture):
    with zipfile.ZipFile(scorm_fixture(BASIC_2004)) as archive:
        parsed = parse_manifest(archive.read("imsmanifest.xml"))
    [sco] = parsed.scos
    # Its organization asks for flow="true" and its item only for deliveryControls.
    assert parsed.warnings == ()
    assert (sco.completion_threshold, sco.scaled_passing_score, sco.objective_ids) == ("", "", ())
    assert (sco.data_from_lms, sco.max_time_allowed, sco.time_limit_action) == ("", "", "")
