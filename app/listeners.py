"""What follows an event, in one place: each feature's signal wired to the reactions of other features."""
from datetime import timedelta
from zoneinfo import ZoneInfo

from app.models import User
from app.models.tms import ProtocolKind
from app.tms import events as tms_events

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


def connect() -> None:
    """Idempotent: blinker keeps one connection per receiver function."""
    tms_events.course_created.connect(schedule_default_questionnaires)
