"""The shipped interactions2004.js judges interaction patterns and learner
responses as cmi/scorm2004/interactions.py does.

Node.js loads rules.js, types2004.js and interactions2004.js as the page
does, compiles the 20 interaction types from their to_json() (with the
table's merged lookups) and checks each value through Rules.checkValue,
the path every SetValue takes; the outcome names are compared with
DataType.check's. Values: the conformance-suite and rule cases of
test_2004_interactions, variations of them, and random values built from
the separators, delimiters, numbers and identifier characters.
"""

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from test_2004_interactions import CTS, RULES

from scormapi.cmi.names import CANONICAL_INDEX
from scormapi.cmi.scorm2004.interactions import TYPES
from tests.processes import need_tool

STATIC = Path(__file__).resolve().parents[3] / "src/scormapi/player/static"
RULES_JS = STATIC / "rules.js"
TYPES_JS = STATIC / "types2004.js"
INTERACTIONS_JS = STATIC / "interactions2004.js"

# Loads the shipped files into a context whose only global is `window` and
# answers each [type name, value] with Rules.checkValue's outcome name, for
# an element of that type (no type_by, no length limit of its own).
RUNNER = r"""
const fs = require("fs");
const vm = require("vm");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const context = vm.createContext({ window: {} });
for (const file of input.files) vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
const rules = new context.window.ScormApiPlayer.Rules(input.table);
const answers = input.checks.map(([type, value]) => rules.checkValue({ element: { type: type, max_length: null } }, value, null));
process.stdout.write(JSON.stringify(answers));
"""

# Pieces values are built from: the separators and their near misses, the
# delimiters with good and bad values, numbers, identifier characters and
# characters identifiers refuse, blanks, non-ASCII and astral characters.
TOKENS = [
    "[,]",
    "[.]",
    "[:]",
    "[,]",
    "[.]",
    "[:]",
    "[",
    "]",
    ",",
    ".",
    ":",
    "{",
    "}",
    "=",
    "{case_matters=true}",
    "{case_matters=false}",
    "{case_matters=yes}",
    "{order_matters=true}",
    "{order_matters=false}",
    "{order_matters=}",
    "{lang=en}",
    "{lang=de-AT}",
    "{lang=xyz}",
    "{lang=}",
    "{lang=i-klingon}",
    "{LANG=en}",
    "{x=1}",
    "{case_matters}",
    "case_matters",
    "lang=",
    "true",
    "false",
    "a",
    "b",
    "A",
    "z9",
    "urn:x:1",
    "urn:",
    "1",
    "-2.5",
    "+3",
    ".5",
    "5.",
    "1e3",
    "1E-7",
    "1e400",
    "NaN",
    "0",
    "300",
    "-400",
    " ",
    "\t",
    "#",
    "%20",
    "%2",
    "/",
    "?",
    "é",
    "\u3000",
    "\U0001f600",
]

ALPHABET = "[,].:{}=0123456789-+eE abcz AZ#%/?é\U0001f600"


# Items and leading delimiters for values shaped like the types: lists
# (with repeats, for the duplicate rule), pairs, records and ranges.
ITEMS = [
    "a",
    "b",
    "a",
    "urn:x:1",
    "1",
    "-2.5",
    "3e2",
    "",
    " ",
    "x y",
    "{lang=fr}t",
    "{lang=xx}t",
    "é",
    "s1[.]a",
    "[.]",
    "[.]5",
    "a[.]b",
    "1[:]2",
    "5[:]1",
    "[:]",
    "s[.]1[:]9",
    "i" * 250,
    "i" * 251,
    "s[.]" + "t" * 250,
    "s[.]" + "t" * 251,
]
PREFIXES = ["", "", "{case_matters=true}", "{order_matters=false}", "{lang=en}", "{lang=bad}", "{case_matters=no}"]
SEPARATORS = ["[,]", "[,]", "[,]", "[.]", "[:]"]


def structured_value(rng: random.Random) -> str:
    items = [rng.choice(ITEMS) for _ in range(rng.randint(1, 4))]
    value = items[0]
    for item in items[1:]:
        value += rng.choice(SEPARATORS) + item
    if rng.random() < 0.5:
        return value
    return rng.choice(PREFIXES) + rng.choice(PREFIXES) + value


def random_values(rng: random.Random, count: int) -> list[str]:
    values = []
    for _ in range(count):
        draw = rng.random()
        if draw < 0.4:
            values.append(structured_value(rng))
        elif draw < 0.8:
            values.append("".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 7))))
        else:
            values.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12))))
    return values


def long_values() -> list[str]:
    """Values on both sides of the 250-character limits, counted in code
    points (an astral character is one, as in Python)."""
    values = []
    for length in (249, 250, 251):
        for char in ("i", "\U0001f600", "é"):
            body = char * length
            values += [
                body,
                f"{body}[,]a",
                f"a[.]{body}",
                f"{body}[.]a",
                f"s[.]{body}",
                f"{{lang=fr}}{body}",
                f"{{case_matters=true}}{body}",
                f"x[,]{{lang=de}}{body}",
            ]
    return values


def fixed_values() -> list[str]:
    values = [value for _, _, value, _ in CTS + RULES]
    return values + [v + suffix for v in values[:120] for suffix in ("[,]", "[.]x", "[,]a[.]b")]


@pytest.fixture(scope="module")
def node():
    need_tool("node")
    return shutil.which("node")


def table() -> dict:
    """The part of a data model's table JSON the rules need for types."""
    lookups: dict[str, list[str]] = {}
    for data_type in TYPES.values():
        for name, values in data_type.format.lookups().items():
            lookups[name] = list(values)
    return {
        "index_regex": f"^(?:{CANONICAL_INDEX.pattern})$",
        "regex_flags": "u",
        "types": {name: TYPES[name].to_json() for name in sorted(TYPES)},
        "elements": [],
        "arrays": {},
        "lookups": lookups,
    }


def run_checks(node, checks, files) -> list[str]:
    payload = json.dumps({"files": [str(f) for f in files], "table": table(), "checks": checks})
    done = subprocess.run([node, "-e", RUNNER], input=payload, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def compare(node, values, files=(RULES_JS, TYPES_JS, INTERACTIONS_JS)):
    """Every type on every value: the (type, value, JavaScript, Python)
    disagreements, and the outcome names met per type."""
    checks = [[name, value] for name in sorted(TYPES) for value in values]
    answers = run_checks(node, checks, files)
    python = [TYPES[name].check(value).name for name, value in checks]
    differing = [(c[0], c[1], j, p) for c, j, p in zip(checks, answers, python) if j != p]
    met: dict[str, set[str]] = {}
    for (name, _), outcome in zip(checks, python):
        met.setdefault(name, set()).add(outcome)
    return differing, met


def test_shipped_checks_agree_on_the_suite_and_rule_values(node):
    differing, met = compare(node, fixed_values() + long_values())
    assert differing == []
    assert all(met[name] == {"OK", "TYPE_MISMATCH"} for name in TYPES if not name.endswith(".other"))
    assert met["pattern.other"] == met["response.other"] == {"OK"}


@pytest.mark.parametrize("seed", [2004, 11, 4])
def test_shipped_checks_agree_on_random_values(node, seed):
    differing, met = compare(node, random_values(random.Random(seed), 700))
    assert differing == []
    assert all("OK" in met[name] for name in TYPES)
    assert sum("TYPE_MISMATCH" in met[name] for name in TYPES) == 18


def test_load_order_does_not_matter(node):
    values = [value for _, _, value, _ in CTS]
    differing, _ = compare(node, values, files=(INTERACTIONS_JS, RULES_JS, TYPES_JS))
    assert differing == []


def test_a_table_naming_an_unknown_interaction_kind_is_refused(node):
    broken = table()
    broken["types"]["pattern.essay"] = {
        **broken["types"]["pattern.other"],
        "name": "pattern.essay",
        "format": {"name": "interaction", "kind": "essay", "role": "pattern"},
    }
    payload = json.dumps(
        {"files": [str(RULES_JS), str(TYPES_JS), str(INTERACTIONS_JS)], "table": broken, "checks": [["pattern.essay", "x"]]}
    )
    done = subprocess.run([node, "-e", RUNNER], input=payload, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0
    assert "no interaction format for essay pattern" in done.stderr
