"""The TMS treatment record: saving what a delivered visit gave (red flags into the safety pathway), the form's
prefill from the course's previous visit, the motor thresholds due on the day list, and a course's record for the
physician. Functions only flush; the request commits."""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from app.homework.timing import SessionStatus
from app.models import TmsCourse, TmsSession, TmsTreatmentRecord, User
from app.safety.services import clinic_settings, raise_signal
from app.tms import record_rules
from app.validation import FieldError


def record_of(db: Session, session: TmsSession) -> TmsTreatmentRecord | None:
    return db.exec(select(TmsTreatmentRecord).where(TmsTreatmentRecord.session_id == session.id)).first()


def previous_record(db: Session, session: TmsSession) -> TmsTreatmentRecord | None:
    """The record of the course's latest earlier visit: what the technician most likely gives again."""
    return db.exec(
        select(TmsTreatmentRecord).join(TmsSession, TmsSession.id == TmsTreatmentRecord.session_id)
        .where(TmsSession.course_id == session.course_id, TmsSession.scheduled_at < session.scheduled_at)
        .order_by(TmsSession.scheduled_at.desc())
    ).first()


def form_values(record: TmsTreatmentRecord | None, *, with_events: bool = True) -> dict:
    """A record as the form shows it; a prefill from the previous visit leaves out its adverse events and note."""
    if record is None:
        return {}
    minutes, seconds = divmod(record.duration_seconds, 60)
    values = {
        "target": record.target, "coil": record.coil, "motor_threshold_pct": str(record.motor_threshold_pct),
        "motor_threshold_measured_on": record.motor_threshold_measured_on.isoformat(),
        "intensity_pct": str(record.intensity_pct), "pattern": record.pattern.value, "pulses": str(record.pulses),
        "duration_minutes": str(minutes), "duration_seconds": str(seconds),
    }
    if with_events:
        values |= {"note": record.note, "adverse_events": list(record.adverse_events)}
    return values


def prescription_values(course: TmsCourse) -> dict:
    """A first visit with no earlier record starts from the course's prescription."""
    values = {"target": course.prescribed_target}
    if course.prescribed_pattern is not None:
        values["pattern"] = course.prescribed_pattern.value
    if course.prescribed_intensity_pct is not None:
        values["intensity_pct"] = str(course.prescribed_intensity_pct)
    if course.prescribed_pulses is not None:
        values["pulses"] = str(course.prescribed_pulses)
    return values


def save_record(db: Session, *, session: TmsSession, entry: record_rules.TreatmentInput, by: User,
                now: datetime) -> TmsTreatmentRecord:
    """Record (or correct) what a delivered visit gave. Red-flag adverse events go into the one safety pathway, one
    event per visit: a correction can add to it, never remove it (a safety event is never edited away)."""
    if session.status != SessionStatus.COMPLETED:
        raise FieldError("session", "Mark the visit done first: a record belongs to a delivered visit.")
    record = record_of(db, session) or TmsTreatmentRecord(session_id=session.id, patient_id=session.patient_id,
                                                          recorded_by_id=by.id, recorded_at=now)
    for name in ("target", "coil", "motor_threshold_pct", "motor_threshold_measured_on", "intensity_pct", "pattern",
                 "pulses", "duration_seconds", "note"):
        setattr(record, name, getattr(entry, name))
    record.adverse_events = list(entry.adverse_events)
    record.recorded_by_id, record.recorded_at = by.id, now
    db.add(record)
    db.flush()
    signal = record_rules.adverse_signal(entry.adverse_events)
    if signal is not None:
        raise_signal(db, patient=db.get(User, session.patient_id), signal=signal, at=session.started_at or now,
                     now=now, origin=f"tms-record:{session.id}")
    return record


def save_prescription(db: Session, *, course: TmsCourse, prescription: record_rules.Prescription,
                      target: str) -> TmsCourse:
    course.prescribed_target = target
    course.prescribed_pattern = prescription.pattern
    course.prescribed_intensity_pct = prescription.intensity_pct
    course.prescribed_pulses = prescription.pulses
    db.add(course)
    db.flush()
    return course


def recorded_sessions(db: Session, session_ids) -> set[int]:
    ids = list(session_ids)
    if not ids:
        return set()
    return set(db.exec(select(TmsTreatmentRecord.session_id).where(TmsTreatmentRecord.session_id.in_(ids))).all())


def thresholds_due(db: Session, patient_ids, *, on: date) -> dict[int, date | None]:
    """The patients among `patient_ids` whose motor threshold is due on `on`, with when it was last measured (None:
    never on record). Uses the latest measurement on or before that day and the clinic's re-check interval."""
    ids = list(set(patient_ids))
    if not ids:
        return {}
    latest = dict(db.exec(
        select(TmsTreatmentRecord.patient_id, func.max(TmsTreatmentRecord.motor_threshold_measured_on))
        .where(TmsTreatmentRecord.patient_id.in_(ids), TmsTreatmentRecord.motor_threshold_measured_on <= on)
        .group_by(TmsTreatmentRecord.patient_id)
    ).all())
    interval = clinic_settings(db).motor_threshold_recheck_days
    return {pid: latest.get(pid) for pid in ids
            if record_rules.mt_recheck_due(latest.get(pid), on=on, interval_days=interval)}


@dataclass(frozen=True)
class RecordRow:
    session: TmsSession
    record: TmsTreatmentRecord | None
    differences: tuple[str, ...]


@dataclass(frozen=True)
class CourseRecord:
    rows: list[RecordRow]
    pulses_total: int
    adverse: list[tuple[TmsSession, TmsTreatmentRecord]]
    adherence: record_rules.Adherence
    unrecorded: int
    """Delivered visits with no record yet."""


def course_record(db: Session, course: TmsCourse, *, now: datetime) -> CourseRecord:
    sessions = list(db.exec(select(TmsSession).where(TmsSession.course_id == course.id)
                            .order_by(TmsSession.scheduled_at)))
    records = {r.session_id: r for r in db.exec(
        select(TmsTreatmentRecord).where(TmsTreatmentRecord.session_id.in_([s.id for s in sessions] or [-1]))
    )}
    prescription = record_rules.Prescription(course.prescribed_pattern, course.prescribed_intensity_pct,
                                             course.prescribed_pulses)
    rows = [RecordRow(s, records.get(s.id), record_rules.dose_differences(records[s.id], prescription)
                      if s.id in records else ())
            for s in sessions if s.status == SessionStatus.COMPLETED]
    return CourseRecord(
        rows=rows,
        pulses_total=sum(r.pulses for r in records.values()),
        adverse=[(row.session, row.record) for row in rows if row.record and row.record.adverse_events],
        adherence=record_rules.adherence(sessions, prescribed=course.prescribed_sessions, now=now),
        unrecorded=sum(row.record is None for row in rows),
    )
