"""One learner, one section, a SCORM 1.2 course and a SCORM 2004 course:
the records API answers each by its own data model, a 1.2 name asked of
the 2004 SCO through the mapping, and the learner's page lists both."""
from __future__ import annotations

import re

import pytest

from scormapi.packages.importer import synthetic_scorm12_package
from scormapi.packages.synthetic import synthetic_scorm2004_package
from scormapi.store import learning
from scormapi.store.courseware import import_package
from scormapi.store.models import Organization, User
from tests.api.scorm_helpers import OK, edit, entity, get_cmi, history, load_attempt
from tests.player.helpers import commit, launch, sign_in
from tests.world import Course, unique

NAMES_2004 = ["cmi.completion_status", "cmi.success_status", "cmi.score.raw", "cmi.location", "cmi.total_time"]
UNDER_WAY_12 = {"cmi.core.lesson_status": "incomplete", "cmi.core.lesson_location": "p2",
                "cmi.core.session_time": "00:04:00", "cmi.core.exit": "suspend"}
UNDER_WAY = {"cmi.completion_status": "incomplete", "cmi.location": "page-3", "cmi.score.raw": "40",
             "cmi.session_time": "PT10M", "cmi.exit": "suspend"}
ISO_MS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


def mixed(world, org) -> tuple[Course, Course]:
    """The 1.2 and the 2004 course, each one SCO, assigned in one section."""
    learner = world.user(org, first_name="Grace", last_name="Hopper")
    packages = (synthetic_scorm12_package(unique("Safety"), [{"title": "Fire exits"}]),
                synthetic_scorm2004_package(unique("Golf"), [{"title": "Putting"}]))
    with world.db.write() as s:
        owner = s.get(Organization, org.id)
        section = learning.create_section(s, owner, unique("section"))
        enrollment = learning.create_enrollment(s, section, s.get(User, learner.id))
        courses = []
        for package, title in zip(packages, ("Safety basics", "Golf basics")):
            courseware = import_package(s, world.settings, owner, package)
            assignment = learning.create_assignment(s, section, courseware, title)
            s.flush()
            status = learning.get_assignment_status(s, enrollment.id, assignment.id)
            courses.append(Course(section, courseware, assignment, enrollment, status, learner, ["item_1"]))
    return courses[0], courses[1]


def take(content_http, world, course, values):
    launched = launch(world, course)
    r = commit(content_http, launched, launched["commit_seq"] + 1, values, finish=True)
    assert r.status_code == 200, r.text


@pytest.fixture()
def courses(world, mid, content_http) -> tuple[Course, Course]:
    """Both courses, each opened once by the learner and left for later."""
    one, other = mixed(world, mid)
    take(content_http, world, one, UNDER_WAY_12)
    take(content_http, world, other, UNDER_WAY)
    return one, other


def field(name: str, value: str, error: str | None = None) -> dict:
    return {"cmi_element_name": name, "cmi_element_value": value, "error_message": error}


def only_item(response) -> dict:
    assert response.status_code == 200, response.text
    [item] = response.json()
    for date in ("start_date_utc", "exit_date_utc"):
        assert ISO_MS.fullmatch(item.pop(date))
    return item


def test_each_sco_answers_by_its_own_data_model(world, courses):
    one, other = courses
    names = [*NAMES_2004, "cmi.core.lesson_status", "cmi.core.score.raw", "cmi.core.student_preference.speed"]
    assert only_item(get_cmi(world, other, names)) == {
        "title": "Putting",
        "sco_id": "item_1",
        "cmi_fields": [
            field("cmi.completion_status", "incomplete"), field("cmi.success_status", "unknown"),
            field("cmi.score.raw", "40"), field("cmi.location", "page-3"), field("cmi.total_time", "PT10M"),
            field("cmi.core.lesson_status", "incomplete"), field("cmi.core.score.raw", "40"),
            # 1.2's speed has no scale in common with delivery_speed: no answer.
            field("cmi.core.student_preference.speed", "", "401 Undefined Data Model Element"),
        ],
        "api_error_entity": {"error_code": 0, "warning_messages": [
            ("cmi.core.lesson_status: not a SCORM 2004 element, answered from cmi.completion_status, "
            "cmi.success_status, cmi.score.scaled, cmi.progress_measure"),
            "cmi.core.score.raw: not a SCORM 2004 element, answered from cmi.score.raw",
            "cmi.core.student_preference.speed: 401 Undefined Data Model Element",
        ]},
    }
    assert only_item(get_cmi(world, one, ["cmi.core.lesson_status", "cmi.core.lesson_location",
                                          "cmi.completion_status"])) == {
        "title": "Fire exits",
        "sco_id": "item_1",
        "cmi_fields": [field("cmi.core.lesson_status", "incomplete"), field("cmi.core.lesson_location", "p2"),
                       field("cmi.completion_status", "", "401 Not implemented error")],
        "api_error_entity": {"error_code": 0, "warning_messages": ["cmi.completion_status: 401 Not implemented error"]},
    }


def test_a_repair_of_the_2004_sco_maps_the_1_2_fields(world, courses):
    _, other = courses
    r = edit(world, other, lesson_status="passed", raw_score=90, total_time="0001:00:00")
    assert (r.status_code, r.json()) == (200, {"api_error_entity": OK})
    attempt = load_attempt(world, other)
    assert {name: attempt.cmi[name] for name in NAMES_2004} == {
        "cmi.completion_status": "completed", "cmi.success_status": "passed", "cmi.score.raw": "90",
        "cmi.location": "page-3", "cmi.total_time": "PT1H"}
    assert (attempt.lesson_status, attempt.completion_status, attempt.success_status, attempt.score_raw,
            attempt.total_seconds) == ("passed", "completed", "passed", 90.0, 3600.0)


def test_a_field_without_a_2004_meaning_is_refused_and_nothing_is_written(world, courses):
    _, other = courses
    before = load_attempt(world, other)
    r = edit(world, other, preference_speed=10, lesson_location="p9")
    assert (r.status_code, r.json()) == (422, entity(2, "Invalid request: preference_speed: has no meaning in SCORM 2004"))
    after = load_attempt(world, other)
    assert (after.version, after.cmi) == (before.version, before.cmi)
    assert history(world, other).json() == []


def test_the_2004_fields_are_for_2004_scos_only(world, courses):
    one, other = courses
    r = edit(world, other, completion_status="completed", score_scaled=0.75)
    assert (r.status_code, r.json()) == (200, {"api_error_entity": OK})
    attempt = load_attempt(world, other)
    assert (attempt.cmi["cmi.completion_status"], attempt.cmi["cmi.score.scaled"], attempt.score_scaled,
            attempt.lesson_status) == ("completed", "0.75", 0.75, "completed")
    before = load_attempt(world, one)
    r = edit(world, one, completion_status="completed")
    assert (r.status_code, r.json()) == (422, entity(2, "Invalid request: completion_status: has no meaning in SCORM 1.2"))
    assert load_attempt(world, one).version == before.version


def test_the_edit_history_shows_each_2004_element_old_and_new(world, courses):
    _, other = courses
    assert edit(world, other, lesson_status="passed", raw_score=90, total_time="0001:00:00",
                reason="proctored retake").status_code == 200
    r = history(world, other)
    assert r.status_code == 200, r.text
    [item] = r.json()
    assert ISO_MS.fullmatch(item.pop("edited_at"))
    assert item == {
        "editor_user_id": str(world.admin.id),
        "reason": "proctored retake",
        "attempt_number": 1,
        "changes": [
            {"cmi_element_name": "cmi.completion_status", "old_value": "incomplete", "new_value": "completed"},
            {"cmi_element_name": "cmi.success_status", "old_value": "unknown", "new_value": "passed"},
            {"cmi_element_name": "cmi.total_time", "old_value": "PT10M", "new_value": "PT1H"},
            {"cmi_element_name": "cmi.score.raw", "old_value": "40", "new_value": "90"},
        ],
        "api_error_entity": OK,
    }


def card(page: str, title: str) -> dict:
    """The status line and lesson rows of one course on My courses."""
    start = page.index(f">{title}</h2>")
    section = page[start:page.index("</section>", start)]
    summary = re.search(r'class="status status-[^"]+">([^<]+)</span>\s*· Score (\S+) · Time ([^\n<]+)', section)
    rows = re.findall(r'<td class="sco-status" data-label="Status">([^<]+)</td>\s*<td data-label="Score">([^<]+)</td>',
                      section)
    return {"summary": summary.groups(), "lessons": rows}


def test_my_courses_lists_both_courses_with_their_statuses(world, courses, base_url):
    one, other = courses
    assert edit(world, other, lesson_status="passed", raw_score=90).status_code == 200
    browser = sign_in(base_url, one.learner.login)
    page = browser.get("/learn")
    browser.close()
    assert page.status_code == 200
    assert page.text.count('<section class="card"') == 2
    assert card(page.text, "Safety basics") == {"summary": ("incomplete", "–", "4 min 00 s"),
                                                "lessons": [("incomplete", "–")]}
    assert card(page.text, "Golf basics") == {"summary": ("completed", "90", "10 min 00 s"),
                                              "lessons": [("passed", "90")]}
