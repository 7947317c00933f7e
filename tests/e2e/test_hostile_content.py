"""A hostile package: its script tries to act as the learner on their other
course (in another organization), to sign the learner into an account of
its own, to sign them out, and to speak for the run-time page to the
shell; it fails at every step, while its own honest run-time calls are
saved.

The script is given the other course's real ids and the attacker's own
credentials and session, the worst case: it could not read the ids from the
learner's pages (that is one of the things tried).
"""
from __future__ import annotations

import json
import shutil
import time

import pytest
from sqlalchemy import func, select

from tests.api.scorm_helpers import get_cmi, load_attempt, values
from tests.e2e.conftest import CHROMIUM_ARGS, LearnerBrowser
from tests.e2e.scripted import SCO_PAGE, scripted_package
from tests.player.helpers import commit, enrolled_course, launch, sign_in
from tests.world import PASSWORD, World

pytestmark = pytest.mark.e2e

# The double-submit value the script plants as the sign-in form's cookie.
PLANTED_CSRF = "planted-by-the-content-origin-0123456789"

# Runs in the content frame (content origin). Every attempt records what
# it got; the test then checks the server and the database.
HOSTILE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Hostile SCO</title></head>
<body><h1>Hostile SCO</h1><pre id="results"></pre>
<script>
var TARGET = %(target)s;
var results = {};
function findApi(win) {
  for (var hops = 0; win && hops < 10; hops++) {
    if (win.API) return win.API;
    if (win.parent === win) break;
    win = win.parent;
  }
  return null;
}
async function attempt(name, action) {
  try { results[name] = await action(); }
  catch (error) { results[name] = "blocked: " + error.name; }
}
async function status(url, options) {
  var response = await fetch(url, options);
  return response.type === "opaque" ? "opaque" : response.status;
}
function post(body, token) {
  var headers = {"Content-Type": "application/json"};
  if (token) headers.Authorization = "Bearer " + token;
  return {method: "POST", headers: headers, body: JSON.stringify(body)};
}
// A form posted to another window: a popup ("_blank") or a frame of this
// page's own. What the other origin answers stays unreadable; the test
// reads it from the browser's network log.
function postForm(action, fields, target) {
  return new Promise(function (resolve) {
    var form = document.createElement("form");
    form.method = "POST";
    form.action = action;
    form.target = target;
    Object.keys(fields).forEach(function (name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = fields[name];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    if (target !== "_blank") {
      var frame = document.createElement("iframe");
      frame.name = target;
      document.body.appendChild(frame);
      frame.addEventListener("load", function () { resolve("sent"); });
      window.setTimeout(function () { resolve("sent"); }, 5000);
    }
    form.submit();
    if (target === "_blank") resolve("sent");
  });
}
// Speaking to the shell as the run-time page: a script of the package run
// inside that page (same origin as the content), so the message comes
// from the very window the shell listens to.
function runInRuntimePage(file) {
  return new Promise(function (resolve, reject) {
    var host = window.parent.document;
    var script = host.createElement("script");
    script.src = new URL(file, location.href).href;
    script.onload = function () { resolve("ran"); };
    script.onerror = function () { reject(new TypeError("not loaded")); };
    host.head.appendChild(script);
  });
}
(async function () {
  var api = findApi(window);
  results.api = api ? "found" : "missing";
  results.init = api.LMSInitialize("");
  api.LMSSetValue("cmi.core.lesson_location", "hostile-own");
  results.commit_own = api.LMSCommit("");

  var main = TARGET.main;
  var launchConfig = JSON.parse(window.parent.document.getElementById("scorm-launch").textContent);
  var token = launchConfig.launch_token;
  var play = main + "/learn/play/" + TARGET.status_id + "?sco=" + encodeURIComponent(TARGET.sco_id);
  var steal = {seq: 999999, values: {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "100"}};

  // The learner's pages, with their cookie: readable only same-origin.
  await attempt("read_learn", async function () {
    return (await fetch(main + "/learn", {credentials: "include"})).text();
  });
  await attempt("read_play", async function () {
    return (await fetch(play, {credentials: "include"})).text();
  });
  // Sent blind: the browser sends the request, the server must not launch.
  await attempt("blind_play", function () { return status(play, {credentials: "include", mode: "no-cors"}); });
  await attempt("blind_play_browse", function () {
    return status(play + "&mode=browse", {credentials: "include", mode: "no-cors"});
  });
  // Opened in popups (the frame may open them): the learner's cookie goes
  // along, as with a link, but the lesson must not launch.
  await attempt("play_popup", function () { return window.open(play, "_blank") ? "opened" : "refused"; });
  await attempt("play_popup_browse", function () {
    return window.open(play + "&mode=browse", "_blank") ? "opened" : "refused";
  });
  // Content-origin paths that belong to the main origin.
  await attempt("learn_here", function () { return status("/learn", {credentials: "include"}); });
  await attempt("play_here", function () {
    return status("/learn/play/" + TARGET.status_id + "?sco=" + encodeURIComponent(TARGET.sco_id), {credentials: "include"});
  });
  // The commit API: its own token with the other attempt's id in the query
  // (answered, and saved to the token's own attempt), guessed ids as
  // tokens, the learner's cookie, the main origin.
  await attempt("commit_other_attempt_in_query", function () {
    return status("/api/v1/ScormRuntime/Commit?attempt_id=" + TARGET.attempt_id, post(steal, token));
  });
  await attempt("commit_guessed_token", function () {
    return status("/api/v1/ScormRuntime/Commit", post(steal, TARGET.attempt_id));
  });
  await attempt("commit_status_token", function () {
    return status("/api/v1/ScormRuntime/Commit", post(steal, TARGET.status_id));
  });
  await attempt("commit_with_cookie", function () {
    return status("/api/v1/ScormRuntime/Commit", Object.assign(post(steal), {credentials: "include"}));
  });
  await attempt("commit_main", function () {
    return status(main + "/api/v1/ScormRuntime/Commit", Object.assign(post(steal, token), {mode: "no-cors"}));
  });
  // The API on the main origin, with the learner's cookie.
  var launchOther = {assignment_status_id: TARGET.status_id, sco_id: TARGET.sco_id};
  await attempt("api_launch", function () {
    return status(main + "/api/v1/ScormRuntime/Launch", Object.assign(post(launchOther), {credentials: "include", mode: "no-cors"}));
  });
  await attempt("api_edit", function () {
    var edit = {assignment_status_id: TARGET.status_id, sco_id: TARGET.sco_id, lesson_status: "passed", raw_score: 100};
    return status(main + "/api/v1/ScormApi/EditScormData", Object.assign(post(edit), {credentials: "include", mode: "no-cors"}));
  });
  await attempt("api_read", async function () {
    return (await fetch(main + "/api/v1/AdminApi/GetUser", Object.assign(post({}), {credentials: "include"}))).text();
  });
  // The shell's page: its table of contents, its links, its cookie.
  await attempt("shell_dom", function () { return window.top.document.body.innerHTML; });
  await attempt("shell_cookie", function () { return window.top.document.cookie; });
  await attempt("own_cookie", function () { return document.cookie; });

  // Cookies are not kept apart by port: this origin can set them for the
  // main one. The sign-in form's double-submit cookie, a value of its own;
  // the attacker's session over the learner's, and beside it on a path
  // that would be sent first.
  await attempt("plant_cookies", function () {
    document.cookie = "scormapi_login_csrf=" + TARGET.csrf + "; path=/login";
    document.cookie = "scormapi_session=" + TARGET.attacker_session + "; path=/";
    document.cookie = "scormapi_session=" + TARGET.attacker_session + "; path=/learn";
    return document.cookie;
  });
  // Then the sign-in form with the planted value and the attacker's
  // credentials: signed in, the learner would work in the attacker's account.
  var signIn = {login: TARGET.attacker_login, password: TARGET.attacker_password, csrf_token: TARGET.csrf, next: "/learn"};
  await attempt("login_popup", function () { return postForm(main + "/login", signIn, "_blank"); });
  await attempt("login_frame", function () { return postForm(main + "/login", signIn, "login-sink"); });
  await attempt("login_fetch", function () {
    return status(main + "/login", {method: "POST", mode: "no-cors", credentials: "include", body: new URLSearchParams(signIn)});
  });
  // Signing the learner out (the form's token is out of reach; a guess).
  await attempt("logout_frame", function () { return postForm(main + "/logout", {csrf_token: "guessed"}, "logout-sink"); });
  await attempt("logout_fetch", function () {
    return status(main + "/logout", {method: "POST", mode: "no-cors", credentials: "include",
                                     body: new URLSearchParams({csrf_token: "guessed"})});
  });

  // Messages to the shell: from this frame (not the run-time page's
  // window: ignored), then from inside the run-time page (heard, but only
  // ever shown as text).
  await attempt("forge_from_content", function () {
    window.top.postMessage({type: "scormapi:state", state: "finished", text: "FORGED FROM THE CONTENT FRAME"}, "*");
    return "sent";
  });
  await attempt("forge_as_runtime", function () { return runInRuntimePage("forge.js"); });

  // Taking the learner's window somewhere else.
  await attempt("navigate_top", function () { window.top.location.href = play; return "no error"; });

  api.LMSSetValue("cmi.core.score.raw", "55");
  results.commit_own_again = api.LMSCommit("");
  var out = document.getElementById("results");
  out.textContent = JSON.stringify(results);
  out.setAttribute("data-done", "true");
})();
</script></body></html>
"""

FORGED_MARKUP = '<img src="x" onerror="window.top.document.title = \'pwned\'">'
FORGED_LONG = "FORGED " + "x" * 400

# Runs inside the run-time page (injected by the hostile page): its
# messages come from the window the shell takes messages from.
FORGE_SCRIPT = """(function () {
  var shell = window.parent;
  shell.postMessage({type: "scormapi:state", state: "pwned", text: "FORGED UNKNOWN STATE"}, "*");
  shell.postMessage({type: "scormapi:state", state: "saved", text: MARKUP, phase: "<b>phase</b>",
                     lessonStatus: "<i>passed</i>"}, "*");
  shell.postMessage({type: "scormapi:settled"}, "*");
  shell.postMessage({type: "scormapi:state", state: "error", text: LONG}, "*");
  shell.postMessage("<script>window.top.document.title = 'pwned'<\\/script>", "*");
})();
""".replace("MARKUP", json.dumps(FORGED_MARKUP)).replace("LONG", json.dumps(FORGED_LONG))

EXPECTED = {
    "api": "found",
    "init": "true",
    "commit_own": "true",
    "read_learn": "blocked: TypeError",
    "read_play": "blocked: TypeError",
    "blind_play": "opaque",
    "blind_play_browse": "opaque",
    "play_popup": "opened",
    "play_popup_browse": "opened",
    "learn_here": 404,
    "play_here": 404,
    "commit_other_attempt_in_query": 200,  # the query is ignored: it commits to the token's own attempt
    "commit_guessed_token": 403,
    "commit_status_token": 403,
    "commit_with_cookie": 403,
    "commit_main": "opaque",
    "api_launch": "opaque",
    "api_edit": "opaque",
    "api_read": "blocked: TypeError",
    "shell_dom": "blocked: SecurityError",
    "shell_cookie": "blocked: SecurityError",
    "own_cookie": "",
    # The paths /login and /learn are not this page's; the HttpOnly session
    # cookie on "/" cannot be overwritten from script.
    "plant_cookies": "",
    "login_popup": "sent",
    "login_frame": "sent",
    "login_fetch": "opaque",
    "logout_frame": "sent",
    "logout_fetch": "opaque",
    "forge_from_content": "sent",
    "forge_as_runtime": "ran",
    "navigate_top": "blocked: SecurityError",  # the frame's sandbox has no allow-top-navigation
    "commit_own_again": "true",
}

# The shell's save indicator, recorded at every change (installed before
# the shell's own script runs; only in the shell, never in a popup).
RECORD_SAVE_STATE = """
if (window === window.top) {
  window.__saveStates = [];
  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("save-state");
    if (!element) return;
    new MutationObserver(function () {
      window.__saveStates.push({state: element.getAttribute("data-state"), role: element.getAttribute("role"),
                                text: element.textContent, elements: element.childElementCount});
    }).observe(element, {attributes: true, childList: true, characterData: true, subtree: true});
  });
}
"""
SHELL_STATES = {"ready", "saving", "unsaved", "saved", "suspended", "finished", "review", "error"}


def hostile_package(target: dict) -> bytes:
    page = HOSTILE_PAGE % {"target": json.dumps(target)}
    return scripted_package([], extra_files={SCO_PAGE: page, "sco1/forge.js": FORGE_SCRIPT}, title="Hostile SCO")


def snapshot(world, course) -> dict:
    """What must not change on the other course: its attempt, its tokens."""
    from scormapi.store.models import AccessToken, ScoAttempt

    attempt = load_attempt(world, course)
    with world.db.read() as s:
        attempts = s.scalar(select(func.count()).select_from(ScoAttempt)
                            .where(ScoAttempt.assignment_status_id == course.assignment_status.id))
        tokens = s.execute(select(AccessToken.kind, AccessToken.revoked_at).where(AccessToken.attempt_id == attempt.id)
                           .order_by(AccessToken.created_at)).all()
    return {"cmi": attempt.cmi, "commit_seq": attempt.commit_seq, "version": attempt.version, "attempts": attempts,
            "tokens": [tuple(t) for t in tokens]}


def sessions(world, user) -> list[bool]:
    """Whether each sign-in session of ``user`` is still live, oldest first."""
    from scormapi.store.models import AccessToken

    with world.db.read() as s:
        rows = s.scalars(select(AccessToken.revoked_at).where(AccessToken.user_id == user.id, AccessToken.kind == "session")
                         .order_by(AccessToken.created_at)).all()
    return [revoked is None for revoked in rows]


def session_cookies(context) -> dict[str, tuple[str, bool]]:
    """The browser's scormapi_session cookies by path: (value, HttpOnly)."""
    return {c["path"]: (c["value"], c["httpOnly"]) for c in context.cookies() if c["name"] == "scormapi_session"}


def collect_form_posts(context, base_url: str) -> list:
    """Every response the browser gets to a POST to the main origin's /login or /logout, from now on."""
    posts = []
    paths = (f"{base_url}/login", f"{base_url}/logout")

    def keep(response):
        if response.request.method == "POST" and response.url.split("?")[0] in paths:
            posts.append(response)

    context.on("response", keep)
    return posts


def wait_for(predicate, page, timeout_ms: int = 10_000) -> None:
    deadline = time.monotonic() + timeout_ms / 1000
    while not predicate() and time.monotonic() < deadline:
        page.wait_for_timeout(100)


def test_hostile_content_cannot_reach_the_learners_other_course(world, learner_browser, base_url, content_http):
    learner = world.user(world.top)
    # The other course, in another organization, visited once and suspended.
    elsewhere = World(world.db, world.settings, world.http)
    other = elsewhere.course(scos=1, learner=learner)
    visit = launch(elsewhere, other, user=learner)
    saved = commit(content_http, visit, visit["commit_seq"] + 1,
                   {"cmi.core.lesson_location": "other-page-2", "cmi.core.lesson_status": "incomplete"})
    assert saved.status_code == 200
    before = snapshot(elsewhere, other)
    # The package's author has an account too, with a course of its own.
    attacker = world.user(world.top, first_name="Mallory", last_name="Intruder")
    attackers_course = world.course(scos=1, learner=attacker)
    attacker_client = sign_in(base_url, attacker.login)
    attacker_session = attacker_client.cookies["scormapi_session"]
    attacker_client.close()

    target = {"main": base_url, "status_id": str(other.assignment_status.id), "sco_id": "item_1",
              "attempt_id": visit["attempt_id"], "csrf": PLANTED_CSRF, "attacker_login": attacker.login,
              "attacker_password": PASSWORD, "attacker_session": attacker_session}
    hostile = enrolled_course(world, hostile_package(target), learner=learner)
    tab = learner_browser
    tab.page.add_init_script(RECORD_SAVE_STATE)
    tab.sign_in(learner.login)
    learners_cookie = session_cookies(tab.context)["/"]
    posts = collect_form_posts(tab.context, base_url)
    popups = []
    tab.context.on("page", lambda popup: popups.append(popup))
    tab.page.get_by_role("link", name="Hostile SCO", exact=True).click()
    shell_url = tab.page.url
    results = json.loads(tab.content().locator("#results[data-done]").inner_text(timeout=30_000))

    assert results == EXPECTED
    # The learner's window stayed on the lesson.
    tab.page.wait_for_timeout(500)
    assert tab.page.url == shell_url

    # The other course: untouched, no new attempt, no new token, over HTTP too.
    assert snapshot(elsewhere, other) == before
    names = ["cmi.core.lesson_status", "cmi.core.lesson_location", "cmi.core.score.raw"]
    assert values(get_cmi(elsewhere, other, names))[0] == {
        "cmi.core.lesson_status": "incomplete", "cmi.core.lesson_location": "other-page-2", "cmi.core.score.raw": ""}

    # The hostile SCO's own honest calls were saved; the commit that named
    # the other attempt in its query went to its own attempt.
    deadline = time.monotonic() + 10
    while True:
        own = load_attempt(world, hostile)
        if own.cmi.get("cmi.core.score.raw") == "55" or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert own.cmi["cmi.core.lesson_location"] == "hostile-own" and own.cmi["cmi.core.score.raw"] == "55"
    assert own.commit_seq >= 999_999

    login_popup = assert_popups_opened_nothing(popups, base_url, other)
    assert_sign_in_and_out_refused(tab, posts, base_url)
    assert_refused_sign_in_shows_the_sign_in_page(posts, login_popup)
    assert_forgeries_shown_only_as_text(tab)

    # Still the learner: their session is the one cookie on "/", no session
    # was made for the attacker's credentials and the learner's was not
    # ended; the planted cookie sits on "/learn".
    cookies = session_cookies(tab.context)
    assert cookies["/"] == learners_cookie and learners_cookie[1] is True
    assert cookies.get("/learn") == (attacker_session, False)  # planted, and worthless (below)
    assert sessions(world, attacker) == [True]  # only the one made above, outside the browser
    assert sessions(world, learner) == [True]
    # The planted cookie rides along to /learn: with two session cookies the
    # request is signed in as no one (never as the attacker), and the
    # browser is told to drop both.
    tab.page.goto(f"{base_url}/learn")
    tab.page.wait_for_url(f"{base_url}/login?next=%2Flearn")
    assert "Mallory" not in tab.page.locator("main").inner_text()
    assert session_cookies(tab.context) == {}
    tab.sign_in(learner.login)
    main = tab.page.locator("main")
    assert main.get_by_text("Signed in as Ada Lovelace.").is_visible()
    assert main.get_by_role("heading", name=hostile.assignment.title).is_visible()
    assert main.get_by_role("heading", name=other.assignment.title).is_visible()
    assert main.get_by_role("heading", name=attackers_course.assignment.title).count() == 0
    assert "Mallory" not in main.inner_text()


def assert_popups_opened_nothing(popups, base_url, other) -> None:
    """The play links opened in popups show the link to follow, no lesson.
    Returns the popup the sign-in form was posted to."""
    by_url = {}
    for popup in popups:
        popup.wait_for_load_state()
        by_url[popup.url] = popup
    play = f"{base_url}/learn/play/{other.assignment_status.id}?sco=item_1"
    assert sorted(by_url) == sorted([play, play + "&mode=browse", f"{base_url}/login"])
    for url in (play, play + "&mode=browse"):
        page = by_url[url]
        assert page.get_by_role("heading", name="Open the lesson").is_visible()
        assert page.locator("#lesson-frame").count() == 0
    return by_url[f"{base_url}/login"]


def assert_sign_in_and_out_refused(tab, posts, base_url) -> None:
    """Every sign-in the content sent was answered 400 with the sign-in page
    and no session cookie; every sign-out 400, the learner kept."""
    wait_for(lambda: len(posts) >= 5, tab.page)
    seen = []
    for response in posts:
        cookies = [h["value"] for h in response.headers_array() if h["name"].lower() == "set-cookie"]
        assert not any(c.startswith("scormapi_session=") for c in cookies), (response.url, cookies)
        seen.append((response.url, response.status))
    assert sorted(seen) == sorted([(f"{base_url}/login", 400)] * 3 + [(f"{base_url}/logout", 400)] * 2)


def assert_refused_sign_in_shows_the_sign_in_page(posts, login_popup) -> None:
    """What the learner finds in the popup: the sign-in form again."""
    assert login_popup.locator("form[action='/login'] #login").count() == 1
    for response in posts:
        # A post into a frame is shown as the browser's "refused to frame"
        # page (frame-ancestors 'none'); a top-level one as the form again.
        if response.url.endswith("/login") and response.frame.parent_frame is None:
            assert 'action="/login"' in response.text() and 'name="csrf_token"' in response.text()


def assert_forgeries_shown_only_as_text(tab) -> None:
    """The content frame's own messages are ignored. The run-time page's
    window (which the content can run script in) is heard, but what it
    says only ever changes the indicator's known states and its text."""
    records = tab.page.evaluate("window.__saveStates")
    assert records, "the save indicator never changed"
    assert {r["state"] for r in records} <= SHELL_STATES
    assert all(r["elements"] == 0 for r in records)
    texts = [r["text"] for r in records]
    assert "FORGED FROM THE CONTENT FRAME" not in texts and "FORGED UNKNOWN STATE" not in texts
    assert {"state": "saved", "role": "status", "text": FORGED_MARKUP, "elements": 0} in records
    assert {"state": "error", "role": "alert", "text": FORGED_LONG[:300], "elements": 0} in records
    assert tab.page.locator("#save-state *").count() == 0
    assert tab.page.title() != "pwned" and "Hostile SCO" in tab.page.title()
    assert not [line for line in tab.console if line.startswith("pageerror:")]


# A host name, not 127.0.0.1: a cookie may then name the host as its Domain,
# which makes it another cookie than the learner's host-only one (an IP
# address cannot have such cookies). Resolved by the browser alone.
HOST_NAME = "lms.example.com"

TOSSING_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Cookie tossing SCO</title></head>
<body><pre id="results"></pre>
<script>
var TARGET = %(target)s;
// The attacker's session beside the learner's, on the same path: which
// one the server takes is the order the browser sends them in.
document.cookie = "scormapi_session=" + TARGET.attacker_session + "; Domain=" + TARGET.host + "; path=/";
var out = document.getElementById("results");
out.textContent = JSON.stringify({cookie: document.cookie});
out.setAttribute("data-done", "true");
</script></body></html>
"""


@pytest.fixture()
def host_name_tab(browser, base_url):
    """A learner's tab in a browser that reaches the test server as HOST_NAME."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    named = browser.browser_type.launch(executable_path=chromium,
                                        args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {HOST_NAME} 127.0.0.1"])
    port = base_url.rsplit(":", 1)[1]
    yield LearnerBrowser(named.new_context(), f"http://{HOST_NAME}:{port}")
    named.close()


def test_a_session_cookie_content_sets_for_the_host_name_signs_no_one_in(world, host_name_tab, base_url):
    """The one-host arrangement reached by name: content on the other port
    sets the attacker's session for the host name (Domain=), beside the
    learner's own."""
    attacker = world.user(world.top, first_name="Mallory", last_name="Intruder")
    attackers_course = world.course(scos=1, learner=attacker)
    attacker_client = sign_in(base_url, attacker.login)
    attacker_session = attacker_client.cookies["scormapi_session"]
    attacker_client.close()
    learner = world.user(world.top)
    page = TOSSING_PAGE % {"target": json.dumps({"attacker_session": attacker_session, "host": HOST_NAME})}
    tossing = enrolled_course(world, scripted_package([], extra_files={SCO_PAGE: page}, title="Cookie tossing SCO"),
                              learner=learner)
    tab = host_name_tab
    tab.sign_in(learner.login)
    tab.page.get_by_role("link", name="Cookie tossing SCO", exact=True).click()
    planted = json.loads(tab.content().locator("#results[data-done]").inner_text(timeout=20_000))
    # The browser took it, beside the learner's (the next main-origin answer
    # may already have told it to drop both).
    assert planted == {"cookie": f"scormapi_session={attacker_session}"}

    # Two session cookies: which is the learner's cannot be told, so the
    # browser is signed in as no one (never as the attacker) and told to
    # drop both.
    tab.page.goto(f"{tab.base_url}/learn")
    tab.page.wait_for_url(f"{tab.base_url}/login?next=%2Flearn")
    assert "Mallory" not in tab.page.locator("main").inner_text()
    assert attacker_session not in {c["value"] for c in tab.context.cookies() if c["name"] == "scormapi_session"}
    # Signing in again: the learner, with their own courses.
    tab.sign_in(learner.login)
    main = tab.page.locator("main")
    assert "Mallory" not in main.inner_text()
    assert main.get_by_role("heading", name=attackers_course.assignment.title).count() == 0
    assert main.get_by_role("heading", name=tossing.assignment.title).is_visible()
