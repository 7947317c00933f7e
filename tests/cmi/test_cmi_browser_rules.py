"""The player's shipped JavaScript gives the answers the Python engine gives.

Node.js runs src/scormapi/player/static/rules.js, as the run-time page loads
it, on the table JSON the server sends, and its get/set/validate/itemCount
outcomes are compared with the engine's (`scorm12.MODEL`) by name, and,
through the table's `error_codes`, with scorm12's numbers. One more test
drives window.API from the shipped api12.js over a recording transport.

Without Node.js the tests are skipped, except under CI=true, where .ci/run
installs it and a missing `node` fails them.
"""

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from cmi_samples import CASES, concrete
from test_engine import MODEL as TOY_MODEL
from test_engine_rules_2004 import MODEL as TOY_2004_MODEL

from scormapi.cmi.outcomes import Outcome
from scormapi.cmi.scorm12 import (
    ELEMENTS,
    MODEL,
    SUSPEND_DATA_LIMIT,
    LaunchContext,
    get_value,
    initial_state,
    item_count,
    set_value,
    table_json,
    validate_value,
)
from tests.processes import need_tool

STATIC = Path(__file__).resolve().parents[2] / "src/scormapi/player/static"
RULES_JS = STATIC / "rules.js"
API12_JS = STATIC / "api12.js"

# Loads the shipped files into one context whose only global the page
# provides is `window`, then runs the calls of each run over its own state:
# one evolving state, or with "fresh" a copy of the initial state per call.
RULES_RUNNER = r"""
const fs = require("fs");
const vm = require("vm");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const context = vm.createContext({ window: {} });
for (const file of input.files) vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
const rules = new context.window.ScormApiPlayer.Rules(input.table);
function call(state, [op, name, value]) {
  if (op === "get") return rules.get(state, name);
  if (op === "set") return rules.set(state, name, value);
  if (op === "validate") return rules.validate(name, value);
  return rules.itemCount(state, name);
}
const results = input.runs.map((run) => {
  const state = new Map(Object.entries(run.state));
  const answers = run.calls.map((c) => call(run.fresh ? new Map(state) : state, c));
  return { answers: answers, state: Object.fromEntries(state) };
});
process.stdout.write(JSON.stringify(results));
"""

# An array item of each kind exists, so every element's first item
# (concrete(pattern)) can be read, and written as far as its indexes go.
STATE = {
    "cmi.core.lesson_status": "incomplete",
    "cmi.objectives.0.id": "o1",
    "cmi.interactions.0.id": "i1",
    "cmi.interactions.0.objectives.0.id": "o1",
    "cmi.interactions.0.correct_responses.0.pattern": "a",
}

# Characters that exercise every rule: digits, signs, points, colons,
# letters of the vocabularies, ASCII and Unicode whitespace, astral symbols.
ALPHABET = "0123456789-.:,+eE aclnoprstu\t\n\u00a0\u3000\ufeff\x1c\u0660\U0001f600"

# Segments that make names on both sides of every name rule.
SEGMENTS = [
    "cmi", "core", "interactions", "objectives", "correct_responses", "score", "raw", "id",
    "student_id", "exit", "lesson_status", "suspend_data", "_count", "_children", "_version",
    "0", "1", "2", "01", "00", "1234567890", "n", "", "x", "CMI", "{target=a}", "adl",
]

# Names around the keywords, cmi._children above all (SCORM 1.2 leaves it
# out; the table adds it), and around the grammar.
EDGE_NAMES = [
    "cmi._children", "cmi._children._children", "cmi._CHILDREN", "cmi._count", "cmi._version._children",
    "cmi.core._children", "cmi.core.student_id._children", "cmi.foo._children", "cmi.core._count",
    "cmi.interactions.0._children", "cmi.interactions.0.objectives._children",
    "", "cmi", "cmi.", ".cmi", "cmi..core", "cmi.core", "cmi.core.", "cmi.core.foo", "cmi.foo",
    "adl.nav.request", "CMI.core.student_id", "cmi.interactions", "cmi.interactions.0",
    "cmi.interactions.01.id", "cmi.interactions.1.id", "cmi.interactions.5.id", "cmi.interactions.n.id",
    "cmi.interactions.x.id", "cmi.interactions.1234567890.id", "cmi.interactions.0.objectives.1.id",
    "cmi.objectives.0.score._children", "cmi.objectives.1.score.raw", "cmi.core.score.raw.x",
]


@pytest.fixture(scope="module")
def node():
    need_tool("node")
    return shutil.which("node")


def run_rules(node, table, runs):
    """The answers and final state of each run, from the shipped rules.js."""
    payload = json.dumps({"files": [str(RULES_JS)], "table": table, "runs": runs})
    done = subprocess.run([node, "-e", RULES_RUNNER], input=payload, capture_output=True,
                          text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def engine_answer(state, call, limit, model=MODEL):
    """The engine's outcome names for one call, as rules.js writes them."""
    op, name, value = call
    if op == "get":
        got, outcome = model.get_value(state, name)
        return [got, outcome.name]
    if op == "set":
        return model.set_value(state, name, value, operator_max_length=limit).name
    if op == "validate":
        return model.validate_value(name, value, operator_max_length=limit).name
    return model.item_count(state, name)


def scorm12_number(state, call, limit):
    """What scorm12 answers content for one call, as a 1.2 error number."""
    op, name, value = call
    if op == "get":
        return int(get_value(state, name)[1])
    if op == "set":
        return int(set_value(state, name, value, suspend_data_limit=limit))
    return int(validate_value(name, value, suspend_data_limit=limit))


def random_values(rng, count):
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.choice([1, 2, 3, 4, 5, 8, 11, 13])))
            for _ in range(count)]


def random_names(rng, count):
    return [".".join(rng.choice(SEGMENTS) for _ in range(rng.randint(1, 6))) for _ in range(count)]


def value_calls(rng, limit):
    """set and validate of each element's first item with the samples of its
    type and random strings, and suspend_data on both sides of its limit."""
    calls = []
    for element in ELEMENTS:
        case = CASES.get(element.type, {"valid": [], "invalid": []})
        for value in case["valid"] + case["invalid"] + random_values(rng, 40):
            calls += [("set", concrete(element.pattern), value), ("validate", concrete(element.pattern), value)]
    for length in (limit - 1, limit, limit + 1, 64001):
        calls += [("set", "cmi.suspend_data", "x" * length), ("validate", "cmi.suspend_data", "x" * length)]
    return calls


def compare_fresh(node, calls, limit):
    """Each call on a copy of STATE: rules.js's outcome names against the
    engine's, and their error_codes numbers against scorm12's; the names
    rules.js answered."""
    table = table_json(suspend_data_limit=limit)
    (javascript,) = run_rules(node, table, [{"state": STATE, "fresh": True, "calls": calls}])
    answers = javascript["answers"]
    engine = [engine_answer(dict(STATE), c, limit) for c in calls]
    assert [(c, j) for c, j, p in zip(calls, answers, engine) if j != p] == []
    outcomes = [a[1] if c[0] == "get" else a for c, a in zip(calls, answers)]
    numbers = [table["error_codes"][o] for o in outcomes]
    python = [scorm12_number(dict(STATE), c, limit) for c in calls]
    assert [(c, j) for c, j, p in zip(calls, numbers, python) if j != p] == []
    return outcomes


@pytest.mark.parametrize("suspend_data_limit", [SUSPEND_DATA_LIMIT, 64000])
def test_shipped_rules_judge_values_as_the_engine_does(node, suspend_data_limit):
    outcomes = compare_fresh(node, value_calls(random.Random(1202), suspend_data_limit), suspend_data_limit)
    # Every reason a value or an element refuses content was met.
    assert {"OK", "TYPE_MISMATCH", "OUT_OF_RANGE", "TOO_LONG", "READ_ONLY", "KEYWORD_IS_READ_ONLY",
            "RESERVED_FOR_LMS"} <= set(outcomes)


def test_shipped_rules_answer_names_as_the_engine_does(node):
    names = EDGE_NAMES + [concrete(e.pattern) for e in ELEMENTS] + random_names(random.Random(12), 1500)
    calls = [("get", name, None) for name in names] + [("set", name, "1") for name in names]
    outcomes = compare_fresh(node, calls, SUSPEND_DATA_LIMIT)
    assert {"OK", "VALUE_NOT_INITIALIZED", "UNDEFINED", "UNKNOWN_CHILD", "MALFORMED_INDEX", "NO_CHILDREN",
            "NOT_AN_ARRAY", "NO_SUCH_ITEM", "INDEX_OUT_OF_ORDER", "KEYWORD_IS_READ_ONLY", "READ_ONLY",
            "WRITE_ONLY"} <= set(outcomes)


def test_shipped_rules_answer_children_from_the_table(node):
    (javascript,) = run_rules(node, table_json(), [{"state": {}, "calls": [["get", "cmi._children", None]]}])
    assert javascript["answers"] == [
        ["core,suspend_data,launch_data,comments,objectives,student_data,student_preference,interactions", "OK"]]


def sequence_calls(rng, count):
    """Sets and gets over arrays, nested ones included, at indexes around
    their ends, and their counts: one state evolves through all of them."""
    names = ["cmi.interactions.{i}.id", "cmi.interactions.{i}.result", "cmi.interactions.{i}.objectives.{j}.id",
             "cmi.interactions.{i}.correct_responses.{j}.pattern", "cmi.objectives.{i}.id",
             "cmi.objectives.{i}.score.raw", "cmi.interactions.{i}.objectives._count",
             "cmi.interactions._count", "cmi.objectives._count"]
    calls = []
    for _ in range(count):
        name = rng.choice(names).format(i=rng.randint(0, 3), j=rng.randint(0, 2))
        calls.append((rng.choice(["set", "set", "get"]), name, rng.choice(["q1", "correct", "50", "x y"])))
    for array in ("cmi.interactions", "cmi.objectives", "cmi.interactions.0.objectives",
                  "cmi.interactions.1.correct_responses"):
        calls.append(("count", array, None))
    return calls


def test_shipped_rules_grow_arrays_as_the_engine_does(node):
    calls = sequence_calls(random.Random(7), 600)
    (javascript,) = run_rules(node, table_json(), [{"state": {}, "calls": calls}])
    state = {}
    engine = [engine_answer(state, call, SUSPEND_DATA_LIMIT) for call in calls]
    assert [(c, j) for c, j, p in zip(calls, javascript["answers"], engine) if j != p] == []
    assert javascript["state"] == state
    counts = javascript["answers"][-4:]
    assert counts == [item_count(state, c[1]) for c in calls[-4:]] and counts[0] > 1
    assert {"OK", "INDEX_OUT_OF_ORDER", "NO_SUCH_ITEM"} <= {a[1] if c[0] == "get" else a
                                                           for c, a in zip(calls, javascript["answers"])}


def toy_calls(rng, count):
    """Calls on the engine's own small model (test_engine): dependencies
    between an item's elements, a keyed element, values only the LMS sets."""
    names = ["toy.items.{i}.id", "toy.items.{i}.kind", "toy.items.{i}.answers.{j}.text",
             "toy.items.{i}.answers._count", "toy.items._count", "toy.valid.choice.{{target=u.{i}}}",
             "toy.valid.choice.{{target={i}}}", "toy.valid.choice.{{target=}}", "toy.level", "toy.notes",
             "toy.exit", "toy.learner", "toy._version", "toy.items.0{{x}}.id"]
    values = ["q1", "choice", "none", "other", "5", "11", "x" * 11, "a b"]
    calls = []
    for _ in range(count):
        name = rng.choice(names).format(i=rng.randint(0, 2), j=rng.randint(0, 2))
        calls.append((rng.choice(["set", "set", "get", "validate"]), name, rng.choice(values)))
    return calls + [("count", "toy.items", None), ("count", "toy.items.0.answers", None)]


def test_shipped_rules_follow_dependencies_and_keys_as_the_engine_does(node):
    calls = toy_calls(random.Random(2004), 800)
    # A keyed value the LMS set, for content to read.
    start = {"toy.valid.choice.{target=u.1}": "other"}
    (javascript,) = run_rules(node, TOY_MODEL.table_json(), [{"state": start, "calls": calls}])
    state = dict(start)
    engine = [engine_answer(state, call, None, TOY_MODEL) for call in calls]
    assert [(c, j) for c, j, p in zip(calls, javascript["answers"], engine) if j != p] == []
    assert javascript["state"] == state
    outcomes = {a[1] if c[0] == "get" else a for c, a in zip(calls, javascript["answers"]) if c[0] != "count"}
    # The rules this model does not use are the next test's.
    unused = {"NO_CHILDREN", "NOT_AN_ARRAY", "MALFORMED_INDEX", "MISSING_KEY", "ITEM_LIMIT", "NOT_UNIQUE", "WRITE_ONCE",
              "NO_VERSION"}
    assert {o.name for o in Outcome} - outcomes <= unused
    assert ["toy.valid.choice.{target=u.1}", ["other", "OK"]] in [[c[1], a] for c, a in zip(calls, engine)]


def toy_2004_calls(rng, count):
    """Calls on the engine's model of SCORM 2004's rules (test_engine_rules_2004):
    types picked by another element, unique and write-once values, limits,
    clearing, defaults, an evaluated value, access checked last."""
    # Each name with the values that reach its rules, plus a few of any kind.
    names = {
        "toy.items.{i}.id": ["q1", "q2", "q3", ""], "toy.items.{i}.kind": ["choice", "other", "none"],
        "toy.items.{i}.answers.{j}.text": ["a", "b", "a b", "abcdefgh"], "toy.items.{i}.response": ["a", "a b"],
        "toy.items.{i}.note": ["n"], "toy.items.{i}.answers._count": ["1"], "toy.items._count": ["1"],
        "toy.threshold": ["0.5"], "toy.measure": ["0.25", "0.5", "1", "2", ""], "toy.status": ["done", "x"],
        "toy.valid.choice.{{target=t{i}}}": ["true"], "toy.valid.choice": ["true"], "toy.exit": ["q1"],
        "toy._version": ["2"], "toy.items.{i}.bogus": ["x"], "toy.items.{i}._version": ["1"], "toy._count": ["1"],
    }
    anything = ["q1", "choice", "a", "0.5", ""]
    calls = []
    for _ in range(count):
        pattern = rng.choice(sorted(names))
        name = pattern.format(i=rng.randint(0, 2), j=rng.randint(0, 2))
        calls.append((rng.choice(["set", "set", "set", "get", "validate"]), name, rng.choice(names[pattern] + anything)))
    return calls + [("count", "toy.items", None), ("count", "toy.items.0.answers", None)]


def test_shipped_rules_apply_the_rules_scorm_2004_needs_as_the_engine_does(node):
    calls = toy_2004_calls(random.Random(1484), 3000)
    start = {"toy.threshold": "0.5", "toy.valid.choice.{target=t1}": "true"}
    (javascript,) = run_rules(node, TOY_2004_MODEL.table_json(), [{"state": start, "calls": calls}])
    state = dict(start)
    engine = [engine_answer(state, call, None, TOY_2004_MODEL) for call in calls]
    assert [(c, j) for c, j, p in zip(calls, javascript["answers"], engine) if j != p] == []
    assert javascript["state"] == state
    outcomes = {a[1] if c[0] == "get" else a for c, a in zip(calls, javascript["answers"]) if c[0] != "count"}
    assert {"ITEM_LIMIT", "NOT_UNIQUE", "WRITE_ONCE", "MISSING_KEY", "DEPENDENCY_NOT_ESTABLISHED",
            "INDEX_OUT_OF_ORDER", "READ_ONLY", "KEYWORD_IS_READ_ONLY", "OUT_OF_RANGE", "NO_VERSION"} <= outcomes
    # A gap before an unknown leaf is the gap (access_last reads left to right).
    gaps = {a for c, a in zip(calls, engine) if c[0] == "set" and c[1].endswith(".bogus")}
    assert {"INDEX_OUT_OF_ORDER", "UNKNOWN_CHILD"} <= gaps
    gets = {(c[1], tuple(a)) for c, a in zip(calls, engine) if c[0] == "get"}
    assert {("toy.valid.choice.{target=t0}", ("false", "OK")), ("toy.valid.choice.{target=t1}", ("true", "OK"))} <= gets
    assert {a[0] for c, a in zip(calls, engine) if c[0] == "get" and c[1] == "toy.status"} >= {"done", "undone"}


# Loads rules.js and api12.js into a page-like context, gives the binding a
# transport that records what it is asked to do, and calls window.API.
API_RUNNER = r"""
const fs = require("fs");
const vm = require("vm");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const context = vm.createContext({ window: {} });
for (const file of input.files) vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
const player = context.window.ScormApiPlayer;
const sent = [];
player.Transport = function (config, report) {
  this.dirty = new Map();
  this.change = (name, value) => { this.dirty.set(name, value); sent.push(["change", name, value]); };
  this.send = (ending) => { sent.push(["send", ending]); this.dirty.clear(); report(); };
};
const session = player.start({ table: input.table, cmi: input.cmi });
const api = context.window.API;
const results = input.calls.map(([fn, ...args]) => [fn, ...args, api[fn](...args)]);
process.stdout.write(JSON.stringify({ results: results, sent: sent, phase: session.phase }));
"""

API_CALLS = [
    ["LMSGetValue", "cmi.core.student_id"],
    ["LMSGetLastError"],
    ["LMSSetValue", "cmi.core.lesson_location", "p1"],
    ["LMSGetLastError"],
    ["LMSInitialize", ""],
    ["LMSGetLastError"],
    ["LMSInitialize", ""],
    ["LMSGetLastError"],
    ["LMSGetValue", "cmi.core.student_name"],
    ["LMSSetValue", "cmi.core.lesson_status", "passed"],
    ["LMSGetLastError"],
    ["LMSSetValue", "cmi.core.score.raw", "101"],
    ["LMSGetLastError"],
    ["LMSGetErrorString", "405"],
    ["LMSGetDiagnostic", ""],
    ["LMSSetValue", "cmi.core.student_id", "someone"],
    ["LMSGetLastError"],
    ["LMSSetValue", "cmi.core.lesson_status", "not attempted"],
    ["LMSGetLastError"],
    ["LMSSetValue", "cmi.core.exit", "suspend"],
    ["LMSGetValue", "cmi.core.exit"],
    ["LMSGetLastError"],
    ["LMSGetErrorString", "404"],
    ["LMSGetValue", "cmi.core.lesson_location"],
    ["LMSGetLastError"],
    ["LMSGetValue", "cmi.interactions.0.id"],
    ["LMSGetLastError"],
    ["LMSGetValue", "cmi.nothing"],
    ["LMSGetLastError"],
    ["LMSCommit", ""],
    ["LMSFinish", ""],
    ["LMSGetLastError"],
    ["LMSGetValue", "cmi.core.lesson_status"],
    ["LMSGetLastError"],
    ["LMSInitialize", ""],
    ["LMSGetLastError"],
]


def test_shipped_api12_binds_window_api_on_the_rules(node):
    cmi = initial_state(LaunchContext(student_id="s1", student_name="Doe, Jane"))
    payload = json.dumps({"files": [str(RULES_JS), str(API12_JS)], "table": table_json(), "cmi": cmi,
                          "calls": API_CALLS})
    done = subprocess.run([node, "-e", API_RUNNER], input=payload, capture_output=True,
                          text=True, timeout=30, check=True)
    answer = json.loads(done.stdout)
    assert [call[-1] for call in answer["results"]] == [
        "", "301",  # before LMSInitialize
        "false", "301",
        "true", "0",
        "false", "101",  # a second LMSInitialize
        "Doe, Jane",
        "true", "0",
        "false", "405",  # a score above 100
        "Incorrect data type", "Incorrect data type: cmi.core.score.raw",
        "false", "403",  # read-only
        "false", "405",  # a status only the LMS sets
        "true", "", "404", "Element is write only",
        "", "0",  # never set: "" without an error in 1.2
        "", "201",  # no such interaction
        "", "401",
        "true", "true", "0",  # LMSCommit, LMSFinish
        "", "301",  # after LMSFinish
        "false", "101",
    ]
    assert answer["sent"] == [
        ["change", "cmi.core.lesson_status", "passed"], ["change", "cmi.core.exit", "suspend"],
        ["send", None], ["send", "finish"]]
    assert answer["phase"] == "finished"
