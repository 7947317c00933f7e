"""The contract's error table, its envelope, and the error every layer raises.

Every response carries ``api_error_entity``; an error response is only that
(NexPort's ``ApiResponseBase``). NexPort does not publish its numbers, so
these are ours; they never change meaning once released (see README).

This is the bottom layer: it imports nothing of the package, so ``cmi``,
``store``, ``packages`` and the HTTP faces can all raise ``ServiceError``.
Each code's HTTP status is part of the contract's table (``HTTP_STATUS``);
the error itself knows nothing of HTTP.
"""
from __future__ import annotations

from enum import IntEnum


class ErrorCode(IntEnum):
    NO_ERROR = 0
    UNKNOWN_ERROR = 1
    VALIDATION_ERROR = 2
    AUTHENTICATION_ERROR = 3
    NOT_AUTHORIZED = 4
    ITEM_NOT_FOUND = 5
    CONCURRENCY_CONFLICT = 6
    TOO_MANY_ATTEMPTS = 7
    ALREADY_EXISTS = 8
    INVALID_PACKAGE = 9
    STALE_COMMIT = 10
    REQUEST_TOO_LARGE = 11
    IN_USE = 12
    NO_ATTEMPTS_LEFT = 13


HTTP_STATUS = {
    ErrorCode.UNKNOWN_ERROR: 500,
    ErrorCode.VALIDATION_ERROR: 422,
    ErrorCode.AUTHENTICATION_ERROR: 403,
    ErrorCode.NOT_AUTHORIZED: 403,
    ErrorCode.ITEM_NOT_FOUND: 409,
    ErrorCode.CONCURRENCY_CONFLICT: 409,
    ErrorCode.TOO_MANY_ATTEMPTS: 403,
    ErrorCode.ALREADY_EXISTS: 409,
    ErrorCode.INVALID_PACKAGE: 422,
    ErrorCode.STALE_COMMIT: 409,
    ErrorCode.REQUEST_TOO_LARGE: 413,
    ErrorCode.IN_USE: 409,
    ErrorCode.NO_ATTEMPTS_LEFT: 409,
}


def envelope(code: int = 0, message: str | None = None, warnings: list[str] | None = None) -> dict:
    entity: dict = {"error_code": int(code), "error_message": message, "warning_messages": warnings or []}
    if code == 0 and message is None:
        # NexPort's success shape leaves error_message out.
        del entity["error_message"]
    return entity


class ServiceError(Exception):
    """Raised by any layer; each HTTP face renders it as the envelope with
    the status ``HTTP_STATUS`` gives its code."""

    def __init__(self, code: ErrorCode, message: str, warnings: list[str] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.warnings = warnings or []

    def body(self) -> dict:
        return {"api_error_entity": envelope(self.code, self.message, self.warnings)}


def unauthenticated() -> ServiceError:
    return ServiceError(ErrorCode.AUTHENTICATION_ERROR, "Unable to authenticate")


def not_authorized(what: str) -> ServiceError:
    return ServiceError(ErrorCode.NOT_AUTHORIZED, f"Not authorized to {what}")


def not_found(kind: str, ident: object) -> ServiceError:
    return ServiceError(ErrorCode.ITEM_NOT_FOUND, f"{kind} {ident} was not found")


def invalid(problems: list[str]) -> ServiceError:
    """A 422 naming every bad field at once."""
    return ServiceError(ErrorCode.VALIDATION_ERROR, "Invalid request: " + "; ".join(problems))
