"""The administrator console given odd query strings and odd repair forms for
a SCORM 2004 SCO: a page or a 4xx in the envelope, never a 500."""
from __future__ import annotations

import pytest

from tests.api.scorm_helpers import history
from tests.console.helpers import record_path
from tests.player.helpers import commit, csrf_field, launch, sign_in


@pytest.fixture()
def admin(world, base_url):
    client = sign_in(base_url, world.admin.login)
    yield client
    client.close()


@pytest.fixture()
def course(world):
    return world.course(scos=2, scorm_version="2004")


def repair(client, course, **fields):
    page = client.get(record_path(course))
    assert page.status_code == 200, page.text
    data = {"csrf_token": csrf_field(page.text), "sco": "item_1", "reason": "odd values", "confirm": "1", **fields}
    return client.post(f"/admin/records/{course.assignment_status.id}/edit", data=data)


@pytest.mark.parametrize("query", ["until=9999-12-31", "since=9999-12-31&until=9999-12-31"])
def test_the_last_day_of_the_calendar_is_a_page(admin, query):
    r = admin.get(f"/admin/audit?{query}")
    assert r.status_code in (200, 422), r.text[:300]
    assert r.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("query", ["since=garbage", "until=31/12/2026", "since=2026-12-02&until=2026-12-01"])
def test_a_bad_day_is_named_on_the_page(admin, query):
    r = admin.get(f"/admin/audit?{query}")
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(("path", "message"), [
    ("/admin/audit?page=-1", "Invalid request: page: Input should be greater than or equal to 1"),
    ("/admin/audit?org=not-a-uuid",
     "Invalid request: org: Input should be a valid UUID, invalid character: found `n` at 0"),
    ("/admin/learners?org=not-a-uuid",
     "Invalid request: org: Input should be a valid UUID, invalid character: found `n` at 0"),
])
def test_a_malformed_query_is_a_422_in_the_envelope(admin, path, message):
    r = admin.get(path)
    assert r.status_code == 422
    assert r.json() == {"api_error_entity": {"error_code": 2, "error_message": message, "warning_messages": []}}


@pytest.mark.parametrize(("field", "value"), [("raw_score", "1e308"), ("total_time", "P" + "9" * 400 + "Y"),
                                              ("session_time", "P" + "9" * 5000 + "Y")])
def test_a_repair_with_an_extreme_value_is_a_page(world, admin, course, field, value):
    r = repair(admin, course, **{field: value})
    assert r.status_code in (303, 422), r.text[:300]
    if r.status_code == 422:
        assert r.headers["content-type"].startswith("text/html")
        assert history(world, course).json() == []


def test_a_record_holding_a_session_time_too_long_to_count_still_shows(world, admin, course, content_http):
    launched = launch(world, course)
    stored = commit(content_http, launched, 1, {"cmi.session_time": "P" + "9" * 5000 + "Y"})
    if stored.status_code == 422:
        return
    assert admin.get(record_path(course)).status_code == 200
    assert admin.get(f"/admin/learners/{course.learner.id}").status_code == 200
