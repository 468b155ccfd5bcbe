"""Demo TMS courses: Dana in the last week of a 7-week acute course (her first weekly PHQ-9, that morning before
her first session, is the course baseline), Sam in deep TMS for OCD, Jordan after an
accelerated week now on maintenance boosters. Past visits are marked done (a few missed) as staff would have.
A staff-training closure a week ahead shows courses running on past a closed day."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.demo import DemoClinic
from app.homework.timing import SessionStatus
from app.models import ClinicClosure, TmsCourse, TmsSession, User
from app.sites.services import default_site
from app.models.tms import ProtocolKind
from app.tms import protocols, services

VISIT_MINUTES = 25


def _monday_weeks_ago(today: date, weeks: int) -> date:
    return today - timedelta(days=today.weekday()) - timedelta(weeks=weeks)


def _course(db, patient, staff, label, kind, protocol, params, start, minutes=40) -> TmsCourse:
    return services.create_course(
        db, patient=patient, label=label, kind=kind, protocol=protocol, parameters=params, start=start, by=staff,
        session_minutes=minutes,
    )


def seed_closure(db: Session, clinic: DemoClinic) -> None:
    """A staff-training day a week or so ahead (a weekday), so courses visibly run on past it."""
    today = clinic.now.astimezone(ZoneInfo("America/New_York")).date()
    day = today + timedelta(days=8)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    site = default_site(db)
    if db.exec(select(ClinicClosure).where(ClinicClosure.day == day, ClinicClosure.site_id == site.id)).first() is None:
        db.add(ClinicClosure(site_id=site.id, day=day, label="Staff training (demo)", created_by_id=clinic.people["staff"].id,
                             created_at=clinic.now))
        db.flush()


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
    seed_closure(db, clinic)
    for key in ("dana", "sam", "jordan"):
        patient = clinic.people[key]
        if db.exec(select(TmsCourse).where(TmsCourse.patient_id == patient.id)).first():
            continue
        today = clinic.now.astimezone(ZoneInfo(patient.timezone)).date()
        if key == "dana":
            protocol = protocols.StandardProtocol(frozenset(range(5)), 7, time(9, 0))
            _course(db, patient, staff, "Acute course", ProtocolKind.standard, protocol,
                    {"weekdays": [0, 1, 2, 3, 4], "weeks": 7, "local_time": "09:00"}, _monday_weeks_ago(today, 6))
            _mark_past(db, patient, staff, clinic.now, missed_every=9)
        elif key == "sam":
            protocol = protocols.StandardProtocol(frozenset(range(5)), 6, time(11, 30), sessions=29)
            _course(db, patient, staff, "Deep TMS for OCD", ProtocolKind.standard, protocol,
                    {"weekdays": [0, 1, 2, 3, 4], "weeks": 6, "sessions": 29, "local_time": "11:30",
                     "preset": "deep_tms_ocd"}, _monday_weeks_ago(today, 2), minutes=30)
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
