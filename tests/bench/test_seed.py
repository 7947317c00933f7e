"""The data generator: what it writes, and that every value is valid SCORM."""
from __future__ import annotations

import random
import uuid

import pytest
from sqlalchemy import func, select

from scormapi.auth.tokens import token_hash
from scormapi.benchmark.cmidata import CmiFactory
from scormapi.benchmark.manifest import Manifest
from scormapi.benchmark.seed import Plan, seed
from scormapi.cmi import scorm12
from scormapi.cmi.scorm12.errors import ScormError
from scormapi.cmi.scorm12.timespan import timespan_seconds
from scormapi.store.models import (
    AccessToken,
    Assignment,
    AssignmentStatus,
    CoursewareSco,
    Enrollment,
    ScoAttempt,
    User,
)

LEARNERS, SCOS, SAMPLES = 7, 3, 4


@pytest.fixture(scope="module")
def seeded(db, settings, tmp_path_factory) -> Manifest:
    path = tmp_path_factory.mktemp("bench") / "manifest.json"
    # A batch smaller than one learner's attempts forces several chunks.
    return seed(db, settings, Plan(LEARNERS, SCOS, batch=5, samples=SAMPLES), path)


def _attempts(db, manifest: Manifest) -> list[ScoAttempt]:
    with db.read() as s:
        return list(
            s.scalars(
                select(ScoAttempt)
                .join(AssignmentStatus, AssignmentStatus.id == ScoAttempt.assignment_status_id)
                .where(AssignmentStatus.assignment_id == uuid.UUID(manifest.assignment_id))
            )
        )


def test_row_counts(db, seeded):
    assignment_id = uuid.UUID(seeded.assignment_id)
    with db.read() as s:
        assignment = s.get(Assignment, assignment_id)
        enrollments = s.scalar(select(func.count()).where(Enrollment.section_id == assignment.section_id))
        statuses = s.scalar(select(func.count()).where(AssignmentStatus.assignment_id == assignment_id))
        scos = s.scalar(select(func.count()).where(CoursewareSco.courseware_id == assignment.courseware_id))
        learners = s.scalar(
            select(func.count()).select_from(User).join(Enrollment, Enrollment.user_id == User.id)
            .where(Enrollment.section_id == assignment.section_id)
        )
    assert (enrollments, statuses, scos, learners) == (LEARNERS, LEARNERS, SCOS, LEARNERS)
    assert len(_attempts(db, seeded)) == LEARNERS * SCOS
    assert (seeded.learners, seeded.scos, seeded.attempts) == (LEARNERS, SCOS, LEARNERS * SCOS)


def test_every_stored_value_is_valid(db, settings, seeded):
    for attempt in _attempts(db, seeded):
        for name, value in attempt.cmi.items():
            error = scorm12.validate_value(name, value, suspend_data_limit=settings.suspend_data_max)
            assert error == ScormError.NO_ERROR, (name, value, error)


def test_typed_columns_mirror_the_cmi(db, seeded):
    for attempt in _attempts(db, seeded):
        cmi = attempt.cmi
        assert attempt.lesson_status == cmi["cmi.core.lesson_status"]
        raw = cmi.get("cmi.core.score.raw")
        assert attempt.score_raw == (float(raw) if raw else None)
        assert attempt.total_seconds == timespan_seconds(cmi["cmi.core.total_time"])


def test_samples_hold_working_launch_tokens(db, seeded):
    samples = seeded.samples()
    assert len(samples) == SAMPLES
    with db.read() as s:
        for sample in samples:
            token = s.scalar(select(AccessToken).where(AccessToken.token_hash == token_hash(sample.launch_token)))
            attempt = s.get(ScoAttempt, uuid.UUID(sample.attempt_id))
            assert token.kind == "launch" and token.attempt_id == attempt.id
            assert str(attempt.assignment_status_id) == sample.assignment_status_id


def test_the_admin_token_reads_seeded_data(http, seeded):
    sample = seeded.samples()[0]
    response = http.post(
        "/api/v1/ScormApi/GetCmiData",
        params={"access_token": seeded.admin_token},
        json={"enrollment_id": sample.enrollment_id, "assignment_id": seeded.assignment_id,
              "cmi_element_names": seeded.element_names},
    )
    assert response.status_code == 200, response.text
    items = response.json()
    assert [i["sco_id"] for i in items] == [f"sco_{n:02d}" for n in range(1, SCOS + 1)]
    assert all(len(i["cmi_fields"]) == len(seeded.element_names) for i in items)


def test_generated_attempts_follow_the_mastery_score():
    factory = CmiFactory(random.Random(3))
    for n in range(300):
        attempt = factory.attempt(f"learner-{n}", "Learner")
        raw = attempt.cmi.get("cmi.core.score.raw")
        if attempt.lesson_status == "passed":
            assert float(raw) >= 80
        if attempt.lesson_status == "failed":
            assert float(raw) < 80
        if attempt.lesson_status != "not attempted":
            assert 2048 <= len(attempt.cmi["cmi.suspend_data"]) <= 4096
