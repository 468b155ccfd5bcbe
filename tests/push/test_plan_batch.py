"""The planner writes a whole pass's reminders in one statement (PlanBatch): a key another writer took since the
pass read the existing keys is skipped, never an error, and the rest of the pass is still written."""
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from app.models.push import Notification, NotificationStatus, ReminderKind
from app.push import texts
from app.push.reminders import PlanBatch, queue_notification

NOON = datetime(2026, 1, 12, 17, 0, tzinfo=UTC)  # Monday 12:00 in New York


def checkin(db, patient, day: str, *, batch: PlanBatch | None = None):
    return queue_notification(db, user=patient, kind=ReminderKind.daily_checkin, occurrence_key=f"day:{day}",
                              text=texts.daily_checkin(), url="/today", due_at=NOON + timedelta(hours=7), batch=batch)


def test_a_key_written_meanwhile_is_skipped_and_the_rest_of_the_pass_is_written(db, patient) -> None:
    batch = PlanBatch(known=set())  # the pass read the existing keys before the other writer's row
    checkin(db, patient, "2026-01-12", batch=batch)
    checkin(db, patient, "2026-01-13", batch=batch)
    checkin(db, patient, "2026-01-12")  # a settings change re-planned this patient from the web meanwhile
    db.commit()

    assert batch.insert(db) == 1
    db.commit()
    rows = db.exec(select(Notification).order_by(Notification.occurrence_key)).all()
    assert [(r.occurrence_key, r.status, r.attempts) for r in rows] == [
        ("day:2026-01-12", NotificationStatus.pending, 0), ("day:2026-01-13", NotificationStatus.pending, 0)]


def test_a_key_the_pass_already_knows_is_not_queued_twice(db, patient) -> None:
    batch = PlanBatch(known=set())
    checkin(db, patient, "2026-01-12", batch=batch)
    checkin(db, patient, "2026-01-12", batch=batch)

    assert batch.insert(db) == 1
