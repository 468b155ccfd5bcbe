"""The shared treatment plan page: the whole care team reads and edits it (policy Facet.plan); every save is a
version with who and when."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from app import validation
from app.db import get_db
from app.models import User
from app.models.types import utcnow
from app.plan import rules, services
from app.policy import Facet, care_team_required, get_patient_for

bp = Blueprint("plan", __name__)


def _page(patient: User, *, errors: dict | None = None, form=None, status: int = 200):
    db = get_db()
    versions = services.history(db, patient.id)
    editors = {u.id: u for u in db.exec(select(User).where(User.id.in_({v.edited_by_id for v in versions})))}
    changes = {
        version.id: rules.changed_fields(versions[index + 1] if index + 1 < len(versions) else None, version)
        for index, version in enumerate(versions)
    }
    return render_template(
        "plan/show.html", patient=patient, plan=versions[0] if versions else None, versions=versions,
        editors=editors, changes=changes, errors=errors or {}, form=form, rules=rules,
    ), status


@bp.get("/patients/<int:patient_id>/plan")
@care_team_required
def show(patient_id: int):
    return _page(get_patient_for(get_db(), current_user, patient_id, facet=Facet.plan))


@bp.post("/patients/<int:patient_id>/plan")
@care_team_required
def save(patient_id: int):
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id, facet=Facet.plan)
    try:
        plan = rules.plan_from_form(request.form, request.form.getlist)
    except validation.FormInvalid as invalid:
        return _page(patient, errors=invalid.errors, form=request.form, status=400)
    saved = services.save_plan(db, patient=patient, plan=plan, by=current_user, at=utcnow())
    db.commit()
    flash(f"Plan saved as version {saved.version}." if saved else "Nothing changed; the plan is as it was.", "success")
    return redirect(url_for("plan.show", patient_id=patient.id), 303)
