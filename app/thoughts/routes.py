"""Thought records: the patient writes, drafts, finishes and edits them; the therapist reads and comments."""
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_babel import gettext as _

from app import validation
from app.db import get_db
from app.forms import show_errors
from app.models import RecordStatus, ThoughtRecord
from app.models.types import utcnow
from app.policy import Facet, care_team_required, get_patient_for, patient_required, therapist_required
from app.pwa.idempotency import idempotent
from app.thoughts import services
from app.thoughts.columns import validate_record
from app.thoughts.forms import CommentForm, ThoughtRecordForm
from app.thoughts.traps import TRAPS_BY_SLUG

bp = Blueprint("thoughts", __name__)

FORGET_DRAFT = "thoughts_forget_draft"


@bp.context_processor
def _record_helpers():
    """The phone copy to forget after a save (thoughts.js reads it), and trap labels for every page."""
    return {"forget_draft": session.pop(FORGET_DRAFT, None), "traps_by_slug": TRAPS_BY_SLUG}


@bp.app_template_filter("trap_label")
def trap_label(slug: str) -> str:
    """A thinking trap's name in the reader's language (staff pages list them inline); an unknown slug as stored."""
    trap = TRAPS_BY_SLUG.get(slug)
    return _(trap.label) if trap else slug


def _draft_key(record: ThoughtRecord | None) -> str:
    """Per person, so on a shared phone nobody is offered someone else's unsent words."""
    return f"thoughts:{current_user.id}:" + ("new" if record is None else str(record.id))


def _form_page(form: ThoughtRecordForm, record: ThoughtRecord | None, status: int, *, restore: bool):
    return render_template(
        "thoughts/form.html", form=form, record=record, draft_key=_draft_key(record), restore=restore
    ), status


def _save(form: ThoughtRecordForm, record: ThoughtRecord | None):
    """Parse, one service call, commit, redirect; a rule error re-renders the form with everything kept.

    A complete record is always checked as complete, so an edit can never empty one of its columns.
    """
    complete = request.form.get("action") != "draft" or (record is not None and not record.is_draft)
    db = get_db()
    try:
        entry = validate_record(form.raw(), complete=complete)
    except validation.FormInvalid as invalid:
        show_errors(form, invalid.errors)
        return _form_page(form, record, 400, restore=False)
    was_draft = record is None or record.is_draft
    saved = services.save_record(db, patient=current_user, entry=entry, complete=complete, at=utcnow(), record=record)
    db.commit()
    session[FORGET_DRAFT] = _draft_key(record)
    if saved.is_draft:
        flash(_("Draft saved. You can finish it any time from your thought records."), "success")
        return redirect(url_for("thoughts.history"), 303)
    flash(_("Thought record saved. Well done for working through it.") if was_draft else _("Changes saved."), "success")
    return redirect(url_for("thoughts.detail", record_id=saved.id), 303)


@bp.get("/thoughts")
@patient_required
def history():
    db = get_db()
    drafts = services.records_for(db, current_user, status=RecordStatus.draft)
    records = services.records_for(db, current_user, status=RecordStatus.complete)
    ids = [r.id for r in records]
    return render_template("thoughts/history.html", drafts=drafts, records=records,
                           emotions=services.emotions_of(db, ids), comments=services.comments_of(db, ids))


@bp.route("/thoughts/new", methods=["GET", "POST"])
@idempotent
@patient_required
def new():
    form = ThoughtRecordForm()
    if request.method == "POST":
        return _save(form, None)
    drafts = services.records_for(get_db(), current_user, status=RecordStatus.draft)
    return render_template("thoughts/form.html", form=form, record=None, draft_key=_draft_key(None), restore=True,
                           drafts=drafts)


@bp.get("/thoughts/<int:record_id>")
@patient_required
def detail(record_id: int):
    db = get_db()
    record = services.get_record_for(db, current_user, record_id)
    comments = services.comments_of(db, [record.id])[record.id]
    if any(c.read_at is None for c in comments) and not request.headers.get("X-Offline-Copy"):
        services.mark_comments_read(db, record=record, at=utcnow())
        db.commit()
    return render_template("thoughts/detail.html", record=record,
                           emotions=services.emotions_of(db, [record.id])[record.id],
                           comments=comments)


@bp.route("/thoughts/<int:record_id>/edit", methods=["GET", "POST"])
@patient_required
def edit(record_id: int):
    db = get_db()
    record = services.get_record_for(db, current_user, record_id)
    form = ThoughtRecordForm()
    if request.method == "POST":
        return _save(form, record)
    form.fill_from(record, services.emotions_of(db, [record.id])[record.id])
    return _form_page(form, record, 200, restore=True)


@bp.get("/patients/<int:patient_id>/thoughts")
@care_team_required
def therapist_list(patient_id: int):
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id, facet=Facet.thoughts)
    records = services.records_for(db, patient, status=RecordStatus.complete)
    ids = [r.id for r in records]
    drafts = len(services.records_for(db, patient, status=RecordStatus.draft))
    return render_template("thoughts/therapist_list.html", patient=patient, records=records, drafts=drafts,
                           emotions=services.emotions_of(db, ids), comments=services.comments_of(db, ids))


def _therapist_record(patient_id: int, record_id: int, facet: Facet = Facet.clinical):
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id, facet=facet)
    record = db.get(ThoughtRecord, record_id)
    if record is None or record.patient_id != patient.id or record.is_draft:
        abort(404)
    return db, patient, record


def _therapist_page(db, patient, record, form: CommentForm, status: int = 200):
    return render_template("thoughts/therapist_detail.html", patient=patient, record=record, form=form,
                           emotions=services.emotions_of(db, [record.id])[record.id],
                           comments=services.comments_of(db, [record.id])[record.id]), status


@bp.get("/patients/<int:patient_id>/thoughts/<int:record_id>")
@care_team_required
def therapist_detail(patient_id: int, record_id: int):
    db, patient, record = _therapist_record(patient_id, record_id, Facet.thoughts)
    return _therapist_page(db, patient, record, CommentForm())


@bp.post("/patients/<int:patient_id>/thoughts/<int:record_id>/comments")
@therapist_required
def comment(patient_id: int, record_id: int):
    db, patient, record = _therapist_record(patient_id, record_id)
    form = CommentForm()
    try:
        services.add_comment(db, record=record, author=current_user, body=form.body.data, at=utcnow())
    except validation.FieldError as error:
        show_errors(form, {error.field: error.message})
        return _therapist_page(db, patient, record, form, 400)
    db.commit()
    flash("Comment added. The patient will see it with the record.", "success")
    return redirect(url_for("thoughts.therapist_detail", patient_id=patient.id, record_id=record.id), 303)
