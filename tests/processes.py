"""What the tests that start real servers and commands share: free ports,
the installed console script, waiting for a server and stopping it."""
from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def _unassigned_ports() -> range:
    """Ports the kernel never hands out as a connection's local port. A port
    picked with bind(0) comes from the ephemeral range, so any outgoing
    connection made meanwhile (a database client, another test's HTTP call)
    may take it, or the one after it, before the server under test binds."""
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    return range(max(1024, low - 12000), low - 1)


def _is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A free port outside the ephemeral range."""
    return free_port_pair()


def free_port_pair() -> int:
    """A free port whose next one is free too (serve's default content port),
    both outside the ephemeral range."""
    ports = _unassigned_ports()
    for _ in range(200):
        port = random.choice(ports)
        if _is_free(port) and _is_free(port + 1):
            return port
    raise AssertionError("no two free ports in a row")


def console_script() -> Path:
    """The installed ``scormapi`` command. The suite runs from the venv that
    `make test` installs the project into, so its absence is a failure."""
    script = Path(sys.executable).parent / "scormapi"
    assert script.exists(), f"the scormapi console script is not installed next to {sys.executable}"
    return script


def need_tool(name: str) -> None:
    """Skip when a system tool a test drives is missing; under CI=true,
    where .ci/run installs it, fail instead."""
    if shutil.which(name) is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{name} is not installed (required under CI=true)")
        pytest.skip(f"{name} is not installed")


def wait_for(url: str, proc: subprocess.Popen) -> httpx.Response:
    """The first answer from ``url`` once the server ``proc`` listens."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                raise AssertionError(f"server did not start: {err}") from None
            time.sleep(0.1)


def stop(proc: subprocess.Popen) -> None:
    """Ctrl+C, as an operator stops it; killed if it does not end in 10 s."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
