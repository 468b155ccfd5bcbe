"""Demo thought records: a few weeks per patient, belief in the automatic thought easing as therapy goes on."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.homework.schedule import local_today
from app.models import ThoughtComment, ThoughtRecord, User
from app.thoughts import services
from app.thoughts.columns import EmotionRating, ThoughtRecordInput

# (situation, automatic thought, emotions, evidence for, evidence against, balanced thought, traps)
SCENES = (
    ("Sunday evening, thinking about the week ahead", "I won't cope with work this week, it'll be a disaster",
     ("Anxious", "Hopeless"), "Last week I left early twice",
     "I got the report done on time; my manager said it was fine", "Last week was hard and I still did the main things",
     ("fortune-telling", "catastrophising")),
    ("Texted a friend at lunch, no reply by the evening", "She's fed up with me",
     ("Sad", "Lonely"), "She took a long time to reply last month too",
     "She said on Friday she has a deadline; she invited me to her birthday", "She's probably busy; she has reached out to me lately",
     ("mind-reading",)),
    ("Stayed in bed until 11 on Saturday", "I'm lazy and useless",
     ("Ashamed", "Sad"), "I didn't do the shopping I planned",
     "Low energy is part of depression; I did the washing up in the afternoon", "I'm unwell, not lazy; I can start with one small thing",
     ("labelling", "all-or-nothing")),
    ("Manager gave feedback on my slides in the team meeting", "Everyone could see I'm not good enough",
     ("Embarrassed", "Anxious"), "She pointed out two errors",
     "She also said the structure was clear; others had feedback too", "Feedback is normal and most of it was positive",
     ("mental-filter", "discounting-the-positive")),
    ("Kitchen is a mess and I'm too tired to clean it", "I should be able to keep on top of everything",
     ("Frustrated", "Guilty"), "Other people seem to manage",
     "I'm in treatment and doing TMS every morning; I cleaned the bathroom yesterday", "I can do ten minutes tonight and the rest at the weekend",
     ("should-statements",)),
    ("My son was quiet and grumpy at dinner", "It's my fault, I've been a bad parent lately",
     ("Guilty", "Sad"), "I've been less patient since I got ill",
     "He said he'd had a falling-out with a friend at school", "His mood is about his day; I can ask him how he's doing",
     ("personalising",)),
)
DEMO_NOTE = "Good catch on the trap. Let's look at this one together on Thursday."


def _local_instant(day, clock: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tz).astimezone(ZoneInfo("UTC"))


def _entry(scene, week: int, offset: int) -> ThoughtRecordInput:
    """Belief in the automatic thought falls and the balanced thought gains ground over the weeks (a typical course)."""
    situation, thought, names, evidence_for, evidence_against, balanced, traps = scene
    belief = max(45, 90 - 10 * week - offset)
    emotions = tuple(EmotionRating(name, max(40, 85 - 8 * week - 5 * i), max(20, 60 - 10 * week - 5 * i))
                     for i, name in enumerate(names))
    return ThoughtRecordInput(situation=situation, automatic_thoughts=thought, belief_before=belief, emotions=emotions,
                              evidence_for=evidence_for, evidence_against=evidence_against, balanced_thought=balanced,
                              belief_balanced=min(80, 45 + 10 * week + offset), traps=traps)


def seed_thoughts(db: Session, clinic) -> None:
    """About two records a week for four weeks for each patient, one draft, and therapist comments."""
    therapist: User = clinic.people["therapist"]
    for key, evening in (("dana", time(20, 30)), ("sam", time(19, 10)), ("jordan", time(21, 45))):
        patient: User = clinic.people[key]
        if db.exec(select(ThoughtRecord.id).where(ThoughtRecord.patient_id == patient.id)).first() is not None:
            continue
        tz = ZoneInfo(patient.timezone)
        today = local_today(patient, clinic.now)
        saved = []
        for number, days_ago in enumerate((26, 23, 19, 16, 12, 9, 5, 2)):
            scene = SCENES[(number + len(key)) % len(SCENES)]
            at = _local_instant(today - timedelta(days=days_ago), evening, tz)
            entry = _entry(scene, week=(26 - days_ago) // 7, offset=number % 3)
            saved.append(services.save_record(db, patient=patient, entry=entry, complete=True, at=at))
        for record in saved[-3::2]:
            db.add(ThoughtComment(record_id=record.id, author_id=therapist.id, body=DEMO_NOTE,
                                  created_at=record.completed_at + timedelta(hours=15)))
        draft = ThoughtRecordInput(situation="Woke at 4am worrying about money", automatic_thoughts="We'll lose the flat",
                                   belief_before=75, emotions=(EmotionRating("Anxious", 80, None),), evidence_for="",
                                   evidence_against="", balanced_thought="", belief_balanced=None, traps=())
        services.save_record(db, patient=patient, entry=draft, complete=False, at=clinic.now - timedelta(hours=20))
    db.flush()
