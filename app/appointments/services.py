"""Making, moving and cancelling therapy appointments; each change bumps the calendar SEQUENCE and rewrites the
patient's reminder, so a calendar or a lock screen never shows an old time."""
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from app.appointments.rules import Busy, Pattern, Slot, first_clash, suggest_slot
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
    """One appointment per start (a weekly series); a start that overlaps the patient's other appointments or TMS
    visits, or the therapist's other appointments, is refused and nothing is booked."""
    for start in starts:
        _check_future(start, now, "date")
    busy = _busy(db, patient=patient, therapist_id=therapist.id, around=starts)
    for start in starts:
        _refuse_clash(start, minutes, busy, patient, "date")
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


def _busy(db: Session, *, patient: User, therapist_id: int, around: list[datetime],
          ignore_id: int | None = None) -> list[Busy]:
    """The patient's booked appointments and TMS visits, and the therapist's appointments, within a day of `around`."""
    low, high = min(around) - timedelta(days=1), max(around) + timedelta(days=1)
    booked = db.exec(select(TherapyAppointment).where(
        TherapyAppointment.status == AppointmentStatus.scheduled,
        (TherapyAppointment.patient_id == patient.id) | (TherapyAppointment.therapist_id == therapist_id),
        TherapyAppointment.starts_at >= low, TherapyAppointment.starts_at <= high,
    )).all()
    visits = db.exec(
        select(TmsSession.scheduled_at, TmsCourse.session_minutes).join(TmsCourse, TmsCourse.id == TmsSession.course_id)
        .where(TmsSession.patient_id == patient.id, TmsSession.status == SessionStatus.SCHEDULED,
               TmsSession.scheduled_at >= low, TmsSession.scheduled_at <= high)
    ).all()
    return ([Busy(a.starts_at, a.minutes, "appointment" if a.patient_id == patient.id else "therapist")
             for a in booked if a.id != ignore_id]
            + [Busy(at, minutes, "tms") for at, minutes in visits])


CLASH_MESSAGES = {
    "appointment": "{name} already has an appointment at that time.",
    "tms": "That overlaps {name}'s TMS visit that day: choose a time after it ends.",
    "therapist": "You already have an appointment with another patient at that time.",
}


def _refuse_clash(start: datetime, minutes: int, busy: list[Busy], patient: User, field: str) -> None:
    clash = first_clash(start, minutes, busy)
    if clash is not None:
        raise FieldError(field, CLASH_MESSAGES[clash.what].format(name=patient.name))


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
    busy = _busy(db, patient=patient, therapist_id=appointment.therapist_id, around=[starts_at],
                 ignore_id=appointment.id)
    _refuse_clash(starts_at, appointment.minutes, busy, patient, f"move-{appointment.id}")
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
