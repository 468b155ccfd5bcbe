"""One structured JSON log line per request, with no PHI: no bodies, no query strings, no ids from URLs.

The route pattern (``/patients/<int:patient_id>``) is logged, not the path, so tokens in invite, reset and
calendar links never reach the logs. Each request gets an id, returned in ``X-Request-ID`` and shown on error
pages, so a patient's report can be matched to the log line without them describing what they typed.
"""
import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, g, request
from flask_login import current_user

logger = logging.getLogger("app.requests")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id() -> str:
    return g.get("request_id", "")


def _start() -> None:
    """Accept a well-formed X-Request-ID from the proxy in front of us, else make one."""
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _user_fields() -> dict:
    if "_login_user" in g and current_user.is_authenticated:
        return {"user_id": current_user.id, "role": str(current_user.role)}
    return {"user_id": None, "role": None}


def log_event(event: str, level: int = logging.INFO, **fields) -> None:
    """A JSON line with the request id and user; callers pass only ids, codes and counts, never free text."""
    record = {"event": event, "request_id": request_id(), **_user_fields(), **fields}
    logger.log(level, json.dumps(record, default=str, separators=(",", ":")))


def _finish(response: Response) -> Response:
    response.headers["X-Request-ID"] = request_id()
    if request.endpoint != "static":
        log_event(
            "request",
            method=request.method,
            endpoint=request.endpoint,
            route=request.url_rule.rule if request.url_rule else None,
            status=response.status_code,
            duration_ms=round((time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000, 1),
        )
    return response


def _log_exception(exc_info) -> None:
    """Replaces Flask's default, which writes the full path (with link tokens) into the log."""
    log_event(
        "error",
        logging.ERROR,
        method=request.method,
        endpoint=request.endpoint,
        exception=exc_info[0].__name__ if exc_info and exc_info[0] else None,
    )
    logger.error("traceback request_id=%s", request_id(), exc_info=exc_info)


def init_app(app: Flask) -> None:
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = True
    app.log_exception = _log_exception
    app.before_request(_start)
    app.after_request(_finish)
    app.context_processor(lambda: {"request_id": request_id()})
