"""The console's section pages through a real server: listing and
creating sections, enrolling, assigning, and the confirmed deletes, for
each permission cell, with the database and audit trail after each."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from scormapi.auth.permissions import ALL_PERMISSIONS, Permission
from scormapi.store.models import Assignment, AuditEvent, Enrollment, ScoAttempt, Section
from tests.console.helpers import stuck_scene, text_of
from tests.console.test_pages import signed_in
from tests.player.helpers import csrf_field
from tests.world import unique


@pytest.fixture()
def scene(world, content_http):
    return stuck_scene(world, content_http)


@pytest.fixture()
def manager(world):
    """Manages the sections and enrollments of the top organization."""
    return world.user(login=unique("manager"), permissions={world.top: ALL_PERMISSIONS})


def section_path(scene) -> str:
    return f"/admin/sections/{scene.course.section.id}"


def post(client, path, page_path, **data):
    csrf = csrf_field(client.get(page_path).text)
    return client.post(path, data={"csrf_token": csrf, **data})


def count(world, model, **where) -> int:
    with world.db.read() as s:
        return s.scalar(select(func.count()).select_from(model).filter_by(**where))


def actions(world, org) -> list[str]:
    with world.db.read() as s:
        return list(s.scalars(select(AuditEvent.action).where(AuditEvent.org_id == org.id)
                              .order_by(AuditEvent.occurred_at, AuditEvent.action)))


def test_an_organization_lists_its_sections_and_one_is_created(world, scene, manager, base_url):
    with signed_in(base_url, manager) as client:
        listed = client.get(f"/admin/sections?org={world.top.id}")
        assert f'<a href="/admin/sections/{scene.course.section.id}">{scene.course.section.name}</a>' in listed.text
        r = post(client, "/admin/sections", "/admin/sections", name="Evening class", org=str(world.top.id))
        assert r.status_code == 303
        with world.db.read() as s:
            made = s.scalar(select(Section).where(Section.name == "Evening class", Section.org_id == world.top.id))
        assert r.headers["location"] == f"/admin/sections/{made.id}?done=created"
        page = client.get(r.headers["location"])
    text = text_of(page.text)
    assert "Evening class Section of" in text and "The section was created." in text
    assert "No one is enrolled." in text and "No assignments yet." in text
    assert actions(world, world.top)[-1] == "section.create"


def test_a_section_needs_a_name(world, manager, base_url):
    with signed_in(base_url, manager) as client:
        r = post(client, "/admin/sections", "/admin/sections", name="  ", org=str(world.top.id))
    assert r.status_code == 422
    assert text_of(re.search(r'id="s-name-error">(.*?)</p>', r.text)[1]) == "Give a name of 1 to 255 characters."


def test_the_section_page_shows_enrollments_and_assignments(scene, manager, base_url):
    with signed_in(base_url, manager) as client:
        r = client.get(section_path(scene))
    assert r.status_code == 200
    learner = scene.course.learner
    assert f'<a href="/admin/learners/{learner.id}">Grace Hopper ({learner.login})</a>' in r.text
    row = re.search(r'<tr data-assignment-id="[^"]+">(.*?)</tr>', r.text, re.DOTALL)[1]
    title = scene.course.assignment.title
    assert text_of(row) == f"{title} {scene.course.courseware.title} no limit highest CSV Delete"
    assert r.text.count("<h1>") == 1
    # Downloads of the records, as ExportCmiData gives them.
    assert f'href="/admin/export?section_id={scene.course.section.id}"' in r.text
    assert f'href="/admin/export?assignment_id={scene.course.assignment.id}"' in r.text


def test_without_view_section_enrollments_no_records_are_offered(world, scene, base_url):
    sections_only = world.user(login=unique("sections"), permissions={world.top: (Permission.MANAGE_SECTIONS,)})
    with signed_in(base_url, sections_only) as client:
        r = client.get(section_path(scene))
    assert r.status_code == 200
    assert "/admin/export" not in r.text and "Grace Hopper" not in r.text


def test_enrolling_by_login(world, scene, manager, base_url):
    newcomer = world.user(login=unique("newcomer"))
    with signed_in(base_url, manager) as client:
        r = post(client, f"{section_path(scene)}/enroll", section_path(scene), login=newcomer.login.upper())
        assert (r.status_code, r.headers["location"]) == (303, f"{section_path(scene)}?done=enrolled")
        again = post(client, f"{section_path(scene)}/enroll", section_path(scene), login=newcomer.login)
        unknown = post(client, f"{section_path(scene)}/enroll", section_path(scene), login="nobody-at-all")
    assert count(world, Enrollment, section_id=scene.course.section.id, user_id=newcomer.id) == 1
    assert again.status_code == 422
    assert f"User {newcomer.id} is already enrolled in section {scene.course.section.id}" in text_of(again.text)
    assert unknown.status_code == 422
    assert text_of(re.search(r'id="e-login-error">(.*?)</p>', unknown.text)[1]) == \
        "No user you may see has the login “nobody-at-all”."
    assert "enrollment.create" in actions(world, world.top)


def test_creating_an_assignment(world, scene, manager, base_url):
    with signed_in(base_url, manager) as client:
        data = {"courseware": str(scene.course.courseware.id), "title": "Second round", "max_attempts": "3",
                "grading_method": "last"}
        r = post(client, f"{section_path(scene)}/assignments", section_path(scene), **data)
        assert (r.status_code, r.headers["location"]) == (303, f"{section_path(scene)}?done=assigned")
        bad = post(client, f"{section_path(scene)}/assignments", section_path(scene),
                   **{**data, "max_attempts": "1001", "grading_method": "best"})
    with world.db.read() as s:
        made = s.scalar(select(Assignment).where(Assignment.title == "Second round"))
    assert (made.max_attempts, made.grading_method, made.courseware_id) == (3, "last", scene.course.courseware.id)
    assert bad.status_code == 422
    assert text_of(re.search(r'id="a-max_attempts-error">(.*?)</p>', bad.text)[1]) == \
        "Give a whole number from 0 (no limit) to 1000."
    assert text_of(re.search(r'id="a-grading_method-error">(.*?)</p>', bad.text)[1]) == "Choose highest, last or first."


def test_unenrolling_asks_first_and_keeps_the_records(world, scene, manager, base_url):
    enrollment = scene.course.enrollment
    with signed_in(base_url, manager) as client:
        asked = post(client, f"/admin/enrollments/{enrollment.id}/delete", section_path(scene))
        assert asked.status_code == 200 and "Unenroll this learner?" in text_of(asked.text)
        assert count(world, Enrollment, id=enrollment.id) == 1
        r = client.post(f"/admin/enrollments/{enrollment.id}/delete",
                        data={"csrf_token": csrf_field(asked.text), "confirm": "1", "reason": "Left the company"})
    assert (r.status_code, r.headers["location"]) == (303, f"{section_path(scene)}?done=unenrolled")
    assert count(world, Enrollment, id=enrollment.id) == 0
    assert count(world, ScoAttempt, assignment_status_id=scene.course.assignment_status.id) == 0
    with world.db.read() as s:
        kept = s.scalar(select(AuditEvent).where(AuditEvent.action == "sco_attempt.delete",
                                                 AuditEvent.subject_user_id == scene.course.learner.id))
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "enrollment.delete",
                                                  AuditEvent.subject_id == str(enrollment.id)))
    assert kept.details["cmi"]["cmi.core.lesson_status"] == "incomplete" and kept.reason == "Left the company"
    assert event.details["assignment_statuses_deleted"] == 1 and event.actor_user_id == manager.id


def test_deleting_an_assignment_asks_first(world, scene, manager, base_url):
    assignment = scene.course.assignment
    with signed_in(base_url, manager) as client:
        asked = post(client, f"/admin/assignments/{assignment.id}/delete", section_path(scene))
        assert f"Delete the assignment “{assignment.title}”?" in text_of(asked.text)
        r = client.post(f"/admin/assignments/{assignment.id}/delete",
                        data={"csrf_token": csrf_field(asked.text), "confirm": "1", "reason": ""})
    assert r.headers["location"] == f"{section_path(scene)}?done=unassigned"
    assert count(world, Assignment, id=assignment.id) == 0
    assert "assignment.delete" in actions(world, world.top)


def test_deleting_a_section_takes_its_assignments_and_enrollments(world, scene, manager, base_url):
    section = scene.course.section
    with signed_in(base_url, manager) as client:
        asked = post(client, f"{section_path(scene)}/delete", section_path(scene))
        assert "Delete the section? Its assignments and enrollments are deleted with it" in text_of(asked.text)
        r = client.post(f"{section_path(scene)}/delete",
                        data={"csrf_token": csrf_field(asked.text), "confirm": "1", "reason": "Course retired"})
        assert r.headers["location"] == f"/admin/sections?org={world.top.id}&done=deleted"
        after = client.get(r.headers["location"])
    assert "The section was deleted" in text_of(after.text) and section.name not in after.text
    assert count(world, Section, id=section.id) == 0 and count(world, Enrollment, section_id=section.id) == 0
    assert count(world, Assignment, section_id=section.id) == 0
    with world.db.read() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "section.delete",
                                                  AuditEvent.subject_id == str(section.id)))
    assert event.details == {"org_id": str(world.top.id), "name": section.name, "assignments_deleted": 1,
                             "enrollments_deleted": 1, "assignment_statuses_deleted": 1}
    assert event.reason == "Course retired"


def test_a_view_only_user_reads_the_section_without_forms(world, scene, base_url):
    # The viewer holds View Section Enrollments and Manage Users, not Manage Sections.
    with signed_in(base_url, scene.viewer) as client:
        r = client.get(section_path(scene))
        assert r.status_code == 200 and "Grace Hopper" in r.text
        assert "/enroll" not in r.text and "/delete" not in r.text and "/assignments" not in r.text
        assert client.get("/admin/sections").status_code == 403
        refused = post(client, f"/admin/assignments/{scene.course.assignment.id}/delete", section_path(scene))
        unenroll = post(client, f"/admin/enrollments/{scene.course.enrollment.id}/delete", section_path(scene),
                        confirm="1")
    assert refused.status_code == 403 and "Not authorized to manage sections" in text_of(refused.text)
    assert unenroll.status_code == 403 and "Not authorized to update section enrollments" in text_of(unenroll.text)
    assert count(world, Enrollment, id=scene.course.enrollment.id) == 1
    assert count(world, Assignment, id=scene.course.assignment.id) == 1


def test_a_sibling_administrator_sees_and_changes_nothing(world, scene, base_url):
    with signed_in(base_url, scene.stranger) as client:
        page = client.get(section_path(scene))
        assert page.status_code == 403 and "Not authorized to view sections" in text_of(page.text)
        assert "Grace" not in page.text and scene.course.section.name not in page.text
        assert client.get(f"/admin/sections?org={world.top.id}").status_code == 404
        r = post(client, f"{section_path(scene)}/delete", "/admin/sections", confirm="1")
    assert r.status_code == 403 and "Not authorized to manage sections" in text_of(r.text)
    assert count(world, Section, id=scene.course.section.id) == 1


def test_without_any_section_permission_the_page_is_refused(world, scene, base_url):
    with signed_in(base_url, world.user(permissions={world.top: [Permission.VIEW_AUDIT_LOG]})) as client:
        assert 'href="/admin/sections"' not in client.get("/admin").text
        r = client.get(section_path(scene))
    assert r.status_code == 403 and "Grace" not in r.text
