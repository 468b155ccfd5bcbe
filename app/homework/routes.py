"""The therapist assigns homework to a patient and sees how each assignment is going."""
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from app import validation
from app.db import get_db
from app.homework import assignments, timing
from app.homework.kinds import KINDS, target_choices
from app.homework.schedule import load_homework, local_today
from app.models import Assignment, AssignmentTiming, HomeworkKind
from app.models.types import utcnow
from app.policy import get_patient_for, therapist_required
from app.tms.protocol_input import WEEKDAY_NAMES

bp = Blueprint("homework", __name__)

TIMING_LABELS = {
    timing.TimingKind.POST_TMS: "Within N hours after each TMS session",
    timing.TimingKind.POST_LAST_TMS: "Within N hours after the day's last TMS session",
    timing.TimingKind.PRE_TMS: "Within N hours before each TMS visit",
    timing.TimingKind.BETWEEN_TMS: "In the gaps between sessions on accelerated days (at most N hours)",
    timing.TimingKind.DAILY: "Every day",
    timing.TimingKind.WEEKDAYS: "On chosen weekdays",
    timing.TimingKind.WEEKLY: "Once a week",
    timing.TimingKind.ONCE: "Once, by a due date",
    timing.TimingKind.NON_TMS_DAYS: "On days without TMS",
}


def _parse_date(raw: str, field: str, *, required: bool) -> date | None:
    """A start or end date under the app's one date policy (2000 to 20 years ahead)."""
    try:
        return validation.schedule_date(raw, field=field, label="a date", required=required)
    except validation.FieldError as error:
        raise assignments.AssignmentError(field, error.message) from None


def _page(patient, *, errors=None, form=None, status=200):
    db = get_db()
    now = utcnow()
    today = local_today(patient, now)
    homework = load_homework(db, [patient])[patient.id]
    summaries = {}
    for assignment in homework.assignments:
        views = [v for v in homework.views(through=today, now=now) if v.assignment.id == assignment.id]
        recent = [v.status for v in views if v.occurrence.local_date > today - timedelta(days=7)]
        summaries[assignment.id] = {"all": timing.summarize(v.status for v in views), "week": timing.summarize(recent)}
    return render_template(
        "homework/patient_assignments.html",
        patient=patient,
        assignments=homework.assignments,
        timings=homework.timings,
        summaries=summaries,
        kinds=KINDS,
        target_options={kind: target_choices(kind, db, patient) for kind in HomeworkKind},
        timing_labels=TIMING_LABELS,
        weekday_names=WEEKDAY_NAMES,
        today=today,
        errors=errors or {},
        form=form or {},
    ), status


@bp.get("/patients/<int:patient_id>/homework")
@therapist_required
def patient_assignments(patient_id: int):
    return _page(get_patient_for(get_db(), current_user, patient_id))


def _form_values():
    form = request.form
    rule = assignments.rule_from_form(form, form.getlist("weekdays"))
    return form, rule


@bp.post("/patients/<int:patient_id>/homework")
@therapist_required
def create(patient_id: int):
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id)
    form = request.form
    try:
        try:
            kind = HomeworkKind(form.get("kind", ""))
        except ValueError:
            raise assignments.AssignmentError("kind", "Choose what kind of homework this is.") from None
        target = form.get(f"target_{kind.value}") or None
        if target and target not in {value for value, _label in target_choices(kind, db, patient)}:
            raise assignments.AssignmentError("target", "Choose one of the listed options.")
        _form, rule = _form_values()
        assignment = assignments.create_assignment(
            db, patient=patient, by=current_user, kind=kind, title=form.get("title", ""),
            instructions=form.get("instructions", ""), target=target,
            start=_parse_date(form.get("start_date"), "start_date", required=True),
            end=_parse_date(form.get("end_date"), "end_date", required=False), rule=rule,
        )
    except (assignments.AssignmentError, timing.TimingRuleError) as error:
        db.rollback()
        return _page(patient, errors={error.field: error.message}, form=form, status=400)
    db.commit()
    flash(f"Assigned “{assignment.title}”.", "success")
    return redirect(url_for("homework.patient_assignments", patient_id=patient.id), 303)


def _assignment_for_therapist(db, assignment_id: int):
    assignment = db.get(Assignment, assignment_id) or abort(404)
    patient = get_patient_for(db, current_user, assignment.patient_id)
    return assignment, patient


@bp.route("/homework/<int:assignment_id>/edit", methods=["GET", "POST"])
@therapist_required
def edit(assignment_id: int):
    db = get_db()
    assignment, patient = _assignment_for_therapist(db, assignment_id)
    today = local_today(patient, utcnow())
    errors, form = {}, request.form
    if request.method == "POST":
        try:
            _form, rule = _form_values()
            assignments.update_assignment(
                db, assignment=assignment, title=form.get("title", ""), instructions=form.get("instructions", ""),
                end=_parse_date(form.get("end_date"), "end_date", required=False), rule=rule, today=today,
            )
        except (assignments.AssignmentError, timing.TimingRuleError) as error:
            db.rollback()
            errors = {error.field: error.message}
        else:
            db.commit()
            flash("Homework updated. Timing changes apply from today; earlier days keep their old timing.", "success")
            return redirect(url_for("homework.patient_assignments", patient_id=patient.id), 303)
    versions = db.exec(
        select(AssignmentTiming).where(AssignmentTiming.assignment_id == assignment.id).order_by(AssignmentTiming.effective_from)
    ).all()
    current = versions[-1]
    if request.method == "GET":
        form = {
            "title": assignment.title, "instructions": assignment.instructions,
            "end_date": assignment.end_date.isoformat() if assignment.end_date else "",
            "timing_kind": current.kind.value, "window_hours": str(current.window_hours),
            "local_time": current.local_time.strftime("%H:%M") if current.local_time else "",
            "due_date": current.due_date.isoformat() if current.due_date else "",
        }
    chosen_days = request.form.getlist("weekdays") if request.method == "POST" else current.weekdays.split(",")
    return render_template(
        "homework/edit.html", assignment=assignment, patient=patient, versions=versions, form=form, errors=errors,
        timing_labels=TIMING_LABELS, weekday_names=WEEKDAY_NAMES, chosen_days=chosen_days, kinds=KINDS,
    ), 400 if errors else 200


@bp.post("/homework/<int:assignment_id>/end")
@therapist_required
def end(assignment_id: int):
    db = get_db()
    assignment, patient = _assignment_for_therapist(db, assignment_id)
    assignments.end_assignment(db, assignment=assignment, today=local_today(patient, utcnow()))
    db.commit()
    flash(f"“{assignment.title}” ends today.", "success")
    return redirect(url_for("homework.patient_assignments", patient_id=patient.id), 303)
