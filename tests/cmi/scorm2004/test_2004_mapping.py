"""SCORM 1.2 names and values read from a SCORM 2004 state."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scormapi.cmi.scorm2004.mapping import (
    raw_from_2004,
    read_12_name,
    scaled_from_raw,
    status_to_2004,
)
from scormapi.cmi.scorm2004.session import summary_status

# --- lesson_status ------------------------------------------------------------


@pytest.mark.parametrize(
    ("lesson_status", "values"),
    [
        ("passed", {"cmi.completion_status": "completed", "cmi.success_status": "passed"}),
        ("failed", {"cmi.completion_status": "completed", "cmi.success_status": "failed"}),
        ("completed", {"cmi.completion_status": "completed", "cmi.success_status": "unknown"}),
        ("incomplete", {"cmi.completion_status": "incomplete", "cmi.success_status": "unknown"}),
        ("browsed", {"cmi.completion_status": "incomplete", "cmi.success_status": "unknown", "cmi.mode": "browse"}),
        ("not attempted", {"cmi.completion_status": "not attempted", "cmi.success_status": "unknown"}),
    ],
)
def test_each_lesson_status_maps_to_2004_and_back(lesson_status, values):
    assert status_to_2004(lesson_status) == values
    assert summary_status({"cmi.mode": "normal", **values}) == lesson_status


def test_status_to_2004_returns_a_dict_of_its_own():
    status_to_2004("passed")["cmi.success_status"] = "failed"
    assert status_to_2004("passed")["cmi.success_status"] == "passed"


@pytest.mark.parametrize("word", ["Passed", "unknown", "", "wrong"])
def test_a_word_outside_the_12_vocabulary_is_refused(word):
    with pytest.raises(ValueError, match="not a SCORM 1.2 lesson_status"):
        status_to_2004(word)


# --- scores -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "low", "high", "scaled"),
    [
        ("80", "", "", "0.8"),
        ("100", "", "", "1"),
        ("0", "", "", "0"),
        ("33.333", "", "", "0.33333"),
        ("7", "0", "10", "0.7"),
        ("15", "10", "20", "0.5"),
        ("1", "0", "3", "0.3333333"),
        ("2", "0", "3", "0.6666667"),
        ("-50", "", "", "-0.5"),
        ("150", "", "", "1"),
        ("30", "0", "20", "1"),
        ("-30", "-20", "0", "-0.5"),
        ("-150", "", "", "-1"),
        ("50", "10", "10", "0.5"),
        ("50", "", "80", "0.5"),
        ("5e1", "", "", "0.5"),
        ("", "0", "100", ""),
    ],
)
def test_scaled_from_raw(raw, low, high, scaled):
    assert scaled_from_raw(raw, low, high) == scaled


@pytest.mark.parametrize(("raw", "low", "high"), [("high", "", ""), ("50", "x", "100"), ("50", "0", " 100")])
def test_scaled_from_raw_refuses_what_is_not_a_number(raw, low, high):
    with pytest.raises(ValueError, match="is not a number"):
        scaled_from_raw(raw, low, high)


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_a_12_raw_survives_the_trip_through_score_scaled(raw):
    scaled = scaled_from_raw(str(raw))
    assert raw_from_2004({"cmi.score.scaled": scaled}) == format(raw.normalize(), "f")


@pytest.mark.parametrize(
    ("values", "raw"),
    [
        ({"cmi.score.raw": "42.50", "cmi.score.scaled": "0.9"}, "42.5"),
        ({"cmi.score.raw": "1e2"}, "100"),
        ({"cmi.score.scaled": "0.85"}, "85"),
        ({"cmi.score.scaled": "-0.123456789"}, "-12.3456789"),
        ({"cmi.score.scaled": "0"}, "0"),
        ({"cmi.score.min": "0"}, ""),
        ({}, ""),
    ],
)
def test_raw_from_2004(values, raw):
    assert raw_from_2004(values) == raw


# --- read_12_name ---------------------------------------------------------------------

STATE = {
    "cmi.learner_id": "u-1",
    "cmi.learner_name": "{lang=fr}Dupont, Marie",
    "cmi.credit": "no-credit",
    "cmi.mode": "review",
    "cmi.entry": "resume",
    "cmi.exit": "normal",
    "cmi.completion_status": "incomplete",
    "cmi.success_status": "unknown",
    "cmi.score.scaled": "0.4",
    "cmi.score.min": "0",
    "cmi.score.max": "50",
    "cmi.total_time": "P1DT2H3M4.5S",
    "cmi.session_time": "PT10M",
    "cmi.location": "page-3",
    "cmi.suspend_data": "s=1",
    "cmi.launch_data": "level=2",
    "cmi.scaled_passing_score": "0.75",
    "cmi.max_time_allowed": "PT1H30M",
    "cmi.time_limit_action": "exit,message",
    "cmi.learner_preference.language": "fr-CA",
    "cmi.learner_preference.audio_captioning": "-1",
    "cmi.comments_from_learner.0.comment": "{lang=en}first",
    "cmi.comments_from_learner.1.location": "p2",
    "cmi.comments_from_learner.2.comment": "third",
    "cmi.comments_from_lms.0.comment": "{lang=de}Hallo",
    "cmi.objectives.0.id": "o1",
    "cmi.objectives.0.success_status": "passed",
    "cmi.objectives.0.completion_status": "incomplete",
    "cmi.objectives.0.score.raw": "9",
    "cmi.objectives.1.id": "o2",
    "cmi.objectives.1.success_status": "unknown",
    "cmi.objectives.1.completion_status": "unknown",
    "cmi.objectives.1.score.scaled": "0.25",
    "cmi.objectives.1.score.max": "10",
    "cmi.interactions.0.id": "q1",
    "cmi.interactions.0.type": "long-fill-in",
    "cmi.interactions.0.timestamp": "2024-05-06T07:08:09.5Z",
    "cmi.interactions.0.result": "incorrect",
    "cmi.interactions.0.latency": "PT1M2S",
    "cmi.interactions.0.weighting": "2",
    "cmi.interactions.1.id": "q2",
    "cmi.interactions.1.type": "other",
    "cmi.interactions.1.timestamp": "2024-05-06",
    "cmi.interactions.1.result": "0.5",
}


@pytest.mark.parametrize(
    ("name", "answer"),
    [
        (
            "cmi.core.lesson_status",
            # score.scaled 0.4 is below the passing score 0.75.
            ("failed", "cmi.completion_status, cmi.success_status, cmi.score.scaled, cmi.progress_measure"),
        ),
        ("cmi.core.score.raw", ("40", "cmi.score.scaled")),
        ("cmi.core.score.min", ("0", "cmi.score.min")),
        ("cmi.core.score.max", ("50", "cmi.score.max")),
        ("cmi.core.total_time", ("0026:03:04.50", "cmi.total_time")),
        ("cmi.core.session_time", ("0000:10:00.00", "cmi.session_time")),
        ("cmi.core.lesson_location", ("page-3", "cmi.location")),
        ("cmi.core.student_id", ("u-1", "cmi.learner_id")),
        ("cmi.core.student_name", ("Dupont, Marie", "cmi.learner_name")),
        ("cmi.core.credit", ("no-credit", "cmi.credit")),
        ("cmi.core.entry", ("resume", "cmi.entry")),
        ("cmi.core.lesson_mode", ("review", "cmi.mode")),
        ("cmi.core.exit", ("", "cmi.exit")),
        ("cmi.suspend_data", ("s=1", "cmi.suspend_data")),
        ("cmi.launch_data", ("level=2", "cmi.launch_data")),
        ("cmi.comments", ("first\n\nthird", "cmi.comments_from_learner.n.comment")),
        ("cmi.comments_from_lms", ("Hallo", "cmi.comments_from_lms.n.comment")),
        ("cmi.student_data.mastery_score", ("75", "cmi.scaled_passing_score")),
        ("cmi.student_data.max_time_allowed", ("0001:30:00.00", "cmi.max_time_allowed")),
        ("cmi.student_data.time_limit_action", ("exit,message", "cmi.time_limit_action")),
        ("cmi.student_preference.language", ("fr-CA", "cmi.learner_preference.language")),
        ("cmi.student_preference.text", ("-1", "cmi.learner_preference.audio_captioning")),
        ("cmi.objectives._count", ("2", "cmi.objectives._count")),
        ("cmi.objectives.0.id", ("o1", "cmi.objectives.0.id")),
        ("cmi.objectives.0.status", ("passed", "cmi.objectives.0.completion_status, cmi.objectives.0.success_status")),
        ("cmi.objectives.0.score.raw", ("9", "cmi.objectives.0.score.raw")),
        ("cmi.objectives.1.status", ("incomplete", "cmi.objectives.1.completion_status, cmi.objectives.1.success_status")),
        ("cmi.objectives.1.score.raw", ("25", "cmi.objectives.1.score.scaled")),
        ("cmi.objectives.1.score.min", ("", "cmi.objectives.1.score.min")),
        ("cmi.objectives.1.score.max", ("10", "cmi.objectives.1.score.max")),
        ("cmi.objectives.2.id", ("", "cmi.objectives.2.id")),
        ("cmi.interactions._count", ("2", "cmi.interactions._count")),
        ("cmi.interactions.0.id", ("q1", "cmi.interactions.0.id")),
        ("cmi.interactions.0.type", ("fill-in", "cmi.interactions.0.type")),
        ("cmi.interactions.0.time", ("07:08:09.5", "cmi.interactions.0.timestamp")),
        ("cmi.interactions.0.result", ("wrong", "cmi.interactions.0.result")),
        ("cmi.interactions.0.latency", ("0000:01:02.00", "cmi.interactions.0.latency")),
        ("cmi.interactions.0.weighting", ("2", "cmi.interactions.0.weighting")),
        ("cmi.interactions.1.type", ("", "cmi.interactions.1.type")),
        ("cmi.interactions.1.time", ("", "cmi.interactions.1.timestamp")),
        ("cmi.interactions.1.result", ("0.5", "cmi.interactions.1.result")),
    ],
)
def test_read_12_name(name, answer):
    assert read_12_name(STATE, name) == answer


@pytest.mark.parametrize(
    ("values", "name", "answer"),
    [
        ({"cmi.score.raw": "12"}, "cmi.core.score.raw", ("12", "cmi.score.raw")),
        ({}, "cmi.core.score.raw", ("", "cmi.score.raw")),
        ({}, "cmi.core.total_time", ("", "cmi.total_time")),
        ({"cmi.exit": "suspend"}, "cmi.core.exit", ("suspend", "cmi.exit")),
        ({"cmi.exit": "time-out"}, "cmi.core.exit", ("time-out", "cmi.exit")),
        ({"cmi.learner_name": "Doe, Jane"}, "cmi.core.student_name", ("Doe, Jane", "cmi.learner_name")),
        ({"cmi.total_time": "P2Y"}, "cmi.core.total_time", ("9999:59:59.99", "cmi.total_time")),
        ({}, "cmi.comments", ("", "cmi.comments_from_learner.n.comment")),
        ({}, "cmi.objectives._count", ("0", "cmi.objectives._count")),
        ({"cmi.scaled_passing_score": "-0.5"}, "cmi.student_data.mastery_score", ("-50", "cmi.scaled_passing_score")),
        (
            {"cmi.completion_status": "unknown", "cmi.location": "p1"},
            "cmi.core.lesson_status",
            ("incomplete", "cmi.completion_status, cmi.success_status, cmi.score.scaled, cmi.progress_measure"),
        ),
        (
            {"cmi.mode": "browse", "cmi.completion_status": "unknown"},
            "cmi.core.lesson_status",
            ("browsed", "cmi.completion_status, cmi.success_status, cmi.score.scaled, cmi.progress_measure"),
        ),
        (
            {"cmi.scaled_passing_score": "0.5", "cmi.score.scaled": "0.7", "cmi.success_status": "failed"},
            "cmi.core.lesson_status",
            ("passed", "cmi.completion_status, cmi.success_status, cmi.score.scaled, cmi.progress_measure"),
        ),
    ],
)
def test_read_12_name_edge_values(values, name, answer):
    assert read_12_name(values, name) == answer


@pytest.mark.parametrize(
    "name",
    [
        "cmi.core._children",
        "cmi.core.student_preference.audio",
        "cmi.student_preference.audio",
        "cmi.student_preference.speed",
        "cmi.interactions.0.student_response",
        "cmi.interactions.0.correct_responses.0.pattern",
        "cmi.objectives.01.id",
        "cmi.completion_status",
        "cmi.bogus",
        "",
    ],
)
def test_a_12_name_without_a_2004_counterpart_reads_none(name):
    assert read_12_name(STATE, name) is None


def test_a_12_attempt_keeps_its_scaled_score_by_the_same_mapping():
    """The typed column of a 1.2 attempt: between score.min and score.max
    when both are set, else a hundredth of raw, as scaled_from_raw says."""
    from scormapi.cmi.profile import SCORM12

    bounded = {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "8", "cmi.core.score.min": "0",
               "cmi.core.score.max": "10"}
    assert SCORM12.summary(bounded).score_scaled == 0.8
    assert SCORM12.summary({**bounded, "cmi.core.score.max": ""}).score_scaled == 0.08
    assert SCORM12.summary({"cmi.core.lesson_status": "incomplete"}).score_scaled is None
