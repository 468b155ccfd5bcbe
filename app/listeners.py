"""What follows an event, in one place: each feature's signal wired to the reactions of other features."""
import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from app.models import User
from app.models.tms import ProtocolKind
from app.auth.events import user_deactivated
from app.i18n.events import language_changed
from app.safety.events import safety_event_created
from app.tms import events as tms_events

log = logging.getLogger(__name__)

ACUTE_PROTOCOLS = {ProtocolKind.standard, ProtocolKind.accelerated, ProtocolKind.taper, ProtocolKind.custom}


def schedule_default_questionnaires(_sender, *, course, sessions, db, **_):
    """A new acute course brings weekly PHQ-9 from its first day to the day after its last session
    (CLINICAL.md: baseline and weekly during the acute course). Maintenance boosters don't."""
    from app.checkins.services import ensure_default_questionnaires

    if course.protocol not in ACUTE_PROTOCOLS or not sessions:
        return
    patient = db.get(User, course.patient_id)
    tz = ZoneInfo(patient.timezone)
    last_day = max(s.scheduled_at for s in sessions).astimezone(tz).date()
    ensure_default_questionnaires(
        db, patient=patient, start=course.start_date, end=last_day + timedelta(days=1), by=db.get(User, course.created_by_id)
    )


def alert_therapist(_sender, *, event, db, **_):
    """A safety event pushes the treating therapist at once (high urgency). The event itself is already flushed
    and must never be lost, so a failure here is logged and swallowed (the caseload flag still shows)."""
    from app.push.reminders import queue_safety_alert

    patient = db.get(User, event.patient_id)
    if patient is None or patient.therapist_id is None:
        log.warning("safety.alert_without_therapist event=%s", event.id)
        return
    try:
        with db.begin_nested():
            queue_safety_alert(db, event_id=event.id, therapist_id=patient.therapist_id, at=event.created_at)
    except Exception:
        log.exception("safety.alert_queue_failed event=%s", event.id)


def forget_devices(_sender, *, db, **_):
    """A deactivated account gets no more pushes on any device (its records stay)."""
    from app.push.subscriptions import delete_all_subscriptions

    delete_all_subscriptions(db, user=_sender)


def reword_reminders(_sender, *, user, db, at, **_):
    """A new language re-words the reminders already planned for this person (check-ins, homework, digests), so
    what reaches the phone is in the language they have now. A reminder problem never blocks the change."""
    from app.push.reminders import has_devices, replan_user

    if not has_devices(db, user.id):
        return
    try:
        with db.begin_nested():
            replan_user(db, user=user, now=at)
    except Exception:
        log.exception("push.reword_failed user=%s", user.id)


def connect() -> None:
    """Idempotent: blinker keeps one connection per receiver function."""
    from app.push.reminders import on_session_completed

    tms_events.course_created.connect(schedule_default_questionnaires)
    tms_events.session_completed.connect(on_session_completed)
    safety_event_created.connect(alert_therapist)
    user_deactivated.connect(forget_devices)
    language_changed.connect(reword_reminders)
