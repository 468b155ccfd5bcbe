"""The clock process (`flask --app app scheduler`, Procfile `clock:`): APScheduler 3.11 running our periodic jobs.

create_app never starts it, so gunicorn workers and the reloader cannot run a second copy; a lock makes sure only
one clock works against a database (PostgreSQL: a session advisory lock; SQLite: an exclusive flock on a file
beside the database, which covers the one machine SQLite serves). Jobs keep no state of their own: each selects
what is due from the database, does it and commits, so a restart or a late run loses nothing and repeats nothing.
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

from app import heartbeat
from app.db import get_db
from app.models.types import utcnow
from app.push.delivery import deliver_due, recover_interrupted, sender_from_config
from app.push.reminders import plan_reminders

log = logging.getLogger(__name__)

ADVISORY_LOCK_KEY = 0x7075_7368  # "push": one clock per database
LOCK_RETRY_SECONDS = 15.0
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 15 * 60}


@dataclass(frozen=True)
class Job:
    id: str
    run: Callable[[Flask], None]
    seconds: int


def deliver_job(app: Flask) -> None:
    """Send what is due; without VAPID keys there is nothing to send with, so say so and wait."""
    heartbeat.beat(app)
    sender = app.extensions.get("push_sender")
    if sender is None:
        sender = sender_from_config(app.config, app.instance_path)
        if sender is None:
            log.warning("no VAPID key: run `flask --app app vapid-keys`; reminders stay queued until then")
            return
        app.extensions["push_sender"] = sender
    with app.app_context():
        report = deliver_due(get_db(), sender, now=utcnow())
    if report.outcomes or report.skipped or report.deferred:
        log.info("push delivery: %s", report)


def plan_job(app: Flask) -> None:
    with app.app_context():
        db = get_db()
        count = plan_reminders(db, now=utcnow())
        db.commit()
    if count:
        log.info("planned %s reminder(s)", count)


def jobs(app: Flask) -> tuple[Job, ...]:
    """Every periodic job, with explicit ids (so a restarted clock replaces rather than duplicates them)."""
    return (
        Job("reminders-plan", plan_job, 10 * 60),
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

    def acquire(self, *, wait: bool = True, retry_seconds: float = LOCK_RETRY_SECONDS) -> bool:
        while not self.try_acquire():
            if not wait:
                return False
            log.warning("another scheduler holds the lock for this database; waiting %.0f s", retry_seconds)
            wall.sleep(retry_seconds)
        return True

    def release(self) -> None:
        if self._connection is not None:
            self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
            self._connection.close()
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
        lock.release()
