"""ScormRuntime: the SCORM run-time API as the browser adapter calls it.

- ``GET  DataModel``: the element table of a SCORM version's data model
  (``Profile.table_json``; ``?scorm_version=`` "1.2", the default, or
  "2004") the browser validates with, with this server's suspend_data limit.
- ``POST Launch``: a learner (API access token) opens a SCO of their own
  assignment; the player page does the same thing server-side.
- ``POST Commit``: content values under a launch token (kind "launch"),
  which reaches its one attempt and nothing else. Served on the content
  origin only (``web/origins.py``); the token goes in
  ``Authorization: Bearer`` (``?access_token=`` still works for API clients).
"""
from __future__ import annotations

import uuid
from functools import lru_cache
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import Field

from scormapi.api.deps import TokenFirst, caller, launch_token, public, services
from scormapi.api.docs import PUBLIC
from scormapi.api.response_models import (
    CMI_VALUES_EXAMPLE,
    PROTECTED,
    CommitResponse,
    DataModelResponse,
    LaunchResponse,
    StaleCommitResponse,
    answers,
)
from scormapi.api.responses import json_response, ok
from scormapi.api.schemas import Body, Bool, Int, Str
from scormapi.cmi.profile import for_version
from scormapi.errors import HTTP_STATUS
from scormapi.player.content import content_href
from scormapi.store import launchcodes, runtime
from scormapi.store.runtime import Launch
from scormapi.web.origins import COMMIT_PATH, NoContentOrigin, origins

router = APIRouter(prefix="/api/v1/ScormRuntime", tags=["ScormRuntime"], route_class=TokenFirst)


ScormVersion = Literal["1.2", "2004"]


@lru_cache(maxsize=8)
def data_model(suspend_data_max: int, scorm_version: ScormVersion = "1.2") -> dict:
    return for_version(scorm_version).table_json(suspend_data_limit=suspend_data_max)


@router.get("/DataModel", responses=answers(DataModelResponse, 422), openapi_extra=PUBLIC)
@public
def get_data_model(request: Request, scorm_version: ScormVersion = "1.2"):
    """The element table of a SCORM version's data model; public, since it is the published standard."""
    return ok({"data_model": data_model(services(request).settings.suspend_data_max, scorm_version)})


class LaunchBody(Body):
    assignment_status_id: uuid.UUID
    sco_id: Str = Field(min_length=1, max_length=255)
    lesson_mode: Literal["normal", "browse", "review"] = Field(
        default="normal", description="review: open the attempt as it is, nothing is saved"
    )
    new_attempt: Bool = Field(
        default=False,
        description="start the next attempt when the current one is finished (a finished attempt otherwise opens for review)",
    )


def launch_item(launch: Launch, request: Request, content_key: str) -> dict:
    """The launch as JSON: everything an adapter needs to run the SCO. Both
    URLs are on the content origin: the launch token is sent to the commit
    URL in ``Authorization: Bearer``; the content URL carries ``content_key``
    (the launch token, or a review's content token) in its path."""
    content_origin = _content_origin(request)
    commit_url = None
    if launch.token is not None:
        commit_url = content_origin + COMMIT_PATH
    return {
        "attempt_id": launch.attempt_id,
        "attempt_number": launch.attempt_number,
        "sco_id": launch.sco.sco_id,
        "lesson_mode": launch.lesson_mode,
        "launch_token": launch.token,
        "commit_url": commit_url,
        "commit_seq": launch.commit_seq,
        "content_url": content_origin + content_href(content_key, launch.sco.launch),
        "cmi": launch.state,
    }


@router.post("/Launch", responses=answers(LaunchResponse, *PROTECTED))
def launch_sco(body: LaunchBody, request: Request):
    svc = services(request)
    with svc.db.read() as session:
        me = caller(request, session)
    opened = runtime.launch(
        svc.db, me.user_id, body.assignment_status_id, body.sco_id, mode=body.lesson_mode, new_attempt=body.new_attempt
    )
    return ok(launch_item(opened, request, launchcodes.content_key(svc.db, me.user_id, opened)), list(opened.warnings))


def _content_origin(request: Request) -> str:
    """The content origin; "" (paths on this server) when none is configured."""
    try:
        return origins(services(request).settings, request).content
    except NoContentOrigin:
        return ""


# The largest integer a JavaScript number (the player's counter) holds
# exactly; the column is a 64-bit integer.
MAX_SEQ = 2**53 - 1


class CommitBody(Body):
    seq: Int = Field(ge=1, le=MAX_SEQ, description=f"above the stored commit_seq, by at most {runtime.MAX_SEQ_STEP}")
    values: dict[Str, Str] = Field(
        default_factory=dict, max_length=10_000, json_schema_extra={"example": CMI_VALUES_EXAMPLE}
    )
    finish: Bool = False
    leave: Bool = False


@router.post("/Commit", name="commit", responses=answers(CommitResponse, 404, *PROTECTED, bodies={409: StaleCommitResponse}))
@launch_token
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
