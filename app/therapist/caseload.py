"""The therapist's caseload: one row per patient, gathered in a fixed number of queries however many patients."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import Row, func
from sqlmodel import Session, select

from app.checkins.instruments import course_baseline, phq9_outcome
from app.homework import timing
from app.homework.schedule import PatientHomework, load_homework
from app.models import MoodCheckin, QuestionnaireResponse, SafetyEvent, TmsSession, User
from app.policy import Facet, visible_patients
from app.therapist.attention import PatientFacts, attention_key, attention_reasons

SPARK_DAYS = 14


@dataclass(frozen=True)
class Phq9Summary:
    latest: int
    band: str
    baseline: int
    change: int
    response: bool
    remission: bool
    on: date


@dataclass
class CaseloadRow:
    patient: User
    today: date
    open_events: list[SafetyEvent]
    adherence: timing.Adherence
    tms: dict
    last_checkin: Row | None
    moods: list[int | None]
    phq9: Phq9Summary | None
    reasons: list[str]
    sort_key: tuple


def _course_counts(db: Session, ids: list[int]) -> dict[int, dict[int, dict]]:
    """Per patient and course: session counts by status and the first session's time, in one grouped query."""
    counts: dict[int, dict[int, dict]] = defaultdict(dict)
    rows = db.exec(
        select(TmsSession.patient_id, TmsSession.course_id, TmsSession.status, func.count(), func.min(TmsSession.scheduled_at),
               func.count(TmsSession.makeup_for_id))
        .where(TmsSession.patient_id.in_(ids), TmsSession.status != timing.SessionStatus.CANCELLED)
        .group_by(TmsSession.patient_id, TmsSession.course_id, TmsSession.status)
    ).all()
    for patient_id, course_id, status, count, first, makeups in rows:
        course = counts[patient_id].setdefault(course_id, {"first": first, "by_status": {}, "makeups": 0})
        course["first"] = min(course["first"], first)
        course["by_status"][timing.SessionStatus(status)] = count
        course["makeups"] += makeups
    return counts


def _tms_progress(courses: dict[int, dict], recent: list[TmsSession], today: date, tz: ZoneInfo, now: datetime) -> dict:
    """Progress through the current course (the latest one that has begun, else the next), and visits missed in
    the last 7 days across courses."""
    week_ago = today - timedelta(days=7)
    missed_7d = sum(
        s.status == timing.SessionStatus.MISSED and week_ago < s.scheduled_at.astimezone(tz).date() <= today for s in recent
    )
    if not courses:
        return {"done": 0, "total": 0, "missed": 0, "missed_7d": missed_7d, "first": None}
    begun = [c for c in courses.values() if c["first"].replace(tzinfo=c["first"].tzinfo or timezone.utc) <= now]
    current = max(begun, key=lambda c: c["first"]) if begun else min(courses.values(), key=lambda c: c["first"])
    by_status = current["by_status"]
    return {
        "done": by_status.get(timing.SessionStatus.COMPLETED, 0),
        "total": sum(by_status.values()) - current["makeups"],  # a make-up replaces a missed visit
        "missed": by_status.get(timing.SessionStatus.MISSED, 0),
        "missed_7d": missed_7d,
        "first": current["first"].replace(tzinfo=current["first"].tzinfo or timezone.utc),
    }


def _week_views(homework: PatientHomework, today: date, now: datetime):
    return homework.views(through=today, now=now, since=today - timedelta(days=6))


def build_caseload(db: Session, therapist: User, now: datetime, *, include_inactive: bool = False) -> list[CaseloadRow]:
    """Safety first, then who needs attention most; about ten queries in all (a test holds this constant).
    The page shows active patients; the CSV export includes deactivated ones too."""
    query = visible_patients(therapist, facet=Facet.medical)
    if not include_inactive:
        query = query.where(User.active)
    patients = db.exec(query.order_by(User.name)).all()
    if not patients:
        return []
    ids = [p.id for p in patients]
    week_start = now.date() - timedelta(days=8)
    homework = load_homework(db, patients, active_on=week_start, horizon=week_start)
    courses = _course_counts(db, ids)
    since = now - timedelta(days=SPARK_DAYS + 1)
    recent = defaultdict(list)  # plain rows, not ORM objects: thousands of them on a large caseload
    for checkin in db.exec(
        select(MoodCheckin.patient_id, MoodCheckin.mood, MoodCheckin.recorded_at)
        .where(MoodCheckin.patient_id.in_(ids), MoodCheckin.recorded_at >= since).order_by(MoodCheckin.recorded_at)
    ):
        recent[checkin.patient_id].append(checkin)
    newest = (
        select(MoodCheckin.patient_id, func.max(MoodCheckin.recorded_at).label("at"))
        .where(MoodCheckin.patient_id.in_(ids)).group_by(MoodCheckin.patient_id).subquery()
    )
    last_checkins = {
        row.patient_id: row
        for row in db.exec(
            select(MoodCheckin.patient_id, MoodCheckin.mood, MoodCheckin.recorded_at)
            .join(newest, (MoodCheckin.patient_id == newest.c.patient_id) & (MoodCheckin.recorded_at == newest.c.at))
            .where(MoodCheckin.patient_id.in_(ids))  # said twice so PostgreSQL reads the index, not every check-in
        )
    }
    phq9 = defaultdict(list)
    for response in db.exec(
        select(QuestionnaireResponse.patient_id, QuestionnaireResponse.total, QuestionnaireResponse.band, QuestionnaireResponse.submitted_at)
        .where(QuestionnaireResponse.patient_id.in_(ids), QuestionnaireResponse.instrument == "phq9")
        .order_by(QuestionnaireResponse.submitted_at)
    ):
        phq9[response.patient_id].append(response)
    events = defaultdict(list)
    for event in db.exec(select(SafetyEvent).where(SafetyEvent.patient_id.in_(ids), SafetyEvent.acknowledged_at.is_(None)).order_by(SafetyEvent.created_at)):
        events[event.patient_id].append(event)

    rows = []
    for patient in patients:
        tz = ZoneInfo(patient.timezone)
        today = now.astimezone(tz).date()
        views = _week_views(homework[patient.id], today, now)
        by_day: dict[date, list[int]] = defaultdict(list)
        for checkin in recent[patient.id]:
            by_day[checkin.recorded_at.astimezone(tz).date()].append(checkin.mood)
        daily = {day: round(sum(v) / len(v), 1) for day, v in by_day.items()}
        moods = [daily.get(today - timedelta(days=offset)) for offset in range(SPARK_DAYS - 1, -1, -1)]
        tms = _tms_progress(courses[patient.id], homework[patient.id].sessions, today, tz, now)
        last = last_checkins.get(patient.id)
        last_day = last.recorded_at.astimezone(tz).date() if last else None
        facts = PatientFacts(
            open_safety_events=len(events[patient.id]),
            missed_post_tms=sum(v.status == timing.OccurrenceStatus.MISSED and v.occurrence.kind in timing.POST_TMS_KINDS for v in views),
            missed_tms_visits=tms["missed_7d"],
            last_checkin=last_day,
            moods=tuple((day, mood) for day, mood in daily.items()),
            has_started=bool(homework[patient.id].assignments or homework[patient.id].sessions or last_day),
        )
        rows.append(
            CaseloadRow(
                patient=patient, today=today, open_events=events[patient.id],
                adherence=timing.summarize(v.status for v in views), tms=tms, last_checkin=last,
                moods=moods, phq9=_phq9_summary(phq9[patient.id], tz, tms["first"]), reasons=attention_reasons(facts, today),
                sort_key=attention_key(facts, today),
            )
        )
    rows.sort(key=lambda r: (r.sort_key, r.patient.name))
    return rows


def _phq9_summary(responses: list[Row], tz: ZoneInfo, first_session: datetime | None = None) -> Phq9Summary | None:
    """Latest PHQ-9 against the current course's baseline (CLINICAL.md), judged only from a baseline of 10+."""
    index = course_baseline([(r.submitted_at, r.total) for r in responses], first_session)
    if index is None:
        return None
    baseline, latest = responses[index], responses[-1]
    outcome = phq9_outcome(baseline.total, latest.total)
    later = len(responses) - index > 1
    return Phq9Summary(latest=latest.total, band=latest.band, baseline=baseline.total, change=outcome.change,
                       response=outcome.response and later, remission=outcome.remission and later,
                       on=latest.submitted_at.astimezone(tz).date())


SORTS = {
    "attention": lambda r: (r.sort_key, r.patient.name),
    "name": lambda r: r.patient.name.lower(),
    "adherence": lambda r: (r.adherence.rate is None, r.adherence.rate or 0),
    "checkin": lambda r: (r.last_checkin is not None, r.last_checkin.recorded_at if r.last_checkin else None),
    "phq9": lambda r: (r.phq9 is None, -(r.phq9.latest if r.phq9 else 0)),
}


def filter_and_sort(rows: list[CaseloadRow], *, query: str = "", attention_only: bool = False, sort: str = "attention") -> list[CaseloadRow]:
    """Name search and "needs attention" filter; safety alerts always stay on top whatever the sort."""
    query = query.strip().lower()
    chosen = [r for r in rows if (not query or query in r.patient.name.lower()) and (not attention_only or r.reasons)]
    key = SORTS.get(sort, SORTS["attention"])
    chosen.sort(key=key)
    chosen.sort(key=lambda r: 0 if r.open_events else 1)
    return chosen
