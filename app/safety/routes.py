"""The safety pathway's pages: crisis screen, "I'm not safe right now", safety plan, therapist tab, clinic numbers.

A safety event is committed on its own, before anything else in the request can fail (CLINICAL.md: nothing
about the event may be lost).
"""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_babel import gettext as _

from app.db import get_db
from app.models import SafetyEvent, SafetyEventSource, User
from app.models.safety import PLAN_STEPS
from app.models.types import utcnow
from app.policy import (
    admin_required, can_see_patient, get_patient_for, get_patient_for_safety, patient_required, therapist_required,
    tms_team_required,
)
from app.pwa.idempotency import idempotent, submitted_key
from app.safety import phone_links, rules, services, summary
from app.safety.forms import AcknowledgeForm, ClinicSettingsForm, PlanForm
from app.sites.current import current_site

bp = Blueprint("safety", __name__)
bp.add_app_template_filter(phone_links.tel_href, "tel_href")


@bp.app_template_filter("safety_summary")
def safety_summary(event: SafetyEvent) -> str:
    return summary.describe(event.source, event.details, event.item_value)


@bp.app_template_global("red_flag_labels")
def red_flag_labels(check) -> list[str]:
    """The TMS red flags a side-effect check answered yes to, in words (the TMS team's report)."""
    return [_(summary.RED_FLAG_LABELS[name]) for name, _question in rules.RED_FLAGS if getattr(check, name, False)]


@bp.app_template_filter("open_for")
def open_for(event: SafetyEvent) -> str:
    """How long the event has been open (the caseload and staff banner); the `CLOCK` config key drives tests."""
    return summary.open_for(event.created_at, current_app.config.get("CLOCK", utcnow)())


@bp.app_template_global("staff_safety_banner")
def staff_safety_banner() -> list[tuple[SafetyEvent, User, bool]]:
    """For every staff page: open events that have escalated (or reached nobody), and for safety contacts every
    open event; each with its patient and whether this person may open the patient's safety tab."""
    if not current_user.is_authenticated or current_user.is_patient:
        return []
    return services.banner_events(get_db(), current_user)


@bp.app_template_global("open_safety_events")
def open_safety_events(patients) -> dict[int, list[SafetyEvent]]:
    """For the caseload partial when the view did not pass `safety_events`: one query for all shown patients."""
    return services.open_events_by_patient(get_db(), [p.id for p in patients])


@bp.get("/safety/crisis")
@patient_required
def crisis():
    """The crisis numbers, the plan's people as one-tap links and when the clinic was alerted. Reading it changes
    nothing (a link from another site must not change clinical state): the page itself POSTs "seen"."""
    db = get_db()
    plan = services.plan_for(db, current_user)
    event = services.latest_open_event(db, current_user)
    therapist = db.get(User, current_user.therapist_id) if current_user.therapist_id else None
    return render_template(
        "safety/crisis.html", settings=current_site(db), plan=plan, steps=PLAN_STEPS, event=event,
        therapist_alerted=bool(therapist and therapist.active), contacts=phone_links.plan_contacts(plan),
        unseen=services.has_unseen(db, current_user),
    )


@bp.post("/safety/crisis/seen")
@patient_required
def crisis_seen():
    """The crisis screen was in front of the patient (posted by the page, or its button without JavaScript)."""
    db = get_db()
    services.mark_seen(db, patient=current_user, at=utcnow())
    db.commit()
    if request.headers.get("X-Requested-With") == "fetch":
        return "", 204
    return redirect(url_for("safety.crisis"), 303)


@bp.get("/safety/urgent")
@patient_required
def urgent():
    """Urgent medical advice after a TMS red flag: 911 for a seizure or fainting, otherwise call the clinic today."""
    db = get_db()
    event = services.latest_open_event(db, current_user, source=SafetyEventSource.side_effect)
    screen = rules.screen_for(event.source, event.details or {}) if event else rules.Screen.call_clinic
    return render_template("safety/urgent.html", settings=current_site(db), event=event, screen=screen,
                           emergency=screen == rules.Screen.emergency)


@bp.get("/safety/not-safe")
@patient_required
def not_safe():
    """The confirm page behind the topbar link: numbers shown at once, and one button that alerts the therapist.
    Kept by the service worker, so it works offline (the alert then waits in the outbox)."""
    db = get_db()
    return render_template("safety/not_safe.html", settings=current_site(db))


@bp.post("/safety/not-safe")
@idempotent
@patient_required
def report():
    """Record the patient's own safety event, commit it at once, then show the crisis screen (CSRF is app-wide).
    An alert queued offline arrives later with the time it was pressed (`client_time`) and its idempotency key."""
    db = get_db()
    now = utcnow()
    services.raise_signal(
        db, patient=current_user, signal=rules.button_signal(), now=now,
        at=rules.original_time(request.form.get("client_time"), now=now),
        origin=services.submission_origin(submitted_key()),
    )
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
            services.save_plan(db, patient=current_user, by=current_user, values=form.data, at=utcnow(),
                               region=current_app.config.get("PHONE_REGION", "US"))
        except services.SafetyInputError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.commit()
            flash(_("Your safety plan is saved."), "success")
            return redirect(url_for("safety.plan"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("safety/plan.html", form=form, plan=record, steps=PLAN_STEPS, names=_names(db, record)), status


def _names(db, plan) -> dict[int, str]:
    if plan.updated_by_id is None:
        return {}
    editor = db.get(User, plan.updated_by_id)
    return {editor.id: editor.name} if editor else {}


def _render_therapist_tab(patient: User, *, plan_form=None, ack_forms=None, threshold_error=None, status: int = 200):
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
    if patient.therapist_id is not None:
        people_ids.add(patient.therapist_id)
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
        threshold_error=threshold_error,
        threshold_range=range(rules.URGE_THRESHOLD_RANGE[0], rules.URGE_THRESHOLD_RANGE[1] + 1),
        is_treating=can_see_patient(current_user, patient, db=get_db()),  # the care team's therapists
    ), status


@bp.get("/patients/<int:patient_id>/safety")
@tms_team_required
def therapist_patient(patient_id: int):
    """The care team's safety tab (therapists, the physician); the clinic's safety contacts may open it too."""
    return _render_therapist_tab(get_patient_for_safety(get_db(), current_user, patient_id))


@bp.post("/patients/<int:patient_id>/safety/threshold")
@therapist_required
def threshold(patient_id: int):
    """The therapist sets the diary-card threshold for an urge to end one's life (3-5, default 4)."""
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id)
    try:
        value = services.set_urge_threshold(db, patient=patient, raw=request.form.get("suicide_urge_threshold"))
    except services.SafetyInputError as error:
        return _render_therapist_tab(patient, threshold_error=error.message, status=400)
    db.commit()
    flash(f"Diary card: an urge to end one's life of {value} or more now alerts you.", "success")
    return redirect(url_for("safety.therapist_patient", patient_id=patient.id), 303)


@bp.post("/patients/<int:patient_id>/safety/events/<int:event_id>/acknowledge")
@tms_team_required
def acknowledge(patient_id: int, event_id: int):
    """The therapist or the physician (alerted for TMS red flags) records what was done."""
    db = get_db()
    patient = get_patient_for_safety(db, current_user, patient_id)
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
            services.save_plan(db, patient=patient, by=current_user, values=form.data, at=utcnow(),
                               region=current_app.config.get("PHONE_REGION", "US"))
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
    site = current_site(db)
    form = ClinicSettingsForm(obj=site, escalation_minutes=services.clinic_settings(db).escalation_minutes)
    if form.validate_on_submit():
        try:
            services.save_clinic_settings(db, by=current_user, values=form.data, at=utcnow(),
                               region=current_app.config.get("PHONE_REGION", "US"), site=site)
        except services.SafetyInputError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.commit()
            flash("Crisis numbers saved. Patients see them on the crisis screen.", "success")
            return redirect(url_for("safety.clinic_settings"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("safety/clinic_settings.html", form=form, site=site), status
