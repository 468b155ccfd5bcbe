"""Exactly-once create POSTs: a client-chosen key (header or hidden field) makes a replay return the first outcome.

The key row is added by a before_commit hook, so it is committed in the same transaction as the entry: a crash
between them cannot leave an entry without its key (which a retry would store twice). Views this wraps commit
only on success, once.
"""
import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from functools import wraps

from flask import Flask, g, has_request_context, make_response, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.db import get_db
from app.models.pwa import SubmissionKey
from app.models.types import utcnow

HEADER = "Idempotency-Key"
FIELD = "idempotency_key"
KEY_PATTERN = re.compile(r"[A-Za-z0-9-]{8,64}")


KEY_REUSED = (
    "This entry could not be saved: its key was already used for a different entry, which was kept as it was. "
    "Please open the form and enter this one again."
)


@dataclass(frozen=True)
class PendingKey:
    user_id: int
    key: str
    endpoint: str
    fingerprint: str


def request_fingerprint() -> str:
    """What was submitted, for comparing a repeat: the path and every field except the CSRF token and the key."""
    fields = sorted((name, value) for name, value in request.form.items(multi=True) if name not in {"csrf_token", FIELD})
    return hashlib.sha256(json.dumps([request.path, fields], ensure_ascii=False).encode()).hexdigest()


def new_key() -> str:
    """For the hidden field: a fresh key on GET; the submitted one again on a re-rendered POST."""
    submitted = request.form.get(FIELD, "") if request.method == "POST" else ""
    return submitted if KEY_PATTERN.fullmatch(submitted) else str(uuid.uuid4())


def _requested_key() -> str | None:
    raw = request.headers.get(HEADER) or request.form.get(FIELD) or ""
    return raw.strip() or None


def _stored(db: Session, user_id: int, key: str) -> SubmissionKey | None:
    return db.exec(select(SubmissionKey).where(SubmissionKey.user_id == user_id, SubmissionKey.key == key)).first()


def _replay(row: SubmissionKey):
    """The first submission's outcome: the page it went on to (303 See Other), with nothing run or stored."""
    response = redirect(row.location or url_for("today.index"), 303)
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _replay_or_refuse(row: SubmissionKey, fingerprint: str):
    """A true repeat replays the first outcome; the same key with a different body would silently drop the second
    entry behind a "saved", so it is refused with 422 and a message the outbox shows (rows from before the
    fingerprint was kept replay as before)."""
    if row.fingerprint is not None and row.fingerprint != fingerprint:
        return KEY_REUSED, 422, {"Content-Type": "text/plain; charset=utf-8"}
    return _replay(row)


def idempotent(view):
    """Place directly under @bp.route (above the role check), so a signed-out sync gets 401, not the login page."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        key = _requested_key() if request.method == "POST" else None
        if key is None:
            return view(*args, **kwargs)
        if not current_user.is_authenticated:
            if HEADER in request.headers:
                return "Sign in again to send this entry.", 401
            return view(*args, **kwargs)
        if not KEY_PATTERN.fullmatch(key):
            return "The idempotency key must be 8 to 64 letters, digits or dashes.", 400
        db = get_db()
        fingerprint = request_fingerprint()
        if (row := _stored(db, current_user.id, key)) is not None:
            return _replay_or_refuse(row, fingerprint)
        g.idempotency_pending = PendingKey(current_user.id, key, request.endpoint or "", fingerprint)
        try:
            response = view(*args, **kwargs)
        except IntegrityError:
            db.rollback()
            if (row := _stored(db, current_user.id, key)) is not None:
                return _replay_or_refuse(row, fingerprint)  # a concurrent request committed first
            raise
        finally:
            g.pop("idempotency_pending", None)
        return _remember_outcome(db, key, response)

    return wrapped


def commit_before_outcome(db: Session) -> None:
    """Commit work that must survive whatever the rest of the request does (a safety event), keeping the
    submission's idempotency key back for the entry's own commit: a form sent back for a missing answer can
    then be sent again with the same key and still be stored."""
    pending = g.pop("idempotency_pending", None)
    try:
        db.commit()
    finally:
        if pending is not None:
            g.idempotency_pending = pending


def submitted_key() -> str | None:
    """This POST's idempotency key (header or hidden field) when it is well formed."""
    key = _requested_key() if has_request_context() and request.method == "POST" else None
    return key if key and KEY_PATTERN.fullmatch(key) else None


def _remember_outcome(db: Session, key: str, response):
    """After the entry and its key are committed, note where the first submission went, for replays."""
    response = make_response(response)
    if g.pop("idempotency_committed", None) != key or response.status_code >= 400:
        return response
    row = _stored(db, current_user.id, key)
    if row is not None:
        row.status_code = response.status_code
        row.location = (response.headers.get("Location") or "")[:500] or None
        db.commit()
    return response


def _add_pending_key(session: Session) -> None:
    """Only on the request's real commit: releasing a SAVEPOINT (begin_nested) fires before_commit too."""
    if not has_request_context() or g.get("db") is not session or session.in_nested_transaction():
        return
    pending: PendingKey | None = g.pop("idempotency_pending", None)
    if pending is None:
        return
    session.add(SubmissionKey(user_id=pending.user_id, key=pending.key, endpoint=pending.endpoint,
                              fingerprint=pending.fingerprint, created_at=utcnow()))
    g.idempotency_committed = pending.key


def init_app(app: Flask) -> None:
    if not event.contains(Session, "before_commit", _add_pending_key):
        event.listen(Session, "before_commit", _add_pending_key)
    app.add_template_global(new_key, "idempotency_key")
