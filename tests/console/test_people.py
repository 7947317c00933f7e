"""The console's users pages through a real server: an organization's
users, creating one, granting and revoking, for each permission cell."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from scormapi.auth.permissions import Permission
from scormapi.store.models import AuditEvent, PermissionGrant, User
from tests.console.helpers import stuck_scene, text_of
from tests.console.test_pages import signed_in
from tests.player.helpers import csrf_field
from tests.world import unique


@pytest.fixture()
def scene(world, content_http):
    return stuck_scene(world, content_http)


def create(client, world, **fields):
    page = client.get(f"/admin/users?org={world.top.id}")
    data = {"csrf_token": csrf_field(page.text), "login": unique("new"), "first_name": "Kay", "last_name": "Moore",
            "password": "long enough password", "org": str(world.top.id), **fields}
    return client.post("/admin/users", data=data), data


def grants_of(world, user) -> set[tuple[str, object]]:
    with world.db.read() as s:
        return {(g.permission, g.org_id) for g in s.scalars(select(PermissionGrant).where(PermissionGrant.user_id == user.id))}


def test_an_organization_lists_its_users(world, scene, base_url):
    with signed_in(base_url, scene.support) as client:
        r = client.get(f"/admin/users?org={world.top.id}")
    assert r.status_code == 200
    row = re.search(rf'<tr><th scope="row"><a href="/admin/users/{scene.course.learner.id}">.*?</tr>', r.text, re.DOTALL)[0]
    assert text_of(row) == f"{scene.course.learner.login} Grace Hopper yes"
    assert r.text.count("<h1>") == 1 and scene.stranger.login not in r.text


def test_creating_a_user_saves_and_audits_it(world, scene, base_url):
    with signed_in(base_url, scene.support) as client:
        r, data = create(client, world)
        assert r.status_code == 303
        with world.db.read() as s:
            made = s.scalar(select(User).where(User.login == data["login"]))
            event = s.scalar(select(AuditEvent).where(AuditEvent.subject_user_id == made.id))
        assert r.headers["location"] == f"/admin/users/{made.id}?done=created"
        page = client.get(r.headers["location"])
    assert (made.first_name, made.last_name, made.owner_org_id) == ("Kay", "Moore", world.top.id)
    assert (event.action, event.actor_user_id, event.org_id) == ("user.create", scene.support.id, world.top.id)
    assert "The user was created." in text_of(page.text)


def test_bad_fields_are_named_beside_them(world, scene, base_url):
    with signed_in(base_url, scene.support) as client:
        r, _ = create(client, world, login="two words", password="short")
        assert r.status_code == 422
        assert text_of(re.search(r'id="u-login-error">(.*?)</p>', r.text)[1]) == "Give a login of 1 to 255 characters, without spaces."
        assert text_of(re.search(r'id="u-password-error">(.*?)</p>', r.text)[1]) == "Give a password of 8 to 1024 characters."
        assert 'aria-describedby="u-login-hint u-login-error" aria-invalid="true"' in r.text
        taken, _ = create(client, world, login=scene.viewer.login.upper())
    assert taken.status_code == 422
    assert f"Login {scene.viewer.login.upper()!r} is already taken" in text_of(taken.text)


def test_granting_and_revoking_change_the_grants_and_audit(world, scene, base_url):
    target = world.user(login=unique("target"))
    with signed_in(base_url, scene.support) as client:
        page = client.get(f"/admin/users/{target.id}")
        assert "None in the organizations you manage users in." in text_of(page.text)
        data = {"csrf_token": csrf_field(page.text), "permission": "View Audit Log", "org": str(world.top.id)}
        r = client.post(f"/admin/users/{target.id}/grant", data=data)
        assert (r.status_code, r.headers["location"]) == (303, f"/admin/users/{target.id}?done=granted")
        assert grants_of(world, target) == {("View Audit Log", world.top.id)}
        shown = client.get(r.headers["location"])
        assert f"View Audit Log {world.top.name} Revoke" in text_of(shown.text)
        again = client.post(f"/admin/users/{target.id}/grant", data=data)
        assert again.headers["location"].endswith("done=held")
        r = client.post(f"/admin/users/{target.id}/revoke", data=data)
        assert r.headers["location"] == f"/admin/users/{target.id}?done=revoked"
        missing = client.post(f"/admin/users/{target.id}/revoke", data=data)
    assert grants_of(world, target) == set()
    assert missing.status_code == 404 and "Permission grant 'View Audit Log' for user" in text_of(missing.text)
    with world.db.read() as s:
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.subject_user_id == target.id)
                                 .order_by(AuditEvent.occurred_at)))
    assert actions == ["permission.grant", "permission.revoke"]


def test_no_one_hands_out_a_permission_they_lack(world, scene, base_url):
    target = world.user(login=unique("target"))
    with signed_in(base_url, scene.support) as client:
        page = client.get(f"/admin/users/{target.id}")
        assert '<option value="Manage Sections"' not in page.text
        data = {"csrf_token": csrf_field(page.text), "permission": "Manage Sections", "org": str(world.top.id)}
        r = client.post(f"/admin/users/{target.id}/grant", data=data)
    assert r.status_code == 403 and "Not authorized to grant 'Manage Sections'" in text_of(r.text)
    assert grants_of(world, target) == set()


def test_without_manage_users_nothing_is_shown(world, scene, base_url):
    with signed_in(base_url, world.user(permissions={world.top: [Permission.VIEW_SECTION_ENROLLMENTS]})) as client:
        home = client.get("/admin")
        assert 'href="/admin/users"' not in home.text
        r = client.get("/admin/users")
        assert r.status_code == 403 and "You hold Manage Users in no organization." in text_of(r.text)
        user = client.get(f"/admin/users/{scene.course.learner.id}")
        assert user.status_code == 403 and "Grace" not in user.text


def test_a_sibling_administrator_sees_and_changes_nothing(world, scene, base_url):
    with signed_in(base_url, scene.stranger) as client:
        assert client.get(f"/admin/users?org={world.top.id}").status_code == 404
        page = client.get(f"/admin/users/{scene.course.learner.id}")
        assert page.status_code == 403 and "Not authorized to view this user" in text_of(page.text)
        assert "Grace" not in page.text
        data = {"csrf_token": csrf_field(client.get("/admin/users").text), "permission": "View Audit Log",
                "org": str(world.top.id)}
        r = client.post(f"/admin/users/{scene.course.learner.id}/grant", data=data)
    assert r.status_code == 403 and "Not authorized to manage users" in text_of(r.text)
    assert grants_of(world, scene.course.learner) == set()


def test_a_form_without_the_session_value_is_refused(world, scene, base_url):
    with signed_in(base_url, scene.support) as client:
        r = client.post("/admin/users", data={"csrf_token": "forged", "login": unique("x"), "password": "long enough 1",
                                               "org": str(world.top.id)})
    assert r.status_code == 400 and "The form expired" in text_of(r.text)
