"""A run-time commit racing an administrator's EditScormData on the same
attempt: neither change is lost (a refused one is retried, as the adapter does)."""
from __future__ import annotations

import threading

import httpx

from tests.api.scorm_helpers import load_attempt
from tests.player.helpers import commit, launch

ROUNDS = 15


def until_applied(send):
    """Send until not refused for a conflict; the adapter retries the same way."""
    for _ in range(20):
        r = send()
        if not (r.status_code == 409 and r.json()["api_error_entity"]["error_code"] == 6):
            return r
    return r


def test_commit_and_admin_edit_racing_lose_nothing(world, base_url):
    course = world.course(scos=1)
    launched = launch(world, course)
    seq = launched["commit_seq"]
    results: dict[str, list[int]] = {"commit": [], "edit": []}

    def learner(n, client, barrier):
        barrier.wait()
        r = until_applied(lambda: commit(client, launched, seq + n, {
            "cmi.core.lesson_location": f"page-{n}", "cmi.suspend_data": f"state-{n}"}))
        results["commit"].append(r.status_code)

    def admin(n, client, barrier):
        barrier.wait()
        body = {"assignment_status_id": str(course.assignment_status.id), "sco_id": "item_1", "raw_score": n,
                "reason": f"race {n}"}
        r = until_applied(lambda: client.post("/api/v1/ScormApi/EditScormData", json=body,
                                              params={"access_token": world.admin_token}))
        results["edit"].append(r.status_code)

    with httpx.Client(base_url=base_url, timeout=60) as a, httpx.Client(base_url=base_url, timeout=60) as b:
        for n in range(1, ROUNDS + 1):
            barrier = threading.Barrier(2)
            threads = [threading.Thread(target=learner, args=(n, a, barrier)),
                       threading.Thread(target=admin, args=(n, b, barrier))]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            attempt = load_attempt(world, course)
            assert attempt.cmi["cmi.core.lesson_location"] == f"page-{n}"
            assert attempt.cmi["cmi.suspend_data"] == f"state-{n}"
            assert attempt.cmi["cmi.core.score.raw"] == str(n) and attempt.score_raw == n
            assert attempt.commit_seq == seq + n
    assert results == {"commit": [200] * ROUNDS, "edit": [200] * ROUNDS}
