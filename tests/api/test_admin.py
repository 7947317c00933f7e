"""AdminApi: organizations, users, permission grants."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from scormapi.auth.permissions import Permission
from scormapi.store.models import AuditEvent, Organization, PermissionGrant, User
from tests.world import PASSWORD, unique

OK = {"error_code": 0, "warning_messages": []}


def entity(r):
    return r.json()["api_error_entity"]


# -- organizations -------------------------------------------------------------


def test_create_organization_under_parent(world, db):
    r = world.post("AdminApi/CreateOrganization", {"name": "North Campus", "short_name": "north", "parent_org_id": str(world.top.id)})
    assert r.status_code == 200
    body = r.json()
    org_id = uuid.UUID(body["org_id"])
    assert body == {"org_id": str(org_id), "name": "North Campus", "short_name": "north",
                    "parent_org_id": str(world.top.id), "api_error_entity": OK}
    with db.read() as s:
        org = s.get(Organization, org_id)
        assert org.path == f"{world.top.path}/{org_id}"
        event = s.scalar(select(AuditEvent).where(AuditEvent.subject_id == str(org_id)))
        assert event.action == "organization.create" and event.actor_user_id == world.admin.id


def test_null_parent_means_root_and_needs_root_permission(world, db):
    r = world.post("AdminApi/CreateOrganization", {"name": "Top level", "parent_org_id": None})
    assert r.status_code == 403
    assert entity(r) == {"error_code": 4, "error_message": "Not authorized to manage organizations", "warning_messages": []}


def test_get_organizations_lists_children_paged(world):
    names = [f"child {i:02d}" for i in range(5)]
    for name in reversed(names):
        world.org(name=name)
    r = world.post("AdminApi/GetOrganizations", {"parent_org_id": str(world.top.id)}, params={"per_page": 2, "page": 2})
    assert r.status_code == 200
    assert [o["name"] for o in r.json()] == names[2:4]
    assert r.headers["X-Total-Count"] == "5" and r.headers["X-Per-Page"] == "2" and r.headers["X-Page"] == "2"
    assert all(o["api_error_entity"] == OK and o["parent_org_id"] == str(world.top.id) for o in r.json())
    past = world.post("AdminApi/GetOrganizations", {"parent_org_id": str(world.top.id)}, params={"per_page": 2, "page": 4})
    assert past.status_code == 200 and past.json() == []


def test_get_organizations_refused_outside_the_callers_tree(world):
    other = world.org()
    stranger = world.user(org=other, permissions={other: [Permission.MANAGE_ORGANIZATIONS]})
    r = world.post("AdminApi/GetOrganizations", {"parent_org_id": str(world.top.id)}, token=world.token(stranger))
    assert r.status_code == 403


@pytest.mark.parametrize("body, field", [
    ({"name": ""}, "name"),
    ({"name": 5}, "name"),
    ({"name": "x" * 256}, "name"),
    ({"name": "ok", "parent_org_id": "not-a-uuid"}, "parent_org_id"),
    ({}, "name"),
])
def test_create_organization_bad_input(world, body, field):
    r = world.post("AdminApi/CreateOrganization", body)
    assert r.status_code == 422 and field in entity(r)["error_message"]


def test_create_organization_unknown_parent_is_409(world):
    r = world.post("AdminApi/CreateOrganization", {"name": "x", "parent_org_id": str(uuid.uuid4())})
    assert r.status_code == 409 and entity(r)["error_code"] == 5


# -- users ---------------------------------------------------------------------


def test_create_and_get_user(world, db, http):
    login = unique("learner")
    r = world.post("AdminApi/CreateUser", {"login": login, "password": PASSWORD, "first_name": "Grace",
                                           "last_name": "Hopper", "owner_org_id": str(world.top.id)})
    assert r.status_code == 200
    user_id = r.json()["user_id"]
    expected = {"user_id": user_id, "login": login, "first_name": "Grace", "last_name": "Hopper",
                "owner_org_id": str(world.top.id), "api_error_entity": OK}
    assert r.json() == expected
    assert world.post("AdminApi/GetUser", {"user_id": user_id}).json() == expected
    with db.read() as s:
        stored = s.get(User, uuid.UUID(user_id))
        assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash
    token = http.post("/api/v1/AdminApi/Authenticate", json={"username": login, "password": PASSWORD, "grant_type": "password"})
    assert token.status_code == 200


def test_duplicate_login_is_409_case_insensitive(world):
    world.user(login="Duplicate-" + world.top.name)
    r = world.post("AdminApi/CreateUser", {"login": "duplicate-" + world.top.name, "password": PASSWORD, "owner_org_id": str(world.top.id)})
    assert r.status_code == 409 and entity(r)["error_code"] == 8


@pytest.mark.parametrize("body, field", [
    ({"login": "has space", "password": PASSWORD}, "login"),
    ({"login": "ok-login", "password": "short"}, "password"),
    ({"login": "ok-login", "password": 12345678}, "password"),
    ({"login": "ok-login", "password": PASSWORD, "owner_org_id": 7}, "owner_org_id"),
])
def test_create_user_bad_input(world, body, field):
    body.setdefault("owner_org_id", str(world.top.id))
    r = world.post("AdminApi/CreateUser", body)
    assert r.status_code == 422 and field in entity(r)["error_message"]


def test_get_user_needs_manage_users_except_for_self(world):
    learner = world.user()
    token = world.token(learner)
    assert world.post("AdminApi/GetUser", {"user_id": str(learner.id)}, token=token).status_code == 200
    assert world.post("AdminApi/GetUser", {"user_id": str(world.admin.id)}, token=token).status_code == 403
    assert world.post("AdminApi/GetUser", {"user_id": str(uuid.uuid4())}).status_code == 409


# -- grants ----------------------------------------------------------------------


def test_grant_and_revoke_permission_take_effect(world, db):
    child = world.org()
    manager = world.user()
    body = {"user_id": str(manager.id), "org_id": str(child.id), "permission": "Manage Organizations"}
    manager_token = world.token(manager)
    create = {"name": "grandchild", "parent_org_id": str(child.id)}
    assert world.post("AdminApi/CreateOrganization", create, token=manager_token).status_code == 403
    assert world.post("AdminApi/GrantPermission", body).json() == {"api_error_entity": OK}
    assert world.post("AdminApi/CreateOrganization", create, token=manager_token).status_code == 200
    assert world.post("AdminApi/RevokePermission", body).json() == {"api_error_entity": OK}
    with db.read() as s:
        assert s.scalar(select(PermissionGrant).where(PermissionGrant.user_id == manager.id)) is None
    assert world.post("AdminApi/CreateOrganization", create, token=manager_token).status_code == 403
    assert world.post("AdminApi/RevokePermission", body).status_code == 409


def test_grant_is_idempotent(world, db):
    user = world.user()
    body = {"user_id": str(user.id), "org_id": str(world.top.id), "permission": "View Section Enrollments"}
    assert world.post("AdminApi/GrantPermission", body).status_code == 200
    assert world.post("AdminApi/GrantPermission", body).status_code == 200
    with db.read() as s:
        assert len(s.scalars(select(PermissionGrant).where(PermissionGrant.user_id == user.id)).all()) == 1


def test_unknown_permission_is_422_listing_the_valid_ones(world):
    user = world.user()
    r = world.post("AdminApi/GrantPermission", {"user_id": str(user.id), "org_id": str(world.top.id), "permission": "Be God"})
    assert r.status_code == 422
    assert "View Section Enrollments" in entity(r)["error_message"]


def test_cannot_grant_a_permission_one_does_not_hold(world):
    limited = world.user(permissions={world.top: [Permission.MANAGE_USERS]})
    target = world.user()
    body = {"user_id": str(target.id), "org_id": str(world.top.id), "permission": "Update Section Enrollments"}
    r = world.post("AdminApi/GrantPermission", body, token=world.token(limited))
    assert r.status_code == 403


@pytest.mark.parametrize("token_kind", ["none", "garbage", "expired", "unknown"])
def test_every_admin_operation_needs_a_valid_token(world, http, token_kind):
    token = {"none": "", "garbage": "abc", "expired": world.token(world.admin, expired=True), "unknown": str(uuid.uuid4())}[token_kind]
    r = world.post("AdminApi/CreateOrganization", {"name": "x", "parent_org_id": str(world.top.id)}, token=token)
    assert r.status_code == 403
    assert entity(r) == {"error_code": 3, "error_message": "Unable to authenticate", "warning_messages": []}
