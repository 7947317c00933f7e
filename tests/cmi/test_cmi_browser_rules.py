"""The JSON table gives a JavaScript validator the same answers as Python.

A minimal validator written from `table_json()`'s documentation runs in
Node.js on every sample value and on random strings, and the player's own
scorm12.js answers LMSGetValue/LMSSetValue names as scorm12 does; the tests
are skipped where Node.js is not installed.
"""

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from cmi_samples import CASES, concrete

from scormapi.cmi.scorm12 import ELEMENTS, SUSPEND_DATA_LIMIT, get_value, set_value, table_json
from scormapi.cmi.types import TYPES

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")

VALIDATOR = r"""
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const table = input.table;
const compiled = {};
function regexOf(type) {
  if (!(type.name in compiled)) compiled[type.name] = new RegExp(type.regex, table.regex_flags);
  return compiled[type.name];
}
function isValid(type, value, maxLength) {
  if (type.vocabulary.includes(value)) return true;
  if (type.vocabulary.length > 0 && type.regex === null) return false;
  if (value === "" && type.allow_blank) return true;
  const limit = maxLength === null ? type.max_length : maxLength;
  if (limit !== null && [...value].length > limit) return false;
  if (type.regex !== null && !regexOf(type).test(value)) return false;
  if (type.minimum !== null && Number(value) < type.minimum) return false;
  if (type.maximum !== null && Number(value) > type.maximum) return false;
  return true;
}
const elements = Object.fromEntries(table.elements.map((e) => [e.pattern, e]));
const answers = input.cases.map(([pattern, value]) => {
  const element = elements[pattern];
  return isValid(table.types[element.type], value, element.max_length);
});
process.stdout.write(JSON.stringify(answers));
"""

# Characters that exercise every rule: digits, signs, points, colons,
# letters of the vocabularies, ASCII and Unicode whitespace, astral symbols.
ALPHABET = "0123456789-.:,+eE aclnoprstu\t\n\u00a0\u3000\ufeff\x1c\u0660\U0001f600"


def _random_values(rng, count):
    values = []
    for _ in range(count):
        length = rng.choice([1, 2, 3, 4, 5, 8, 11, 13])
        values.append("".join(rng.choice(ALPHABET) for _ in range(length)))
    return values


def _cases():
    """(element pattern, value) pairs: each type's samples on one element of
    that type, and random strings on every element."""
    rng = random.Random(1202)
    by_type = {}
    for element in ELEMENTS:
        by_type.setdefault(element.type, element.pattern)
    cases = []
    for type_name, case in CASES.items():
        if type_name in by_type:
            cases += [(by_type[type_name], v) for v in case["valid"] + case["invalid"]]
    for element in ELEMENTS:
        cases += [(element.pattern, v) for v in _random_values(rng, 60)]
    for length in (SUSPEND_DATA_LIMIT, SUSPEND_DATA_LIMIT + 1, 64000, 64001):
        cases.append(("cmi.suspend_data", "x" * length))
    return cases


@pytest.mark.parametrize("suspend_data_limit", [SUSPEND_DATA_LIMIT, 64000])
def test_javascript_validator_agrees_with_python(suspend_data_limit):
    cases = _cases()
    payload = json.dumps({"table": table_json(suspend_data_limit=suspend_data_limit),
                          "cases": cases})
    run = subprocess.run([NODE, "-e", VALIDATOR], input=payload, capture_output=True,
                         text=True, timeout=30, check=True)
    javascript = json.loads(run.stdout)
    by_pattern = {e.pattern: e for e in ELEMENTS}
    python = []
    for pattern, value in cases:
        element = by_pattern[pattern]
        limit = suspend_data_limit if element.operator_limit else None
        python.append(TYPES[element.type].is_valid(value, max_length=limit))
    disagreements = [(c, p) for c, p, j in zip(cases, python, javascript) if p != j]
    assert disagreements == []
    assert any(python) and not all(python)


SHIPPED_ADAPTER = Path(__file__).resolve().parents[2] / "src/scormapi/player/static/scorm12.js"

# Runs the shipped file as a browser would (it only needs `window`), then
# asks its rules, compiled from the table, what content would get.
ADAPTER_RUNNER = r"""
const fs = require("fs");
const vm = require("vm");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const window = {};
vm.runInNewContext(fs.readFileSync(input.adapter, "utf8"), { window: window });
const rules = new window.ScormPlayer.Rules(input.table);
const answers = input.names.map((name) => {
  const state = new Map(Object.entries(input.state));
  const got = rules.get(state, name);
  return [got[0], got[1], rules.set(state, name, "1")];
});
process.stdout.write(JSON.stringify(answers));
"""

# Names around the keywords, cmi._children above all (SCORM 1.2 leaves it
# out; the table adds it), on top of every element's first item.
KEYWORD_NAMES = [
    "cmi._children", "cmi._children._children", "cmi._CHILDREN", "cmi._count", "cmi._version._children",
    "cmi.core._children", "cmi.core.student_id._children", "cmi.foo._children", "cmi.core._count",
    "cmi.interactions.0._children", "cmi.interactions.0.objectives._children",
]


def test_shipped_adapter_answers_names_as_python_does():
    state = {"cmi.core.lesson_status": "incomplete", "cmi.objectives.0.id": "o1",
             "cmi.interactions.0.id": "i1", "cmi.interactions.0.objectives.0.id": "o1",
             "cmi.interactions.0.correct_responses.0.pattern": "a"}
    names = KEYWORD_NAMES + [concrete(e.pattern) for e in ELEMENTS]
    payload = json.dumps({"adapter": str(SHIPPED_ADAPTER), "table": table_json(), "state": state,
                          "names": names})
    run = subprocess.run([NODE, "-e", ADAPTER_RUNNER], input=payload, capture_output=True,
                         text=True, timeout=30, check=True)
    javascript = dict(zip(names, map(tuple, json.loads(run.stdout))))
    python = {name: (*get_value(state, name), set_value(dict(state), name, "1")) for name in names}
    assert javascript == python
    assert javascript["cmi._children"] == (
        "core,suspend_data,launch_data,comments,objectives,student_data,student_preference,interactions",
        0, 402)
