"""Every API area's router, in one list the app mounts."""
from __future__ import annotations

import importlib

from fastapi import APIRouter

# One module per API area; each defines ``router``.
AREAS = (
    "scormapi.api.admin",
    "scormapi.api.learning",
    "scormapi.api.courseware",
    "scormapi.api.scorm",
    "scormapi.api.attempts",
    "scormapi.api.audit_log",
    "scormapi.api.export",
    "scormapi.api.runtime",
    "scormapi.player.pages",
    "scormapi.console.pages",
    "scormapi.console.people",
    "scormapi.console.teaching",
    "scormapi.console.library",
)


def all_routers() -> list[APIRouter]:
    return [importlib.import_module(name).router for name in AREAS]
