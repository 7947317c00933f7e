"""A scripted SCO calls the browser's run-time API and records every return
value and error code: the error cases of SCORM12.md, then a round trip of
every read-write element, checked again on the server after LMSFinish."""
from __future__ import annotations

import pytest

from scormapi.cmi.scorm12 import table_json
from tests.api.scorm_helpers import get_cmi, values
from tests.e2e.scripted import run_script, scripted_package
from tests.player.helpers import enrolled_course

pytestmark = pytest.mark.e2e

T, F = "true", "false"
CORE_CHILDREN = "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time"
# Not in SCORM 1.2's data model; the answer Moodle and scorm-again give.
CMI_CHILDREN = "core,suspend_data,launch_data,comments,objectives,student_data,student_preference,interactions"

# A valid value per type of the read-write elements. A type missing here
# fails the test: a new RW element must get a sample.
SAMPLES = {
    "CMIString255": "Chapter 3 – page 2 ✓",
    "CMIString4096": "resume:" + "ab" * 1500,
    "CMIScore": "85.5",
    "CMIIdentifier": "obj-1",
    "CMIVocabulary.status": "passed",
    "CMIAudio": "50",
    "CMISpeed": "-20",
    "CMIText": "1",
}


def call(function, *args):
    return [function, *args]


# (call, expected value, expected LMSGetLastError)
BEFORE_INITIALIZE = [
    (call("LMSGetValue", "cmi.core.lesson_status"), "", "301"),
    (call("LMSSetValue", "cmi.core.lesson_location", "x"), F, "301"),
    (call("LMSCommit", ""), F, "301"),
    (call("LMSFinish", ""), F, "301"),
    (call("LMSInitialize", "x"), F, "201"),
    (call("LMSInitialize", ""), T, "0"),
    (call("LMSInitialize", ""), F, "101"),
]

ERRORS = [
    # reading: keywords, write-only, unknown names
    (call("LMSGetValue", "cmi._version"), "3.4", "0"),
    (call("LMSGetValue", "cmi.core._children"), CORE_CHILDREN, "0"),
    (call("LMSGetValue", "cmi._children"), CMI_CHILDREN, "0"),
    (call("LMSGetValue", "cmi.core.lesson_status"), "not attempted", "0"),
    (call("LMSGetValue", "cmi.core.entry"), "ab-initio", "0"),
    (call("LMSGetValue", "cmi.core.credit"), "credit", "0"),
    # the error functions report; they leave the last error as it was
    (call("LMSGetErrorString", "403"), "Element is read only", "0"),
    (call("LMSGetErrorString", "0"), "No error", "0"),
    (call("LMSGetErrorString", "999"), "", "0"),
    (call("LMSGetValue", "cmi.launch_data"), "chapter=3", "0"),
    (call("LMSGetValue", "cmi.student_data.mastery_score"), "80", "0"),
    (call("LMSGetValue", "cmi.core.exit"), "", "404"),
    (call("LMSGetValue", "cmi.core.session_time"), "", "404"),
    (call("LMSGetValue", "cmi.core.bogus"), "", "201"),
    (call("LMSGetValue", "cmi.bogus"), "", "401"),
    (call("LMSGetValue", "adl.nav.request"), "", "401"),
    (call("LMSGetValue", ""), "", "401"),
    (call("LMSGetValue", "cmi.core.lesson_status._children"), "", "202"),
    (call("LMSGetValue", "cmi.core._count"), "", "203"),
    (call("LMSGetValue", "cmi.core.score._count"), "", "203"),
    (call("LMSGetLastError"), "203", "203"),
    (call("LMSGetDiagnostic", "203"), "Element not an array - cannot have count: cmi.core.score._count", "203"),
    # writing: read-only, keywords, bad values
    (call("LMSSetValue", "cmi.core.student_id", "me"), F, "403"),
    (call("LMSSetValue", "cmi.core.total_time", "0001:00:00"), F, "403"),
    (call("LMSSetValue", "cmi.core.credit", "no-credit"), F, "403"),
    (call("LMSSetValue", "cmi.launch_data", "x"), F, "403"),
    (call("LMSSetValue", "cmi.core._children", "x"), F, "402"),
    (call("LMSSetValue", "cmi._children", "core"), F, "402"),
    (call("LMSGetDiagnostic", ""), "Invalid set value, element is a keyword: cmi._children", "402"),
    (call("LMSSetValue", "cmi._version", "4.0"), F, "402"),
    (call("LMSSetValue", "cmi.interactions._count", "3"), F, "402"),
    (call("LMSSetValue", "cmi.core.lesson_status", "not attempted"), F, "405"),
    (call("LMSSetValue", "cmi.core.lesson_status", "Passed"), F, "405"),
    (call("LMSSetValue", "cmi.core.score.raw", "101"), F, "405"),
    (call("LMSSetValue", "cmi.core.score.raw", "ten"), F, "405"),
    (call("LMSSetValue", "cmi.core.session_time", "1:00:00"), F, "405"),
    (call("LMSSetValue", "cmi.core.exit", "quit"), F, "405"),
    (call("LMSSetValue", "cmi.student_preference.text", "2"), F, "405"),
    (call("LMSSetValue", "cmi.suspend_data", "x" * 64001), F, "405"),
    (call("LMSSetValue", "cmi.core.bogus", "x"), F, "201"),
    (call("LMSSetValue", "cmi.bogus", "x"), F, "401"),
    # arrays are written in order: n <= _count
    (call("LMSGetValue", "cmi.objectives._count"), "0", "0"),
    (call("LMSSetValue", "cmi.objectives.1.id", "obj-2"), F, "201"),
    (call("LMSSetValue", "cmi.objectives.00.id", "obj-2"), F, "201"),
    (call("LMSGetValue", "cmi.objectives.0.id"), "", "201"),
    (call("LMSSetValue", "cmi.interactions.0.id", "q1"), T, "0"),
    (call("LMSSetValue", "cmi.interactions.0.type", "choice"), T, "0"),
    (call("LMSSetValue", "cmi.interactions.0.objectives.0.id", "obj-1"), T, "0"),
    (call("LMSSetValue", "cmi.interactions.0.correct_responses.0.pattern", "a"), T, "0"),
    (call("LMSSetValue", "cmi.interactions.0.time", "12:30:05"), T, "0"),
    (call("LMSSetValue", "cmi.interactions.0.weighting", "1"), T, "0"),
    (call("LMSSetValue", "cmi.interactions.0.student_response", "b"), T, "0"),
    (call("LMSSetValue", "cmi.interactions.0.result", "0.5"), T, "0"),
    (call("LMSSetValue", "cmi.interactions.0.latency", "0000:00:05.25"), T, "0"),
    (call("LMSSetValue", "cmi.interactions.2.id", "q3"), F, "201"),
    (call("LMSGetValue", "cmi.interactions._count"), "1", "0"),
    (call("LMSGetValue", "cmi.interactions.0.objectives._count"), "1", "0"),
    (call("LMSGetValue", "cmi.interactions.0.correct_responses._count"), "1", "0"),
    (call("LMSGetValue", "cmi.interactions.0.id"), "", "404"),
    (call("LMSGetValue", "cmi.interactions._children"),
     "id,objectives,time,type,correct_responses,weighting,student_response,result,latency", "0"),
    # an item set again after later items keeps its place in the commit
    (call("LMSSetValue", "cmi.interactions.1.id", "q2"), T, "0"),
    (call("LMSSetValue", "cmi.interactions.0.id", "q1-again"), T, "0"),
    # write-only elements accept values; numbers convert to strings
    (call("LMSSetValue", "cmi.core.session_time", "0000:00:02.50"), T, "0"),
    (call("LMSSetValue", "cmi.core.exit", "suspend"), T, "0"),
    (call("LMSSetValue", "cmi.suspend_data", "x" * 64000), T, "0"),
    (call("LMSSetValue", "cmi.core.lesson_location", 7), T, "0"),
    (call("LMSGetValue", "cmi.core.lesson_location"), "7", "0"),
]


def read_write_names() -> list[tuple[str, str]]:
    """(concrete name, type) of every RW element, arrays at index 0."""
    table = table_json()
    return [(e["pattern"].replace(".n.", ".0."), e["type"]) for e in table["elements"]
            if e["access"] == "RW" and e["keyword"] is None]


def round_trip() -> list[tuple]:
    steps = []
    for name, type_name in read_write_names():
        steps.append((call("LMSSetValue", name, SAMPLES[type_name]), T, "0"))
        steps.append((call("LMSGetValue", name), SAMPLES[type_name], "0"))
    # Objectives may be "not attempted", unlike the SCO's own status.
    steps.append((call("LMSSetValue", "cmi.objectives.0.status", "not attempted"), T, "0"))
    return steps


AFTER = [
    (call("LMSCommit", "x"), F, "201"),
    (call("LMSCommit", ""), T, "0"),
    (call("LMSFinish", "x"), F, "201"),
    (call("LMSFinish", ""), T, "0"),
    (call("LMSGetValue", "cmi.core.lesson_status"), "", "301"),
    (call("LMSSetValue", "cmi.core.lesson_location", "late"), F, "301"),
    (call("LMSCommit", ""), F, "301"),
    (call("LMSFinish", ""), F, "301"),
    (call("LMSInitialize", ""), F, "101"),
    (call("LMSGetLastError"), "101", "101"),
    (call("LMSGetErrorString", "101"), "General exception", "101"),
]


def test_every_error_code_and_round_trip(world, learner_browser, http):
    script = BEFORE_INITIALIZE + ERRORS + round_trip() + AFTER
    package = scripted_package([step for step, _, _ in script], mastery_score="80", data_from_lms="chapter=3")
    course = enrolled_course(world, package)
    tab = learner_browser
    tab.sign_in(course.learner.login)
    tab.page.get_by_role("link", name="Scripted SCO", exact=True).click()

    results = run_script(tab)
    assert len(results) == len(script)
    expected = [[value, error] for _, value, error in script]
    mismatches = [(step, got, want) for (step, _, _), got, want in zip(script, results, expected, strict=True)
                  if got != want]
    assert mismatches == []

    tab.wait_state("finished")
    names = [name for name, _ in read_write_names()]
    extra = ["cmi.core.total_time", "cmi.core.exit", "cmi.interactions.0.result", "cmi.interactions.0.latency",
             "cmi.objectives.0.status", "cmi.interactions.0.id", "cmi.interactions.1.id"]
    stored = values(get_cmi(world, course, names + extra))[0]
    for name, type_name in read_write_names():
        if name != "cmi.objectives.0.status":
            assert stored[name] == SAMPLES[type_name], name
    assert stored["cmi.objectives.0.status"] == "not attempted"
    assert stored["cmi.core.total_time"] == "0000:00:02.50"
    assert stored["cmi.core.exit"] == "suspend"
    assert stored["cmi.interactions.0.result"] == "0.5"
    assert stored["cmi.interactions.0.latency"] == "0000:00:05.25"
    assert (stored["cmi.interactions.0.id"], stored["cmi.interactions.1.id"]) == ("q1-again", "q2")
