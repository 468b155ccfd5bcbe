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
    """A safety event pushes the clinicians app/safety/routing.py chooses at once (high urgency): the treating
    therapist, the safety contacts for TMS red flags or when the therapist cannot receive it. The event itself is
    already flushed and must never be lost, so a failure here is logged and swallowed (the flags still show)."""
    from app.safety.routing import alert_for_event

    try:
        with db.begin_nested():
            alert_for_event(db, event=event, now=event.alerted_at)
    except Exception:
        log.exception("safety.alert_queue_failed event=%s", event.id)


def forget_devices(_sender, *, db, **_):
    """A deactivated account gets no more pushes on any device (its records stay)."""
    from app.push.subscriptions import delete_all_subscriptions

    delete_all_subscriptions(db, user=_sender)


VISIT_REACH_BEFORE = timedelta(hours=24)
VISIT_REACH_AFTER = timedelta(hours=49)
"""Entries a visit's windows can claim: a before-visit window (at most 24 h) up to a post-TMS window (24 h) plus
its late grace (24 h) and the session itself."""


def follow_visit_change(_sender, *, session, db, previous, **_):
    """A visit recorded, corrected, undone or missed moves its windows: entries already saved inside a window now
    open count (on time if they were), then the unsent post-TMS reminders are rewritten to match."""
    from app.homework.completion import rematch_entries
    from app.push.reminders import on_session_changed

    patient = db.get(User, session.patient_id)
    anchor = session.started_at or session.scheduled_at
    rematch_entries(db, patient=patient, since=anchor - VISIT_REACH_BEFORE, until=anchor + VISIT_REACH_AFTER)
    on_session_changed(_sender, session=session, db=db, previous=previous)
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
    tms_events.course_created.connect(schedule_default_questionnaires)
    tms_events.session_changed.connect(follow_visit_change)
    safety_event_created.connect(alert_therapist)
    user_deactivated.connect(forget_devices)
    language_changed.connect(reword_reminders)
