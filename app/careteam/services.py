"""Changing a care team. Functions flush; the request commits. Access follows the rows at once (app/policy.py)."""
from dataclasses import dataclass

from sqlmodel import Session, select

from app.models import CareTeamMember, CareTeamRole, Role, User
from app.models.types import utcnow
from app.validation import FieldError

SEAT_ROLES = {CareTeamRole.physician: Role.physician, CareTeamRole.co_therapist: Role.therapist}


@dataclass(frozen=True)
class CareTeam:
    treating: User | None
    physician: CareTeamMember | None
    co_therapists: list[CareTeamMember]
    people: dict[int, User]


def care_team(db: Session, patient: User) -> CareTeam:
    seats = list(db.exec(select(CareTeamMember).where(CareTeamMember.patient_id == patient.id).order_by(CareTeamMember.id)))
    ids = {s.member_id for s in seats} | ({patient.therapist_id} if patient.therapist_id else set())
    people = {u.id: u for u in db.exec(select(User).where(User.id.in_(ids)))}
    return CareTeam(
        treating=people.get(patient.therapist_id),
        physician=next((s for s in seats if s.role == CareTeamRole.physician), None),
        co_therapists=[s for s in seats if s.role == CareTeamRole.co_therapist and s.member_id != patient.therapist_id],
        people=people,
    )


def candidates(db: Session, patient: User, role: CareTeamRole) -> list[User]:
    """Active accounts that could take this seat (not already on the team)."""
    taken = {s.member_id for s in db.exec(select(CareTeamMember).where(CareTeamMember.patient_id == patient.id))}
    taken.add(patient.therapist_id)
    people = db.exec(select(User).where(User.role == SEAT_ROLES[role], User.active).order_by(User.name))
    return [u for u in people if u.id not in taken]


def add_member(db: Session, *, patient: User, member_id: int | None, role: CareTeamRole, by: User) -> CareTeamMember:
    member = db.get(User, member_id) if member_id else None
    expected = SEAT_ROLES[role]
    if member is None or member.role != expected or not member.active:
        raise FieldError(f"member-{role.value}", f"Choose an active {'physician' if expected == Role.physician else 'therapist'}.")
    if member.id == patient.therapist_id:
        raise FieldError(f"member-{role.value}", f"{member.name} is already the treating therapist.")
    if care_team(db, patient).physician is not None and role == CareTeamRole.physician:
        raise FieldError("member-physician", "This patient already has a physician: remove them first.")
    if db.exec(select(CareTeamMember).where(CareTeamMember.patient_id == patient.id,
                                            CareTeamMember.member_id == member.id)).first():
        raise FieldError(f"member-{role.value}", f"{member.name} is already on the care team.")
    seat = CareTeamMember(patient_id=patient.id, member_id=member.id, role=role, added_by_id=by.id, added_at=utcnow())
    db.add(seat)
    db.flush()
    return seat


def remove_member(db: Session, *, seat: CareTeamMember) -> None:
    """Their next request no longer finds the seat; the treating therapist is not a seat and cannot be removed here."""
    db.delete(seat)
    db.flush()


def set_thought_sharing(db: Session, *, seat: CareTeamMember, allowed: bool) -> None:
    if seat.role != CareTeamRole.physician:
        raise FieldError("sharing", "Only the physician's access to thought records is a setting.")
    seat.sees_thought_records = allowed
    db.flush()
