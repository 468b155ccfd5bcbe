"""Issue 16, found 3, through the real queue: an evening visit's nudge is not pushed at 07:00 about a window that
closed at night; a late-recorded visit whose window has closed gets no reminder; a corrected start rewrites the
unsent reminder's closing time."""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from app.homework.timing import SessionStatus
from app.models import HomeworkKind, TmsSession
from app.models.push import Notification, ReminderKind
from app.tms import services
from tests.factories import make_assignment, make_course
from tests.push.test_reminder_delivery import subscribe

NEW_YORK = ZoneInfo("America/New_York")


def ny(*parts):
    return datetime(*parts, tzinfo=NEW_YORK).astimezone(UTC)


def _evening_visit(db, patient, therapist, fake_push, *, hours=6):
    subscribe(db, patient, fake_push, "/push/phone")
    make_course(db, patient=patient, by=therapist, start=date(2026, 1, 12), weeks=1, at=time(18, 20))
    make_assignment(db, patient=patient, kind=HomeworkKind.exposure_practice, timing_kind="post_tms",
                    title="Exposure after TMS", start_date=date(2026, 1, 12), window_hours=hours)
    return db.exec(select(TmsSession).order_by(TmsSession.scheduled_at)).first()


def _rows(db):
    db.expire_all()
    return {n.kind: n for n in db.exec(select(Notification))}


def test_evening_visit_nudge_goes_before_quiet_hours_and_tells_the_truth(db, patient, therapist, fake_push):
    """Visit 18:20-19:00, 6 h window to 01:00; the mid-window nudge (22:00) falls in quiet hours 22-07."""
    session = _evening_visit(db, patient, therapist, fake_push)
    services.set_status(db, session=session, status=SessionStatus.COMPLETED, by=therapist, at=ny(2026, 1, 12, 19, 5))
    db.commit()

    rows = _rows(db)
    nudge = rows[ReminderKind.post_tms_nudge]
    assert nudge.due_at == ny(2026, 1, 12, 21, 45)
    assert nudge.stale_at <= ny(2026, 1, 13, 1, 0)
    assert "open until 01:00" in nudge.body
    window = rows[ReminderKind.post_tms_window]
    assert window.due_at == ny(2026, 1, 12, 19, 5)


def test_a_visit_recorded_after_its_window_closed_gets_no_reminder(db, patient, therapist, fake_push):
    session = _evening_visit(db, patient, therapist, fake_push, hours=2)
    services.set_status(db, session=session, status=SessionStatus.COMPLETED, by=therapist, at=ny(2026, 1, 13, 9, 0))
    db.commit()

    assert _rows(db) == {}


def test_correcting_the_start_rewrites_the_unsent_reminder(db, patient, therapist, fake_push):
    session = _evening_visit(db, patient, therapist, fake_push, hours=2)
    services.set_status(db, session=session, status=SessionStatus.COMPLETED, by=therapist, at=ny(2026, 1, 12, 18, 30),
                        started_at=ny(2026, 1, 12, 17, 50))
    db.commit()
    assert "open until 20:30" in _rows(db)[ReminderKind.post_tms_window].body

    services.set_status(db, session=session, status=SessionStatus.COMPLETED, by=therapist, at=ny(2026, 1, 12, 18, 35),
                        started_at=ny(2026, 1, 12, 18, 20))
    db.commit()

    assert "open until 21:00" in _rows(db)[ReminderKind.post_tms_window].body
