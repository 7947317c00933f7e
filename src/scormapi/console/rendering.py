"""What every console page is rendered with: its templates and the
headers the learner pages send (no frame, no script, no caching)."""
from __future__ import annotations

from pathlib import Path

from fastapi import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from scormapi.cmi.scorm12.timespan import format_timespan
from scormapi.ops.edits import iso_utc
from scormapi.player.rendering import PAGE_HEADERS

HERE = Path(__file__).parent
STATIC = HERE / "static"
templates = Jinja2Templates(directory=str(HERE / "templates"))


def timespan(seconds: float | None) -> str:
    """Time as GetAssignmentStatus shows it: a CMITimespan, to the centisecond."""
    return format_timespan(round((seconds or 0) * 100))


def when(moment) -> str:
    """A date-time in UTC, to the second, or a dash."""
    text = iso_utc(moment)
    return text[:19].replace("T", " ") + " UTC" if text else "–"


def score(value: float | None) -> str:
    if value is None:
        return "–"
    return str(int(value)) if float(value).is_integer() else str(value)


templates.env.filters["timespan"] = timespan
templates.env.filters["when"] = when
templates.env.filters["score"] = score


def page(request: Request, name: str, context: dict, status: int = 200) -> Response:
    return templates.TemplateResponse(request, name, context, status_code=status, headers=PAGE_HEADERS)
