"""``/docs`` served from this server, and the OpenAPI document's security.

Swagger UI's files come from the ``fastapi-offline`` package rather than a
CDN, so the documentation works on a machine without internet access.
"""
from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.requests import Request
from starlette.staticfiles import StaticFiles

ASSETS = "/docs/assets"
SWAGGER_FILES = files("fastapi_offline") / "static"

# Every operation takes a token either way unless it declares ``PUBLIC``.
SECURITY_SCHEMES = {
    "access_token": {
        "type": "apiKey", "in": "query", "name": "access_token",
        "description": "a token from AdminApi/Authenticate (NexPort's form); the player's commits take a launch token",
    },
    "bearer": {"type": "http", "scheme": "bearer", "description": "the same token as `Authorization: Bearer`"},
}
TOKEN_REQUIRED = [{"access_token": []}, {"bearer": []}]
PUBLIC = {"security": []}


def install_docs(app: FastAPI) -> None:
    app.mount(ASSETS, StaticFiles(directory=str(SWAGGER_FILES)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request):
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title=f"{app.title} - API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon.png",
            # The validator badge would call an outside service. The token
            # typed into "Authorize" is not kept in the browser's storage.
            swagger_ui_parameters={"validatorUrl": None},
        )
        # "Try it out" with an administrator's token must not be clickable
        # through another site's frame.
        page.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
        page.headers["X-Frame-Options"] = "DENY"
        return page

    build = app.openapi

    def openapi() -> dict:
        # Operations that take no token say so with openapi_extra=PUBLIC
        # (ValidateAccessToken skips TokenFirst's check, yet takes a token).
        return with_security(build())

    app.openapi = openapi  # type: ignore[method-assign]


def with_security(document: dict) -> dict:
    document.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
    document["security"] = TOKEN_REQUIRED
    return document
