"""The safety pathway's pages: crisis screen, "I'm not safe right now", safety plan, therapist tab, clinic numbers.

A safety event is committed on its own, before anything else in the request can fail (CLINICAL.md: nothing
about the event may be lost).
"""
import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.db import get_db
from app.models import SafetyEvent, SafetyEventSource, User
from app.models.safety import PLAN_STEPS
from app.models.types import utcnow
from app.policy import Facet, admin_required, care_team_required, get_patient_for, patient_required, therapist_required
from app.safety import services
from app.safety.forms import AcknowledgeForm, ClinicSettingsForm, PlanForm

bp = Blueprint("safety", __name__)


@bp.app_template_filter("tel_href")
def tel_href(number: str) -> str:
    """A dialable URI part: digits and a leading plus only ("(555) 010-2000" -> "5550102000")."""
    return re.sub(r"[^0-9+]", "", number or "")


@bp.app_template_global("open_safety_events")
def open_safety_events(patients) -> dict[int, list[SafetyEvent]]:
    """For the caseload partial when the view did not pass `safety_events`: one query for all shown patients."""
    return services.open_events_by_patient(get_db(), [p.id for p in patients])


@bp.get("/safety/crisis")
@patient_required
def crisis():
    """Plain, cacheable page: the crisis numbers and the patient's own plan; viewing it stamps open events seen.

    The service worker's background copy for offline reading (X-Offline-Copy) is not the patient seeing it.
    """
    db = get_db()
    if not request.headers.get("X-Offline-Copy"):
        services.mark_seen(db, patient=current_user, at=utcnow())
        db.commit()
    return render_template(
        "safety/crisis.html", settings=services.clinic_settings(db), plan=services.plan_for(db, current_user),
        steps=PLAN_STEPS,
    )


@bp.get("/safety/not-safe")
@patient_required
def not_safe():
    """The confirm page behind the topbar link: numbers shown at once, and one button that alerts the therapist."""
    db = get_db()
    return render_template("safety/not_safe.html", settings=services.clinic_settings(db))


@bp.post("/safety/not-safe")
@patient_required
def report():
    """Record the patient's own safety event, commit it at once, then show the crisis screen (CSRF is app-wide)."""
    db = get_db()
    services.record_safety_event(db, patient=current_user, source=SafetyEventSource.patient_button, at=utcnow())
    db.commit()
    return redirect(url_for("safety.crisis"), 303)


@bp.route("/safety/plan", methods=["GET", "POST"])
@patient_required
def plan():
    db = get_db()
    record = services.plan_for(db, current_user)
    form = PlanForm(obj=record)
    if form.validate_on_submit():
        try:
            services.save_plan(db, patient=current_user, by=current_user, values=form.data, at=utcnow())
        except services.SafetyInputError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.commit()
            flash("Your safety plan is saved.", "success")
            return redirect(url_for("safety.plan"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("safety/plan.html", form=form, plan=record, steps=PLAN_STEPS, names=_names(db, record)), status


def _names(db, plan) -> dict[int, str]:
    if plan.updated_by_id is None:
        return {}
    editor = db.get(User, plan.updated_by_id)
    return {editor.id: editor.name} if editor else {}


def _render_therapist_tab(patient: User, *, plan_form=None, ack_forms=None, status: int = 200):
    db = get_db()
    events = services.events_for_patient(db, patient.id)
    record = services.plan_for(db, patient)
    ack_forms = ack_forms or {}
    for event in events:
        if event.is_open and event.id not in ack_forms:
            ack_forms[event.id] = AcknowledgeForm(prefix=f"ack{event.id}", formdata=None)
    people_ids = {e.acknowledged_by_id for e in events if e.acknowledged_by_id}
    if record.updated_by_id is not None:
        people_ids.add(record.updated_by_id)
    people = {u.id: u.name for u in (db.get(User, i) for i in people_ids) if u}
    return render_template(
        "safety/therapist_patient.html",
        patient=patient,
        events=events,
        ack_forms=ack_forms,
        plan=record,
        plan_form=plan_form or PlanForm(obj=record, formdata=None),
        steps=PLAN_STEPS,
        people=people,
    ), status


@bp.get("/patients/<int:patient_id>/safety")
@care_team_required
def therapist_patient(patient_id: int):
    return _render_therapist_tab(get_patient_for(get_db(), current_user, patient_id, facet=Facet.medical))


@bp.post("/patients/<int:patient_id>/safety/events/<int:event_id>/acknowledge")
@care_team_required
def acknowledge(patient_id: int, event_id: int):
    """The therapist or the physician (alerted for TMS red flags) records what was done."""
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id, facet=Facet.medical)
    event = db.get(SafetyEvent, event_id)
    if event is None or event.patient_id != patient.id:
        abort(404)
    form = AcknowledgeForm(prefix=f"ack{event.id}")
    if form.validate_on_submit():
        try:
            services.acknowledge_event(db, event=event, by=current_user, action_taken=form.action_taken.data, at=utcnow())
        except services.SafetyInputError as error:
            form.action_taken.errors.append(error.message)
        else:
            db.commit()
            flash(f"Safety event acknowledged for {patient.name}.", "success")
            return redirect(url_for("safety.therapist_patient", patient_id=patient.id), 303)
    return _render_therapist_tab(patient, ack_forms={event.id: form}, status=400)


@bp.post("/patients/<int:patient_id>/safety/plan")
@therapist_required
def therapist_plan(patient_id: int):
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id)
    form = PlanForm()
    if form.validate_on_submit():
        try:
            services.save_plan(db, patient=patient, by=current_user, values=form.data, at=utcnow())
        except services.SafetyInputError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.commit()
            flash("Safety plan saved.", "success")
            return redirect(url_for("safety.therapist_patient", patient_id=patient.id), 303)
    return _render_therapist_tab(patient, plan_form=form, status=400)


@bp.route("/admin/clinic", methods=["GET", "POST"])
@admin_required
def clinic_settings():
    db = get_db()
    settings = services.clinic_settings(db)
    form = ClinicSettingsForm(obj=settings)
    if form.validate_on_submit():
        try:
            services.save_clinic_settings(db, by=current_user, values=form.data, at=utcnow())
        except services.SafetyInputError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.commit()
            flash("Crisis numbers saved. Patients see them on the crisis screen.", "success")
            return redirect(url_for("safety.clinic_settings"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("safety/clinic_settings.html", form=form), status
