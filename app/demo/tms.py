"""Demo TMS courses: Dana mid-way through a standard acute course, Sam in deep TMS for OCD, Jordan after an
accelerated week now on maintenance boosters. Past visits are marked done (a few missed) as staff would have."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.demo import DemoClinic
from app.homework.timing import SessionStatus
from app.models import TmsCourse, TmsSession, User
from app.models.tms import ProtocolKind
from app.tms import protocols, services

VISIT_MINUTES = 25


def _monday_weeks_ago(today: date, weeks: int) -> date:
    return today - timedelta(days=today.weekday()) - timedelta(weeks=weeks)


def _course(db, patient, staff, label, kind, protocol, params, start) -> TmsCourse:
    return services.create_course(
        db, patient=patient, label=label, kind=kind, protocol=protocol, parameters=params, start=start, by=staff
    )


def _mark_past(db: Session, patient: User, staff: User, now: datetime, missed_every: int = 0) -> None:
    """Visits whose time has passed are done (marked 25 minutes after the start), with an occasional miss."""
    sessions = db.exec(
        select(TmsSession).where(TmsSession.patient_id == patient.id, TmsSession.scheduled_at < now - timedelta(minutes=VISIT_MINUTES))
        .order_by(TmsSession.scheduled_at)
    ).all()
    for number, session in enumerate(sessions, start=1):
        if missed_every and number % missed_every == 0:
            services.set_status(db, session=session, status=SessionStatus.MISSED, by=staff, at=session.scheduled_at + timedelta(hours=2))
        else:
            services.set_status(db, session=session, status=SessionStatus.COMPLETED, by=staff,
                                at=session.scheduled_at + timedelta(minutes=VISIT_MINUTES))


def seed_tms(db: Session, clinic: DemoClinic) -> None:
    staff = clinic.people["staff"]
    for key in ("dana", "sam", "jordan"):
        patient = clinic.people[key]
        if db.exec(select(TmsCourse).where(TmsCourse.patient_id == patient.id)).first():
            continue
        today = clinic.now.astimezone(ZoneInfo(patient.timezone)).date()
        if key == "dana":
            protocol = protocols.StandardProtocol(frozenset(range(5)), 6, time(9, 0))
            _course(db, patient, staff, "Acute course", ProtocolKind.standard, protocol,
                    {"weekdays": [0, 1, 2, 3, 4], "weeks": 6, "local_time": "09:00"}, _monday_weeks_ago(today, 3))
            _mark_past(db, patient, staff, clinic.now, missed_every=9)
        elif key == "sam":
            protocol = protocols.StandardProtocol(frozenset(range(5)), 6, time(11, 30))
            _course(db, patient, staff, "Deep TMS for OCD", ProtocolKind.standard, protocol,
                    {"weekdays": [0, 1, 2, 3, 4], "weeks": 6, "local_time": "11:30"}, _monday_weeks_ago(today, 2))
            _mark_past(db, patient, staff, clinic.now, missed_every=11)
        else:
            start = _monday_weeks_ago(today, 5)
            protocol = protocols.AcceleratedProtocol(10, 50, 5, time(8, 0))
            _course(db, patient, staff, "Accelerated iTBS week", ProtocolKind.accelerated, protocol,
                    {"sessions_per_day": 10, "minutes_apart": 50, "days": 5, "first_session": "08:00"}, start)
            booster = protocols.BoosterProtocol(6, 1, protocols.IntervalUnit.WEEKS, time(10, 0))
            _course(db, patient, staff, "Maintenance boosters", ProtocolKind.booster, booster,
                    {"sessions": 6, "every": 1, "unit": "weeks", "local_time": "10:00"}, today - timedelta(days=14))
            _mark_past(db, patient, staff, clinic.now)
