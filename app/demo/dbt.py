"""Demo: Jordan (DBT) has four weeks of diary cards, an extra target the therapist added, and logged skill uses."""
import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.dbt import services
from app.dbt.rules import check_diary
from app.dbt.skills_library import SKILLS_BY_SLUG
from app.homework.schedule import local_today
from app.models.dbt import DiaryCard

DAYS = 28
SKILLS = ("tipp", "opposite-action", "check-the-facts", "dear-man", "self-soothe", "wise-mind")


def seed_dbt(db: Session, clinic) -> None:
    patient = clinic.people["jordan"]
    if db.exec(select(DiaryCard).where(DiaryCard.patient_id == patient.id)).first() is not None:
        return
    tz = ZoneInfo(patient.timezone)
    rng = random.Random(11)
    today = local_today(patient, clinic.now)
    services.add_target(db, patient=patient, label="Urge to skip meals", by=clinic.people["therapist"],
                        at=clinic.now - timedelta(days=DAYS + 1))
    urges, emotions = services.urge_targets(db, patient), services.emotion_targets()
    for offset in range(DAYS, 0, -1):
        day = today - timedelta(days=offset)
        if rng.random() < .12:
            continue  # a few missed days, as in real life
        progress = (DAYS - offset) / DAYS
        strength = {t.key: max(0, min(5, round(3.5 - 2.5 * progress + rng.uniform(-1.2, 1.2)))) for t in urges}
        strength["suicide"] = max(0, min(5, round(1.5 - 1.5 * progress + rng.uniform(-.6, .6))))
        entry = check_diary(
            urge_targets=urges, emotion_targets=emotions, urges=strength,
            acted_on={key: value >= 4 and rng.random() < .5 for key, value in strength.items() if key != "suicide"},
            emotions={t.key: max(0, min(5, round((1 + 2 * progress if t.key == "joy" else 4 - 2 * progress)
                                                 + rng.uniform(-1, 1)))) for t in emotions},
            skills_used=max(0, min(7, round(2 + 4 * progress + rng.uniform(-1, 1)))),
            notes=rng.choice(("", "", "Argument with my sister", "Good day at work", "Slept badly")),
        )
        filled = datetime.combine(day, time(21, rng.randint(0, 50)), tz)
        services.save_diary(db, patient=patient, day=day, entry=entry, at=filled)
        if rng.random() < .6:
            card = SKILLS_BY_SLUG[rng.choice(SKILLS)]
            services.log_skill_use(db, patient=patient, card=card, helped=max(0, min(7, round(3 + 3 * progress + rng.uniform(-1, 1)))),
                                   note="", at=datetime.combine(day, time(16, 15), tz))
