"""The console's pages through a real server: who may enter, what each
page shows to whom, and the repair and reset forms' effects on the
database."""
from __future__ import annotations

import re
from contextlib import closing
from datetime import UTC, datetime

import httpx
import pytest

from scormapi.auth.permissions import Permission
from scormapi.ops.attempts import RESET_ACTION
from scormapi.ops.edits import EDIT_ACTION, iso_utc
from scormapi.packages.synthetic import synthetic_scorm2004_package
from tests.console.helpers import current_attempt, events_about, record_path, stuck_scene, text_of
from tests.player.helpers import csrf_field, enrolled_course, sign_in
from tests.world import unique


@pytest.fixture()
def scene(world, content_http):
    return stuck_scene(world, content_http)


def signed_in(base_url, user):
    return closing(sign_in(base_url, user.login))


@pytest.fixture()
def support(scene, base_url):
    client = sign_in(base_url, scene.support.login)
    yield client
    client.close()


def edit_form(client, scene, **fields):
    """POST the repair form as the SCO page sends it."""
    page = client.get(record_path(scene.course))
    data = {"csrf_token": csrf_field(page.text), "sco": "item_1", **fields}
    return client.post(f"/admin/records/{scene.course.assignment_status.id}/edit", data=data)


# -- who may enter -----------------------------------------------------------------


def test_a_stranger_is_sent_to_the_sign_in_form(base_url):
    with httpx.Client(base_url=base_url) as client:
        r = client.get("/admin/learners?q=x")
    assert r.status_code == 303
    assert r.headers["location"].endswith("/login?next=%2Fadmin%2Flearners%3Fq%3Dx")


def test_signing_in_with_next_admin_opens_the_console(scene, base_url):
    with httpx.Client(base_url=base_url) as client:
        form = client.get("/login?next=/admin")
        data = {"login": scene.support.login, "password": "correct horse battery", "csrf_token": csrf_field(form.text),
                "next": "/admin"}
        r = client.post("/login", data=data)
        assert (r.status_code, r.headers["location"]) == (303, "/admin")
        home = client.get("/admin")
    assert home.status_code == 200
    assert "frame-ancestors 'none'" in home.headers["content-security-policy"]


def test_a_user_without_administrative_permissions_is_refused(scene, base_url):
    with signed_in(base_url, scene.course.learner) as client:
        for path in ("/admin", "/admin/learners", record_path(scene.course), "/admin/audit"):
            r = client.get(path)
            assert r.status_code == 403, path
            assert "Administrators only Your account holds no administrative permission" in text_of(r.text)
            assert "Grace" not in r.text


def test_signing_out_ends_the_console_session(support):
    home = support.get("/admin")
    r = support.post("/logout", data={"csrf_token": csrf_field(home.text)})
    assert r.status_code == 303
    assert support.get("/admin").status_code == 303


# -- the tree and finding a learner --------------------------------------------------


def test_home_shows_the_organizations_the_grants_reach_as_a_tree(world, scene, support):
    child = world.org(name="Child unit")
    grandchild = world.org(parent=child, name="Grandchild unit")
    html = support.get("/admin").text
    top = html.index(f'href="/admin/learners?org={world.top.id}"')
    nested = html.index(f'href="/admin/learners?org={child.id}"')
    deeper = html.index(f'href="/admin/learners?org={grandchild.id}"')
    assert top < nested < deeper
    # Each level is a list inside its parent's item.
    between = html[top:deeper]
    assert between.count('<ul class="tree">') == 2
    assert "sibling" not in html


def test_an_organization_lists_its_learners(scene, support, world):
    r = support.get(f"/admin/learners?org={world.top.id}")
    assert r.status_code == 200
    assert f'href="/admin/learners/{scene.course.learner.id}">Grace Hopper ({scene.course.learner.login})</a>' in r.text


@pytest.mark.parametrize("query", ["hopper", "GRACE", "grace-"])
def test_a_learner_is_found_by_login_or_name(scene, support, query):
    r = support.get("/admin/learners", params={"q": query})
    assert r.status_code == 200
    assert f"Grace Hopper ({scene.course.learner.login})" in text_of(r.text)


def test_a_user_of_a_sibling_tree_finds_nothing(scene, base_url, world):
    with signed_in(base_url, scene.stranger) as client:
        found = client.get("/admin/learners", params={"q": "Hopper"})
        assert "No learner found." in text_of(found.text) and "Grace" not in found.text
        assert client.get(f"/admin/learners?org={world.top.id}").status_code == 404
        learner = client.get(f"/admin/learners/{scene.course.learner.id}")
        assert learner.status_code == 404 and "Grace" not in learner.text
        record = client.get(record_path(scene.course))
        assert record.status_code == 403
        assert text_of(record.text).endswith("Not allowed Not authorized to view CMI data Back to the organizations")
        assert "Grace" not in record.text and "cmi.core" not in record.text


def test_a_learner_page_shows_enrollments_and_every_sco(scene, support):
    course = scene.course
    r = support.get(f"/admin/learners/{course.learner.id}")
    assert r.status_code == 200
    text = text_of(r.text)
    assert f"Grace Hopper ({course.learner.login})" in text
    assert f"{course.assignment.title} incomplete · Score 40 · Time 0000:05:00.00" in text
    row1 = re.search(r'<tr data-sco-id="item_1">(.*?)</tr>', r.text, re.DOTALL)[1]
    assert text_of(row1).startswith("Lesson 1 incomplete 40 0000:05:00.00 20")
    assert text_of(row1).endswith("UTC 1")
    row2 = re.search(r'<tr data-sco-id="item_2">(.*?)</tr>', r.text, re.DOTALL)[1]
    assert text_of(row2) == "Lesson 2 not attempted – 0000:00:00.00 – – –"
    assert f'href="/admin/records/{course.assignment_status.id}?sco=item_1"' in r.text


# -- the SCO page ----------------------------------------------------------------------


def test_the_sco_page_shows_every_stored_value_and_both_histories(scene, support):
    r = support.get(record_path(scene.course))
    assert r.status_code == 200
    text = text_of(r.text)
    assert "cmi.core.lesson_status incomplete" in text and "cmi.core.score.raw 40" in text
    assert "cmi.core.lesson_location page-3" in text and "cmi.student_data.mastery_score 80" in text
    assert "Interactions # id result student_response type 0 q1 wrong b choice" in text
    assert "Objectives # id score.raw status 0 obj-golf 40 incomplete" in text
    assert re.search(r"Attempt history .* 1 incomplete 40 0000:05:00.00 \S+ \S+ UTC \S+ \S+ UTC current, counted", text)
    assert "Edit history Never edited." in text
    assert r.text.count("<h1>") == 1


def test_a_view_only_user_reads_the_record_but_gets_no_form(world, scene, base_url):
    with signed_in(base_url, scene.viewer) as client:
        r = client.get(record_path(scene.course))
        assert r.status_code == 200
        assert "cmi.core.lesson_status incomplete" in text_of(r.text)
        assert "/edit" not in r.text and "/reset" not in r.text and "<textarea" not in r.text
        assert "You may read this record. Repairing it or starting a fresh attempt needs Update Section Enrollments." in text_of(r.text)
        # Posting anyway is refused by the operation; nothing changes.
        data = {"csrf_token": csrf_field(r.text), "sco": "item_1", "lesson_status": "passed", "reason": "try"}
        post = client.post(f"/admin/records/{scene.course.assignment_status.id}/edit", data=data)
        assert post.status_code == 403 and "Not authorized to edit SCORM data" in post.text
        reset = client.post(f"/admin/records/{scene.course.assignment_status.id}/reset", data={**data, "reason": "x"})
        assert reset.status_code == 403 and "Not authorized to reset SCORM attempts" in reset.text
    assert current_attempt(world, scene.course).lesson_status == "incomplete"
    assert events_about(world, scene.course.learner, EDIT_ACTION) == []


def test_an_unknown_sco_is_not_found(scene, support):
    r = support.get(f"/admin/records/{scene.course.assignment_status.id}?sco=nope")
    assert r.status_code == 404 and "SCO 'nope' of the assignment's courseware was not found" in text_of(r.text)


# -- repairing -------------------------------------------------------------------------


def field_error(html: str, name: str) -> str:
    """The error shown under a field, checked to be tied to it."""
    control = re.search(rf'<(?:input|select|textarea)[^>]*\bid="f-{name}"[^>]*>', html)[0]
    assert f'f-{name}-error' in control and 'aria-invalid="true"' in control
    return text_of(re.search(rf'<p class="field-error" id="f-{name}-error">(.*?)</p>', html, re.DOTALL)[1])


def test_each_bad_field_is_named_beside_it_and_nothing_changes(world, scene, support):
    r = edit_form(support, scene, raw_score="abc", lesson_status="done", session_time="5 minutes", reason="")
    assert r.status_code == 422
    assert field_error(r.text, "raw_score") == "must be a number"
    assert field_error(r.text, "lesson_status").startswith("not a valid cmi.core.lesson_status (")
    assert field_error(r.text, "session_time").startswith("not a valid cmi.core.session_time (")
    assert field_error(r.text, "reason") == "A reason is required: say why the record is repaired."
    assert "Nothing was saved. Correct 4 fields:" in text_of(r.text)
    # What was typed is kept.
    assert 'value="abc"' in r.text and 'value="5 minutes"' in r.text
    assert current_attempt(world, scene.course).lesson_status == "incomplete"


def test_a_score_out_of_range_is_refused_as_the_api_refuses_it(world, scene, support):
    r = edit_form(support, scene, raw_score="150", reason="typo")
    assert r.status_code == 422
    api = world.post("ScormApi/EditScormData", {"assignment_status_id": str(scene.course.assignment_status.id),
                                                "sco_id": "item_1", "raw_score": 150})
    assert api.status_code == 422
    assert f"raw_score: {field_error(r.text, 'raw_score')}" in api.json()["api_error_entity"]["error_message"]


def test_a_first_submit_shows_changes_and_warnings_and_saves_nothing(world, scene, support):
    r = edit_form(support, scene, lesson_status="passed", raw_score="70", reason="Learner finished on paper")
    assert r.status_code == 200
    text = text_of(r.text)
    assert ("Check before saving This repair changes: cmi.core.lesson_status: “incomplete” → “passed” "
            "cmi.core.score.raw: “40” → “70”") in text
    assert ("Warning: lesson_status 'passed' contradicts the mastery score: raw_score 70 is below the mastery score 80"
            in text)
    assert 'name="confirm" value="1"' in r.text
    assert current_attempt(world, scene.course).lesson_status == "incomplete"
    assert current_attempt(world, scene.course).score_raw == 40
    assert events_about(world, scene.course.learner, EDIT_ACTION) == []


def test_a_confirmed_repair_is_saved_audited_and_shown_in_the_history(world, scene, support):
    r = edit_form(support, scene, lesson_status="passed", raw_score="85", reason="Learner finished on paper",
                  confirm="1")
    assert r.status_code == 303
    assert r.headers["location"] == f"{record_path(scene.course)}&done=saved"
    attempt = current_attempt(world, scene.course)
    assert (attempt.lesson_status, attempt.score_raw) == ("passed", 85)
    [event] = events_about(world, scene.course.learner, EDIT_ACTION)
    assert (event.actor_user_id, event.reason) == (scene.support.id, "Learner finished on paper")
    assert event.details["changes"] == [
        {"cmi_element_name": "cmi.core.lesson_status", "old_value": "incomplete", "new_value": "passed"},
        {"cmi_element_name": "cmi.core.score.raw", "old_value": "40", "new_value": "85"},
    ]
    page = support.get(r.headers["location"])
    text = text_of(page.text)
    assert "The repair was saved; it is the newest entry of the edit history." in text
    assert (f"by Sam Support ({scene.support.login}) · attempt 1 Reason: Learner finished on paper "
            "cmi.core.lesson_status: “incomplete” → “passed” cmi.core.score.raw: “40” → “85”") in text
    assert "Current attempt Status passed Score 85" in text


def test_values_equal_to_the_stored_ones_save_nothing(world, scene, support):
    r = edit_form(support, scene, lesson_status="incomplete", reason="check")
    assert (r.status_code, r.headers["location"]) == (303, f"{record_path(scene.course)}&done=unchanged")
    assert events_about(world, scene.course.learner, EDIT_ACTION) == []


def test_a_form_without_the_session_csrf_value_changes_nothing(world, scene, support):
    data = {"csrf_token": "forged", "sco": "item_1", "lesson_status": "passed", "reason": "x", "confirm": "1"}
    r = support.post(f"/admin/records/{scene.course.assignment_status.id}/edit", data=data)
    assert r.status_code == 400 and "The form expired" in r.text
    r = support.post(f"/admin/records/{scene.course.assignment_status.id}/reset", data={**data})
    assert r.status_code == 400
    assert current_attempt(world, scene.course).lesson_status == "incomplete"


def test_a_form_posted_by_another_site_changes_nothing(world, scene, support):
    page = support.get(record_path(scene.course))
    data = {"csrf_token": csrf_field(page.text), "sco": "item_1", "lesson_status": "passed", "reason": "x",
            "confirm": "1"}
    r = support.post(f"/admin/records/{scene.course.assignment_status.id}/edit", data=data,
                     headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 400 and "Not sent from this site" in r.text
    assert current_attempt(world, scene.course).lesson_status == "incomplete"


def test_the_title_and_dates_are_offered_with_the_stored_ones_read_as_utc(world, scene, support):
    attempt = current_attempt(world, scene.course)
    page = support.get(record_path(scene.course))
    text = text_of(page.text)
    assert "Title Writes title; now “Lesson 1”." in text
    started = iso_utc(attempt.started_at)
    assert f"Start date (UTC) Writes start_date_utc, read as UTC; now “{started}”." in text
    assert "Exit date (UTC) Writes exit_date_utc, read as UTC; now “" in text
    assert ('<input id="f-start_date_utc" name="start_date_utc" type="datetime-local" value="" '
            'aria-describedby="f-start_date_utc-hint">') in page.text
    assert '<label for="f-exit_date_utc">Exit date (UTC)</label>' in page.text


def test_a_new_title_is_previewed_then_saved_and_audited(world, scene, support):
    r = edit_form(support, scene, title="Lesson 1 (paper copy)", reason="Renamed by the author")
    assert r.status_code == 200
    assert "This repair changes: title: “Lesson 1” → “Lesson 1 (paper copy)”" in text_of(r.text)
    assert '<input type="hidden" name="title" value="Lesson 1 (paper copy)">' in r.text
    assert current_attempt(world, scene.course).title is None
    r = edit_form(support, scene, title="Lesson 1 (paper copy)", reason="Renamed by the author", confirm="1")
    assert r.status_code == 303
    assert current_attempt(world, scene.course).title == "Lesson 1 (paper copy)"
    [event] = events_about(world, scene.course.learner, EDIT_ACTION)
    assert event.details["changes"] == [
        {"cmi_element_name": "title", "old_value": "Lesson 1", "new_value": "Lesson 1 (paper copy)"}]
    page = support.get(r.headers["location"])
    assert "<h1>Lesson 1 (paper copy)</h1>" in page.text


def test_both_dates_are_read_as_utc_and_saved(world, scene, support):
    before = current_attempt(world, scene.course)
    r = edit_form(support, scene, start_date_utc="2026-03-01T09:30", exit_date_utc="2026-03-01T10:15:30",
                  reason="Clock of the kiosk was wrong", confirm="1")
    assert r.status_code == 303
    attempt = current_attempt(world, scene.course)
    assert attempt.started_at == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    assert attempt.exited_at == datetime(2026, 3, 1, 10, 15, 30, tzinfo=UTC)
    [event] = events_about(world, scene.course.learner, EDIT_ACTION)
    assert event.details["changes"] == [
        {"cmi_element_name": "start_date_utc", "old_value": iso_utc(before.started_at),
         "new_value": "2026-03-01T09:30:00.000Z"},
        {"cmi_element_name": "exit_date_utc", "old_value": iso_utc(before.exited_at),
         "new_value": "2026-03-01T10:15:30.000Z"},
    ]
    assert event.details["warnings"] == []
    text = text_of(support.get(r.headers["location"]).text)
    assert "Start date (UTC) Writes start_date_utc, read as UTC; now “2026-03-01T09:30:00.000Z”." in text


def test_an_exit_before_the_start_is_warned_of_in_the_preview(world, scene, support):
    before = current_attempt(world, scene.course)
    r = edit_form(support, scene, start_date_utc="2026-03-01T10:00", exit_date_utc="2026-03-01T09:00",
                  reason="Dates from the paper form")
    assert r.status_code == 200
    assert "Warning: exit_date_utc is before start_date_utc Save only if" in text_of(r.text)
    assert '<input type="hidden" name="exit_date_utc" value="2026-03-01T09:00">' in r.text
    assert events_about(world, scene.course.learner, EDIT_ACTION) == []
    after = current_attempt(world, scene.course)
    assert (after.started_at, after.exited_at) == (before.started_at, before.exited_at)


def test_a_bad_date_is_named_beside_its_field_and_nothing_changes(world, scene, support):
    before = current_attempt(world, scene.course)
    r = edit_form(support, scene, start_date_utc="2026-03-01T09:30", exit_date_utc="2026-13-01T10:00",
                  reason="x", confirm="1")
    assert r.status_code == 422
    assert field_error(r.text, "exit_date_utc") == "Give a date and time as YYYY-MM-DDTHH:MM, in UTC."
    assert "Nothing was saved. Correct 1 field: exit_date_utc:" in text_of(r.text)
    assert 'value="2026-13-01T10:00"' in r.text
    assert current_attempt(world, scene.course).started_at == before.started_at
    assert events_about(world, scene.course.learner, EDIT_ACTION) == []


# -- resetting -------------------------------------------------------------------------


def test_a_reset_needs_a_reason(world, scene, support):
    page = support.get(record_path(scene.course))
    r = support.post(f"/admin/records/{scene.course.assignment_status.id}/reset",
                     data={"csrf_token": csrf_field(page.text), "sco": "item_1", "reason": "  "})
    assert r.status_code == 422
    assert "A reason is required: say why the attempt is reset." in text_of(r.text)
    assert current_attempt(world, scene.course).attempt_number == 1


def test_a_reset_starts_a_fresh_attempt_and_files_the_old_one(world, scene, support):
    page = support.get(record_path(scene.course))
    r = support.post(f"/admin/records/{scene.course.assignment_status.id}/reset",
                     data={"csrf_token": csrf_field(page.text), "sco": "item_1", "reason": "Stuck content"})
    assert (r.status_code, r.headers["location"]) == (303, f"{record_path(scene.course)}&done=reset")
    attempt = current_attempt(world, scene.course)
    assert (attempt.attempt_number, attempt.lesson_status) == (2, "not attempted")
    [event] = events_about(world, scene.course.learner, RESET_ACTION)
    assert (event.actor_user_id, event.reason) == (scene.support.id, "Stuck content")
    text = text_of(support.get(r.headers["location"]).text)
    assert "A fresh attempt was started; the previous one is in the attempt history." in text
    assert re.search(r"Attempt history .* 2 not attempted – 0000:00:00.00 – – current(, counted)? "
                     r"1 incomplete 40 0000:05:00.00", text)


# -- the audit log ---------------------------------------------------------------------


def repaired(world, scene, support):
    edit_form(support, scene, lesson_status="passed", raw_score="85", reason="Paper exam", confirm="1")


def test_the_audit_log_shows_the_repair_with_who_and_why(world, scene, support):
    repaired(world, scene, support)
    r = support.get("/admin/audit", params={"org": str(world.top.id), "learner": scene.course.learner.login})
    assert r.status_code == 200
    text = text_of(r.text)
    assert "1 event in " in text
    assert (f"scorm.edit Sam Support ({scene.support.login}) Grace Hopper ({scene.course.learner.login}) Paper exam "
            "cmi.core.lesson_status: “incomplete” → “passed”") in text


def test_the_audit_log_filters_by_actor_and_day(world, scene, support):
    repaired(world, scene, support)
    params = {"org": str(world.top.id), "actor": scene.viewer.login}
    assert "0 events in" in text_of(support.get("/admin/audit", params=params).text)
    today = current_attempt(world, scene.course).updated_at.date().isoformat()
    params = {"org": str(world.top.id), "actor": scene.support.login, "since": today, "until": today}
    assert "1 event in" in text_of(support.get("/admin/audit", params=params).text)
    params = {"org": str(world.top.id), "until": "2001-01-01"}
    assert "0 events in" in text_of(support.get("/admin/audit", params=params).text)


def test_the_audit_log_pages(world, scene, support):
    for n in range(27):
        edit_form(support, scene, lesson_location=f"page-{n}", reason=f"move {n}", confirm="1")
    first = support.get("/admin/audit", params={"org": str(world.top.id), "actor": scene.support.login})
    assert "27 events in" in text_of(first.text) and "Page 1 of 2" in text_of(first.text)
    assert first.text.count("<tr>") == 25 + 1 and 'rel="next"' in first.text and 'rel="prev"' not in first.text
    second = support.get("/admin/audit", params={"org": str(world.top.id), "actor": scene.support.login, "page": 2})
    assert second.text.count("<tr>") == 2 + 1 and "move 0" in second.text and 'rel="prev"' in second.text


def test_a_bad_day_is_named_beside_its_field(world, scene, support):
    r = support.get("/admin/audit", params={"org": str(world.top.id), "since": "yesterday"})
    assert r.status_code == 422
    control = re.search(r'<input[^>]*id="a-since"[^>]*>', r.text)[0]
    assert 'aria-describedby="a-since-hint a-since-error"' in control
    assert "Give a date as YYYY-MM-DD." in text_of(r.text)


def test_the_audit_log_needs_view_audit_log(scene, base_url, world):
    with signed_in(base_url, scene.viewer) as client:
        r = client.get("/admin/audit")
        assert r.status_code == 403 and "You hold View Audit Log in no organization." in text_of(r.text)
        assert 'href="/admin/audit"' not in client.get("/admin").text
    with signed_in(base_url, scene.stranger) as client:
        r = client.get("/admin/audit", params={"org": str(world.top.id)})
        assert r.status_code == 404 and "Grace" not in r.text


def test_a_scorm_2004_sco_offers_its_own_fields_and_is_repaired_through_them(world, base_url):
    course = enrolled_course(world, synthetic_scorm2004_package(unique("Course"), [{"title": "Unit 1"}]))
    support = world.user(permissions={world.top: (Permission.VIEW_SECTION_ENROLLMENTS,
                                                  Permission.UPDATE_SECTION_ENROLLMENTS)})
    with signed_in(base_url, support) as client:
        path = f"/admin/records/{course.assignment_status.id}?sco={course.sco_ids[0]}"
        page = client.get(path)
        assert page.status_code == 200 and "SCORM 2004" in text_of(page.text)
        for name in ("completion_status", "success_status", "score_scaled", "progress_measure", "lesson_status"):
            assert f'name="{name}"' in page.text
        assert 'name="preference_speed"' not in page.text
        assert "Writes cmi.completion_status and cmi.success_status" in text_of(page.text)
        data = {"csrf_token": csrf_field(page.text), "sco": course.sco_ids[0], "score_scaled": "2", "reason": "x"}
        r = client.post(f"/admin/records/{course.assignment_status.id}/edit", data=data)
        assert r.status_code == 422
        assert field_error(r.text, "score_scaled").startswith("not a valid cmi.score.scaled (")
        data.update(score_scaled="0.9", completion_status="completed", confirm="1")
        assert client.post(f"/admin/records/{course.assignment_status.id}/edit", data=data).status_code == 303
        text = text_of(client.get(path).text)
        assert "cmi.completion_status completed" in text and "cmi.score.scaled 0.9" in text


def test_a_learner_the_viewer_may_not_name_shows_by_id_and_is_not_found_by_name(world, scene, base_url):
    reader = world.user(permissions={world.top: (Permission.VIEW_SECTION_ENROLLMENTS,)})
    learner = scene.course.learner
    with signed_in(base_url, reader) as client:
        listed = client.get(f"/admin/learners?org={world.top.id}")
        assert f'href="/admin/learners/{learner.id}">Learner {str(learner.id)[:8]}</a>' in listed.text
        assert learner.login not in listed.text and "Hopper" not in listed.text
        assert "No learner found." in text_of(client.get("/admin/learners", params={"q": "Hopper"}).text)
        page = client.get(f"/admin/learners/{learner.id}")
        assert page.status_code == 200 and f"<h1>Learner {str(learner.id)[:8]}</h1>" in page.text
        assert "Hopper" not in page.text
