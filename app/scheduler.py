"""The clock process (`flask --app app scheduler`, Procfile `clock:`): APScheduler 3.11 running our periodic jobs.

create_app never starts it, so gunicorn workers and the reloader cannot run a second copy; a lock makes sure only
one clock works against a database (PostgreSQL: a session advisory lock; SQLite: an exclusive flock on a file
beside the database, which covers the one machine SQLite serves). Jobs keep no state of their own: each selects
what is due from the database, does it and commits, so a restart or a late run loses nothing and repeats nothing.

A PostgreSQL advisory lock lives as long as its connection: a database restart or a killed backend releases it
silently, and another clock may take over. So every job first checks the lock on its own connection (and tries to
take it again if it was lost); delivery checks again before each reminder and stops the moment it is gone. Each
delivery cycle also re-queues rows left `sending` by a cycle that died with its connection (not only at start-up).
"""
import fcntl
import logging
import time as wall
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import IO

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from app import heartbeat
from app.db import get_db
from app.models.types import utcnow
from app.push.delivery import deliver_due, recover_interrupted, sender_from_config
from app.push.reminders import plan_reminders
from app.safety.routing import escalate_overdue

log = logging.getLogger(__name__)

ADVISORY_LOCK_KEY = 0x7075_7368  # "push": one clock per database
LOCK_RETRY_SECONDS = 15.0
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 15 * 60}


@dataclass(frozen=True)
class Job:
    id: str
    run: Callable[[Flask], None]
    seconds: int


def holds_lock(app: Flask) -> bool:
    """Whether this clock still holds the database's lock, re-taking it if it was lost and nobody else took it.
    Without a lock object (jobs called directly, as in tests and `--once` before start) the caller is trusted."""
    lock: SchedulerLock | None = app.extensions.get("scheduler_lock")
    if lock is None or lock.still_held():
        return True
    lock.release()
    if lock.try_acquire():
        log.warning("scheduler lock was lost (database connection dropped) and has been taken again")
        return True
    log.warning("scheduler lock was lost and another clock holds it: this clock sends nothing until it is free")
    return False


def deliver_job(app: Flask) -> None:
    """Send what is due; without VAPID keys there is nothing to send with, so say so and wait."""
    if not holds_lock(app):
        return
    heartbeat.beat(app)  # only the clock that holds the lock (the one sending) reports itself alive
    sender = app.extensions.get("push_sender")
    if sender is None:
        sender = sender_from_config(app.config, app.instance_path)
        if sender is None:
            log.warning("no VAPID key: run `flask --app app vapid-keys`; reminders stay queued until then")
            return
        app.extensions["push_sender"] = sender
    lock: SchedulerLock | None = app.extensions.get("scheduler_lock")
    with app.app_context():
        recover_interrupted(get_db(), now=utcnow())
        report = deliver_due(get_db(), sender, now=utcnow(), still_leader=lock.still_held if lock else lambda: True)
    if report.outcomes or report.skipped or report.deferred:
        log.info("push delivery: %s", report)


def plan_job(app: Flask) -> None:
    if not holds_lock(app):
        return
    with app.app_context():
        db = get_db()
        count = plan_reminders(db, now=utcnow())
        db.commit()
    if count:
        log.info("planned %s reminder(s)", count)


def escalate_job(app: Flask) -> None:
    """Safety events nobody acknowledged within the clinic's escalation time go to the safety contacts."""
    with app.app_context():
        db = get_db()
        count = escalate_overdue(db, now=utcnow())
        db.commit()
    if count:
        log.warning("escalated %s unacknowledged safety event(s) to the safety contacts", count)


def jobs(app: Flask) -> tuple[Job, ...]:
    """Every periodic job, with explicit ids (so a restarted clock replaces rather than duplicates them)."""
    return (
        Job("reminders-plan", plan_job, 10 * 60),
        Job("safety-escalate", escalate_job, 60),
        Job("push-deliver", deliver_job, app.config.get("SCHEDULER_DELIVERY_SECONDS", 30)),
    )


def build_scheduler(app: Flask, scheduler_class: type[BaseScheduler] = BlockingScheduler) -> BaseScheduler:
    scheduler = scheduler_class(timezone=UTC, job_defaults=JOB_DEFAULTS)
    for job in jobs(app):
        scheduler.add_job(job.run, "interval", seconds=job.seconds, id=job.id, args=[app], replace_existing=True,
                          next_run_time=utcnow())
    return scheduler


class SchedulerLock:
    """Held for the life of the clock process; `acquire(wait=True)` retries and logs why it is waiting."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self._file: IO[str] | None = None

    def try_acquire(self) -> bool:
        if self._engine.dialect.name == "postgresql":
            connection = self._engine.connect()
            got = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY}).scalar())
            connection.commit()
            if got:
                self._connection = connection
            else:
                connection.close()
            return got
        handle = open(self.lock_path(), "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def still_held(self) -> bool:
        """PostgreSQL: ask, on the lock's own connection, whether this session still holds the advisory lock (a
        dropped connection answers with an error, which means no). SQLite: the flock lasts as long as the file."""
        if self._engine.dialect.name != "postgresql":
            return self._file is not None
        if self._connection is None:
            return False
        try:
            held = self._connection.execute(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
                     "AND granted AND classid = 0 AND objid = :key AND objsubid = 1"),
                {"key": ADVISORY_LOCK_KEY},
            ).scalar()
            self._connection.commit()
        except SQLAlchemyError:
            return False
        return bool(held)

    def acquire(self, *, wait: bool = True, retry_seconds: float = LOCK_RETRY_SECONDS) -> bool:
        while not self.try_acquire():
            if not wait:
                return False
            log.warning("another scheduler holds the lock for this database; waiting %.0f s", retry_seconds)
            wall.sleep(retry_seconds)
        return True

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
                self._connection.close()
            except SQLAlchemyError:
                self._connection.invalidate()  # the connection died, and the lock with it
            self._connection = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def lock_path(self) -> Path:
        database = make_url(str(self._engine.url)).database or "memory"
        return Path(database).with_name(Path(database).name + ".scheduler.lock")


class SchedulerBusy(RuntimeError):
    """Another clock holds this database's lock (only raised when not waiting)."""


def run_scheduler(app: Flask, *, once: bool = False) -> None:
    """Take the lock, recover rows a crash left mid-send, then run the jobs forever (or each once)."""
    lock = SchedulerLock(app.extensions["engine"])
    if not lock.acquire(wait=not once):
        raise SchedulerBusy("another scheduler is running against this database")
    app.extensions["scheduler_lock"] = lock
    try:
        with app.app_context():
            recover_interrupted(get_db(), now=utcnow())
        if once:
            for job in jobs(app):
                job.run(app)
            return
        log.info("scheduler running (UTC): %s", ", ".join(f"{job.id} every {job.seconds}s" for job in jobs(app)))
        build_scheduler(app).start()
    finally:
        sender = app.extensions.pop("push_sender", None)
        if sender is not None:
            sender.close()
        app.extensions.pop("scheduler_lock", None)
        lock.release()
