"""The shipped run-time page acts on SCORM 2004's adl.nav.request as
cmi/scorm2004/navigation.py decides it.

Node.js loads the files of a launch's run-time page (rules.js, transport.js,
the version's binding, runtime.js) into a context standing in for the page:
its launch config (state from cmi/profile.py for a course's SCO, with the
adl.nav.request_valid.* values), a parent window that records what the page
tells the shell, and a `fetch` whose answers arrive only when the run says
so. The content's calls are made on the binding; what the shell hears is
compared with the server's own decision.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from scormapi.cmi import scorm12
from scormapi.cmi.profile import SCORM12, SCORM2004, Launcher
from scormapi.cmi.scorm2004 import elements, navigation
from tests.processes import need_tool

STATIC = Path(__file__).resolve().parents[3] / "src/scormapi/player/static"
FILES_2004 = ("rules.js", "types2004.js", "interactions2004.js", "transport.js", "api2004.js", "runtime.js")
FILES_12 = ("rules.js", "transport.js", "api12.js", "runtime.js")
ORDER = ("item_1", "item_2", "item_3")
MAIN = "https://lms.example"

# A run is a list of steps: [function, ...arguments] on the binding the page
# started, ["@answer", status] (the server answers every request sent so far
# with that HTTP status), ["@messages"] (what the shell has heard so far).
RUNNER = r"""
const fs = require("fs");
const vm = require("vm");
const input = JSON.parse(fs.readFileSync(0, "utf8"));

async function page(run) {
  const told = [];
  const waiting = [];
  const fetch = (url, request) => new Promise((answer) => waiting.push(answer));
  const answerAll = (status) => {
    const body = status === 200 ? { lesson_status: "incomplete" }
      : { api_error_entity: { error_code: 3, error_message: "refused", warning_messages: [] } };
    waiting.splice(0).forEach((answer) => answer({ status: status, json: () => Promise.resolve(body) }));
  };
  const parent = { postMessage: (message, origin) => told.push({ message: message, origin: origin }) };
  const config = { table: run.table, cmi: run.cmi, commit_url: "/commit", launch_token: "t0k", commit_seq: 0,
                   main_origin: input.main, lesson_mode: "normal" };
  const document = {
    getElementById: (id) => (id === "scorm-launch" ? { textContent: JSON.stringify(config) } : null),
    addEventListener: () => {},
    visibilityState: "visible",
  };
  const window = { parent: parent, addEventListener: () => {}, setTimeout: setTimeout, clearTimeout: clearTimeout,
                   setInterval: () => 0 };
  const context = vm.createContext({ window: window, document: document, fetch: fetch, TextEncoder: TextEncoder });
  for (const file of run.files) vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
  const api = run.version === "1.2" ? window.API : window.API_1484_11;
  const results = [];
  const settle = () => new Promise((done) => setImmediate(done));
  for (const [fn, ...args] of run.calls) {
    if (fn === "@answer") { answerAll(args[0]); await settle(); await settle(); }
    else if (fn === "@messages") results.push(told.filter((t) => t.message.type === "scormapi:navigate").length);
    else results.push(api[fn](...args));
  }
  await settle();
  const navigations = told.filter((t) => t.message.type === "scormapi:navigate");
  return { results: results, navigations: navigations };
}

(async () => {
  const pages = [];
  for (const run of input.runs) pages.push(await page(run));
  process.stdout.write(JSON.stringify(pages));
})();
"""


@pytest.fixture(scope="module")
def node():
    need_tool("node")
    return shutil.which("node")


def launch_state(profile, sco_id: str) -> dict:
    launcher = Launcher("urn:learner:7", "Ada Lovelace", "credit", "normal", {}, sco_id, ORDER)
    return profile.initial_state(launcher)


def run_pages(node, runs):
    payload = json.dumps({"main": MAIN, "runs": runs})
    done = subprocess.run([node, "-e", RUNNER], input=payload, capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def run_2004(sco_id: str, calls: list) -> dict:
    return {"version": "1.0", "files": [str(STATIC / name) for name in FILES_2004], "table": elements.table_json(),
            "cmi": launch_state(SCORM2004, sco_id), "calls": calls}


def requested(request: str) -> list:
    """The content's calls for a request made before Terminate, the final
    commit answered."""
    return [["Initialize", ""], ["SetValue", "adl.nav.request", request], ["Terminate", ""], ["@answer", 200]]


# What the shell is told for each request; the SCO that makes it is item_2
# unless the case says otherwise. The last column is the server's decision
# (navigation.decide) the shell's action stands for.
CASES = [
    ("item_2", "continue", {"action": "continue", "target": None}, navigation.Decision(navigation.LAUNCH, "item_3")),
    ("item_2", "previous", {"action": "previous", "target": None}, navigation.Decision(navigation.LAUNCH, "item_1")),
    ("item_2", "{target=item_3}choice", {"action": "launch", "target": "item_3"},
     navigation.Decision(navigation.LAUNCH, "item_3")),
    ("item_2", "{target=item_1}jump", {"action": "launch", "target": "item_1"},
     navigation.Decision(navigation.LAUNCH, "item_1")),
    ("item_2", "{target=item_2}choice", {"action": "launch", "target": "item_2"},
     navigation.Decision(navigation.LAUNCH, "item_2")),
    ("item_2", "exit", {"action": "exit", "target": None}, navigation.Decision(navigation.EXIT)),
    ("item_2", "abandon", {"action": "exit", "target": None}, navigation.Decision(navigation.EXIT, abandoned=True)),
    ("item_2", "exitAll", {"action": "exit_all", "target": None}, navigation.Decision(navigation.EXIT_ALL)),
    ("item_2", "abandonAll", {"action": "exit_all", "target": None},
     navigation.Decision(navigation.EXIT_ALL, abandoned=True)),
    ("item_2", "suspendAll", {"action": "suspend_all", "target": None},
     navigation.Decision(navigation.SUSPEND_ALL, "item_2")),
]
# Requests that leave the learner where they are.
STAYS = [
    ("item_2", "_none_"),
    ("item_3", "continue"),
    ("item_1", "previous"),
    ("item_2", "{target=item_9}choice"),
]
SERVER_ACTIONS = {"continue": navigation.LAUNCH, "previous": navigation.LAUNCH, "launch": navigation.LAUNCH,
                  "exit": navigation.EXIT, "exit_all": navigation.EXIT_ALL, "suspend_all": navigation.SUSPEND_ALL}


def test_each_request_reaches_the_shell_as_the_server_decides_it(node):
    pages = run_pages(node, [run_2004(sco, requested(request)) for sco, request, _, _ in CASES])
    for (sco, request, told, decision), page in zip(CASES, pages):
        assert page["results"] == ["true", "true", "true"], request
        assert page["navigations"] == [{"message": {"type": "scormapi:navigate", **told}, "origin": MAIN}], request
        assert navigation.decide(request, ORDER, sco) == decision
        assert SERVER_ACTIONS[told["action"]] == decision.action


def test_a_request_that_cannot_be_delivered_or_none_leaves_the_learner_where_they_are(node):
    pages = run_pages(node, [run_2004(sco, requested(request)) for sco, request in STAYS])
    for (sco, request), page in zip(STAYS, pages):
        assert page["navigations"] == [], request
        assert navigation.decide(request, ORDER, sco).action == navigation.NONE


def test_the_launch_state_tells_the_binding_what_is_deliverable(node):
    calls = [["Initialize", ""], ["GetValue", "adl.nav.request_valid.continue"],
             ["GetValue", "adl.nav.request_valid.previous"],
             ["GetValue", "adl.nav.request_valid.choice.{target=item_1}"],
             ["GetValue", "adl.nav.request_valid.choice.{target=item_9}"]]
    last, first = run_pages(node, [run_2004("item_3", calls), run_2004("item_1", calls)])
    assert last["results"] == ["true", "false", "true", "true", "false"]
    assert first["results"] == ["true", "true", "false", "true", "false"]


def test_commit_never_navigates_and_terminate_waits_for_the_save(node):
    calls = [["Initialize", ""], ["SetValue", "adl.nav.request", "continue"], ["Commit", ""], ["@answer", 200],
             ["@messages"], ["Terminate", ""], ["@messages"], ["@answer", 200], ["@messages"]]
    page = run_pages(node, [run_2004("item_1", calls)])[0]
    assert page["results"] == ["true", "true", "true", 0, "true", 0, 1]
    assert page["navigations"] == [{"message": {"type": "scormapi:navigate", "action": "continue", "target": None},
                                    "origin": MAIN}]


def test_a_final_commit_the_server_refuses_keeps_the_learner_on_the_error(node):
    calls = [["Initialize", ""], ["SetValue", "adl.nav.request", "exitAll"], ["Terminate", ""], ["@answer", 422]]
    page = run_pages(node, [run_2004("item_1", calls)])[0]
    assert page["navigations"] == []


def test_the_request_made_last_before_terminate_is_the_one_acted_on(node):
    calls = [["Initialize", ""], ["SetValue", "adl.nav.request", "exitAll"],
             ["SetValue", "adl.nav.request", "{target=item_1}choice"], ["Terminate", ""], ["@answer", 200]]
    page = run_pages(node, [run_2004("item_3", calls)])[0]
    assert page["navigations"][0]["message"] == {"type": "scormapi:navigate", "action": "launch", "target": "item_1"}


def test_the_scorm_12_binding_never_navigates(node):
    launcher = Launcher("urn:learner:7", "Ada Lovelace", "credit", "normal", {}, "item_1", ORDER)
    run = {"version": "1.2", "files": [str(STATIC / name) for name in FILES_12], "table": scorm12.table_json(),
           "cmi": SCORM12.initial_state(launcher),
           "calls": [["LMSInitialize", ""], ["LMSSetValue", "cmi.core.lesson_status", "completed"],
                     ["LMSFinish", ""], ["@answer", 200]]}
    page = run_pages(node, [run])[0]
    assert page["results"] == ["true", "true", "true"]
    assert page["navigations"] == []
