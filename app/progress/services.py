"""What the patient's Progress page shows: mood over the last weeks with TMS visits, distress coming down on each
ladder step, what they practised this week and the skills they used. No streaks, no badges, no scores unless their
therapist turned them on (users.progress_scores): numbers to notice, never to be judged by.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import format_date, gettext as _
from markupsafe import Markup
from sqlmodel import Session, col, select

from app.charts.mood import mood_chart
from app.charts.sparkline import sparkline
from app.checkins.services import SHORT_NAMES
from app.dbt.services import find_card
from app.history.services import Entry, recent_entries
from app.homework.schedule import local_today
from app.homework.timing import SessionStatus
from app.models import (
    Activity, ActivityStatus, DiaryCard, ExposurePractice, MoodCheckin, QuestionnaireResponse, SkillUse,
    ThoughtRecord, TmsSession, User,
)
from app.models.exposure import Hierarchy, HierarchyItem, ItemStatus
from app.today.modules import modules_given

MOOD_DAYS = 28
SKILL_DAYS = 28


@dataclass(frozen=True)
class LadderStep:
    """One situation on a ladder: the peak SUDS of its first and latest practice, and the line between."""

    description: str
    ladder: str
    practices: int
    first_peak: int
    latest_peak: int
    line: Markup


@dataclass(frozen=True)
class Score:
    name: str
    first: int
    latest: int
    latest_at: datetime
    line: Markup


@dataclass
class Progress:
    mood_chart: Markup | None = None
    ladder: list[LadderStep] = field(default_factory=list)
    week: list[tuple[str, int]] = field(default_factory=list)
    skills: list[tuple[str, int]] = field(default_factory=list)
    scores: list[Score] | None = None
    """None when the therapist hasn't turned scores on for this patient."""
    entries: list[Entry] = field(default_factory=list)


def _day(day) -> str:
    """A chart day as "5 Mar" in the patient's language (Babel's month names, not the server's)."""
    return format_date(day, "d MMM")


def _describe(points, visits: int) -> str:
    first, last = _day(points[0].x), _day(points[-1].x)
    return _("Your daily mood from %(first)s to %(last)s: first %(start)s, latest %(end)s. "
             "Marks on the bottom line are your %(visits)s TMS visits.", first=first, last=last, start=points[0].y,
             end=points[-1].y, visits=visits)


def _mood(db: Session, patient: User, now: datetime, tz: ZoneInfo) -> Markup | None:
    since = now - timedelta(days=MOOD_DAYS)
    checkins = db.exec(select(MoodCheckin).where(MoodCheckin.patient_id == patient.id, MoodCheckin.recorded_at >= since)
                       .order_by(MoodCheckin.recorded_at)).all()
    visits = db.exec(select(TmsSession.started_at).where(
        TmsSession.patient_id == patient.id, TmsSession.status == SessionStatus.COMPLETED,
        col(TmsSession.started_at) >= since, col(TmsSession.started_at) <= now)).all()
    return mood_chart(checkins, visits, tz, chart_id="my-mood", title=_("My mood, with TMS visits"),
                      series_name=_("Mood (0-10)"), y_label=_("Mood"), marker_label=_("TMS visit"), describe=_describe,
                      x_heading=_("Date"), event_heading=_("Event"), x_label=_day)


def _ladder(db: Session, patient: User) -> list[LadderStep]:
    rows = db.exec(
        select(ExposurePractice, HierarchyItem, Hierarchy)
        .join(HierarchyItem, HierarchyItem.id == ExposurePractice.item_id)
        .join(Hierarchy, Hierarchy.id == HierarchyItem.hierarchy_id)
        .where(ExposurePractice.patient_id == patient.id, HierarchyItem.status != ItemStatus.archived)
        .order_by(ExposurePractice.started_at, ExposurePractice.id)
    ).all()
    peaks: dict[int, list[int]] = defaultdict(list)
    items: dict[int, tuple[HierarchyItem, Hierarchy]] = {}
    for practice, item, hierarchy in rows:
        if practice.suds_peak is not None:
            peaks[item.id].append(practice.suds_peak)
            items[item.id] = (item, hierarchy)
    steps = []
    for item_id, values in peaks.items():
        item, hierarchy = items[item_id]
        label = _("Peak distress over %(count)s practices: first %(first)s, latest %(latest)s (0-100).",
                  count=len(values), first=values[0], latest=values[-1])
        steps.append(LadderStep(item.description, hierarchy.title, len(values), values[0], values[-1],
                                sparkline(values, low=0, high=100, label=label)))
    return sorted(steps, key=lambda s: (s.ladder, s.first_peak))


def _week(db: Session, patient: User, now: datetime, tz: ZoneInfo) -> list[tuple[str, int]]:
    """This week's practice (Monday to now) in the modules the patient was given; zero is shown as zero."""
    today = local_today(patient, now)
    start = datetime.combine(today - timedelta(days=today.weekday()), time(0), tz)
    given = modules_given(db, patient)

    def count(model, column, *conditions) -> int:
        return len(db.exec(select(model.id).where(model.patient_id == patient.id, column >= start, *conditions)).all())

    rows = [(_("Check-ins"), count(MoodCheckin, MoodCheckin.recorded_at))]
    if "thought_record" in given:
        rows.append((_("Thought records"), count(ThoughtRecord, col(ThoughtRecord.completed_at))))
    if "activity_plan" in given:
        rows.append((_("Activities done"), count(Activity, col(Activity.recorded_at),
                                                   Activity.status == ActivityStatus.done)))
    if "exposure_practice" in given:
        rows.append((_("Exposure practices"), count(ExposurePractice, ExposurePractice.started_at)))
    if given & {"dbt_skill", "diary_card"}:
        rows.append((_("DBT skills used"), count(SkillUse, SkillUse.used_at)))
    if "diary_card" in given:
        rows.append((_("Diary cards"), count(DiaryCard, DiaryCard.created_at)))
    return rows


def _skills(db: Session, patient: User, now: datetime) -> list[tuple[str, int]]:
    since = now - timedelta(days=SKILL_DAYS)
    used = Counter(db.exec(select(SkillUse.skill_slug).where(SkillUse.patient_id == patient.id,
                                                             SkillUse.used_at >= since)).all())
    named = []
    for slug, times in used.most_common():
        card = find_card(db, slug)
        named.append((card.name if card else slug, times))
    return named


def _scores(db: Session, patient: User) -> list[Score]:
    responses = db.exec(select(QuestionnaireResponse).where(QuestionnaireResponse.patient_id == patient.id)
                        .order_by(QuestionnaireResponse.submitted_at)).all()
    by_code: dict[str, list[QuestionnaireResponse]] = defaultdict(list)
    for response in responses:
        by_code[response.instrument].append(response)
    scores = []
    for code, name in SHORT_NAMES.items():
        found = by_code.get(code)
        if not found:
            continue
        totals = [r.total for r in found]
        high = 80 if code == "pcl5" else 27
        label = _("%(name)s totals: first %(first)s, latest %(latest)s.", name=name, first=totals[0], latest=totals[-1])
        scores.append(Score(name, totals[0], totals[-1], found[-1].submitted_at,
                            sparkline(totals[-12:], low=0, high=high, label=label)))
    return scores


def build_progress(db: Session, patient: User, now: datetime) -> Progress:
    tz = ZoneInfo(patient.timezone)
    return Progress(
        mood_chart=_mood(db, patient, now, tz), ladder=_ladder(db, patient), week=_week(db, patient, now, tz),
        skills=_skills(db, patient, now), scores=_scores(db, patient) if patient.progress_scores else None,
        entries=recent_entries(db, patient, now),
    )
