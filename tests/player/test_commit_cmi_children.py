"""cmi._children in a run-time commit: a keyword like any other, so content
that sends it gets SCORM's 402 and nothing of the commit is stored."""
from __future__ import annotations

import pytest

from tests.api.scorm_helpers import load_attempt
from tests.player.helpers import commit, launch


@pytest.mark.parametrize("value", ["core", ""])
def test_committing_cmi_children_is_refused_as_a_keyword(world, content_http, value):
    course = world.course(scos=1)
    launched = launch(world, course)
    sent = {"cmi.core.lesson_location": "kept?", "cmi._children": value}
    r = commit(content_http, launched, launched["commit_seq"] + 1, sent)
    assert r.status_code == 422
    entity = r.json()["api_error_entity"]
    assert entity["error_code"] == 2
    assert entity["error_message"] == (
        "Invalid request: values.cmi._children: 402 Invalid set value, element is a keyword")
    attempt = load_attempt(world, course)
    assert "cmi.core.lesson_location" not in attempt.cmi and "cmi._children" not in attempt.cmi
    assert attempt.commit_seq == launched["commit_seq"]
