"""The care-team page of a patient: who treats them, and (for clinic administration) adding and removing members."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.careteam import services
from app.db import get_db
from app.models import CareTeamMember, CareTeamRole, Role, User
from app.policy import (Facet, admin_required, get_patient_for, manages_care_teams, may_set_thought_sharing,
                        role_required, tms_team_required)
from app.validation import FieldError, whole_number

bp = Blueprint("careteam", __name__)


def _page(patient, *, errors=None, status=200):
    db = get_db()
    return render_template(
        "careteam/show.html", patient=patient, team=services.care_team(db, patient), errors=errors or {},
        manages=manages_care_teams(current_user), sets_sharing=may_set_thought_sharing(db, current_user, patient),
        candidates={role.value: services.candidates(db, patient, role) for role in CareTeamRole},
    ), status


def _seat(db, patient, seat_id: int) -> CareTeamMember:
    seat = db.get(CareTeamMember, seat_id)
    if seat is None or seat.patient_id != patient.id:
        abort(404)
    return seat


@bp.get("/patients/<int:patient_id>/care-team")
@tms_team_required
def show(patient_id: int):
    return _page(get_patient_for(get_db(), current_user, patient_id, facet=Facet.schedule))


@bp.post("/patients/<int:patient_id>/care-team")
@admin_required
def add(patient_id: int):
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id, facet=Facet.schedule)
    try:
        role = CareTeamRole(request.form.get("role", ""))
    except ValueError:
        abort(400)
    try:
        seat = services.add_member(db, patient=patient, member_id=whole_number(request.form.get("member_id")), role=role,
                                   by=current_user)
    except FieldError as error:
        db.rollback()
        return _page(patient, errors={error.field: error.message}, status=400)
    db.commit()
    flash(f"{db.get(User, seat.member_id).name} joined {patient.name}'s care team.", "success")
    return redirect(url_for("careteam.show", patient_id=patient.id), 303)


@bp.post("/patients/<int:patient_id>/care-team/<int:seat_id>/remove")
@admin_required
def remove(patient_id: int, seat_id: int):
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id, facet=Facet.schedule)
    services.remove_member(db, seat=_seat(db, patient, seat_id))
    db.commit()
    flash("Removed from the care team. Their access to this patient ended now.", "success")
    return redirect(url_for("careteam.show", patient_id=patient.id), 303)


@bp.post("/patients/<int:patient_id>/care-team/<int:seat_id>/sharing")
@role_required(Role.admin, Role.therapist)
def sharing(patient_id: int, seat_id: int):
    """The patient's choice whether their physician may read their thought records."""
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id, facet=Facet.schedule)
    if not may_set_thought_sharing(db, current_user, patient):
        abort(403)
    seat = _seat(db, patient, seat_id)
    try:
        services.set_thought_sharing(db, seat=seat, allowed=request.form.get("allowed") == "1")
    except FieldError as error:
        db.rollback()
        return _page(patient, errors={error.field: error.message}, status=400)
    db.commit()
    flash("The physician can now read thought records." if seat.sees_thought_records
          else "The physician no longer sees thought records.", "success")
    return redirect(url_for("careteam.show", patient_id=patient.id), 303)
