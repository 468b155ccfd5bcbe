"""Who may see what: the one place authorization is decided.

Patients see only themselves. A patient's care team is their treating therapist (users.therapist_id), optional
co-therapists and a physician (care_team_members). Therapists on the team see the whole clinical record; the
physician sees the medical facet (measures, side effects, safety events, TMS record, adherence) and thought-record
free text only where the patient's care-team setting allows it. Clinic administration and TMS technicians see every
patient's schedule but no clinical record, at the sites they work at (staff_sites, issue 22): never another site's
patients. The care team (therapists, the physician) is scoped by its seats, not by site. An external therapist sees
only their own patients and none of the clinic's shared pages. Objects a user may not see are a 404; pages a role
never uses are a 403.
"""
from enum import StrEnum
from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import or_
from sqlalchemy.orm import object_session
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from app.audit import note_access
from app.models import CareTeamMember, CareTeamRole, Role, StaffSite, User
from app.security.sessions import has_recent_login


class Facet(StrEnum):
    """Which part of a patient's record is being looked at."""

    schedule = "schedule"
    """TMS schedule and visits, care team, demographics: the clinic's scheduling work."""
    medical = "medical"
    """Measures, side effects, safety events, TMS record and adherence: what the prescribing physician needs."""
    thoughts = "thoughts"
    """The free text of thought records."""
    clinical = "clinical"
    """The whole clinical record: the therapists on the care team."""


PHYSICIAN_FACETS = frozenset({Facet.schedule, Facet.medical})
SCHEDULING_ROLES = (Role.admin, Role.technician)


def role_required(*roles: Role, external: bool = True):
    """Sign-in required, and the page belongs to these roles; anyone else gets 403.

    external=False keeps the page to the clinic's own staff: a therapist from outside sees only their patients.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles or (not external and current_user.external):
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
clinic_therapist_required = role_required(Role.therapist, external=False)
"""Clinic-wide therapist pages (the shared activity and skill libraries)."""
admin_required = role_required(Role.admin)
staff_required = role_required(Role.therapist, Role.admin)
clinic_staff_required = role_required(Role.therapist, Role.admin, external=False)
"""Inviting patients into the clinic."""
care_team_required = role_required(Role.therapist, Role.physician)
"""Clinical pages the physician shares with therapists; get_patient_for's facet decides the patient."""
tms_team_required = role_required(Role.therapist, Role.admin, Role.physician, Role.technician)
"""A patient's TMS schedule and visits."""
clinic_team_required = role_required(Role.therapist, Role.admin, Role.physician, Role.technician, external=False)
"""Clinic-wide TMS pages: the day list and the patient directory."""


def _facet(clinical: bool, facet: Facet | None) -> Facet:
    return facet or (Facet.clinical if clinical else Facet.schedule)


def _memberships(user: User, facet: Facet):
    """The patient ids where `user` holds a care-team seat that shows `facet`."""
    query = select(CareTeamMember.patient_id).where(CareTeamMember.member_id == user.id)
    if user.role == Role.therapist:
        return query.where(CareTeamMember.role == CareTeamRole.co_therapist)
    if user.role == Role.physician and facet in PHYSICIAN_FACETS:
        return query.where(CareTeamMember.role == CareTeamRole.physician)
    if user.role == Role.physician and facet == Facet.thoughts:
        return query.where(CareTeamMember.role == CareTeamRole.physician, CareTeamMember.sees_thought_records)
    return None


def staff_sites(user: User):
    """The site ids `user` works at, as a subquery."""
    return select(StaffSite.site_id).where(StaffSite.user_id == user.id)


def works_at(db: Session, user: User, site_id: int | None) -> bool:
    return site_id is not None and db.exec(
        select(StaffSite.id).where(StaffSite.user_id == user.id, StaffSite.site_id == site_id)
    ).first() is not None


def visible_patients(user: User, *, clinical: bool = True, facet: Facet | None = None) -> SelectOfScalar[User]:
    """A query for the patients `user` may see; clinical=False (Facet.schedule) widens it for scheduling work."""
    facet = _facet(clinical, facet)
    query = select(User).where(User.role == Role.patient)
    if not user.active:
        return query.where(False)
    if user.role == Role.patient:
        return query.where(User.id == user.id)
    if user.role in SCHEDULING_ROLES:
        return query.where(User.site_id.in_(staff_sites(user))) if facet == Facet.schedule else query.where(False)
    seats = _memberships(user, facet)
    if user.role == Role.therapist:
        return query.where(or_(User.therapist_id == user.id, User.id.in_(seats)))
    if seats is not None:
        return query.where(User.id.in_(seats))
    return query.where(False)


def care_team_seat(db: Session, user: User, patient: User) -> CareTeamMember | None:
    return db.exec(
        select(CareTeamMember).where(CareTeamMember.patient_id == patient.id, CareTeamMember.member_id == user.id)
    ).first()


def can_see_patient(user: User, patient: User, *, clinical: bool = True, facet: Facet | None = None,
                    db: Session | None = None) -> bool:
    facet = _facet(clinical, facet)
    if patient.role != Role.patient or not user.active:
        return False
    if user.role == Role.patient:
        return user.id == patient.id
    if user.role in SCHEDULING_ROLES:
        return facet == Facet.schedule and works_at(db or object_session(patient), user, patient.site_id)
    if user.role == Role.therapist and patient.therapist_id == user.id:
        return True
    if user.role not in (Role.therapist, Role.physician):
        return False
    seat = care_team_seat(db or object_session(patient), user, patient)
    if seat is None:
        return False
    if seat.role == CareTeamRole.co_therapist:
        return user.role == Role.therapist
    return user.role == Role.physician and (
        facet in PHYSICIAN_FACETS or (facet == Facet.thoughts and seat.sees_thought_records)
    )


def get_patient_for(db: Session, user: User, patient_id: int, *, clinical: bool = True,
                    facet: Facet | None = None) -> User:
    """The patient if `user` may see them, else 404 (never reveal that the record exists)."""
    patient = db.get(User, patient_id)
    if patient is None or not can_see_patient(user, patient, clinical=clinical, facet=facet, db=db):
        abort(404)
    note_access(user, patient.id)
    return patient


def can_handle_safety(user: User, patient: User, *, db: Session | None = None) -> bool:
    """The safety tab (events, plan): the care team's medical facet (treating and co-therapists, the physician), and
    the active safety contacts of the patient's site, who take alerts nobody else can and escalations (CLINICAL.md,
    Safety)."""
    if patient.role != Role.patient or user.role == Role.patient or not user.active:
        return False
    if can_see_patient(user, patient, facet=Facet.medical, db=db):
        return True
    return bool(user.safety_contact) and works_at(db or object_session(patient), user, patient.site_id)


def get_patient_for_safety(db: Session, user: User, patient_id: int) -> User:
    patient = db.get(User, patient_id)
    if patient is None or not can_handle_safety(user, patient, db=db):
        abort(404)
    note_access(user, patient.id)
    return patient


def owned_or_404(obj, patient_id_attr: str, user: User, db: Session, *, clinical: bool = True,
                 facet: Facet | None = None):
    """Return a patient-owned object if `user` may see its patient, else 404."""
    if obj is None:
        abort(404)
    get_patient_for(db, user, getattr(obj, patient_id_attr), clinical=clinical, facet=facet)
    return obj


def link_may_be_shown(staff: User, target: User) -> bool:
    """An invite/reset link may be shown on screen only for a patient the staff member manages; any other
    account's link would let the viewer sign in as that clinician, so it goes to the account's own email."""
    if target.role != Role.patient or staff.role == Role.patient:
        return False
    return (staff.role == Role.admin and works_at(object_session(target), staff, target.site_id)) \
        or target.therapist_id == staff.id


def may_see(patient: User, facet: str) -> bool:
    """For templates: may the signed-in user see this facet of the patient (shows or hides a tab or a form)?"""
    return current_user.is_authenticated and can_see_patient(current_user, patient, facet=Facet(facet))


def may_invite_patients() -> bool:
    """For templates: clinic administration and the clinic's own therapists bring patients in."""
    return current_user.is_authenticated and current_user.role in (Role.admin, Role.therapist) and not current_user.external


def manages_care_teams(user: User) -> bool:
    """Clinic administration adds and removes care-team members and changes the treating therapist."""
    return user.role == Role.admin


def may_set_thought_sharing(db: Session, user: User, patient: User) -> bool:
    """The patient's consent to share thought records with their physician: recorded by admin or their therapist."""
    return manages_care_teams(user) or (user.role == Role.therapist and patient.therapist_id == user.id)
