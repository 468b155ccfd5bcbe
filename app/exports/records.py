"""Everything stored about one patient, loaded table by table (a fixed number of queries), for the exports.

The exports read from this one place so the CSV, the FHIR bundle and "download all my data" cannot disagree
about what a patient's record holds.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.models import (
    Activity,
    Assignment,
    AssignmentTiming,
    ClinicianRating,
    HomeworkCompletion,
    MoodCheckin,
    QuestionnaireResponse,
    SafetyEvent,
    SafetyPlan,
    SideEffectCheck,
    TherapySession,
    ThoughtComment,
    ThoughtEmotion,
    ThoughtRecord,
    TherapyAppointment,
    TmsCourse,
    TmsSession,
    TmsTreatmentRecord,
    TreatmentPlan,
    User,
)
from app.models.dbt import DiaryCard, DiaryRating, DiaryTargetRow, SkillUse
from app.exposure import recordings
from app.exposure.recordings import RecordingDetails
from app.models.exposure import ExposurePractice, Hierarchy, HierarchyItem, SudsRating


@dataclass
class PatientRecord:
    """One patient's rows, each list in time order; children are grouped by their parent's id."""

    patient: User
    therapist: User | None
    courses: list[TmsCourse]
    sessions: list[TmsSession]
    assignments: list[Assignment]
    timings: dict[int, list[AssignmentTiming]]
    completions: dict[int, list[HomeworkCompletion]]
    checkins: list[MoodCheckin]
    side_effects: list[SideEffectCheck]
    responses: list[QuestionnaireResponse]
    clinician_ratings: list[ClinicianRating]
    thought_records: list[ThoughtRecord]
    thought_emotions: dict[int, list[ThoughtEmotion]]
    thought_comments: dict[int, list[ThoughtComment]]
    activities: list[Activity]
    hierarchies: list[Hierarchy]
    items: dict[int, list[HierarchyItem]]
    suds_ratings: dict[int, list[SudsRating]]
    practices: list[ExposurePractice]
    diary_targets: list[DiaryTargetRow]
    diary_cards: list[DiaryCard]
    diary_ratings: dict[int, list[DiaryRating]]
    skill_uses: list[SkillUse]
    safety_plan: SafetyPlan | None
    safety_events: list[SafetyEvent]
    therapy_sessions: list[TherapySession]
    people: dict[int, str]
    treatment_records: dict[int, TmsTreatmentRecord] = field(default_factory=dict)
    """What each delivered TMS visit gave, by session id (the TMS team's record)."""
    appointments: list[TherapyAppointment] = field(default_factory=list)
    plan_versions: list[TreatmentPlan] = field(default_factory=list)
    recordings: list[tuple[int, RecordingDetails]] = field(default_factory=list)
    """Session recordings sent to the clinic: their details, never the audio (the patient keeps that on the phone)."""

    @property
    def items_by_id(self) -> dict[int, HierarchyItem]:
        return {item.id: item for rows in self.items.values() for item in rows}


def _grouped(rows, key: str) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return dict(grouped)


def _rows(db: Session, model, *order, **where) -> list:
    query = select(model)
    for column, value in where.items():
        query = query.where(getattr(model, column) == value)
    return list(db.exec(query.order_by(*order)).all())


def _children(db: Session, model, parent_column: str, parent_ids: list[int], *order) -> dict[int, list]:
    if not parent_ids:
        return {}
    column = getattr(model, parent_column)
    return _grouped(db.exec(select(model).where(column.in_(parent_ids)).order_by(*order)).all(), parent_column)


def load_patient_record(db: Session, patient: User) -> PatientRecord:
    """Every row that belongs to `patient` (the caller has already checked who may see them)."""
    pid = patient.id
    assignments = _rows(db, Assignment, Assignment.id, patient_id=pid)
    records = _rows(db, ThoughtRecord, ThoughtRecord.created_at, ThoughtRecord.id, patient_id=pid)
    hierarchies = _rows(db, Hierarchy, Hierarchy.id, patient_id=pid)
    items = _children(db, HierarchyItem, "hierarchy_id", [h.id for h in hierarchies], HierarchyItem.position,
                      HierarchyItem.id)
    item_ids = [item.id for rows in items.values() for item in rows]
    cards = _rows(db, DiaryCard, DiaryCard.day, patient_id=pid)
    comments = _children(db, ThoughtComment, "record_id", [r.id for r in records], ThoughtComment.created_at,
                         ThoughtComment.id)
    events = _rows(db, SafetyEvent, SafetyEvent.created_at, SafetyEvent.id, patient_id=pid)
    author_ids = {c.author_id for rows in comments.values() for c in rows} | {patient.therapist_id or pid}
    author_ids |= {e.acknowledged_by_id for e in events if e.acknowledged_by_id}
    people = {u.id: u.name for u in db.exec(select(User).where(User.id.in_(author_ids))).all()}
    return PatientRecord(
        patient=patient,
        therapist=db.get(User, patient.therapist_id) if patient.therapist_id else None,
        courses=_rows(db, TmsCourse, TmsCourse.start_date, TmsCourse.id, patient_id=pid),
        sessions=_rows(db, TmsSession, TmsSession.scheduled_at, patient_id=pid),
        assignments=assignments,
        timings=_children(db, AssignmentTiming, "assignment_id", [a.id for a in assignments],
                          AssignmentTiming.effective_from),
        completions=_children(db, HomeworkCompletion, "assignment_id", [a.id for a in assignments],
                              HomeworkCompletion.completed_at),
        checkins=_rows(db, MoodCheckin, MoodCheckin.recorded_at, MoodCheckin.id, patient_id=pid),
        side_effects=_rows(db, SideEffectCheck, SideEffectCheck.recorded_at, SideEffectCheck.id, patient_id=pid),
        responses=_rows(db, QuestionnaireResponse, QuestionnaireResponse.submitted_at, QuestionnaireResponse.id,
                        patient_id=pid),
        clinician_ratings=_rows(db, ClinicianRating, ClinicianRating.rated_on, ClinicianRating.id, patient_id=pid),
        thought_records=records,
        thought_emotions=_children(db, ThoughtEmotion, "record_id", [r.id for r in records], ThoughtEmotion.position),
        thought_comments=comments,
        activities=_rows(db, Activity, Activity.planned_date, Activity.planned_time, Activity.id, patient_id=pid),
        hierarchies=hierarchies,
        items=items,
        suds_ratings=_children(db, SudsRating, "item_id", item_ids, SudsRating.rated_at, SudsRating.id),
        practices=_rows(db, ExposurePractice, ExposurePractice.started_at, ExposurePractice.id, patient_id=pid),
        diary_targets=_rows(db, DiaryTargetRow, DiaryTargetRow.id, patient_id=pid),
        diary_cards=cards,
        diary_ratings=_children(db, DiaryRating, "card_id", [c.id for c in cards], DiaryRating.kind, DiaryRating.id),
        skill_uses=_rows(db, SkillUse, SkillUse.used_at, SkillUse.id, patient_id=pid),
        safety_plan=db.exec(select(SafetyPlan).where(SafetyPlan.patient_id == pid)).first(),
        safety_events=events,
        therapy_sessions=_rows(db, TherapySession, TherapySession.held_on, patient_id=pid),
        people=people,
        treatment_records={r.session_id: r for r in _rows(db, TmsTreatmentRecord, TmsTreatmentRecord.id,
                                                          patient_id=pid)},
        appointments=_rows(db, TherapyAppointment, TherapyAppointment.starts_at, TherapyAppointment.id, patient_id=pid),
        plan_versions=_rows(db, TreatmentPlan, TreatmentPlan.version, patient_id=pid),
        recordings=recordings.sent_by(db, pid),
    )


def local(instant: datetime, patient: User) -> datetime:
    """An instant on the patient's wall clock: exports give dates and times as the patient lived them."""
    return instant.astimezone(ZoneInfo(patient.timezone))
