"""Running async code from a synchronous test."""
from __future__ import annotations

import threading

import anyio


def run_apart(function, *args):
    """``anyio.run`` on a thread of its own: a browser test in the same
    worker may have left an event loop running on this one."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = anyio.run(function, *args)
        except BaseException as exc:  # handed to the test's thread below
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
