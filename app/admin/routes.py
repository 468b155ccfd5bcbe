"""Clinic administration: staff accounts, patients and their therapist, invite and reset links, deactivation."""
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from app.admin import demographics
from app.admin.forms import DemographicsForm, NewPatientForm, NewStaffForm, ReassignForm
from app.audit import LINK_REASONS, record_link_issued
from app.auth import accounts
from app.db import get_db
from app.mail import mail_configured, send_mail
from app.models import Role, StaffSite, TokenPurpose, User
from app.models.types import utcnow
from app.push.language import in_language_of
from app.policy import (
    admin_required, clinic_staff_required, get_account_for, get_patient_for, link_may_be_shown, staff_required, tms_team_required,
    visible_patients,
)
from app.safety import services as safety_services
from app.sites.current import current_site
from app.sites.services import sites_of_staff
from app.validation import FieldError, FormInvalid, whole_number

bp = Blueprint("admin", __name__)


def clinic_today():
    """Today's date where the clinic is: a birth date after it is in the future."""
    return utcnow().astimezone(ZoneInfo(current_app.config["CLINIC_TIMEZONE"])).date()


def _active_therapists(db):
    return db.exec(select(User).where(User.role == Role.therapist, User.active).order_by(User.name)).all()


def _link_url(endpoint: str, token: str) -> str:
    base = current_app.config["PUBLIC_BASE_URL"]
    path = url_for(endpoint, token=token)
    return base + path if base else url_for(endpoint, token=token, _external=True)


def _issue(db, user: User, purpose: TokenPurpose, reason: str):
    """A new link for `user`, audited (who, for whom, which kind, why) in the same transaction."""
    at = utcnow()
    link = accounts.issue_link(db, user=user, purpose=purpose, by=current_user, now=at, hours=current_app.config["INVITE_HOURS"])
    record_link_issued(db, by=current_user, user=user, purpose=purpose.value, reason=reason, at=at)
    endpoint = "auth.invite" if purpose == TokenPurpose.invite else "auth.reset"
    return link, _link_url(endpoint, link.token)


def _mail_link(user: User, purpose: TokenPurpose, url: str) -> bool:
    """In the recipient's language (set at invitation), whoever sends it."""
    with in_language_of(user):
        subject = _("Your homework companion account") if purpose == TokenPurpose.invite else _("Reset your password")
        body = _("Open this link on your phone to set your password:") + f"\n{url}\n"
    return send_mail(user.email, subject, body)


def _issue_and_show(db, user: User, purpose: TokenPurpose, reason: str):
    """Issue a link, email it when SMTP is set up, and show it to the staff member either way."""
    link, url = _issue(db, user, purpose, reason)
    db.commit()
    emailed = _mail_link(user, purpose, url)
    return render_template(
        "admin/link_issued.html", user=user, url=url, expires_at=link.expires_at, emailed=emailed, purpose=purpose
    )


def _issue_by_email_only(db, user: User, purpose: TokenPurpose, reason: str):
    """A clinician's link goes to their own inbox, never on a colleague's screen (it would open their caseload)."""
    if not mail_configured():
        flash(
            f"Email isn't set up for this clinic, so a link for {user.name} can't be sent. The server's operator can set "
            "a temporary password with `flask --app app set-password`.",
            "error",
        )
        return redirect(url_for("admin.index"), 303)
    link, url = _issue(db, user, purpose, reason)
    db.flush()
    if not _mail_link(user, purpose, url):
        db.rollback()
        flash(f"The email to {user.name} couldn't be sent, so no link was made. Please try again later.", "error")
        return redirect(url_for("admin.index"), 303)
    db.commit()
    return render_template(
        "admin/link_issued.html", user=user, url=None, expires_at=link.expires_at, emailed=True, purpose=purpose
    )


@bp.get("/admin")
@admin_required
def index():
    """The current site's patients and staff (another site's accounts are its admins' to manage)."""
    db = get_db()
    site = current_site(db)
    staff = db.exec(select(User).where(User.role != Role.patient, User.id.in_(
        select(StaffSite.user_id).where(StaffSite.site_id == site.id))).order_by(User.role, User.name)).all()
    patients = db.exec(visible_patients(current_user, clinical=False).where(User.site_id == site.id)
                       .order_by(User.name)).all()
    therapists = db.exec(select(User).where(User.id.in_({p.therapist_id for p in patients if p.therapist_id}))).all()
    names = {u.id: u.name for u in [*staff, *therapists]}
    return render_template(
        "admin/index.html",
        staff=staff,
        patients=patients,
        names=names,
        link_reasons=LINK_REASONS,
        safety_contacts=safety_services.safety_contacts(db, site_id=site.id),
        site=site,
        sites=sites_of_staff(db, current_user),
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
                db, role=Role(form.role.data), email=form.email.data, name=form.name.data, timezone=form.timezone.data,
                language=form.language.data or "en", site=current_site(db),
            )
        except accounts.AccountError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            user.external = form.external.data
            return _issue_and_show(db, user, TokenPurpose.invite, "New account")
    return render_template("admin/new_staff.html", form=form), 400 if request.method == "POST" else 200


@bp.route("/patients/new", methods=["GET", "POST"])
@clinic_staff_required
def new_patient():
    """Therapists invite their own patients; clinic staff choose the treating therapist."""
    db = get_db()
    therapists = [current_user] if current_user.role == Role.therapist else _active_therapists(db)
    form = NewPatientForm(therapists=therapists)
    if request.method == "GET":
        form.timezone.data = current_site(db).timezone  # the patient's phone is most likely where their site is
    if form.validate_on_submit():
        therapist = next((t for t in therapists if t.id == form.therapist_id.data), None)
        try:
            details = demographics.parse_demographics(request.form, today=clinic_today())
            if demographics.mrn_in_use(db, details.mrn):
                raise FieldError("mrn", demographics.MRN_TAKEN)
            patient = accounts.create_user(
                db,
                role=Role.patient,
                email=form.email.data,
                name=form.name.data,
                timezone=form.timezone.data,
                therapist=therapist,
                language=form.language.data or "en",
                site=current_site(db),
            )
            demographics.record_demographics(db, patient=patient, details=details)
        except FormInvalid as invalid:
            form.set_errors(invalid.errors)
        except (accounts.AccountError, FieldError) as error:
            db.rollback()
            form.set_errors({error.field: error.message})
        else:
            return _issue_and_show(db, patient, TokenPurpose.invite, "New account")
    return render_template("admin/new_patient.html", form=form), 400 if request.method == "POST" else 200


@bp.route("/patients/<int:patient_id>/details", methods=["GET", "POST"])
@tms_team_required
def patient_details(patient_id: int):
    """Legal name, birth date, gender and MRN: the care team or clinic staff record them for the EHR."""
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id, clinical=False)
    form = DemographicsForm(obj=patient) if request.method == "GET" else DemographicsForm()
    if request.method == "GET" and patient.birth_date:
        form.birth_date.data = patient.birth_date.isoformat()
    if form.validate_on_submit():
        try:
            details = demographics.parse_demographics(request.form, today=clinic_today())
            demographics.record_demographics(db, patient=patient, details=details)
        except FormInvalid as invalid:
            form.set_errors(invalid.errors)
        except FieldError as error:
            form.set_errors({error.field: error.message})
        else:
            db.commit()
            flash(f"{patient.name}'s details are saved.", "success")
            return redirect(url_for("admin.patient_details", patient_id=patient.id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/patient_details.html", form=form, patient=patient), status


@bp.post("/users/<int:user_id>/link")
@staff_required
def issue_link(user_id: int):
    """A new invite (if no password yet) or reset link, with the reason chosen beside the button.

    Therapists may do this only for their own patients. A patient's link is shown to the staff member (to pass on
    when email is off); a clinician's or staff member's link is only ever emailed to them, since whoever holds it
    could sign in as them and open their patients' records.
    """
    db = get_db()
    if current_user.role == Role.therapist:
        user = get_patient_for(db, current_user, user_id)
    else:
        user = get_account_for(db, current_user, user_id)
    if not user.active:
        abort(404)
    reason_key = request.form.get("reason") or ("forgot" if user.password_hash else "invite_lost")
    if reason_key not in LINK_REASONS:
        abort(400)
    purpose = TokenPurpose.invite if user.password_hash is None else TokenPurpose.password_reset
    if link_may_be_shown(current_user, user):
        return _issue_and_show(db, user, purpose, LINK_REASONS[reason_key])
    return _issue_by_email_only(db, user, purpose, LINK_REASONS[reason_key])


@bp.post("/admin/users/<int:user_id>/active")
@admin_required
def set_active(user_id: int):
    db = get_db()
    user = get_account_for(db, current_user, user_id)
    if user.id == current_user.id:
        flash("You can't deactivate your own account.", "error")
        return redirect(url_for("admin.index"), 303)
    if request.form.get("active") == "1":
        accounts.reactivate(db, user=user)
        flash(f"{user.name} can sign in again.", "success")
    else:
        try:
            accounts.deactivate(db, user=user)
        except accounts.StillHasPatients as refused:
            return render_template("admin/deactivate_refused.html", user=user, patients=refused.patients), 409
        flash(f"{user.name} is deactivated. Their records are kept.", "success")
    db.commit()
    return redirect(url_for("admin.index"), 303)


@bp.post("/admin/users/<int:user_id>/safety-contact")
@admin_required
def set_safety_contact(user_id: int):
    """Mark staff as the clinic's safety contacts: they get alerts nobody else can take, and escalations."""
    db = get_db()
    user = get_account_for(db, current_user, user_id)
    if user.role == Role.patient:
        abort(404)
    on = request.form.get("safety_contact") == "1"
    safety_services.set_safety_contact(db, user=user, on=on)
    db.commit()
    flash(f"{user.name} is {'now' if on else 'no longer'} a safety contact.", "success")
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
    patient_id = whole_number(request.args.get("patient"))
    if patient_id:
        query = query.where(AuditEntry.patient_id == patient_id)
    entries = db.exec(query).all()
    names = {u.id: u.name for u in db.exec(select(User))}
    return render_template("admin/audit.html", entries=entries, names=names, patient_id=patient_id)
