"""Therapist pages: a patient's appointments (make a weekly series at a suggested slot, move, cancel) and the
therapist's own day list. Times are entered and listed in clinic time, like TMS visits."""
from datetime import datetime, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from app import validation
from app.appointments import rules, services
from app.clinic.settings import clinic_time, patient_clinic_time
from app.db import get_db
from app.homework.schedule import local_day_bounds
from app.models import TherapyAppointment, User
from app.models.appointments import DEFAULT_APPOINTMENT_MINUTES
from app.models.types import utcnow
from app.policy import get_patient_for, therapist_required, visible_patients
from app.security.content import date_arg
from app.tms import protocols
from app.tms.protocol_input import InputError, parse_date, parse_time

bp = Blueprint("appointments", __name__)

DEFAULT_WEEKS = 6
"""Weekly by default, for about the length of an acute TMS course."""
MAX_MINUTES = 240


def _pattern() -> rules.Pattern:
    try:
        return rules.Pattern(request.values.get("pattern", rules.Pattern.same_day))
    except ValueError:
        return rules.Pattern.same_day


def _page(patient: User, *, errors: dict | None = None, form: dict | None = None, status: int = 200):
    db = get_db()
    clinic = patient_clinic_time(db, patient)
    now = utcnow()
    today = now.astimezone(clinic.tz).date()
    pattern = _pattern()
    slot = services.suggestion(db, patient=patient, pattern=pattern, clinic=clinic, today=today,
                               minutes=DEFAULT_APPOINTMENT_MINUTES)
    listed = services.patient_appointments(db, patient.id, start=now - timedelta(days=28), include_cancelled=True)
    therapists = {u.id: u for u in db.exec(select(User).where(User.id.in_({a.therapist_id for a in listed})))}
    errors = errors or {}
    return render_template(
        "appointments/patient.html", patient=patient, appointments=listed, therapists=therapists, now=now,
        clinic_tz=clinic.tz.key, slot=slot, pattern=pattern, patterns=rules.Pattern, errors=errors,
        form=form or {}, default_weeks=DEFAULT_WEEKS, default_minutes=DEFAULT_APPOINTMENT_MINUTES,
    ), status


@bp.get("/patients/<int:patient_id>/appointments")
@therapist_required
def patient_appointments(patient_id: int):
    return _page(get_patient_for(get_db(), current_user, patient_id))


def _starts(form, clinic_tz, *, date_field: str = "date", time_field: str = "time") -> datetime:
    day = parse_date(form, date_field, "the date")
    at = parse_time(form, time_field)
    return protocols.local_to_utc(day, at, clinic_tz, field=time_field)


@bp.post("/patients/<int:patient_id>/appointments")
@therapist_required
def create(patient_id: int):
    """A weekly series (1 week is a single appointment) at one clinic wall-clock time."""
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id)
    clinic = patient_clinic_time(db, patient)
    errors = validation.Collector()
    weeks = errors.check(validation.integer, request.form.get("weeks"), field="weeks", label="Weeks",
                         low=1, high=rules.MAX_WEEKS)
    minutes = errors.check(validation.integer, request.form.get("minutes"), field="minutes", label="Minutes",
                           low=10, high=MAX_MINUTES)
    starts = []
    try:
        day = parse_date(request.form, "date", "the date")
        at = parse_time(request.form, "time")
        if weeks:
            starts = [protocols.local_to_utc(d, at, clinic.tz, field="time") for d in rules.weekly_days(day, weeks)]
    except (InputError, protocols.ProtocolError) as error:
        errors.add(error.field, error.message)
    try:
        errors.raise_if_any()
        made = services.schedule(db, patient=patient, therapist=current_user, starts=starts, minutes=minutes,
                                 by=current_user, now=utcnow())
    except validation.FormInvalid as invalid:
        db.rollback()
        return _page(patient, errors=invalid.errors, form=request.form, status=400)
    except validation.FieldError as error:
        db.rollback()
        return _page(patient, errors={error.field: error.message}, form=request.form, status=400)
    db.commit()
    first = made[0].starts_at.astimezone(clinic.tz)
    flash(f"{len(made)} appointment{'s' if len(made) != 1 else ''} booked from {first:%a %d %b %H:%M}.", "success")
    return redirect(url_for("appointments.patient_appointments", patient_id=patient.id), 303)


def _appointment(db, appointment_id: int) -> tuple[TherapyAppointment, User]:
    appointment = db.get(TherapyAppointment, appointment_id) or abort(404)
    return appointment, get_patient_for(db, current_user, appointment.patient_id)


@bp.post("/appointments/<int:appointment_id>/cancel")
@therapist_required
def cancel(appointment_id: int):
    db = get_db()
    appointment, patient = _appointment(db, appointment_id)
    services.cancel(db, appointment=appointment, now=utcnow())
    db.commit()
    when = appointment.starts_at.astimezone(patient_clinic_time(db, patient).tz)
    flash(f"Appointment on {when:%a %d %b %H:%M} cancelled; {patient.name}'s calendar will remove it.", "success")
    return redirect(_next() or url_for("appointments.patient_appointments", patient_id=patient.id), 303)


@bp.post("/appointments/<int:appointment_id>/move")
@therapist_required
def move(appointment_id: int):
    db = get_db()
    appointment, patient = _appointment(db, appointment_id)
    field = f"move-{appointment.id}"
    try:
        starts_at = _starts(request.form, patient_clinic_time(db, patient).tz)
        services.reschedule(db, appointment=appointment, patient=patient, starts_at=starts_at, now=utcnow())
    except (InputError, protocols.ProtocolError) as error:
        db.rollback()
        return _page(patient, errors={field: error.message}, form=request.form, status=400)
    except validation.FieldError as error:
        db.rollback()
        return _page(patient, errors={field: error.message}, form=request.form, status=400)
    db.commit()
    flash("Appointment moved.", "success")
    return redirect(url_for("appointments.patient_appointments", patient_id=patient.id), 303)


def _next() -> str | None:
    return validation.safe_next(request.form.get("next"))


@bp.get("/appointments")
@therapist_required
def day_list():
    """The therapist's appointments on one clinic day (default today), with the patients they may see."""
    db = get_db()
    clinic = clinic_time(db)
    day = date_arg("day") or utcnow().astimezone(clinic.tz).date()
    start, end = local_day_bounds(day, clinic.tz)
    patients = visible_patients(current_user).subquery()
    rows = db.exec(
        select(TherapyAppointment, User).join(User, User.id == TherapyAppointment.patient_id)
        .where(TherapyAppointment.therapist_id == current_user.id, TherapyAppointment.starts_at >= start,
               TherapyAppointment.starts_at < end, TherapyAppointment.patient_id.in_(select(patients.c.id)))
        .order_by(TherapyAppointment.starts_at)
    ).all()
    return render_template("appointments/day.html", rows=rows, day=day, clinic_tz=clinic.tz.key,
                           previous=day - timedelta(days=1), following=day + timedelta(days=1),
                           today=utcnow().astimezone(clinic.tz).date())
