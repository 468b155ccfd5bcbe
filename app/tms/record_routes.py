"""TMS treatment record pages: the technician's record of a delivered visit (from the day list), and a course's
record for the physician, with the dose delivered against the prescription."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from app.clinic.settings import clinic_time
from app.db import get_db
from app.homework.timing import SessionStatus
from app.models import TmsCourse, TmsSession, User
from app.models.types import utcnow
from app.policy import (Facet, get_patient_for, may_record_treatment, may_see, tms_delivery_required,
                        treatment_record_required)
from app.tms import record_rules, records
from app.validation import FieldError, FormInvalid, safe_next

bp = Blueprint("tms_record", __name__)

FIELD_ORDER = ("session", "target", "coil", "motor_threshold_pct", "motor_threshold_measured_on", "intensity_pct",
               "pattern", "pulses", "duration_minutes", "note")


@bp.app_template_global("tms_courses_of")
def tms_courses_of(patient: User) -> list[TmsCourse]:
    """The patient's courses, newest first, for links to their treatment record (only where it may be seen)."""
    if not may_see(patient, Facet.treatment.value):
        return []
    return list(get_db().exec(select(TmsCourse).where(TmsCourse.patient_id == patient.id)
                              .order_by(TmsCourse.start_date.desc())))


def _session(db, session_id: int) -> tuple[TmsSession, User, TmsCourse]:
    session = db.get(TmsSession, session_id) or abort(404)
    patient = get_patient_for(db, current_user, session.patient_id, facet=Facet.treatment)
    return session, patient, db.get(TmsCourse, session.course_id)


def _form_page(session, patient, course, *, form: dict, errors: dict | None = None, prefilled: bool = False,
               status: int = 200):
    db = get_db()
    tz = clinic_time(db).tz
    errors = errors or {}
    return render_template(
        "tms/record_form.html", session=session, patient=patient, course=course, form=form, errors=errors,
        error_items=[(name, errors[name]) for name in FIELD_ORDER if name in errors], prefilled=prefilled,
        patterns=record_rules.PATTERN_LABELS, adverse_events=record_rules.ADVERSE_EVENTS, tz=tz.key,
        delivered=session.status == SessionStatus.COMPLETED, next=safe_next(request.values.get("next")),
        visit_day=(session.started_at or session.scheduled_at).astimezone(tz).date(),
    ), status


@bp.get("/tms/sessions/<int:session_id>/record")
@tms_delivery_required
def record_form(session_id: int):
    """The visit's record, or a new one prefilled from the course's previous visit (its dose, not its events)."""
    db = get_db()
    session, patient, course = _session(db, session_id)
    existing = records.record_of(db, session)
    if existing is not None:
        return _form_page(session, patient, course, form=records.form_values(existing))
    previous = records.previous_record(db, session)
    form = records.form_values(previous, with_events=False) if previous else records.prescription_values(course)
    return _form_page(session, patient, course, form=form, prefilled=previous is not None)


@bp.post("/tms/sessions/<int:session_id>/record")
@tms_delivery_required
def save_record(session_id: int):
    db = get_db()
    session, patient, course = _session(db, session_id)
    form = request.form.to_dict() | {"adverse_events": request.form.getlist("adverse_events")}
    tz = clinic_time(db).tz
    now = utcnow()
    try:
        entry = record_rules.parse_record(
            request.form, adverse=request.form.getlist("adverse_events"), today=now.astimezone(tz).date(),
            visit_day=(session.started_at or session.scheduled_at).astimezone(tz).date(),
        )
        records.save_record(db, session=session, entry=entry, by=current_user, now=now)
    except FormInvalid as invalid:
        db.rollback()
        return _form_page(session, patient, course, form=form, errors=invalid.errors, status=400)
    except FieldError as error:
        db.rollback()
        return _form_page(session, patient, course, form=form, errors={error.field: error.message}, status=400)
    db.commit()
    red = [key for key in entry.adverse_events if key in record_rules.RED_FLAG_KEYS]
    flash(f"Treatment record saved for {patient.name}."
          + (" Red flag: the physician and the TMS team have been alerted." if red else ""),
          "error" if red else "success")
    return redirect(safe_next(request.form.get("next")) or url_for("tms_record.course_record", course_id=course.id), 303)


def _course(db, course_id: int) -> tuple[TmsCourse, User]:
    course = db.get(TmsCourse, course_id) or abort(404)
    return course, get_patient_for(db, current_user, course.patient_id, facet=Facet.treatment)


def _course_page(course, patient, *, form: dict | None = None, errors: dict | None = None, status: int = 200):
    db = get_db()
    return render_template(
        "tms/course_record.html", course=course, patient=patient, summary=records.course_record(db, course, now=utcnow()),
        patterns=record_rules.PATTERN_LABELS, adverse=record_rules.ADVERSE_BY_KEY, tz=clinic_time(db).tz.key,
        form=form if form is not None else records.prescription_values(course), errors=errors or {},
        prescribes=may_record_treatment(current_user),
    ), status


@bp.get("/tms/courses/<int:course_id>/record")
@treatment_record_required
def course_record(course_id: int):
    course, patient = _course(get_db(), course_id)
    return _course_page(course, patient)


@bp.post("/tms/courses/<int:course_id>/prescription")
@tms_delivery_required
def save_prescription(course_id: int):
    """The dose the physician prescribed for the course; each session's delivered dose is compared with it."""
    db = get_db()
    course, patient = _course(db, course_id)
    try:
        target, prescription = record_rules.parse_prescription(request.form)
    except FormInvalid as invalid:
        return _course_page(course, patient, form=request.form.to_dict(), errors=invalid.errors, status=400)
    records.save_prescription(db, course=course, prescription=prescription, target=target)
    db.commit()
    flash(f"Prescription saved for {course.label}.", "success")
    return redirect(url_for("tms_record.course_record", course_id=course.id), 303)
