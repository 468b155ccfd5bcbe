"""Demo activity plans: three weeks of planned, done and missed activities per patient, plus the week ahead."""
from datetime import date, datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.activation import services
from app.activation.ideas import ACTIVITY_IDEAS, LifeArea
from app.activation.planning import OutcomeInput, PlanInput
from app.homework.schedule import local_today
from app.models import Activity, ActivityIdea, ActivityStatus, User

SLOTS = (time(8, 0), time(12, 30), time(17, 30), None)
CLINIC_IDEAS = (
    (LifeArea.HEALTH_BODY, "Walk to the clinic after TMS instead of taking the bus"),
    (LifeArea.RELATIONSHIPS, "Sit with someone in the TMS waiting room and chat"),
)


def _local(day: date, clock: time, patient: User) -> datetime:
    return datetime.combine(day, clock, ZoneInfo(patient.timezone)).astimezone(ZoneInfo("UTC"))


def _outcome(rng: Random, progress: float) -> OutcomeInput:
    """Later weeks go better: more done, and pleasure, mastery and mood lift a little more (behavioural activation)."""
    if rng.random() > 0.55 + 0.35 * progress:
        return OutcomeInput(False, None, None, None, None, rng.choice(("Too tired", "It rained", "", "Forgot")))
    mood_before = rng.randint(2, 4) + round(2 * progress)
    return OutcomeInput(
        True,
        pleasure=min(10, rng.randint(3, 6) + round(3 * progress)),
        mastery=min(10, rng.randint(3, 6) + round(2 * progress)),
        mood_before=mood_before,
        mood_after=min(10, mood_before + rng.randint(0, 3)),
        note="",
    )


def seed_activation(db: Session, clinic) -> None:
    """Clinic ideas once; per patient 1-2 activities a day for three weeks (rated or missed, some re-planned) and
    the coming five days planned. Skips a patient who already has activities."""
    therapist: User = clinic.people["therapist"]
    for area, text in CLINIC_IDEAS:
        if db.exec(select(ActivityIdea.id).where(ActivityIdea.text == text)).first() is None:
            db.add(ActivityIdea(life_area=area, text=text, created_by_id=therapist.id, created_at=clinic.now))
    for key in ("dana", "sam", "jordan"):
        patient: User = clinic.people[key]
        if db.exec(select(Activity.id).where(Activity.patient_id == patient.id)).first() is not None:
            continue
        rng = Random(f"activation-{key}")
        today = local_today(patient, clinic.now)
        for days_ago in range(21, -6, -1):
            day = today - timedelta(days=days_ago)
            evening = min(clinic.now, _local(day, time(21), patient))
            for _ in range(rng.randint(1, 2)):
                area = rng.choice(list(LifeArea))
                plan = PlanInput(rng.choice(ACTIVITY_IDEAS[area]), area, day, rng.choice(SLOTS))
                by = therapist if rng.random() < 0.15 else patient
                activity = services.plan_activity(db, patient=patient, by=by, plan=plan,
                                                  at=min(clinic.now, _local(day - timedelta(days=1), time(12), patient)))
                if days_ago <= 0:
                    continue
                progress = (21 - days_ago) / 21
                services.record_outcome(db, patient=patient, activity=activity, outcome=_outcome(rng, progress),
                                        at=evening)
                if activity.status == ActivityStatus.not_done and rng.random() < 0.5:
                    copy = services.replan(db, activity=activity, today=day, at=evening)
                    if copy.planned_date < today:
                        services.record_outcome(db, patient=patient, activity=copy, outcome=_outcome(rng, 1.0),
                                                at=_local(copy.planned_date, time(21), patient))
    db.flush()
