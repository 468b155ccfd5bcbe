"""Demo: Lucía, a Spanish-speaking patient early in her course. Her language is Spanish, so her pages, reminders
and PHQ-9 (the validated Spanish wording) are in Spanish; her therapist sees each PHQ-9 "answered in Spanish".
GAD-7 has no validated Spanish wording here yet, so her one GAD-7 was answered in English (with the note)."""
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.checkins import services
from app.checkins.entries import CheckinValues
from app.checkins.instruments import INSTRUMENTS
from app.checkins.wording import wording_for
from app.demo.checkins import _answers
from app.models import QuestionnaireResponse, User

PHQ9_TOTALS = [17, 15, 13]
GAD7_TOTAL = 11
NOTES = ["", "", "Caminé con mi hermana", "Dormí mal", "Cansada después de la TMS"]


def _at(person: User, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), ZoneInfo(person.timezone))


def _submit(db: Session, person: User, code: str, total: int, at: datetime) -> None:
    """As the questionnaire page does: the wording for her language decides the language stored."""
    wording = wording_for(INSTRUMENTS[code], person.language)
    services.submit_questionnaire(db, patient=person, instrument=wording.instrument, answers=_answers(code, total),
                                  at=at, language=wording.language)


def seed_spanish_speaker(db: Session, clinic) -> None:
    person = clinic.people["lucia"]
    if db.exec(select(QuestionnaireResponse).where(QuestionnaireResponse.patient_id == person.id)).first():
        return
    rng = random.Random("lucia")
    today = clinic.now.astimezone(ZoneInfo(person.timezone)).date()
    first_monday = today - timedelta(days=today.weekday()) - timedelta(weeks=len(PHQ9_TOTALS) - 1)
    services.ensure_default_questionnaires(
        db, patient=person, start=first_monday, end=first_monday + timedelta(weeks=6), by=clinic.people["therapist"]
    )
    for week, total in enumerate(PHQ9_TOTALS):
        _submit(db, person, "phq9", total, _at(person, first_monday + timedelta(weeks=week), 9, 10))
    _submit(db, person, "gad7", GAD7_TOTAL, _at(person, first_monday, 9, 25))
    for offset in range((today - first_monday).days):
        day = first_monday + timedelta(days=offset)
        mood = max(0, min(10, round(3 + 2.5 * offset / 21 + rng.uniform(-1, 1))))
        services.create_checkin(db, patient=person, values=CheckinValues(mood, None, 7.0, rng.choice(NOTES)),
                                at=_at(person, day, 20, rng.randint(0, 40)))
    db.flush()
