"""Log records as JSON lines (`LOG_FORMAT=json`), each carrying the id of the request it was
written for.

The id of the request being answered is kept in a context variable, set by the request id
middleware (newsroom/requestid.py) for as long as the request runs; `RequestIdFilter` copies it
onto every record, whichever logger wrote it, and `JsonFormatter` writes each record as one
line: a log collector can parse every line on its own and find all of one request's lines by
its id.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

# Empty outside a request (a management command, a worker between jobs).
request_id: ContextVar[str] = ContextVar("request_id", default="")

# What every record has; anything else on a record was given with `extra=` and is kept.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


def record_request_id(record: logging.LogRecord) -> str:
    """The id of the request a record was written for: the one being answered, or the one of
    the request the record names — Django logs a 4xx or 5xx answer (`django.request`, with the
    request in `extra`) after the last middleware has returned, outside the request's
    context."""
    return (
        getattr(record, "request_id", "")
        or request_id.get()
        or getattr(getattr(record, "request", None), "request_id", "")
    )


class RequestIdFilter(logging.Filter):
    """Puts the request's id on each record (empty outside a request), so that a text format
    may show `%(request_id)s` too."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = record_request_id(record)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line: `time` (UTC), `level`, `logger`, `message`,
    `request_id` when there is one, the record's `extra` fields, and `exception` with the
    traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        current = record_request_id(record)
        if current:
            entry["request_id"] = current
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # `default=str`: an `extra` value that JSON cannot hold (Django's `request`) is written
        # as its text rather than losing the line.
        return json.dumps(entry, default=str, ensure_ascii=False)
