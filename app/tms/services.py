"""TMS operations: create courses, add, move, cancel and complete sessions. Each only flushes; the caller commits."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.homework.timing import SessionStatus
from app.clinic.settings import closed_days, patient_clinic_time
from app.models import ClinicClosure, TmsCourse, TmsSession, TmsSessionChange, User
from app.models.tms import DEFAULT_SESSION_MINUTES, ProtocolKind
from app.tms import events, protocols, visit_rules
from app.validation import FieldError

ACTIVE = (SessionStatus.SCHEDULED, SessionStatus.COMPLETED, SessionStatus.MISSED)
PATIENT_CONFIRM_EARLIEST = timedelta(hours=1)
"""A patient may say "I've just had my TMS" from an hour before the booked time, on that local day."""


class SessionError(FieldError):
    """A field problem, worded for the person filling in the form."""


def _existing_starts(db: Session, patient_id: int, *, excluding: int | None = None) -> list[datetime]:
    query = select(TmsSession.scheduled_at).where(
        TmsSession.patient_id == patient_id, TmsSession.status != SessionStatus.CANCELLED
    )
    if excluding is not None:
        query = query.where(TmsSession.id != excluding)
    return list(db.exec(query))


def create_course(
    db: Session,
    *,
    patient: User,
    label: str,
    kind: ProtocolKind,
    protocol: protocols.CourseProtocol,
    parameters: dict,
    start: date,
    by: User,
    session_minutes: int = DEFAULT_SESSION_MINUTES,
    include_weekends: bool = False,
) -> TmsCourse:
    """Expand the protocol in the clinic's zone (visits happen at the clinic), skipping clinic closures (and, for
    consecutive-day shapes, weekends unless `include_weekends`), and store every session; none may clash with
    existing ones. The number of sessions made is the prescribed number."""
    label = (label or "").strip()
    if not label:
        raise SessionError("label", "Give the course a name, like “Acute course”.")
    if len(label) > 80:
        raise SessionError("label", "Course names can be at most 80 characters.")
    clinic = patient_clinic_time(db, patient)
    tz = clinic.tz
    days = protocols.ClinicDays(closed_days(db, since=start, site_id=clinic.site_id), include_weekends)
    starts = protocols.expand_course(protocol, start=start, tz=tz, days=days)
    existing = _existing_starts(db, patient.id)
    for moment in starts:
        try:
            protocols.check_no_overlap(moment, existing, tz=tz)
        except protocols.ProtocolError as error:
            raise SessionError("start_date", f"This course clashes with another session: {error.message}") from None
    course = TmsCourse(
        patient_id=patient.id, label=label, protocol=kind, parameters=parameters, start_date=start, created_by_id=by.id,
        session_minutes=session_minutes, prescribed_sessions=len(starts), include_weekends=include_weekends,
    )
    db.add(course)
    db.flush()
    sessions = [TmsSession(course_id=course.id, patient_id=patient.id, scheduled_at=moment) for moment in starts]
    db.add_all(sessions)
    db.flush()
    events.course_created.send(course, course=course, sessions=sessions, db=db)
    return course


def _check_open(db: Session, at: datetime, *, field: str, patient: User) -> None:
    """A visit may not be booked on a closure of the patient's site."""
    clinic = patient_clinic_time(db, patient)
    day = at.astimezone(clinic.tz).date()
    closure = db.exec(select(ClinicClosure).where(ClinicClosure.day == day,
                                                  ClinicClosure.site_id == clinic.site_id)).first()
    if closure is not None:
        raise SessionError(field, f"The clinic is closed on {day.isoformat()} ({closure.label}).")


def add_session(db: Session, *, course: TmsCourse, at: datetime, by: User, now: datetime,
                makeup_for: TmsSession | None = None) -> TmsSession:
    """One extra visit, or a make-up for a missed one (which adds no session to the prescription)."""
    patient = db.get(User, course.patient_id)
    _check_open(db, at, field="scheduled_at", patient=patient)
    protocols.check_no_overlap(at, _existing_starts(db, patient.id), tz=patient_clinic_time(db, patient).tz)
    if makeup_for is not None:
        if makeup_for.status != SessionStatus.MISSED:
            raise SessionError("scheduled_at", "Only a missed visit can be made up.")
        if db.exec(select(TmsSession.id).where(TmsSession.makeup_for_id == makeup_for.id,
                                               TmsSession.status != SessionStatus.CANCELLED)).first():
            raise SessionError("scheduled_at", "This missed visit already has a make-up booked.")
    elif course.prescribed_sessions is not None:
        course.prescribed_sessions += 1
    session = TmsSession(course_id=course.id, patient_id=course.patient_id, scheduled_at=at, status_by_id=by.id,
                         updated_at=now, makeup_for_id=makeup_for.id if makeup_for else None)
    db.add(session)
    db.flush()
    return session


def reschedule_session(db: Session, *, session: TmsSession, at: datetime, by: User, now: datetime) -> None:
    if session.status != SessionStatus.SCHEDULED:
        raise SessionError("scheduled_at", "Only a session that hasn't happened yet can be moved.")
    patient = db.get(User, session.patient_id)
    _check_open(db, at, field="scheduled_at", patient=patient)
    protocols.check_no_overlap(at, _existing_starts(db, patient.id, excluding=session.id),
                               tz=patient_clinic_time(db, patient).tz)
    if at != session.scheduled_at:
        session.sequence += 1
    session.scheduled_at, session.status_by_id, session.updated_at = at, by.id, now
    db.flush()


def calendar_status_changes(old: SessionStatus, new: SessionStatus) -> bool:
    """A calendar sees only cancelled or not: cancelling, or undoing a cancellation, is a new SEQUENCE (RFC 5545)."""
    return (old == SessionStatus.CANCELLED) != (new == SessionStatus.CANCELLED)


def set_status(db: Session, *, session: TmsSession, status: SessionStatus, by: User, at: datetime,
               patient_reported: bool = False, started_at: datetime | None = None) -> None:
    """Staff mark a visit completed (with its actual start), missed or cancelled, or back to scheduled (undo).

    The post-TMS window opens at the actual start plus the course's session length, not at `at` (the tap).
    A completed visit given a new start is a correction: `completed_at` keeps when it was first recorded and the
    change is kept in the visit's history. Other visits are never touched.
    """
    previous = (session.status, session.started_at)
    was_completed = session.status == SessionStatus.COMPLETED
    if calendar_status_changes(session.status, status):
        session.sequence += 1
    if status == SessionStatus.COMPLETED:
        started = started_at or session.started_at or session.scheduled_at
        if not patient_reported:
            _check_start(db, session, started, now=at)
        session.started_at = started
        session.completed_at = session.completed_at if was_completed else at
        session.patient_reported = patient_reported if not was_completed else session.patient_reported
    else:
        session.started_at = None
        session.completed_at = None
        session.patient_reported = False
    session.status = status
    if (session.status, session.started_at) == previous:
        return
    session.status_by_id, session.updated_at = by.id, at
    db.add(TmsSessionChange(
        session_id=session.id, changed_by_id=by.id, changed_at=at, status_from=previous[0].value,
        status_to=status.value, started_from=previous[1], started_to=session.started_at,
    ))
    db.flush()
    if status == SessionStatus.COMPLETED and not was_completed:
        events.session_completed.send(session, session=session, db=db)
    events.session_changed.send(session, session=session, db=db, previous=previous)


def _check_start(db: Session, session: TmsSession, started: datetime, *, now: datetime) -> None:
    course = db.get(TmsCourse, session.course_id)
    clinic = patient_clinic_time(db, session.patient_id)
    visit_rules.check_actual_start(
        started, scheduled=session.scheduled_at, course_start=course.start_date, tz=clinic.tz,
        opens_at=clinic.opens_at, closes_at=clinic.closes_at, now=now,
    )


def session_length(db: Session, session: TmsSession) -> timedelta:
    course = db.get(TmsCourse, session.course_id)
    return timedelta(minutes=course.session_minutes if course else DEFAULT_SESSION_MINUTES)


def session_history(db: Session, session: TmsSession) -> list[TmsSessionChange]:
    return list(db.exec(
        select(TmsSessionChange).where(TmsSessionChange.session_id == session.id)
        .order_by(TmsSessionChange.changed_at, TmsSessionChange.id)
    ))


def complete_session(db: Session, *, session: TmsSession, by: User, at: datetime) -> None:
    if session.status == SessionStatus.COMPLETED:
        return
    patient_reported = by.id == session.patient_id
    started = visit_rules.patient_reported_start(session.scheduled_at, at, session_length(db, session)) if patient_reported else None
    set_status(db, session=session, status=SessionStatus.COMPLETED, by=by, at=at, patient_reported=patient_reported,
               started_at=started)


def patient_can_confirm(session: TmsSession, tz: ZoneInfo, now: datetime) -> bool:
    """Only a still-scheduled session booked for today, from an hour before its time."""
    return (
        session.status == SessionStatus.SCHEDULED
        and session.scheduled_at.astimezone(tz).date() == now.astimezone(tz).date()
        and now >= session.scheduled_at - PATIENT_CONFIRM_EARLIEST
    )


def confirm_by_patient(db: Session, *, session: TmsSession, patient: User, now: datetime) -> None:
    if session.patient_id != patient.id:
        raise SessionError("session", "Not your session.")
    if not patient_can_confirm(session, ZoneInfo(patient.timezone), now):
        raise SessionError("session", "You can confirm a session on its day, once it has started.")
    complete_session(db, session=session, by=patient, at=now)


def course_progress(sessions: list[TmsSession], prescribed: int | None = None) -> dict:
    """Delivered sessions against prescribed ones ("30 of 30" after a missed visit and its make-up).

    Without a stored prescription, every non-cancelled session that is not a make-up counts toward it."""
    counted = [s for s in sessions if s.status != SessionStatus.CANCELLED]
    total = prescribed if prescribed is not None else sum(s.makeup_for_id is None for s in counted)
    made_up = {s.makeup_for_id for s in counted if s.makeup_for_id is not None}
    return {
        "done": sum(s.status == SessionStatus.COMPLETED for s in counted),
        "missed": sum(s.status == SessionStatus.MISSED and s.id not in made_up for s in counted),
        "made_up": len(made_up),
        "total": total,
    }


def extend_course(db: Session, *, course: TmsCourse, sessions: int, by: User, now: datetime) -> list[TmsSession]:
    """Add a block of sessions after the course's last one (CLINICAL.md: courses are extended in blocks, often
    10, when response is partial): same weekdays and time of day, closures skipped, one a day."""
    if not 1 <= sessions <= 30:
        raise SessionError("sessions", "Extend by 1 to 30 sessions at a time.")
    clinic = patient_clinic_time(db, course.patient_id)
    last = db.exec(select(TmsSession).where(TmsSession.course_id == course.id)
                   .order_by(TmsSession.scheduled_at.desc())).first()
    if last is None:
        raise SessionError("sessions", "This course has no sessions to extend from.")
    local_last = last.scheduled_at.astimezone(clinic.tz)
    weekdays = frozenset(course.parameters.get("weekdays") or ([] if course.include_weekends else range(5))) or None
    days = protocols.ClinicDays(closed_days(db, since=local_last.date(), site_id=clinic.site_id), course.include_weekends)
    try:
        chosen = protocols.open_days(local_last.date() + timedelta(days=1), sessions, days, weekdays=weekdays,
                                     field="sessions")
        starts = [protocols.local_to_utc(day, local_last.time(), clinic.tz, field="sessions") for day in chosen]
    except protocols.ProtocolError as error:
        raise SessionError("sessions", error.message) from None
    existing = _existing_starts(db, course.patient_id)
    for moment in starts:
        try:
            protocols.check_no_overlap(moment, existing, tz=clinic.tz)
        except protocols.ProtocolError as error:
            raise SessionError("sessions", error.message) from None
    added = [TmsSession(course_id=course.id, patient_id=course.patient_id, scheduled_at=m, status_by_id=by.id,
                        updated_at=now) for m in starts]
    db.add_all(added)
    course.prescribed_sessions = (course.prescribed_sessions or 0) + sessions
    db.add(course)
    db.flush()
    return added
