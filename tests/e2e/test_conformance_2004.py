"""A generated SCORM 2004 4th Edition SCO, run by the player in Chromium,
calls window.API_1484_11 through every case of the run-time reference
(SCORM2004.md): the API state machine, each error code with the data
model's values, then a round trip of every read-write element. Every
expected answer below is the reference's. After Terminate the server must
hold exactly the values the SCO set, write-only ones included.

The SCO's script is conformance_2004_sco.js; the calls it makes are built
here, with what each must return and what GetLastError must say after it.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scormapi.packages.synthetic import build_zip
from tests.api.scorm_helpers import get_cmi
from tests.player.helpers import enrolled_course

pytestmark = pytest.mark.e2e

T, F = "true", "false"
SCO_SCRIPT = Path(__file__).with_name("conformance_2004_sco.js")
ITEM = "item_1"
TITLE = "Conformance SCO 2004"
ERROR_CODES = ["0", "101", "102", "103", "104", "111", "112", "113", "122", "123", "132", "133", "142", "143",
               "201", "301", "351", "391", "401", "402", "403", "404", "405", "406", "407", "408"]


# ---- what an answer may be besides one exact string ---------------------------------------------


class Text:
    """A text of 1..255 characters (GetErrorString and GetDiagnostic of a
    defined code: its wording is the LMS's)."""

    def matches(self, value):
        return isinstance(value, str) and 0 < len(value) <= 255

    def __repr__(self):
        return "<text of 1..255 characters>"


class Short:
    """A text of at most 255 characters, maybe empty."""

    def matches(self, value):
        return isinstance(value, str) and len(value) <= 255

    def __repr__(self):
        return "<text of 0..255 characters>"


class Words:
    """A comma-separated list compared as a set (``_children``)."""

    def __init__(self, words: str):
        self.words = frozenset(words.split(","))

    def matches(self, value):
        return isinstance(value, str) and frozenset(value.split(",")) == self.words

    def __repr__(self):
        return f"<the words {','.join(sorted(self.words))} in any order>"


class OneOf:
    def __init__(self, *options: str):
        self.options = options

    def matches(self, value):
        return value in self.options

    def __repr__(self):
        return f"<one of {self.options}>"


class ZeroDuration:
    """Any timeinterval that adds up to nothing (PT0H0M0S, PT0S, ...)."""

    def matches(self, value):
        match = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?", value)
        return bool(match) and value not in ("P", "PT") and all(float(part or 0) == 0 for part in match.groups())

    def __repr__(self):
        return "<a zero timeinterval>"


class NonEmpty:
    def matches(self, value):
        return isinstance(value, str) and value != ""

    def __repr__(self):
        return "<a non-empty string>"


def answers(expected, value) -> bool:
    return expected == value if isinstance(expected, str) else expected.matches(value)


# ---- the script: calls, their expected answers, what the server must keep -----------------------


class Script:
    """The SCO's calls in order, each with the value it must return and the
    code GetLastError must give after it; ``stored`` follows every accepted
    SetValue, as the server must hold it after Terminate."""

    def __init__(self):
        self.cases: list[tuple[list, object, str]] = []
        self.stored: dict[str, str] = {}

    def call(self, fn: str, *args: str, value, error: str) -> None:
        self.cases.append(([fn, *args], value, error))

    def get(self, name: str, value="", error: str = "0") -> None:
        self.call("GetValue", name, value=value, error=error)

    def set(self, name: str, value: str, error: str = "0") -> None:
        self.call("SetValue", name, value, value=T if error == "0" else F, error=error)
        if error == "0":
            self.stored[name] = value

    def rejects(self, name: str, error: str, *values: str) -> None:
        for value in values:
            self.set(name, value, error)

    def round_trip(self, name: str, *values: str) -> None:
        """Each value set, then read back unchanged."""
        for value in values:
            self.set(name, value)
            self.get(name, value)

    def write_only(self, name: str, *values: str) -> None:
        for value in values:
            self.set(name, value)
            self.get(name, "", "405")

    def forget(self, prefix: str) -> None:
        for name in [n for n in self.stored if n.startswith(prefix)]:
            del self.stored[name]


# ---- §1: the API's states ------------------------------------------------------------------------


def support_functions(s: Script, error: str) -> None:
    """GetLastError, GetErrorString and GetDiagnostic answer; the error stays."""
    s.call("GetLastError", value=error, error=error)
    s.call("GetErrorString", error, value=Text(), error=error)
    # About "no error" there may be nothing to say.
    about = Text() if error != "0" else Short()
    s.call("GetDiagnostic", "", value=about, error=error)
    s.call("GetDiagnostic", error, value=about, error=error)
    for unknown in ("1444", "001", "abc"):
        s.call("GetErrorString", unknown, value="", error=error)
    s.call("GetDiagnostic", "1444", value="", error=error)


def not_initialized(s: Script) -> None:
    s.call("GetLastError", value="0", error="0")
    cells = [("Terminate", ("",), F, "112"), ("GetValue", ("cmi.location",), "", "122"),
             ("SetValue", ("cmi.location", "x"), F, "132"), ("Commit", ("",), F, "142")]
    for fn, args, value, error in cells:
        s.call(fn, *args, value=value, error=error)
        support_functions(s, error)
    s.call("Initialize", "illegal", value=F, error="201")
    support_functions(s, "201")
    s.call("Initialize", "", value=T, error="0")
    support_functions(s, "0")


def running(s: Script) -> None:
    s.call("Initialize", "", value=F, error="103")
    support_functions(s, "103")
    s.call("Commit", "illegal", value=F, error="201")
    s.call("Terminate", "illegal", value=F, error="201")
    s.call("Commit", "", value=T, error="0")
    s.get("", "", "301")
    support_functions(s, "301")
    s.call("SetValue", "cmi.location", value=F, error="201")  # no value at all
    s.call("SetValue", "", "x", value=F, error="351")
    support_functions(s, "351")
    for code in ERROR_CODES:
        s.call("GetErrorString", code, value=Text(), error="351")
    s.get("cmi.mode", "normal")
    support_functions(s, "0")


def terminated(s: Script) -> None:
    s.call("Commit", "", value=T, error="0")
    s.call("Terminate", "", value=T, error="0")
    cells = [("Initialize", ("",), F, "104"), ("Terminate", ("",), F, "113"),
             ("GetValue", ("cmi.location",), "", "123"), ("SetValue", ("cmi.location", "late"), F, "133"),
             ("Commit", ("",), F, "143")]
    for fn, args, value, error in cells:
        s.call(fn, *args, value=value, error=error)
        support_functions(s, error)


# ---- §3: what a new attempt reads ------------------------------------------------------------------


def initial_values(s: Script) -> None:
    for name, value in [
        ("cmi._version", "1.0"), ("cmi.comments_from_learner._count", "0"), ("cmi.comments_from_lms._count", "0"),
        ("cmi.completion_status", "unknown"), ("cmi.credit", "credit"), ("cmi.entry", "ab-initio"),
        ("cmi.interactions._count", "0"), ("cmi.learner_preference.audio_level", "1"),
        ("cmi.learner_preference.language", ""), ("cmi.learner_preference.delivery_speed", "1"),
        ("cmi.learner_preference.audio_captioning", "0"), ("cmi.mode", "normal"), ("cmi.objectives._count", "0"),
        ("cmi.success_status", "unknown"), ("cmi.time_limit_action", "continue,no message"),
        ("adl.nav.request", "_none_"), ("cmi.learner_id", NonEmpty()), ("cmi.total_time", ZeroDuration()),
        # One item: nothing comes before or after it, and no item "nope".
        ("adl.nav.request_valid.continue", F), ("adl.nav.request_valid.previous", F),
        ("adl.nav.request_valid.choice.{target=nope}", F),
        ("adl.nav.request_valid.choice.{target=item_1}", OneOf(T, F, "unknown")),
        ("adl.nav.request_valid.jump.{target=item_1}", OneOf(T, F, "unknown")),
        ("adl.data._count", "0"),
    ]:
        s.get(name, value)
    for name, words in [
        ("cmi.comments_from_learner._children", "comment,location,timestamp"),
        ("cmi.comments_from_lms._children", "comment,location,timestamp"),
        ("cmi.interactions._children",
         "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description"),
        ("cmi.learner_preference._children", "audio_level,language,delivery_speed,audio_captioning"),
        ("cmi.objectives._children", "id,score,success_status,completion_status,progress_measure,description"),
        ("cmi.score._children", "scaled,raw,min,max"),
        ("adl.data._children", "id,store"),
    ]:
        s.get(name, Words(words))
    # No default and nothing in the manifest: 403 until set.
    for name in ["cmi.completion_threshold", "cmi.launch_data", "cmi.location", "cmi.max_time_allowed",
                 "cmi.progress_measure", "cmi.scaled_passing_score", "cmi.score.scaled", "cmi.score.raw",
                 "cmi.score.min", "cmi.score.max", "cmi.suspend_data"]:
        s.get(name, "", "403")
    # "" is a value: it counts as set.
    s.set("cmi.location", "")
    s.get("cmi.location", "")


# ---- §4 and §6: names, keywords, access ------------------------------------------------------------


def names_and_keywords(s: Script) -> None:
    unknown = ["cmi._children", "cmi.bogus", "cmi", "cmi.objectives", "cmi.score", "cmi.interactions",
               "cmi.comments_from_learner", "cmi.learner_preference", "cmi.Location", "CMI.location",
               "cmi.core.lesson_status", "cmi.core.student_id", "cmi.core._children", "cmi.student_data.mastery_score",
               "cmi.student_preference.audio", "cmi.core.lesson_location", "cmi.interactions.a.id",
               "cmi.objectives.x.id", "cmi.interactions.-1.id", "adl.nav", "adl.nav.bogus"]
    for name in unknown:
        s.get(name, "", "401")
    for name in ["cmi._children", "cmi.bogus", "cmi", "cmi.score", "cmi.core.lesson_status", "cmi.core.exit",
                 "cmi.student_preference.text", "cmi.interactions.a.id", "cmi.objectives.x.id", "cmi.Location"]:
        s.set(name, "x", "401")
    # Keywords where the element has none.
    for name in ["cmi.location._children", "cmi.score._count", "cmi.learner_preference._count", "cmi.score._version",
                 "adl.nav.request_valid.choice", "adl.nav.request_valid.jump"]:
        s.get(name, "", "301")
    s.get("cmi.exit", "", "405")
    s.get("cmi.session_time", "", "405")
    read_only = [
        ("cmi._version", "1.0"), ("cmi.comments_from_learner._count", "1"), ("cmi.comments_from_learner._children", "x"),
        ("cmi.comments_from_lms._count", "1"), ("cmi.comments_from_lms.0.comment", "x"),
        ("cmi.comments_from_lms.0.location", "x"), ("cmi.comments_from_lms.0.timestamp", "2005-07-25"),
        ("cmi.completion_threshold", "0.5"), ("cmi.credit", "no-credit"), ("cmi.credit", "illegal_state"),
        ("cmi.entry", "resume"), ("cmi.interactions._count", "1"), ("cmi.interactions._children", "id"),
        ("cmi.launch_data", "x"), ("cmi.learner_id", "urn:x"), ("cmi.learner_name", "Ada"),
        ("cmi.learner_preference._children", "x"), ("cmi.max_time_allowed", "PT1H"), ("cmi.mode", "review"),
        ("cmi.objectives._count", "1"), ("cmi.objectives._children", "id"), ("cmi.scaled_passing_score", "0.5"),
        ("cmi.score._children", "x"), ("cmi.time_limit_action", "exit,message"), ("cmi.total_time", "PT1H"),
        ("adl.nav.request_valid.continue", T), ("adl.nav.request_valid.previous", F),
        ("adl.nav.request_valid.choice.{target=item_1}", T), ("adl.data._count", "1"),
    ]
    for name, value in read_only:
        s.set(name, value, "404")


# ---- §2 and §6: values not of the type, numbers out of range ---------------------------------------


BAD_LANGUAGES = ["frl", "exg", "sp", "ruq-JM", "xyz", "en-ZZ", "en-USA", "x-", "en_US", "e", "english"]
BAD_TIMES = ["2005-02-29", "2039-01-01", "1969-12-31", "2005-07-25T09:45:58Z", "2005-07-25T24:00:00",
             "2005-07-25T09:45:58.123", "2005-13-01", "2005-07-25T09:60", "05-07-25", "2005-07-25 09:45",
             "2005-07-25T09:45:58.1+24:00", "2005-04-31", ""]
BAD_DURATIONS = ["P0S", "P1W", "P1Y6M14DT", "P1H", "P", "PT", "-PT1S", "PT1.123S", "1H", "", "PT1,5S", "pt1s"]
BAD_IDENTIFIERS = ["urn:", "urn:adl:lms Test/x", "", "1:b", "a#b#c", "a%zz", "a{b}", "a|b", "a\\b", "a b", "a<b>",
                   'a"b', "a^b", "a`b", "a[b]"]
BAD_REALS = ["ten", "NaN", "Infinity", "-Infinity", " 7", "7 ", "", "1,5", "0x10", "1e", "--1"]


def type_mismatches(s: Script) -> None:
    s.rejects("cmi.completion_status", "406", "Completed", "passed", "", "not_attempted")
    s.rejects("cmi.success_status", "406", "completed", "Passed", "")
    s.rejects("cmi.exit", "406", "quit", "Suspend", "exit")
    s.rejects("cmi.learner_preference.audio_captioning", "406", "2", "-2", "0.5", "true", "")
    s.rejects("adl.nav.request", "406", "Continue", "choice", "jump", "{target=}choice", "suspend", "none", "")
    s.rejects("cmi.score.raw", "406", *BAD_REALS)
    s.rejects("cmi.score.scaled", "406", "abc", "")
    s.rejects("cmi.progress_measure", "406", "x")
    s.rejects("cmi.learner_preference.audio_level", "406", "loud", "")
    s.rejects("cmi.learner_preference.delivery_speed", "406", "")
    s.rejects("cmi.learner_preference.language", "406", *BAD_LANGUAGES)
    s.rejects("cmi.session_time", "406", *BAD_DURATIONS)
    s.rejects("cmi.score.scaled", "407", "1.1", "-1.0001", "2", "-5")
    s.rejects("cmi.progress_measure", "407", "1.5", "-0.1", "1.0000001")
    s.rejects("cmi.learner_preference.audio_level", "407", "-1", "-0.01")
    s.rejects("cmi.learner_preference.delivery_speed", "407", "-0.5")
    # None of these left a value behind.
    for name in ["cmi.score.raw", "cmi.score.scaled", "cmi.progress_measure"]:
        s.get(name, "", "403")
    s.get("cmi.completion_status", "unknown")
    s.get("cmi.learner_preference.audio_level", "1")


# ---- §4: arrays before anything is in them -----------------------------------------------------------


def empty_arrays(s: Script) -> None:
    for name in ["cmi.interactions.0.id", "cmi.objectives.0.id", "cmi.comments_from_learner.0.comment",
                 "cmi.comments_from_lms.0.comment", "cmi.interactions.0.objectives._count"]:
        s.get(name, "", "301")
    for name in ["cmi.interactions.1.id", "cmi.interactions.01.id", "cmi.objectives.1.id",
                 "cmi.comments_from_learner.1.comment", "cmi.interactions.5.bogus"]:
        s.set(name, "q1", "351")
    # Nothing of an interaction before its id.
    for child, value in [("type", "choice"), ("objectives.0.id", "obj-1"), ("timestamp", "2005-07-25"),
                         ("correct_responses.0.pattern", "a"), ("weighting", "1"), ("learner_response", "a"),
                         ("result", "correct"), ("latency", "PT1S"), ("description", "Question")]:
        s.set(f"cmi.interactions.0.{child}", value, "408")
    # Nothing of an objective before the objective exists.
    for child, value in [("score.scaled", "0.5"), ("score.raw", "5"), ("score.min", "0"), ("score.max", "10"),
                         ("success_status", "passed"), ("completion_status", "completed"),
                         ("progress_measure", "0.5"), ("description", "Objective")]:
        s.set(f"cmi.objectives.0.{child}", value, "408")
    s.rejects("cmi.interactions.0.id", "406", *BAD_IDENTIFIERS)
    s.rejects("cmi.objectives.0.id", "406", *BAD_IDENTIFIERS)
    s.rejects("cmi.comments_from_learner.0.comment", "406", "{lang=}x", "{lang=xyz}x", "{lang=en-ZZ}x")
    s.rejects("cmi.comments_from_learner.0.timestamp", "406", *BAD_TIMES)
    # A failed SetValue creates no record.
    for name in ["cmi.interactions._count", "cmi.objectives._count", "cmi.comments_from_learner._count"]:
        s.get(name, "0")


# ---- the round trip of every read-write element ----------------------------------------------------


# type, correct pattern, learner response, result
INTERACTIONS = [
    ("true-false", "true", "false", "incorrect"),
    ("choice", "choice_a[,]choice_b", "choice_b", "correct"),
    ("fill-in", "{case_matters=true}{order_matters=false}{lang=de}Hallo[,]{lang=en}world", "{lang=de}hallo[,]world",
     "unanticipated"),
    ("long-fill-in", "{case_matters=true}{lang=en}" + "A long written answer. " * 40,
     "{lang=fr}Une longue réponse écrite.", "neutral"),
    ("likert", "likert_5", "likert_4", "0.75"),
    ("matching", "a[.]1[,]b[.]2", "a[.]2[,]b[.]1", "-35"),
    ("performance", "{order_matters=false}step_1[.]answer_a[,]step_2[.]1[:]5", "step_1[.]answer_a[,]step_2[.]3",
     "correct"),
    ("sequencing", "s1[,]s2[,]s1", "s2[,]s1", "incorrect"),
    ("numeric", "1.5[:]10", "7.25", "correct"),
    ("other", "any text, even [,] and [.] here", "my own answer", "neutral"),
]
IDS = ["urn:scormapi:q0", "INTID1", "2", "ü-frage-3", "urn:x", "q5#part", "http://example.com/q?6", "q%207", "q8",
       "a:b9"]
TIMESTAMPS = ["2024-05-01T10:20:30.5Z", "2024-05-01T10:20:30.25+02:00", "2024-05-01", "2024", "2024-05-01T10:20",
              "2024-02-29T23:59:59.99-05", "1970-01-01T00:00:00.0Z", "2038-12-31T23:59:59", "2005-07-25T09:45:58.1",
              "2024-05-01T10"]
LATENCIES = ["PT1M30.5S", "P1DT2H", "PT0S", "P0Y0M0DT0H0M5S", "PT1H", "P1Y2M3DT4H5M6.78S", "PT0.25S", "P2D",
             "PT100S", "PT0010M"]
WEIGHTINGS = ["1", "-2.5", "0", "0.5", "10", "3", "1.25", "2", "-1000", "0.001"]
DESCRIPTION_LANGUAGES = ["en", "de-AT-1901", "fr-CA", "i-klingon", "zh-min-nan", "art-lojban", "sgn-BE-fr", "mo",
                         "en-US", "scc"]


def interaction(s: Script, n: int) -> None:
    kind, pattern, response, result = INTERACTIONS[n]
    base = f"cmi.interactions.{n}"
    s.round_trip(f"{base}.id", IDS[n])
    s.get(f"{base}.type", "", "403")
    s.set(f"{base}.learner_response", response, "408")
    s.set(f"{base}.correct_responses.0.pattern", pattern, "408")
    s.round_trip(f"{base}.type", kind)
    s.get(f"{base}.objectives._count", "0")
    s.get(f"{base}.correct_responses._count", "0")
    s.get(f"{base}.learner_response", "", "403")
    s.round_trip(f"{base}.objectives.0.id", "obj-1")
    s.round_trip(f"{base}.timestamp", TIMESTAMPS[n])
    s.round_trip(f"{base}.correct_responses.0.pattern", pattern)
    s.round_trip(f"{base}.weighting", WEIGHTINGS[n])
    s.round_trip(f"{base}.learner_response", response)
    s.round_trip(f"{base}.result", result)
    s.round_trip(f"{base}.latency", LATENCIES[n])
    s.round_trip(f"{base}.description", f"{{lang={DESCRIPTION_LANGUAGES[n]}}}Question {n} ✓")
    s.get(f"{base}.objectives._count", "1")
    s.get(f"{base}.correct_responses._count", "1")
    s.get("cmi.interactions._count", str(n + 1))


# id, scaled, raw, min, max, success, completion, progress, description
OBJECTIVES = [
    ("obj-1", "0.75", "75", "0", "100", "passed", "completed", "0.8", "{lang=en}First objective"),
    ("urn:scormapi:objective:2", "-0.5", "-5", "-10", "10", "failed", "incomplete", "0", "Second objective"),
    ("obj-3", "-1", "1e-7", "+5", ".5", "unknown", "not attempted", "1", "{lang=fr-CA}Troisième objectif"),
]


def objective(s: Script, n: int) -> None:
    identifier, scaled, raw, low, high, success, completion, progress, description = OBJECTIVES[n]
    base = f"cmi.objectives.{n}"
    s.round_trip(f"{base}.id", identifier)
    s.get(f"{base}.success_status", "unknown")
    s.get(f"{base}.completion_status", "unknown")
    for child in ["score.scaled", "score.raw", "score.min", "score.max", "progress_measure", "description"]:
        s.get(f"{base}.{child}", "", "403")
    s.get(f"{base}.score._children", Words("scaled,raw,min,max"))
    s.round_trip(f"{base}.score.scaled", scaled)
    s.round_trip(f"{base}.score.raw", raw)
    s.round_trip(f"{base}.score.min", low)
    s.round_trip(f"{base}.score.max", high)
    s.round_trip(f"{base}.success_status", success)
    s.round_trip(f"{base}.completion_status", completion)
    s.round_trip(f"{base}.progress_measure", progress)
    s.round_trip(f"{base}.description", description)
    s.get("cmi.objectives._count", str(n + 1))


def comments(s: Script) -> None:
    base = "cmi.comments_from_learner"
    s.round_trip(f"{base}.0.comment", "{lang=fr}Très bien")
    s.get(f"{base}.0.location", "", "403")
    s.get(f"{base}.0.timestamp", "", "403")
    s.round_trip(f"{base}.0.location", "page 3")
    s.round_trip(f"{base}.0.timestamp", "2024-05-01T10:20:30.12+02:00")
    # Any child makes the record; {LANG=...} is text, not a delimiter.
    s.round_trip(f"{base}.1.location", "intro")
    s.get(f"{base}.1.comment", "", "403")
    s.round_trip(f"{base}.1.comment", "{LANG=en}plain text")
    s.round_trip(f"{base}.1.timestamp", "2024-05-02")
    s.round_trip(f"{base}.2.timestamp", "2038-01-19T03:14:07")
    s.round_trip(f"{base}.2.comment", "{lang=en}" + "c" * 4000)
    s.round_trip(f"{base}.2.location", "L" * 250)
    s.get(f"{base}._count", "3")


def top_level(s: Script) -> None:
    s.round_trip("cmi.location", "L" * 1000, "chapter 2 — page 3 ✓")
    s.round_trip("cmi.suspend_data", ("state=" + "0123456789abcdef" * 4000)[:64000])
    s.round_trip("cmi.progress_measure", "0", "1", "0.5")
    s.round_trip("cmi.score.scaled", "-1", "1", "0.85")
    s.round_trip("cmi.score.raw", "1e-7", "+5", ".5", "-35.5", "85")
    s.round_trip("cmi.score.min", "0")
    s.round_trip("cmi.score.max", "100")
    s.round_trip("cmi.completion_status", "not attempted", "unknown", "incomplete", "completed")
    s.round_trip("cmi.success_status", "failed", "unknown", "passed")
    s.round_trip("cmi.learner_preference.audio_level", "0", "2.5", "0.5")
    s.round_trip("cmi.learner_preference.delivery_speed", "0", "1.5")
    s.round_trip("cmi.learner_preference.audio_captioning", "-1", "0", "1")
    s.round_trip("cmi.learner_preference.language", "i-klingon", "art-lojban", "zh-min-nan", "sgn-BE-fr", "mo",
                 "scc", "scr", "de-AT-1901", "EN-us", "", "fr-CA")
    s.write_only("cmi.exit", "time-out", "logout", "normal", "", "suspend")
    s.write_only("cmi.session_time", "P1DT0.5S", "PT1M2.5S")
    s.round_trip("adl.nav.request", "continue", "previous", "{target=item_1}choice", "{target=item_1}jump", "exit",
                 "exitAll", "abandon", "abandonAll", "suspendAll", "_none_")


def round_trip(s: Script) -> None:
    for n in range(len(INTERACTIONS)):
        interaction(s, n)
    # An interaction's id may change.
    s.round_trip("cmi.interactions.0.id", "urn:scormapi:q0-renamed")
    for n in range(len(OBJECTIVES)):
        objective(s, n)
    comments(s)
    top_level(s)


# ---- §4 and §5: arrays with records in them -------------------------------------------------------


def array_indexes(s: Script) -> None:
    for name in ["cmi.interactions.10.id", "cmi.objectives.3.id", "cmi.comments_from_learner.3.comment",
                 "cmi.interactions.0.objectives.1.id", "cmi.interactions.0.correct_responses.1.pattern",
                 "cmi.interactions.0.objectives._children", "cmi.interactions.0.correct_responses._children"]:
        s.get(name, "", "301")
    for name in ["cmi.interactions.0.objectives._count", "cmi.interactions.0.correct_responses._count",
                 "cmi.objectives.0.score._children"]:
        s.set(name, "2", "404")
    for name, value in [("cmi.interactions.12.id", "q12"), ("cmi.objectives.4.id", "obj-5"),
                        ("cmi.comments_from_learner.4.location", "x"), ("cmi.interactions.0.objectives.2.id", "o"),
                        ("cmi.interactions.1.correct_responses.2.pattern", "choice_c")]:
        s.set(name, value, "351")


def identifiers(s: Script) -> None:
    s.set("cmi.objectives.3.id", "obj-1", "351")  # taken by objective 0
    s.set("cmi.objectives.0.id", "obj-changed", "351")  # write-once
    s.set("cmi.objectives.0.id", "", "351")  # write-once comes before the type
    s.set("cmi.objectives.0.id", "obj-1")  # the same value again
    s.get("cmi.objectives._count", "3")
    s.set("cmi.interactions.0.objectives.1.id", "obj-1", "351")
    s.round_trip("cmi.interactions.0.objectives.1.id", "urn:scormapi:objective:2")
    s.get("cmi.interactions.0.objectives._count", "2")
    s.rejects("cmi.interactions.0.objectives.0.id", "406", "a b", "")


def pattern_rules(s: Script) -> None:
    # One pattern at most: index 1 is past a hard maximum.
    for n, value in [(0, "false"), (4, "likert_1"), (8, "[:]5"), (9, "x")]:
        s.set(f"cmi.interactions.{n}.correct_responses.1.pattern", value, "351")
    s.set("cmi.interactions.1.correct_responses.1.pattern", "choice_a[,]choice_b", "351")
    s.round_trip("cmi.interactions.1.correct_responses.1.pattern", "choice_c")
    s.round_trip("cmi.interactions.1.correct_responses.2.pattern", "")  # no choice
    s.set("cmi.interactions.7.correct_responses.1.pattern", "s1[,]s2[,]s1", "351")
    s.get("cmi.interactions.1.correct_responses._count", "3")
    s.get("cmi.interactions.7.correct_responses._count", "1")


def pattern_formats(s: Script) -> None:
    q = "cmi.interactions"
    s.rejects(f"{q}.0.correct_responses.0.pattern", "406", "yes", "True", "")
    s.rejects(f"{q}.0.learner_response", "406", "yes", "1")
    s.rejects(f"{q}.1.correct_responses.3.pattern", "406", "a[,]", "a[,][,]b", "a[,]a", "a b", "[,]a")
    s.rejects(f"{q}.1.learner_response", "406", "a[,]a", "a b")
    s.rejects(f"{q}.2.correct_responses.1.pattern", "406", "{lang=frl}x", "x[,]{lang=}y")
    s.rejects(f"{q}.2.learner_response", "406", "{lang=}x")
    s.rejects(f"{q}.3.learner_response", "406", "{lang=xyz}text")
    s.rejects(f"{q}.4.correct_responses.0.pattern", "406", "a b", "", "a[,]b")
    s.rejects(f"{q}.4.learner_response", "406", "a b")
    s.rejects(f"{q}.5.correct_responses.1.pattern", "406", "a[.]", "[.]b", "", "a", "a[.]b[.]c", "a[.]b[,]")
    s.rejects(f"{q}.5.learner_response", "406", "a", "a b[.]c")
    s.round_trip(f"{q}.5.learner_response", "", INTERACTIONS[5][2])
    s.rejects(f"{q}.6.correct_responses.1.pattern", "406", "a[.]b[.]c", "[.]", "step_1")
    s.rejects(f"{q}.7.correct_responses.1.pattern", "406", "", "s1[,][,]s2", "s1[,]")
    s.rejects(f"{q}.8.correct_responses.0.pattern", "406", "300[:]1.5", "5", "1[:]2[:]3", "a[:]b")
    s.round_trip(f"{q}.8.correct_responses.0.pattern", "[:]10", "-5[:]", INTERACTIONS[8][1])
    s.rejects(f"{q}.8.learner_response", "406", "-400[:]-500", "abc", "")
    s.rejects(f"{q}.0.result", "406", "wrong", "34,000.00", "Correct", "")
    s.rejects(f"{q}.0.weighting", "406", "heavy", "")
    s.rejects(f"{q}.0.latency", "406", "P1W", "PT")
    s.rejects(f"{q}.0.timestamp", "406", "2005-02-29", "2005-07-25T09:45:58Z")
    s.rejects(f"{q}.0.description", "406", "{lang=}x", "{lang=frl}x")
    s.rejects(f"{q}.0.type", "406", "multiple", "True-False", "")


def type_change(s: Script) -> None:
    """A different type clears the responses of the old one."""
    base = "cmi.interactions.10"
    s.round_trip(f"{base}.id", "urn:scormapi:q-change")
    s.round_trip(f"{base}.type", "choice")
    s.round_trip(f"{base}.correct_responses.0.pattern", "a")
    s.round_trip(f"{base}.learner_response", "b")
    s.set(f"{base}.type", "choice")
    s.get(f"{base}.correct_responses._count", "1")
    s.get(f"{base}.learner_response", "b")
    s.set(f"{base}.type", "fill-in")
    s.forget(f"{base}.correct_responses.")
    s.forget(f"{base}.learner_response")
    s.get(f"{base}.correct_responses._count", "0")
    s.get(f"{base}.correct_responses.0.pattern", "", "301")
    s.get(f"{base}.learner_response", "", "403")
    s.round_trip(f"{base}.correct_responses.0.pattern", "{lang=en}hello")
    s.get(f"{base}.correct_responses._count", "1")


def objective_and_comment_values(s: Script) -> None:
    s.rejects("cmi.objectives.0.score.scaled", "407", "1.01", "-2")
    s.rejects("cmi.objectives.0.progress_measure", "407", "-1", "1.5")
    s.rejects("cmi.objectives.0.score.raw", "406", "x", "")
    s.rejects("cmi.objectives.0.success_status", "406", "completed", "")
    s.rejects("cmi.objectives.0.completion_status", "406", "done", "passed")
    s.rejects("cmi.objectives.0.description", "406", "{lang=}x")
    s.rejects("cmi.comments_from_learner.0.timestamp", "406", "2005-02-29")
    s.get("cmi.comments_from_learner._count", "3")
    s.get("cmi.objectives.0.score.scaled", OBJECTIVES[0][1])


def build_script() -> Script:
    s = Script()
    not_initialized(s)
    running(s)
    initial_values(s)
    names_and_keywords(s)
    type_mismatches(s)
    empty_arrays(s)
    round_trip(s)
    array_indexes(s)
    identifiers(s)
    pattern_rules(s)
    pattern_formats(s)
    type_change(s)
    objective_and_comment_values(s)
    s.get("cmi.interactions._count", "11")
    terminated(s)
    return s


# ---- the package and the run ----------------------------------------------------------------------


MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="conformance.2004" version="1"
    xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
    xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
    xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
    xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org_1">
    <organization identifier="org_1">
      <title>Conformance course 2004</title>
      <item identifier="{ITEM}" identifierref="res_1"><title>{TITLE}</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res_1" type="webcontent" adlcp:scormType="sco" href="sco/index.html">
      <file href="sco/index.html"/>
      <file href="sco/conformance.js"/>
    </resource>
  </resources>
</manifest>
"""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Conformance SCO</title></head>
<body>
<pre id="results"></pre>
<script type="application/json" id="steps">%s</script>
<script src="conformance.js"></script>
</body>
</html>
"""


def conformance_package(calls: list[list]) -> bytes:
    # "</" cannot end the JSON's script element once written "<\/".
    steps = json.dumps(calls, ensure_ascii=False).replace("</", "<\\/")
    return build_zip({"imsmanifest.xml": MANIFEST, "sco/index.html": PAGE % steps,
                      "sco/conformance.js": SCO_SCRIPT.read_text(encoding="utf-8")})


def mismatches(script: Script, results: list[list]) -> list[tuple]:
    wrong = []
    for (call, value, error), (fn, args, got, got_error) in zip(script.cases, results, strict=True):
        assert [fn, *args] == call
        if not (answers(value, got) and got_error == error):
            shown = [a if len(a) <= 60 else a[:40] + f"...({len(a)} chars)" for a in call]
            wrong.append((shown, {"expected": (value, error), "got": (got, got_error)}))
    return wrong


def server_values(world, course, names: list[str]) -> dict[str, str]:
    """GetCmiData's answer for ``names``, as the admin reads them; a name
    the server cannot read shows as its error message."""
    response = get_cmi(world, course, names)
    assert response.status_code == 200, response.text
    [item] = response.json()
    return {f["cmi_element_name"]: f["error_message"] or f["cmi_element_value"] for f in item["cmi_fields"]}


def test_the_2004_api_and_data_model_as_the_reference_has_them(world, learner_browser):
    script = build_script()
    course = enrolled_course(world, conformance_package([call for call, _, _ in script.cases]))
    tab = learner_browser
    tab.sign_in(course.learner.login)
    tab.page.get_by_role("link", name=TITLE, exact=True).click()
    done = tab.content().locator("#results[data-done]")
    done.wait_for(state="attached", timeout=30_000)
    results = json.loads(done.text_content())
    assert len(results) == len(script.cases), results[:1]
    wrong = mismatches(script, results)

    # Terminate has reached the server: it holds what the SCO set.
    tab.wait_state("finished", "suspended")
    counts = {"cmi.interactions._count": "11", "cmi.objectives._count": "3", "cmi.comments_from_learner._count": "3"}
    expected = {**script.stored, **counts}
    stored = server_values(world, course, list(expected))
    differences = {name: (stored.get(name), value) for name, value in expected.items() if stored.get(name) != value}

    report = [f"{call}: {answer}" for call, answer in wrong]
    report += [f"server {name}: got {got!r}, expected {want!r}"[:300] for name, (got, want) in differences.items()]
    assert (wrong, differences) == ([], {}), "\n".join(report)
