"""store/attempts: launch context, current attempt, typed columns, history,
roll-up and the optimistic-concurrency retry."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from scormapi.cmi.profile import SCORM12
from scormapi.errors import HTTP_STATUS, ErrorCode, ServiceError
from scormapi.store import attempts
from scormapi.store.models import (
    AssignmentStatus,
    CoursewareSco,
    ScoAttempt,
    ScoAttemptHistory,
    User,
)

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def sco_row(**kw) -> CoursewareSco:
    fields = {"sco_id": "s1", "title": "S", "launch": "a.html", "ordinal": 0, "mastery_score": "",
              "data_from_lms": "", "max_time_allowed": "", "time_limit_action": ""}
    return CoursewareSco(**{**fields, **kw})


def person(first="Ada", last="Lovelace", login="ada") -> User:
    return User(id=uuid.uuid4(), login=login, first_name=first, last_name=last)


# -- launch context ----------------------------------------------------------------


@pytest.mark.parametrize(
    "first, last, name",
    [("Ada", "Lovelace", "Lovelace, Ada"), ("", "Lovelace", "Lovelace"), ("Ada", "", "Ada"), ("", "", ""),
     (" Ada ", " Lovelace ", "Lovelace, Ada"), ("a" * 200, "b" * 200, ("b" * 200 + ", " + "a" * 200)[:255])],
)
def test_student_name_is_last_comma_first(first, last, name):
    assert attempts.student_name(person(first, last)) == name


def test_student_id_is_the_login_as_an_identifier():
    assert attempts.student_id(person(login="ada.l")) == "ada.l"
    assert attempts.student_id(person(login="ada l\tx\ufeff")) == "ada_l_x_"


def test_the_launcher_takes_the_manifest_values():
    sco = sco_row(mastery_score="80", data_from_lms="level=2", max_time_allowed="0001:00:00",
                  time_limit_action="exit,message")
    launcher = attempts.launcher(person(), sco, credit="no-credit", lesson_mode="browse")
    assert (launcher.student_id, launcher.student_name, launcher.credit, launcher.lesson_mode) == (
        "ada", "Lovelace, Ada", "no-credit", "browse")
    assert dict(launcher.manifest) == {"data_from_lms": "level=2", "mastery_score": "80", "max_time_allowed": "0001:00:00",
                                       "time_limit_action": "exit,message", "completion_threshold": "",
                                       "scaled_passing_score": "", "objective_ids": ""}
    state = attempts.initial_values(person(), sco, SCORM12)
    assert (state["cmi.launch_data"], state["cmi.student_data.mastery_score"], state["cmi.student_data.max_time_allowed"],
            state["cmi.student_data.time_limit_action"]) == ("level=2", "80", "0001:00:00", "exit,message")


def test_invalid_manifest_values_read_as_absent():
    sco = sco_row(mastery_score="eighty", max_time_allowed="1 hour", time_limit_action="stop", data_from_lms="x" * 4097)
    state = attempts.initial_values(person(), sco, SCORM12)
    assert state["cmi.launch_data"] == ""
    assert not {"cmi.student_data.mastery_score", "cmi.student_data.max_time_allowed",
                "cmi.student_data.time_limit_action"} & set(state)


def test_initial_values():
    assert attempts.initial_values(person(), sco_row(mastery_score="75"), SCORM12) == {
        "cmi.core.student_id": "ada",
        "cmi.core.student_name": "Lovelace, Ada",
        "cmi.core.credit": "credit",
        "cmi.core.lesson_mode": "normal",
        "cmi.launch_data": "",
        "cmi.comments_from_lms": "",
        "cmi.student_data.mastery_score": "75",
        "cmi.core.lesson_status": "not attempted",
        "cmi.core.entry": "ab-initio",
        "cmi.core.total_time": "0000:00:00.00",
    }


# -- typed columns ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "cmi, typed",
    [
        ({}, ("not attempted", None, 0.0)),
        ({"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "87.5", "cmi.core.total_time": "0001:00:30.5"},
         ("passed", 87.5, 3630.5)),
        ({"cmi.core.lesson_status": "", "cmi.core.score.raw": "", "cmi.core.total_time": ""}, ("not attempted", None, 0.0)),
        ({"cmi.core.score.raw": "high", "cmi.core.total_time": "1h"}, ("not attempted", None, 0.0)),
    ],
)
def test_typed_columns_follow_the_state(cmi, typed):
    record = SimpleNamespace(cmi=cmi, lesson_status=None, score_raw=1.0, total_seconds=9.0)
    attempts.replace_cmi(record, cmi, SCORM12)
    assert (record.lesson_status, record.score_raw, record.total_seconds) == typed


def test_replace_cmi_assigns_a_fresh_dict():
    state = {"cmi.core.lesson_status": "failed"}
    record = SimpleNamespace(cmi={}, lesson_status="", score_raw=None, total_seconds=0.0)
    attempts.replace_cmi(record, state, SCORM12)
    assert record.cmi == state and record.cmi is not state
    assert record.lesson_status == "failed"


# -- current attempt ---------------------------------------------------------------------


def scos(world, course) -> dict[str, CoursewareSco]:
    with world.db.read() as s:
        rows = s.scalars(select(CoursewareSco).where(CoursewareSco.courseware_id == course.courseware.id))
        return {r.sco_id: r for r in rows}


def make_attempt(world, course, sco_id="item_1", **cmi_and_columns) -> ScoAttempt:
    columns = {k: cmi_and_columns.pop(k) for k in ("started_at", "exited_at") if k in cmi_and_columns}
    with world.db.write() as s:
        attempt = attempts.get_or_create_attempt(
            s, course.assignment_status.id, scos(world, course)[sco_id], s.get(User, course.learner.id))
        attempts.replace_cmi(attempt, {**attempt.cmi, **cmi_and_columns}, SCORM12)
        for name, value in columns.items():
            setattr(attempt, name, value)
    return attempt


def test_get_or_create_makes_one_attempt_from_the_initial_values(world):
    course = world.course(scos=1, mastery_score=60)
    sco = scos(world, course)["item_1"]
    with world.db.write() as s:
        learner = s.get(User, course.learner.id)
        first = attempts.get_or_create_attempt(s, course.assignment_status.id, sco, learner, started_at=T0)
        again = attempts.get_or_create_attempt(s, course.assignment_status.id, sco, learner)
    assert first.id == again.id
    assert (first.attempt_number, first.started_at, first.lesson_status) == (1, T0, "not attempted")
    assert first.cmi["cmi.student_data.mastery_score"] == "60"


def test_get_or_create_returns_the_row_a_racing_writer_made(world, monkeypatch):
    course = world.course(scos=1)
    existing = make_attempt(world, course)
    real_find, calls = attempts.find_attempt, []

    def find_late(session, status_id, sco_pk):
        # The first look misses the row, as when the other writer had not committed yet.
        calls.append(1)
        return None if len(calls) == 1 else real_find(session, status_id, sco_pk)

    monkeypatch.setattr(attempts, "find_attempt", find_late)
    with world.db.write() as s:
        got = attempts.get_or_create_attempt(
            s, course.assignment_status.id, scos(world, course)["item_1"], s.get(User, course.learner.id))
    assert got.id == existing.id and len(calls) == 2
    with world.db.read() as s:
        assert len(s.scalars(select(ScoAttempt).where(ScoAttempt.assignment_status_id == course.assignment_status.id)).all()) == 1


# -- history -------------------------------------------------------------------------------


def test_archive_upserts_per_attempt_number(world):
    course = world.course(scos=1)
    made = make_attempt(world, course, **{"cmi.core.lesson_status": "failed", "started_at": T0})
    with world.db.write() as s:
        attempt = s.get(ScoAttempt, made.id)
        attempt.title = "Try 1"
        first = attempts.archive(s, attempt)
        attempts.replace_cmi(attempt, {**attempt.cmi, "cmi.core.lesson_status": "passed"}, SCORM12)
        again = attempts.archive(s, attempt)
        assert attempts.current_history(s, attempt).id == first.id == again.id
        attempt.attempt_number = 2
        assert attempts.current_history(s, attempt) is None
        second = attempts.archive(s, attempt)
    with world.db.read() as s:
        rows = s.scalars(select(ScoAttemptHistory).where(ScoAttemptHistory.attempt_id == made.id)
                         .order_by(ScoAttemptHistory.attempt_number)).all()
    assert [(r.attempt_number, r.lesson_status, r.title, r.started_at) for r in rows] == [
        (1, "passed", "Try 1", T0), (2, "passed", "Try 1", T0)]
    assert rows[1].id == second.id


# -- reading many SCOs ------------------------------------------------------------------------


def test_sco_keys_and_scos_with_attempts_in_sco_order(world):
    course = world.course(scos=3)
    with world.db.write() as s:
        s.add(CoursewareSco(courseware_id=course.courseware.id, sco_id="Item_0", title="x", launch="x", ordinal=9))
    make_attempt(world, course, "item_2")
    with world.db.read() as s:
        keys = attempts.sco_keys(s, course.courseware.id)
        pairs = attempts.scos_with_attempts(s, course.assignment_status.id, [pk for _, pk in keys])
        assert attempts.scos_with_attempts(s, course.assignment_status.id, []) == []
    assert [k for k, _ in keys] == ["Item_0", "item_1", "item_2", "item_3"]
    assert [(sco.sco_id, attempt is not None) for sco, attempt in pairs] == [
        ("Item_0", False), ("item_1", False), ("item_2", True), ("item_3", False)]


# -- roll-up -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statuses, rolled",
    [
        ([], "not attempted"),
        (["not attempted", "not attempted"], "not attempted"),
        (["passed", "completed"], "completed"),
        (["passed"], "completed"),
        (["passed", "failed"], "failed"),
        (["failed", "failed"], "failed"),
        (["failed", "not attempted"], "incomplete"),
        (["passed", "incomplete"], "incomplete"),
        (["browsed", "not attempted"], "incomplete"),
        (["completed", "browsed"], "incomplete"),
    ],
)
def test_rolled_up_status(statuses, rolled):
    assert attempts.rolled_up_status(statuses) == rolled


def rolled_up(world, course) -> AssignmentStatus:
    with world.db.write() as s:
        status = attempts.lock_status(s, course.assignment_status.id)
        attempts.rollup(s, status)
    return status


def test_rollup_of_a_course_never_opened(world):
    course = world.course(scos=2)
    status = rolled_up(world, course)
    assert (status.status, status.score, status.total_seconds, status.started_at, status.completed_at) == (
        "not attempted", None, 0.0, None, None)


def test_rollup_score_time_and_dates(world):
    course = world.course(scos=3)
    make_attempt(world, course, "item_1", **{"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "90",
                                            "cmi.core.total_time": "0000:10:00", "started_at": T0 + timedelta(hours=1),
                                            "exited_at": T0 + timedelta(hours=2)})
    make_attempt(world, course, "item_2", **{"cmi.core.lesson_status": "completed", "cmi.core.total_time": "0000:00:30",
                                            "started_at": T0, "exited_at": T0 + timedelta(hours=3)})
    status = rolled_up(world, course)
    assert (status.status, status.score, status.total_seconds, status.started_at, status.completed_at) == (
        "incomplete", 90.0, 630.0, T0, None)
    make_attempt(world, course, "item_3", **{"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "60"})
    status = rolled_up(world, course)
    assert (status.status, status.score, status.completed_at) == ("completed", 75.0, T0 + timedelta(hours=3))


def test_rollup_without_exit_dates_keeps_or_stamps_completion(world):
    course = world.course(scos=1)
    make_attempt(world, course, **{"cmi.core.lesson_status": "completed"})
    first = rolled_up(world, course).completed_at
    assert first is not None
    assert rolled_up(world, course).completed_at == first


# -- retry -------------------------------------------------------------------------------------


def lose_race_once(world, attempt_id, losses: int):
    """A unit of work that changes the attempt, losing the race ``losses`` times:
    the version moves under it between its read and its write."""
    runs = []

    def work(session):
        runs.append(1)
        attempt = session.get(ScoAttempt, attempt_id)
        if len(runs) <= losses:
            session.execute(
                update(ScoAttempt).where(ScoAttempt.id == attempt_id).values(version=ScoAttempt.version + 1),
                execution_options={"synchronize_session": False},
            )
        attempt.title = f"run {len(runs)}"
        session.flush()
        return attempt.title

    return work, runs


def test_run_with_retry_reapplies_after_a_lost_race(world):
    course = world.course(scos=1)
    made = make_attempt(world, course)
    work, runs = lose_race_once(world, made.id, losses=2)
    assert attempts.run_with_retry(world.db, work) == "run 3"
    assert len(runs) == 3
    with world.db.read() as s:
        stored = s.get(ScoAttempt, made.id)
    assert (stored.title, stored.version) == ("run 3", made.version + 1)


def test_run_with_retry_gives_up_with_a_409(world):
    course = world.course(scos=1)
    made = make_attempt(world, course)
    work, runs = lose_race_once(world, made.id, losses=99)
    with pytest.raises(ServiceError) as caught:
        attempts.run_with_retry(world.db, work, attempts=3)
    assert (caught.value.code, HTTP_STATUS[caught.value.code], len(runs)) == (ErrorCode.CONCURRENCY_CONFLICT, 409, 3)
    with world.db.read() as s:
        stored = s.get(ScoAttempt, made.id)
    assert (stored.title, stored.version) == (made.title, made.version)


def test_run_with_retry_does_not_retry_other_errors(world):
    runs = []

    def work(_session):
        runs.append(1)
        raise ServiceError(ErrorCode.ITEM_NOT_FOUND, "gone")

    with pytest.raises(ServiceError):
        attempts.run_with_retry(world.db, work)
    assert runs == [1]
