"""Synthetic SCORM 2004 packages: 4th edition manifests that import without
a warning, and SCO pages that drive API_1484_11 as real content does."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import uuid

import pytest
from sqlalchemy import select

from scormapi.packages.manifest import parse_manifest
from scormapi.packages.synthetic import synthetic_scorm2004_package
from scormapi.store.models import Courseware, CoursewareSco
from tests.api.test_import_package import upload
from tests.packages.test_synthetic import files_of
from tests.processes import need_tool

SETTINGS = {
    "identifier": "golf",
    "title": "Golf",
    "completion_threshold": "0.8",
    "scaled_passing_score": "0.6",
    "objective_ids": ["urn:golf:primary", "putting", "Putting"],
    "data_from_lms": "chapter=3&hole=1",
    "max_time_allowed": "PT45M",
    "time_limit_action": "exit,message",
}
SCOS = [
    SETTINGS,
    {"title": "Module", "children": [{"title": "Plain"}, {"title": "Hidden", "visible": False, "objective_ids": ["x"]}]},
]
# (sco_id, completion_threshold, scaled_passing_score, objective_ids, data_from_lms, max_time_allowed,
#  time_limit_action, launch), in manifest order
STORED = [
    ("golf", "0.8", "0.6", "urn:golf:primary putting Putting", "chapter=3&hole=1", "PT45M", "exit,message",
     "sco1/index.html"),
    ("item_2", "", "", "", "", "", "", "sco2/index.html"),
    ("item_3", "", "", "x", "", "", "", "sco3/index.html"),
]


def manifest_xml() -> str:
    return files_of(synthetic_scorm2004_package("Golf <basics>", SCOS))["imsmanifest.xml"]


def test_the_manifest_is_2004_4th_edition_with_its_namespaces():
    xml = manifest_xml()
    assert "<schemaversion>2004 4th Edition</schemaversion>" in xml
    for namespace in ('xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"', 'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"',
                      'xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"',
                      'xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"',
                      'xmlns:imsss="http://www.imsglobal.org/xsd/imsss"'):
        assert namespace in xml
    assert xml.count('adlcp:scormType="sco"') == 3 and "scormtype" not in xml
    assert xml.count("<organization ") == 1


def test_the_item_carries_each_setting_where_the_4th_edition_puts_it():
    xml = manifest_xml()
    golf = xml[xml.index('<item identifier="golf"'):xml.index("</item>")]
    assert re.sub(r">\s+<", "><", golf.strip()) == (
        '<item identifier="golf" identifierref="res_golf"><title>Golf</title>'
        "<adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction>"
        "<adlcp:dataFromLMS>chapter=3&amp;hole=1</adlcp:dataFromLMS>"
        '<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.8"/>'
        '<imsss:sequencing><imsss:limitConditions attemptAbsoluteDurationLimit="PT45M"/>'
        '<imsss:objectives><imsss:primaryObjective objectiveID="urn:golf:primary" satisfiedByMeasure="true">'
        "<imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure></imsss:primaryObjective>"
        '<imsss:objective objectiveID="putting"/><imsss:objective objectiveID="Putting"/>'
        "</imsss:objectives></imsss:sequencing>"
    )


def test_the_parser_reads_every_setting_and_warns_of_nothing():
    manifest = parse_manifest(manifest_xml().encode())
    assert (manifest.title, manifest.scorm_version, manifest.identifier, manifest.warnings) == (
        "Golf <basics>", "2004", "synthetic.golf-basics", ())
    assert [(s.identifier, s.completion_threshold, s.scaled_passing_score, " ".join(s.objective_ids), s.data_from_lms,
             s.max_time_allowed, s.time_limit_action, s.launch) for s in manifest.scos] == STORED
    module = manifest.items[1]
    assert (module.sco, [child.is_visible for child in module.children]) == (None, [True, False])


def test_import_package_stores_the_settings_without_warnings(world, http):
    r = upload(http, world.admin_token, synthetic_scorm2004_package("Golf", SCOS), world.top.id)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["scorm_version"], body["title"], body["api_error_entity"]) == (
        "2004", "Golf", {"error_code": 0, "warning_messages": []})
    assert [sco["sco_id"] for sco in body["scos"]] == ["golf", "item_2", "item_3"]
    courseware_id = uuid.UUID(body["courseware_id"])
    with world.db.read() as s:
        assert s.get(Courseware, courseware_id).scorm_version == "2004"
        rows = s.scalars(select(CoursewareSco).where(CoursewareSco.courseware_id == courseware_id)
                         .order_by(CoursewareSco.ordinal)).all()
        assert [(r.sco_id, r.completion_threshold, r.scaled_passing_score, r.objective_ids, r.data_from_lms,
                 r.max_time_allowed, r.time_limit_action, r.launch) for r in rows] == STORED


def test_world_course_builds_a_2004_course(world):
    course = world.course(scos=2, scorm_version="2004", sco_spec={"completion_threshold": "0.5"})
    assert course.courseware.scorm_version == "2004" and course.sco_ids == ["item_1", "item_2"]
    with world.db.read() as s:
        thresholds = s.scalars(select(CoursewareSco.completion_threshold)
                               .where(CoursewareSco.courseware_id == course.courseware.id)).all()
    assert thresholds == ["0.5", "0.5"]


def test_world_course_still_builds_1_2_by_default(world):
    assert world.course(scos=1, mastery_score=80).courseware.scorm_version == "1.2"


def test_the_same_description_gives_the_same_zip():
    assert synthetic_scorm2004_package("C", SCOS) == synthetic_scorm2004_package("C", SCOS)


@pytest.mark.parametrize(
    "scos, message",
    [
        ([], "at least one SCO"),
        ([{"mastery_score": 80}], "unknown keys"),
        ([{"completion_status": "passed"}], "completion_status 'passed'"),
        ([{"success_status": "completed"}], "success_status 'completed'"),
        ([{"objective_ids": ["has space"]}], "white space"),
        ([{"objective_ids": ["a", "a"]}], "repeat an id"),
        ([{"href": "../x.html"}], "plain relative file path"),
    ],
)
def test_bad_descriptions(scos, message):
    with pytest.raises(ValueError, match=message):
        synthetic_scorm2004_package("C", scos)


def test_objective_ids_alone_make_a_primary_objective_without_a_passing_score():
    xml = files_of(synthetic_scorm2004_package("C", [{"objective_ids": ["a", "b"]}]))["imsmanifest.xml"]
    [sco] = parse_manifest(xml.encode()).scos
    assert (sco.objective_ids, sco.scaled_passing_score) == (("a", "b"), "")
    assert '<imsss:primaryObjective objectiveID="a"/>' in xml


def test_a_passing_score_alone_needs_no_objective_id():
    [sco] = parse_manifest(files_of(synthetic_scorm2004_package("C", [{"scaled_passing_score": "0.7"}]))[
        "imsmanifest.xml"].encode()).scos
    assert (sco.objective_ids, sco.scaled_passing_score) == ((), "0.7")


# ---- the page's JavaScript, run in Node against a recording API_1484_11 -----------------------

NODE_DRIVER = r"""
const vm = require("vm");
const [script, scenarioJson] = process.argv.slice(-2);
const scenario = JSON.parse(scenarioJson);
const calls = [];
const api = {
  Initialize: (a) => { calls.push(["Initialize", a]); return scenario.initialize || "true"; },
  GetValue: (k) => { calls.push(["GetValue", k]); return scenario.values[k] || ""; },
  SetValue: (k, v) => { calls.push(["SetValue", k, v]); return "true"; },
  Terminate: (a) => { calls.push(["Terminate", a]); return "true"; },
  GetLastError: () => "103",
};
function makeWindow(parent) {
  const win = { listeners: {}, opener: null, addEventListener(t, f) { this.listeners[t] = f; } };
  win.parent = parent || win;
  return win;
}
const top = makeWindow(null);
const self = makeWindow(makeWindow(top));
const opener = makeWindow(null);
if (scenario.where === "top") top.API_1484_11 = api;
if (scenario.where === "opener") { opener.API_1484_11 = api; self.opener = opener; }
if (scenario.where === "1.2 only") top.API = api;
const elements = {};
const document = {
  body: { getAttribute: (n) => scenario.attributes[n] },
  getElementById(id) {
    elements[id] = elements[id] || { textContent: "", disabled: false, listeners: {},
      addEventListener(t, f) { this.listeners[t] = f; } };
    return elements[id];
  },
};
vm.runInNewContext(script, { window: self, document });
for (const action of scenario.actions) {
  if (action === "pagehide" || action === "unload") self.listeners[action]();
  else elements[action].listeners.click();
}
console.log(JSON.stringify({ calls, state: elements["lms-state"].textContent,
  entry: (elements["entry"] || {}).textContent || "", disabled: elements["complete"].disabled }));
"""
FRESH = {"cmi.completion_status": "unknown", "cmi.success_status": "unknown", "cmi.entry": "ab-initio"}
DURATION = re.compile(r"^PT\d+H\d+M\d+\.\d{2}S$")


def run_page(page: str, **scenario) -> dict:
    need_tool("node")
    node = shutil.which("node")
    script = re.search(r"<script>(.*)</script>", page, re.DOTALL).group(1)
    attributes = dict(re.findall(r'(data-\w+)="([^"]*)"', page))
    scenario = {"values": FRESH, "actions": [], "attributes": attributes, **scenario}
    result = subprocess.run(
        [node, "-e", NODE_DRIVER, script, json.dumps(scenario)], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def page_of(**spec) -> str:
    return files_of(synthetic_scorm2004_package("C", [spec]))["sco1/index.html"]


def sets(calls: list) -> list:
    return [call[1:] for call in calls if call[0] == "SetValue"]


def test_complete_reports_measures_then_statuses_then_ends_the_attempt():
    page = page_of(score=85, score_scaled="0.85", progress_measure="0.9")
    result = run_page(page, where="top", actions=["complete", "pagehide"])
    calls = result["calls"]
    assert calls[0] == ["Initialize", ""] and calls[-1] == ["Terminate", ""]
    assert [c for c in calls if c[0] == "Terminate"] == [["Terminate", ""]]
    written = sets(calls)
    assert written[0] == ["cmi.completion_status", "incomplete"]
    assert written[1:6] == [["cmi.progress_measure", "0.9"], ["cmi.score.scaled", "0.85"], ["cmi.score.raw", "85"],
                            ["cmi.completion_status", "completed"], ["cmi.success_status", "passed"]]
    assert written[6][0] == "cmi.session_time" and DURATION.match(written[6][1])
    assert written[7:] == [["cmi.exit", "normal"]]
    assert (result["state"], result["entry"], result["disabled"]) == (
        "Completed. You can close this page.", "ab-initio", True)


def test_without_a_score_complete_sets_completion_only():
    written = sets(run_page(page_of(), where="top", actions=["complete"])["calls"])
    assert [w for w in written if w[0] != "cmi.session_time"] == [
        ["cmi.completion_status", "incomplete"], ["cmi.completion_status", "completed"], ["cmi.exit", "normal"]]


def test_suspend_keeps_the_attempt_and_a_resumed_status_is_left_alone():
    values = {"cmi.completion_status": "incomplete", "cmi.success_status": "unknown", "cmi.entry": "resume"}
    result = run_page(page_of(score=70), where="opener", values=values, actions=["suspend"])
    written = sets(result["calls"])
    assert [w[0] for w in written] == ["cmi.session_time", "cmi.exit"] and written[1] == ["cmi.exit", "suspend"]
    assert (result["entry"], result["state"]) == ("resume", "Suspended. You can come back later.")


def test_leaving_the_page_suspends():
    written = sets(run_page(page_of(), where="top", actions=["unload"])["calls"])
    assert written[-1] == ["cmi.exit", "suspend"]


def test_a_1_2_api_is_not_taken_for_a_2004_one():
    result = run_page(page_of(), where="1.2 only", actions=["complete"])
    assert (result["calls"], result["state"], result["disabled"]) == (
        [], "No SCORM 2004 LMS was found; nothing will be recorded.", True)


def test_a_refused_initialize_records_nothing():
    result = run_page(page_of(), where="top", initialize="false", actions=["complete"])
    assert result["calls"] == [["Initialize", ""]]
    assert result["state"] == "The LMS refused to start this lesson (error 103)."
