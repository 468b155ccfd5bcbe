"""The clock after a database connection drop (issue 19, finding 5): a reminder left `sending` by a cycle that died
with its connection is sent on the next cycle, not only after a restart; the lock is checked every cycle and
before every reminder, and a clock that lost it stops sending while the clock that took it over sends."""
import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from app import create_app
from app.models.push import Notification, NotificationStatus, ReminderKind
from app.models.types import utcnow
from app.push import texts
from app.push.reminders import queue_notification
from app.scheduler import SchedulerLock, deliver_job
from tests.push.test_reminder_delivery import subscribe
from tests.support.fake_push import Reply


def _queue(db, user, count: int = 1):
    now = utcnow()
    for number in range(count):
        queue_notification(db, user=user, kind=ReminderKind.test, occurrence_key=f"test:{number}",
                           text=texts.device_check(), url="/today", due_at=now)
    db.commit()


def _statuses(db) -> list[NotificationStatus]:
    db.expire_all()
    return [n.status for n in db.exec(select(Notification).order_by(Notification.id))]


def _clock_app(app, sender, database_url):
    clock = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key"})
    clock.extensions["push_sender"] = sender
    return clock


def _postgres_only(app):
    if app.extensions["engine"].dialect.name != "postgresql":
        pytest.skip("advisory locks and killed backends are PostgreSQL's; SQLite's flock cannot be lost this way")


def test_a_reminder_stuck_sending_is_sent_on_the_next_cycle_without_a_restart(app, db, patient, fake_push, sender):
    subscribe(db, patient, fake_push, "/push/phone")
    _queue(db, patient)
    row = db.exec(select(Notification)).one()
    row.status = NotificationStatus.sending  # claimed by a cycle whose database connection then dropped
    db.commit()
    app.extensions["push_sender"] = sender
    deliver_job(app)
    assert _statuses(db) == [NotificationStatus.sent]
    assert len(fake_push.requests_to("/push/phone")) == 1


def test_killing_the_database_connections_mid_send_loses_nothing(app, db, patient, fake_push, sender, database_url):
    _postgres_only(app)
    subscribe(db, patient, fake_push, "/push/phone")
    fake_push.program("/push/phone", Reply(201, delay=1.0), 201)
    _queue(db, patient)
    clock = _clock_app(app, sender, database_url)
    failures = []

    def run_cycle():
        try:
            deliver_job(clock)
        except OperationalError as error:  # the cycle dies with its connection, as in production
            failures.append(error)

    cycle = threading.Thread(target=run_cycle)
    cycle.start()
    time.sleep(0.5)  # the request is with the push service; the database restarts
    with app.extensions["engine"].connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        admin.commit()
    cycle.join(timeout=30)
    assert failures and _statuses(db) == [NotificationStatus.sending]
    clock.extensions["engine"].dispose()
    deliver_job(clock)  # the next cycle, same process
    assert _statuses(db) == [NotificationStatus.sent]
    clock.extensions["engine"].dispose()


def _backend_pid(lock: SchedulerLock) -> int:
    return lock._connection.execute(text("SELECT pg_backend_pid()")).scalar()


def _kill(app, pid: int) -> None:
    with app.extensions["engine"].connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        admin.commit()


def test_two_clocks_only_the_lock_holder_sends_after_the_first_loses_its_connection(app, db, patient, fake_push,
                                                                                  sender, database_url):
    _postgres_only(app)
    subscribe(db, patient, fake_push, "/push/phone")
    _queue(db, patient)
    first, second = _clock_app(app, sender, database_url), _clock_app(app, sender, database_url)
    first_lock, second_lock = SchedulerLock(first.extensions["engine"]), SchedulerLock(second.extensions["engine"])
    try:
        assert first_lock.try_acquire() and not second_lock.try_acquire()
        first.extensions["scheduler_lock"], second.extensions["scheduler_lock"] = first_lock, second_lock
        _kill(app, _backend_pid(first_lock))  # the database dropped the first clock's lock connection
        assert not first_lock.still_held()
        assert second_lock.try_acquire()  # the second clock, waiting for the lock, takes over
        deliver_job(first)
        assert fake_push.request_count == 0 and _statuses(db) == [NotificationStatus.pending]
        deliver_job(second)
        assert fake_push.request_count == 1 and _statuses(db) == [NotificationStatus.sent]
    finally:
        first_lock.release()
        second_lock.release()
        first.extensions["engine"].dispose()
        second.extensions["engine"].dispose()


def test_a_clock_stops_sending_the_moment_its_lock_is_gone(app, db, patient, fake_push, sender, database_url):
    _postgres_only(app)
    subscribe(db, patient, fake_push, "/push/phone")
    fake_push.program("/push/phone", Reply(201, delay=0.6), 201)
    _queue(db, patient, count=3)
    clock = _clock_app(app, sender, database_url)
    lock = SchedulerLock(clock.extensions["engine"])
    try:
        assert lock.try_acquire()
        clock.extensions["scheduler_lock"] = lock
        pid = _backend_pid(lock)
        killer = threading.Timer(0.3, _kill, args=(app, pid))  # lost while the first reminder is being sent
        killer.start()
        deliver_job(clock)
        killer.join()
        assert fake_push.request_count == 1
        assert _statuses(db).count(NotificationStatus.pending) == 2
    finally:
        lock.release()
        clock.extensions["engine"].dispose()


def test_the_lock_is_held_and_checked_on_sqlite_too(app):
    if app.extensions["engine"].dialect.name != "sqlite":
        pytest.skip("the SQLite file lock")
    lock, other = SchedulerLock(app.extensions["engine"]), SchedulerLock(app.extensions["engine"])
    try:
        assert lock.try_acquire() and lock.still_held() and not other.try_acquire() and not other.still_held()
    finally:
        lock.release()
    assert not lock.still_held()
