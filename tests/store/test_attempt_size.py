"""One attempt's run-time data is bounded: content cannot grow it commit by
commit until reading it takes a worker's memory."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from scormapi.auth.tokens import token_hash
from scormapi.errors import ErrorCode, ServiceError
from scormapi.store import runtime
from scormapi.store.models import AccessToken, ScoAttempt


def _launched(world):
    course = world.course(scos=1)
    opened = runtime.launch(world.db, course.learner.id, course.assignment_status.id, "item_1")
    with world.db.read() as s:
        token_id = s.scalar(select(AccessToken.id).where(AccessToken.token_hash == token_hash(opened.token)))
    return opened, token_id


def _interactions(start: int, count: int) -> dict[str, str]:
    return {f"cmi.interactions.{n}.id": f"question-{n:04d}-" + "x" * 200 for n in range(start, start + count)}


def test_a_commit_that_would_pass_the_limit_is_refused_and_stores_nothing(world):
    settings = world.settings.model_copy(update={"attempt_max_chars": 20_000})
    opened, token_id = _launched(world)
    first = runtime.commit(world.db, settings, token_id, opened.attempt_id, opened.commit_seq + 1, _interactions(0, 40))
    assert first.applied
    with pytest.raises(ServiceError) as refused:
        runtime.commit(world.db, settings, token_id, opened.attempt_id, opened.commit_seq + 2, _interactions(40, 60))
    assert refused.value.code == ErrorCode.VALIDATION_ERROR
    assert "over this server's limit of 20000; nothing was stored" in refused.value.message
    with world.db.read() as s:
        attempt = s.get(ScoAttempt, opened.attempt_id)
        assert (attempt.commit_seq, "cmi.interactions.40.id" in attempt.cmi) == (opened.commit_seq + 1, False)


def test_the_default_leaves_room_for_a_long_quiz(world):
    assert world.settings.attempt_max_chars == 2_000_000
    opened, token_id = _launched(world)
    result = runtime.commit(world.db, world.settings, token_id, opened.attempt_id, opened.commit_seq + 1,
                            {"cmi.suspend_data": "s" * 64000, **_interactions(0, 1000)})
    assert result.applied
