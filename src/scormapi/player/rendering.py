"""What every player page is rendered with: the templates, the headers
they share, and JSON fit for a <script> element."""
from __future__ import annotations

from pathlib import Path

import orjson
from fastapi import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

HERE = Path(__file__).parent
STATIC = HERE / "static"
templates = Jinja2Templates(directory=str(HERE / "templates"))

# Main-origin pages never belong in any frame, not even the content origin's.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def page(request: Request, name: str, context: dict, status: int = 200, headers: dict | None = None) -> Response:
    return templates.TemplateResponse(request, name, context, status_code=status, headers=headers or PAGE_HEADERS)


def script_json(value) -> str:
    """JSON safe inside a <script> element: no "</script>" or "<!--" can form."""
    text = orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
