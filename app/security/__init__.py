"""Cross-cutting protections: response headers, request ids and logs, session lifetimes, fresh sign-in."""
from flask import Flask

from app.security import content, headers, request_log, sessions


def init_app(app: Flask) -> None:
    request_log.init_app(app)
    headers.init_app(app)
    content.init_app(app)
    sessions.init_app(app)
