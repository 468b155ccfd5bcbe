"""Check-in and questionnaire operations: save entries (completing homework), keep each patient's questionnaire
schedule as weekly assignments, and read back histories. Functions only flush; the request commits."""
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from app import validation
from app.checkins import instruments
from app.checkins.entries import CheckinValues, EntryInvalid, SideEffectValues
from app.checkins.instruments import INSTRUMENTS, PHQ9, Instrument, InstrumentCode, Outcome, phq9_outcome
from app.homework import timing
from app.homework.timing import SessionStatus
from app.homework.completion import record_completion
from app.homework.schedule import PatientHomework, load_homework, local_day_bounds, local_today, parse_weekdays
from app.models import (
    Assignment,
    AssignmentTiming,
    ClinicianRating,
    HomeworkCompletion,
    HomeworkKind,
    MoodCheckin,
    QuestionnaireResponse,
    SafetyEvent,
    SideEffectCheck,
    TmsSession,
    User,
)

RED_FLAG_FIELDS = ("seizure", "fainted", "headache_unrelieved", "hearing_change", "mania_signs")

SHORT_NAMES = {InstrumentCode.PHQ9: "PHQ-9", InstrumentCode.GAD7: "GAD-7", InstrumentCode.PCL5: "PCL-5"}

QUESTIONNAIRE_REMINDER = time(10, 0)
"""Weekly questionnaires are reminded mid-morning, after most TMS sessions have started for the day."""


def create_checkin(db: Session, *, patient: User, values: CheckinValues, at: datetime) -> MoodCheckin:
    """Save a daily check-in and complete the matching mood_checkin homework occurrence, if any."""
    row = MoodCheckin(
        patient_id=patient.id, mood=values.mood, anxiety=values.anxiety, sleep_hours=values.sleep_hours,
        note=values.note, recorded_at=at,
    )
    db.add(row)
    db.flush()
    record_completion(db, patient=patient, kind=HomeworkKind.mood_checkin, at=at, source="mood_checkins", source_id=row.id)
    return row


def create_side_effect_check(
    db: Session, *, patient: User, values: SideEffectValues, session: TmsSession | None, at: datetime
) -> SideEffectCheck:
    """Save a post-TMS side-effect check; the caller has checked the session is the patient's own."""
    if session is not None and session.patient_id != patient.id:
        raise EntryInvalid({"session_id": "That TMS visit isn't yours."})
    row = SideEffectCheck(
        patient_id=patient.id, session_id=session.id if session else None, headache=values.headache,
        scalp_discomfort=values.scalp_discomfort, note=values.note, recorded_at=at,
        **{flag: flag in values.red_flags for flag in RED_FLAG_FIELDS},
    )
    db.add(row)
    db.flush()
    return row


def submit_questionnaire(
    db: Session,
    *,
    patient: User,
    instrument: Instrument,
    answers: dict[int, int],
    at: datetime,
    safety_event: SafetyEvent | None = None,
    difficulty: int | None = None,
    experience: str | None = None,
    language: str = "en",
) -> QuestionnaireResponse:
    """Score and store a response (never edited afterwards), link the safety event it raised, complete homework.

    The PHQ-9 difficulty answer is stored beside the items, never in the total; a PCL-5 keeps the experience it
    asked about. `language` is the language of the wording the patient answered (app/checkins/wording.py)."""
    result = instruments.score(instrument, answers)
    row = QuestionnaireResponse(
        patient_id=patient.id,
        instrument=instrument.code,
        answers={str(number): value for number, value in sorted(answers.items())},
        total=result.total,
        band=result.band_label,
        safety_flag=result.safety_flag,
        submitted_at=at,
        difficulty=difficulty if instrument.code == InstrumentCode.PHQ9 else None,
        experience=experience if instrument.code == InstrumentCode.PCL5 else None,
        language=language,
    )
    db.add(row)
    db.flush()
    if safety_event is not None:
        safety_event.response_id = row.id
    record_completion(
        db, patient=patient, kind=HomeworkKind.questionnaire, at=at, source="questionnaire_responses",
        source_id=row.id, target=instrument.code,
    )
    return row


def add_clinician_rating(
    db: Session, *, patient: User, scale: str, total: str, rated_on: str, by: User, today: date
) -> ClinicianRating:
    """A clinician-rated total with its date; only the total is kept (CLINICAL.md, Measures)."""
    errors: dict[str, str] = {}
    value = None
    try:
        value = instruments.validate_clinician_total(scale, total)
    except instruments.TotalInvalid as error:
        errors[error.field] = error.message
    day = validation.iso_date(rated_on)
    if day is None:
        errors["rated_on"] = "Give the date the rating was done."
    elif not validation.in_schedule_range(day, today=today):
        errors["rated_on"] = f"Give a rating date from {validation.EARLIEST_SCHEDULE_DATE.year} to today."
    else:
        if day > today:
            errors["rated_on"] = "The rating date can't be in the future."
    if errors:
        raise EntryInvalid(errors)
    row = ClinicianRating(patient_id=patient.id, scale=scale, total=value, rated_on=day, entered_by_id=by.id)
    db.add(row)
    db.flush()
    return row


# The questionnaire schedule: one weekly Assignment(kind=questionnaire, target=<code>) per enabled instrument.


def _questionnaire_assignments(db: Session, patient: User, code: str, *, active_on: date) -> list[Assignment]:
    return db.exec(
        select(Assignment)
        .where(
            Assignment.patient_id == patient.id,
            Assignment.kind == HomeworkKind.questionnaire,
            Assignment.target == code,
            (Assignment.end_date.is_(None)) | (Assignment.end_date >= active_on),
        )
        .order_by(Assignment.start_date, Assignment.id)
    ).all()


def _weekly_assignment(
    db: Session, *, patient: User, instrument: Instrument, weekday: int, start: date, end: date | None, by: User
) -> Assignment:
    assignment = Assignment(
        patient_id=patient.id, created_by_id=by.id, kind=HomeworkKind.questionnaire,
        title=f"{SHORT_NAMES[instrument.code]} questionnaire",
        target=instrument.code, start_date=start, end_date=end,
    )
    db.add(assignment)
    db.flush()
    db.add(
        AssignmentTiming(
            assignment_id=assignment.id, effective_from=start, kind=timing.TimingKind.WEEKLY,
            local_time=QUESTIONNAIRE_REMINDER, weekdays=str(weekday),
        )
    )
    db.flush()
    return assignment


def ensure_default_questionnaires(db: Session, *, patient: User, start: date, end: date | None, by: User) -> Assignment:
    """PHQ-9 at baseline and weekly through the acute course (CLINICAL.md, standard schedule).

    Due on the course's first day (the baseline) and then on the same weekday each week until `end`. Does nothing
    if a PHQ-9 assignment already covers part of the span, so calling it for every new course is safe.
    """
    for assignment in _questionnaire_assignments(db, patient, PHQ9.code, active_on=start):
        if end is None or assignment.start_date <= end:
            return assignment
    return _weekly_assignment(db, patient=patient, instrument=PHQ9, weekday=start.weekday(), start=start, end=end, by=by)


@dataclass(frozen=True)
class ScheduleEntry:
    """An instrument and, when it is on, its weekly assignment and weekday (0 = Monday)."""

    instrument: Instrument
    assignment: Assignment | None
    weekday: int | None


def questionnaire_schedule(db: Session, *, patient: User, today: date) -> list[ScheduleEntry]:
    """Each instrument with the assignment that is current (or next) for it, in PHQ-9, GAD-7, PCL-5 order."""
    entries = []
    for instrument in INSTRUMENTS.values():
        assignments = _questionnaire_assignments(db, patient, instrument.code, active_on=today)
        current = next((a for a in assignments if a.start_date <= today), assignments[0] if assignments else None)
        weekday = None
        if current is not None:
            latest = db.exec(
                select(AssignmentTiming)
                .where(AssignmentTiming.assignment_id == current.id, AssignmentTiming.effective_from <= max(today, current.start_date))
                .order_by(AssignmentTiming.effective_from.desc())
            ).first()
            days = sorted(parse_weekdays(latest.weekdays)) if latest else []
            weekday = days[0] if days else None
        entries.append(ScheduleEntry(instrument, current, weekday))
    return entries


def set_questionnaire_schedule(
    db: Session, *, patient: User, code: str, weekday: int | None, by: User, today: date
) -> Assignment | None:
    """Turn an instrument's weekly schedule on (or move its weekday from today) or, with weekday None, off.

    Turning off ends the assignment yesterday, so past occurrences keep their record; one that has not started
    and has nothing completed is removed instead.
    """
    instrument = INSTRUMENTS.get(code)
    if instrument is None:
        raise EntryInvalid({"code": "Choose one of the listed questionnaires."})
    if weekday is not None and not 0 <= weekday <= 6:
        raise EntryInvalid({"weekday": "Choose a weekday."})
    current = _questionnaire_assignments(db, patient, code, active_on=today)
    if weekday is None:
        for assignment in current:
            _end_assignment(db, assignment, today)
        db.flush()
        return None
    if not current:
        return _weekly_assignment(db, patient=patient, instrument=instrument, weekday=weekday, start=today, end=None, by=by)
    assignment = current[0]
    effective = max(today, assignment.start_date)
    version = db.exec(
        select(AssignmentTiming).where(
            AssignmentTiming.assignment_id == assignment.id, AssignmentTiming.effective_from == effective
        )
    ).first()
    if version is None:
        version = AssignmentTiming(
            assignment_id=assignment.id, effective_from=effective, kind=timing.TimingKind.WEEKLY,
            local_time=QUESTIONNAIRE_REMINDER,
        )
    version.weekdays = str(weekday)
    db.add(version)
    db.flush()
    return assignment


def _end_assignment(db: Session, assignment: Assignment, today: date) -> None:
    if assignment.start_date < today:
        assignment.end_date = today - timedelta(days=1)
        db.add(assignment)
        return
    done = db.exec(select(HomeworkCompletion).where(HomeworkCompletion.assignment_id == assignment.id)).first()
    if done is not None:
        assignment.end_date = assignment.start_date
        db.add(assignment)
        return
    for version in db.exec(select(AssignmentTiming).where(AssignmentTiming.assignment_id == assignment.id)):
        db.delete(version)
    db.flush()
    db.delete(assignment)


@dataclass(frozen=True)
class DueQuestionnaire:
    """`due_on` is the patient-local day it is due by (due_at itself is the following midnight)."""

    instrument: Instrument
    due_at: datetime
    due_on: date
    overdue: bool


def due_questionnaires(
    db: Session, *, patient: User, now: datetime, homework: PatientHomework | None = None
) -> list[DueQuestionnaire]:
    """Scheduled questionnaires open now and not yet answered, soonest due first (one line per instrument).

    Pass `homework` when the caller already loaded it (Today does) with a horizon at least a week back."""
    today = local_today(patient, now)
    if homework is None:
        homework = load_homework(db, [patient], active_on=today, horizon=today - timedelta(days=7))[patient.id]
    due: dict[str, DueQuestionnaire] = {}
    for view in homework.views(through=today, now=now, since=today - timedelta(days=7)):
        code = view.assignment.target
        if (
            view.assignment.kind != HomeworkKind.questionnaire
            or code not in INSTRUMENTS
            or view.status != timing.OccurrenceStatus.OPEN
            or code in due
        ):
            continue
        due_at = view.occurrence.due_at
        due_on = (due_at - timedelta(microseconds=1)).astimezone(ZoneInfo(patient.timezone)).date()
        due[code] = DueQuestionnaire(INSTRUMENTS[code], due_at, due_on, overdue=now >= due_at)
    return sorted(due.values(), key=lambda d: d.due_at)


# Histories for the patient's and therapist's pages.


def responses(db: Session, *, patient: User, code: str | None = None) -> list[QuestionnaireResponse]:
    query = select(QuestionnaireResponse).where(QuestionnaireResponse.patient_id == patient.id)
    if code is not None:
        query = query.where(QuestionnaireResponse.instrument == code)
    return db.exec(query.order_by(QuestionnaireResponse.submitted_at, QuestionnaireResponse.id)).all()


@dataclass(frozen=True)
class Phq9Point:
    response: QuestionnaireResponse
    outcome: Outcome
    is_baseline: bool


def current_course_start(db: Session, *, patient: User, now: datetime) -> datetime | None:
    """First session of the current TMS course (the latest that has begun, else the next one), or None."""
    firsts = db.exec(
        select(func.min(TmsSession.scheduled_at))
        .where(TmsSession.patient_id == patient.id, TmsSession.status != SessionStatus.CANCELLED)
        .group_by(TmsSession.course_id)
    ).all()
    begun = [first for first in firsts if first <= now]
    return max(begun) if begun else (min(firsts) if firsts else None)


@dataclass(frozen=True)
class Phq9Course:
    """The current course's PHQ-9s against its baseline, and words saying which PHQ-9 the baseline is."""

    points: list[Phq9Point]
    baseline_note: str


def phq9_course(db: Session, *, patient: User, now: datetime | None = None) -> list[Phq9Point]:
    """Every PHQ-9 since the current course's baseline (CLINICAL.md: the last PHQ-9 in the 14 days before its
    first session, else its first PHQ-9), each against it; earlier PHQ-9s belong to earlier courses."""
    return phq9_outcomes(db, patient=patient, now=now).points


def phq9_outcomes(db: Session, *, patient: User, now: datetime | None = None) -> Phq9Course:
    rows = responses(db, patient=patient, code=InstrumentCode.PHQ9)
    first = current_course_start(db, patient=patient, now=now or datetime.now(UTC))
    index = instruments.course_baseline([(row.submitted_at, row.total) for row in rows], first)
    if index is None:
        return Phq9Course([], "No PHQ-9 for the current course yet.")
    baseline = rows[index]
    tz = ZoneInfo(patient.timezone)
    when = baseline.submitted_at.astimezone(tz).strftime("%d %b %Y")
    if first is None:
        note = f"Baseline: the first PHQ-9 ({baseline.total}, {when}); no TMS course yet."
    elif baseline.submitted_at < first:
        note = f"Baseline: the last PHQ-9 before this course's first session ({baseline.total}, {when})."
    else:
        note = f"Baseline: the first PHQ-9 of this course ({baseline.total}, {when}); none in the 14 days before it."
    if baseline.total < instruments.PHQ9_OUTCOME_BASELINE_FROM:
        note += " Below 10 at baseline, so only the change is shown (no response or remission)."
    points = [Phq9Point(row, phq9_outcome(baseline.total, row.total), row is baseline) for row in rows[index:]]
    return Phq9Course(points, note)


def recent_checkins(db: Session, *, patient: User, since: datetime) -> list[MoodCheckin]:
    return db.exec(
        select(MoodCheckin)
        .where(MoodCheckin.patient_id == patient.id, MoodCheckin.recorded_at >= since)
        .order_by(MoodCheckin.recorded_at.desc())
    ).all()


def side_effect_checks(db: Session, *, patient_ids: list[int] | None = None, limit: int = 100) -> list[SideEffectCheck]:
    query = select(SideEffectCheck)
    if patient_ids is not None:
        query = query.where(SideEffectCheck.patient_id.in_(patient_ids))
    return db.exec(query.order_by(SideEffectCheck.recorded_at.desc()).limit(limit)).all()


def clinician_ratings(db: Session, *, patient: User) -> list[ClinicianRating]:
    return db.exec(
        select(ClinicianRating)
        .where(ClinicianRating.patient_id == patient.id)
        .order_by(ClinicianRating.rated_on.desc(), ClinicianRating.id.desc())
    ).all()


@dataclass(frozen=True)
class TodayCheckins:
    """What the Today page shows for this feature: the day's check-in, due questionnaires, a side-effect prompt."""

    checkin: MoodCheckin | None
    due: list[DueQuestionnaire]
    side_effect_session: TmsSession | None


def today_checkins(db: Session, *, patient: User, now: datetime, homework: PatientHomework | None = None) -> TodayCheckins:
    checkin, session = day_checkin_state(db, patient=patient, day=local_today(patient, now))
    return TodayCheckins(checkin, due_questionnaires(db, patient=patient, now=now, homework=homework), session)


def day_checkin_state(db: Session, *, patient: User, day: date) -> tuple[MoodCheckin | None, TmsSession | None]:
    """The day's latest check-in, and the day's completed TMS session that has no side-effect check yet."""
    start, end = local_day_bounds(day, ZoneInfo(patient.timezone))
    checkin = db.exec(
        select(MoodCheckin)
        .where(MoodCheckin.patient_id == patient.id, MoodCheckin.recorded_at >= start, MoodCheckin.recorded_at < end)
        .order_by(MoodCheckin.recorded_at.desc())
    ).first()
    checked = select(SideEffectCheck.session_id).where(SideEffectCheck.session_id.is_not(None))
    visit_time = func.coalesce(TmsSession.started_at, TmsSession.completed_at)  # the visit's day, not the tap's
    session = db.exec(
        select(TmsSession)
        .where(
            TmsSession.patient_id == patient.id,
            TmsSession.completed_at.is_not(None),
            visit_time >= start,
            visit_time < end,
            TmsSession.id.not_in(checked),
        )
        .order_by(visit_time.desc())
    ).first()
    return checkin, session


def set_stressful_experience(db: Session, *, patient: User, text: str) -> None:
    """The therapist names the experience the PCL-5 asks about; the patient sees it on the form."""
    patient.stressful_experience = instruments.parse_experience(text)
    db.add(patient)
    db.flush()
