"""DBT pages: skill cards with the "used it" log, the daily diary card, and the therapist's week grid."""
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_babel import gettext as _
from wtforms import SelectChoice

from app.db import get_db
from app.security.content import date_arg
from app.dbt import rules, services
from app.dbt.forms import AssignCardForm, ClinicCardForm, DiaryForm, SkillUseForm, TargetForm
from app.dbt.rules import DbtError
from app.dbt.skills_library import MODULE_LABELS, SKILLS_USE_LABELS, DbtModule
from app.homework.schedule import local_today
from app.models.dbt import DiaryTargetRow, RatingKind
from app.models.types import utcnow
from app.policy import clinic_therapist_required, get_patient_for, patient_required, therapist_required
from app.pwa.idempotency import commit_before_outcome, idempotent
from app.history import services as history
from app.history.rules import EntryKind
from app.safety import rules as safety_rules
from app.safety import services as safety
from app.sites.current import current_site

bp = Blueprint("dbt", __name__)


def _by_module(cards):
    return [(module, MODULE_LABELS[module], [c for c in cards if c.module == module]) for module in DbtModule]


@bp.get("/skills")
@patient_required
def skills():
    db = get_db()
    cards = services.all_cards(db)
    assigned = services.assigned_slugs(db, current_user, local_today(current_user, utcnow()))
    names = {c.slug: c.name for c in cards}
    return render_template(
        "dbt/skills.html", modules=_by_module(cards), assigned=[c for c in cards if c.slug in assigned],
        recent=services.skill_uses(db, current_user, limit=5), names=names,
    )


@bp.route("/skills/<slug>", methods=["GET", "POST"])
@patient_required
def card(slug: str):
    db = get_db()
    skill = services.find_card(db, slug)
    if skill is None:
        abort(404)
    form = SkillUseForm()
    if form.validate_on_submit():
        try:
            services.log_skill_use(db, patient=current_user, card=skill, helped=rules.parse_rating(form.helped.data),
                                   note=form.note.data, at=utcnow())
        except DbtError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.commit()
            flash(_("Logged: you used %(skill)s.", skill=_(skill.name)), "success")
            return redirect(url_for("dbt.card", slug=slug), 303)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "dbt/card.html", skill=skill, module_label=MODULE_LABELS[skill.module], form=form,
        uses=services.skill_uses(db, current_user, slug=slug, limit=10),
    ), status


def _diary_day(today: date, now) -> date:
    """Today or yesterday; or an earlier card the patient may still correct (app/history: 7 days)."""
    raw = request.values.get("day", "")
    if not raw:
        return today
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        abort(404)
    try:
        return rules.check_day(day, today)
    except DbtError:
        card = services.diary_card(get_db(), current_user, day)
        if card is not None and history.is_editable(EntryKind.diary, card, now):
            return day
        abort(404)


@bp.route("/diary", methods=["GET", "POST"])
@idempotent
@patient_required
def diary():
    """Today's card, editable all day; yesterday's too (?day=) for people who fill it in after midnight."""
    db = get_db()
    now = utcnow()
    today = local_today(current_user, now)
    day = _diary_day(today, now)
    urges, emotions = services.urge_targets(db, current_user), services.emotion_targets()
    form = DiaryForm()
    errors: dict[str, str] = {}
    existing = services.diary_card(db, current_user, day)
    event = None
    if request.method == "POST":  # CSRF is checked app-wide before the view runs
        values = request.form
        rated = {t.key: rules.parse_rating(values.get(f"urge-{t.key}")) for t in urges}
        acted = {t.key: values.get(f"acted-{t.key}") == "yes" for t in urges}
        signal = safety_rules.diary_signal(
            {k: v for k, v in rated.items() if v is not None and 0 <= v <= 5}, acted,
            threshold=current_user.suicide_urge_threshold,
        )
        if signal is not None:  # CLINICAL.md, Safety: recorded first, whatever else the card holds
            event = safety.raise_signal(db, patient=current_user, signal=signal, now=now, origin=f"diary:{day.isoformat()}",
                                        at=safety_rules.original_time(values.get("client_time"), now=now))
            commit_before_outcome(db)
    if request.method == "POST" and form.validate_on_submit():
        values = request.form
        try:
            entry = rules.check_diary(
                urge_targets=urges, emotion_targets=emotions,
                urges=rated,
                acted_on=acted,
                emotions={t.key: rules.parse_rating(values.get(f"emotion-{t.key}")) for t in emotions},
                skills_used=rules.parse_rating(values.get("skills_used")), notes=form.notes.data,
            )
            card = services.save_diary(db, patient=current_user, day=day, entry=entry, at=now)
            if existing is not None:
                history.note_diary_edited(db, patient=current_user, card=card, at=now)
        except DbtError as error:
            errors[error.field] = error.message
        else:
            db.commit()
            flash(_("Diary card saved."), "success")
            if event is not None:
                return redirect(url_for("safety.crisis"), 303)
            return redirect(url_for("dbt.diary", day=day.isoformat()) if day != today else url_for("dbt.diary"), 303)
    elif request.method == "POST":
        errors["form"] = "This form had expired. Please try again."
    if request.method == "POST":
        values = request.form.to_dict()
    else:
        values = {}
        for r in services.card_ratings(db, existing):
            prefix = "urge" if r.kind == RatingKind.urge else "emotion"
            values[f"{prefix}-{r.key}"] = str(r.value)
            if r.acted_on:
                values[f"acted-{r.key}"] = "yes"
        if existing is not None:
            values["skills_used"] = "" if existing.skills_used is None else str(existing.skills_used)
            form.notes.data = existing.notes
    return render_template(
        "dbt/diary.html", form=form, day=day, today=today, yesterday=today - timedelta(days=1), urges=urges,
        emotions=emotions, values=values, errors=errors, existing=existing, skills_labels=SKILLS_USE_LABELS,
        safety_event=event, settings=current_site(db), threshold=current_user.suicide_urge_threshold,
    ), 400 if errors else 200


@bp.get("/patients/<int:patient_id>/dbt")
@therapist_required
def therapist_diary(patient_id: int):
    return _render_therapist(patient_id)


def _render_therapist(patient_id: int, *, target_form=None, assign_form=None, status: int = 200):
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id)
    today = local_today(patient, utcnow())
    anchor = date_arg("week", today=today) or today
    days = rules.week_days(anchor)
    cards = services.all_cards(db)
    assign_form = assign_form or AssignCardForm()
    assign_form.slug.choices = [SelectChoice(c.slug, f"{MODULE_LABELS[c.module]}: {c.name}") for c in cards]
    return render_template(
        "dbt/therapist_diary.html", patient=patient, days=days, grid=services.week_grid(db, patient, days),
        previous_week=(days[0] - timedelta(days=7)).isoformat(), next_week=(days[0] + timedelta(days=7)).isoformat(),
        targets=services.target_rows(db, patient), target_form=target_form or TargetForm(), assign_form=assign_form,
        uses=services.skill_uses(db, patient, limit=15), names={c.slug: c.name for c in cards},
    ), status


@bp.post("/patients/<int:patient_id>/dbt/targets")
@therapist_required
def add_target(patient_id: int):
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id)
    form = TargetForm()
    if form.validate_on_submit():
        try:
            services.add_target(db, patient=patient, label=form.label.data, by=current_user, at=utcnow())
        except DbtError as error:
            form.label.errors.append(error.message)
        else:
            db.commit()
            return redirect(url_for("dbt.therapist_diary", patient_id=patient.id) + "#targets", 303)
    return _render_therapist(patient_id, target_form=form, status=400)


@bp.post("/patients/<int:patient_id>/dbt/targets/<int:target_id>/remove")
@therapist_required
def remove_target(patient_id: int, target_id: int):
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id)
    row = db.get(DiaryTargetRow, target_id)
    if row is None or row.patient_id != patient.id:
        abort(404)
    services.remove_target(db, row=row)
    db.commit()
    return redirect(url_for("dbt.therapist_diary", patient_id=patient.id) + "#targets", 303)


@bp.post("/patients/<int:patient_id>/dbt/assign")
@therapist_required
def assign_card(patient_id: int):
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id)
    form = AssignCardForm()
    form.slug.choices = [SelectChoice(c.slug, c.name) for c in services.all_cards(db)]
    if form.validate_on_submit():
        skill = services.find_card(db, form.slug.data or "")
        if skill is None:
            form.slug.errors.append("Choose a skill card.")
        else:
            services.assign_card(db, patient=patient, card=skill, days=int(form.days.data), by=current_user,
                                 today=local_today(patient, utcnow()))
            db.commit()
            flash(f"{skill.name} assigned for daily practice.", "success")
            return redirect(url_for("dbt.therapist_diary", patient_id=patient.id), 303)
    return _render_therapist(patient_id, assign_form=form, status=400)


@bp.route("/skills/clinic/new", methods=["GET", "POST"])
@clinic_therapist_required
def new_card():
    """Clinic cards: any therapist can add one; every patient sees it beside the built-in library."""
    form = ClinicCardForm()
    db = get_db()
    if form.validate_on_submit():
        try:
            row = services.create_clinic_card(db, module=form.module.data, name=form.name.data,
                                              purpose=form.purpose.data, steps=form.steps.data,
                                              when_to_use=form.when_to_use.data, by=current_user, at=utcnow())
        except DbtError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.commit()
            flash(f"Card “{row.name}” added to the clinic library.", "success")
            return redirect(url_for("dbt.new_card"), 303)
    clinic = [c for c in services.all_cards(db) if c.slug in services.clinic_card_ids(db)]
    return render_template("dbt/new_card.html", form=form, clinic_cards=clinic, module_labels=MODULE_LABELS), (
        400 if request.method == "POST" else 200)
