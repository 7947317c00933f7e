"""The browser judges SCORM 2004 values as the server does.

Node.js runs the shipped rules.js and types2004.js, as the run-time page
loads them, on the table JSON of a small model with one element per SCORM
2004 data type, and the outcome of each validate is compared by name with
`DataType.check`'s. The helpers types2004.js offers the interaction checks
are compared with their Python twins the same way.
"""

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from test_2004_duration import INVALID as INVALID_DURATIONS
from test_2004_duration import VALID as VALID_DURATIONS
from test_2004_types import IDENTIFIERS, LANGUAGES, LOCALIZED, RANGES, REALS, STATES, TIMES

from scormapi.cmi.engine import DataModel, Element
from scormapi.cmi.outcomes import Outcome
from scormapi.cmi.scorm2004.language import LANGUAGE_PATTERN, TABLES, is_language
from scormapi.cmi.scorm2004.types import (
    IDENTIFIER_PATTERN,
    REAL_PATTERN,
    TYPES,
    is_identifier,
    is_real,
    localized_outcome,
)
from tests.processes import need_tool

STATIC = Path(__file__).resolve().parents[3] / "src/scormapi/player/static"
FILES = [str(STATIC / "rules.js"), str(STATIC / "types2004.js")]

# One element per type, named by position: "toy.t0", "toy.t1"...
TYPE_NAMES = sorted(TYPES)
ELEMENTS = tuple(Element(f"toy.t{i}", name, "RW") for i, name in enumerate(TYPE_NAMES))
MODEL = DataModel(ELEMENTS, TYPES)

# Loads the shipped files into a context whose only global is `window`, then
# answers each call: ["validate", type index, value] through Rules, or
# [helper name, value, limit] through ScormApiPlayer.types2004.
RUNNER = r"""
const fs = require("fs");
const vm = require("vm");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const context = vm.createContext({ window: {} });
for (const file of input.files) vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
const player = context.window.ScormApiPlayer;
const rules = new player.Rules(input.table);
const helpers = player.types2004;
const lookups = input.table.lookups;
const answers = input.calls.map(([op, a, b]) => {
  if (op === "validate") return rules.validate("toy.t" + a, b);
  if (op === "isLanguage") return helpers.isLanguage(a, lookups);
  if (op === "localizedOutcome") return helpers.localizedOutcome(a, b, lookups);
  if (op === "isIdentifier") return helpers.isIdentifier(a, b);
  return helpers.isReal(a);
});
process.stdout.write(JSON.stringify({ answers: answers, sources: helpers.sources }));
"""

# Pieces of values that meet every rule: duration letters and fields, date
# and time parts, reals, language codes (listed, unlisted, registered) and
# separators, the localized and target delimiters, URI characters and
# escapes, the vocabularies, and the whitespace, controls, astral symbols
# and lone surrogate that the two languages' regexes could read differently.
TOKENS = [
    "P", "T", "Y", "M", "D", "H", "S", "W", "0", "1", "29", "007", ".", ".5", "5", "12", "-", "+", "e", "E", "Z",
    ":", "2005", "1969", "2039", "-02", "-04", "-29", "-31", "T09", ":45", ":58", ".1", "+05", ":30",
    "en", "US", "ZZ", "USA", "fr", "frl", "x", "i", "klingon", "sgn", "BE", "mo", "zh", "min", "nan", "qaa", "qtz",
    "qua", "art", "lojban", "1901", "{lang=", "{LANG=", "{target=", "}", "{", "choice", "jump", "#", "%", "%2",
    "%20", "%zz", "/", "?", "urn", "a", "b", "NaN", "Infinity", "1e400", "9" * 20, ",", "_none_", "continue",
    "not attempted", "-1", "true", " ", "\t", "\n", "\x00", "\x1c", "\x7f", "\x85", "\x9f", "\u00a0", "\u2028",
    "\u3000", "\ufeff", "\u0661", "\u00e9", "\u4e2d", "\U0001f600", "\udc00", "|", "\\", "[", "]", "<", '"', "`", "^", "~",
]  # fmt: skip

FIXED = (
    LANGUAGES[Outcome.OK] + LANGUAGES[Outcome.TYPE_MISMATCH] + [v for v, _ in LOCALIZED]
    + IDENTIFIERS[Outcome.OK] + IDENTIFIERS[Outcome.TYPE_MISMATCH] + [v for v, _ in REALS]
    + [v for inside, outside in RANGES.values() for v in inside + outside]
    + TIMES[Outcome.OK] + TIMES[Outcome.TYPE_MISMATCH] + VALID_DURATIONS + INVALID_DURATIONS
    + [v for values in STATES.values() for v in values]
    + ["{target=a}choice", "{target=urn:}choice", "{target=}jump", "{lang=en}" + "x" * 250, "x" * 251,
       "{lang=en}" + "x" * 251, "\U0001f600" * 250, "\U0001f600" * 251, "urn:" + "x" * 3996, "x" * 64001]
)  # fmt: skip


def random_values(rng, count):
    return ["".join(rng.choice(TOKENS) for _ in range(rng.choice([1, 2, 3, 4, 6, 9]))) for _ in range(count)]


@pytest.fixture(scope="module")
def node():
    need_tool("node")
    return shutil.which("node")


def run(node, calls):
    payload = json.dumps({"files": FILES, "table": MODEL.table_json(), "calls": calls})
    done = subprocess.run([node, "-e", RUNNER], input=payload, capture_output=True, text=True, timeout=120,
                          check=True)  # fmt: skip
    return json.loads(done.stdout)


def python_answer(call):
    op, a, b = call
    if op == "validate":
        return TYPES[TYPE_NAMES[a]].check(b).name
    if op == "isLanguage":
        return is_language(a)
    if op == "localizedOutcome":
        return localized_outcome(a, b).name
    if op == "isIdentifier":
        return is_identifier(a, b)
    return is_real(a)


def test_shipped_types_judge_values_as_the_server_does(node):
    values = FIXED + random_values(random.Random(2004), 3000)
    calls = [["validate", i, v] for i in range(len(TYPE_NAMES)) for v in values]
    javascript = run(node, calls)["answers"]
    python = [python_answer(c) for c in calls]
    assert [(TYPE_NAMES[c[1]], c[2], j) for c, j, p in zip(calls, javascript, python) if j != p] == []
    # Each type both accepted and refused values, and every refusal was met.
    for i, name in enumerate(TYPE_NAMES):
        answers = {p for c, p in zip(calls, python) if c[1] == i}
        assert "OK" in answers and answers - {"OK"}, name
    assert {"OK", "TYPE_MISMATCH", "OUT_OF_RANGE", "TOO_LONG"} <= set(python)


def test_shipped_helpers_answer_as_their_python_twins(node):
    values = FIXED + random_values(random.Random(1484), 2000)
    calls = [[op, v, limit] for v in values
             for op, limit in (("isLanguage", None), ("localizedOutcome", 250), ("localizedOutcome", None),
                               ("isIdentifier", 250), ("isIdentifier", None), ("isReal", None))]  # fmt: skip
    answer = run(node, calls)
    python = [python_answer(c) for c in calls]
    assert [(c, j) for c, j, p in zip(calls, answer["answers"], python) if j != p] == []
    assert {True, False} <= set(python) and {"OK", "TYPE_MISMATCH", "TOO_LONG"} <= set(python)
    # The helpers' regexes are the very ones the server sends in the table.
    assert answer["sources"] == {"identifier": IDENTIFIER_PATTERN, "real": REAL_PATTERN, "language": LANGUAGE_PATTERN}


def test_the_table_carries_the_code_tables_once():
    table = MODEL.table_json()
    assert table["lookups"] == {name: list(codes) for name, codes in TABLES.items()}
    formats = {spec["format"]["name"] for spec in table["types"].values() if "format" in spec}
    assert formats == {"localized", "language", "calendar", "finite_real"}
