"""Behavioural activation: the patient's week plan, planning and rating activities; the therapist's view."""
from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_babel import gettext as _

from app.formatting import longdate

from app import validation
from app.activation import planning, services
from app.activation.forms import IdeaForm, OutcomeForm, PlanForm
from app.activation.ideas import LIFE_AREA_LABELS
from app.db import get_db
from app.security.content import date_arg
from app.forms import show_errors
from app.history import services as history
from app.history.rules import EntryKind
from app.homework.schedule import local_today
from app.models import ActivityStatus, User
from app.models.types import utcnow
from app.policy import clinic_therapist_required, get_patient_for, patient_required, therapist_required
from app.pwa.idempotency import idempotent

bp = Blueprint("activation", __name__)


@bp.app_context_processor
def _labels():
    """App-wide, because the Today page (another blueprint) includes activation/_today.html."""
    return {"life_area_labels": LIFE_AREA_LABELS, "ActivityStatus": ActivityStatus}


def _week_asked(today: date) -> list[date]:
    """The week in ?week=YYYY-MM-DD (any day of it), else this week."""
    return planning.week_of(date_arg("week", today=today) or today)


def _week_context(patient: User, today: date) -> dict:
    week = _week_asked(today)
    days = services.activities_between(get_db(), patient, week[0], week[-1])
    return {
        "week": week,
        "days": days,
        "replanned": services.replanned_ids(get_db(), [a for day in days.values() for a in day]),
        "today": today,
        "previous_week": (week[0] - timedelta(days=7)).isoformat(),
        "next_week": (week[0] + timedelta(days=7)).isoformat(),
    }


@bp.get("/activities")
@patient_required
def plan():
    today = local_today(current_user, utcnow())
    return render_template("activation/plan.html", **_week_context(current_user, today))


@bp.route("/activities/new", methods=["GET", "POST"])
@patient_required
def new():
    db = get_db()
    today = local_today(current_user, utcnow())
    form = PlanForm()
    status = 200
    if request.method == "GET":
        form.title.data = request.args.get("title", "")[: planning.TITLE_LIMIT]
        form.life_area.data = request.args.get("area", "")
        form.planned_date.data = request.args.get("day") or today.isoformat()
    else:
        try:
            entry = planning.validate_plan(form.raw(), today=today)
        except validation.FormInvalid as invalid:
            show_errors(form, invalid.errors)
            status = 400
        else:
            activity = services.plan_activity(db, patient=current_user, by=current_user, plan=entry, at=utcnow())
            db.commit()
            flash(_("Planned: %(title)s.", title=activity.title), "success")
            return redirect(url_for("activation.plan", week=activity.planned_date.isoformat()), 303)
    return render_template("activation/new.html", form=form, ideas=services.ideas_by_area(db),
                           day=form.planned_date.data or today.isoformat()), status


@bp.route("/activities/<int:activity_id>/record", methods=["GET", "POST"])
@idempotent
@patient_required
def record(activity_id: int):
    db = get_db()
    activity = services.get_activity_for(db, current_user, activity_id)
    recorded = activity.status != ActivityStatus.planned
    if recorded and not history.is_editable(EntryKind.activity, activity, utcnow()):
        entry = history.Entry(EntryKind.activity, activity, history.made_at(EntryKind.activity, activity), False, None)
        return render_template("history/locked.html", entry=entry), 403 if request.method == "POST" else 200
    form = OutcomeForm()
    status = 200
    if request.method == "GET":
        if activity.status != ActivityStatus.planned:
            form.outcome.data = activity.status.value
            for name in ("pleasure", "mastery", "mood_before", "mood_after"):
                value = getattr(activity, name)
                form[name].data = "" if value is None else str(value)
            form.note.data = activity.note
    else:
        try:
            outcome = planning.validate_outcome(form.raw())
        except validation.FormInvalid as invalid:
            show_errors(form, invalid.errors)
            status = 400
        else:
            services.record_outcome(db, patient=current_user, activity=activity, outcome=outcome, at=utcnow())
            if recorded:
                history.mark_activity_edited(db, patient=current_user, activity=activity, at=utcnow())
            db.commit()
            flash(_("Well done, and thank you for rating it.") if outcome.done
                  else _("Noted. Re-plan it for another day if you like."), "success")
            return redirect(url_for("activation.plan", week=activity.planned_date.isoformat()), 303)
    return render_template("activation/record.html", form=form, activity=activity), status


@bp.post("/activities/<int:activity_id>/replan")
@patient_required
def replan(activity_id: int):
    db = get_db()
    activity = services.get_activity_for(db, current_user, activity_id)
    try:
        copy = services.replan(db, activity=activity, today=local_today(current_user, utcnow()), at=utcnow())
    except validation.FieldError as error:
        flash(error.message, "error")
        return redirect(url_for("activation.plan", week=activity.planned_date.isoformat()), 303)
    db.commit()
    flash(_("Re-planned for %(day)s.", day=longdate(copy.planned_date)), "success")
    return redirect(url_for("activation.plan", week=copy.planned_date.isoformat()), 303)


def _therapist_page(patient: User, form: PlanForm, status: int = 200):
    db = get_db()
    today = local_today(patient, utcnow())
    context = _week_context(patient, today)
    activities = [a for day in context["days"].values() for a in day]
    lifts = sorted((a for a in activities if a.mood_before is not None and a.mood_after is not None),
                   key=lambda a: a.mood_after - a.mood_before, reverse=True)
    return render_template("activation/therapist_plan.html", patient=patient, form=form,
                           summary=planning.summarize(services.fact_of(a) for a in activities),
                           mood_lifts=lifts[:5], ideas_count=len(services.custom_ideas(db)), **context), status


@bp.get("/patients/<int:patient_id>/activities")
@therapist_required
def therapist_plan(patient_id: int):
    patient = get_patient_for(get_db(), current_user, patient_id)
    form = PlanForm()
    form.planned_date.data = local_today(patient, utcnow()).isoformat()
    return _therapist_page(patient, form)


@bp.post("/patients/<int:patient_id>/activities")
@therapist_required
def therapist_add(patient_id: int):
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id)
    form = PlanForm()
    try:
        entry = planning.validate_plan(form.raw(), today=local_today(patient, utcnow()))
    except validation.FormInvalid as invalid:
        show_errors(form, invalid.errors)
        return _therapist_page(patient, form, 400)
    activity = services.plan_activity(db, patient=patient, by=current_user, plan=entry, at=utcnow())
    db.commit()
    flash(f"Added to {patient.first_name}'s plan: {activity.title}.", "success")
    return redirect(url_for("activation.therapist_plan", patient_id=patient.id,
                            week=activity.planned_date.isoformat()), 303)


@bp.route("/activity-ideas", methods=["GET", "POST"])
@clinic_therapist_required
def ideas():
    db = get_db()
    form = IdeaForm()
    status = 200
    if request.method == "POST":
        try:
            services.add_idea(db, life_area=form.life_area.data, text=form.text.data, by=current_user, at=utcnow())
        except validation.FormInvalid as invalid:
            show_errors(form, invalid.errors)
            status = 400
        else:
            db.commit()
            flash("Idea added. Patients see it when they plan an activity.", "success")
            return redirect(url_for("activation.ideas"), 303)
    return render_template("activation/ideas.html", form=form, ideas=services.ideas_by_area(db),
                           custom=services.custom_ideas(db)), status
