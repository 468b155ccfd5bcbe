"""Check-ins and questionnaires: the patient's pages, the therapist's Measures tab, the TMS team's side effects.

A PHQ-9 with item 9 above 0 raises its safety event and commits it before the rest is validated, so the event
survives a submission that comes back for a missing answer (CLINICAL.md, Safety).
"""
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_babel import gettext as _
from sqlmodel import select

from app.checkins import instruments, services
from app.checkins.entries import EntryInvalid, parse_checkin, parse_side_effects, red_flag_signal, safety_item_answer
from app.checkins.instruments import (
    CLINICIAN_SCALES, INSTRUMENTS, AnswersInvalid, InstrumentCode, item_field_name, validate_answers,
)
from app.checkins.wording import phq9_difficulty, wording_for
from app.db import get_db
from app.i18n import language_of
from app.homework.schedule import local_today
from app.models import TmsSession, User
from app.models.checkins import NOTE_MAX
from app.models.types import utcnow
from app.models import Role
from app.policy import (Facet, care_team_required, get_patient_for, patient_required, role_required,
                        therapist_required, visible_patients)
from app.pwa.idempotency import commit_before_outcome, idempotent, submitted_key
from app.safety import rules as safety_rules
from app.security.content import DATABASE_INT_MAX
from app.validation import whole_number
from app.safety import services as safety
from app.sites.current import current_site

bp = Blueprint("checkins", __name__)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@bp.app_template_global("checkins_today")
def checkins_today(patient: User) -> services.TodayCheckins:
    """For templates/checkins/_today.html, included on Today."""
    return services.today_checkins(get_db(), patient=patient, now=utcnow())


@bp.app_template_filter("difficulty_label")
def difficulty_label(value: int | None) -> str:
    return instruments.difficulty_label(value)


@bp.app_template_global("instrument_wording")
def instrument_wording(instrument):
    """The instrument as the signed-in patient sees it: validated wording in their language, else English."""
    return wording_for(instrument, language_of(current_user))


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
            flash(_("Check-in saved. Thank you."), "success")
            return redirect(url_for("today.index"), 303)
    return render_template(
        "checkins/new.html", kept=request.form, errors=errors, note_max=NOTE_MAX
    ), 400 if errors else 200


def _own_session(db, raw_id) -> TmsSession | None:
    if raw_id in (None, ""):
        return None
    number = whole_number(raw_id)
    session = db.get(TmsSession, number) if number is not None and number <= DATABASE_INT_MAX else None
    if session is None or session.patient_id != current_user.id:
        abort(404)
    return session


@bp.route("/checkins/side-effects", methods=["GET", "POST"])
@idempotent
@patient_required
def side_effects():
    """A TMS red flag (CLINICAL.md, Safety) is recorded through the safety pathway before the rest is validated,
    and the patient is told at once what to do (911 for a seizure or fainting, otherwise call the clinic today)."""
    db = get_db()
    session = _own_session(db, request.values.get("session_id"))
    errors: dict[str, str] = {}
    event = None
    if request.method == "POST":
        now = utcnow()
        at = safety_rules.original_time(request.form.get("client_time"), now=now)
        if (signal := red_flag_signal(request.form)) is not None:
            event = safety.raise_signal(db, patient=current_user, signal=signal, at=at, now=now,
                                        origin=safety.submission_origin(submitted_key()))
            commit_before_outcome(db)
        try:
            values = parse_side_effects(request.form)
        except EntryInvalid as invalid:
            errors = invalid.errors
        else:
            services.create_side_effect_check(db, patient=current_user, values=values, session=session, at=at)
            db.commit()
            if event is not None:
                return redirect(url_for("safety.urgent"), 303)
            flash(_("Thanks. The TMS team will see this before your next visit."), "success")
            return redirect(url_for("today.index"), 303)
    return render_template(
        "checkins/side_effects.html", kept=request.form, errors=errors, session=session, note_max=NOTE_MAX,
        red_flags=safety_rules.RED_FLAGS, safety_event=event, settings=current_site(db),
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
@idempotent
@patient_required
def questionnaire(code: str):
    """Item 9 above 0 goes through the safety pathway first; the same form sent again (same idempotency key)
    updates that one event with the highest answer. A questionnaire queued offline keeps its original time."""
    wording = wording_for(INSTRUMENTS.get(code) or abort(404), language_of(current_user))
    instrument = wording.instrument
    difficulty = phq9_difficulty(wording)
    db = get_db()
    errors: dict[str, str] = {}
    event = None
    if request.method == "POST":
        now = utcnow()
        at = safety_rules.original_time(request.form.get("client_time"), now=now)
        if (signal := safety_rules.phq9_signal(safety_item_answer(instrument, request.form))) is not None:
            event = safety.raise_signal(db, patient=current_user, signal=signal, at=at, now=now,
                                        origin=safety.submission_origin(submitted_key()))
            commit_before_outcome(db)
        extra, errors = _closing_answers(instrument, request.form)
        try:
            answers = validate_answers(instrument, request.form)
        except AnswersInvalid as invalid:
            errors = {**invalid.field_errors, **errors}
        if not errors:
            services.submit_questionnaire(
                db, patient=current_user, instrument=instrument, answers=answers, at=at, safety_event=event,
                language=wording.language, **extra
            )
            db.commit()
            if event is not None:
                return redirect(url_for("safety.crisis"), 303)
            flash(_("%(name)s saved. Thank you.", name=instrument_name(instrument.code)), "success")
            return redirect(url_for("checkins.questionnaires"), 303)
    return render_template(
        "checkins/questionnaire.html",
        instrument=instrument,
        wording=wording,
        kept=request.form,
        errors=errors,
        field_name=item_field_name,
        safety_event=event,
        experience=current_user.stressful_experience,
        difficulty_question=difficulty[0],
        difficulty_options=difficulty[1],
        settings=current_site(db),
    ), 400 if errors else 200


def _closing_answers(instrument, form) -> tuple[dict, dict[str, str]]:
    """The PHQ-9 difficulty answer (optional, unscored) and the PCL-5's named experience (required)."""
    try:
        if instrument.code == InstrumentCode.PHQ9:
            return {"difficulty": instruments.parse_difficulty(form.get("difficulty"))}, {}
        if instrument.code == InstrumentCode.PCL5:
            return {"experience": instruments.parse_experience(form.get("experience"))}, {}
    except instruments.TotalInvalid as error:
        return {}, {error.field: error.message}
    return {}, {}


# Therapist: the Measures tab.


@bp.post("/patients/<int:patient_id>/measures/experience")
@therapist_required
def therapist_experience(patient_id: int):
    """Name the stressful experience the patient's PCL-5 asks about (shown to them on the form)."""
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id)
    try:
        services.set_stressful_experience(db, patient=patient, text=request.form.get("experience", ""))
    except instruments.TotalInvalid as error:
        db.rollback()
        return _render_measures(patient, errors={error.field: error.message}, kept=request.form, status=400)
    db.commit()
    flash("The PCL-5 now asks about this experience.", "success")
    return redirect(url_for("checkins.therapist_measures", patient_id=patient.id), 303)


def _render_measures(patient: User, *, errors=None, kept=None, status: int = 200):
    db = get_db()
    now = utcnow()
    today = local_today(patient, now)
    return render_template(
        "checkins/therapist_measures.html",
        patient=patient,
        phq9=list(reversed((course := services.phq9_outcomes(db, patient=patient, now=now)).points)),
        phq9_note=course.baseline_note,
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
    weekday = whole_number(raw_weekday) if enabled else None
    weekday = weekday if weekday is not None and weekday <= 6 else None
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
    """The TMS team's view of post-visit side effects at the current site, newest first."""
    db = get_db()
    site = current_site(db)
    patients = {p.id: p for p in db.exec(visible_patients(current_user, facet=Facet.schedule)
                                         .where(User.site_id == site.id)).all()}
    rows = services.side_effect_checks(db, patient_ids=list(patients), limit=200)
    sessions = {s.id: s for s in db.exec(select(TmsSession).where(TmsSession.id.in_([r.session_id for r in rows if r.session_id])))}
    return render_template("checkins/side_effects_report.html", rows=rows, patients=patients, sessions=sessions)
