"""The element table against SCORM12.md, name resolution and the JSON export."""

import json
import re

import pytest

from scormapi.cmi.engine import Resolved
from scormapi.cmi.scorm12 import ELEMENTS, SUSPEND_DATA_LIMIT, resolve, table_json
from scormapi.cmi.scorm12.errors import ERROR_STRINGS, ScormError
from scormapi.cmi.scorm12.types import TYPES

CORE_CHILDREN = ("student_id,student_name,lesson_location,credit,lesson_status,entry,score,"
                 "total_time,lesson_mode,exit,session_time")
INTERACTION_CHILDREN = ("id,objectives,time,type,correct_responses,weighting,"
                        "student_response,result,latency")

CMI_CHILDREN = ("core,suspend_data,launch_data,comments,objectives,student_data,"
                "student_preference,interactions")

# SCORM12.md's element table, transcribed: pattern -> (type, access, keyword value).
# cmi._children is ours (SCORM 1.2 leaves it out): the value Moodle and
# scorm-again answer.
SPEC = {
    "cmi._version": ("CMIString255", "RO", "3.4"),
    "cmi._children": ("CMIString255", "RO", CMI_CHILDREN),
    "cmi.core._children": ("CMIString255", "RO", CORE_CHILDREN),
    "cmi.core.student_id": ("CMIIdentifier", "RO", None),
    "cmi.core.student_name": ("CMIString255", "RO", None),
    "cmi.core.lesson_location": ("CMIString255", "RW", None),
    "cmi.core.credit": ("CMIVocabulary.credit", "RO", None),
    "cmi.core.lesson_status": ("CMIVocabulary.status", "RW", None),
    "cmi.core.entry": ("CMIVocabulary.entry", "RO", None),
    "cmi.core.score._children": ("CMIString255", "RO", "raw,min,max"),
    "cmi.core.score.raw": ("CMIScore", "RW", None),
    "cmi.core.score.min": ("CMIScore", "RW", None),
    "cmi.core.score.max": ("CMIScore", "RW", None),
    "cmi.core.total_time": ("CMITimespan", "RO", None),
    "cmi.core.lesson_mode": ("CMIVocabulary.mode", "RO", None),
    "cmi.core.exit": ("CMIVocabulary.exit", "WO", None),
    "cmi.core.session_time": ("CMITimespan", "WO", None),
    "cmi.suspend_data": ("CMIString4096", "RW", None),
    "cmi.launch_data": ("CMIString4096", "RO", None),
    "cmi.comments": ("CMIString4096", "RW", None),
    "cmi.comments_from_lms": ("CMIString4096", "RO", None),
    "cmi.objectives._children": ("CMIString255", "RO", "id,score,status"),
    "cmi.objectives._count": ("CMIInteger", "RO", None),
    "cmi.objectives.n.id": ("CMIIdentifier", "RW", None),
    "cmi.objectives.n.score._children": ("CMIString255", "RO", "raw,min,max"),
    "cmi.objectives.n.score.raw": ("CMIScore", "RW", None),
    "cmi.objectives.n.score.min": ("CMIScore", "RW", None),
    "cmi.objectives.n.score.max": ("CMIScore", "RW", None),
    "cmi.objectives.n.status": ("CMIVocabulary.status", "RW", None),
    "cmi.student_data._children": (
        "CMIString255", "RO", "mastery_score,max_time_allowed,time_limit_action"),
    "cmi.student_data.mastery_score": ("CMIDecimal", "RO", None),
    "cmi.student_data.max_time_allowed": ("CMITimespan", "RO", None),
    "cmi.student_data.time_limit_action": ("CMIVocabulary.time_limit_action", "RO", None),
    "cmi.student_preference._children": ("CMIString255", "RO", "audio,language,speed,text"),
    "cmi.student_preference.audio": ("CMIAudio", "RW", None),
    "cmi.student_preference.language": ("CMIString255", "RW", None),
    "cmi.student_preference.speed": ("CMISpeed", "RW", None),
    "cmi.student_preference.text": ("CMIText", "RW", None),
    "cmi.interactions._children": ("CMIString255", "RO", INTERACTION_CHILDREN),
    "cmi.interactions._count": ("CMIInteger", "RO", None),
    "cmi.interactions.n.id": ("CMIIdentifier", "WO", None),
    "cmi.interactions.n.objectives._count": ("CMIInteger", "RO", None),
    "cmi.interactions.n.objectives.n.id": ("CMIIdentifier", "WO", None),
    "cmi.interactions.n.time": ("CMITime", "WO", None),
    "cmi.interactions.n.type": ("CMIVocabulary.interaction_type", "WO", None),
    "cmi.interactions.n.correct_responses._count": ("CMIInteger", "RO", None),
    "cmi.interactions.n.correct_responses.n.pattern": ("CMIFeedback", "WO", None),
    "cmi.interactions.n.weighting": ("CMIDecimal", "WO", None),
    "cmi.interactions.n.student_response": ("CMIFeedback", "WO", None),
    "cmi.interactions.n.result": ("CMIVocabulary.result", "WO", None),
    "cmi.interactions.n.latency": ("CMITimespan", "WO", None),
}
BY_PATTERN = {e.pattern: e for e in ELEMENTS}


def test_table_has_exactly_the_spec_elements():
    assert len(BY_PATTERN) == len(ELEMENTS)
    assert set(BY_PATTERN) == set(SPEC)


@pytest.mark.parametrize("pattern", sorted(SPEC))
def test_element_matches_spec(pattern):
    element = BY_PATTERN[pattern]
    type_name, access, value = SPEC[pattern]
    assert (element.type, element.access, element.value) == (type_name, access, value)
    assert element.type in TYPES
    leaf = pattern.rsplit(".", 1)[1]
    expected_keyword = {"_children": "children", "_count": "count", "_version": "version"}
    assert element.keyword == expected_keyword.get(leaf)


def test_only_lesson_status_excludes_content_values():
    excluded = {e.pattern: e.content_excluded for e in ELEMENTS if e.content_excluded}
    assert excluded == {"cmi.core.lesson_status": ("not attempted",)}


def test_only_suspend_data_has_an_operator_limit():
    assert [e.pattern for e in ELEMENTS if e.operator_limit] == ["cmi.suspend_data"]


@pytest.mark.parametrize(
    ("name", "pattern", "indexes"),
    [
        ("cmi.core.lesson_status", "cmi.core.lesson_status", ()),
        ("cmi.interactions.0.id", "cmi.interactions.n.id", (0,)),
        ("cmi.interactions.12.objectives.3.id", "cmi.interactions.n.objectives.n.id", (12, 3)),
        ("cmi.interactions.1.correct_responses.0.pattern",
         "cmi.interactions.n.correct_responses.n.pattern", (1, 0)),
        ("cmi.interactions.4.objectives._count", "cmi.interactions.n.objectives._count", (4,)),
        ("cmi.objectives.999999999.score.raw", "cmi.objectives.n.score.raw", (999999999,)),
    ],
)
def test_resolve_known(name, pattern, indexes):
    resolved = resolve(name)
    assert isinstance(resolved, Resolved)
    assert (resolved.name, resolved.element.pattern, resolved.indexes) == (name, pattern, indexes)


def test_resolve_names_the_arrays_it_indexes():
    resolved = resolve("cmi.interactions.2.objectives.0.id")
    assert resolved.arrays == (("cmi.interactions", 2), ("cmi.interactions.2.objectives", 0))


@pytest.mark.parametrize(
    ("name", "error"),
    [
        # not in the model at all
        ("", ScormError.NOT_IMPLEMENTED),
        ("cmi", ScormError.NOT_IMPLEMENTED),
        ("cmi.", ScormError.NOT_IMPLEMENTED),
        ("cmi.foo", ScormError.NOT_IMPLEMENTED),
        ("CMI.core.lesson_status", ScormError.NOT_IMPLEMENTED),
        ("adl.nav.request", ScormError.NOT_IMPLEMENTED),
        ("cmi.completion_status", ScormError.NOT_IMPLEMENTED),
        ("cmi.foo.bar", ScormError.NOT_IMPLEMENTED),
        ("cmi.core.foo.bar", ScormError.NOT_IMPLEMENTED),
        ("cmi.interactions.n.id", ScormError.NOT_IMPLEMENTED),
        ("cmi.5.id", ScormError.NOT_IMPLEMENTED),
        (None, ScormError.NOT_IMPLEMENTED),
        (["cmi.core"], ScormError.NOT_IMPLEMENTED),
        # unknown leaf under a known parent
        ("cmi.core.foo", ScormError.INVALID_ARGUMENT),
        ("cmi.core.", ScormError.INVALID_ARGUMENT),
        ("cmi.core.Lesson_Status", ScormError.INVALID_ARGUMENT),
        ("cmi.core.score.foo", ScormError.INVALID_ARGUMENT),
        ("cmi.core.student_id.foo", ScormError.INVALID_ARGUMENT),
        ("cmi.core._version", ScormError.INVALID_ARGUMENT),
        ("cmi.core.5", ScormError.INVALID_ARGUMENT),
        ("cmi.interactions.x", ScormError.INVALID_ARGUMENT),
        ("cmi.interactions.0", ScormError.INVALID_ARGUMENT),
        ("cmi.interactions.0.foo", ScormError.INVALID_ARGUMENT),
        ("cmi.interactions.0.objectives.0", ScormError.INVALID_ARGUMENT),
        ("cmi.objectives.0.score.foo", ScormError.INVALID_ARGUMENT),
        # indexes must be canonical and at most nine digits
        ("cmi.interactions.01.id", ScormError.INVALID_ARGUMENT),
        ("cmi.interactions.00.id", ScormError.INVALID_ARGUMENT),
        ("cmi.interactions.1000000000.id", ScormError.INVALID_ARGUMENT),
        ("cmi.interactions." + "9" * 5000 + ".id", ScormError.INVALID_ARGUMENT),
        # _children of a node without it
        ("cmi._children._children", ScormError.CANNOT_HAVE_CHILDREN),
        ("cmi._version._children", ScormError.CANNOT_HAVE_CHILDREN),
        ("cmi.core.student_id._children", ScormError.CANNOT_HAVE_CHILDREN),
        ("cmi.core.lesson_status._children", ScormError.CANNOT_HAVE_CHILDREN),
        ("cmi.suspend_data._children", ScormError.CANNOT_HAVE_CHILDREN),
        ("cmi.core._children._children", ScormError.CANNOT_HAVE_CHILDREN),
        ("cmi.interactions.0._children", ScormError.CANNOT_HAVE_CHILDREN),
        ("cmi.interactions.0.objectives._children", ScormError.CANNOT_HAVE_CHILDREN),
        ("cmi.interactions.0.correct_responses._children", ScormError.CANNOT_HAVE_CHILDREN),
        # _count of a node that is not an array
        ("cmi._count", ScormError.NOT_AN_ARRAY),
        ("cmi.core._count", ScormError.NOT_AN_ARRAY),
        ("cmi.core.score._count", ScormError.NOT_AN_ARRAY),
        ("cmi.core.lesson_status._count", ScormError.NOT_AN_ARRAY),
        ("cmi.student_preference._count", ScormError.NOT_AN_ARRAY),
        ("cmi.interactions.0._count", ScormError.NOT_AN_ARRAY),
        ("cmi.interactions.0.id._count", ScormError.NOT_AN_ARRAY),
        # the keyword of an unknown node is just unknown
        ("cmi.foo._children", ScormError.NOT_IMPLEMENTED),
        ("cmi.foo._count", ScormError.NOT_IMPLEMENTED),
        # keywords are lowercase, like every name
        ("cmi._CHILDREN", ScormError.NOT_IMPLEMENTED),
    ],
    ids=lambda p: repr(p)[:50],
)
def test_resolve_errors(name, error):
    assert resolve(name) == error


def test_table_json_is_json_and_deterministic():
    data = table_json()
    text = json.dumps(data, sort_keys=True)
    assert json.loads(text) == data
    assert json.dumps(table_json(), sort_keys=True) == text
    assert list(data["types"]) == sorted(data["types"])


def test_table_json_contents():
    data = table_json()
    assert data["version"] == "3.4"
    assert data["regex_flags"] == "u"
    assert [e["pattern"] for e in data["elements"]] == [e.pattern for e in ELEMENTS]
    assert {e["type"] for e in data["elements"]} <= set(data["types"])
    assert set(data["types"]) == set(TYPES)
    assert data["errors"] == {str(k): v for k, v in ERROR_STRINGS.items()}
    assert data["arrays"] == {
        "cmi.interactions": [
            "id", "objectives.0.id", "time", "type", "correct_responses.0.pattern",
            "weighting", "student_response", "result", "latency",
        ],
        "cmi.interactions.n.correct_responses": ["pattern"],
        "cmi.interactions.n.objectives": ["id"],
        "cmi.objectives": ["id", "score.raw", "score.min", "score.max", "status"],
    }
    index = re.compile(data["index_regex"])
    assert index.match("0") and index.match("123456789")
    assert not index.match("01") and not index.match("1234567890")


def test_table_json_elements_carry_access_keywords_and_limits():
    elements = {e["pattern"]: e for e in table_json(suspend_data_limit=64000)["elements"]}
    assert elements["cmi.suspend_data"]["max_length"] == 64000
    assert elements["cmi.comments"]["max_length"] is None
    assert elements["cmi._version"] == {
        "pattern": "cmi._version", "type": "CMIString255", "access": "RO",
        "keyword": "version", "value": "3.4", "content_excluded": [], "max_length": None,
    }
    # The browser answers cmi._children from this row alone.
    assert elements["cmi._children"] == {
        "pattern": "cmi._children", "type": "CMIString255", "access": "RO",
        "keyword": "children", "value": CMI_CHILDREN, "content_excluded": [], "max_length": None,
    }
    assert elements["cmi.core.lesson_status"]["content_excluded"] == ["not attempted"]
    assert elements["cmi.interactions._count"]["keyword"] == "count"
    default = {e["pattern"]: e for e in table_json()["elements"]}
    assert default["cmi.suspend_data"]["max_length"] == SUSPEND_DATA_LIMIT
