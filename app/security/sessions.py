"""Session lifetimes: clinic staff are signed out after 30 idle minutes; patients may stay signed in on their phone.

Sensitive actions (changing the password, exporting data) need a sign-in within the last few minutes
(OWASP ASVS 3.3 and 4.3; HIPAA 164.312(a)(2)(iii) automatic logoff).
"""
from datetime import datetime, timedelta

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user
from flask_babel import gettext as _

from app.models import Role
from app.models.types import utcnow

LAST_SEEN = "last_seen"
FRESH_AT = "fresh_at"
TOUCH_EVERY = timedelta(seconds=60)


def now() -> datetime:
    """The current instant; tests swap the clock through the CLOCK config key instead of sleeping."""
    return current_app.config.get("CLOCK", utcnow)()


def staff_idle_expired(last_seen: datetime | None, at: datetime, *, idle: timedelta) -> bool:
    """A staff session ends once it has been idle for longer than `idle` (30 minutes by default)."""
    return last_seen is not None and at - last_seen > idle


def login_is_recent(fresh_at: datetime | None, at: datetime, *, window: timedelta) -> bool:
    return fresh_at is not None and timedelta(0) <= at - fresh_at <= window


def _stamp(key: str) -> datetime | None:
    value = session.get(key)
    return datetime.fromtimestamp(value, tz=now().tzinfo) if isinstance(value, int | float) else None


def mark_signed_in() -> None:
    """Call right after login_user or a successful re-authentication."""
    at = now()
    session[FRESH_AT] = int(at.timestamp())
    session[LAST_SEEN] = int(at.timestamp())


def has_recent_login() -> bool:
    window = timedelta(minutes=current_app.config["FRESH_LOGIN_MINUTES"])
    return session.get("_fresh", False) and login_is_recent(_stamp(FRESH_AT), now(), window=window)


def _enforce_idle_timeout():
    if request.endpoint in {"static", None} or not current_user.is_authenticated or current_user.role == Role.patient:
        return None
    at = now()
    idle = timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES"])
    if staff_idle_expired(_stamp(LAST_SEEN), at, idle=idle):
        session.clear()
        logout_user()
        flash(_("You were signed out after %(minutes)s minutes without activity.", minutes=int(idle.total_seconds() // 60)), "info")
        return redirect(url_for("auth.login", next=request.path if request.method == "GET" else None))
    last_seen = _stamp(LAST_SEEN)
    if last_seen is None or at - last_seen >= TOUCH_EVERY:
        session[LAST_SEEN] = int(at.timestamp())
    return None


def init_app(app: Flask) -> None:
    app.before_request(_enforce_idle_timeout)
