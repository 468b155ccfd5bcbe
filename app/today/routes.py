"""The patient's home screen."""
from flask import Blueprint, render_template
from flask_login import current_user

from app.policy import patient_required
from app.today.hub import practice_links

bp = Blueprint("today", __name__)


@bp.get("/today")
@patient_required
def index():
    return render_template("today/index.html", patient=current_user)


@bp.get("/practice")
@patient_required
def practice():
    return render_template("today/practice.html", practice_links=practice_links())
