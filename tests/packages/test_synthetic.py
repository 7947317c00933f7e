"""Synthetic SCORM 1.2 packages: valid manifests and SCO pages that really work."""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scormapi.packages.importer import build_zip, synthetic_scorm12_package
from scormapi.packages.manifest import parse_manifest
from tests.processes import need_tool


def files_of(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_build_zip_round_trip():
    data = build_zip({"a.txt": "héllo", "dir/b.bin": b"\x00\x01"})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("a.txt") == "héllo".encode()
        assert archive.read("dir/b.bin") == b"\x00\x01"
    assert build_zip({"a.txt": "x"}) == build_zip({"a.txt": "x"})


def test_round_trip_through_the_parser():
    scos = [
        {"identifier": "intro", "title": "Introduction", "mastery_score": 80, "score": 90},
        {
            "identifier": "module_a",
            "title": "Module A",
            "children": [
                {"title": "Lesson", "data_from_lms": "level=2", "parameters": "?mode=x"},
                {
                    "title": "Hidden",
                    "visible": False,
                    "max_time_allowed": "00:10:00",
                    "time_limit_action": "exit,message",
                },
            ],
        },
    ]
    data = synthetic_scorm12_package("Course <A & B>", scos)
    manifest = parse_manifest(files_of(data)["imsmanifest.xml"].encode())
    assert (manifest.title, manifest.scorm_version, manifest.identifier) == (
        "Course <A & B>",
        "1.2",
        "synthetic.course-a-b",
    )
    assert [(s.identifier, s.title, s.launch) for s in manifest.scos] == [
        ("intro", "Introduction", "sco1/index.html"),
        ("item_2", "Lesson", "sco2/index.html?mode=x"),
        ("item_3", "Hidden", "sco3/index.html"),
    ]
    intro, lesson, hidden = manifest.scos
    assert intro.mastery_score == "80"
    assert lesson.data_from_lms == "level=2"
    assert (hidden.max_time_allowed, hidden.time_limit_action) == ("00:10:00", "exit,message")
    module = manifest.items[1]
    assert (module.identifier, module.sco, module.is_visible) == ("module_a", None, True)
    assert [child.is_visible for child in module.children] == [True, False]


def test_one_page_per_sco_carrying_its_score_and_status():
    data = synthetic_scorm12_package("C", [{"score": 75}, {"status": "failed"}, {"href": "custom/start.html"}])
    files = files_of(data)
    assert sorted(files) == ["custom/start.html", "imsmanifest.xml", "sco1/index.html", "sco2/index.html"]
    assert 'data-score="75" data-status="passed"' in files["sco1/index.html"]
    assert 'data-score="" data-status="failed"' in files["sco2/index.html"]
    assert 'data-score="" data-status="completed"' in files["custom/start.html"]


def test_page_is_self_contained():
    page = files_of(synthetic_scorm12_package("C", [{"title": "<script>alert(1)</script>"}]))["sco1/index.html"]
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    assert not re.search(r"""(src|href)=["'](https?:)?//""", page)


@pytest.mark.parametrize(
    "scos, message",
    [
        ([], "at least one SCO"),
        ([{"children": []}], "has no children"),
        ([{"titel": "typo"}], "unknown keys"),
        ([{"children": [{}], "score": 1}], "unknown keys"),
        ([{"identifier": "a"}, {"identifier": "a"}], "used twice"),
        ([{"identifier": "has space"}], "not a valid XML identifier"),
        ([{"href": "../x.html"}], "plain relative file path"),
        ([{"href": "a.html"}, {"href": "a.html"}], "two SCOs use the launch page"),
        ([{"status": "done"}], "status 'done'"),
    ],
)
def test_bad_descriptions(scos, message):
    with pytest.raises(ValueError, match=message):
        synthetic_scorm12_package("C", scos)


XML_TEXT = st.characters(blacklist_categories=("Cs", "Cc", "Cn"))


def collapse(text: str) -> str:
    """Titles come back with their whitespace normalised."""
    return " ".join(text.split())


@settings(max_examples=50, deadline=None)
@given(
    st.text(XML_TEXT, min_size=1, max_size=40).filter(str.strip),
    st.lists(st.text(XML_TEXT, min_size=1, max_size=30), min_size=1, max_size=4),
)
def test_any_titles_survive(title, sco_titles):
    data = synthetic_scorm12_package(title, [{"title": t} for t in sco_titles])
    manifest = parse_manifest(files_of(data)["imsmanifest.xml"].encode())
    assert manifest.title == collapse(title)
    assert [sco.title for sco in manifest.scos] == [collapse(t) or f"item_{n}" for n, t in enumerate(sco_titles, 1)]


# ---- the SCO page's JavaScript, run in Node against a fake LMS ----------------------------------

# Frames, an opener and a recording API; then the given actions.
NODE_DRIVER = r"""
const vm = require("vm");
const [script, scenarioJson] = process.argv.slice(-2);
const scenario = JSON.parse(scenarioJson);
const calls = [];
const api = {
  LMSInitialize: (a) => { calls.push(["LMSInitialize", a]); return "true"; },
  LMSGetValue: (k) => { calls.push(["LMSGetValue", k]); return k === "cmi.core.lesson_status" ? scenario.status : ""; },
  LMSSetValue: (k, v) => { calls.push(["LMSSetValue", k, v]); return "true"; },
  LMSFinish: (a) => { calls.push(["LMSFinish", a]); return "true"; },
  LMSGetLastError: () => "0",
};
function makeWindow(parent) {
  const win = { listeners: {}, opener: null, addEventListener(t, f) { this.listeners[t] = f; } };
  win.parent = parent || win;
  return win;
}
const top = makeWindow(null);
const middle = makeWindow(top);
const self = makeWindow(middle);
const opener = makeWindow(null);
if (scenario.where === "top") top.API = api;
if (scenario.where === "opener") opener.API = api;
if (scenario.opener) self.opener = opener;
if (scenario.crossOrigin) Object.defineProperty(middle, "API", { get() { throw new Error("SecurityError"); } });
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
  disabled: elements["complete"].disabled }));
"""


def run_page(page: str, **scenario) -> dict:
    need_tool("node")
    node = shutil.which("node")
    script = re.search(r"<script>(.*)</script>", page, re.DOTALL).group(1)
    attributes = dict(re.findall(r'(data-\w+)="([^"]*)"', page))
    scenario = {"status": "not attempted", "opener": False, "actions": [], "attributes": attributes, **scenario}
    result = subprocess.run(
        [node, "-e", NODE_DRIVER, script, json.dumps(scenario)], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def sco_page(**spec) -> str:
    return files_of(synthetic_scorm12_package("C", [spec]))["sco1/index.html"]


def sets(calls: list) -> list:
    return [call[1:] for call in calls if call[0] == "LMSSetValue"]


TIMESPAN = re.compile(r"^\d{2,4}:[0-5]\d:[0-5]\d\.\d{2}$")


def test_page_complete_reports_score_and_status():
    result = run_page(sco_page(score=85), where="top", actions=["complete", "pagehide"])
    calls = result["calls"]
    assert calls[0] == ["LMSInitialize", ""]
    assert ["LMSGetValue", "cmi.core.lesson_status"] in calls
    values = sets(calls)
    assert values[0] == ["cmi.core.lesson_status", "incomplete"]
    assert values[1:3] == [["cmi.core.score.raw", "85"], ["cmi.core.lesson_status", "passed"]]
    assert values[3][0] == "cmi.core.session_time" and TIMESPAN.match(values[3][1])
    assert values[4] == ["cmi.core.exit", ""]
    assert calls[-1] == ["LMSFinish", ""]
    assert [c[0] for c in calls].count("LMSFinish") == 1
    assert result["disabled"] is True


def test_page_suspend_via_the_opener_window():
    result = run_page(sco_page(), where="opener", opener=True, actions=["suspend"])
    assert sets(result["calls"])[-1] == ["cmi.core.exit", "suspend"]
    assert result["calls"][-1] == ["LMSFinish", ""]


def test_page_resumed_attempt_keeps_its_status_and_finishes_on_unload():
    result = run_page(sco_page(), where="top", status="incomplete", actions=["unload"])
    values = sets(result["calls"])
    assert [v[0] for v in values] == ["cmi.core.session_time"]
    assert result["calls"][-1] == ["LMSFinish", ""]


def test_page_looks_past_a_cross_origin_frame_to_the_opener():
    result = run_page(sco_page(), where="opener", opener=True, crossOrigin=True, actions=["complete"])
    assert result["calls"][0] == ["LMSInitialize", ""]
    assert sets(result["calls"])[1] == ["cmi.core.lesson_status", "completed"]


def test_page_without_an_lms():
    result = run_page(sco_page(), where="nowhere", actions=["complete", "pagehide"])
    assert result["calls"] == []
    assert "No SCORM 1.2 LMS" in result["state"]
    assert result["disabled"] is True
