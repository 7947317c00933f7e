"""A load run: start the server, drive each scenario with wrk, collect figures.

Per scenario: one pre-flight request (a clear error beats a table of
failures), a short warm-up (token and page caches, connection pools), the
worker's peak-memory mark reset, then the measured wrk run.
"""
from __future__ import annotations

import json
import random
import resource
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Text, cast, func, select

from scormapi.benchmark import scenarios
from scormapi.benchmark.cmidata import suspend_pool
from scormapi.benchmark.manifest import Manifest, Sample
from scormapi.benchmark.server import (
    Server,
    cpu_seconds,
    machine_busy_seconds,
    peak_rss_mb,
    reset_peak_rss,
    start_server,
)
from scormapi.store.db import Database
from scormapi.store.models import AssignmentStatus, Enrollment, ScoAttempt, User

LUA = Path(__file__).resolve().parents[3] / "bench" / "requests.lua"
SCENARIOS = ("ceiling", "GetCmiData", "EditScormData", "commit", "Authenticate")
# Lines per scenario; more would only cost start-up time.
MAX_LINES = 20_000


@dataclass(frozen=True)
class Options:
    duration: float = 10.0
    warmup: float = 2.0
    connections: int = 16
    threads: int = 1
    workers: int = 1
    scenarios: tuple[str, ...] = SCENARIOS
    lua: Path = LUA
    # Learners picked from; fewer means warmer caches (tokens, pages).
    samples: int = MAX_LINES
    # Read the sampled learners' rows once before measuring (see prewarm).
    prewarm: bool = True


@dataclass
class Result:
    name: str
    note: str
    requests: int = 0
    seconds: float = 0.0
    errors: int = 0
    p50_ms: float | None = None
    p99_ms: float | None = None
    rss_mb: float | None = None
    # The workers' CPU time per request: unlike req/s, it hardly moves when
    # other processes share the machine.
    cpu_ms: float | None = None
    # Cores kept busy meanwhile by neither the server nor wrk: other
    # processes on a shared machine, which the figures then understate.
    other_cores: float | None = None
    failure: str | None = None
    detail: dict = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


class WrkError(RuntimeError):
    pass


def run_load(manifest: Manifest, options: Options, env: dict[str, str], work_dir: Path | None = None) -> list[Result]:
    """Every scenario of ``options`` against a fresh server; results in order."""
    if shutil.which("wrk") is None:
        raise WrkError("wrk is not installed (Debian: apt-get install wrk)")
    if not options.lua.exists():
        raise WrkError(f"{options.lua} not found: run from a source checkout or pass --lua")
    work = work_dir or Path(tempfile.mkdtemp(prefix="scormapi-bench-"))
    samples = manifest.samples()[: min(options.samples, MAX_LINES)]
    if options.prewarm:
        prewarm(manifest, samples)
    server = start_server(env, options.workers, work / "server.log")
    try:
        runner = _Runner(manifest, options, server, work, samples)
        return [runner.run(name) for name in options.scenarios]
    finally:
        server.stop()


class _Runner:
    def __init__(self, manifest: Manifest, options: Options, server: Server, work: Path, samples: list[Sample]):
        self.manifest, self.options, self.server, self.work = manifest, options, server, work
        self.samples = samples
        self.rng = random.Random(7)
        # Milliseconds: numbers a later run cannot repeat, so its edits are
        # real changes too (commits start from the database's numbers).
        self.seq = int(time.time() * 1000)

    def run(self, name: str) -> Result:
        scenario = self._scenario(name)
        if name == "commit":
            self.seq = next_commit_seq(self.manifest, self.samples)
        failure = self._preflight(scenario)
        if failure:
            return Result(scenario.name, scenario.note, errors=1, failure=failure)
        path = scenarios.write_lines(scenario, self.work)
        if self.options.warmup > 0:
            self._wrk(path, scenario.mode, self.options.warmup)
        pids = self.server.worker_pids()
        reset_peak_rss(pids)
        before = _cpu_marks(pids)
        figures = self._wrk(path, scenario.mode, self.options.duration)
        after = _cpu_marks(pids)
        result = _result(scenario, figures, peak_rss_mb(pids))
        server, machine, load_generator = (b - a for a, b in zip(before, after))
        if result.requests:
            result.cpu_ms = server * 1000 / result.requests
        result.other_cores = max(0.0, machine - server - load_generator) / result.seconds if result.seconds else None
        return result

    def _scenario(self, name: str) -> scenarios.Scenario:
        m, s = self.manifest, self.samples
        if name == "ceiling":
            return scenarios.ceiling(m, s, self._cmi_data_size())
        if name == "GetCmiData":
            return scenarios.get_cmi_data(m, s)
        if name == "EditScormData":
            return scenarios.edit_scorm_data(m, s, self.rng)
        if name == "commit":
            return scenarios.commit(s, self.rng, suspend_pool(self.rng, 16))
        if name == "Authenticate":
            return scenarios.authenticate(m, s)
        raise ValueError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")

    def _cmi_data_size(self) -> int:
        """Bytes of a real GetCmiData response, for the ceiling to match."""
        status, body = self._call(*scenarios.first_request(scenarios.get_cmi_data(self.manifest, self.samples), 1))
        if status != 200:
            raise WrkError(f"GetCmiData pre-flight answered {status}: {body[:500]!r}")
        return len(body)

    def _preflight(self, scenario: scenarios.Scenario) -> str | None:
        status, body = self._call(*scenarios.first_request(scenario, self.seq))
        self.seq += 1
        if 200 <= status < 300:
            return None
        return f"pre-flight {scenario.name} answered HTTP {status}: {body[:500].decode(errors='replace')}"

    def _call(self, method: str, path: str, body: bytes) -> tuple[int, bytes]:
        request = urllib.request.Request(
            self.server.base_url + path, data=body or None, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def _wrk(self, path: Path, mode: str, seconds: float) -> dict:
        o = self.options
        # "cycle" lines must never overlap (a commit overtaken by a later one
        # of the same attempt is refused as stale), and the server need not
        # answer in order: one connection per wrk thread, each thread owning
        # its own attempts, makes them strictly sequential per attempt.
        threads = o.connections if mode == "cycle" else o.threads
        figures = run_wrk(self.server.base_url, path, mode, self.seq, threads, o.connections, seconds, o.lua)
        # The next run's numbers start above every number this one could have sent.
        self.seq += (figures["requests"] + o.connections + 2) * threads
        return figures


def _cpu_marks(pids: list[int]) -> tuple[float, float, float]:
    """(server, whole machine, finished children such as wrk) CPU seconds so far."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return cpu_seconds(pids), machine_busy_seconds(), children.ru_utime + children.ru_stime


def run_wrk(
    base_url: str, path: Path, mode: str, seq: int, threads: int, connections: int, seconds: float, lua: Path
) -> dict:
    command = [
        "wrk", "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(seconds))}s", "--timeout", "10s",
        "-s", str(lua), base_url, "--", str(path), mode, str(seq), str(threads),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    for text in done.stdout.splitlines():
        if text.startswith("BENCH_JSON "):
            return json.loads(text[len("BENCH_JSON "):])
    raise WrkError(f"wrk failed (exit {done.returncode}): {done.stderr.strip() or done.stdout.strip()}")


def _result(scenario: scenarios.Scenario, figures: dict, rss_mb: float | None) -> Result:
    errors = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Result(
        name=scenario.name,
        note=scenario.note,
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        errors=errors,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        rss_mb=rss_mb,
        detail=figures,
    )


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def prewarm(manifest: Manifest, samples: list[Sample]) -> None:
    """Read every row the run can touch once, through the database, so the
    figures are those of a server whose working set is in memory (the
    steady state of a busy one) rather than of the disk: on a freshly
    seeded million attempts, a cold page cache makes every request wait
    for random reads. ``bench run --cold`` skips this."""
    db = Database(manifest.database_url)
    status_ids = list({uuid.UUID(s.assignment_status_id) for s in samples})
    enrollment_ids = list({uuid.UUID(s.enrollment_id) for s in samples})
    try:
        with db.read() as session:
            for chunk in _chunks(status_ids):
                session.execute(
                    select(func.sum(func.length(cast(ScoAttempt.cmi, Text))))
                    .where(ScoAttempt.assignment_status_id.in_(chunk))
                ).all()
            for chunk in _chunks(enrollment_ids):
                session.execute(
                    select(func.count(AssignmentStatus.id), func.max(User.login))
                    .join(Enrollment, Enrollment.id == AssignmentStatus.enrollment_id)
                    .join(User, User.id == Enrollment.user_id)
                    .where(Enrollment.id.in_(chunk))
                ).all()
    finally:
        db.dispose()


def next_commit_seq(manifest: Manifest, samples: list[Sample]) -> int:
    """One above every commit number the sampled attempts hold: commits must
    climb, and earlier runs left their numbers behind."""
    db = Database(manifest.database_url)
    ids = [uuid.UUID(s.attempt_id) for s in samples]
    highest = 0
    try:
        with db.read() as session:
            for chunk in _chunks(ids):
                found = session.scalar(select(func.max(ScoAttempt.commit_seq)).where(ScoAttempt.id.in_(chunk)))
                highest = max(highest, found or 0)
    finally:
        db.dispose()
    return highest + 1
