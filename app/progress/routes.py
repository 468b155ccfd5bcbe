"""The patient's Progress tab: their own numbers over time, and their recent entries to correct or delete."""
from flask import Blueprint, render_template
from flask_login import current_user

from app.db import get_db
from app.models.types import utcnow
from app.policy import patient_required
from app.progress.services import build_progress

bp = Blueprint("progress", __name__)


@bp.get("/progress")
@patient_required
def index():
    patient = current_user._get_current_object()
    return render_template("progress/index.html", patient=patient,
                           progress=build_progress(get_db(), patient, utcnow()))
