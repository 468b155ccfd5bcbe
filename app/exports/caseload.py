"""The caseload export: one summary per patient, gathered in a fixed number of queries however many patients.

Definitions follow the caseload page: TMS progress is the current course (the course of the latest session up
to today, else the next one; cancelled sessions don't count); PHQ-9 baseline is the first PHQ-9 and response
needs a later one (CLINICAL.md: a fall of at least 50 %; remission below 5); adherence counts homework whose
patient-local date falls in the last 7 days, today included.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from app.checkins.instruments import InstrumentCode, phq9_outcome
from app.homework import timing
from app.homework.schedule import load_homework
from app.models import MoodCheckin, QuestionnaireResponse, SafetyEvent, TmsSession, User
from app.policy import visible_patients

ADHERENCE_DAYS = 7


@dataclass(frozen=True)
class TmsProgress:
    done: int
    total: int
    missed: int


@dataclass(frozen=True)
class Phq9Summary:
    baseline: int
    latest: int
    latest_on: date
    change: int
    response: bool
    remission: bool


@dataclass(frozen=True)
class CaseloadSummary:
    patient: User
    tms: TmsProgress
    last_checkin: MoodCheckin | None
    phq9: Phq9Summary | None
    open_safety_events: int
    adherence: timing.Adherence

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.patient.timezone)


def tms_progress(sessions: list[TmsSession], today: date, tz: ZoneInfo) -> TmsProgress:
    """Progress through the current course: the course of the latest session up to today, else the next one."""
    live = [s for s in sessions if s.status != timing.SessionStatus.CANCELLED]
    if not live:
        return TmsProgress(0, 0, 0)
    past = [s for s in live if s.scheduled_at.astimezone(tz).date() <= today]
    course_id = (past[-1] if past else live[0]).course_id
    in_course = [s for s in live if s.course_id == course_id]
    return TmsProgress(
        done=sum(s.status == timing.SessionStatus.COMPLETED for s in in_course),
        total=len(in_course),
        missed=sum(s.status == timing.SessionStatus.MISSED for s in in_course),
    )


def phq9_summary(responses: list[QuestionnaireResponse], tz: ZoneInfo) -> Phq9Summary | None:
    """Latest against baseline; a single PHQ-9 is its own baseline and cannot show a response."""
    if not responses:
        return None
    baseline, latest = responses[0], responses[-1]
    outcome = phq9_outcome(baseline.total, latest.total)
    return Phq9Summary(
        baseline=baseline.total, latest=latest.total, latest_on=latest.submitted_at.astimezone(tz).date(),
        change=outcome.change, response=outcome.response and len(responses) > 1, remission=outcome.remission,
    )


def caseload_summaries(db: Session, therapist: User, now: datetime) -> list[CaseloadSummary]:
    """Every patient of `therapist`, by name; seven queries whatever the caseload's size."""
    patients = list(db.exec(visible_patients(therapist).order_by(User.name, User.id)).all())
    if not patients:
        return []
    ids = [p.id for p in patients]
    homework = load_homework(db, patients, active_on=now.date() - timedelta(days=ADHERENCE_DAYS + 1))
    latest_at = (
        select(MoodCheckin.patient_id, func.max(MoodCheckin.recorded_at).label("at"))
        .where(MoodCheckin.patient_id.in_(ids))
        .group_by(MoodCheckin.patient_id)
        .subquery()
    )
    last_checkins = {
        c.patient_id: c
        for c in db.exec(
            select(MoodCheckin)
            .join(latest_at, (MoodCheckin.patient_id == latest_at.c.patient_id) & (MoodCheckin.recorded_at == latest_at.c.at))
            .order_by(MoodCheckin.id)
        )
    }
    phq9: dict[int, list[QuestionnaireResponse]] = defaultdict(list)
    for response in db.exec(
        select(QuestionnaireResponse)
        .where(QuestionnaireResponse.patient_id.in_(ids), QuestionnaireResponse.instrument == InstrumentCode.PHQ9)
        .order_by(QuestionnaireResponse.submitted_at, QuestionnaireResponse.id)
    ):
        phq9[response.patient_id].append(response)
    open_events = dict(
        db.exec(
            select(SafetyEvent.patient_id, func.count(SafetyEvent.id))
            .where(SafetyEvent.patient_id.in_(ids), SafetyEvent.acknowledged_at.is_(None))
            .group_by(SafetyEvent.patient_id)
        ).all()
    )
    summaries = []
    for patient in patients:
        tz = ZoneInfo(patient.timezone)
        today = now.astimezone(tz).date()
        views = homework[patient.id].views(through=today, now=now, since=today - timedelta(days=ADHERENCE_DAYS - 1))
        summaries.append(
            CaseloadSummary(
                patient=patient,
                tms=tms_progress(homework[patient.id].sessions, today, tz),
                last_checkin=last_checkins.get(patient.id),
                phq9=phq9_summary(phq9[patient.id], tz),
                open_safety_events=open_events.get(patient.id, 0),
                adherence=timing.summarize(v.status for v in views),
            )
        )
    return summaries
