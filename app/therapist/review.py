"""The pre-session review: "how has this period gone, and what do we talk about?" — one bulk query per section,
never one per item, so the page costs the same whatever the patient logged."""
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup
from flask_babel import gettext as _
from sqlmodel import Session, select

from app.appointments.rules import previous_appointment_day
from app.appointments.services import patient_appointments
from app.charts.mood import mood_chart
from app.charts.svg import Point, Series, line_chart
from app.dbt.services import GridRow, week_grid
from app.history.services import Entry, edited_since
from app.exposure.charts import expectancy_change, suds_chart
from app.homework import timing
from app.homework.schedule import load_homework
from app.models import (
    Activity, ClinicianRating, ExposurePractice, HierarchyItem, HomeworkKind, MoodCheckin, QuestionnaireResponse,
    SafetyEvent, SideEffectCheck, SudsRating, TherapySession, ThoughtEmotion, ThoughtRecord, TmsSession, User,
)
from app.models.thoughts import RecordStatus
from app.therapist.changes import Change, gather, what_changed

CHART_WEEKS = 8
DEFAULT_DAYS = 14
DIARY_DAYS = 14


@dataclass
class ExposureItemReview:
    item: HierarchyItem
    practices: list[ExposurePractice]
    chart: Markup
    expectancy_changes: list[int]


@dataclass
class Review:
    patient: User
    since: date
    until: date
    last_session: TherapySession | None
    sessions: list[TherapySession]
    adherence: dict[HomeworkKind, timing.Adherence] = field(default_factory=dict)
    tms: dict = field(default_factory=dict)
    mood_chart: Markup | None = None
    scores_chart: Markup | None = None
    pcl5_chart: Markup | None = None
    thoughts: list[tuple[ThoughtRecord, list[ThoughtEmotion]]] = field(default_factory=list)
    exposures: list[ExposureItemReview] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    diary_days: list[date] = field(default_factory=list)
    diary: list[GridRow] = field(default_factory=list)
    safety_events: list[SafetyEvent] = field(default_factory=list)
    side_effects: list[SideEffectCheck] = field(default_factory=list)
    ratings: list[ClinicianRating] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    since_appointment: bool = False
    """The period starts at the previous therapy appointment (else the last recorded session, or two weeks)."""
    edited: list[Entry] = field(default_factory=list)
    """Entries the patient corrected in this period (app/history), each with when."""


SECTION_ANCHORS = {"safety": "rev-safety", "measures": "rev-mood", "mood": "rev-mood", "homework": "rev-adherence",
                   "exposure": "rev-exposure", "side-effects": "rev-side"}
"""Where each "what changed" line points on the review page."""


def default_period(sessions: list[TherapySession], today: date, *, appointment_day: date | None = None) -> date:
    """Since the previous therapy appointment (CLINICAL: weekly sessions), else the last therapy session recorded
    before today, else the last two weeks."""
    if appointment_day is not None:
        return appointment_day
    earlier = [s.held_on for s in sessions if s.held_on < today]
    return max(earlier) if earlier else today - timedelta(days=DEFAULT_DAYS)


def _bounds(since: date, until: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return datetime.combine(since, time(0), tz), datetime.combine(until + timedelta(days=1), time(0), tz)


def build_review(db: Session, patient: User, *, since: date | None, now: datetime) -> Review:
    tz = ZoneInfo(patient.timezone)
    until = now.astimezone(tz).date()
    sessions = db.exec(select(TherapySession).where(TherapySession.patient_id == patient.id).order_by(TherapySession.held_on)).all()
    appointment_day = previous_appointment_day(
        (a.starts_at.astimezone(tz) for a in patient_appointments(db, patient.id, end=_bounds(until, until, tz)[0])), until)
    chosen = since
    since = since or default_period(sessions, until, appointment_day=appointment_day)
    start, end = _bounds(since, until, tz)
    chart_start = min(start, end - timedelta(weeks=CHART_WEEKS))
    review = Review(patient=patient, since=since, until=until, sessions=list(sessions),
                    last_session=next((s for s in reversed(sessions) if s.held_on < until), None),
                    since_appointment=chosen is None and appointment_day is not None)

    homework = load_homework(db, [patient], horizon=min(since, chart_start.date()))[patient.id]
    per_kind = defaultdict(list)
    for view in homework.views(through=until, now=now, since=since):
        per_kind[view.assignment.kind].append(view.status)
    review.adherence = {kind: timing.summarize(statuses) for kind, statuses in per_kind.items()}
    review.changes = what_changed(gather(db, patient, start=start, end=end, since=since, until=until, now=now,
                                         homework=homework))
    in_period = [s for s in homework.sessions if start <= s.scheduled_at < end]
    review.tms = {
        "done": sum(s.status == timing.SessionStatus.COMPLETED for s in in_period),
        "missed": sum(s.status == timing.SessionStatus.MISSED for s in in_period),
        "scheduled": sum(s.status != timing.SessionStatus.CANCELLED for s in in_period),
    }
    completed = [s for s in homework.sessions if s.started_at and chart_start <= s.started_at < end]
    review.mood_chart = _mood_chart(db, patient, chart_start, end, completed, tz)
    review.scores_chart, review.pcl5_chart = _score_charts(db, patient, chart_start, end, tz)
    review.thoughts = _thoughts(db, patient, start, end)
    review.exposures = _exposures(db, patient, start, end, tz)
    review.activities = db.exec(
        select(Activity).where(Activity.patient_id == patient.id, Activity.planned_date >= since, Activity.planned_date <= until)
        .order_by(Activity.planned_date, Activity.planned_time)
    ).all()
    shown = min((until - since).days + 1, DIARY_DAYS)
    review.diary_days = [until - timedelta(days=shown - 1 - i) for i in range(shown)]
    review.diary = week_grid(db, patient, review.diary_days)
    review.edited = edited_since(db, patient, start)
    review.safety_events = db.exec(
        select(SafetyEvent).where(SafetyEvent.patient_id == patient.id)
        .where((SafetyEvent.created_at >= start) | SafetyEvent.acknowledged_at.is_(None)).order_by(SafetyEvent.created_at.desc())
    ).all()
    review.side_effects = db.exec(
        select(SideEffectCheck).where(SideEffectCheck.patient_id == patient.id, SideEffectCheck.recorded_at >= start)
        .order_by(SideEffectCheck.recorded_at)
    ).all()
    review.ratings = db.exec(
        select(ClinicianRating).where(ClinicianRating.patient_id == patient.id).order_by(ClinicianRating.rated_on.desc()).limit(6)
    ).all()
    return review


def _mood_chart(db, patient, start, end, completed: list[TmsSession], tz) -> Markup | None:
    checkins = db.exec(
        select(MoodCheckin).where(MoodCheckin.patient_id == patient.id, MoodCheckin.recorded_at >= start, MoodCheckin.recorded_at < end)
        .order_by(MoodCheckin.recorded_at)
    ).all()
    return mood_chart(checkins, [s.started_at for s in completed], tz, title=_("Daily mood with TMS sessions"),
                      series_name=_("Mood (0-10)"), y_label=_("Mood"), describe=_describe_mood,
                      marker_label=_("TMS session"))


def _describe_mood(points: Sequence[Point], visits: int) -> str:
    return _("Daily mood from %(first_day)s to %(last_day)s: first %(first)s, latest %(latest)s. "
             "Ticks on the bottom axis mark the %(visits)s TMS sessions.", first_day=points[0].x.strftime("%d %b"),
             last_day=points[-1].x.strftime("%d %b"), first=points[0].y, latest=points[-1].y, visits=visits)


def _score_charts(db, patient, start, end, tz) -> tuple[Markup | None, Markup | None]:
    responses = db.exec(
        select(QuestionnaireResponse).where(QuestionnaireResponse.patient_id == patient.id, QuestionnaireResponse.submitted_at >= start,
                                            QuestionnaireResponse.submitted_at < end).order_by(QuestionnaireResponse.submitted_at)
    ).all()
    by_code = defaultdict(list)
    for r in responses:
        by_code[r.instrument].append(Point(r.submitted_at.astimezone(tz).date(), r.total))
    depression = [Series(name, tuple(by_code[code])) for code, name in (("phq9", "PHQ-9"), ("gad7", "GAD-7")) if by_code[code]]
    scores = None
    if depression:
        summary = "; ".join(f"{s.name} {s.points[0].y} → {s.points[-1].y}" for s in depression)
        scores = line_chart(depression, chart_id="scores-chart", title=_("Weekly PHQ-9 and GAD-7 totals"),
                            description=_("First to latest in this view: %(summary)s.", summary=summary),
                            y_range=(0, 27), y_label=_("Total"))
    pcl5 = None
    if by_code["pcl5"]:
        points = tuple(by_code["pcl5"])
        pcl5 = line_chart([Series("PCL-5", points)], chart_id="pcl5-chart", title=_("PCL-5 totals"),
                          description=_("PCL-5 %(first)s → %(latest)s (31 or more suggests probable PTSD).",
                                        first=points[0].y, latest=points[-1].y),
                          y_range=(0, 80), y_label=_("Total"), markers=[])
    return scores, pcl5


def _thoughts(db, patient, start, end):
    records = db.exec(
        select(ThoughtRecord).where(ThoughtRecord.patient_id == patient.id, ThoughtRecord.status == RecordStatus.complete,
                                    ThoughtRecord.completed_at >= start, ThoughtRecord.completed_at < end)
        .order_by(ThoughtRecord.completed_at.desc())
    ).all()
    emotions = defaultdict(list)
    if records:
        for e in db.exec(select(ThoughtEmotion).where(ThoughtEmotion.record_id.in_([r.id for r in records])).order_by(ThoughtEmotion.position)):
            emotions[e.record_id].append(e)
    return [(r, emotions[r.id]) for r in records]


def _exposures(db, patient, start, end, tz) -> list[ExposureItemReview]:
    """Items practised in the period, each with its whole practice history charted (does distress come down?)."""
    practiced = set(db.exec(
        select(ExposurePractice.item_id).where(ExposurePractice.patient_id == patient.id, ExposurePractice.started_at >= start,
                                               ExposurePractice.started_at < end)
    ).all())
    if not practiced:
        return []
    items = {i.id: i for i in db.exec(select(HierarchyItem).where(HierarchyItem.id.in_(practiced)))}
    practices, ratings = defaultdict(list), defaultdict(list)
    for p in db.exec(select(ExposurePractice).where(ExposurePractice.item_id.in_(practiced)).order_by(ExposurePractice.started_at)):
        practices[p.item_id].append(p)
    for r in db.exec(select(SudsRating).where(SudsRating.item_id.in_(practiced)).order_by(SudsRating.rated_at)):
        ratings[r.item_id].append(r)
    result = []
    for item_id in sorted(practiced, key=lambda i: (items[i].suds, i)):
        chart = suds_chart(practices[item_id], ratings[item_id], tz=tz, chart_id=f"suds-{item_id}")
        changes = [c for c in (expectancy_change(p) for p in practices[item_id]) if c is not None]
        result.append(ExposureItemReview(items[item_id], practices[item_id], chart, changes))
    return result


def record_therapy_session(db: Session, *, patient: User, therapist: User, held_on: date) -> TherapySession:
    """Idempotent per day: recording the same date twice keeps one session."""
    existing = db.exec(select(TherapySession).where(TherapySession.patient_id == patient.id, TherapySession.held_on == held_on)).first()
    if existing:
        return existing
    session = TherapySession(patient_id=patient.id, therapist_id=therapist.id, held_on=held_on)
    db.add(session)
    db.flush()
    return session
