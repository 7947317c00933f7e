"""The server under test: the real application plus the ceiling endpoint,
run by uvicorn in its own process(es), and the memory its workers used.

The ceiling is a bare ASGI endpoint answering before FastAPI sees the
request: it reads the request body and returns a fixed JSON body of the
requested size. Placed in front of the real app in the same process, it
costs what the server, the event loop and the HTTP parser cost and nothing
else, so every scenario can be stated as a share of it. It exists only in
this factory, never in the application a deployment runs.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

CEILING_PATH = "/__bench/ceiling"
STARTUP_SECONDS = 60


def create_bench_app():
    """uvicorn's factory (``--factory``): the application with the ceiling in front."""
    # Imported here: the command line loads this module and needs no app.
    from scormapi.api.app import create_app

    return with_ceiling(create_app())


def with_ceiling(inner):
    bodies: dict[int, bytes] = {}

    async def app(scope, receive, send):
        if scope["type"] != "http" or scope["path"] != CEILING_PATH:
            await inner(scope, receive, send)
            return
        await _drain(receive)
        size = ceiling_size(scope["query_string"])
        body = bodies.get(size) or bodies.setdefault(size, ceiling_body(size))
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


async def _drain(receive) -> None:
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False) and message["type"] == "http.request"


def ceiling_size(query: bytes) -> int:
    """``bytes=N`` from the query string, within 2..10 MB."""
    for pair in query.split(b"&"):
        key, _, value = pair.partition(b"=")
        if key == b"bytes" and value.isdigit():
            return min(max(int(value), 2), 10_000_000)
    return 2


def ceiling_body(size: int) -> bytes:
    """A JSON string of exactly ``size`` bytes."""
    return b'"' + b"x" * (size - 2) + b'"'


# -- the server process -----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    workers: int

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        """The processes serving requests: uvicorn itself with one worker,
        else its spawned children (not multiprocessing's resource tracker)."""
        if self.workers <= 1:
            return [self.process.pid]
        return [pid for pid in child_pids(self.process.pid) if b"spawn_main" in _cmdline(pid)]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_server(env: dict[str, str], workers: int, log_path: Path) -> Server:
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", "scormapi.benchmark.server:create_bench_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
    ]
    log = open(log_path, "ab")
    process = subprocess.Popen(command, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    server = Server(process, port, workers)
    try:
        _wait_ready(server)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited with code {server.process.returncode}; see its log")
        try:
            with urllib.request.urlopen(server.base_url + CEILING_PATH, timeout=2):
                if len(server.worker_pids()) >= server.workers:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {STARTUP_SECONDS} s")


# -- memory -------------------------------------------------------------------------


def child_pids(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _ppid(int(entry.name)) == parent:
            found.append(int(entry.name))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes used so far (all their threads)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime and stime: fields 14 and 15 of stat, 12 and 13 after the name.
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time every core spent on anything but idling, since boot."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _ppid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name in parentheses may hold spaces: split after it.
    return int(stat.rsplit(")", 1)[1].split()[1])


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def reset_peak_rss(pids: list[int]) -> bool:
    """Start a new peak: writing 5 to clear_refs resets VmHWM (Linux 4.0+).
    False when not permitted; peaks then run from the process's start."""
    done = True
    for pid in pids:
        try:
            Path(f"/proc/{pid}/clear_refs").write_text("5")
        except OSError:
            done = False
    return done


def peak_rss_mb(pids: list[int]) -> float | None:
    """The largest VmHWM among ``pids``, in MB."""
    peaks = [kib for pid in pids if (kib := _status_kib(pid, "VmHWM")) is not None]
    return max(peaks) / 1024 if peaks else None


def _status_kib(pid: int, field: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None
