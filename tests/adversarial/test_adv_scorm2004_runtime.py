"""A careless or hostile SCO committing odd but well-formed values to a SCORM
2004 attempt: every answer is in the envelope (never a 500), and a value the
data model accepted can still be read, left and terminated afterwards."""
from __future__ import annotations

import pytest

from tests.api.scorm_helpers import get_cmi
from tests.player.helpers import commit, launch

# 400 nines of years: a valid timeinterval ("integers of any width") whose
# length in seconds does not fit a float.
HUGE_YEARS = "P" + "9" * 400 + "Y"
# More digits than Python converts from text by default (4,300).
ENDLESS_YEARS = "P" + "9" * 5000 + "Y"
# A real with 23 integer digits: of its type, any range.
HUGE_RAW = "1" + "0" * 22


@pytest.fixture()
def course(world):
    return world.course(scos=2, scorm_version="2004")


def enveloped(response, *codes) -> dict:
    """The answer's api_error_entity, checked to be one of ``codes``."""
    body = response.json()
    entity = body["api_error_entity"] if isinstance(body, dict) else body[0]["api_error_entity"]
    assert entity["error_code"] in codes, response.text
    return entity


def read(world, course, name: str) -> dict:
    r = get_cmi(world, course, [name])
    assert r.status_code == 200, r.text
    return r.json()[0]["cmi_fields"][0]


def test_a_huge_whole_raw_score_is_stored_and_read_back(world, course, content_http):
    launched = launch(world, course)
    r = commit(content_http, launched, 1, {"cmi.score.raw": HUGE_RAW})
    assert r.status_code == 200, r.text
    assert r.json()["applied"] is True
    assert read(world, course, "cmi.score.raw")["cmi_element_value"] == HUGE_RAW


def test_a_huge_raw_score_reads_through_the_12_mapping(world, course, content_http):
    launched = launch(world, course)
    assert commit(content_http, launched, 1, {"cmi.score.raw": HUGE_RAW}).status_code == 200
    field = read(world, course, "cmi.core.score.raw")
    assert (field["cmi_element_value"], field["error_message"]) == (HUGE_RAW, None)


def test_terminating_after_a_session_time_of_huge_years_is_answered(world, course, content_http):
    launched = launch(world, course)
    r = commit(content_http, launched, 1, {"cmi.session_time": HUGE_YEARS, "cmi.exit": "suspend"}, finish=True)
    assert r.status_code in (200, 422), r.text
    enveloped(r, 0, 2)
    assert get_cmi(world, course, ["cmi.total_time"]).status_code == 200


def test_a_session_time_too_long_to_count_is_refused_or_survives_leaving(world, course, content_http):
    launched = launch(world, course)
    r = commit(content_http, launched, 1, {"cmi.session_time": ENDLESS_YEARS})
    assert r.status_code in (200, 422), r.text
    if r.status_code == 422:
        assert enveloped(r, 2)["error_message"].startswith("Invalid request: values.cmi.session_time: ")
        return
    assert get_cmi(world, course, ["cmi.core.session_time"]).status_code == 200
    left = commit(content_http, launched, 2, {}, leave=True)
    assert left.status_code == 200, left.text


# -- what already holds, kept as guards ---------------------------------------------


@pytest.mark.parametrize(("values", "message"), [
    ({"cmi.location": 5}, "values.cmi.location: Input should be a valid string"),
    ({"cmi.interactions.-1.id": "a"}, "values.cmi.interactions.-1.id: 401 Undefined Data Model Element"),
    ({"cmi.interactions.00.id": "a"}, "values.cmi.interactions.00.id: 351 General Set Failure"),
    ({"cmi.interactions.99999999999999999999.id": "a"},
     "values.cmi.interactions.99999999999999999999.id: 351 General Set Failure"),
    ({"adl.nav.request_valid.choice.{target=a.b}": "true"},
     "values.adl.nav.request_valid.choice.{target=a.b}: 404 Data Model Element Is Read Only"),
    ({"adl.nav.request": "{target=}choice"}, "values.adl.nav.request: 406 Data Model Element Type Mismatch"),
    ({"cmi.score.scaled": "1e308"}, "values.cmi.score.scaled: 407 Data Model Element Value Out Of Range"),
    ({"cmi.progress_measure": "1.0000000001"},
     "values.cmi.progress_measure: 407 Data Model Element Value Out Of Range"),
    ({"cmi.location": "a\u0000b"}, "values.cmi.location: must not contain the NUL character (U+0000)"),
])
def test_odd_commit_values_are_refused_in_the_envelope(world, course, content_http, values, message):
    launched = launch(world, course)
    r = commit(content_http, launched, 1, values)
    assert r.status_code == 422, r.text
    assert r.json() == {"api_error_entity": {"error_code": 2, "error_message": f"Invalid request: {message}",
                                             "warning_messages": []}}


def test_changing_an_interactions_type_back_and_forth_clears_its_responses(world, course, content_http):
    launched = launch(world, course)
    first = {"cmi.interactions.0.id": "q1", "cmi.interactions.0.type": "numeric",
             "cmi.interactions.0.learner_response": "5", "cmi.interactions.0.correct_responses.0.pattern": "1[:]9"}
    assert commit(content_http, launched, 1, first).status_code == 200
    assert commit(content_http, launched, 2, {"cmi.interactions.0.type": "true-false"}).status_code == 200
    assert commit(content_http, launched, 3, {"cmi.interactions.0.type": "numeric"}).status_code == 200
    names = ["cmi.interactions.0.learner_response", "cmi.interactions.0.correct_responses._count",
             "cmi.interactions.0.type"]
    fields = get_cmi(world, course, names).json()[0]["cmi_fields"]
    assert [f["cmi_element_value"] for f in fields] == ["", "0", "numeric"]


def test_ten_thousand_interactions_in_one_commit_are_kept(world, course, content_http):
    launched = launch(world, course)
    values = {f"cmi.interactions.{n}.id": f"q{n}" for n in range(10_000)}
    r = commit(content_http, launched, 1, values)
    assert r.status_code == 200, r.text
    assert read(world, course, "cmi.interactions._count")["cmi_element_value"] == "10000"
