"""The LMS's run-time rules: relaunch and LMSFinish."""

import pytest

from scormapi.cmi.scorm12 import LaunchContext, initial_state, validate_value
from scormapi.cmi.scorm12.session import begin_session, finish_session, is_complete

CTX = LaunchContext(student_id="u-1", student_name="Doe, Jane", mastery_score="80")


def _finished_session(**values):
    state = initial_state(CTX)
    state.update(values)
    return state


# --- begin_session ---------------------------------------------------------


@pytest.mark.parametrize(
    ("previous_exit", "entry"),
    [("suspend", "resume"), ("logout", ""), ("time-out", ""), ("", "")],
)
def test_entry_follows_the_previous_exit(previous_exit, entry):
    state = _finished_session(**{"cmi.core.exit": previous_exit})
    assert begin_session(state, CTX, previous_exit=previous_exit)["cmi.core.entry"] == entry


def test_relaunch_keeps_content_data_and_clears_the_session():
    state = _finished_session(
        **{
            "cmi.suspend_data": "page=7",
            "cmi.core.lesson_location": "p7",
            "cmi.core.lesson_status": "incomplete",
            "cmi.core.score.raw": "40",
            "cmi.core.total_time": "0001:00:00.00",
            "cmi.core.session_time": "00:10:00",
            "cmi.core.exit": "suspend",
            "cmi.interactions.0.id": "q1",
            "cmi.student_preference.language": "fr",
        }
    )
    new = begin_session(state, CTX, previous_exit="suspend")
    assert "cmi.core.session_time" not in new and "cmi.core.exit" not in new
    for kept in ("cmi.suspend_data", "cmi.core.lesson_location", "cmi.core.lesson_status",
                 "cmi.core.score.raw", "cmi.core.total_time", "cmi.interactions.0.id",
                 "cmi.student_preference.language"):
        assert new[kept] == state[kept]
    assert "cmi.core.exit" in state  # the argument is not mutated


def test_relaunch_refreshes_launch_values_from_the_context():
    state = _finished_session(**{"cmi.student_data.max_time_allowed": "00:30:00"})
    ctx = LaunchContext(student_id="u-1", student_name="Doe, J.", credit="no-credit",
                        lesson_mode="review", launch_data="x=1", comments_from_lms="hi")
    new = begin_session(state, ctx, previous_exit="")
    assert new["cmi.core.student_name"] == "Doe, J."
    assert new["cmi.core.credit"] == "no-credit"
    assert new["cmi.core.lesson_mode"] == "review"
    assert new["cmi.launch_data"] == "x=1"
    assert new["cmi.comments_from_lms"] == "hi"
    # the manifest no longer gives student_data: it is gone
    assert not any(k.startswith("cmi.student_data.") for k in new)


def test_relaunch_of_an_empty_state_has_the_initial_values():
    new = begin_session({}, CTX, previous_exit="")
    assert new["cmi.core.lesson_status"] == "not attempted"
    assert new["cmi.core.total_time"] == "0000:00:00.00"
    assert all(validate_value(k, v) == 0 for k, v in new.items())


# --- finish_session: total time -------------------------------------------


def test_session_time_is_added_to_total_time():
    state = _finished_session(**{"cmi.core.total_time": "48:01:45",
                                 "cmi.core.session_time": "13:00:16"})
    new, warnings = finish_session(state)
    assert new["cmi.core.total_time"] == "0061:02:01.00"
    assert new["cmi.core.session_time"] == "13:00:16"
    assert warnings == []
    assert state["cmi.core.total_time"] == "48:01:45"  # the argument is not mutated


def test_missing_total_time_counts_as_zero():
    new, _ = finish_session({"cmi.core.session_time": "00:00:01.5"})
    assert new["cmi.core.total_time"] == "0000:00:01.50"


def test_no_session_time_leaves_total_time():
    new, warnings = finish_session(_finished_session(**{"cmi.core.total_time": "0002:00:00.00"}))
    assert new["cmi.core.total_time"] == "0002:00:00.00"
    assert warnings == []


def test_total_time_is_clamped_with_a_warning():
    state = _finished_session(**{"cmi.core.total_time": "9999:00:00.00",
                                 "cmi.core.session_time": "02:00:00"})
    new, warnings = finish_session(state)
    assert new["cmi.core.total_time"] == "9999:59:59.99"
    assert len(warnings) == 1 and "clamped" in warnings[0]


@pytest.mark.parametrize(
    ("total", "session"), [("0001:00:00.00", "1 hour"), ("garbage", "00:10:00")]
)
def test_invalid_times_are_skipped_with_a_warning(total, session):
    state = _finished_session(**{"cmi.core.total_time": total, "cmi.core.session_time": session})
    new, warnings = finish_session(state)
    assert new["cmi.core.total_time"] == total
    assert len(warnings) == 1 and "not a CMITimespan" in warnings[0]


# --- finish_session: status ------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "credit", "status", "raw", "mastery", "expected"),
    [
        # mastery score decides in normal mode with credit
        ("normal", "credit", "completed", "80", "80", "passed"),
        ("normal", "credit", "completed", "79.99", "80", "failed"),
        ("normal", "credit", "incomplete", "90", "80", "passed"),
        ("normal", "credit", "not attempted", "10", "80", "failed"),
        ("normal", "credit", "completed", "80.0", "80.00", "passed"),
        # ... but not without a raw score or a mastery score
        ("normal", "credit", "incomplete", "", "80", "incomplete"),
        ("normal", "credit", "completed", "90", "", "completed"),
        ("normal", "credit", "not attempted", "", "80", "completed"),
        ("normal", "credit", "not attempted", "", "", "completed"),
        # no credit: no mastery verdict, still completed when never set
        ("normal", "no-credit", "completed", "10", "80", "completed"),
        ("normal", "no-credit", "not attempted", "10", "80", "completed"),
        # browse
        ("browse", "credit", "not attempted", "", "", "browsed"),
        ("browse", "credit", "not attempted", "90", "80", "browsed"),
        ("browse", "credit", "incomplete", "90", "80", "incomplete"),
        # review changes nothing
        ("review", "credit", "not attempted", "90", "80", "not attempted"),
        ("review", "credit", "failed", "90", "80", "failed"),
    ],
)
def test_status_at_finish(mode, credit, status, raw, mastery, expected):
    state = {
        "cmi.core.lesson_mode": mode,
        "cmi.core.credit": credit,
        "cmi.core.lesson_status": status,
        "cmi.core.score.raw": raw,
        "cmi.student_data.mastery_score": mastery,
    }
    new, _ = finish_session(state)
    assert new["cmi.core.lesson_status"] == expected


def test_missing_mode_credit_and_status_mean_a_normal_credited_first_launch():
    assert finish_session({})[0]["cmi.core.lesson_status"] == "completed"
    new, _ = finish_session({"cmi.core.score.raw": "50", "cmi.student_data.mastery_score": "60"})
    assert new["cmi.core.lesson_status"] == "failed"


def test_contradicted_status_is_reported():
    state = _finished_session(**{"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "50"})
    new, warnings = finish_session(state)
    assert new["cmi.core.lesson_status"] == "failed"
    assert len(warnings) == 1 and "contradicts" in warnings[0]


def test_invalid_scores_give_no_verdict():
    state = _finished_session(**{"cmi.core.lesson_status": "incomplete", "cmi.core.score.raw": "x"})
    assert finish_session(state)[0]["cmi.core.lesson_status"] == "incomplete"


@pytest.mark.parametrize(
    ("status", "complete"),
    [("passed", True), ("completed", True), ("failed", True), ("incomplete", False),
     ("browsed", False), ("not attempted", False), (None, False)],
)
def test_is_complete(status, complete):
    state = {} if status is None else {"cmi.core.lesson_status": status}
    assert is_complete(state) is complete
