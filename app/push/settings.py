"""Saving a person's reminder settings; the planner then rewrites their upcoming reminders."""
from datetime import datetime, time

from sqlmodel import Session

from app.models import Role, User
from app.models.push import ReminderSettings
from app.push.reminders import replan_user, settings_for
from app.push.timing import QuietHours

PATIENT_FIELDS = ("post_tms", "post_tms_nudge", "checkin", "homework", "questionnaires", "detailed_text")
THERAPIST_FIELDS = ("digest",)


def save_settings(
    db: Session,
    *,
    user: User,
    flags: dict[str, bool],
    checkin_time: time | None,
    digest_time: time | None,
    quiet: QuietHours | None,
    now: datetime,
) -> ReminderSettings:
    """Apply the form's values for this person's role (other roles' options are left as they were)."""
    settings = settings_for(db, user.id)
    fields = PATIENT_FIELDS if user.role == Role.patient else THERAPIST_FIELDS
    for name in fields:
        setattr(settings, name, bool(flags.get(name, False)))
    if checkin_time is not None:
        settings.checkin_time = checkin_time
    if digest_time is not None:
        settings.digest_time = digest_time
    settings.quiet_start = quiet.start if quiet else None
    settings.quiet_end = quiet.end if quiet else None
    settings.updated_at = now
    db.add(settings)
    db.flush()
    replan_user(db, user=user, now=now)
    return settings
