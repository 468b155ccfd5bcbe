"""Who may see what: the one place authorization is decided.

Patients see only themselves; therapists only their own patients; clinic staff (admin) see patients for
scheduling and administration but not their clinical records. Objects a user may not see are a 404.
"""
from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user, login_required
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from app.audit import note_access
from app.models import Role, User
from app.security.sessions import has_recent_login


def role_required(*roles: Role):
    """Sign-in required, and the page belongs to these roles; anyone else gets 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def fresh_login_required(view):
    """Sensitive actions (password change, data export) need the password typed in the last few minutes (ASVS 3.7.1)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not has_recent_login():
            target = request.full_path.rstrip("?") if request.method == "GET" else request.path
            return redirect(url_for("auth.reauth", next=target), 303)
        return view(*args, **kwargs)

    return wrapped


patient_required = role_required(Role.patient)
therapist_required = role_required(Role.therapist)
admin_required = role_required(Role.admin)
staff_required = role_required(Role.therapist, Role.admin)


def visible_patients(user: User, *, clinical: bool = True) -> SelectOfScalar[User]:
    """A query for the patients `user` may see; clinical=False widens it for clinic staff's scheduling work."""
    query = select(User).where(User.role == Role.patient)
    if user.role == Role.therapist:
        return query.where(User.therapist_id == user.id)
    if user.role == Role.admin and not clinical:
        return query
    if user.role == Role.patient:
        return query.where(User.id == user.id)
    return query.where(False)


def can_see_patient(user: User, patient: User, *, clinical: bool = True) -> bool:
    if patient.role != Role.patient:
        return False
    if user.role == Role.patient:
        return user.id == patient.id
    if user.role == Role.therapist:
        return patient.therapist_id == user.id
    return user.role == Role.admin and not clinical


def get_patient_for(db: Session, user: User, patient_id: int, *, clinical: bool = True) -> User:
    """The patient if `user` may see them, else 404 (never reveal that the record exists)."""
    patient = db.get(User, patient_id)
    if patient is None or not can_see_patient(user, patient, clinical=clinical):
        abort(404)
    note_access(user, patient.id)
    return patient


def can_handle_safety(user: User, patient: User) -> bool:
    """The safety tab (events, plan): the treating therapist, and the clinic's active safety contacts, who take
    alerts nobody else can and escalations (CLINICAL.md, Safety)."""
    if patient.role != Role.patient or user.role == Role.patient or not user.active:
        return False
    return can_see_patient(user, patient) or bool(user.safety_contact)


def get_patient_for_safety(db: Session, user: User, patient_id: int) -> User:
    patient = db.get(User, patient_id)
    if patient is None or not can_handle_safety(user, patient):
        abort(404)
    note_access(user, patient.id)
    return patient


def owned_or_404(obj, patient_id_attr: str, user: User, db: Session, *, clinical: bool = True):
    """Return a patient-owned object if `user` may see its patient, else 404."""
    if obj is None:
        abort(404)
    get_patient_for(db, user, getattr(obj, patient_id_attr), clinical=clinical)
    return obj


def link_may_be_shown(staff: User, target: User) -> bool:
    """An invite/reset link may be shown on screen only for a patient the staff member manages; any other
    account's link would let the viewer sign in as that clinician, so it goes to the account's own email."""
    if target.role != Role.patient or staff.role == Role.patient:
        return False
    return staff.role == Role.admin or target.therapist_id == staff.id
