"""The therapist's caseload."""
from flask import Blueprint, render_template
from flask_login import current_user

from app.db import get_db
from app.models import User
from app.policy import get_patient_for, therapist_required, visible_patients

bp = Blueprint("therapist", __name__)


@bp.get("/patients")
@therapist_required
def patients():
    rows = get_db().exec(visible_patients(current_user).order_by(User.name)).all()
    return render_template("therapist/patients.html", patients=rows)


@bp.get("/patients/<int:patient_id>")
@therapist_required
def patient(patient_id: int):
    record = get_patient_for(get_db(), current_user, patient_id)
    return render_template("therapist/patient.html", patient=record)
