"""SCORM 2004 run-time settings read from the manifest, per SCO item:
completion threshold, scaled passing score, objective ids, launch data,
time limit and its action; invalid values left out with a warning.

Each manifest is built here around the one item it is about, so the test
shows the exact XML it reads.
"""
from __future__ import annotations

import pytest

from scormapi.packages.errors import PackageError
from scormapi.packages.manifest import parse_manifest

NAMESPACES = (
    'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" '
    'xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" '
    'xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3" '
    'xmlns:imsss="http://www.imsglobal.org/xsd/imsss"'
)
FOURTH = "2004 4th Edition"


def manifest_2004(items: str, *, edition: str = FOURTH, collection: str = "", organization_extra: str = "") -> bytes:
    """A 2004 manifest whose organization holds ``items``, all using one SCO resource."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m2004" version="1" {NAMESPACES}>
  <metadata><schema>ADL SCORM</schema><schemaversion>{edition}</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>Course</title>{items}{organization_extra}</organization>
  </organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="index.html"/>
  </resources>
  {collection}
</manifest>""".encode()


def item(body: str = "", identifier: str = "sco_1") -> str:
    return f'<item identifier="{identifier}" identifierref="r1"><title>Lesson</title>{body}</item>'


def primary(attributes: str = "", body: str = "") -> str:
    return f"<imsss:primaryObjective {attributes}>{body}</imsss:primaryObjective>"


def objectives(inner: str) -> str:
    return f"<imsss:sequencing><imsss:objectives>{inner}</imsss:objectives></imsss:sequencing>"


def only_sco(xml: bytes):
    parsed = parse_manifest(xml)
    [sco] = parsed.scos
    return sco, parsed.warnings


# ---- defaults ------------------------------------------------------------------------------------


def test_an_item_without_settings_has_none():
    sco, warnings = only_sco(manifest_2004(item()))
    assert (sco.completion_threshold, sco.scaled_passing_score, sco.objective_ids) == ("", "", ())
    assert (sco.data_from_lms, sco.max_time_allowed, sco.time_limit_action) == ("", "", "")
    assert warnings == ()


# ---- completion threshold ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("element", "expected"),
    [
        # 4th edition: only completedByMeasure="true" applies minProgressMeasure (default 1.0).
        ('<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.8"/>', "0.8"),
        ('<adlcp:completionThreshold completedByMeasure="1" minProgressMeasure="0.25"/>', "0.25"),
        ('<adlcp:completionThreshold completedByMeasure="true"/>', "1.0"),
        ('<adlcp:completionThreshold completedByMeasure="true" progressWeight="0.5"/>', "1.0"),
        ('<adlcp:completionThreshold minProgressMeasure="0.8"/>', ""),
        ('<adlcp:completionThreshold completedByMeasure="false" minProgressMeasure="0.8"/>', ""),
        ('<adlcp:completionThreshold progressWeight="0.5"/>', ""),
        # 3rd edition: the text is the threshold.
        ("<adlcp:completionThreshold>0.6</adlcp:completionThreshold>", "0.6"),
        ("<adlcp:completionThreshold> 1 </adlcp:completionThreshold>", "1"),
        ("<adlcp:completionThreshold>0</adlcp:completionThreshold>", "0"),
        ("<adlcp:completionThreshold/>", ""),
    ],
)
def test_completion_threshold(element, expected):
    sco, warnings = only_sco(manifest_2004(item(element)))
    assert sco.completion_threshold == expected
    assert warnings == ()


def test_third_edition_threshold_in_a_third_edition_manifest():
    xml = manifest_2004(item("<adlcp:completionThreshold>0.75</adlcp:completionThreshold>"), edition="2004 3rd Edition")
    assert only_sco(xml)[0].completion_threshold == "0.75"


def test_second_edition_manifest_reads_the_same_settings():
    body = "<adlcp:completionThreshold>0.5</adlcp:completionThreshold>" + objectives(
        primary('objectiveID="p1" satisfiedByMeasure="true"', "<imsss:minNormalizedMeasure>0.7</imsss:minNormalizedMeasure>")
    )
    parsed = parse_manifest(manifest_2004(item(body), edition="CAM 1.3"))
    sco = parsed.scos[0]
    assert parsed.scorm_version == "2004"
    assert (sco.completion_threshold, sco.scaled_passing_score, sco.objective_ids) == ("0.5", "0.7", ("p1",))


@pytest.mark.parametrize(
    ("element", "value", "attribute"),
    [
        ("<adlcp:completionThreshold>1.5</adlcp:completionThreshold>", "1.5", ""),
        ("<adlcp:completionThreshold>-0.1</adlcp:completionThreshold>", "-0.1", ""),
        ("<adlcp:completionThreshold>most</adlcp:completionThreshold>", "most", ""),
        ("<adlcp:completionThreshold>1e-1</adlcp:completionThreshold>", "1e-1", ""),
        ('<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="2"/>', "2", " minProgressMeasure"),
        ('<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="NaN"/>', "NaN", " minProgressMeasure"),
    ],
)
def test_a_threshold_outside_0_to_1_is_left_out_with_a_warning(element, value, attribute):
    sco, warnings = only_sco(manifest_2004(item(element)))
    assert sco.completion_threshold == ""
    assert warnings == (
        (f"item 'sco_1': the completion threshold (adlcp:completionThreshold{attribute}) {value!r} "
        "is not a number from 0 to 1, so it was not imported"),
    )


# ---- scaled passing score ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("objective", "expected"),
    [
        (primary('satisfiedByMeasure="true"', "<imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>"), "0.8"),
        (primary('satisfiedByMeasure="true"', "<imsss:minNormalizedMeasure>-0.5</imsss:minNormalizedMeasure>"), "-0.5"),
        (primary('satisfiedByMeasure="true"'), "1.0"),
        (primary('satisfiedByMeasure="false"', "<imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>"), ""),
        (primary("", "<imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>"), ""),
    ],
)
def test_scaled_passing_score(objective, expected):
    sco, warnings = only_sco(manifest_2004(item(objectives(objective))))
    assert sco.scaled_passing_score == expected
    assert warnings == ()


@pytest.mark.parametrize("value", ["1.01", "-2", "eighty"])
def test_a_passing_score_outside_minus_1_to_1_is_left_out_with_a_warning(value):
    objective = primary('satisfiedByMeasure="true"', f"<imsss:minNormalizedMeasure>{value}</imsss:minNormalizedMeasure>")
    sco, warnings = only_sco(manifest_2004(item(objectives(objective))))
    assert sco.scaled_passing_score == ""
    assert warnings == (
        (f"item 'sco_1': the scaled passing score (imsss:minNormalizedMeasure) {value!r} "
        "is not a number from -1 to 1, so it was not imported"),
    )


def test_a_value_too_long_to_store_is_refused_not_cut():
    value = "0." + "5" * 31
    with pytest.raises(PackageError) as error:
        parse_manifest(manifest_2004(item(f"<adlcp:completionThreshold>{value}</adlcp:completionThreshold>")))
    assert error.value.message == (
        "the completion threshold of item 'sco_1' is 33 characters long, more than the 32 allowed"
    )


# ---- objective ids -------------------------------------------------------------------------------


def test_objective_ids_in_document_order_exactly_as_written():
    inner = (
        primary('objectiveID="urn:course:Primary"')
        + '<imsss:objective objectiveID="obj_B"/>'
        + "<imsss:objective/>"  # no id: not an objective record
        + '<imsss:objective objectiveID="obj_b"/>'  # ids are case-sensitive
        + '<imsss:objective objectiveID="obj_a"/>'
    )
    sco, warnings = only_sco(manifest_2004(item(objectives(inner))))
    assert sco.objective_ids == ("urn:course:Primary", "obj_B", "obj_b", "obj_a")
    assert warnings == ()


def test_a_primary_objective_without_an_id_adds_none():
    inner = primary('satisfiedByMeasure="true"') + '<imsss:objective objectiveID="o1"/>'
    assert only_sco(manifest_2004(item(objectives(inner))))[0].objective_ids == ("o1",)


def test_objective_ids_with_white_space_or_repeated_are_left_out_with_a_warning():
    inner = (
        primary('objectiveID="p"')
        + '<imsss:objective objectiveID="two words"/>'
        + '<imsss:objective objectiveID="p"/>'
        + '<imsss:objective objectiveID="q"/>'
    )
    sco, warnings = only_sco(manifest_2004(item(objectives(inner))))
    assert sco.objective_ids == ("p", "q")
    assert warnings == (
        "item 'sco_1': the objective id 'two words' contains white space, so that objective was not imported",
        "item 'sco_1': the objective id 'p' is used by more than one objective, so it was imported once",
    )


# ---- launch data, time limit and its action -------------------------------------------------------


def test_launch_data_time_limit_and_action():
    body = (
        "<adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction>"
        "<adlcp:dataFromLMS>level=2&amp;mode=quiz</adlcp:dataFromLMS>"
        '<imsss:sequencing><imsss:limitConditions attemptAbsoluteDurationLimit="PT1H30M5.25S"/></imsss:sequencing>'
    )
    sco, warnings = only_sco(manifest_2004(item(body)))
    assert (sco.time_limit_action, sco.data_from_lms, sco.max_time_allowed) == (
        "exit,message", "level=2&mode=quiz", "PT1H30M5.25S"
    )
    assert warnings == ()


@pytest.mark.parametrize("value", ["P1Y2M3DT4H5M6S", "PT0S", "P2D", "PT36H"])
def test_durations_kept_as_written(value):
    body = f'<imsss:sequencing><imsss:limitConditions attemptAbsoluteDurationLimit="{value}"/></imsss:sequencing>'
    assert only_sco(manifest_2004(item(body)))[0].max_time_allowed == value


@pytest.mark.parametrize("value", ["01:30:00", "P", "PT", "P0S", "P1W", "PT1H30", "-PT1H", "PT1.123S", "P1DT"])
def test_a_bad_duration_is_left_out_with_a_warning(value):
    body = f'<imsss:sequencing><imsss:limitConditions attemptAbsoluteDurationLimit="{value}"/></imsss:sequencing>'
    sco, warnings = only_sco(manifest_2004(item(body)))
    assert sco.max_time_allowed == ""
    assert warnings == (
        (f"item 'sco_1': the maximum time allowed (imsss:limitConditions attemptAbsoluteDurationLimit) {value!r} "
        "is not an ISO 8601 duration such as PT1H30M, so it was not imported"),
    )


def test_an_unknown_time_limit_action_is_left_out_with_a_warning():
    sco, warnings = only_sco(manifest_2004(item("<adlcp:timeLimitAction>stop</adlcp:timeLimitAction>")))
    assert sco.time_limit_action == ""
    assert warnings == (
        ("item 'sco_1': the time limit action (adlcp:timeLimitAction) 'stop' is not one of 'exit,message', "
        "'exit,no message', 'continue,message', 'continue,no message', so it was not imported and the SCO "
        "reads the default, 'continue,no message'"),
    )


def test_scorm12_time_values_are_not_checked_as_2004_ones():
    xml = manifest_2004(
        item("<adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed><adlcp:timelimitaction>stop</adlcp:timelimitaction>"),
        edition="1.2",
    )
    sco, warnings = only_sco(xml)
    assert (sco.max_time_allowed, sco.time_limit_action, warnings) == ("00:30:00", "stop", ())


def test_every_item_gets_its_own_settings_and_warnings_name_it():
    items = item("<adlcp:completionThreshold>0.3</adlcp:completionThreshold>", "first") + item(
        "<adlcp:completionThreshold>3</adlcp:completionThreshold>", "second"
    )
    parsed = parse_manifest(manifest_2004(items))
    assert [s.completion_threshold for s in parsed.scos] == ["0.3", ""]
    assert parsed.warnings == (
        ("item 'second': the completion threshold (adlcp:completionThreshold) '3' is not a number from 0 to 1, "
        "so it was not imported"),
    )


# ---- sequencing collections --------------------------------------------------------------------------

COLLECTION = """<imsss:sequencingCollection>
    <imsss:sequencing ID="shared">
      <imsss:limitConditions attemptAbsoluteDurationLimit="PT20M"/>
      <imsss:objectives>
        <imsss:primaryObjective objectiveID="shared_primary" satisfiedByMeasure="true">
          <imsss:minNormalizedMeasure>0.5</imsss:minNormalizedMeasure>
        </imsss:primaryObjective>
      </imsss:objectives>
    </imsss:sequencing>
  </imsss:sequencingCollection>"""


def test_idref_reads_the_collection_entry():
    sco, warnings = only_sco(manifest_2004(item('<imsss:sequencing IDRef="shared"/>'), collection=COLLECTION))
    assert (sco.max_time_allowed, sco.scaled_passing_score, sco.objective_ids) == ("PT20M", "0.5", ("shared_primary",))
    assert warnings == ()


def test_the_items_own_parts_override_the_collection_entry():
    own = (
        '<imsss:sequencing IDRef="shared"><imsss:objectives>'
        + primary('objectiveID="mine"')
        + "</imsss:objectives></imsss:sequencing>"
    )
    sco, warnings = only_sco(manifest_2004(item(own), collection=COLLECTION))
    # objectives are the item's own (no passing score); the time limit is the entry's
    assert (sco.max_time_allowed, sco.scaled_passing_score, sco.objective_ids) == ("PT20M", "", ("mine",))
    assert warnings == ()


def test_an_idref_naming_nothing_is_warned_about():
    own = '<imsss:sequencing IDRef="missing"><imsss:limitConditions attemptAbsoluteDurationLimit="PT5M"/></imsss:sequencing>'
    sco, warnings = only_sco(manifest_2004(item(own), collection=COLLECTION))
    assert sco.max_time_allowed == "PT5M"
    assert warnings == (
        ("item 'sco_1': imsss:sequencing IDRef 'missing' names no <imsss:sequencing> of the "
        "imsss:sequencingCollection, so only the item's own sequencing was read"),
    )
