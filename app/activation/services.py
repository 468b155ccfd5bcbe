"""Activity plan operations: plan, record how it went, re-plan, the clinic's ideas; each only flushes."""
from datetime import date, datetime, timedelta

from flask import abort
from sqlmodel import Session, col, select

from app import validation
from app.activation.ideas import ACTIVITY_IDEAS, LifeArea
from app.activation.planning import (
    TITLE_LIMIT, ActivityFact, OutcomeInput, PlanInput, life_area_of, replan_date,
)
from app.homework.completion import record_completion
from app.models import Activity, ActivityIdea, ActivityStatus, HomeworkCompletion, HomeworkKind, User


def get_activity_for(db: Session, patient: User, activity_id: int) -> Activity:
    """The patient's own activity, else 404."""
    activity = db.get(Activity, activity_id)
    if activity is None or activity.patient_id != patient.id:
        abort(404)
    return activity


def _in_order(query):
    return query.order_by(Activity.planned_date, col(Activity.planned_time).is_(None), Activity.planned_time,
                          Activity.id)


def activities_for_day(db: Session, patient: User, day: date) -> list[Activity]:
    """The patient's activities planned for a local day, timed ones first in time order (for Today)."""
    return list(db.exec(_in_order(select(Activity).where(Activity.patient_id == patient.id,
                                                         Activity.planned_date == day))))


def activities_between(db: Session, patient: User, first: date, last: date) -> dict[date, list[Activity]]:
    """Activities on each local day from `first` to `last` inclusive, every day present (maybe empty)."""
    days: dict[date, list[Activity]] = {}
    day = first
    while day <= last:
        days[day] = []
        day += timedelta(days=1)
    for activity in db.exec(_in_order(select(Activity).where(
            Activity.patient_id == patient.id, Activity.planned_date >= first, Activity.planned_date <= last))):
        days[activity.planned_date].append(activity)
    return days


def plan_activity(db: Session, *, patient: User, by: User, plan: PlanInput, at: datetime) -> Activity:
    """Put an activity on the patient's plan (by the patient, or by their therapist)."""
    activity = Activity(patient_id=patient.id, created_by_id=by.id, title=plan.title, life_area=plan.life_area,
                        planned_date=plan.planned_date, planned_time=plan.planned_time, created_at=at)
    db.add(activity)
    db.flush()
    return activity


def _completed_homework(db: Session, activity: Activity) -> bool:
    return db.exec(select(HomeworkCompletion.id).where(
        HomeworkCompletion.source == Activity.__tablename__, HomeworkCompletion.source_id == activity.id)).first() is not None


def record_outcome(db: Session, *, patient: User, activity: Activity, outcome: OutcomeInput, at: datetime) -> Activity:
    """Done (rated) or not done. The first time it is done it completes an activity-plan homework occurrence;
    correcting the ratings later never completes a second one.
    """
    activity.status = ActivityStatus.done if outcome.done else ActivityStatus.not_done
    activity.pleasure, activity.mastery = outcome.pleasure, outcome.mastery
    activity.mood_before, activity.mood_after = outcome.mood_before, outcome.mood_after
    activity.note = outcome.note
    activity.recorded_at = activity.recorded_at or at  # a correction keeps when it was first recorded
    db.flush()
    if outcome.done and not _completed_homework(db, activity):
        record_completion(db, patient=patient, kind=HomeworkKind.activity_plan, at=at,
                          source=Activity.__tablename__, source_id=activity.id)
    return activity


def replan(db: Session, *, activity: Activity, today: date, at: datetime) -> Activity:
    """One tap: a copy of a missed activity on the next sensible day (see planning.replan_date); the original is
    marked not done. Tapping twice gives the same copy, never two.
    """
    existing = db.exec(select(Activity).where(Activity.replanned_from_id == activity.id)).first()
    if existing is not None:
        return existing
    if activity.status == ActivityStatus.done:
        raise validation.FieldError("activity", "This activity is already done.")
    if activity.status == ActivityStatus.planned:
        activity.status = ActivityStatus.not_done
        activity.recorded_at = at
    copy = Activity(patient_id=activity.patient_id, created_by_id=activity.patient_id, title=activity.title,
                    life_area=activity.life_area, planned_date=replan_date(activity.planned_date, today),
                    planned_time=activity.planned_time, replanned_from_id=activity.id, created_at=at)
    db.add(copy)
    db.flush()
    return copy


def replanned_ids(db: Session, activities: list[Activity]) -> set[int]:
    """Which of these activities already have a re-planned copy (so the page offers no second re-plan)."""
    ids = [a.id for a in activities]
    if not ids:
        return set()
    return set(db.exec(select(Activity.replanned_from_id).where(col(Activity.replanned_from_id).in_(ids))))


def fact_of(activity: Activity) -> ActivityFact:
    done = None if activity.status == ActivityStatus.planned else activity.status == ActivityStatus.done
    return ActivityFact(done, activity.pleasure, activity.mastery, activity.mood_before, activity.mood_after)


def ideas_by_area(db: Session) -> dict[LifeArea, list[str]]:
    """The built-in starter ideas plus the clinic's own, per life area (clinic ideas after the built-in ones)."""
    ideas = {area: list(ACTIVITY_IDEAS[area]) for area in LifeArea}
    for idea in db.exec(select(ActivityIdea).order_by(ActivityIdea.created_at, ActivityIdea.id)):
        ideas[idea.life_area].append(idea.text)
    return ideas


def custom_ideas(db: Session) -> list[ActivityIdea]:
    return list(db.exec(select(ActivityIdea).order_by(ActivityIdea.life_area, ActivityIdea.text)))


def add_idea(db: Session, *, life_area: str, text: str, by: User, at: datetime) -> ActivityIdea:
    """A therapist adds a starter idea for everyone in the clinic; the same idea twice in one area is refused."""
    found = validation.Collector()
    area = found.check(life_area_of, life_area, required=True)
    cleaned = found.check(validation.text, text, field="text", label="The idea", limit=TITLE_LIMIT, required=True)
    found.raise_if_any()
    if cleaned in ideas_by_area(db)[area]:
        raise validation.FormInvalid([validation.FieldError("text", "That idea is already in this life area.")])
    idea = ActivityIdea(life_area=area, text=cleaned, created_by_id=by.id, created_at=at)
    db.add(idea)
    db.flush()
    return idea

