"""Demo TMS treatment records: each course gets the prescription its protocol usually has, and every delivered visit
a record from the technician. Motor thresholds are re-measured weekly, except Sam's, last measured at his first
visit, so the day list shows "MT re-check due" for him; Dana's first visits note scalp discomfort (not a red flag)."""
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.demo import DemoClinic
from app.homework.timing import SessionStatus
from app.models import TmsCourse, TmsSession, TmsTreatmentRecord
from app.models.tms import ProtocolKind, StimulationPattern
from app.tms import records
from app.tms.record_rules import Prescription, TreatmentInput

CLINIC_ZONE = ZoneInfo("America/New_York")


@dataclass(frozen=True)
class Dose:
    target: str
    coil: str
    pattern: StimulationPattern
    intensity_pct: int
    pulses: int
    duration_seconds: int


STANDARD = Dose("Left DLPFC (Beam F3)", "Figure-8", StimulationPattern.hz10, 120, 3000, 2250)
DEEP_OCD = Dose("dmPFC / ACC", "H7", StimulationPattern.hz20, 100, 2000, 1080)
ACCELERATED = Dose("Left DLPFC (neuronavigated)", "Figure-8", StimulationPattern.itbs, 90, 1800, 576)
BOOSTER = Dose("Left DLPFC (Beam F3)", "Figure-8", StimulationPattern.itbs, 120, 600, 189)
MOTOR_THRESHOLDS = {"dana": 52, "sam": 60, "jordan": 48, "riley": 57, "lucia": 55}
STALE_THRESHOLD = "sam"
"""Measured once, at the first visit: due again on the day list."""


def _dose(course: TmsCourse) -> Dose:
    if course.parameters.get("preset") == "deep_tms_ocd":
        return DEEP_OCD
    return {ProtocolKind.accelerated: ACCELERATED, ProtocolKind.booster: BOOSTER}.get(course.protocol, STANDARD)


def seed_treatment_records(db: Session, clinic: DemoClinic) -> None:
    technician = clinic.people["technician"]
    for key, threshold in MOTOR_THRESHOLDS.items():
        patient = clinic.people[key]
        for course in db.exec(select(TmsCourse).where(TmsCourse.patient_id == patient.id)
                              .order_by(TmsCourse.start_date)):
            if course.prescribed_pattern is not None:
                continue
            dose = _dose(course)
            records.save_prescription(db, course=course, target=dose.target,
                                      prescription=Prescription(dose.pattern, dose.intensity_pct, dose.pulses))
            _record_visits(db, course, dose, threshold, technician, weekly=key != STALE_THRESHOLD, dana=key == "dana")


def _record_visits(db: Session, course: TmsCourse, dose: Dose, threshold: int, technician, *, weekly: bool,
                   dana: bool) -> None:
    delivered = db.exec(select(TmsSession).where(TmsSession.course_id == course.id,
                                                 TmsSession.status == SessionStatus.COMPLETED)
                        .order_by(TmsSession.scheduled_at)).all()
    measured = None
    for number, session in enumerate(delivered):
        if db.exec(select(TmsTreatmentRecord.id).where(TmsTreatmentRecord.session_id == session.id)).first():
            continue
        day = (session.started_at or session.scheduled_at).astimezone(CLINIC_ZONE).date()
        if measured is None or (weekly and day - measured >= timedelta(days=7)):
            measured = day
        side_effects = ("scalp_pain",) if dana and number < 3 else ()
        entry = TreatmentInput(
            target=dose.target, coil=dose.coil, motor_threshold_pct=threshold, motor_threshold_measured_on=measured,
            intensity_pct=dose.intensity_pct, pattern=dose.pattern, pulses=dose.pulses,
            duration_seconds=dose.duration_seconds, adverse_events=side_effects,
            note="Settled with a cooler pad; intensity kept." if side_effects else "",
        )
        records.save_record(db, session=session, entry=entry, by=technician, now=session.completed_at)
