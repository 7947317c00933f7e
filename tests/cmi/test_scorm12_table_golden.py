"""The SCORM 1.2 table JSON the browser adapter consumes, pinned byte for
byte: `scorm12_table.json` was written from the table before the rules moved
onto the shared engine, and must not change by accident. Its one deliberate
change since is the `error_codes` member (each outcome's 1.2 number, for the
browser binding), appended at the end, which grows with the engine's outcomes."""

import json
from pathlib import Path

from scormapi.cmi.outcomes import Outcome
from scormapi.cmi.scorm12 import table_json
from scormapi.cmi.scorm12.errors import CODES

GOLDEN = Path(__file__).with_name("scorm12_table.json")


def _text(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def test_table_json_is_the_golden_json_byte_for_byte():
    assert _text(table_json()) == GOLDEN.read_text(encoding="utf-8")


def test_a_raised_suspend_data_limit_changes_only_its_max_length():
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for row in expected["elements"]:
        if row["pattern"] == "cmi.suspend_data":
            row["max_length"] = 64000
    assert _text(table_json(suspend_data_limit=64000)) == _text(expected)


def test_error_codes_are_the_numbers_of_every_outcome():
    codes = json.loads(GOLDEN.read_text(encoding="utf-8"))["error_codes"]
    assert codes == {outcome.name: int(CODES[outcome]) for outcome in Outcome}
    assert list(codes) == [outcome.name for outcome in Outcome]
