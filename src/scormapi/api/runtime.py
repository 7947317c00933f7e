"""ScormRuntime: the SCORM 1.2 run-time API as the browser adapter calls it.

- ``GET  DataModel``: the element table (``cmi.scorm12.table_json``) the
  browser validates with, with this server's suspend_data limit.
- ``POST Launch``: a learner (API access token) opens a SCO of their own
  assignment; the player page does the same thing server-side.
- ``POST Commit``: content values under a launch token (kind "launch"),
  which reaches its one attempt and nothing else.
"""
from __future__ import annotations

import uuid
from functools import lru_cache
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import Field

from scormapi.api.deps import caller, services
from scormapi.api.responses import json_response, ok
from scormapi.api.schemas import Body, Bool, Int, Str
from scormapi.cmi import scorm12
from scormapi.errors import HTTP_STATUS
from scormapi.player.content import content_href
from scormapi.store import runtime
from scormapi.store.runtime import Launch

router = APIRouter(prefix="/api/v1/ScormRuntime", tags=["ScormRuntime"])


@lru_cache(maxsize=4)
def data_model(suspend_data_max: int) -> dict:
    return scorm12.table_json(suspend_data_limit=suspend_data_max)


@router.get("/DataModel")
def get_data_model(request: Request):
    """The SCORM 1.2 element table; public, since it is the published standard."""
    return ok({"data_model": data_model(services(request).settings.suspend_data_max)})


class LaunchBody(Body):
    assignment_status_id: uuid.UUID
    sco_id: Str = Field(min_length=1, max_length=255)
    lesson_mode: Literal["normal", "browse"] = "normal"


def launch_item(launch: Launch, request: Request) -> dict:
    """The launch as JSON: everything an adapter needs to run the SCO."""
    commit_url = None
    if launch.token is not None:
        commit_url = str(request.url_for("commit").include_query_params(access_token=launch.token))
    return {
        "attempt_id": launch.attempt_id,
        "attempt_number": launch.attempt_number,
        "sco_id": launch.sco.sco_id,
        "lesson_mode": launch.lesson_mode,
        "launch_token": launch.token,
        "commit_url": commit_url,
        "commit_seq": launch.commit_seq,
        "content_url": content_href(launch.courseware_id, launch.sco.launch),
        "cmi": launch.state,
    }


@router.post("/Launch")
def launch_sco(body: LaunchBody, request: Request):
    svc = services(request)
    with svc.db.read() as session:
        me = caller(request, session)
    opened = runtime.launch(svc.db, me.user_id, body.assignment_status_id, body.sco_id, browse=body.lesson_mode == "browse")
    return ok(launch_item(opened, request))


class CommitBody(Body):
    seq: Int = Field(ge=1, le=2**53)
    values: dict[str, Str] = Field(default_factory=dict, max_length=10_000)
    finish: Bool = False
    leave: Bool = False


@router.post("/Commit", name="commit")
def commit(body: CommitBody, request: Request):
    svc = services(request)
    with svc.db.read() as session:
        me = caller(request, session, kind="launch")
    result = runtime.commit(
        svc.db, svc.settings, me.token_id, me.attempt_id, body.seq, body.values, finish=body.finish, leave=body.leave
    )
    if not result.applied:
        stale = runtime.stale_commit(body.seq, result.commit_seq)
        payload = {"applied": False, "commit_seq": result.commit_seq, **stale.body()}
        return json_response(payload, HTTP_STATUS[stale.code])
    # The status as the server settled it (a finish may decide it), for the player to show.
    return ok({"applied": True, "commit_seq": result.commit_seq, "lesson_status": result.lesson_status}, result.warnings)
