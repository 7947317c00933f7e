"""The ASGI application: routers, the error envelope for every failure."""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from datetime import timedelta

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from scormapi import __version__
from scormapi.api.deps import Services
from scormapi.api.docs import install_docs
from scormapi.api.responses import json_response
from scormapi.api.schemas import UNSTORABLE
from scormapi.api.unexpected import INTERNAL_ERROR, UnexpectedErrors
from scormapi.auth.permissions import GrantCache
from scormapi.auth.tokens import TokenCache
from scormapi.config import Settings, get_settings
from scormapi.errors import HTTP_STATUS, ErrorCode, ServiceError, envelope
from scormapi.player.session import SessionCookieGuard
from scormapi.store import courseware, housekeeping
from scormapi.store.db import Database
from scormapi.web import accesslog
from scormapi.web.address import AddressText
from scormapi.web.bodylimit import BodyLimit
from scormapi.web.origins import OriginSplit

log = logging.getLogger("scormapi")


def _field_name(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query")]
    return ".".join(parts) or "body"


def _validation_message(exc: RequestValidationError) -> str:
    problems = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            problems.append("body: not valid JSON")
        elif err.get("type") == UNSTORABLE:
            # The message names each field already.
            problems.append(err.get("msg"))
        elif err.get("type") == "extra_forbidden":
            problems.append(f"{_field_name(tuple(err.get('loc', ())))}: unknown field")
        elif err.get("type") == "missing" and tuple(err.get("loc", ())) == ("body",):
            problems.append("body: a JSON object is required")
        else:
            problems.append(f"{_field_name(tuple(err.get('loc', ())))}: {err.get('msg')}")
    return "Invalid request: " + "; ".join(problems)


class ScormApiApp(FastAPI):
    """FastAPI with ``UnexpectedErrors`` around everything, middleware included."""

    def build_middleware_stack(self):
        return UnexpectedErrors(super().build_middleware_stack())


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _api_error(_: Request, exc: ServiceError):
        return json_response(exc.body(), HTTP_STATUS[exc.code])

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError):
        body = {"api_error_entity": envelope(ErrorCode.VALIDATION_ERROR, _validation_message(exc))}
        return json_response(body, 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException):
        code = ErrorCode.ITEM_NOT_FOUND if exc.status_code == 404 else ErrorCode.VALIDATION_ERROR
        # The contract has no 400: a request it cannot read (FastAPI's "error
        # parsing the body" for bytes that are not UTF-8, say) is a 422 like
        # any other malformed request.
        status = 422 if exc.status_code == 400 else exc.status_code
        body = {"api_error_entity": envelope(code, str(exc.detail))}
        return json_response(body, status, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception):
        # Starlette's last handler: it answers, then re-raises for
        # ``UnexpectedErrors``, which logs the error and keeps the connection.
        return json_response(INTERNAL_ERROR, 500)


@asynccontextmanager
async def lifespan(app: FastAPI):
    """Sync endpoints run in anyio's thread pool, 40 threads by default. Past
    a few, threads only queue for the GIL and the database, and each switch
    costs CPU: more threads serve fewer requests per second. Housekeeping
    runs beside the requests for as long as the app does."""
    services = app.state.services
    limiter = anyio.to_thread.current_default_thread_limiter()
    limiter.total_tokens = services.settings.request_threads
    # Imports a killed process left half-extracted go at start, and hourly.
    await anyio.to_thread.run_sync(_remove_staging, services)
    async with anyio.create_task_group() as tasks:
        if services.settings.housekeeping_seconds > 0:
            tasks.start_soon(_housekeeping, services)
        yield
        tasks.cancel_scope.cancel()


async def _housekeeping(services: Services) -> None:
    """``housekeeping.prune`` every ``housekeeping_seconds``. Every worker
    runs it; the deletes are idempotent, so they need no coordination."""
    keep = timedelta(days=services.settings.spent_token_days)

    def prune_once() -> None:
        with services.db.write() as session:
            pruned = housekeeping.prune(session, keep)
        if pruned.tokens or pruned.throttle_rows:
            log.info("housekeeping: %d spent tokens, %d stale sign-in counts deleted", pruned.tokens, pruned.throttle_rows)
        _remove_staging(services)

    while True:
        await anyio.sleep(services.settings.housekeeping_seconds)
        try:
            await anyio.to_thread.run_sync(prune_once)
        except Exception:
            # A busy or unreachable database must not stop the server; the
            # next round tries again.
            log.exception("housekeeping failed")


def _remove_staging(services: Services) -> None:
    removed = courseware.remove_abandoned_staging(services.settings.packages_dir)
    if removed:
        log.info("housekeeping: %d abandoned import folders removed", len(removed))


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    db = db or Database(settings.database_url_resolved)
    app = ScormApiApp(title="scormapi", version=__version__, description="SCORM records service (NexPort ScormApi compatible)",
                      lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.services = Services(
        settings=settings,
        db=db,
        tokens=TokenCache(settings.auth_cache_seconds),
        grants=GrantCache(settings.auth_cache_seconds),
    )
    install_error_handlers(app)
    from scormapi.api.courseware import UPLOAD_PATH
    from scormapi.console.library import IMPORT_PATH

    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, streamed_paths=[UPLOAD_PATH, IMPORT_PATH])
    app.add_middleware(AddressText)
    accesslog.install()
    # Course content's origin serves only its own few paths; the main one never those.
    app.add_middleware(SessionCookieGuard)
    app.add_middleware(OriginSplit, settings=settings)
    install_docs(app)
    from scormapi.api import routers

    for router in routers.all_routers():
        app.include_router(router)
    return app
