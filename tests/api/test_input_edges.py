"""Input that no database can store, or that a column cannot hold, is
refused at the edge with a 422 naming the field, on SQLite and PostgreSQL
alike; nothing is written."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from scormapi.api.runtime import MAX_SEQ
from scormapi.store.models import Organization, ScoAttempt
from scormapi.store.runtime import MAX_SEQ_STEP
from tests.player.helpers import commit, launch
from tests.world import unique

NUL = "must not contain the NUL character (U+0000)"
SURROGATE = "must not contain unpaired surrogates (U+D800..U+DFFF)"


def refused(message: str) -> dict:
    return {"api_error_entity": {"error_code": 2, "error_message": f"Invalid request: {message}", "warning_messages": []}}


def post_raw(world, path: str, text: str, token: str | None = None):
    """A body sent as written: JSON escapes such as \\ud800 reach the server as they are."""
    return world.http.post(
        f"/api/v1/{path}", content=text.encode("ascii"), headers={"Content-Type": "application/json"},
        params={"access_token": token or world.admin_token},
    )


def org_count(world) -> int:
    with world.db.read() as s:
        return s.scalar(select(func.count()).select_from(Organization).where(Organization.parent_id == world.top.id))


@pytest.mark.parametrize("text, problem", [
    ('"a\\u0000b"', f"name: {NUL}"),
    ('"a\\ud800b"', f"name: {SURROGATE}"),
    ('"\\udfff"', f"name: {SURROGATE}"),
])
def test_unstorable_text_in_a_name_is_refused(world, text, problem):
    before = org_count(world)
    r = post_raw(world, "AdminApi/CreateOrganization", f'{{"name": {text}, "parent_org_id": "{world.top.id}"}}')
    assert (r.status_code, r.json()) == (422, refused(problem))
    assert org_count(world) == before


def test_a_nul_in_a_login_is_refused_before_any_look_up(world):
    r = post_raw(world, "AdminApi/Authenticate", '{"username": "ad\\u0000min", "password": "x", "grant_type": "password"}')
    assert (r.status_code, r.json()) == (422, refused(f"username: {NUL}"))


def test_a_nul_in_a_list_item_is_refused_by_index(world):
    course = world.course(scos=1)
    body = (f'{{"enrollment_id": "{course.enrollment.id}", "assignment_id": "{course.assignment.id}", '
            '"cmi_element_names": ["cmi.core.lesson_status", "cmi.core.\\u0000"]}')
    r = post_raw(world, "ScormApi/GetCmiData", body)
    assert (r.status_code, r.json()) == (422, refused(f"cmi_element_names.1: {NUL}"))


def test_a_surrogate_in_a_field_name_gets_an_escaped_message_not_a_500(world):
    """The handler must not echo what it cannot encode."""
    r = post_raw(world, "AdminApi/CreateOrganization", f'{{"name": "x", "parent_org_id": "{world.top.id}", "n\\ud800": 1}}')
    assert (r.status_code, r.json()) == (422, refused(f"n\\ud800: the field name {SURROGATE}"))


def test_unknown_fields_are_named(world):
    r = world.post("AdminApi/CreateOrganization", {"name": unique("o"), "parent_org_id": str(world.top.id), "colour": "red"})
    assert (r.status_code, r.json()) == (422, refused("colour: unknown field"))


def test_contract_fields_stay_accepted(world):
    """NexPort clients send scope with Authenticate; it is accepted (and ignored)."""
    r = world.http.post("/api/v1/AdminApi/Authenticate", json={
        "username": world.admin.login, "password": "correct horse battery", "grant_type": "password", "scope": "api"})
    assert r.status_code == 200, r.text


# -- commits -------------------------------------------------------------------------


def stored_seq(world, attempt_id) -> int:
    with world.db.read() as s:
        return s.scalar(select(ScoAttempt.commit_seq).where(ScoAttempt.id == attempt_id))


def test_unstorable_commit_values_and_names_are_refused(world, http):
    launched = launch(world, world.course(scos=1))
    body = '{"seq": 1, "values": {"cmi.core.lesson_location": "a\\u0000", "cmi.suspend_data\\ud800": "x"}}'
    r = http.post(launched["commit_url"], content=body, headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {launched['launch_token']}"})
    assert (r.status_code, r.json()) == (422, refused(
        f"values.cmi.core.lesson_location: {NUL}; values.cmi.suspend_data\\ud800: the field name {SURROGATE}"))
    assert stored_seq(world, uuid.UUID(launched["attempt_id"])) == 0


def test_a_sequence_number_past_32_bits_is_stored(world, http):
    """The column was 32-bit: on PostgreSQL 2**31 overflowed into a 500."""
    launched = launch(world, world.course(scos=1))
    seq = 2**31
    with world.db.write() as s:
        s.get(ScoAttempt, uuid.UUID(launched["attempt_id"])).commit_seq = seq - 1
    r = commit(http, launched, seq, {"cmi.core.lesson_location": "far"})
    assert (r.status_code, r.json()["commit_seq"]) == (200, seq)
    assert stored_seq(world, uuid.UUID(launched["attempt_id"])) == seq


def test_one_commit_cannot_jump_the_sequence_out_of_reach(world, http):
    """On SQLite, seq 2**53 used to be stored, and no commit could follow it."""
    launched = launch(world, world.course(scos=1))
    r = commit(http, launched, MAX_SEQ_STEP + 1, {"cmi.core.lesson_location": "x"})
    assert (r.status_code, r.json()) == (422, refused(f"seq: at most {MAX_SEQ_STEP} above the attempt's last commit (0)"))
    assert stored_seq(world, uuid.UUID(launched["attempt_id"])) == 0
    assert commit(http, launched, MAX_SEQ_STEP, {"cmi.core.lesson_location": "x"}).status_code == 200


@pytest.mark.parametrize("seq", [MAX_SEQ + 1, 2**63, 0])
def test_a_sequence_number_outside_the_schema_is_refused(world, http, seq):
    launched = launch(world, world.course(scos=1))
    r = commit(http, launched, seq)
    assert r.status_code == 422
    assert r.json()["api_error_entity"]["error_message"].startswith("Invalid request: seq: ")
    assert stored_seq(world, uuid.UUID(launched["attempt_id"])) == 0


def test_the_highest_sequence_number_is_stored_exactly(world, http):
    launched = launch(world, world.course(scos=1))
    with world.db.write() as s:
        s.get(ScoAttempt, uuid.UUID(launched["attempt_id"])).commit_seq = MAX_SEQ - 1
    assert commit(http, launched, MAX_SEQ).status_code == 200
    assert stored_seq(world, uuid.UUID(launched["attempt_id"])) == MAX_SEQ


# -- lengths agree with the columns ---------------------------------------------------


@pytest.mark.parametrize("field, longest", [("name", 255), ("short_name", 64)])
def test_the_longest_accepted_text_fits_its_column(world, field, longest):
    """Multi-byte text at each limit is stored whole; one more character is a 422 naming the field."""
    base = {"name": unique("o"), "parent_org_id": str(world.top.id)}
    r = world.post("AdminApi/CreateOrganization", {**base, field: "é" * longest})
    assert r.status_code == 200, r.text
    with world.db.read() as s:
        assert getattr(s.get(Organization, uuid.UUID(r.json()["org_id"])), field) == "é" * longest
    r = world.post("AdminApi/CreateOrganization", {**base, field: "é" * (longest + 1)})
    assert (r.status_code, r.json()) == (422, refused(f"{field}: String should have at most {longest} characters"))


def test_a_login_at_the_column_limit_is_stored(world):
    login = "l" * 255
    r = world.post("AdminApi/CreateUser", {"login": login, "password": "long enough", "owner_org_id": str(world.top.id)})
    assert (r.status_code, r.json()["login"]) == (200, login)
    r = world.post("AdminApi/CreateUser", {"login": login + "x", "password": "long enough", "owner_org_id": str(world.top.id)})
    assert (r.status_code, r.json()) == (422, refused("login: String should have at most 255 characters"))
