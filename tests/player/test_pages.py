"""Sign-in, the session cookie, CSRF, and the learner's pages."""
from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest

from scormapi.store.models import LoginThrottle, utcnow
from tests.api.scorm_helpers import load_attempt
from tests.player.helpers import csrf_field, sign_in
from tests.world import PASSWORD


def set_cookie(response, name):
    """The Set-Cookie header for ``name``, attributes lower-cased."""
    for header in response.headers.get_list("set-cookie"):
        if header.startswith(f"{name}="):
            return header.lower()
    return None


@pytest.fixture()
def client(base_url):
    with httpx.Client(base_url=base_url, timeout=30) as c:
        yield c


def login_form(client):
    r = client.get("/login")
    assert r.status_code == 200
    return csrf_field(r.text)


def test_home_and_pages_send_a_stranger_to_sign_in(client):
    assert client.get("/").headers["location"] == "/learn"
    r = client.get("/learn")
    assert r.status_code == 303 and r.headers["location"].endswith("/login?next=%2Flearn")


def test_the_sign_in_form_carries_a_csrf_pair(client):
    r = client.get("/login")
    cookie = set_cookie(r, "scormapi_login_csrf")
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/login" in cookie
    assert csrf_field(r.text) == client.cookies["scormapi_login_csrf"]
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


@pytest.mark.parametrize("token", ["", "forged-value-forged-value"])
def test_sign_in_without_the_matching_csrf_value_is_refused(world, client, token):
    user = world.user()
    login_form(client)
    r = client.post("/login", data={"login": user.login, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 400 and "expired" in r.text
    assert set_cookie(r, "scormapi_session") is None


def test_a_wrong_password_is_refused_and_counted(world, client):
    user = world.user()
    r = client.post("/login", data={"login": user.login, "password": "wrong", "csrf_token": login_form(client)})
    assert r.status_code == 401 and "not correct" in r.text
    assert set_cookie(r, "scormapi_session") is None
    with world.db.read() as s:
        assert s.get(LoginThrottle, f"login:{user.login.lower()}").failures == 1


def test_sign_in_is_throttled_like_the_api(world, client):
    user = world.user()
    with world.db.write() as s:
        s.add(LoginThrottle(key=f"login:{user.login.lower()}", window_start=utcnow() - timedelta(seconds=1),
                            failures=world.settings.login_attempts_per_window))
    r = client.post("/login", data={"login": user.login, "password": PASSWORD, "csrf_token": login_form(client)})
    assert r.status_code == 401 and "Too many failed sign-ins" in r.text


def test_sign_in_sets_an_httponly_samesite_session_cookie(world, client):
    user = world.user()
    r = client.post("/login", data={"login": user.login, "password": PASSWORD, "csrf_token": login_form(client),
                                    "next": "/learn?x=1"})
    assert r.status_code == 303 and r.headers["location"] == "/learn?x=1"
    cookie = set_cookie(r, "scormapi_session")
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # plain http on loopback
    assert client.get("/learn").status_code == 200


def test_the_cookie_is_secure_behind_https(world, client):
    user = world.user()
    csrf = login_form(client)
    r = client.post("/login", data={"login": user.login, "password": PASSWORD, "csrf_token": csrf},
                    headers={"X-Forwarded-Proto": "https"})
    assert "; secure" in set_cookie(r, "scormapi_session")


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "learn"])
def test_sign_in_never_redirects_off_site(world, client, target):
    user = world.user()
    r = client.post("/login", data={"login": user.login, "password": PASSWORD, "csrf_token": login_form(client),
                                    "next": target})
    assert r.headers["location"] == "/learn"


def test_a_session_token_is_not_an_api_token(world, base_url):
    user = world.user()
    browser = sign_in(base_url, user.login)
    token = browser.cookies["scormapi_session"]
    browser.close()
    with httpx.Client(base_url=base_url) as api:
        r = api.get("/api/v1/AdminApi/ValidateAccessToken", params={"access_token": token})
    assert r.status_code == 403


def test_sign_out_needs_the_form_token_and_revokes_the_session(world, base_url):
    user = world.user()
    browser = sign_in(base_url, user.login)
    page = browser.get("/learn")
    token = browser.cookies["scormapi_session"]
    assert browser.post("/logout", data={"csrf_token": "wrong"}).status_code == 400
    assert browser.get("/learn").status_code == 200
    r = browser.post("/logout", data={"csrf_token": csrf_field(page.text)})
    assert r.status_code == 303 and r.headers["location"].endswith("/login")
    assert 'max-age=0' in set_cookie(r, "scormapi_session") or "expires=" in set_cookie(r, "scormapi_session")
    browser.close()
    # The old cookie value is dead on the server, not only in that browser.
    with httpx.Client(base_url=base_url, cookies={"scormapi_session": token}) as replay:
        assert replay.get("/learn").status_code == 303


def test_the_course_list_shows_the_learners_own_assignments(world, base_url, http):
    course = world.course(scos=2)
    other = world.course(scos=1)
    browser = sign_in(base_url, course.learner.login)
    page = browser.get("/learn")
    browser.close()
    assert course.assignment.title in page.text and other.assignment.title not in page.text
    links = re.findall(r'href="/learn/play/([^/"?]+)\?sco=([^"]+)"', page.text)
    assert links == [(str(course.assignment_status.id), "item_1"), (str(course.assignment_status.id), "item_2")]
    assert page.text.count("not attempted") >= 3
    # Never opened: no attempt number yet.
    assert re.findall(r'<td class="sco-attempt" data-label="Attempt">([^<]*)</td>', page.text) == ["–", "–"]


def test_the_player_shell_launches_and_frames_the_content_origin(world, base_url, content_url):
    course = world.course(scos=2)
    browser = sign_in(base_url, course.learner.login)
    r = browser.get(f"/learn/play/{course.assignment_status.id}", params={"sco": "item_2"})
    browser.close()
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert r.headers["content-security-policy"] == (
        f"default-src 'self'; script-src 'self'; frame-src {content_url}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
    frame = re.search(r'<iframe id="lesson-frame"[^>]*>', r.text).group(0)
    assert re.search(rf'src="{content_url}/run/[0-9a-f-]{{36}}"', frame)
    assert 'sandbox="allow-scripts allow-same-origin allow-forms allow-popups allow-modals allow-downloads"' in frame
    assert "/player/static/shell.js" in r.text and "api12.js" not in r.text and "launch_token" not in r.text
    assert 'aria-label="Table of contents"' in r.text and 'aria-current="page"' in r.text
    assert load_attempt(world, course, "item_2").started_at is not None
    assert load_attempt(world, course, "item_1") is None


def test_the_player_refuses_other_learners_and_cross_site_launches(world, base_url):
    course = world.course(scos=1)
    stranger = world.user()
    browser = sign_in(base_url, stranger.login)
    assert browser.get(f"/learn/play/{course.assignment_status.id}", params={"sco": "item_1"}).status_code == 404
    browser.close()
    learner = sign_in(base_url, course.learner.login)
    r = learner.get(f"/learn/play/{course.assignment_status.id}", params={"sco": "item_1"},
                    headers={"Sec-Fetch-Site": "cross-site"})
    learner.close()
    assert r.status_code == 200 and "Open the lesson" in r.text
    assert f'href="/learn/play/{course.assignment_status.id}?sco=item_1"' in r.text
    assert load_attempt(world, course) is None


def test_static_files_are_served_with_their_types(client):
    r = client.get("/player/static/api12.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert client.get("/player/static/player.css").headers["content-type"].startswith("text/css")
    assert client.get("/player/static/..%2Fpages.py").status_code == 404
    assert client.get("/player/static/nothing.js").status_code == 404
