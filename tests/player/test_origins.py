"""The main origin and the content origin: what each serves, what each
accepts, and the launch code between them (through the real HTTP server,
one host with two ports, as ``scormapi serve`` runs it)."""
from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from scormapi.api.app import create_app
from scormapi.auth.tokens import token_hash
from scormapi.config import Settings
from scormapi.store.models import AccessToken, ScoAttempt, utcnow
from scormapi.web.origins import OriginSplit
from tests.api.scorm_helpers import load_attempt
from tests.player.helpers import commit, csrf_field, launch, sign_in
from tests.threads import run_apart
from tests.world import PASSWORD

NOT_FOUND = {"api_error_entity": {"error_code": 5, "error_message": "Not Found", "warning_messages": []}}
UNAUTHENTICATED = {"error_code": 3, "error_message": "Unable to authenticate", "warning_messages": []}


@pytest.fixture()
def course(world):
    return world.course(scos=2)


@pytest.fixture()
def learner(course, base_url):
    client = sign_in(base_url, course.learner.login)
    yield client
    client.close()


def open_shell(learner, course, sco="item_1", mode=None, **headers):
    params = {"sco": sco, **({"mode": mode} if mode else {})}
    return learner.get(f"/learn/play/{course.assignment_status.id}", params=params, headers=headers)


def run_url(shell) -> str:
    return re.search(r'<iframe id="lesson-frame"[^>]*\bsrc="([^"]+)"', shell.text).group(1)


def run_config(page) -> dict:
    return json.loads(re.search(r'<script id="scorm-launch" type="application/json">(.*?)</script>', page.text).group(1))


def token_rows(world, user) -> list[tuple[str, bool]]:
    """(kind, live) of every token of ``user`` but their sign-in session."""
    with world.db.read() as s:
        rows = s.execute(select(AccessToken.kind, AccessToken.revoked_at).where(
            AccessToken.user_id == user.id, AccessToken.kind != "session").order_by(AccessToken.created_at)).all()
    return [(kind, revoked is None) for kind, revoked in rows]


# -- the shell on the main origin ------------------------------------------------------


@pytest.mark.parametrize("site", ["same-site", "cross-site"])
def test_a_launch_from_another_site_or_the_content_port_writes_nothing(world, course, learner, site):
    r = open_shell(learner, course, **{"Sec-Fetch-Site": site})
    assert r.status_code == 200 and "Follow the link to open the lesson." in r.text
    assert "lesson-frame" not in r.text
    assert load_attempt(world, course, "item_1") is None
    assert token_rows(world, course.learner) == []


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "same-origin"}, {"Sec-Fetch-Site": "none"}, {}])
def test_a_launch_from_this_site_the_address_bar_or_no_browser_opens(world, course, learner, headers, content_url):
    r = open_shell(learner, course, **headers)
    assert r.status_code == 200 and run_url(r).startswith(f"{content_url}/run/")
    assert load_attempt(world, course, "item_1").started_at is not None
    # The shell's launch makes no launch token: only the one-minute code lives.
    assert token_rows(world, course.learner) == [("launch_code", True)]


def test_main_pages_cannot_be_framed_and_grant_no_cors(course, learner, base_url, content_url):
    for r in (learner.get("/learn", headers={"Origin": content_url}), open_shell(learner, course, Origin=content_url),
              httpx.get(f"{base_url}/login")):
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert not any(name.lower().startswith("access-control-") for name in r.headers)
    preflight = learner.options("/learn", headers={"Origin": content_url, "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in preflight.headers


# -- the launch code --------------------------------------------------------------------


def test_a_code_opens_the_run_time_page_once(world, course, learner, base_url, content_url):
    code_url = run_url(open_shell(learner, course, sco="item_2"))
    with httpx.Client() as browser:
        page = browser.get(code_url)
        assert page.status_code == 200
        assert page.headers["content-security-policy"] == (
            f"default-src 'self'; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors {base_url}")
        assert page.headers["referrer-policy"] == "no-referrer" and "set-cookie" not in page.headers
        config = run_config(page)
        attempt = load_attempt(world, course, "item_2")
        assert (config["attempt_id"], config["sco_id"], config["main_origin"]) == (str(attempt.id), "item_2", base_url)
        assert config["commit_url"] == "/api/v1/ScormRuntime/Commit" and config["lesson_mode"] == "normal"
        assert config["cmi"]["cmi.core.entry"] == "ab-initio" and "table" in config
        content_src = re.search(r'<iframe id="content-frame"[^>]*\bsrc="([^"]+)"', page.text).group(1)
        assert content_src == f"/content/{config['launch_token']}/sco2/index.html"
        # The token it hands the content commits (in the header) and opens the files.
        saved = commit(httpx.Client(base_url=content_url), config["launch_token"], config["commit_seq"] + 1,
                       {"cmi.core.lesson_location": "p1"})
        assert saved.status_code == 200 and load_attempt(world, course, "item_2").cmi["cmi.core.lesson_location"] == "p1"
        assert browser.get(f"{content_url}{content_src}").status_code == 200

        again = browser.get(code_url)
        assert again.status_code == 410 and "already been used or has expired" in again.text
        assert "launch_token" not in again.text and "Traceback" not in again.text


def test_an_expired_or_unknown_code_is_refused(world, course, learner, content_http):
    code_url = run_url(open_shell(learner, course))
    code = code_url.rsplit("/", 1)[1]
    with world.db.write() as s:
        s.execute(update(AccessToken).where(AccessToken.token_hash == token_hash(code))
                  .values(expires_at=utcnow() - timedelta(seconds=1)))
    r = content_http.get(f"/run/{code}")
    assert r.status_code == 410 and "Open the lesson again from My courses" in r.text
    assert content_http.get("/run/6f1c1f0e-3b7a-4c55-9a0e-2d4b8e7f9a11").status_code == 403
    assert content_http.get("/run/" + "x" * 100).status_code == 403
    # No launch token came of either.
    assert ("launch", True) not in token_rows(world, course.learner)


def test_two_requests_with_one_code_get_one_page(world, course, learner):
    from concurrent.futures import ThreadPoolExecutor

    code_url = run_url(open_shell(learner, course))
    with ThreadPoolExecutor(4) as pool:
        statuses = sorted(pool.map(lambda _: httpx.get(code_url, timeout=30).status_code, range(4)))
    assert statuses == [200, 410, 410, 410]
    assert token_rows(world, course.learner).count(("launch", True)) == 1


def test_the_code_is_refused_on_the_main_origin(course, learner):
    code = run_url(open_shell(learner, course)).rsplit("/", 1)[1]
    r = learner.get(f"/run/{code}")
    assert (r.status_code, r.json()) == (404, NOT_FOUND)


def test_a_review_gets_a_key_for_files_that_never_commits(world, content_http, base_url):
    course = world.course(scos=1, max_attempts=1)
    first = launch(world, course)
    assert commit(content_http, first, first["commit_seq"] + 1, {"cmi.core.lesson_status": "passed"},
                  finish=True).status_code == 200
    learner = sign_in(base_url, course.learner.login)
    page = content_http.get(run_url(open_shell(learner, course, mode="review")))
    learner.close()
    config = run_config(page)
    assert (config["lesson_mode"], config["launch_token"], config["commit_url"]) == ("review", None, None)
    assert config["cmi"]["cmi.core.credit"] == "no-credit"
    key = re.search(r'src="/content/([^/"]+)/', page.text).group(1)
    assert content_http.get(f"/content/{key}/sco1/index.html").status_code == 200
    r = commit(content_http, key, 10_000, {"cmi.core.lesson_status": "failed"})
    assert (r.status_code, r.json()) == (403, {"api_error_entity": UNAUTHENTICATED})
    assert load_attempt(world, course).lesson_status == "passed"


# -- what each origin serves ------------------------------------------------------------


@pytest.mark.parametrize("path", ["/learn", "/login", "/", "/docs", "/openapi.json", "/api/v1/AdminApi/ValidateAccessToken"])
def test_the_content_origin_serves_nothing_of_the_main_one(content_http, path):
    r = content_http.get(path)
    assert (r.status_code, r.json()) == (404, NOT_FOUND)


def test_the_session_cookie_and_admin_tokens_are_worthless_on_the_content_origin(world, course, learner, content_url):
    cookie = learner.cookies["scormapi_session"]
    with httpx.Client(base_url=content_url, cookies={"scormapi_session": cookie}) as content:
        assert content.get("/learn").status_code == 404
        assert content.get(f"/learn/play/{course.assignment_status.id}", params={"sco": "item_1"}).status_code == 404
        r = content.post("/api/v1/AdminApi/GetUser", params={"access_token": world.admin_token},
                         json={"user_id": str(course.learner.id)})
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
        r = content.post("/api/v1/ScormRuntime/Commit", headers={"Authorization": f"Bearer {world.admin_token}"},
                         json={"seq": 1, "values": {}})
        assert (r.status_code, r.json()) == (403, {"api_error_entity": UNAUTHENTICATED})
    assert load_attempt(world, course) is None


def test_a_launch_token_is_worthless_on_the_main_origin(world, course, http):
    launched = launch(world, course)
    token = launched["launch_token"]
    r = http.post("/api/v1/ScormRuntime/Commit", headers={"Authorization": f"Bearer {token}"}, json={"seq": 10, "values": {}})
    assert (r.status_code, r.json()) == (404, NOT_FOUND)
    assert http.get(f"/content/{token}/sco1/index.html").status_code == 404
    r = http.get("/api/v1/AdminApi/ValidateAccessToken", params={"access_token": token})
    assert r.status_code == 403
    with world.db.read() as s:
        assert s.get(ScoAttempt, uuid.UUID(launched["attempt_id"])).commit_seq == launched["commit_seq"]


def test_the_content_origin_sets_no_cookie_and_grants_no_cors(world, course, content_http, base_url, settings, db):
    launched = launch(world, course)
    headers = {"Origin": base_url}
    responses = [
        content_http.get("/api/v1/ScormRuntime/DataModel", headers=headers),
        content_http.get(f"/content/{launched['launch_token']}/sco1/index.html", headers=headers),
        commit(content_http, launched, launched["commit_seq"] + 1, {}),
        content_http.get("/player/static/api12.js", headers=headers),
        content_http.get("/login", headers=headers),
        content_http.options("/api/v1/ScormRuntime/Commit",
                             headers={**headers, "Access-Control-Request-Method": "POST"}),
    ]
    # The same app with a content-side route that sets cookies: what it sets
    # never leaves the content origin (the live server's routes set none).
    responses.append(run_apart(get_cookie_probe, settings, db, settings.content_port))
    for r in responses:
        assert "set-cookie" not in r.headers
        assert not any(name.lower().startswith("access-control-") for name in r.headers)
    assert [r.status_code for r in responses[:4]] == [200, 200, 200, 200]
    assert (responses[-1].status_code, responses[-1].text) == (200, "cookies set")
    # The check sees a cookie when there is one: the main origin's sign-in page sets its own.
    assert httpx.get(f"{base_url}/login").headers.get_list("set-cookie")


COOKIE_PROBE = "/content/probe/sets-cookies"


def sets_cookies():
    response = PlainTextResponse("cookies set")
    response.set_cookie("scormapi_session", "planted", httponly=True)
    response.set_cookie("scormapi_login_csrf", "planted", path="/login")
    return response


async def get_cookie_probe(settings, db, port):
    """GET COOKIE_PROBE from a fresh app (the test's settings, ahead of its
    own routes) as a request to ``port`` reaches it."""
    app = create_app(settings, db)
    app.add_api_route(COOKIE_PROBE, sets_cookies)
    app.router.routes.insert(0, app.router.routes.pop())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://127.0.0.1:{port}") as client:
        return await client.get(COOKIE_PROBE)


def test_the_content_origin_is_the_configured_host_behind_a_proxy(world, db):
    """With SCORMAPI_CONTENT_ORIGIN set, the Host header picks the side."""
    settings = Settings(data_dir=world.settings.data_dir, database_url=world.settings.database_url,
                        public_origin="https://lms.example.org", content_origin="https://content.example.org")
    transport = httpx.ASGITransport(app=create_app(settings, db))
    key = launch(world, world.course(scos=1))["launch_token"]
    file = f"/content/{key}/sco1/index.html"

    async def statuses(base_url, *requests):
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            return [(await client.get(path, headers=headers)).status_code for path, headers in requests]

    main = run_apart(statuses, "https://lms.example.org", ("/login", {}), (file, {}),
                     ("/login", {"Host": "content.example.org:8443"}))
    content = run_apart(statuses, "https://content.example.org", ("/login", {}), (file, {}),
                        ("/login", {"Host": "content.example.org:443"}))
    # Another port of the content host is not the content origin; its default port is.
    assert main == [200, 404, 200] and content == [404, 200, 404]


def test_without_a_content_origin_no_lesson_opens_and_the_api_still_commits(world, db):
    """Started without `scormapi serve` or SCORMAPI_CONTENT_ORIGIN (the
    benchmark's server): no lesson runs anywhere, API clients still commit."""
    settings = Settings(data_dir=world.settings.data_dir, database_url=world.settings.database_url)
    transport = httpx.ASGITransport(app=create_app(settings, db))
    course = world.course(scos=1)
    launched = launch(world, course)

    async def calls():
        async with httpx.AsyncClient(transport=transport, base_url="http://lms.test") as client:
            token = {"Authorization": f"Bearer {launched['launch_token']}"}
            saved = await client.post("/api/v1/ScormRuntime/Commit", headers=token,
                                      json={"seq": launched["commit_seq"] + 1, "values": {}})
            file = await client.get(f"/content/{launched['launch_token']}/sco1/index.html")
            return saved.status_code, file.status_code

    assert run_apart(calls) == (200, 404)


@pytest.mark.parametrize("public, content, message", [
    ("https://lms.example.org", "", "set together"),
    ("", "https://content.example.org", "set together"),
    ("https://lms.example.org", "https://LMS.example.org/", "must differ"),
    ("https://lms.example.org", "https://content.example.org/player", "is not an origin"),
    ("https://lms.example.org", "content.example.org", "is not an origin"),
    ("https://lms.example.org", "ftp://content.example.org", "is not an origin"),
    ("https://lms.example.org", "https://content.example.org:99999", "invalid port"),
])
def test_the_origin_settings_are_checked(public, content, message):
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=message):
        Settings(public_origin=public, content_origin=content)


def test_the_origin_settings_are_normalised():
    s = Settings(public_origin="https://LMS.example.org/", content_origin=" https://content.example.org:8443 ")
    assert (s.public_origin, s.content_origin) == ("https://lms.example.org", "https://content.example.org:8443")


@pytest.mark.parametrize("public, content, expected", [
    ("http://lms.example.org:80", "https://content.example.org:443", ("http://lms.example.org", "https://content.example.org")),
    ("https://LMS.example.org:443/", "http://content.example.org:80/", ("https://lms.example.org", "http://content.example.org")),
    ("https://lms.example.org:80", "http://content.example.org:443", ("https://lms.example.org:80", "http://content.example.org:443")),
    ("http://[::1]:80", "http://[::1]:8080", ("http://[::1]", "http://[::1]:8080")),
])
def test_an_origins_own_port_is_left_out_as_browsers_do(public, content, expected):
    s = Settings(public_origin=public, content_origin=content)
    assert (s.public_origin, s.content_origin) == expected


def test_origins_from_the_environment_with_their_default_ports(monkeypatch):
    monkeypatch.setenv("SCORMAPI_PUBLIC_ORIGIN", "http://lms.example.org:80")
    monkeypatch.setenv("SCORMAPI_CONTENT_ORIGIN", "https://content.example.org:443")
    s = Settings()
    assert (s.public_origin, s.content_origin) == ("http://lms.example.org", "https://content.example.org")


def test_origins_given_with_their_default_ports_are_what_the_pages_name(world, db):
    """The shell compares event.origin with the content origin it is given,
    the run-time page the other way round; browsers never write the
    scheme's own port, so neither may the pages."""
    settings = Settings(data_dir=world.settings.data_dir, database_url=world.settings.database_url,
                        public_origin="https://lms.example.org:443", content_origin="https://content.example.org:443")
    transport = httpx.ASGITransport(app=create_app(settings, db))
    course = world.course(scos=1)

    async def shell_and_run_page():
        async with httpx.AsyncClient(transport=transport, base_url="https://lms.example.org") as main, \
                httpx.AsyncClient(transport=transport, base_url="https://content.example.org") as content:
            form = await main.get("/login")
            signed = await main.post("/login", data={"login": course.learner.login, "password": PASSWORD,
                                                      "csrf_token": csrf_field(form.text)})
            assert signed.status_code == 303
            shell = await main.get(f"/learn/play/{course.assignment_status.id}", params={"sco": "item_1"})
            return shell, await content.get(run_url(shell))

    shell, page = run_apart(shell_and_run_page)
    assert "frame-src https://content.example.org;" in shell.headers["content-security-policy"]
    shell_config = json.loads(re.search(r'<script id="player-shell" type="application/json">(.*?)</script>', shell.text).group(1))
    assert shell_config == {"content_origin": "https://content.example.org"}
    assert run_url(shell).startswith("https://content.example.org/run/")
    assert page.status_code == 200
    assert page.headers["content-security-policy"].endswith("frame-ancestors https://lms.example.org")
    assert run_config(page)["main_origin"] == "https://lms.example.org"


# -- OriginSplit on its own --------------------------------------------------------------


async def raw_cookie_setter(scope, receive, send):
    """Sets cookies under any spelling of the header; says whether a cookie came in."""
    seen = any(name == b"cookie" for name, _ in scope["headers"])
    headers = [(b"content-type", b"text/plain"), (b"set-cookie", b"a=1; Path=/"),
               (b"Set-Cookie", b"scormapi_session=planted; Path=/; HttpOnly"), (b"SET-COOKIE", b"b=2")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"cookie seen" if seen else b"no cookie"})


def starlette_cookie_setter():
    def endpoint(request):
        response = PlainTextResponse("cookie seen" if request.cookies else "no cookie")
        response.set_cookie("scormapi_session", "planted", httponly=True)
        response.set_cookie("scormapi_login_csrf", "planted", path="/login")
        return response

    return Starlette(routes=[Route("/{path:path}", endpoint)])


SPLIT_SIDES = [
    # (settings, the content side's base URL, the main side's)
    (Settings(public_origin="https://lms.example.org", content_origin="https://content.example.org"),
     "https://content.example.org", "https://lms.example.org"),
    (Settings(main_port=8000, content_port=8001), "http://127.0.0.1:8001", "http://127.0.0.1:8000"),
]


@pytest.mark.parametrize("inner", ["raw", "starlette"])
@pytest.mark.parametrize("settings_, content_base, main_base", SPLIT_SIDES, ids=["by-host", "by-port"])
def test_origin_split_lets_no_cookie_in_or_out_on_the_content_side(inner, settings_, content_base, main_base):
    app = OriginSplit(raw_cookie_setter if inner == "raw" else starlette_cookie_setter(), settings_)

    async def get(base_url, path):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url) as client:
            return await client.get(path, headers={"Cookie": "scormapi_session=learners"})

    content = run_apart(get, content_base, "/content/key/sco1/index.html")
    assert (content.status_code, content.text) == (200, "no cookie")
    assert content.headers.get_list("set-cookie") == []
    main = run_apart(get, main_base, "/learn")
    assert (main.status_code, main.text) == (200, "cookie seen")
    assert len(main.headers.get_list("set-cookie")) == (3 if inner == "raw" else 2)


# -- forms on the main origin: only its own pages may post them --------------------------

# The double-submit value content plants for /login (cookies are not kept
# apart by port) and then posts in the sign-in form.
PLANTED = "planted-by-the-content-origin-0123456789"


def sender(kind: str, base_url: str, content_url: str) -> dict:
    """The headers a browser sends with a form from ``kind`` of page."""
    return {
        "same-site": {"Sec-Fetch-Site": "same-site"},
        "cross-site": {"Sec-Fetch-Site": "cross-site"},
        "same-site, Origin main": {"Sec-Fetch-Site": "same-site", "Origin": base_url},
        "Origin content": {"Origin": content_url},
        "Origin null": {"Origin": "null"},
        "Origin other host": {"Origin": "https://evil.example"},
        "Origin content, Referer main": {"Origin": content_url, "Referer": f"{base_url}/login"},
        "Origin main, Referer content": {"Origin": base_url, "Referer": f"{content_url}/run/code"},
        "Referer content": {"Referer": f"{content_url}/content/key/sco1/index.html"},
        "Referer other port": {"Referer": "http://127.0.0.1:1/learn"},
        "same-origin": {"Sec-Fetch-Site": "same-origin", "Origin": base_url},
        "none": {"Sec-Fetch-Site": "none"},
        "nothing": {},
        "Origin main": {"Origin": base_url},
        "Referer main": {"Referer": f"{base_url}/login"},
    }[kind]


FOREIGN = ["same-site", "cross-site", "same-site, Origin main", "Origin content", "Origin null", "Origin other host",
           "Origin content, Referer main", "Referer content", "Referer other port"]
# The Origin header, when sent, is the one that counts.
OWN = ["same-origin", "none", "nothing", "Origin main", "Referer main", "Origin main, Referer content"]


def session_rows(world, user) -> list[bool]:
    """Whether each sign-in session of ``user`` is live, oldest first."""
    with world.db.read() as s:
        rows = s.scalars(select(AccessToken.revoked_at).where(
            AccessToken.user_id == user.id, AccessToken.kind == "session").order_by(AccessToken.created_at)).all()
    return [revoked is None for revoked in rows]


def post_planted_sign_in(base_url, user, headers) -> httpx.Response:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        return client.post("/login", headers={**headers, "Cookie": f"scormapi_login_csrf={PLANTED}"},
                           data={"login": user.login, "password": PASSWORD, "csrf_token": PLANTED, "next": "/learn"})


def session_cookies_set(response) -> list[str]:
    return [c for c in response.headers.get_list("set-cookie") if c.startswith("scormapi_session=")]


@pytest.mark.parametrize("kind", FOREIGN)
def test_a_sign_in_posted_from_another_origin_signs_no_one_in(world, base_url, content_url, kind):
    """Content plants the sign-in cookie and posts the attacker's login: the
    learner would go on in the attacker's account."""
    attacker = world.user(world.top)
    r = post_planted_sign_in(base_url, attacker, sender(kind, base_url, content_url))
    assert r.status_code == 400
    assert session_cookies_set(r) == []
    assert session_rows(world, attacker) == []
    # What the learner sees: the sign-in page again.
    assert '<form method="post" action="/login"' in r.text and 'name="csrf_token"' in r.text


@pytest.mark.parametrize("kind", OWN)
def test_a_sign_in_from_this_site_or_no_browser_signs_in(world, base_url, content_url, kind):
    """The double-submit pair alone cannot tell the planted cookie from the
    learner's own: only where the form came from can."""
    user = world.user(world.top)
    r = post_planted_sign_in(base_url, user, sender(kind, base_url, content_url))
    assert (r.status_code, r.headers["location"]) == (303, "/learn")
    assert len(session_cookies_set(r)) == 1
    assert session_rows(world, user) == [True]


def sign_out_form(client) -> str:
    return csrf_field(client.get("/learn").text)


@pytest.mark.parametrize("kind", FOREIGN)
def test_a_sign_out_posted_from_another_origin_signs_no_one_out(world, course, learner, base_url, content_url, kind):
    token = sign_out_form(learner)
    r = learner.post("/logout", data={"csrf_token": token}, headers=sender(kind, base_url, content_url))
    assert r.status_code == 400
    assert session_cookies_set(r) == []
    assert session_rows(world, course.learner) == [True]
    assert learner.get("/learn").status_code == 200


@pytest.mark.parametrize("kind", OWN)
def test_a_sign_out_from_this_site_signs_out(world, course, learner, base_url, content_url, kind):
    token = sign_out_form(learner)
    r = learner.post("/logout", data={"csrf_token": token}, headers=sender(kind, base_url, content_url))
    assert (r.status_code, r.headers["location"]) == (303, f"{base_url}/login")
    assert session_rows(world, course.learner) == [False]
    assert learner.get("/learn").status_code == 303


@pytest.mark.parametrize("kind", [k for k in FOREIGN if not k.startswith(("same-site", "cross-site"))])
def test_a_launch_another_origin_sent_writes_nothing_when_the_browser_says_no_site(world, course, learner,
                                                                                   base_url, content_url, kind):
    """A browser without Sec-Fetch-Site is judged by its Origin, then its Referer."""
    r = open_shell(learner, course, **sender(kind, base_url, content_url))
    assert r.status_code == 200 and "Follow the link to open the lesson." in r.text
    assert "lesson-frame" not in r.text
    assert load_attempt(world, course, "item_1") is None
    assert token_rows(world, course.learner) == []


@pytest.mark.parametrize("kind", ["Origin main", "Referer main"])
def test_a_launch_this_site_sent_opens_when_the_browser_says_no_site(world, course, learner, base_url, content_url,
                                                                    kind):
    r = open_shell(learner, course, **sender(kind, base_url, content_url))
    assert r.status_code == 200 and run_url(r).startswith(f"{content_url}/run/")
    assert token_rows(world, course.learner) == [("launch_code", True)]
