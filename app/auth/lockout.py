"""Temporary lockout after repeated failed sign-ins, per account and per address (OWASP ASVS 2.2.1).

Five failures within 15 minutes lock the email for 15 minutes from the fifth; many more failures from one
address (across any emails: credential stuffing) pause that address the same way. Failures are rows in the
database, so every gunicorn worker sees them; unknown emails are counted the same way, so the answer never
reveals whether an account exists. A success clears the account's failures but not the address's, so an attacker
cannot reset the count by signing in to an account of their own now and then.
"""
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, delete, select

from app.models import LoginFailure


@dataclass(frozen=True)
class LockoutRule:
    failures: int = 5
    window: timedelta = timedelta(minutes=15)
    lock_for: timedelta = timedelta(minutes=15)


def locked_until(recent_failures: list[datetime], rule: LockoutRule) -> datetime | None:
    """When the lock ends, given failure instants newest first; None if `rule.failures` didn't fall in one window."""
    if len(recent_failures) < rule.failures:
        return None
    newest, oldest = recent_failures[0], recent_failures[rule.failures - 1]
    if newest - oldest > rule.window:
        return None
    return newest + rule.lock_for


def account_key(email: str) -> str:
    return hashlib.sha256(("login:" + email.strip().lower()).encode()).hexdigest()


def address_key(address: str | None) -> str:
    return hashlib.sha256(("address:" + (address or "unknown")).encode()).hexdigest()


def _recent(db: Session, key: str, rule: LockoutRule) -> list[datetime]:
    return list(
        db.exec(
            select(LoginFailure.failed_at)
            .where(LoginFailure.account_key == key)
            .order_by(LoginFailure.failed_at.desc())
            .limit(rule.failures)
        )
    )


def lock_ends_at(db: Session, key: str, *, now: datetime, rule: LockoutRule) -> datetime | None:
    """The end of the current lock on this key (account_key or address_key), or None when sign-in may be tried."""
    until = locked_until(_recent(db, key, rule), rule)
    return until if until is not None and until > now else None


def record_failure(db: Session, keys: dict[str, LockoutRule], *, now: datetime) -> None:
    """Count a failure against each key and drop that key's failures too old to matter under its rule."""
    for key, rule in keys.items():
        db.exec(delete(LoginFailure).where(
            LoginFailure.account_key == key, LoginFailure.failed_at < now - rule.window - rule.lock_for))
        db.add(LoginFailure(account_key=key, failed_at=now))
    db.flush()


def clear_failures(db: Session, key: str) -> None:
    db.exec(delete(LoginFailure).where(LoginFailure.account_key == key))
    db.flush()
