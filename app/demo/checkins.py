"""Demo check-ins and measures: Dana's weekly PHQ-9 falls from 19 to 7 over a six-week TMS course (a response,
close to remission), with daily moods rising unevenly; Sam adds GAD-7, Jordan PCL-5; everyone has a safety plan."""
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.checkins import services
from app.checkins.entries import CheckinValues, SideEffectValues
from app.checkins.instruments import INSTRUMENTS
from app.models import QuestionnaireResponse, SafetyEventSource, TmsSession, User
from app.safety import services as safety

PHQ9_TOTALS = {"dana": [19, 18, 15, 12, 10, 9, 7], "sam": [14, 13, 11], "jordan": [11, 10, 10]}
OTHER_TOTALS = {"sam": ("gad7", [16, 14, 12]), "jordan": ("pcl5", [52, 49, 44])}
MOOD_START_END = {"dana": (2.5, 6.5), "sam": (4.0, 5.0), "jordan": (4.5, 5.5)}
PLANS = {
    "dana": {
        "warning_signs": "Staying in bed past noon\nThinking everyone would be better off without me",
        "coping_strategies": "Shower and go outside for ten minutes\nPlaylist 'Sunday'",
        "distractions": "Coffee shop on Elm St\nCall my sister Ana to talk about anything",
        "help_contacts": "Ana (sister)\nMarcus (friend)",
        "professionals": "Dr. Hart via the clinic line\n988 (call or text)",
        "safe_environment": "Ana keeps my spare medication",
        "reasons_for_living": "My nephew Leo\nFinishing my degree\nMy cat, Biscuit",
    },
}


def _answers(instrument_code: str, total: int) -> dict[int, int]:
    """Spread a total over the items, highest first, keeping PHQ-9 item 9 at 0 (safety item untouched)."""
    instrument = INSTRUMENTS[instrument_code]
    top = max(instrument.option_values)
    numbers = [n for n in instrument.item_numbers if n != instrument.safety_item]
    answers = {n: 0 for n in instrument.item_numbers}
    remaining = total
    for index, number in enumerate(numbers):
        share = -(-remaining // (len(numbers) - index))
        answers[number] = min(top, share)
        remaining -= answers[number]
    return answers


def _at(person: User, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), ZoneInfo(person.timezone))


def seed_checkins(db: Session, clinic) -> None:
    therapist = clinic.people["therapist"]
    today = clinic.now.astimezone(ZoneInfo(clinic.people["dana"].timezone)).date()
    for key, phq9_totals in PHQ9_TOTALS.items():
        person = clinic.people[key]
        if db.exec(select(QuestionnaireResponse).where(QuestionnaireResponse.patient_id == person.id)).first():
            continue
        rng = random.Random(key)
        weeks = len(phq9_totals)
        first_monday = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
        services.ensure_default_questionnaires(
            db, patient=person, start=first_monday, end=first_monday + timedelta(weeks=6), by=therapist
        )
        for week, total in enumerate(phq9_totals):
            day = first_monday + timedelta(weeks=week)
            _submit(db, person, "phq9", total, _at(person, day, 8, 40 + rng.randint(0, 15)))
        if key in OTHER_TOTALS:
            code, totals = OTHER_TOTALS[key]
            services.set_questionnaire_schedule(db, patient=person, code=code, weekday=0, by=therapist, today=first_monday)
            for week, total in enumerate(totals):
                _submit(db, person, code, total, _at(person, first_monday + timedelta(weeks=week), 8, 55))
        _seed_moods(db, person, rng, first_monday, today, MOOD_START_END[key])
        person.progress_scores = key == "dana"  # her therapist shows her the PHQ-9 coming down on Progress
        _seed_side_effects(db, person, rng)
        safety.save_plan(db, patient=person, by=therapist, values=PLANS.get(key, {
            "help_contacts": "My partner", "professionals": "The clinic line; 988 (call or text)",
            "reasons_for_living": "My family",
        }), at=_at(person, first_monday, 15))
        if key == "sam":
            event = safety.record_safety_event(
                db, patient=person, source=SafetyEventSource.patient_button, at=_at(person, first_monday + timedelta(days=9), 22, 10)
            )
            event.seen_at = event.created_at + timedelta(seconds=20)
            safety.acknowledge_event(db, event=event, by=therapist, at=event.created_at + timedelta(hours=10),
                                     action_taken="Called Sam at 08:10: safe, with partner overnight; reviewed plan; "
                                                  "extra session booked Thursday.")
    db.flush()


def _submit(db: Session, person: User, code: str, total: int, at: datetime) -> None:
    services.submit_questionnaire(db, patient=person, instrument=INSTRUMENTS[code], answers=_answers(code, total), at=at)


def _seed_moods(db: Session, person: User, rng: random.Random, start: date, today: date, span: tuple[float, float]) -> None:
    days = (today - start).days
    for offset in range(days):
        if rng.random() < 0.15:
            continue
        day = start + timedelta(days=offset)
        trend = span[0] + (span[1] - span[0]) * offset / max(1, days)
        mood = max(0, min(10, round(trend + rng.uniform(-1.5, 1.5))))
        anxiety = max(0, min(10, round(8 - mood + rng.uniform(-1, 1)))) if rng.random() < 0.7 else None
        sleep = round(rng.uniform(5, 8.5) * 4) / 4
        note = rng.choice(["", "", "", "Walked with Ana", "Bad night", "Good session today", "Tired after TMS"])
        services.create_checkin(db, patient=person, values=CheckinValues(mood, anxiety, sleep, note),
                                at=_at(person, day, 20, rng.randint(0, 50)))


def _seed_side_effects(db: Session, person: User, rng: random.Random) -> None:
    """Only when the TMS demo has made sessions: a check after most completed visits, headaches easing."""
    sessions = db.exec(
        select(TmsSession).where(TmsSession.patient_id == person.id, TmsSession.completed_at.is_not(None))
        .order_by(TmsSession.completed_at)
    ).all()
    for index, session in enumerate(sessions):
        if rng.random() < 0.3:
            continue
        headache = max(0, 5 - index // 4 + rng.randint(-1, 1))
        values = SideEffectValues(headache=headache, scalp_discomfort=max(0, 4 - index // 5), note="")
        services.create_side_effect_check(db, patient=person, values=values, session=session,
                                          at=session.completed_at + timedelta(minutes=20))
