"""Secrets never reach the access log.

Tokens are stored only as hashes, so a log line holding one in clear would
undo that. uvicorn's access log writes each request's path and query as it
came; this filter rewrites that argument before the line is formatted: the
value of every ``access_token`` parameter, and the path segment after
``/run/`` (a single-use launch code) and ``/content/`` (the key that opens
one attempt's package files), become ``[redacted]``.

(The logging packages that offer regex redaction on PyPI are 0.0.x
releases with a single author; the rule here is two regular expressions.)
"""
from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
_QUERY_TOKEN = re.compile(r"(?i)([?&](?:access_token|access%5Ftoken)=)[^&#\s]*")
_PATH_SECRET = re.compile(r"(/(?:run|content)/)[^/?#\s]+")


def redact(target: str) -> str:
    target = _QUERY_TOKEN.sub(lambda m: m.group(1) + REDACTED, target)
    return _PATH_SECRET.sub(lambda m: m.group(1) + REDACTED, target)


class RedactSecrets(logging.Filter):
    """For uvicorn's access logger: args are (client, method, path and
    query, HTTP version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact(args[2]), *args[3:])
        return True


def install(logger_name: str = "uvicorn.access") -> None:
    """Once per process, however many apps are built."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, RedactSecrets) for f in logger.filters):
        logger.addFilter(RedactSecrets())
