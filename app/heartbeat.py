"""The clock's heartbeat: each delivery cycle records the time in the database (the clock may run on another
machine than the web nodes), and /healthz reports its age, so a stopped or stuck clock is visible to monitoring
before patients notice missing reminders."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask
from sqlmodel import Session

from app.db import get_db
from app.models.clock import ClockHeartbeat
from app.models.types import utcnow

CLOCK = "clock"
STALE_AFTER_CYCLES = 4
"""Missed delivery cycles before the clock counts as stale (a cycle may run long while a push service is slow)."""
MIN_STALE_AFTER = timedelta(minutes=2)


def record(db: Session, *, now: datetime, name: str = CLOCK) -> None:
    """Overwrite the heartbeat; one clock runs per database (its lock), so there is no race for the row."""
    beat = db.get(ClockHeartbeat, name)
    if beat is None:
        db.add(ClockHeartbeat(name=name, beat_at=now))
    else:
        beat.beat_at = now


def beat(app: Flask) -> None:
    """The scheduler's delivery job calls this once per cycle, in its own transaction."""
    with app.app_context():
        db = get_db()
        record(db, now=utcnow())
        db.commit()


@dataclass(frozen=True)
class ClockHealth:
    status: str  # "ok", "stale" or "never" (no heartbeat recorded in this database)
    age: timedelta | None

    def as_json(self) -> dict:
        age = None if self.age is None else round(self.age.total_seconds(), 1)
        return {"status": self.status, "heartbeat_age_seconds": age}


def stale_after(delivery_seconds: int) -> timedelta:
    return max(MIN_STALE_AFTER, timedelta(seconds=delivery_seconds * STALE_AFTER_CYCLES))


def clock_health(last_beat: datetime | None, *, now: datetime, stale_after: timedelta) -> ClockHealth:
    """Pure rule: how old the heartbeat is and whether that is too old."""
    if last_beat is None:
        return ClockHealth("never", None)
    age = max(now - last_beat, timedelta(0))
    return ClockHealth("ok" if age <= stale_after else "stale", age)


def last_beat(db: Session, name: str = CLOCK) -> datetime | None:
    beat_row = db.get(ClockHeartbeat, name)
    return None if beat_row is None else beat_row.beat_at
