"""Writing reminders into the notification log: from events (TMS visit done, safety event) and from the planner.

Everything here only inserts pending rows and flushes; the clock process sends them (app/push/delivery.py).
Each row's unique key (user, kind, occurrence) makes every writer idempotent, on SQLite and PostgreSQL alike.
"""
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, select

from app.formatting import long_day
from app.homework.schedule import PatientHomework, load_homework, local_day_bounds
from app.homework.timing import POST_TMS_KINDS, Occurrence, OccurrenceStatus, SessionStatus
from app.models import AppointmentStatus, HomeworkKind, Role, TherapyAppointment, TmsSession, User
from app.models.homework import HomeworkCompletion
from app.models.types import utcnow
from app.models.push import Notification, NotificationStatus, PushSubscription, ReminderKind, ReminderSettings
from app.push import texts
from app.push.language import in_language_of
from app.push.sender import Urgency
from app.push.timing import QuietHours, fit_to_window, local_instant, release_time, stale_at

log = logging.getLogger(__name__)

PLAN_HORIZON = timedelta(hours=24)
PLAN_LOOKBACK = timedelta(hours=1)
DIGEST_HORIZON = timedelta(minutes=30)
"""The digest counts today's visits, so it is written shortly before it is due, not a day ahead."""
OVERDUE_NUDGE_TIME = "09:00"
PLANNED_KINDS = (
    ReminderKind.daily_checkin,
    ReminderKind.homework_due,
    ReminderKind.homework_overdue,
    ReminderKind.questionnaire_due,
    ReminderKind.therapist_digest,
    ReminderKind.therapy_appointment,
)
APPOINTMENT_LEAD = timedelta(hours=2)
"""A therapy appointment is announced this long before it starts (earlier if that falls in quiet hours)."""
APPOINTMENT_NOTICE = timedelta(hours=24)
"""...but never more than this before it."""
PATIENT_URL = "/today"
THERAPIST_URL = "/patients"


DEFAULT_QUIET_HOURS = QuietHours(time(22, 0), time(7, 0))


def default_settings(user_id: int) -> ReminderSettings:
    """For someone who never saved settings: every reminder on, quiet from 22:00 to 07:00, private text."""
    return ReminderSettings(user_id=user_id, quiet_start=DEFAULT_QUIET_HOURS.start, quiet_end=DEFAULT_QUIET_HOURS.end)


def settings_for(db: Session, user_id: int) -> ReminderSettings:
    """The stored settings, or the defaults (not added to the session) for someone who never saved any."""
    stored = db.exec(select(ReminderSettings).where(ReminderSettings.user_id == user_id)).first()
    return stored or default_settings(user_id)


def quiet_hours_of(settings: ReminderSettings) -> QuietHours | None:
    if settings.quiet_start is None or settings.quiet_end is None or settings.quiet_start == settings.quiet_end:
        return None
    return QuietHours(settings.quiet_start, settings.quiet_end)


def has_devices(db: Session, user_id: int) -> bool:
    return db.exec(select(PushSubscription.id).where(PushSubscription.user_id == user_id).limit(1)).first() is not None


@dataclass(frozen=True)
class Subject:
    """What a reminder is about, so delivery can re-check it (homework done since?) before sending."""

    assignment_id: int | None = None
    homework_occurrence: str | None = None
    session_id: int | None = None


def queue_notification(
    db: Session,
    *,
    user: User,
    kind: ReminderKind,
    occurrence_key: str,
    text: texts.ReminderText,
    url: str,
    due_at: datetime,
    urgency: Urgency = Urgency.NORMAL,
    settings: ReminderSettings | None = None,
    subject: Subject = Subject(),
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    now: datetime | None = None,
    batch: "PlanBatch | None" = None,
) -> Notification | None:
    """Insert a pending reminder unless its key exists; returns None for a duplicate or a reminder that would lie.

    With `closes_at` (the window's end or the due time) the reminder is fitted to what it is about: never sent at or
    after `closes_at`, moved before quiet hours or dropped when the window closes inside them (push/timing.py).

    Check first (the common case, no error), then insert inside a SAVEPOINT so a concurrent writer's row turns
    into an IntegrityError that rolls back only the savepoint, never the caller's transaction. The planner passes a
    `batch` instead: the keys it read in one query for everyone, and a list the new row joins, to be inserted with
    the others in one statement (PlanBatch.insert; the unique key still decides)."""
    if batch is not None:
        if (user.id, kind.value, occurrence_key) in batch.known:
            return None
    elif db.exec(
        select(Notification.id).where(
            Notification.user_id == user.id, Notification.kind == kind, Notification.occurrence_key == occurrence_key
        )
    ).first() is not None:
        return None
    settings = settings or settings_for(db, user.id)
    if closes_at is None:
        released = release_time(kind, due_at, quiet_hours_of(settings), ZoneInfo(user.timezone))
        stale = stale_at(kind, released)
    else:
        fitted = fit_to_window(
            kind, due_at, opens_at=opens_at or due_at, closes_at=closes_at, quiet=quiet_hours_of(settings),
            tz=ZoneInfo(user.timezone), now=now or due_at,
        )
        if fitted is None:
            return None
        released, stale = fitted, min(stale_at(kind, fitted), closes_at)
    values = dict(
        user_id=user.id,
        kind=kind,
        occurrence_key=occurrence_key,
        title=text.title,
        body=text.body,
        url=url,
        urgency=urgency,
        due_at=released,
        next_attempt_at=released,
        stale_at=stale,
        assignment_id=subject.assignment_id,
        homework_occurrence=subject.homework_occurrence,
        session_id=subject.session_id,
    )
    if batch is not None:
        batch.add(values)
        return None
    notification = Notification(**values)
    try:
        with db.begin_nested():
            db.add(notification)
    except IntegrityError:
        return None
    return notification


@dataclass
class PlanBatch:
    """One planning pass: the keys of reminders already written (read in one query for everyone planned) and the
    new rows as plain values, inserted together at the end: a pass costs a few round trips and no ORM object per
    reminder, where it cost three round trips per reminder (bench/scale.py)."""

    known: set[tuple[int, str, str]]
    pending: list[dict] = field(default_factory=list)

    def add(self, values: dict) -> None:
        self.known.add((values["user_id"], values["kind"].value, values["occurrence_key"]))
        self.pending.append(values | {"status": NotificationStatus.pending, "attempts": 0, "created_at": utcnow()})

    def insert(self, db: Session) -> int:
        """All rows in one bulk INSERT; if another writer took one of these keys meanwhile (a settings change
        re-plans someone from the web), the batch is rolled back and each row tried on its own."""
        if not self.pending:
            return 0
        try:
            with db.begin_nested():
                db.execute(insert(Notification), self.pending)
            return len(self.pending)
        except IntegrityError:
            pass
        count = 0
        for values in self.pending:
            try:
                with db.begin_nested():
                    db.execute(insert(Notification), [values])
                count += 1
            except IntegrityError:
                continue
        return count


# Events: a TMS visit completed, a safety event.


def queue_post_tms_reminders(db: Session, *, session: TmsSession, now: datetime | None = None) -> list[Notification]:
    """"Your practice window is open until HH:MM" when the window opens (or when the visit is recorded, if later),
    plus a mid-window nudge (checked again before sending) — only for a patient with post-TMS homework for this
    visit still to do (CLINICAL.md: window of N hours). A window already closed gets no reminder."""
    patient = db.get(User, session.patient_id)
    if patient is None or session.completed_at is None or not has_devices(db, patient.id):
        return []
    settings = settings_for(db, patient.id)
    if not settings.post_tms:
        return []
    now = now or utcnow()
    windows = [work for work in post_tms_occurrences(db, patient, session) if not work.done]
    if not windows:
        return []
    with in_language_of(patient):
        return _queue_post_tms(db, patient, session, settings, windows, now)


def _queue_post_tms(
    db: Session, patient: User, session: TmsSession, settings: ReminderSettings, windows: "list[OpenedWork]",
    now: datetime,
) -> list[Notification]:
    tz = ZoneInfo(patient.timezone)
    closes = max(work.occurrence.due_at for work in windows).astimezone(tz).strftime("%H:%M")
    titles = tuple(work.title for work in windows)
    subject = Subject(session_id=session.id)
    first = min((work.occurrence for work in windows), key=lambda occ: occ.due_at)
    queued = [
        queue_notification(
            db,
            user=patient,
            kind=ReminderKind.post_tms_window,
            occurrence_key=f"session:{session.id}",
            text=texts.post_tms_window(closes=closes, titles=titles, detailed=settings.detailed_text),
            url=PATIENT_URL,
            due_at=max(first.opens_at, now),
            settings=settings,
            subject=subject,
            opens_at=first.opens_at,
            closes_at=first.due_at,
            now=now,
        )
    ]
    if settings.post_tms_nudge:
        queued.append(
            queue_notification(
                db,
                user=patient,
                kind=ReminderKind.post_tms_nudge,
                occurrence_key=f"session:{session.id}",
                text=texts.post_tms_nudge(closes=closes, titles=titles, detailed=settings.detailed_text),
                url=PATIENT_URL,
                due_at=first.opens_at + (first.due_at - first.opens_at) / 2,
                settings=settings,
                subject=subject,
                opens_at=first.opens_at,
                closes_at=first.due_at,
                now=now,
            )
        )
    return [notification for notification in queued if notification is not None]


@dataclass(frozen=True)
class OpenedWork:
    """One occurrence of post-TMS homework that a visit opened, and whether it has been done."""

    title: str
    occurrence: Occurrence
    done: bool


def post_tms_occurrences(db: Session, patient: User, session: TmsSession) -> list[OpenedWork]:
    """The post-TMS homework this visit opened (CLINICAL.md: within N hours after today's TMS session)."""
    homework = load_homework(db, [patient])[patient.id]
    day = session.scheduled_at.astimezone(homework.tz).date()
    found = []
    for assignment in homework.assignments:
        done = homework.completions.get(assignment.id, {})
        for occ in homework.occurrences(assignment, through=day):
            if occ.kind in POST_TMS_KINDS and occ.session_id == session.id:
                found.append(OpenedWork(assignment.title, occ, occ.key in done))
    return found


def on_session_completed(sender: Any, *, session: TmsSession, db: Session, **_: Any) -> None:
    """Receiver for tms.events.session_completed; a reminder problem must never stop staff recording a visit."""
    try:
        with db.begin_nested():
            queue_post_tms_reminders(db, session=session)
    except (SQLAlchemyError, ValueError):
        log.exception("could not queue post-TMS reminders for session %s", session.id)


def on_session_changed(sender: Any, *, session: TmsSession, db: Session, previous: tuple, **_: Any) -> None:
    """Receiver for tms.events.session_changed: a corrected start, an undo or a missed visit moves or removes its
    window, so reminders not yet sent are written again to match (a reminder must never state an old window)."""
    try:
        with db.begin_nested():
            db.exec(
                delete(Notification).where(
                    Notification.session_id == session.id,
                    Notification.status == NotificationStatus.pending,
                    Notification.kind.in_((ReminderKind.post_tms_window, ReminderKind.post_tms_nudge)),
                    Notification.attempts == 0,
                )
            )
            db.flush()
            queue_post_tms_reminders(db, session=session, now=session.updated_at)
    except (SQLAlchemyError, ValueError):
        log.exception("could not update post-TMS reminders for session %s", session.id)


def queue_safety_alert(
    db: Session, *, event_id: int, therapist_id: int, at: datetime, escalation: bool = False
) -> Notification | None:
    """CLINICAL.md Safety: the treating therapist (or a safety contact: `therapist_id` is whoever app/safety/routing.py
    chose) is alerted at once — high urgency, no quiet hours, no PHI. An escalation is a second, separate push.

    Queued even without a subscribed device, so the log shows that the push could not be made."""
    therapist = db.get(User, therapist_id)
    if therapist is None:
        return None
    with in_language_of(therapist):
        text = texts.safety_escalation() if escalation else texts.safety_alert()
    return queue_notification(
        db,
        user=therapist,
        kind=ReminderKind.safety_alert,
        occurrence_key=f"safety-escalation:{event_id}" if escalation else f"safety:{event_id}",
        text=text,
        url=THERAPIST_URL,
        due_at=at,
        urgency=Urgency.HIGH,
    )


# The planner: time-based reminders for the next day, written ahead so a late or restarted clock loses nothing.


def plan_reminders(db: Session, *, now: datetime, users: Iterable[User] | None = None) -> int:
    """Write pending rows for check-ins, homework and digests due in [now - 1 h, now + 24 h); idempotent."""
    if users is None:
        users = db.exec(
            select(User).where(User.active, User.id.in_(select(PushSubscription.user_id).distinct()))
        ).all()
    users = list(users)
    stored = {
        row.user_id: row
        for row in db.exec(select(ReminderSettings).where(ReminderSettings.user_id.in_([u.id for u in users])))
    }
    patients = [user for user in users if user.role == Role.patient]
    since = (now - PLAN_LOOK_BACK_DAYS).date()
    homework = load_homework(db, patients, active_on=since, horizon=since, plain=True) if patients else {}
    appointments = _upcoming_appointments(db, patients, now)
    batch = PlanBatch(planned_keys(db, [u.id for u in users], since=now - PLAN_LOOK_BACK_DAYS))
    defaults = default_settings(0)  # read, never stored: one object for everyone who never saved settings
    queued = 0  # appointment reminders are few and written one by one (they replace a moved appointment's)
    for user in users:
        settings = stored.get(user.id) or defaults
        with in_language_of(user):
            if user.role == Role.patient:
                _plan_checkins(db, user, settings, now, batch)
                _plan_homework(db, user, settings, homework[user.id], now, batch)
                queued += sum(
                    queue_appointment_reminder(db, appointment=appointment, patient=user, settings=settings, now=now)
                    is not None
                    for appointment in appointments.get(user.id, [])
                )
            elif user.role == Role.therapist and settings.digest:
                _plan_digest(db, user, settings, now, batch)
    return batch.insert(db) + queued


PLAN_LOOK_BACK_DAYS = timedelta(days=4)
"""The planner looks at local days from two days ago (late homework) on, in any time zone: what it loads and the
reminders it checks against start this far back (a reminder it would plan is never due earlier)."""


def planned_keys(db: Session, user_ids: list[int], *, since: datetime) -> set[tuple[int, str, str]]:
    """(user, kind, occurrence) of the planned reminders already written for these people, due since `since`."""
    if not user_ids:
        return set()
    rows = db.exec(
        select(Notification.user_id, Notification.kind, Notification.occurrence_key).where(
            Notification.user_id.in_(user_ids), Notification.kind.in_(PLANNED_KINDS), Notification.due_at >= since
        )
    )
    return {(user_id, ReminderKind(kind).value, key) for user_id, kind, key in rows}


def appointment_key(appointment: TherapyAppointment) -> str:
    """One reminder per version of an appointment: a reschedule (a new SEQUENCE) gets its own."""
    return f"appointment:{appointment.id}:{appointment.sequence}"


def _upcoming_appointments(db: Session, patients: list[User], now: datetime) -> dict[int, list[TherapyAppointment]]:
    if not patients:
        return {}
    found: dict[int, list[TherapyAppointment]] = {}
    for appointment in db.exec(
        select(TherapyAppointment).where(
            TherapyAppointment.patient_id.in_([p.id for p in patients]),
            TherapyAppointment.status == AppointmentStatus.scheduled,
            TherapyAppointment.starts_at > now,
            TherapyAppointment.starts_at <= now + PLAN_HORIZON + APPOINTMENT_LEAD,
        )
    ):
        found.setdefault(appointment.patient_id, []).append(appointment)
    return found


def queue_appointment_reminder(
    db: Session, *, appointment: TherapyAppointment, patient: User, now: datetime,
    settings: ReminderSettings | None = None,
) -> Notification | None:
    """"You have an appointment on Tuesday 3 March at 15:00", APPOINTMENT_LEAD before it, written by the planner
    once that moment is within its horizon (or at once when the appointment is made that late). Fitted to the time
    before the appointment, so quiet hours move it earlier, never after the start."""
    if appointment.status != AppointmentStatus.scheduled or appointment.starts_at <= now:
        return None
    due = appointment.starts_at - APPOINTMENT_LEAD
    if not _in_window(due, now):
        return None
    settings = settings or settings_for(db, patient.id)
    local = appointment.starts_at.astimezone(ZoneInfo(patient.timezone))
    with in_language_of(patient) as language:
        text = texts.therapy_appointment(day=long_day(local.date(), language),
                                         time=local.strftime("%H:%M"), detailed=settings.detailed_text)
    return queue_notification(
        db, user=patient, kind=ReminderKind.therapy_appointment, occurrence_key=appointment_key(appointment),
        text=text, url=PATIENT_URL, due_at=due, settings=settings,
        opens_at=appointment.starts_at - APPOINTMENT_NOTICE, closes_at=appointment.starts_at, now=now,
    )


def drop_appointment_reminders(db: Session, *, appointment: TherapyAppointment) -> None:
    """A cancelled or moved appointment's reminders not yet sent are removed (a reminder must never state an old
    time); a moved one is written again by queue_appointment_reminder under its new key."""
    db.exec(
        delete(Notification).where(
            Notification.user_id == appointment.patient_id,
            Notification.kind == ReminderKind.therapy_appointment,
            Notification.occurrence_key.like(f"appointment:{appointment.id}:%"),
            Notification.status == NotificationStatus.pending,
            Notification.attempts == 0,
        )
    )
    db.flush()


def replan_user(db: Session, *, user: User, now: datetime) -> int:
    """After settings change: drop this person's not-yet-sent planned rows and plan again with the new settings."""
    db.exec(
        delete(Notification).where(
            Notification.user_id == user.id,
            Notification.status == NotificationStatus.pending,
            Notification.kind.in_(PLANNED_KINDS),
            Notification.attempts == 0,
        )
    )
    db.flush()
    return plan_reminders(db, now=now, users=[user])


def _in_window(at: datetime, now: datetime, horizon: timedelta = PLAN_HORIZON) -> bool:
    return now - PLAN_LOOKBACK <= at < now + horizon


def _local_days(now: datetime, tz: ZoneInfo) -> list[date]:
    today = now.astimezone(tz).date()
    return [today - timedelta(days=1), today, today + timedelta(days=1)]


def _plan_checkins(db: Session, user: User, settings: ReminderSettings, now: datetime, batch: PlanBatch) -> None:
    if not settings.checkin:
        return
    tz = ZoneInfo(user.timezone)
    for day in _local_days(now, tz):
        at = local_instant(day, settings.checkin_time, tz)
        if _in_window(at, now):
            queue_notification(
                db, user=user, kind=ReminderKind.daily_checkin, occurrence_key=f"day:{day.isoformat()}",
                text=texts.daily_checkin(), url=PATIENT_URL, due_at=at, settings=settings, batch=batch,
            )


def _plan_homework(
    db: Session, user: User, settings: ReminderSettings, homework: PatientHomework, now: datetime, batch: PlanBatch
) -> None:
    tz = ZoneInfo(user.timezone)
    today = now.astimezone(tz).date()
    nudge_time = datetime.strptime(OVERDUE_NUDGE_TIME, "%H:%M").time()
    for view in homework.views(since=today - timedelta(days=2), through=today + timedelta(days=1), now=now):
        assignment, occ = view.assignment, view.occurrence
        if occ.kind in POST_TMS_KINDS or view.status not in (OccurrenceStatus.UPCOMING, OccurrenceStatus.OPEN):
            continue
        is_questionnaire = assignment.kind == HomeworkKind.questionnaire
        if (is_questionnaire and not settings.questionnaires) or (not is_questionnaire and not settings.homework):
            continue
        if assignment.kind == HomeworkKind.mood_checkin and settings.checkin:
            continue
        subject = Subject(assignment_id=assignment.id, homework_occurrence=occ.key)
        key = f"{assignment.id}:{occ.key}"
        if _in_window(occ.remind_at, now):
            due = occ.due_at.astimezone(tz)
            due_text = texts.clock(due)
            text = (
                texts.questionnaire_due(title=assignment.title, detailed=settings.detailed_text)
                if is_questionnaire
                else texts.homework_due(title=assignment.title, due=due_text, detailed=settings.detailed_text)
            )
            kind = ReminderKind.questionnaire_due if is_questionnaire else ReminderKind.homework_due
            queue_notification(
                db, user=user, kind=kind, occurrence_key=key, text=text, url=PATIENT_URL, due_at=occ.remind_at,
                settings=settings, subject=subject, opens_at=occ.opens_at, closes_at=occ.due_at, now=now, batch=batch,
            )
        nudge_day = occ.due_at.astimezone(tz).date()
        nudge_at = local_instant(nudge_day, nudge_time, tz)
        if nudge_at < occ.due_at:
            nudge_at = local_instant(nudge_day + timedelta(days=1), nudge_time, tz)
        if not is_questionnaire and nudge_at < occ.late_until and _in_window(nudge_at, now):
            queue_notification(
                db, user=user, kind=ReminderKind.homework_overdue, occurrence_key=key,
                text=texts.homework_overdue(title=assignment.title, detailed=settings.detailed_text),
                url=PATIENT_URL, due_at=nudge_at, settings=settings, subject=subject,
                opens_at=occ.due_at, closes_at=occ.late_until, now=now, batch=batch,
            )


def _plan_digest(db: Session, user: User, settings: ReminderSettings, now: datetime, batch: PlanBatch) -> None:
    """Morning digest for a therapist: how many of their patients have TMS today (a count, never names)."""
    tz = ZoneInfo(user.timezone)
    for day in _local_days(now, tz):
        at = local_instant(day, settings.digest_time, tz)
        if not _in_window(at, now, DIGEST_HORIZON):
            continue
        start, end = local_day_bounds(day, tz)
        visiting = db.exec(
            select(TmsSession.patient_id)
            .join(User, User.id == TmsSession.patient_id)
            .where(
                User.therapist_id == user.id,
                TmsSession.scheduled_at >= start,
                TmsSession.scheduled_at < end,
                TmsSession.status != SessionStatus.CANCELLED,
            )
            .distinct()
        ).all()
        if not visiting:
            continue
        queue_notification(
            db, user=user, kind=ReminderKind.therapist_digest, occurrence_key=f"day:{day.isoformat()}",
            text=texts.therapist_digest(patients_today=len(visiting)), url=THERAPIST_URL, due_at=at,
            settings=settings, batch=batch,
        )


def homework_done(db: Session, notification: Notification) -> bool:
    """Whether the homework a reminder is about has been completed since it was written."""
    if notification.assignment_id is None or notification.homework_occurrence is None:
        return False
    return db.exec(
        select(HomeworkCompletion.id).where(
            HomeworkCompletion.assignment_id == notification.assignment_id,
            HomeworkCompletion.occurrence_key == notification.homework_occurrence,
        )
    ).first() is not None
