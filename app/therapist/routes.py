"""The therapist's caseload and per-patient overview."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import validation
from app.charts.sparkline import sparkline
from app.db import get_db
from app.security.content import date_arg
from app.models.types import utcnow
from app.policy import care_team_required, get_patient_for, may_set_progress_scores, therapist_required
from app.homework.kinds import KINDS
from app.homework.schedule import local_today
from app.therapist.caseload import SORTS, build_caseload, filter_and_sort
from app.therapist.review import SECTION_ANCHORS, build_review, record_therapy_session

bp = Blueprint("therapist", __name__)


@bp.get("/patients")
@care_team_required
def patients():
    """Open safety alerts first, then who needs attention; sortable and filterable with plain GET parameters."""
    rows = build_caseload(get_db(), current_user, utcnow())
    sort = request.args.get("sort", "attention")
    shown = filter_and_sort(
        rows, query=request.args.get("q", ""), attention_only=request.args.get("attention") == "1", sort=sort
    )
    return render_template(
        "therapist/patients.html",
        rows=shown,
        total=len(rows),
        patients=[r.patient for r in rows],
        safety_events={r.patient.id: r.open_events for r in rows if r.open_events},
        sort=sort if sort in SORTS else "attention",
        sparkline=sparkline,
    )


@bp.get("/patients/<int:patient_id>")
@therapist_required
def patient(patient_id: int):
    """The pre-session review: since the last therapy session by default, or since ?since=YYYY-MM-DD."""
    db = get_db()
    record = get_patient_for(db, current_user, patient_id)
    since = date_arg("since")
    if since is not None and since > local_today(record, utcnow()):
        abort(400, description="A review period starts today or earlier.")
    review = build_review(db, record, since=since, now=utcnow())
    return render_template("therapist/patient.html", patient=record, review=review, kinds=KINDS, anchors=SECTION_ANCHORS,
                           sets_progress_scores=may_set_progress_scores(current_user, record))


@bp.post("/patients/<int:patient_id>/progress-scores")
@therapist_required
def progress_scores(patient_id: int):
    """Show (or hide) questionnaire scores on the patient's own Progress page."""
    db = get_db()
    record = get_patient_for(db, current_user, patient_id)
    if not may_set_progress_scores(current_user, record):
        abort(403)
    record.progress_scores = request.form.get("shown") == "1"
    db.add(record)
    db.commit()
    flash("Questionnaire scores are now shown on the patient's Progress page." if record.progress_scores
          else "Questionnaire scores are no longer shown on the patient's Progress page.", "success")
    return redirect(url_for("therapist.patient", patient_id=record.id), 303)


@bp.post("/patients/<int:patient_id>/therapy-sessions")
@therapist_required
def add_therapy_session(patient_id: int):
    db = get_db()
    record = get_patient_for(db, current_user, patient_id)
    try:
        held_on = validation.schedule_date(request.form.get("held_on"), field="held_on", label="the session date",
                                           today=local_today(record, utcnow()))
    except validation.FieldError as error:
        flash(error.message, "error")
        return redirect(url_for("therapist.patient", patient_id=record.id), 303)
    record_therapy_session(db, patient=record, therapist=current_user, held_on=held_on)
    db.commit()
    flash(f"Therapy session on {held_on:%d %b} recorded.", "success")
    return redirect(url_for("therapist.patient", patient_id=record.id), 303)
