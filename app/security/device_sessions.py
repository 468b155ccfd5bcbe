"""Server-side sessions, one row per signed-in browser, so signing out really ends a session (ASVS 3.3.1).

The session cookie and the remember-me cookie both carry the row's key (Flask-Login's user id is
"id:session_version:key"); the user loader accepts a cookie only while its row is live. Logout ends this device's
row; "sign out everywhere" ends all of them. A patient's phone stays signed in for REMEMBER_DAYS (30) after
signing in; clinic staff rows last STAFF_SESSION_HOURS (12) at most, on top of the 30-minute idle limit.
"""
import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlmodel import Session, select, update

from app.models import DeviceSession, Role, User


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def lifetime(role: Role, config) -> timedelta:
    """How long a sign-in lasts at most: a patient's phone a month, a staff browser one working day."""
    if role == Role.patient:
        return config["REMEMBER_COOKIE_DURATION"]
    return timedelta(hours=config.get("STAFF_SESSION_HOURS", 12))


def start(db: Session, *, user: User, at: datetime) -> str:
    """A new session row for `user` on this device; returns the key the cookies will carry."""
    key = secrets.token_urlsafe(24)
    db.add(DeviceSession(user_id=user.id, key_hash=_hash(key), created_at=at,
                         expires_at=at + lifetime(user.role, current_app.config)))
    db.flush()
    return key


def signed_in_user(db: Session, *, user_id: int, version: int, key: str, at: datetime) -> User | None:
    """The active user whose live session this key names, in one query (the loader runs on every request)."""
    user = db.exec(
        select(User)
        .join(DeviceSession, DeviceSession.user_id == User.id)
        .where(User.id == user_id, DeviceSession.key_hash == _hash(key), DeviceSession.ended_at.is_(None),
               DeviceSession.expires_at > at)
    ).first()
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def end(db: Session, *, key: str, at: datetime) -> None:
    """End one device's session (logout)."""
    db.exec(update(DeviceSession).where(DeviceSession.key_hash == _hash(key), DeviceSession.ended_at.is_(None))
            .values(ended_at=at))


def end_all(db: Session, *, user_id: int, at: datetime) -> int:
    """End every live session of the user ("sign out everywhere"); returns how many were live."""
    result = db.exec(update(DeviceSession).where(DeviceSession.user_id == user_id, DeviceSession.ended_at.is_(None),
                                                 DeviceSession.expires_at > at).values(ended_at=at))
    return result.rowcount


def parse_cookie_id(value: str) -> tuple[int, int, str] | None:
    """(user id, session version, device key) from Flask-Login's "id:version:key", else None."""
    raw_id, version, key = (value.split(":", 2) + ["", ""])[:3]
    if not raw_id.isdigit() or not version.isdigit() or not key or len(raw_id) > 10 or len(version) > 10:
        return None
    return int(raw_id), int(version), key
