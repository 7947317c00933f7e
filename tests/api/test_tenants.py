"""Tenants stay apart: an administrator of one organization tree can neither
enroll nor learn about a user of another."""
from __future__ import annotations

from sqlalchemy import select

from scormapi.auth.permissions import Permission
from scormapi.store import learning
from scormapi.store.models import Enrollment, Section, User
from tests.world import World


def _section(world: World, org=None) -> Section:
    with world.db.write() as s:
        from scormapi.store.models import Organization

        return learning.create_section(s, s.get(Organization, (org or world.top).id), "Section")


def test_an_admin_cannot_enroll_a_user_of_another_organization(world, db, settings, http):
    elsewhere = World(db, settings, http)
    stranger = elsewhere.user()
    section = _section(world)
    r = world.post("LearningApi/CreateEnrollment", {"section_id": str(section.id), "user_id": str(stranger.id)})
    assert r.status_code == 403
    assert r.json() == {"api_error_entity": {"error_code": 4, "error_message": "Not authorized to view this user", "warning_messages": []}}
    with db.read() as s:
        assert s.scalars(select(Enrollment).where(Enrollment.section_id == section.id)).all() == []


def test_enrolling_needs_what_get_user_needs(world, http):
    """Update Section Enrollments alone reaches the section, not the user."""
    section = _section(world)
    learner = world.user()
    clerk = world.user(permissions={world.top: [Permission.UPDATE_SECTION_ENROLLMENTS]})
    token = world.token(clerk)
    body = {"section_id": str(section.id), "user_id": str(learner.id)}
    assert world.post("AdminApi/GetUser", {"user_id": str(learner.id)}, token=token).status_code == 403
    assert world.post("LearningApi/CreateEnrollment", body, token=token).status_code == 403
    # Themself they may see, so they may enroll themself.
    own = world.post("LearningApi/CreateEnrollment", {**body, "user_id": str(clerk.id)}, token=token)
    assert own.status_code == 200 and own.json()["user_id"] == str(clerk.id)


def test_an_admin_may_enroll_a_user_they_manage(world, http):
    section = _section(world)
    learner = world.user(world.org())
    r = world.post("LearningApi/CreateEnrollment", {"section_id": str(section.id), "user_id": str(learner.id)})
    assert r.status_code == 200 and r.json()["user_id"] == str(learner.id)


def test_get_enrollments_names_only_users_get_user_would_show(world, db, settings, http):
    """An enrollment made before the rule (or by someone who could see both)
    still lists, but as an id: no login or name of a user the caller may
    not see."""
    elsewhere = World(db, settings, http)
    stranger = elsewhere.user(login=f"stranger-{world.top.id}")
    own = world.user(login=f"own-{world.top.id}")
    section = _section(world)
    with db.write() as s:
        foreign = learning.create_enrollment(s, s.get(Section, section.id), s.get(User, stranger.id))
        mine = learning.create_enrollment(s, s.get(Section, section.id), s.get(User, own.id))
    r = world.post("LearningApi/GetEnrollments", {"section_id": str(section.id)})
    assert r.status_code == 200
    ok = {"error_code": 0, "warning_messages": []}
    assert sorted(r.json(), key=lambda item: item["login"] or "") == [
        {"enrollment_id": str(foreign.id), "section_id": str(section.id), "user_id": str(stranger.id),
         "login": None, "first_name": None, "last_name": None, "api_error_entity": ok},
        {"enrollment_id": str(mine.id), "section_id": str(section.id), "user_id": str(own.id),
         "login": own.login, "first_name": "Ada", "last_name": "Lovelace", "api_error_entity": ok},
    ]
    # The other tree's administrator sees the name: the user is theirs.
    both = elsewhere.user(permissions={world.top: [Permission.VIEW_SECTION_ENROLLMENTS], elsewhere.top: [Permission.MANAGE_USERS]})
    r = world.post("LearningApi/GetEnrollments", {"section_id": str(section.id)}, token=world.token(both))
    assert {item["login"] for item in r.json()} == {stranger.login, None}
