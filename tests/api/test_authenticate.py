"""AdminApi/Authenticate and ValidateAccessToken, field by field."""
from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from sqlalchemy import delete

from scormapi.store.models import LoginThrottle
from tests.world import PASSWORD

OK = {"error_code": 0, "warning_messages": []}


def auth(http, **body):
    return http.post("/api/v1/AdminApi/Authenticate", json=body)


def test_authenticate_returns_token_with_server_expiry(world, http):
    r = auth(http, username=world.admin.login, password=PASSWORD, grant_type="password")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "api_error_entity"}
    assert uuid.UUID(body["access_token"])
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == world.settings.token_lifetime_seconds
    assert body["api_error_entity"] == OK


def test_token_works_in_query_and_bearer_header(world, http):
    token = auth(http, username=world.admin.login, password=PASSWORD, grant_type="password").json()["access_token"]
    q = http.get("/api/v1/AdminApi/ValidateAccessToken", params={"access_token": token})
    h = http.get("/api/v1/AdminApi/ValidateAccessToken", headers={"Authorization": f"Bearer {token}"})
    assert q.status_code == h.status_code == 200
    assert q.json()["api_error_entity"] == OK


def test_client_chosen_expiry_omits_expires_in(world, http):
    when = (datetime.now(timezone.utc) + timedelta(days=30)).replace(microsecond=0)
    r = auth(http, username=world.admin.login, password=PASSWORD, grant_type="password",
             utc_expiration_date=when.isoformat())
    assert r.status_code == 200
    assert "expires_in" not in r.json()
    v = http.get("/api/v1/AdminApi/ValidateAccessToken", params={"access_token": r.json()["access_token"]})
    assert datetime.fromisoformat(v.json()["utc_expiration_date"].replace("Z", "+00:00")) == when


def test_null_expiry_never_expires(world, http):
    r = auth(http, username=world.admin.login, password=PASSWORD, grant_type="password", utc_expiration_date=None)
    assert r.status_code == 200 and "expires_in" not in r.json()
    v = http.get("/api/v1/AdminApi/ValidateAccessToken", params={"access_token": r.json()["access_token"]})
    assert v.status_code == 200
    assert v.json() == {"utc_expiration_date": None, "error_message": None, "api_error_entity": OK}


@pytest.mark.parametrize("password", ["wrong password", ""])
def test_wrong_password_is_403(world, http, password):
    r = auth(http, username=world.admin.login, password=password, grant_type="password")
    assert r.status_code == 403
    assert r.json() == {"api_error_entity": {"error_code": 3, "error_message": "Unable to authenticate", "warning_messages": []}}


def test_unknown_login_looks_like_wrong_password(http):
    r = auth(http, username=f"nobody-{uuid.uuid4().hex}", password="x", grant_type="password")
    assert r.status_code == 403
    assert r.json()["api_error_entity"]["error_message"] == "Unable to authenticate"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"password": "p", "grant_type": "password"}, "username"),
        ({"username": "u", "grant_type": "password"}, "password"),
        ({"username": "u", "password": "p"}, "grant_type"),
        ({"username": "u", "password": "p", "grant_type": "client_credentials"}, "grant_type"),
        ({"username": 5, "password": "p", "grant_type": "password"}, "username"),
        ({"username": "u", "password": "p", "grant_type": "password", "utc_expiration_date": "soon"}, "utc_expiration_date"),
        ({"username": "u", "password": "p", "grant_type": "password", "utc_expiration_date": "2001-01-01T00:00:00Z"}, "utc_expiration_date"),
    ],
)
def test_malformed_body_is_422_naming_the_field(http, body, field):
    r = auth(http, **body)
    assert r.status_code == 422
    entity = r.json()["api_error_entity"]
    assert entity["error_code"] == 2
    assert field in entity["error_message"]


@pytest.mark.parametrize("content", [b"", b"{not json", b"[]", b"null"])
def test_unparseable_body_is_422(http, content):
    r = http.post("/api/v1/AdminApi/Authenticate", content=content, headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert r.json()["api_error_entity"]["error_code"] == 2


def test_failed_logins_are_throttled_then_refused_even_with_right_password(world, http):
    user = world.user()
    for _ in range(world.settings.login_attempts_per_window):
        assert auth(http, username=user.login, password="nope", grant_type="password").status_code == 403
    r = auth(http, username=user.login, password=PASSWORD, grant_type="password")
    assert r.status_code == 403
    assert r.json()["api_error_entity"]["error_code"] == 7


def test_unknown_logins_are_throttled_the_same_way(world, http):
    login = f"ghost-{uuid.uuid4().hex}"
    codes = [auth(http, username=login, password="x", grant_type="password").json()["api_error_entity"]["error_code"]
             for _ in range(world.settings.login_attempts_per_window + 1)]
    assert codes == [3] * world.settings.login_attempts_per_window + [7]


def test_concurrent_failures_for_one_login_all_count(world, base_url):
    """Parallel guesses at one login (what throttling is for) collide on its
    counter row: each is refused cleanly and each is counted."""
    login = f"ghost-{uuid.uuid4().hex}"
    tries = world.settings.login_attempts_per_window - 2

    def guess(_):
        with httpx.Client(base_url=base_url, timeout=30) as client:
            return auth(client, username=login, password="x", grant_type="password")

    with ThreadPoolExecutor(max_workers=tries) as pool:
        answers = list(pool.map(guess, range(tries)))
    assert [(r.status_code, r.json()["api_error_entity"]["error_code"]) for r in answers] == [(403, 3)] * tries
    with world.db.read() as s:
        assert s.get(LoginThrottle, f"login:{login}").failures == tries


def test_parallel_guesses_at_one_login_get_exactly_the_limit_checked(world, base_url):
    """The count is taken before the password is checked: of 30 guesses at
    once, exactly the window's limit are checked (wrong password), the rest
    are refused as throttled, however they interleave."""
    login = f"ghost-{uuid.uuid4().hex}"
    limit = world.settings.login_attempts_per_window
    with world.db.write() as s:
        # This test's guesses, not earlier tests', decide the address's count.
        s.execute(delete(LoginThrottle).where(LoginThrottle.key == "addr:127.0.0.1"))

    def guess(_):
        with httpx.Client(base_url=base_url, timeout=60) as client:
            return auth(client, username=login, password="x", grant_type="password")

    with ThreadPoolExecutor(max_workers=30) as pool:
        answers = list(pool.map(guess, range(30)))
    codes = sorted(r.json()["api_error_entity"]["error_code"] for r in answers)
    assert {r.status_code for r in answers} == {403}
    assert codes == [3] * limit + [7] * (30 - limit)
    with world.db.read() as s:
        assert s.get(LoginThrottle, f"login:{login}").failures == limit


def test_a_success_gives_back_its_address_reservation(world, http):
    user = world.user()
    key = "addr:127.0.0.1"
    with world.db.write() as s:
        s.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
    assert auth(http, username=user.login, password="nope", grant_type="password").status_code == 403
    assert auth(http, username=user.login, password=PASSWORD, grant_type="password").status_code == 200
    with world.db.read() as s:
        assert s.get(LoginThrottle, key).failures == 1
        assert s.get(LoginThrottle, f"login:{user.login.lower()}") is None


@pytest.mark.parametrize("token", ["", "not-a-uuid", "6f1c1f0e-3b7a-4c55-9a0e-2d4b8e7f9a11"])
def test_validate_rejects_bad_tokens(http, token):
    r = http.get("/api/v1/AdminApi/ValidateAccessToken", params={"access_token": token})
    assert r.status_code == 403
    assert r.json() == {
        "utc_expiration_date": None,
        "error_message": "Unable to authenticate",
        "api_error_entity": {"error_code": 3, "error_message": "Unable to authenticate", "warning_messages": []},
    }


def test_validate_rejects_expired_token(world, http):
    token = world.token(world.admin, expired=True)
    r = http.get("/api/v1/AdminApi/ValidateAccessToken", params={"access_token": token})
    assert r.status_code == 403 and r.json()["utc_expiration_date"] is None


def test_a_hash_made_with_older_costs_is_upgraded_at_sign_in(world, http, db):
    from argon2 import PasswordHasher

    from scormapi.auth.passwords import needs_rehash
    from scormapi.store.models import User

    user = world.user()
    old = PasswordHasher(time_cost=1, memory_cost=4096).hash(PASSWORD)
    with db.write() as s:
        s.get(User, user.id).password_hash = old
    assert needs_rehash(old)
    r = auth(http, username=user.login, password=PASSWORD, grant_type="password")
    assert r.status_code == 200
    with db.read() as s:
        stored = s.get(User, user.id).password_hash
    assert stored != old and not needs_rehash(stored)
    assert auth(http, username=user.login, password=PASSWORD, grant_type="password").status_code == 200


def test_hashing_runs_on_its_own_bounded_threads(monkeypatch):
    """Request threads never hash: only the argon2 pool holds Argon2 memory."""
    from scormapi.auth import passwords

    seen = []

    class Recording:
        def hash(self, password):
            seen.append(threading.current_thread().name)
            return "h"

    monkeypatch.setattr(passwords, "_hasher", lambda: Recording())
    with ThreadPoolExecutor(max_workers=6) as requests:
        assert list(requests.map(passwords.hash_password, ["p"] * 12)) == ["h"] * 12
    assert len(seen) == 12 and all(name.startswith("argon2") for name in seen)
    assert len(set(seen)) <= passwords.get_settings().argon2_concurrency


def test_a_window_that_is_over_starts_counting_again(world, http):
    user = world.user()
    key = f"login:{user.login.lower()}"
    long_ago = datetime.now(timezone.utc) - timedelta(seconds=world.settings.login_window_seconds + 5)
    with world.db.write() as s:
        s.add(LoginThrottle(key=key, window_start=long_ago, failures=world.settings.login_attempts_per_window))
    r = auth(http, username=user.login, password="nope", grant_type="password")
    assert r.json()["api_error_entity"]["error_code"] == 3
    with world.db.read() as s:
        row = s.get(LoginThrottle, key)
        assert row.failures == 1 and row.window_start > long_ago + timedelta(seconds=5)
    auth(http, username=user.login, password="nope", grant_type="password")
    with world.db.read() as s:
        assert s.get(LoginThrottle, key).failures == 2
