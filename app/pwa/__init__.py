"""Installable, offline-first app: manifest, service worker, offline page, exactly-once submissions, static delivery."""
from flask import Flask

from app.pwa import idempotency, offline, static_files


def init_app(app: Flask) -> None:
    idempotency.init_app(app)
    offline.init_app(app)
    static_files.init_app(app)
