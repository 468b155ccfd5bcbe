"""The directory's rows: patients the user may schedule, filtered by the search, with course and care team."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import Session, select

from app.directory.search import DirectoryQuery
from app.homework.timing import SessionStatus
from app.models import CareTeamMember, CareTeamRole, TmsCourse, TmsSession, User
from app.policy import visible_patients
from app.tms.services import course_progress

RECENT = 20
MATCHES = 50
LIKE_WILDCARDS = str.maketrans("", "", "%_\\")
"""Typed % and _ are not wildcards: a search for "a_b" must not match "axb"."""


@dataclass(frozen=True)
class DirectoryRow:
    patient: User
    therapist: User | None
    physician: User | None
    course: TmsCourse | None
    progress: dict
    next_visit: datetime | None


def _matching(user: User, query: DirectoryQuery):
    statement = visible_patients(user, clinical=False)
    for term in query.terms:
        pattern = "%" + term.translate(LIKE_WILDCARDS) + "%"
        statement = statement.where(or_(*(func.lower(column).like(pattern) for column in
                                          (User.name, User.family_name, User.given_name, User.mrn))))
    if query.birth_date is not None:
        statement = statement.where(User.birth_date == query.birth_date)
    if query.terms or query.birth_date:
        return statement.order_by(User.family_name, User.name, User.id).limit(MATCHES + 1)
    return statement.order_by(User.created_at.desc(), User.id.desc()).limit(RECENT)


def find_patients(db: Session, user: User, query: DirectoryQuery, *, now: datetime) -> tuple[list[DirectoryRow], bool]:
    """Rows for the patients `user` may schedule that match; True as second value when there were more to show."""
    patients = list(db.exec(_matching(user, query)))
    more = len(patients) > MATCHES
    patients = patients[:MATCHES]
    ids = [p.id for p in patients]
    courses: dict[int, TmsCourse] = {}
    for course in db.exec(select(TmsCourse).where(TmsCourse.patient_id.in_(ids)).order_by(TmsCourse.start_date, TmsCourse.id)):
        courses[course.patient_id] = course  # the latest course wins
    sessions = defaultdict(list)
    course_ids = [c.id for c in courses.values()]
    for session in db.exec(select(TmsSession).where(TmsSession.course_id.in_(course_ids))):
        sessions[session.course_id].append(session)
    next_visits = dict(db.exec(
        select(TmsSession.patient_id, func.min(TmsSession.scheduled_at))
        .where(TmsSession.patient_id.in_(ids), TmsSession.status == SessionStatus.SCHEDULED, TmsSession.scheduled_at >= now)
        .group_by(TmsSession.patient_id)
    ).all())
    physician_of = dict(db.exec(select(CareTeamMember.patient_id, CareTeamMember.member_id).where(
        CareTeamMember.patient_id.in_(ids), CareTeamMember.role == CareTeamRole.physician)).all())
    people_ids = {p.therapist_id for p in patients if p.therapist_id} | set(physician_of.values())
    people = {u.id: u for u in db.exec(select(User).where(User.id.in_(people_ids)))}
    rows = []
    for patient in patients:
        course = courses.get(patient.id)
        rows.append(DirectoryRow(
            patient=patient, therapist=people.get(patient.therapist_id), physician=people.get(physician_of.get(patient.id)),
            course=course,
            progress=course_progress(sessions[course.id]) if course else {}, next_visit=next_visits.get(patient.id),
        ))
    return rows, more
