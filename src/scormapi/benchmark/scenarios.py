"""The scenarios of a load run and their request files.

Each scenario is a list of request lines ("METHOD\\tPATH\\tBODY") made from
the manifest's sampled learners before the run, so the load generator only
picks a line (bench/requests.lua). ``@SEQ@`` in a body is replaced per
request by a growing number.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from scormapi.benchmark.manifest import Manifest, Sample
from scormapi.benchmark.server import CEILING_PATH

SEQ = "@SEQ@"
GET_CMI_DATA = "/api/v1/ScormApi/GetCmiData"
EDIT_SCORM_DATA = "/api/v1/ScormApi/EditScormData"
COMMIT = "/api/v1/ScormRuntime/Commit"
AUTHENTICATE = "/api/v1/AdminApi/Authenticate"


@dataclass(frozen=True)
class Scenario:
    name: str
    # "random": any line per request; "cycle": each thread walks its own
    # shuffled share (needed where one line must not run twice at once).
    mode: str
    lines: list[str]
    note: str


def line(method: str, path: str, body: dict | None) -> str:
    text = json.dumps(body, separators=(",", ":")) if body is not None else ""
    return f"{method}\t{path}\t{text}"


def get_cmi_data_body(manifest: Manifest, sample: Sample) -> dict:
    return {
        "enrollment_id": sample.enrollment_id,
        "assignment_id": manifest.assignment_id,
        "cmi_element_names": manifest.element_names,
    }


def get_cmi_data(manifest: Manifest, samples: list[Sample]) -> Scenario:
    path = f"{GET_CMI_DATA}?access_token={manifest.admin_token}"
    lines = [line("POST", path, get_cmi_data_body(manifest, s)) for s in samples]
    note = f"{manifest.scos} SCOs x {len(manifest.element_names)} elements, random learner"
    return Scenario("GetCmiData", "random", lines, note)


def ceiling(manifest: Manifest, samples: list[Sample], size: int) -> Scenario:
    """GetCmiData's requests, answered by the bare endpoint with as many bytes."""
    path = f"{CEILING_PATH}?bytes={size}"
    lines = [line("POST", path, get_cmi_data_body(manifest, s)) for s in samples]
    return Scenario("ceiling", "random", lines, f"bare ASGI, {size} B like GetCmiData")


def edit_scorm_data(manifest: Manifest, samples: list[Sample], rng: random.Random) -> Scenario:
    """Four fields of a random attempt; the location carries @SEQ@ so every
    edit changes something (an edit without changes writes nothing)."""
    path = f"{EDIT_SCORM_DATA}?access_token={manifest.admin_token}"
    lines = []
    for s in samples:
        status = rng.choice(("incomplete", "completed", "passed", "failed"))
        body = {
            "assignment_status_id": s.assignment_status_id,
            "sco_id": s.sco_id,
            "lesson_status": status,
            "raw_score": float(rng.randint(0, 100)),
            "lesson_location": f"slide-{SEQ}",
            "total_time": f"00{rng.randint(0, 99):02d}:{rng.randint(0, 59):02d}:00",
            "reason": "benchmark",
        }
        lines.append(line("POST", path, body))
    return Scenario("EditScormData", "random", lines, "4 fields, random attempt, audited")


def commit_values(rng: random.Random, suspend_data: str) -> dict[str, str]:
    """Twenty elements as content writes them mid-session; the interactions
    overwrite or append items 0 and 1, valid whatever the attempt holds."""
    values = {
        "cmi.core.lesson_status": "incomplete",
        "cmi.core.lesson_location": f"slide-{rng.randint(1, 40)}",
        "cmi.core.score.raw": str(rng.randint(0, 100)),
        "cmi.core.score.min": "0",
        "cmi.core.score.max": "100",
        "cmi.core.session_time": f"0000:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}.00",
        "cmi.core.exit": "suspend",
        "cmi.suspend_data": suspend_data,
        "cmi.student_preference.language": "en",
        "cmi.student_preference.audio": "1",
    }
    for n in (0, 1):
        prefix = f"cmi.interactions.{n}."
        values.update({
            prefix + "id": f"q{n + 1}",
            prefix + "type": "choice",
            prefix + "time": f"{rng.randint(8, 20):02d}:{rng.randint(0, 59):02d}:00",
            prefix + "student_response": rng.choice("abcd"),
            prefix + "result": rng.choice(("correct", "wrong")),
        })
    return values


def commit(samples: list[Sample], rng: random.Random, suspend_pool: list[str]) -> Scenario:
    """A mid-session commit under each sampled attempt's launch token."""
    lines = []
    for s in samples:
        body = {"seq": 0, "values": commit_values(rng, rng.choice(suspend_pool)), "finish": False}
        text = line("POST", f"{COMMIT}?access_token={s.launch_token}", body)
        lines.append(text.replace('{"seq":0,', '{"seq":' + SEQ + ",", 1))
    return Scenario("commit", "cycle", lines, "20 elements validated, random attempt")


def authenticate(manifest: Manifest, samples: list[Sample]) -> Scenario:
    lines = [
        line("POST", AUTHENTICATE, {"username": s.login, "password": manifest.learner_password, "grant_type": "password"})
        for s in samples
    ]
    return Scenario("Authenticate", "random", lines, "Argon2id verify + token insert")


def write_lines(scenario: Scenario, directory: Path) -> Path:
    path = directory / f"{scenario.name}.requests"
    path.write_text("\n".join(scenario.lines) + "\n")
    return path


def first_request(scenario: Scenario, seq: int) -> tuple[str, str, bytes]:
    """(method, path, body) of the scenario's first line, for a pre-flight call."""
    method, path, body = scenario.lines[0].split("\t", 2)
    return method, path, body.replace(SEQ, str(seq)).encode()
