"""Clinic administration: staff accounts, patients and their therapist, invite and reset links, deactivation."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from app.admin.forms import NewPatientForm, NewStaffForm, ReassignForm
from app.auth import accounts
from app.careteam.services import deactivation_blocker
from app.db import get_db
from app.mail import send_mail
from app.models import Role, TokenPurpose, User
from app.models.types import utcnow
from app.policy import admin_required, clinic_staff_required, get_patient_for, staff_required

bp = Blueprint("admin", __name__)


def _active_therapists(db):
    return db.exec(select(User).where(User.role == Role.therapist, User.active).order_by(User.name)).all()


def _link_url(endpoint: str, token: str) -> str:
    base = current_app.config["PUBLIC_BASE_URL"]
    path = url_for(endpoint, token=token)
    return base + path if base else url_for(endpoint, token=token, _external=True)


def _issue_and_show(db, user: User, purpose: TokenPurpose):
    """Issue a link, email it when SMTP is set up, and show it to the staff member either way."""
    link = accounts.issue_link(
        db, user=user, purpose=purpose, by=current_user, now=utcnow(), hours=current_app.config["INVITE_HOURS"]
    )
    db.commit()
    endpoint = "auth.invite" if purpose == TokenPurpose.invite else "auth.reset"
    url = _link_url(endpoint, link.token)
    subject = "Your homework companion account" if purpose == TokenPurpose.invite else "Reset your password"
    emailed = send_mail(user.email, subject, f"Open this link on your phone to set your password:\n{url}\n")
    return render_template(
        "admin/link_issued.html", user=user, url=url, expires_at=link.expires_at, emailed=emailed, purpose=purpose
    )


@bp.get("/admin")
@admin_required
def index():
    db = get_db()
    users = db.exec(select(User).order_by(User.role, User.name)).all()
    names = {u.id: u.name for u in users}
    return render_template(
        "admin/index.html",
        staff=[u for u in users if u.role != Role.patient],
        patients=[u for u in users if u.role == Role.patient],
        names=names,
    )


@bp.route("/admin/staff/new", methods=["GET", "POST"])
@admin_required
def new_staff():
    form = NewStaffForm()
    if request.method == "GET":
        form.timezone.data = current_app.config["CLINIC_TIMEZONE"]
    if form.validate_on_submit() and form.external.data and form.role.data != Role.therapist.value:
        form.external.errors.append("Only a therapist can work from outside the clinic.")
    elif form.validate_on_submit():
        db = get_db()
        try:
            user = accounts.create_user(
                db, role=Role(form.role.data), email=form.email.data, name=form.name.data, timezone=form.timezone.data
            )
        except accounts.AccountError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            user.external = form.external.data
            return _issue_and_show(db, user, TokenPurpose.invite)
    return render_template("admin/new_staff.html", form=form), 400 if request.method == "POST" else 200


@bp.route("/patients/new", methods=["GET", "POST"])
@clinic_staff_required
def new_patient():
    """Therapists invite their own patients; clinic staff choose the treating therapist."""
    db = get_db()
    therapists = [current_user] if current_user.role == Role.therapist else _active_therapists(db)
    form = NewPatientForm(therapists=therapists)
    if request.method == "GET":
        form.timezone.data = current_app.config["CLINIC_TIMEZONE"]
    if form.validate_on_submit():
        therapist = next((t for t in therapists if t.id == form.therapist_id.data), None)
        try:
            patient = accounts.create_user(
                db,
                role=Role.patient,
                email=form.email.data,
                name=form.name.data,
                timezone=form.timezone.data,
                therapist=therapist,
            )
        except accounts.AccountError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            return _issue_and_show(db, patient, TokenPurpose.invite)
    return render_template("admin/new_patient.html", form=form), 400 if request.method == "POST" else 200


@bp.post("/users/<int:user_id>/link")
@staff_required
def issue_link(user_id: int):
    """A new invite (if no password yet) or reset link; therapists may do this only for their own patients."""
    db = get_db()
    if current_user.role == Role.therapist:
        user = get_patient_for(db, current_user, user_id)
    else:
        user = db.get(User, user_id) or abort(404)
    if not user.active:
        abort(404)
    purpose = TokenPurpose.invite if user.password_hash is None else TokenPurpose.password_reset
    return _issue_and_show(db, user, purpose)


@bp.post("/admin/users/<int:user_id>/active")
@admin_required
def set_active(user_id: int):
    db = get_db()
    user = db.get(User, user_id) or abort(404)
    if user.id == current_user.id:
        flash("You can't deactivate your own account.", "error")
        return redirect(url_for("admin.index"), 303)
    if request.form.get("active") == "1":
        accounts.reactivate(db, user=user)
        flash(f"{user.name} can sign in again.", "success")
    elif blocker := deactivation_blocker(db, user):
        flash(blocker, "error")
        return redirect(url_for("admin.index"), 303)
    else:
        accounts.deactivate(db, user=user)
        flash(f"{user.name} is deactivated. Their records are kept.", "success")
    db.commit()
    return redirect(url_for("admin.index"), 303)


@bp.route("/admin/patients/<int:patient_id>/therapist", methods=["GET", "POST"])
@admin_required
def reassign(patient_id: int):
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id, clinical=False)
    therapists = _active_therapists(db)
    form = ReassignForm(therapists=therapists)
    if request.method == "GET":
        form.therapist_id.data = patient.therapist_id
    if form.validate_on_submit():
        therapist = next((t for t in therapists if t.id == form.therapist_id.data), None)
        if therapist is None:
            form.therapist_id.errors.append("Choose an active therapist.")
        else:
            accounts.assign_therapist(db, patient=patient, therapist=therapist)
            db.commit()
            flash(f"{patient.name} is now seen by {therapist.name}.", "success")
            return redirect(url_for("admin.index"), 303)
    return render_template("admin/reassign.html", form=form, patient=patient), 400 if request.method == "POST" else 200


@bp.get("/admin/audit")
@admin_required
def audit_log():
    """Recent accesses to patient records by staff, newest first; filter by patient."""
    from app.models import AuditEntry

    db = get_db()
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(500)
    patient_id = request.args.get("patient", type=int)
    if patient_id:
        query = query.where(AuditEntry.patient_id == patient_id)
    entries = db.exec(query).all()
    names = {u.id: u.name for u in db.exec(select(User))}
    return render_template("admin/audit.html", entries=entries, names=names, patient_id=patient_id)
