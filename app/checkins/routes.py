"""Check-ins and questionnaires: the patient's pages, the therapist's Measures tab, the TMS team's side effects.

A PHQ-9 with item 9 above 0 raises its safety event and commits it before the rest is validated, so the event
survives a submission that comes back for a missing answer (CLINICAL.md, Safety).
"""
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from app.checkins import services
from app.checkins.entries import EntryInvalid, parse_checkin, parse_side_effects, safety_item_answer
from app.checkins.instruments import CLINICIAN_SCALES, INSTRUMENTS, AnswersInvalid, item_field_name, validate_answers
from app.db import get_db
from app.homework.schedule import local_today
from app.models import SafetyEventSource, TmsSession, User
from app.models.checkins import NOTE_MAX
from app.models.types import utcnow
from app.models import Role
from app.policy import (Facet, care_team_required, get_patient_for, patient_required, role_required,
                        therapist_required, visible_patients)
from app.pwa.idempotency import idempotent
from app.safety import services as safety

bp = Blueprint("checkins", __name__)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@bp.app_template_global("checkins_today")
def checkins_today(patient: User) -> services.TodayCheckins:
    """For templates/checkins/_today.html, included on Today."""
    return services.today_checkins(get_db(), patient=patient, now=utcnow())


@bp.app_template_filter("instrument_name")
def instrument_name(code: str) -> str:
    return services.SHORT_NAMES.get(code, code)


@bp.route("/checkins/new", methods=["GET", "POST"])
@idempotent
@patient_required
def new():
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            values = parse_checkin(request.form)
        except EntryInvalid as invalid:
            errors = invalid.errors
        else:
            db = get_db()
            services.create_checkin(db, patient=current_user, values=values, at=utcnow())
            db.commit()
            flash("Check-in saved. Thank you.", "success")
            return redirect(url_for("today.index"), 303)
    return render_template(
        "checkins/new.html", kept=request.form, errors=errors, note_max=NOTE_MAX
    ), 400 if errors else 200


def _own_session(db, raw_id) -> TmsSession | None:
    if raw_id in (None, ""):
        return None
    session = db.get(TmsSession, int(raw_id)) if str(raw_id).isdigit() else None
    if session is None or session.patient_id != current_user.id:
        abort(404)
    return session


@bp.route("/checkins/side-effects", methods=["GET", "POST"])
@patient_required
def side_effects():
    db = get_db()
    session = _own_session(db, request.values.get("session_id"))
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            values = parse_side_effects(request.form)
        except EntryInvalid as invalid:
            errors = invalid.errors
        else:
            services.create_side_effect_check(db, patient=current_user, values=values, session=session, at=utcnow())
            db.commit()
            flash("Thanks. The TMS team will see this before your next visit.", "success")
            return redirect(url_for("today.index"), 303)
    return render_template(
        "checkins/side_effects.html", kept=request.form, errors=errors, session=session, note_max=NOTE_MAX
    ), 400 if errors else 200


@bp.get("/questionnaires")
@patient_required
def questionnaires():
    """Due questionnaires first, then the others the therapist has turned on (PHQ-9 is always offered)."""
    db = get_db()
    now = utcnow()
    due = services.due_questionnaires(db, patient=current_user, now=now)
    due_codes = {d.instrument.code for d in due}
    scheduled = {
        e.instrument.code
        for e in services.questionnaire_schedule(db, patient=current_user, today=local_today(current_user, now))
        if e.assignment is not None
    }
    others = [i for code, i in INSTRUMENTS.items() if code not in due_codes and (code in scheduled or code == "phq9")]
    latest = {r.instrument: r for r in services.responses(db, patient=current_user)}
    return render_template("checkins/questionnaires.html", due=due, others=others, latest=latest)


@bp.route("/questionnaires/<code>", methods=["GET", "POST"])
@patient_required
def questionnaire(code: str):
    instrument = INSTRUMENTS.get(code) or abort(404)
    db = get_db()
    errors: dict[str, str] = {}
    event = None
    if request.method == "POST":
        now = utcnow()
        if (item_value := safety_item_answer(instrument, request.form)) is not None:
            event = safety.reusable_phq9_event(
                db, patient=current_user, event_id=request.form.get("safety_event_id"), at=now
            ) or safety.record_safety_event(
                db, patient=current_user, source=SafetyEventSource.phq9_item9, at=now, item_value=item_value
            )
            db.commit()
        try:
            answers = validate_answers(instrument, request.form)
        except AnswersInvalid as invalid:
            errors = invalid.field_errors
        else:
            services.submit_questionnaire(
                db, patient=current_user, instrument=instrument, answers=answers, at=now, safety_event=event
            )
            db.commit()
            if event is not None:
                return redirect(url_for("safety.crisis"), 303)
            flash(f"{instrument_name(instrument.code)} saved. Thank you.", "success")
            return redirect(url_for("checkins.questionnaires"), 303)
    return render_template(
        "checkins/questionnaire.html",
        instrument=instrument,
        kept=request.form,
        errors=errors,
        field_name=item_field_name,
        safety_event=event,
        settings=safety.clinic_settings(db) if event else None,
    ), 400 if errors else 200


# Therapist: the Measures tab.


def _render_measures(patient: User, *, errors=None, kept=None, status: int = 200):
    db = get_db()
    now = utcnow()
    today = local_today(patient, now)
    return render_template(
        "checkins/therapist_measures.html",
        patient=patient,
        phq9=list(reversed(services.phq9_course(db, patient=patient))),
        others={
            code: list(reversed(services.responses(db, patient=patient, code=code))) for code in ("gad7", "pcl5")
        },
        schedule=services.questionnaire_schedule(db, patient=patient, today=today),
        checkins=services.recent_checkins(db, patient=patient, since=now - timedelta(days=28)),
        side_effects=services.side_effect_checks(db, patient_ids=[patient.id], limit=30),
        ratings=services.clinician_ratings(db, patient=patient),
        scales=CLINICIAN_SCALES,
        weekdays=WEEKDAYS,
        errors=errors or {},
        kept=kept or {},
        today=today,
    ), status


@bp.get("/patients/<int:patient_id>/measures")
@care_team_required
def therapist_measures(patient_id: int):
    return _render_measures(get_patient_for(get_db(), current_user, patient_id, facet=Facet.medical))


@bp.post("/patients/<int:patient_id>/measures/schedule")
@therapist_required
def therapist_schedule(patient_id: int):
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id)
    code = request.form.get("code", "")
    raw_weekday = request.form.get("weekday", "")
    enabled = request.form.get("enabled") == "1"
    weekday = int(raw_weekday) if enabled and raw_weekday.isdigit() else None
    if enabled and weekday is None:
        return _render_measures(patient, errors={f"weekday-{code}": "Choose a weekday."}, status=400)
    try:
        services.set_questionnaire_schedule(
            db, patient=patient, code=code, weekday=weekday, by=current_user, today=local_today(patient, utcnow())
        )
    except EntryInvalid as invalid:
        return _render_measures(patient, errors={f"{k}-{code}": v for k, v in invalid.errors.items()}, status=400)
    db.commit()
    name = instrument_name(code)
    flash(f"{name} is now weekly on {WEEKDAYS[weekday]}s." if enabled else f"{name} is turned off.", "success")
    return redirect(url_for("checkins.therapist_measures", patient_id=patient.id), 303)


@bp.post("/patients/<int:patient_id>/measures/ratings")
@care_team_required
def therapist_rating(patient_id: int):
    """Therapist or physician: a clinician-rated total (HAM-D, MADRS, Y-BOCS) is part of the medical record."""
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id, facet=Facet.medical)
    try:
        services.add_clinician_rating(
            db, patient=patient, scale=request.form.get("scale", ""), total=request.form.get("total", ""),
            rated_on=request.form.get("rated_on", ""), by=current_user, today=local_today(current_user, utcnow()),
        )
    except EntryInvalid as invalid:
        return _render_measures(patient, errors=invalid.errors, kept=request.form, status=400)
    db.commit()
    flash("Rating saved.", "success")
    return redirect(url_for("checkins.therapist_measures", patient_id=patient.id), 303)


@bp.get("/clinic/side-effects")
@role_required(Role.admin, Role.technician, Role.physician, external=False)
def side_effects_report():
    """The TMS team's view of post-visit side effects across the clinic, newest first."""
    db = get_db()
    patients = {p.id: p for p in db.exec(visible_patients(current_user, facet=Facet.schedule)).all()}
    rows = services.side_effect_checks(db, patient_ids=list(patients), limit=200)
    sessions = {s.id: s for s in db.exec(select(TmsSession).where(TmsSession.id.in_([r.session_id for r in rows if r.session_id])))}
    return render_template("checkins/side_effects_report.html", rows=rows, patients=patients, sessions=sessions)
