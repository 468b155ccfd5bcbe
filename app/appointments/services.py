"""Making, moving and cancelling therapy appointments; each change bumps the calendar SEQUENCE and rewrites the
patient's reminder, so a calendar or a lock screen never shows an old time."""
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from app.appointments.rules import Pattern, Slot, suggest_slot
from app.clinic.settings import ClinicTime, closed_days
from app.homework.timing import SessionStatus
from app.models import AppointmentStatus, TherapyAppointment, TmsCourse, TmsSession, User
from app.push.reminders import drop_appointment_reminders, has_devices, queue_appointment_reminder
from app.validation import FieldError


def _check_future(starts_at: datetime, now: datetime, field: str) -> None:
    if starts_at <= now:
        raise FieldError(field, "Choose a time that has not passed yet.")


def _remind(db: Session, appointment: TherapyAppointment, patient: User, now: datetime) -> None:
    if has_devices(db, patient.id):
        queue_appointment_reminder(db, appointment=appointment, patient=patient, now=now)


def schedule(db: Session, *, patient: User, therapist: User, starts: list[datetime], minutes: int, by: User,
             now: datetime) -> list[TherapyAppointment]:
    """One appointment per start (a weekly series); a start already booked for this patient is refused."""
    for start in starts:
        _check_future(start, now, "date")
    booked = set(db.exec(select(TherapyAppointment.starts_at).where(
        TherapyAppointment.patient_id == patient.id, TherapyAppointment.status == AppointmentStatus.scheduled,
        TherapyAppointment.starts_at.in_(starts),
    )).all())
    if booked:
        raise FieldError("date", f"{patient.name} already has an appointment at that time.")
    made = []
    for start in starts:
        appointment = TherapyAppointment(patient_id=patient.id, therapist_id=therapist.id, starts_at=start,
                                         minutes=minutes, created_by_id=by.id, created_at=now, updated_at=now)
        db.add(appointment)
        made.append(appointment)
    db.flush()
    for appointment in made:
        _remind(db, appointment, patient, now)
    return made


def cancel(db: Session, *, appointment: TherapyAppointment, now: datetime) -> None:
    if appointment.status == AppointmentStatus.cancelled:
        return
    appointment.status = AppointmentStatus.cancelled
    appointment.sequence += 1
    appointment.updated_at = now
    db.add(appointment)
    drop_appointment_reminders(db, appointment=appointment)


def reschedule(db: Session, *, appointment: TherapyAppointment, patient: User, starts_at: datetime,
               now: datetime) -> None:
    _check_future(starts_at, now, f"move-{appointment.id}")
    if appointment.status == AppointmentStatus.cancelled:
        raise FieldError(f"move-{appointment.id}", "This appointment was cancelled; make a new one instead.")
    if starts_at == appointment.starts_at:
        return
    drop_appointment_reminders(db, appointment=appointment)
    appointment.starts_at = starts_at
    appointment.sequence += 1
    appointment.updated_at = now
    db.add(appointment)
    db.flush()
    _remind(db, appointment, patient, now)


def patient_appointments(db: Session, patient_id: int, *, start: datetime | None = None,
                         end: datetime | None = None, include_cancelled: bool = False) -> list[TherapyAppointment]:
    query = select(TherapyAppointment).where(TherapyAppointment.patient_id == patient_id)
    if start is not None:
        query = query.where(TherapyAppointment.starts_at >= start)
    if end is not None:
        query = query.where(TherapyAppointment.starts_at < end)
    if not include_cancelled:
        query = query.where(TherapyAppointment.status == AppointmentStatus.scheduled)
    return list(db.exec(query.order_by(TherapyAppointment.starts_at)))


def suggestion(db: Session, *, patient: User, pattern: Pattern, clinic: ClinicTime, today: date,
               minutes: int) -> Slot:
    """The form's suggested slot, from the patient's booked TMS visits in the next weeks (clinic time)."""
    horizon = datetime.combine(today + timedelta(days=35), datetime.min.time(), clinic.tz)
    first = today + timedelta(days=1)
    rows = db.exec(
        select(TmsSession.scheduled_at, TmsCourse.session_minutes)
        .join(TmsCourse, TmsCourse.id == TmsSession.course_id)
        .where(TmsSession.patient_id == patient.id, TmsSession.status == SessionStatus.SCHEDULED,
               TmsSession.scheduled_at >= datetime.combine(first, datetime.min.time(), clinic.tz),
               TmsSession.scheduled_at < horizon)
    ).all()
    visits = [at.astimezone(clinic.tz).replace(tzinfo=None) for at, _ in rows]
    visit_minutes = max((m for _, m in rows), default=40)
    return suggest_slot(visits, pattern=pattern, first_day=first, visit_minutes=visit_minutes,
                        appointment_minutes=minutes, closes_at=clinic.closes_at,
                        closed=closed_days(db, since=first, site_id=clinic.site_id))
