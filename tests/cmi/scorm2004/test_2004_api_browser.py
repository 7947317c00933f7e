"""The shipped api2004.js binds window.API_1484_11 as SCORM 2004 defines it.

Node.js loads the run-time page's files for a 2004 launch (rules.js,
types2004.js, interactions2004.js, transport.js, api2004.js) into a context
whose globals are the page's own that they use (`window`, `fetch`,
`TextEncoder`), starts the session on the table cmi/scorm2004/elements.py
renders, and calls the API as content does. `fetch` records each commit
and answers as the server does, so the tests see the requests the real
transport sends; replaying them through the Python model shows the server
ends up with the browser's state.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from scormapi.cmi.scorm2004 import elements
from scormapi.cmi.scorm2004.errors import ERROR_STRINGS, ScormError
from scormapi.cmi.scorm2004.session import initial_state
from tests.processes import need_tool

STATIC = Path(__file__).resolve().parents[3] / "src/scormapi/player/static"
FILES = [str(STATIC / name) for name in ("rules.js", "types2004.js", "interactions2004.js", "transport.js", "api2004.js")]
TABLE = elements.table_json()
CMI = initial_state(learner_id="urn:learner:7", learner_name="{lang=en}Ada Lovelace")

# Each run gets a fresh page. A call is [function, ...arguments] on
# window.API_1484_11, or one of the session's own: ["@status"], ["@leave"],
# ["@flush"], ["@settle"] (let the answers to the requests sent so far
# arrive). The commit answer's lesson_status is the run's "server_status".
RUNNER = r"""
const fs = require("fs");
const vm = require("vm");
const input = JSON.parse(fs.readFileSync(0, "utf8"));

async function page(run) {
  const requests = [];
  const fetch = (url, request) => {
    requests.push({ url: url, auth: request.headers.Authorization, body: JSON.parse(request.body) });
    const answer = { lesson_status: run.server_status || "incomplete" };
    return Promise.resolve({ status: 200, json: () => Promise.resolve(answer) });
  };
  const context = vm.createContext({ window: {}, fetch: fetch, TextEncoder: TextEncoder });
  for (const file of input.files) vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
  const config = { table: input.table, cmi: run.cmi, commit_url: "/commit", launch_token: "t0k", commit_seq: 4 };
  const session = context.window.ScormApiPlayer.start(config, () => {});
  const api = context.window.API_1484_11;
  const results = [];
  for (const [fn, ...args] of run.calls) {
    if (fn === "@settle") await new Promise((done) => setImmediate(done));
    else if (fn === "@status") results.push(session.status());
    else if (fn === "@leave") session.leave();
    else if (fn === "@flush") session.flush();
    else results.push(api[fn](...args));
  }
  await new Promise((done) => setImmediate(done));
  return { results: results, requests: requests, state: Object.fromEntries(session.state), phase: session.phase,
           api12: typeof context.window.API };
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


def run_pages(node, runs, files=FILES, table=TABLE):
    """Each run's results, requests, final state and phase, from the shipped files."""
    runs = [{"cmi": CMI, **run} for run in runs]
    payload = json.dumps({"files": files, "table": table, "runs": runs})
    done = subprocess.run([node, "-e", RUNNER], input=payload, capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def run_page(node, calls, **run):
    return run_pages(node, [{"calls": calls, **run}])[0]


INITIALIZE = [["Initialize", ""]]
TERMINATE = [["Initialize", ""], ["Terminate", ""]]
# The calls of each cell, all valid while running.
CALLS = {
    "Initialize": ["Initialize", ""],
    "Terminate": ["Terminate", ""],
    "GetValue": ["GetValue", "cmi.learner_id"],
    "SetValue": ["SetValue", "cmi.location", "p1"],
    "Commit": ["Commit", ""],
}
# §1's table: what each call returns and GetLastError says, per state.
STATE_MACHINE = {
    "not initialized": ([], {
        "Initialize": ("true", "0"), "Terminate": ("false", "112"), "GetValue": ("", "122"),
        "SetValue": ("false", "132"), "Commit": ("false", "142"),
    }),
    "running": (INITIALIZE, {
        "Initialize": ("false", "103"), "Terminate": ("true", "0"), "GetValue": ("urn:learner:7", "0"),
        "SetValue": ("true", "0"), "Commit": ("true", "0"),
    }),
    "terminated": (TERMINATE, {
        "Initialize": ("false", "104"), "Terminate": ("false", "113"), "GetValue": ("", "123"),
        "SetValue": ("false", "133"), "Commit": ("false", "143"),
    }),
}
CELLS = [(state, fn, before, answer) for state, (before, answers) in STATE_MACHINE.items() for fn, answer in answers.items()]


def test_every_call_answers_as_the_state_machine_says(node):
    runs = [{"calls": before + [CALLS[fn], ["GetLastError"]]} for _, fn, before, _ in CELLS]
    pages = run_pages(node, runs)
    got = {(state, fn): tuple(page["results"][-2:]) for (state, fn, _, _), page in zip(CELLS, pages)}
    assert got == {(state, fn): answer for state, fn, _, answer in CELLS}


def test_the_support_functions_work_in_every_state_and_never_change_the_error(node):
    support = [["GetErrorString", "401"], ["GetDiagnostic", "406"], ["GetLastError"], ["GetLastError"]]
    pages = run_pages(node, [
        {"calls": [["GetLastError"]] + support},
        {"calls": [["Commit", ""]] + support},
        {"calls": INITIALIZE + [["GetValue", "cmi.nothing"]] + support},
        {"calls": TERMINATE + [["Terminate", ""]] + support},
    ])
    texts = ["Undefined Data Model Element", "Data Model Element Type Mismatch"]
    assert [page["results"][-4:] for page in pages] == [
        texts + ["0", "0"], texts + ["142", "142"], texts + ["401", "401"], texts + ["113", "113"]]


def test_the_session_runs_once(node):
    page = run_page(node, TERMINATE + [["Initialize", ""], ["GetLastError"]])
    assert page["results"] == ["true", "true", "false", "104"] and page["phase"] == "finished"


ARGUMENT_CASES = [
    # Initialize, Terminate and Commit take "" (or nothing); anything else is 201 and changes nothing.
    ([["Initialize", "illegal"], ["GetLastError"], ["Initialize"], ["GetLastError"]], ["false", "201", "true", "0"]),
    (INITIALIZE + [["Commit", "illegal"], ["GetLastError"]], ["true", "false", "201"]),
    (INITIALIZE + [["Terminate", "x"], ["GetLastError"], ["GetValue", "cmi.mode"], ["Terminate"]],
     ["true", "false", "201", "normal", "true"]),
    (INITIALIZE + [["Commit", 0], ["GetLastError"]], ["true", "false", "201"]),
    # The argument comes first, as for SCORM 1.2.
    ([["Terminate", "x"], ["GetLastError"]], ["false", "201"]),
    # No element name.
    (INITIALIZE + [["GetValue", ""], ["GetLastError"], ["GetValue"], ["GetLastError"]], ["true", "", "301", "", "301"]),
    (INITIALIZE + [["SetValue", "", "x"], ["GetLastError"]], ["true", "false", "351"]),
    # No value: an argument error; numbers and booleans convert as JavaScript writes them.
    (INITIALIZE + [["SetValue", "cmi.location"], ["GetLastError"], ["SetValue", "cmi.location", None], ["GetLastError"]],
     ["true", "false", "201", "false", "201"]),
    (INITIALIZE + [["SetValue", "cmi.location", 12.5], ["GetValue", "cmi.location"],
                   ["SetValue", "cmi.location", True], ["GetValue", "cmi.location"],
                   ["SetValue", "cmi.location", {"page": 1}], ["GetLastError"], ["GetValue", "cmi.location"]],
     ["true", "true", "12.5", "true", "true", "false", "406", "true"]),
]


@pytest.mark.parametrize(("calls", "expected"), ARGUMENT_CASES)
def test_arguments_are_checked_as_the_standard_says(node, calls, expected):
    assert run_page(node, calls)["results"] == expected


def test_error_strings_are_the_standards_and_unknown_codes_have_none(node):
    codes = [str(code) for code in ERROR_STRINGS]
    unknown = ["1444", "001", "", "abc", "4010", "-1"]
    page = run_page(node, [["GetErrorString", code] for code in codes + unknown] + [["GetErrorString"], ["GetErrorString", 401]])
    assert page["results"] == [ERROR_STRINGS[int(code)] for code in codes] + [""] * len(unknown) + ["", ERROR_STRINGS[401]]
    assert all(0 < len(text) <= 255 for text in page["results"][: len(codes)])


def test_the_diagnostic_tells_about_the_last_error(node):
    long_name = "cmi." + "x" * 300
    page = run_page(node, [
        ["GetDiagnostic", ""],
        *INITIALIZE,
        ["SetValue", "cmi.credit", "no-credit"],
        ["GetDiagnostic", ""], ["GetDiagnostic", "404"], ["GetDiagnostic", "406"], ["GetDiagnostic", "1444"],
        ["GetDiagnostic"], ["GetLastError"],
        ["GetValue", long_name], ["GetDiagnostic", ""],
        ["Initialize", ""], ["GetDiagnostic", ""],
        ["GetValue", "cmi.mode"], ["GetDiagnostic", ""],
    ])
    assert page["results"][:8] == [
        "No Error", "true", "false",
        "Data Model Element Is Read Only: cmi.credit", "Data Model Element Is Read Only: cmi.credit",
        "Data Model Element Type Mismatch", "", "Data Model Element Is Read Only: cmi.credit",
    ]
    assert page["results"][8] == "404"
    assert page["results"][10] == ("Undefined Data Model Element: " + long_name)[:255]
    assert page["results"][12:] == ["Already Initialized: Initialize was already called", "normal", "No Error"]


# A session of data-model calls meeting each number; the Python model
# answers the same sequence with the same numbers.
DATA_MODEL_CALLS = [
    ("get", "cmi.core.lesson_status", None),  # 401: a 1.2 name
    ("get", "CMI.location", None),  # 401: names are case-sensitive
    ("set", "cmi.objectives", "x"),  # 401: a container
    ("get", "cmi.location", None),  # 403: never set
    ("get", "cmi.score.raw", None),  # 403
    ("set", "cmi.credit", "illegal_state"),  # 404 before the value
    ("set", "cmi._version", "2.0"),  # 404: a keyword
    ("set", "cmi.interactions._count", "1"),  # 404
    ("get", "cmi.exit", None),  # 405
    ("get", "cmi.session_time", None),  # 405
    ("set", "cmi.completion_status", "done"),  # 406
    ("set", "cmi.session_time", "P0S"),  # 406
    ("set", "cmi.learner_preference.language", "xyz"),  # 406
    ("set", "cmi.score.scaled", "1.5"),  # 407
    ("set", "cmi.progress_measure", "-0.1"),  # 407
    ("set", "cmi.interactions.0.type", "choice"),  # 408: before the id
    ("set", "cmi.objectives.0.score.raw", "5"),  # 408
    ("set", "cmi.interactions.5.id", "q5"),  # 351: past _count
    ("set", "cmi.comments_from_learner.1.comment", "x"),  # 351: past _count
    ("get", "cmi.interactions.0.id", None),  # 301: no such item
    ("get", "cmi.location._children", None),  # 301
    ("get", "cmi.score._count", None),  # 301
    ("get", "adl.nav.request_valid.choice", None),  # 301: no target
    ("set", "cmi.objectives.0.id", "urn:o:1"),
    ("set", "cmi.objectives.1.id", "urn:o:1"),  # 351: not unique
    ("set", "cmi.objectives.0.id", "urn:o:2"),  # 351: write-once
    ("set", "cmi.objectives.0.score.raw", "5"),
    ("get", "cmi.objectives.0.score.raw", None),
    ("get", "cmi.objectives._count", None),
    ("set", "cmi.interactions.0.id", "q0"),
    ("set", "cmi.interactions.0.type", "true-false"),
    ("set", "cmi.interactions.0.correct_responses.0.pattern", "true"),
    ("set", "cmi.interactions.0.correct_responses.1.pattern", "false"),  # 351: true-false has one
    ("set", "cmi.interactions.0.learner_response", "maybe"),  # 406
    ("set", "cmi.exit", "suspend"),
    ("get", "cmi.interactions.0.correct_responses._count", None),
    ("get", "cmi._version", None),
]
EXPECTED_CODES = [
    401, 401, 401, 403, 403, 404, 404, 404, 405, 405, 406, 406, 406, 407, 407, 408, 408, 351, 351,
    301, 301, 301, 301, 0, 351, 351, 0, 0, 0, 0, 0, 0, 351, 406, 0, 0, 0,
]


def python_answers(calls):
    """(value or set result, error number) for each call, from cmi/scorm2004/elements.py."""
    state = dict(CMI)
    answers = []
    for op, name, value in calls:
        if op == "get":
            got, code = elements.get_value(state, name)
            answers.append([got, str(int(code))])
        else:
            code = elements.set_value(state, name, value)
            answers.append(["true" if code == ScormError.NO_ERROR else "false", str(int(code))])
    return answers, state


def test_data_model_errors_are_the_numbers_of_the_python_model(node):
    calls = INITIALIZE
    for op, name, value in DATA_MODEL_CALLS:
        calls = calls + [["GetValue", name] if op == "get" else ["SetValue", name, value], ["GetLastError"]]
    page = run_page(node, calls)
    browser = [page["results"][i:i + 2] for i in range(1, len(page["results"]), 2)]
    expected, state = python_answers(DATA_MODEL_CALLS)
    assert browser == expected
    assert [int(code) for _, code in browser] == EXPECTED_CODES
    assert [value for (op, _, _), (value, _) in zip(DATA_MODEL_CALLS, browser) if op == "get"][-4:] == ["5", "1", "1", "1.0"]
    assert page["state"] == state


def replay(requests):
    """The server's state after applying each commit's values in order, and
    any value it refused (none, when the browser sent what it should)."""
    state = dict(CMI)
    refused = []
    for request in requests:
        for name, value in request["body"]["values"].items():
            code = elements.set_value(state, name, value)
            if code != ScormError.NO_ERROR:
                refused.append((name, value, int(code)))
    return state, refused


INTERACTION = "cmi.interactions.0"


def test_a_new_interaction_type_forgets_the_old_responses_and_commits_at_once(node):
    page = run_page(node, INITIALIZE + [
        ["SetValue", f"{INTERACTION}.id", "q1"],
        ["SetValue", f"{INTERACTION}.type", "choice"],
        ["SetValue", f"{INTERACTION}.correct_responses.0.pattern", "a[,]b"],
        ["SetValue", f"{INTERACTION}.learner_response", "a"],
        # Not yet sent: the responses of the old type must not reach the server.
        ["SetValue", f"{INTERACTION}.type", "true-false"],
        ["GetValue", f"{INTERACTION}.correct_responses._count"],
        ["GetValue", f"{INTERACTION}.learner_response"], ["GetLastError"],
        ["SetValue", f"{INTERACTION}.learner_response", "true"],
        ["Commit", ""],
    ])
    assert page["results"] == ["true", "true", "true", "true", "true", "true", "0", "", "403", "true", "true"]
    assert [request["body"] for request in page["requests"]] == [
        {"seq": 5, "values": {f"{INTERACTION}.id": "q1", f"{INTERACTION}.type": "true-false"}, "finish": False, "leave": False},
        {"seq": 6, "values": {f"{INTERACTION}.id": "q1", f"{INTERACTION}.type": "true-false",
                              f"{INTERACTION}.learner_response": "true"}, "finish": False, "leave": False},
    ]
    assert replay(page["requests"]) == (page["state"], [])


def test_a_type_changed_and_changed_back_still_clears_on_the_server(node):
    page = run_page(node, INITIALIZE + [
        ["SetValue", f"{INTERACTION}.id", "q1"],
        ["SetValue", f"{INTERACTION}.type", "choice"],
        ["SetValue", f"{INTERACTION}.learner_response", "a"],
        ["Commit", ""],
        ["@settle"],
        ["SetValue", f"{INTERACTION}.type", "fill-in"],
        ["SetValue", f"{INTERACTION}.type", "choice"],
        ["Terminate", ""],
    ])
    sent = [request["body"] for request in page["requests"]]
    assert [(body["values"], body["finish"]) for body in sent[1:]] == [
        ({f"{INTERACTION}.type": "fill-in"}, False), ({f"{INTERACTION}.type": "choice"}, True)]
    server, refused = replay(page["requests"])
    assert refused == [] and server == page["state"] and f"{INTERACTION}.learner_response" not in server


def test_commits_carry_the_values_and_end_the_session_as_api12_does(node):
    pages = run_pages(node, [
        {"calls": INITIALIZE + [["SetValue", "cmi.location", "p2"], ["Commit", ""], ["SetValue", "cmi.exit", "suspend"],
                                ["Terminate", ""]]},
        {"calls": INITIALIZE + [["SetValue", "cmi.suspend_data", "s"], ["@flush"], ["@settle"], ["@flush"], ["@leave"],
                                ["@leave"], ["GetValue", "cmi.suspend_data"], ["GetLastError"]]},
        {"calls": [["@flush"], ["@leave"], ["Commit", ""]]},
    ])
    finished, left, never = pages
    assert [(r["url"], r["auth"]) for r in finished["requests"]] == [("/commit", "Bearer t0k")] * 2
    assert [r["body"] for r in finished["requests"]] == [
        {"seq": 5, "values": {"cmi.location": "p2"}, "finish": False, "leave": False},
        {"seq": 6, "values": {"cmi.location": "p2", "cmi.exit": "suspend"}, "finish": True, "leave": False},
    ]
    assert finished["phase"] == "finished"
    # Hidden: what is unsent goes at once, once; leaving sends the rest and ends the session.
    assert [r["body"] for r in left["requests"]] == [
        {"seq": 5, "values": {"cmi.suspend_data": "s"}, "finish": False, "leave": False},
        {"seq": 6, "values": {}, "finish": False, "leave": True},
    ]
    assert (left["phase"], left["results"][-2:]) == ("left", ["", "123"])
    assert (never["requests"], never["phase"], never["results"]) == ([], "new", ["false"])


def test_the_status_word_follows_the_statuses_then_the_server(node):
    measured = {**CMI, "cmi.completion_threshold": "0.8"}
    pages = run_pages(node, [
        {"calls": INITIALIZE + [["@status"], ["SetValue", "cmi.completion_status", "completed"], ["@status"],
                                ["SetValue", "cmi.success_status", "failed"], ["@status"],
                                ["SetValue", "cmi.success_status", "passed"], ["@status"]]},
        {"calls": INITIALIZE + [["SetValue", "cmi.completion_status", "completed"], ["@status"],
                                ["SetValue", "cmi.progress_measure", "0.9"], ["@status"]], "cmi": measured},
        {"calls": INITIALIZE + [["SetValue", "cmi.success_status", "failed"], ["Commit", ""], ["@settle"], ["@status"]],
         "server_status": "passed"},
        {"calls": INITIALIZE + [["@status"]], "cmi": {**CMI, "cmi.mode": "browse"}},
        {"calls": INITIALIZE + [["@status"]], "cmi": {**CMI, "cmi.completion_status": "not attempted"}},
    ])
    statuses = [[r for r in page["results"] if r not in ("true", "false")] for page in pages]
    assert statuses == [["incomplete", "completed", "failed", "passed"], ["incomplete", "completed"], ["passed"],
                        ["browsed"], ["not attempted"]]


# Content's side: the usual search for the API, up the frames then the opener's.
DISCOVERY = r"""
const fs = require("fs");
const vm = require("vm");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const top = { };
top.parent = top;
const context = vm.createContext({ window: top });
for (const file of input.files) vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
top.ScormApiPlayer.Transport = function () { this.dirty = new Map(); };
top.ScormApiPlayer.start({ table: input.table, cmi: {} });
function findIn(win) {
  for (let hops = 0; win && hops < 500; hops++) {
    if (win.API_1484_11) return win.API_1484_11;
    if (win.parent === win) return null;
    win = win.parent;
  }
  return null;
}
function find(win) {
  return findIn(win) || (win.opener ? findIn(win.opener) : null);
}
const frame = { parent: top };
const nested = { parent: frame };
const popup = { opener: nested };
popup.parent = popup;
const stranger = { };
stranger.parent = stranger;
const found = [frame, nested, popup, stranger].map((win) => find(win) === top.API_1484_11 && find(win) !== null);
process.stdout.write(JSON.stringify({ found: found, initialize: find(nested).Initialize(""), api12: typeof top.API }));
"""


def test_content_in_a_frame_or_a_popup_finds_the_api_on_the_page(node):
    payload = json.dumps({"files": FILES, "table": TABLE})
    done = subprocess.run([node, "-e", DISCOVERY], input=payload, capture_output=True, text=True, timeout=30, check=True)
    assert json.loads(done.stdout) == {"found": [True, True, True, False], "initialize": "true", "api12": "undefined"}


# One page with both bindings: start binds the one of the table's version.
START = r"""
const fs = require("fs");
const vm = require("vm");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const answers = input.tables.map((table) => {
  const context = vm.createContext({ window: {} });
  for (const file of input.files) vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
  context.window.ScormApiPlayer.Transport = function () { this.dirty = new Map(); };
  try {
    context.window.ScormApiPlayer.start({ table: table, cmi: {} });
  } catch (error) {
    return String(error.message);
  }
  return [typeof context.window.API, typeof context.window.API_1484_11];
});
process.stdout.write(JSON.stringify(answers));
"""


def test_start_binds_the_api_of_the_tables_version(node):
    from scormapi.cmi import scorm12

    files = [str(STATIC / "api12.js") if name.endswith("transport.js") else name for name in FILES]
    tables = [TABLE, scorm12.table_json(), {**TABLE, "version": "9.9"}]
    payload = json.dumps({"files": files, "tables": tables})
    done = subprocess.run([node, "-e", START], input=payload, capture_output=True, text=True, timeout=30, check=True)
    assert json.loads(done.stdout) == [
        ["undefined", "object"], ["object", "undefined"], "no run-time binding for data model 9.9"]
