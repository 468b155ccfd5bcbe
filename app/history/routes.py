"""Correcting or deleting one's own recent entries (check-ins and exposure practices here; activities and diary
cards on their own forms, which share the same 7-day rule). After 7 days an entry is read-only, and says why."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.checkins.entries import EntryInvalid, parse_checkin
from app.db import get_db
from app.exposure.rules import ExposureError, check_practice
from app.history import services
from app.history.rules import EntryKind
from app.models import Activity, DiaryCard, ExposurePractice, MoodCheckin
from app.models.checkins import NOTE_MAX
from app.models.exposure import ExposureKind, HierarchyItem
from app.models.types import utcnow
from app.policy import owned_or_404, patient_required
from app.validation import whole_number

bp = Blueprint("history", __name__)

RECENT = "progress.index"


def _own(model, entry_id: int):
    """The signed-in patient's own entry, else 404 (app/policy.py decides)."""
    return owned_or_404(get_db().get(model, entry_id), "patient_id", current_user, get_db())


def _locked(kind: EntryKind, row, **context):
    """Past the 7 days: the entry as it is, with the reason; a change sent anyway is refused (403)."""
    entry = services.Entry(kind, row, services.made_at(kind, row), False, None, context.get("item"))
    status = 403 if request.method == "POST" else 200
    return render_template("history/locked.html", entry=entry, **context), status


@bp.route("/history/checkins/<int:checkin_id>", methods=["GET", "POST"])
@patient_required
def edit_checkin(checkin_id: int):
    db = get_db()
    checkin = _own(MoodCheckin, checkin_id)
    now = utcnow()
    if not services.is_editable(EntryKind.checkin, checkin, now):
        return _locked(EntryKind.checkin, checkin)
    errors: dict[str, str] = {}
    if request.method == "POST":
        kept = request.form
        try:
            values = parse_checkin(request.form)
        except EntryInvalid as invalid:
            errors = invalid.errors
        else:
            services.edit_checkin(db, patient=current_user, checkin=checkin, values=values, at=now)
            db.commit()
            flash(_("Check-in corrected."), "success")
            return redirect(url_for(RECENT) + "#recent", 303)
    else:
        kept = {"mood": str(checkin.mood), "anxiety": "" if checkin.anxiety is None else str(checkin.anxiety),
                "sleep_hours": "" if checkin.sleep_hours is None else f"{checkin.sleep_hours:g}", "note": checkin.note}
    return render_template("history/checkin.html", checkin=checkin, kept=kept, errors=errors, note_max=NOTE_MAX,
                           until=services.editable_until(services.made_at(EntryKind.checkin, checkin))), \
        400 if errors else 200


PRACTICE_FIELDS = ("duration_minutes", "suds_before", "suds_peak", "suds_after")


@bp.route("/history/practices/<int:practice_id>", methods=["GET", "POST"])
@patient_required
def edit_practice(practice_id: int):
    """The stored practice record, corrected: minutes, the three SUDS ratings, ritual (ERP) and notes."""
    db = get_db()
    practice = _own(ExposurePractice, practice_id)
    item = db.get(HierarchyItem, practice.item_id)
    now = utcnow()
    if not services.is_editable(EntryKind.practice, practice, now):
        return _locked(EntryKind.practice, practice, item=item)
    errors: dict[str, str] = {}
    if request.method == "POST":
        kept = request.form
        numbers = {name: whole_number(kept.get(name)) for name in PRACTICE_FIELDS}
        try:
            entry = check_practice(
                kind=item.kind, started_at=practice.started_at, ritual_resisted=kept.get("ritual_resisted"),
                feared_outcome=practice.feared_outcome, likelihood_before=practice.likelihood_before,
                what_happened=practice.what_happened, likelihood_after=practice.likelihood_after,
                notes=kept.get("notes"), now=now, **numbers,
            )
        except ExposureError as error:
            errors[error.field] = error.message
        else:
            services.edit_practice(db, patient=current_user, practice=practice, entry=entry, at=now)
            db.commit()
            flash(_("Practice corrected."), "success")
            return redirect(url_for(RECENT) + "#recent", 303)
    else:
        kept = {name: "" if getattr(practice, name) is None else str(getattr(practice, name))
                for name in PRACTICE_FIELDS}
        kept |= {"ritual_resisted": practice.ritual_resisted.value if practice.ritual_resisted else "",
                 "notes": practice.notes}
    return render_template("history/practice.html", practice=practice, item=item, kept=kept, errors=errors,
                           is_erp=item.kind == ExposureKind.erp,
                           until=services.editable_until(services.made_at(EntryKind.practice, practice))), \
        400 if errors else 200


def _delete(kind: EntryKind, row, message: str):
    db = get_db()
    now = utcnow()
    if not services.is_editable(kind, row, now):
        return _locked(kind, row, item=db.get(HierarchyItem, row.item_id) if kind == EntryKind.practice else None)
    services.delete_entry(db, patient=current_user, kind=kind, row=row, at=now)
    db.commit()
    flash(message, "success")
    return redirect(url_for(RECENT) + "#recent", 303)


@bp.post("/history/checkins/<int:checkin_id>/delete")
@patient_required
def delete_checkin(checkin_id: int):
    return _delete(EntryKind.checkin, _own(MoodCheckin, checkin_id), _("Check-in deleted."))


@bp.post("/history/practices/<int:practice_id>/delete")
@patient_required
def delete_practice(practice_id: int):
    return _delete(EntryKind.practice, _own(ExposurePractice, practice_id), _("Practice deleted."))


@bp.post("/history/activities/<int:activity_id>/delete")
@patient_required
def delete_activity(activity_id: int):
    return _delete(EntryKind.activity, _own(Activity, activity_id), _("Activity deleted."))


@bp.post("/history/diary/<int:card_id>/delete")
@patient_required
def delete_diary(card_id: int):
    return _delete(EntryKind.diary, _own(DiaryCard, card_id), _("Diary card deleted."))
